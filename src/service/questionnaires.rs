//! Questionnaire review: an upload is checked (JSON Schema, structure, the panel's
//! background variables, plain language) before it is stored; a stored version lists its
//! findings, each of which a manager must accept before the version can be published.

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use serde::Serialize;

use crate::domain::panel::PanelDefinition;
use crate::domain::plain_language::{self, Readability};
use crate::domain::questionnaire::Severity;
use crate::domain::questionnaire::{Questionnaire, parse_questionnaire};
use crate::i18n::Lang;
use crate::schema_check::{self, FileKind, FileReport, semantic_finding};
use crate::store::entities::{finding_acceptance, questionnaire_version};
use crate::store::tokens::hash_token;
use crate::store::{StoreError, StoreResult, questionnaires};

/// Largest questionnaire file accepted.
pub const MAX_BYTES: usize = crate::domain::questionnaire::MAX_FILE_BYTES;

/// Where a finding comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The structure of the questionnaire (timing, routing, …).
    Structure,
    /// The plain-language (B1) check.
    Language,
}

/// One finding of a stored version, with whether it was accepted.
#[derive(Clone, Debug, Serialize)]
pub struct ReviewItem {
    /// Stable identifier: the same finding in the same version has the same key.
    pub key: String,
    pub path: String,
    pub severity: Severity,
    pub source: Source,
    pub code: String,
    pub message: String,
    pub excerpt: Option<String>,
    pub suggestion: Option<String>,
    pub accepted: Option<Acceptance>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Acceptance {
    pub manager_id: i64,
    pub at: DateTime<Utc>,
    pub reason: Option<String>,
}

/// Everything a manager needs to decide on a version.
#[derive(Clone, Debug, Serialize)]
pub struct Review {
    pub items: Vec<ReviewItem>,
    /// Overall readability of all texts together.
    pub readability: Option<Readability>,
}

impl Review {
    /// Findings nobody accepted yet.
    pub fn open(&self) -> usize {
        self.items.iter().filter(|i| i.accepted.is_none()).count()
    }

    /// Findings about the question at `index` (their path starts with `$.questions[index]`).
    pub fn for_question(&self, index: usize) -> Vec<&ReviewItem> {
        let prefix = format!("$.questions[{index}]");
        self.items
            .iter()
            .filter(|i| i.path == prefix || i.path.starts_with(&format!("{prefix}.")))
            .collect()
    }

    /// Findings about the questionnaire as a whole (not about one question).
    pub fn general(&self) -> Vec<&ReviewItem> {
        self.items
            .iter()
            .filter(|i| !i.path.starts_with("$.questions["))
            .collect()
    }
}

/// Stable keys for findings: the same place, kind and words give the same key in every
/// version; a repeat of the same finding in one text gets the next occurrence number.
#[derive(Default)]
struct Keys(std::collections::HashMap<String, usize>);

impl Keys {
    fn key(&mut self, path: &str, code: &str, excerpt: &str) -> String {
        let base = format!("{path}|{code}|{excerpt}");
        let n = self.0.entry(base.clone()).or_default();
        *n += 1;
        hash_token(&format!("{base}|{n}"))[..24].to_owned()
    }
}

/// Check an uploaded file completely. A file that is not a valid questionnaire, or
/// whose eligibility names variables the panel lacks, is refused with the report.
pub fn check_upload(
    panel: &PanelDefinition,
    bytes: &[u8],
    lang: Lang,
) -> Result<Questionnaire, FileReport> {
    let mut report = schema_check::check_bytes("vragenlijst.json", bytes, lang);
    if report.kind != Some(FileKind::Questionnaire) && report.valid {
        report.valid = false;
        report.problems.push(schema_check::Finding {
            path: "$".to_owned(),
            severity: Severity::Problem,
            code: "upload.not_a_questionnaire".to_owned(),
            message: crate::i18n::t(lang, "questionnaire.upload.not_a_questionnaire").to_owned(),
            line: None,
            column: None,
        });
    }
    if !report.valid {
        return Err(report);
    }
    let parsed = parse_questionnaire(bytes).map_err(|_| report.clone())?;
    let panel_problems: Vec<_> = parsed
        .problems_against_panel(panel)
        .into_iter()
        .map(|p| semantic_finding(p, lang))
        .collect();
    if panel_problems
        .iter()
        .any(|p| p.severity == Severity::Problem)
    {
        report.valid = false;
        report.problems.extend(panel_problems);
        return Err(report);
    }
    Ok(parsed)
}

/// Check and store an upload as a new version. The outer error is the store's, the
/// inner one the file's problems (nothing stored).
pub async fn upload(
    db: &DatabaseConnection,
    panel: &PanelDefinition,
    bytes: &[u8],
    manager_id: i64,
    lang: Lang,
    now: DateTime<Utc>,
) -> StoreResult<Result<questionnaire_version::Model, FileReport>> {
    let parsed = match check_upload(panel, bytes, lang) {
        Ok(parsed) => parsed,
        Err(report) => return Ok(Err(report)),
    };
    let json = String::from_utf8_lossy(schema_check_without_bom(bytes)).into_owned();
    let version =
        questionnaires::add_version(db, panel.id.as_str(), &parsed, &json, Some(manager_id), now)
            .await?;
    carry_over_acceptances(db, &version, lang).await?;
    Ok(Ok(version))
}

/// A finding accepted in the previous version stays accepted in the new one when the
/// same finding (same place, same kind, same words) is still there; the record keeps who
/// accepted it, when and why. Findings about changed text must be looked at again.
async fn carry_over_acceptances(
    db: &DatabaseConnection,
    version: &questionnaire_version::Model,
    lang: Lang,
) -> StoreResult<()> {
    let versions = questionnaires::versions(db, version.questionnaire_id).await?;
    let Some(previous) = versions.iter().find(|v| v.version < version.version) else {
        return Ok(());
    };
    let current = review(version, &[], lang);
    for old in questionnaires::acceptances(db, previous.id).await? {
        if current.items.iter().any(|i| i.key == old.finding_key) {
            questionnaires::accept(
                db,
                version.id,
                &old.finding_key,
                old.manager_id,
                old.reason.as_deref(),
                old.accepted_at,
            )
            .await?;
        }
    }
    Ok(())
}

fn schema_check_without_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// The findings of a stored version, with their acceptances.
pub fn review(
    version: &questionnaire_version::Model,
    accepted: &[finding_acceptance::Model],
    lang: Lang,
) -> Review {
    let report = schema_check::check_bytes("vragenlijst.json", version.definition.as_bytes(), lang);
    let acceptance = |key: &str| {
        accepted
            .iter()
            .find(|a| a.finding_key == key)
            .map(|a| Acceptance {
                manager_id: a.manager_id,
                at: a.accepted_at,
                reason: a.reason.clone(),
            })
    };
    let mut keys = Keys::default();
    let mut items: Vec<ReviewItem> = report
        .problems
        .iter()
        .map(|f| {
            let key = keys.key(&f.path, &f.code, "");
            ReviewItem {
                accepted: acceptance(&key),
                key,
                path: f.path.clone(),
                severity: f.severity,
                source: Source::Structure,
                code: f.code.clone(),
                message: f.message.clone(),
                excerpt: None,
                suggestion: None,
            }
        })
        .collect();
    for note in report.b1.iter().flatten() {
        let key = keys.key(&note.path, &note.kind, &note.excerpt);
        items.push(ReviewItem {
            accepted: acceptance(&key),
            key,
            path: note.path.clone(),
            severity: note.severity,
            source: Source::Language,
            code: note.kind.clone(),
            message: note.message.clone(),
            excerpt: Some(note.excerpt.clone()),
            suggestion: note
                .suggestion
                .clone()
                .filter(|s| !note.message.contains(s.as_str())),
        });
    }
    let readability = questionnaires::parsed(version)
        .ok()
        .and_then(|q| plain_language::check_texts(q.texts()).score);
    Review { items, readability }
}

/// Why a version cannot be published.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PublishRefusal {
    /// Findings that nobody accepted yet.
    OpenFindings(usize),
    AlreadyPublished,
}

/// Publish a version when every finding has been accepted.
pub async fn publish(
    db: &DatabaseConnection,
    version: &questionnaire_version::Model,
    manager_id: i64,
    lang: Lang,
    now: DateTime<Utc>,
) -> StoreResult<Result<(), PublishRefusal>> {
    if version.published_at.is_some() {
        return Ok(Err(PublishRefusal::AlreadyPublished));
    }
    let accepted = questionnaires::acceptances(db, version.id).await?;
    let open = review(version, &accepted, lang).open();
    if open > 0 {
        return Ok(Err(PublishRefusal::OpenFindings(open)));
    }
    questionnaires::publish(db, version.id, manager_id, now).await?;
    Ok(Ok(()))
}

/// Accept the findings with these keys (keys that are not findings of the version are
/// ignored, so a stale form cannot accept something else).
pub async fn accept(
    db: &DatabaseConnection,
    version: &questionnaire_version::Model,
    keys: &[&str],
    manager_id: i64,
    reason: Option<&str>,
    lang: Lang,
    now: DateTime<Utc>,
) -> StoreResult<usize> {
    let current = review(version, &[], lang);
    let mut count = 0;
    for key in keys {
        if current.items.iter().any(|i| i.key == *key) {
            questionnaires::accept(db, version.id, key, manager_id, reason, now).await?;
            count += 1;
        }
    }
    Ok(count)
}

/// The stored file of a version, parsed.
pub fn parsed(version: &questionnaire_version::Model) -> Result<Questionnaire, StoreError> {
    questionnaires::parsed(version)
}
