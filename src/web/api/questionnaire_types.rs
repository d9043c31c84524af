//! The questionnaire resources as the API shows them: versions, their review (findings
//! with keys and acceptances, readability), pilot comments and pilot links.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::error::Problem;
use crate::domain::questionnaire::{Questionnaire, Severity};
use crate::service::questionnaires::{Review, ReviewItem, Source};
use crate::store::entities::{pilot_comment, pilot_link, questionnaire, questionnaire_version};

/// One version of a questionnaire. Stored versions never change; a published one can be
/// scheduled.
#[derive(Debug, Serialize, ToSchema)]
pub struct Version {
    pub id: i64,
    /// The questionnaire (all versions of one file `id`) this version belongs to.
    pub questionnaire_id: i64,
    /// 1 for the first upload, then 2, 3, …
    pub version: i32,
    pub title: String,
    /// `vragenlijst`, `flitspeiling` or `evaluatie`.
    pub kind: String,
    pub created_at: DateTime<Utc>,
    /// Set once published; `null` for a draft.
    pub published_at: Option<DateTime<Utc>>,
}

impl From<questionnaire_version::Model> for Version {
    fn from(v: questionnaire_version::Model) -> Self {
        Self {
            id: v.id,
            questionnaire_id: v.questionnaire_id,
            version: v.version,
            title: v.title,
            kind: v.kind,
            created_at: v.created_at,
            published_at: v.published_at,
        }
    }
}

/// A questionnaire with its versions.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionnaireSummary {
    pub id: i64,
    pub panel_id: String,
    /// The `id` in the questionnaire file.
    pub slug: String,
    pub created_at: DateTime<Utc>,
    /// Newest first.
    pub versions: Vec<Version>,
}

impl QuestionnaireSummary {
    pub fn new(q: questionnaire::Model, versions: Vec<questionnaire_version::Model>) -> Self {
        Self {
            id: q.id,
            panel_id: q.panel_id,
            slug: q.slug,
            created_at: q.created_at,
            versions: versions.into_iter().map(Version::from).collect(),
        }
    }
}

/// `problem`: not plain language or not right; `warning`: worth a look.
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = FindingSeverity)]
pub enum SeverityApi {
    Problem,
    Warning,
}

/// `structure`: timing, routing, …; `language`: the plain-language (B1) check.
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = FindingSource)]
pub enum SourceApi {
    Structure,
    Language,
}

/// Who accepted a finding, when and why.
#[derive(Debug, Serialize, ToSchema)]
pub struct Acceptance {
    pub manager_id: i64,
    pub at: DateTime<Utc>,
    pub reason: Option<String>,
}

/// One finding of the review. Every finding must be accepted before publishing.
#[derive(Debug, Serialize, ToSchema)]
pub struct Finding {
    /// Stable: the same finding in the same version always has this key. Send it to
    /// `…/acceptances` to accept the finding.
    pub key: String,
    /// JSON path into the questionnaire file, e.g. `$.purpose`, `$.questions[2].text`.
    pub path: String,
    #[schema(inline)]
    pub severity: SeverityApi,
    #[schema(inline)]
    pub source: SourceApi,
    /// Machine-readable, e.g. `jargon`, `passive_voice`, `long_word`, `long_sentence`,
    /// `problem.never_shown`.
    pub code: String,
    /// What is wrong and what to do, in the caller's language.
    pub message: String,
    /// The word, phrase or sentence concerned (language findings).
    pub excerpt: Option<String>,
    /// Dutch replacement text from the word lists, where there is one (`als` for
    /// `indien`). Generic advice, such as splitting a long sentence, is in `message`.
    pub suggestion: Option<String>,
    /// `null` while the finding is open.
    pub accepted: Option<Acceptance>,
}

impl From<&ReviewItem> for Finding {
    fn from(item: &ReviewItem) -> Self {
        Self {
            key: item.key.clone(),
            path: item.path.clone(),
            severity: match item.severity {
                Severity::Problem => SeverityApi::Problem,
                Severity::Warning => SeverityApi::Warning,
            },
            source: match item.source {
                Source::Structure => SourceApi::Structure,
                Source::Language => SourceApi::Language,
            },
            code: item.code.clone(),
            message: item.message.clone(),
            excerpt: item.excerpt.clone(),
            suggestion: item.suggestion.clone(),
            accepted: item.accepted.as_ref().map(|a| Acceptance {
                manager_id: a.manager_id,
                at: a.at,
                reason: a.reason.clone(),
            }),
        }
    }
}

/// The Flesch–Douma score of all texts together: a signal next to the findings.
#[derive(Debug, Serialize, ToSchema)]
pub struct Readability {
    /// Higher is easier.
    pub flesch_douma: f64,
    /// Douma's band: `very_easy`, `easy`, `fairly_easy`, `normal`, `fairly_difficult`,
    /// `difficult`, `very_difficult`.
    pub band: String,
    /// Roughly B1 or easier (the band `normal` or easier).
    pub b1_or_easier: bool,
}

/// Everything to decide on a version.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewBody {
    /// Findings nobody accepted yet; publishing needs 0.
    pub open: usize,
    pub findings: Vec<Finding>,
    /// `null` when the texts are too short for a score.
    pub readability: Option<Readability>,
}

impl From<&Review> for ReviewBody {
    fn from(review: &Review) -> Self {
        Self {
            open: review.open(),
            findings: review.items.iter().map(Finding::from).collect(),
            readability: review.readability.map(|r| Readability {
                flesch_douma: r.flesch_douma,
                band: serde_json::to_value(r.band)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default(),
                b1_or_easier: r.b1_or_easier,
            }),
        }
    }
}

/// A version just stored, with its review.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedVersion {
    pub version: Version,
    pub review: ReviewBody,
}

/// One comment a tester wrote during a pilot.
#[derive(Debug, Serialize, ToSchema)]
pub struct PilotComment {
    pub comment: String,
    pub created_at: DateTime<Utc>,
}

/// The pilot comments on one question.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionComments {
    /// The question's `id` in the file (or the closing and evaluation questions').
    pub question_id: String,
    /// The question's number (from 1); `null` for the closing and evaluation questions.
    pub number: Option<usize>,
    /// Oldest first.
    pub comments: Vec<PilotComment>,
}

/// Pilot comments grouped per question: the file's questions in order, then the rest
/// (closing and evaluation questions) in the order of their first comment.
pub fn comments_per_question(
    parsed: &Questionnaire,
    comments: &[pilot_comment::Model],
) -> Vec<QuestionComments> {
    let mut out: Vec<QuestionComments> = parsed
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| QuestionComments {
            question_id: q.id.to_string(),
            number: Some(i + 1),
            comments: Vec::new(),
        })
        .collect();
    for c in comments {
        let comment = PilotComment {
            comment: c.comment.clone(),
            created_at: c.created_at,
        };
        match out.iter_mut().find(|g| g.question_id == c.question_id) {
            Some(group) => group.comments.push(comment),
            None => out.push(QuestionComments {
                question_id: c.question_id.clone(),
                number: None,
                comments: vec![comment],
            }),
        }
    }
    out.retain(|g| !g.comments.is_empty());
    out
}

/// How often the version was piloted.
#[derive(Debug, Serialize, ToSchema)]
pub struct PilotCounts {
    pub started: u64,
    pub finished: u64,
}

/// A version with everything the review page shows.
#[derive(Debug, Serialize, ToSchema)]
pub struct VersionDetail {
    pub version: Version,
    pub panel_id: String,
    /// The `id` in the questionnaire file.
    pub slug: String,
    /// The questionnaire file as stored.
    #[schema(value_type = Object)]
    pub definition: serde_json::Value,
    pub review: ReviewBody,
    /// Only questions with comments.
    pub comments: Vec<QuestionComments>,
    pub pilots: PilotCounts,
    /// Every version of the questionnaire, newest first.
    pub versions: Vec<Version>,
}

/// Findings to accept.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptFindings {
    /// Keys from the review; keys that are not findings of this version are ignored.
    pub keys: Vec<String>,
    /// Why the findings are fine as they are; kept with each acceptance.
    #[serde(default)]
    pub reason: Option<String>,
}

/// What an acceptance did.
#[derive(Debug, Serialize, ToSchema)]
pub struct Accepted {
    /// Keys that are findings of this version (accepted now or before).
    pub accepted: usize,
    /// Keys that are not findings of this version.
    pub ignored: usize,
    /// Findings still open.
    pub open: usize,
}

/// Why a version was not published.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublishRefused {
    /// `open_findings`, `panel_mismatch` or `already_published`.
    pub error: String,
    pub message: String,
    /// For `open_findings`: how many findings are still open.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub open_findings: Option<usize>,
    /// For `panel_mismatch`: what no longer fits the panel, with its JSON path.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<Problem>,
}

/// A pilot link to make.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPilotLink {
    /// Who the link is for, e.g. "Jan, ervaringsdeskundige"; 1 to 100 characters.
    pub label: String,
}

/// A pilot link, without its secret.
#[derive(Debug, Serialize, ToSchema)]
pub struct PilotLink {
    pub id: i64,
    pub version_id: i64,
    pub label: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// Set once revoked; a revoked link opens nothing.
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<pilot_link::Model> for PilotLink {
    fn from(l: pilot_link::Model) -> Self {
        Self {
            id: l.id,
            version_id: l.version_id,
            label: l.label,
            created_at: l.created_at,
            expires_at: l.expires_at,
            revoked_at: l.revoked_at,
        }
    }
}

/// A pilot link just made, with its address: shown this once, never again.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedPilotLink {
    #[serde(flatten)]
    pub link: PilotLink,
    /// The address to send to the tester; it works until `expires_at` or revocation.
    pub url: String,
}
