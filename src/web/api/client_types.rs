//! What the client API sends and takes: a client's requests and the aggregate report of
//! a survey run for one. Figures that rest on fewer people than the panel's
//! `min_cell_size` are `null` — hidden, as on every page outside the manager's own.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::client_request::{RequestForm, eligibility_from_json};
use crate::domain::compensation::Money;
use crate::stats::{Public, PublicCount, PublicCrosstab, PublicFigures, PublicQuestion, RowKind};
use crate::store::entities::{client_request, client_request_event};

/// A request to run a survey, as the client sent it, with where it stands.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClientRequest {
    pub id: i64,
    pub topic: String,
    pub purpose: String,
    pub use_of_results: String,
    /// The target group: background variable → the categories asked for. Empty is
    /// every member.
    pub target: BTreeMap<String, Vec<String>>,
    pub completes: u32,
    pub start_on: NaiveDate,
    pub end_on: NaiveDate,
    /// The budget in euro cents (exact; no fractions).
    pub budget_cents: i64,
    /// `aangevraagd`, `in_beoordeling`, `geaccepteerd`, `afgewezen`, `in_veldwerk` or
    /// `afgerond`.
    pub state: String,
    /// The price quoted on acceptance, in euro cents.
    pub quote_cents: Option<i64>,
    /// The quote as written in Dutch, e.g. `€ 2.500,00`.
    pub quote: Option<String>,
    /// Why the request was declined.
    pub decline_reason: Option<String>,
    /// Whether the report of the survey run for it can be fetched.
    pub report_ready: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Every change of state, oldest first.
    pub history: Vec<StateChange>,
}

/// One change of state.
#[derive(Debug, Serialize, ToSchema)]
pub struct StateChange {
    /// `null` for the first: the request came in.
    pub from: Option<String>,
    pub to: String,
    pub at: DateTime<Utc>,
}

impl ClientRequest {
    pub fn new(
        r: client_request::Model,
        events: Vec<client_request_event::Model>,
        report_ready: bool,
    ) -> Self {
        let target = eligibility_from_json(&r.eligibility)
            .map(|e| {
                e.iter()
                    .map(|(v, cats)| (v.to_string(), cats.iter().map(|c| c.to_string()).collect()))
                    .collect()
            })
            .unwrap_or_default();
        Self {
            id: r.id,
            topic: r.topic,
            purpose: r.purpose,
            use_of_results: r.use_of_results,
            target,
            completes: u32::try_from(r.completes).unwrap_or(0),
            start_on: r.start_on,
            end_on: r.end_on,
            budget_cents: r.budget_cents,
            state: r.state.code().to_owned(),
            quote_cents: r.quote_cents,
            quote: r.quote_cents.map(|c| Money::from_cents(c).format_nl()),
            decline_reason: r.decline_reason,
            report_ready,
            created_at: r.created_at,
            updated_at: r.updated_at,
            history: events
                .into_iter()
                .map(|e| StateChange {
                    from: e.from_state.map(|s| s.code().to_owned()),
                    to: e.to_state.code().to_owned(),
                    at: e.at,
                })
                .collect(),
        }
    }
}

/// A new request. The client is the one the API key belongs to.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewClientRequest {
    /// The contact person for this request.
    pub contact_name: String,
    pub contact_email: String,
    /// What the survey is about, in a few words.
    pub topic: String,
    /// Why the client wants to know.
    pub purpose: String,
    /// What the results will be used for.
    pub use_of_results: String,
    /// Background variable → the categories of the target group; leave out for every
    /// member.
    #[serde(default)]
    pub target: BTreeMap<String, Vec<String>>,
    /// Completed questionnaires wanted.
    pub completes: u32,
    /// First day of the fieldwork (`2027-01-11`), today or later.
    pub start_on: String,
    /// Last day of the fieldwork.
    pub end_on: String,
    /// The budget in whole euros.
    pub budget_euros: u64,
}

impl NewClientRequest {
    /// As the web form would give it (the same checks then apply).
    pub fn into_form(self) -> RequestForm {
        RequestForm {
            client: String::new(),
            contact_name: self.contact_name,
            contact_email: self.contact_email,
            topic: self.topic,
            purpose: self.purpose,
            use_of_results: self.use_of_results,
            target: self
                .target
                .into_iter()
                .flat_map(|(v, cats)| cats.into_iter().map(move |c| (v.clone(), c)))
                .collect(),
            completes: self.completes.to_string(),
            start_on: self.start_on,
            end_on: self.end_on,
            budget: self.budget_euros.to_string(),
        }
    }
}

/// A count and its share of the base, or `null` where hidden.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportRow {
    pub label: String,
    /// `option`, `dont_know` (on scales) or `other` (multiple choice "iets anders").
    pub kind: String,
    pub n: Option<u64>,
    /// Share of the base, 0 to 1.
    pub share: Option<f64>,
}

fn row(c: &PublicCount, kind: RowKind) -> ReportRow {
    ReportRow {
        label: c.label.clone(),
        kind: kind.code().to_owned(),
        n: c.n.shown(),
        share: c.share.shown(),
    }
}

/// One question's figures.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportQuestion {
    pub id: String,
    pub text: String,
    /// `choice`, `multiple`, `grade` or `number`. Open questions are never in a report.
    pub kind: String,
    /// Respondents who answered: the base of the shares.
    pub answered: Option<u64>,
    /// Counts per option (for a grade: per mark).
    pub rows: Vec<ReportRow>,
    pub mean: Option<f64>,
    pub median: Option<f64>,
    pub q1: Option<f64>,
    pub q3: Option<f64>,
    /// For a grade: those who gave less than 6.
    pub below_six: Option<ReportRow>,
    pub unit: Option<String>,
}

impl From<&PublicQuestion> for ReportQuestion {
    fn from(q: &PublicQuestion) -> Self {
        let mut out = ReportQuestion {
            id: q.id.clone(),
            text: q.text.clone(),
            kind: String::new(),
            answered: q.answered.shown(),
            rows: Vec::new(),
            mean: None,
            median: None,
            q1: None,
            q3: None,
            below_six: None,
            unit: None,
        };
        match &q.figures {
            PublicFigures::Choice { options, dont_know } => {
                out.kind = "choice".into();
                out.rows = options.iter().map(|c| row(c, RowKind::Option)).collect();
                out.rows
                    .extend(dont_know.iter().map(|c| row(c, RowKind::DontKnow)));
            }
            PublicFigures::Multiple { options, other } => {
                out.kind = "multiple".into();
                out.rows = options.iter().map(|c| row(c, RowKind::Option)).collect();
                out.rows
                    .extend(other.iter().map(|c| row(c, RowKind::Other)));
            }
            PublicFigures::Grade {
                marks,
                mean,
                median,
                below_six,
            } => {
                out.kind = "grade".into();
                out.rows = marks.iter().map(|c| row(c, RowKind::Option)).collect();
                out.mean = mean.shown();
                out.median = median.shown();
                out.below_six = Some(row(below_six, RowKind::BelowSix));
            }
            PublicFigures::Number {
                mean,
                median,
                q1,
                q3,
                unit,
            } => {
                out.kind = "number".into();
                out.mean = mean.shown();
                out.median = median.shown();
                out.q1 = q1.shown();
                out.q3 = q3.shown();
                out.unit = unit.clone();
            }
        }
        out
    }
}

/// One cell of a crosstab: a count and its share of the group, or `null` where hidden.
#[derive(Debug, Serialize, ToSchema)]
pub struct CrossCell {
    pub n: Option<u64>,
    pub share: Option<f64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CrossRow {
    pub label: String,
    pub cells: Vec<CrossCell>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CrossQuestion {
    pub id: String,
    pub text: String,
    /// Each group's base, in the order of `groups`.
    pub bases: Vec<Option<u64>>,
    pub rows: Vec<CrossRow>,
    /// Each group's mean, for grades and numbers.
    pub means: Option<Vec<Option<f64>>>,
}

/// Every question split by one background variable.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportCrosstab {
    /// The background question it splits by.
    pub by: String,
    pub groups: Vec<String>,
    pub questions: Vec<CrossQuestion>,
}

fn shown_pair(p: &Public<(u64, f64)>) -> CrossCell {
    let v = p.shown();
    CrossCell {
        n: v.map(|(n, _)| n),
        share: v.map(|(_, s)| s),
    }
}

impl From<&PublicCrosstab> for ReportCrosstab {
    fn from(c: &PublicCrosstab) -> Self {
        Self {
            by: c.name.clone(),
            groups: c.groups.clone(),
            questions: c
                .questions
                .iter()
                .map(|q| CrossQuestion {
                    id: q.id.clone(),
                    text: q.text.clone(),
                    bases: q.bases.iter().map(Public::shown).collect(),
                    rows: q
                        .rows
                        .iter()
                        .map(|r| CrossRow {
                            label: r.label.clone(),
                            cells: r.cells.iter().map(shown_pair).collect(),
                        })
                        .collect(),
                    means: q
                        .means
                        .as_ref()
                        .map(|m| m.iter().map(Public::shown).collect()),
                })
                .collect(),
        }
    }
}

/// The aggregate results of the survey run for a request.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClientReport {
    pub request_id: i64,
    pub survey_id: i64,
    pub title: String,
    /// Figures resting on fewer people than this are `null`.
    pub min_cell_size: u32,
    /// Respondents who sent their answers.
    pub respondents: Option<u64>,
    pub questions: Vec<ReportQuestion>,
    pub crosstabs: Vec<ReportCrosstab>,
    /// Respondents who gave an open answer: the base of the themes' shares.
    pub open_answered: Option<u64>,
    /// The themes the panel found in the open answers, each with how many wrote about
    /// it. Themes fewer than `min_cell_size` people wrote about are left out; the open
    /// answers themselves are never given.
    pub themes: Vec<ReportTheme>,
}

/// A theme of the open answers, with the panel's texts about it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportTheme {
    pub name: String,
    /// The underlying problem.
    pub problem: String,
    /// The core insight.
    pub insight: String,
    /// What should change in policy or practice.
    pub change: String,
    /// Respondents who wrote about it, and their share of `open_answered`; `null` where
    /// hidden.
    pub respondents: CrossCell,
}

impl From<&crate::service::clients::ClientTheme> for ReportTheme {
    fn from(t: &crate::service::clients::ClientTheme) -> Self {
        let input = &t.theme.input;
        Self {
            name: input.name.clone(),
            problem: input.problem.clone(),
            insight: input.insight.clone(),
            change: input.change.clone(),
            respondents: shown_pair(&t.respondents),
        }
    }
}

impl From<&crate::service::clients::ClientReport> for ClientReport {
    fn from(r: &crate::service::clients::ClientReport) -> Self {
        Self {
            request_id: r.request_id,
            survey_id: r.survey_id,
            title: r.survey_title.clone(),
            min_cell_size: r.min_cell_size,
            respondents: r.survey.respondents.shown(),
            questions: r
                .survey
                .questions
                .iter()
                .map(ReportQuestion::from)
                .collect(),
            crosstabs: r.crosstabs.iter().map(ReportCrosstab::from).collect(),
            open_answered: r.open_answered.shown(),
            themes: r.themes.iter().map(ReportTheme::from).collect(),
        }
    }
}
