//! Questionnaire review: an upload is checked (JSON Schema, structure, the panel's
//! background variables, plain language) before it is stored; a stored version lists its
//! findings, each of which a manager must accept before the version can be published.
//! The manager pages and the API both go through here: upload, edit, accept, publish and
//! pilot links.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use serde::Serialize;

use crate::domain::panel::PanelDefinition;
use crate::domain::plain_language::{self, Readability};
use crate::domain::questionnaire::Severity;
use crate::domain::questionnaire::parse::without_bom;
use crate::domain::questionnaire::{Questionnaire, parse_questionnaire};
use crate::i18n::Lang;
use crate::schema_check::{self, FileKind, FileReport, semantic_finding};
use crate::store::entities::{finding_acceptance, pilot_link, questionnaire_version};
use crate::store::tokens::hash_token;
use crate::store::{StoreError, StoreResult, panels, questionnaires};

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
    /// Replacement text from the word lists, where there is one.
    pub suggestion: Option<String>,
    pub accepted: Option<Acceptance>,
}

impl ReviewItem {
    /// The suggestion when the message does not already say it (for reading next to it).
    pub fn extra_suggestion(&self) -> Option<&str> {
        self.suggestion
            .as_deref()
            .filter(|s| !self.message.contains(s))
    }
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

fn key(path: &str, code: &str, excerpt: &str) -> String {
    hash_token(&format!("{path}|{code}|{excerpt}"))[..24].to_owned()
}

/// Finding keys, one per finding: a finding that repeats another's path, code and excerpt
/// (two jargon terms in one word) gets its occurrence number in the key, so each key
/// names exactly one finding while the first keeps the key it always had.
#[derive(Default)]
struct Keys(HashMap<String, usize>);

impl Keys {
    fn next(&mut self, path: &str, code: &str, excerpt: &str) -> String {
        let first = key(path, code, excerpt);
        let seen = self.0.entry(first.clone()).or_default();
        *seen += 1;
        match *seen {
            1 => first,
            n => key(path, code, &format!("{excerpt}#{n}")),
        }
    }
}

/// Check an uploaded file completely. A file that is not a valid questionnaire, or
/// whose eligibility names variables the panel lacks, is refused with the report.
pub fn check_upload(
    panel: &PanelDefinition,
    bytes: &[u8],
    lang: Lang,
) -> Result<Questionnaire, FileReport> {
    if is_empty(bytes) {
        return Err(upload_refusal(
            lang,
            "empty",
            "questionnaire.upload.empty_file",
        ));
    }
    let mut report = schema_check::check_bytes("vragenlijst.json", bytes, lang);
    if report.kind != Some(FileKind::Questionnaire) && report.valid {
        report.valid = false;
        let refusal = upload_refusal(
            lang,
            "not_a_questionnaire",
            "questionnaire.upload.not_a_questionnaire",
        );
        report.problems.extend(refusal.problems);
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

/// Nothing uploaded: no bytes, or only white space.
pub fn is_empty(bytes: &[u8]) -> bool {
    bytes.iter().all(u8::is_ascii_whitespace)
}

/// A refused upload with one problem about the whole file.
fn upload_refusal(lang: Lang, code: &str, message_key: &str) -> FileReport {
    FileReport {
        path: "vragenlijst.json".to_owned(),
        kind: None,
        valid: false,
        problems: vec![schema_check::Finding {
            path: "$".to_owned(),
            severity: Severity::Problem,
            code: format!("upload.{code}"),
            message: crate::i18n::t(lang, message_key).to_owned(),
            line: None,
            column: None,
        }],
        b1: None,
    }
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
    let json = String::from_utf8_lossy(without_bom(bytes)).into_owned();
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
            let key = keys.next(&f.path, &f.code, "");
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
        let key = keys.next(&note.path, &note.kind, &note.excerpt);
        items.push(ReviewItem {
            accepted: acceptance(&key),
            key,
            path: note.path.clone(),
            severity: note.severity,
            source: Source::Language,
            code: note.kind.clone(),
            message: note.message.clone(),
            excerpt: Some(note.excerpt.clone()),
            suggestion: note.suggestion.clone(),
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
    /// The panel was changed after the upload and the version no longer fits it (its
    /// eligibility or a question tied to a background variable); each problem with its
    /// JSON path.
    PanelMismatch(Vec<schema_check::Finding>),
}

/// The problems of a stored version against its panel as it is now.
pub async fn panel_problems(
    db: &DatabaseConnection,
    version: &questionnaire_version::Model,
    lang: Lang,
) -> StoreResult<Vec<schema_check::Finding>> {
    let q = questionnaires::questionnaire(db, version.questionnaire_id).await?;
    let panel = panels::get(db, &q.panel_id).await?;
    Ok(parsed(version)?
        .problems_against_panel(&panel)
        .into_iter()
        .filter(|p| p.severity == Severity::Problem)
        .map(|p| semantic_finding(p, lang))
        .collect())
}

/// Publish a version when every finding has been accepted and it fits the panel.
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
    let mismatch = panel_problems(db, version, lang).await?;
    if !mismatch.is_empty() {
        return Ok(Err(PublishRefusal::PanelMismatch(mismatch)));
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

/// Whether an edited file is for the questionnaire `slug` (a file whose `id` cannot be
/// read passes here: the upload check reports it).
pub fn same_questionnaire(bytes: &[u8], slug: &str) -> bool {
    serde_json::from_slice::<serde_json::Value>(without_bom(bytes))
        .ok()
        .and_then(|value| value.get("id").and_then(|i| i.as_str()).map(|i| i == slug))
        .unwrap_or(true)
}

/// Why an edit was not stored.
#[derive(Clone, Debug)]
pub enum EditRefusal {
    /// The file has another questionnaire id: that would be another questionnaire.
    OtherQuestionnaire,
    /// The file's problems, as for an upload.
    File(FileReport),
}

/// Store an edited file as a new version of `version`'s questionnaire; `version` itself
/// (published or not) never changes.
pub async fn edit(
    db: &DatabaseConnection,
    version: &questionnaire_version::Model,
    bytes: &[u8],
    manager_id: i64,
    lang: Lang,
    now: DateTime<Utc>,
) -> StoreResult<Result<questionnaire_version::Model, EditRefusal>> {
    let q = questionnaires::questionnaire(db, version.questionnaire_id).await?;
    if !same_questionnaire(bytes, &q.slug) {
        return Ok(Err(EditRefusal::OtherQuestionnaire));
    }
    let panel = panels::get(db, &q.panel_id).await?;
    Ok(upload(db, &panel, bytes, manager_id, lang, now)
        .await?
        .map_err(EditRefusal::File))
}

/// Longest name of whom a pilot link is for.
pub const MAX_PILOT_LABEL_CHARS: usize = 100;

/// The label of a pilot link, trimmed; `None` when empty or too long.
pub fn pilot_label(label: &str) -> Option<&str> {
    let label = label.trim();
    (!label.is_empty() && label.chars().count() <= MAX_PILOT_LABEL_CHARS).then_some(label)
}

/// The address an outsider opens to pilot `version_id`.
pub fn pilot_url(base_url: &str, version_id: i64, token: &str) -> String {
    format!(
        "{}/voorbeeld/{version_id}?toegang={token}",
        base_url.trim_end_matches('/')
    )
}

/// Make a pilot link for a version that exists; returns the link and its full address
/// (with the secret: shown once, only its hash is stored).
pub async fn create_pilot_link(
    db: &DatabaseConnection,
    base_url: &str,
    version_id: i64,
    label: &str,
    manager_id: i64,
    now: DateTime<Utc>,
) -> StoreResult<(pilot_link::Model, String)> {
    questionnaires::version(db, version_id).await?;
    let (link, token) =
        questionnaires::create_pilot_link(db, version_id, label, manager_id, now).await?;
    Ok((link, pilot_url(base_url, version_id, &token)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_finding_gets_its_own_key_and_the_first_keeps_its_own() {
        let mut keys = Keys::default();
        let first = keys.next("$.purpose", "jargon", "re-integratievoorzieningen");
        let second = keys.next("$.purpose", "jargon", "re-integratievoorzieningen");
        let other = keys.next("$.purpose", "jargon", "conform");
        assert_eq!(
            first,
            key("$.purpose", "jargon", "re-integratievoorzieningen")
        );
        assert_ne!(first, second);
        assert_eq!(other, key("$.purpose", "jargon", "conform"));
        let mut again = Keys::default();
        again.next("$.purpose", "jargon", "re-integratievoorzieningen");
        assert_eq!(
            again.next("$.purpose", "jargon", "re-integratievoorzieningen"),
            second,
            "stable"
        );
    }
}
