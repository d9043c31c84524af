//! The fieldwork dashboard of a scheduled survey at `/beheer/enquetes/{survey}`: invited,
//! opened, started and finished, overall and per quota category, the response rate and
//! quota status, skipped invitations with their reasons, mail that could not be
//! delivered, the call list and print run; and pause, resume and close (with a page
//! that asks first).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};

use super::survey_view::{category_label, plan_lines, variable_question, version_label};
use crate::domain::panel::PanelDefinition;
use crate::domain::response::{Channel, SurveyStatus};
use crate::service::fieldwork::{self as service, CategoryStatus, Dashboard};
use crate::store::entities::survey;
use crate::store::{outbox, responses};
use crate::web::auth::ManagerAuth;
use crate::web::ctx::PageCtx;
use crate::web::error::{WebError, WebResult};
use crate::web::form::CsrfForm;
use crate::web::state::AppState;

/// A quota category's line: counts, the quota and where it stands in words.
pub struct DashRow {
    pub label: String,
    pub value: String,
    pub invited: u64,
    pub started: u64,
    pub finished: u64,
    /// "min – doel – max", or "–" without a quota.
    pub quota: String,
    pub status: &'static str,
}

pub struct DashTable {
    pub question: String,
    pub rows: Vec<DashRow>,
}

/// A message that could not be delivered, without the address.
pub struct FailedMail {
    pub subject: String,
    pub attempts: i32,
    pub error: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "manager/survey_dashboard.html", config = "src/web/askama.toml")]
pub struct DashboardPage {
    pub ctx: PageCtx,
    pub panel: PanelDefinition,
    pub survey: survey::Model,
    pub plan: Vec<(String, String)>,
    pub dash: Dashboard,
    pub tables: Vec<DashTable>,
    pub skipped: Vec<(String, u64)>,
    pub failed: Vec<FailedMail>,
    pub by_phone: u64,
    pub by_post: u64,
    pub by_email: u64,
    pub notice: Option<String>,
}

impl DashboardPage {
    fn rate(&self) -> String {
        self.dash
            .response_rate
            .map_or_else(|| "–".to_owned(), |r| format!("{r}%"))
    }
    fn can_pause(&self) -> bool {
        matches!(
            self.survey.status,
            SurveyStatus::Scheduled | SurveyStatus::Open
        )
    }
    fn can_resume(&self) -> bool {
        self.survey.status == SurveyStatus::Paused
    }
    fn can_close(&self) -> bool {
        self.survey.status != SurveyStatus::Closed
    }
}

/// Replace every email address in a mail server's message, so the page shows why a
/// message failed without saying to whom.
pub fn without_addresses(error: &str, recipient: &str, hidden: &str) -> String {
    let mut text = error.to_owned();
    if !recipient.is_empty() {
        text = text.replace(recipient, hidden);
    }
    text.split(' ')
        .map(|word| if word.contains('@') { hidden } else { word })
        .collect::<Vec<_>>()
        .join(" ")
}

fn status_of(c: &CategoryStatus) -> &'static str {
    match (&c.quota, c.full, c.below_min) {
        (None, _, _) => "survey.dashboard.no_quota",
        (Some(_), true, _) => "survey.dashboard.full",
        (Some(_), false, true) => "survey.dashboard.below_min",
        (Some(_), false, false) => "survey.dashboard.within",
    }
}

/// Where a category stands in the panel file: variables and categories in its order.
fn panel_order(panel: &PanelDefinition, variable: &str, category: &str) -> (usize, usize) {
    let vi = panel
        .background_variables
        .iter()
        .position(|v| v.id.as_str() == variable);
    let ci = vi.and_then(|vi| {
        panel.background_variables[vi]
            .categories
            .iter()
            .position(|c| c.value.as_str() == category)
    });
    (vi.unwrap_or(usize::MAX), ci.unwrap_or(usize::MAX))
}

fn tables(ctx: &PageCtx, panel: &PanelDefinition, dash: &Dashboard) -> Vec<DashTable> {
    let mut categories: Vec<&CategoryStatus> = dash.categories.iter().collect();
    categories.sort_by_key(|c| panel_order(panel, &c.variable, &c.category));
    let mut out: Vec<(String, DashTable)> = Vec::new();
    for c in categories {
        let at = match out.iter().position(|(v, _)| *v == c.variable) {
            Some(at) => at,
            None => {
                out.push((
                    c.variable.clone(),
                    DashTable {
                        question: variable_question(panel, &c.variable),
                        rows: Vec::new(),
                    },
                ));
                out.len() - 1
            }
        };
        out[at].1.rows.push(DashRow {
            label: category_label(panel, &c.variable, &c.category),
            value: c.category.clone(),
            invited: c.invited,
            started: c.started,
            finished: c.finished,
            quota: c.quota.as_ref().map_or_else(
                || "–".to_owned(),
                |q| format!("{} – {} – {}", q.min, q.target, q.max),
            ),
            status: ctx.t(status_of(c)),
        });
    }
    out.into_iter().map(|(_, t)| t).collect()
}

/// The words for a reason an invitation was skipped (an i18n key stored on it).
fn skip_reason(ctx: &PageCtx, key: &str) -> String {
    if let Some(rule) = key.strip_prefix("fieldwork.policy.") {
        ctx.t(&format!("survey.skipped.{rule}")).to_owned()
    } else if key.starts_with("invitation_skip.") {
        ctx.t(key).to_owned()
    } else {
        key.to_owned()
    }
}

pub async fn page(
    state: &AppState,
    ctx: PageCtx,
    panel: PanelDefinition,
    s: survey::Model,
    notice: Option<String>,
) -> WebResult<DashboardPage> {
    let db = &state.db;
    let plan = service::plan_of(&s)?;
    let version = version_label(state, &ctx, s.version_id).await?;
    let dash = service::dashboard(db, &s).await?;
    let hidden = ctx.t("survey.dashboard.address_hidden");
    let failed = outbox::failed_with_prefix(db, &format!("survey:{}:", s.id))
        .await?
        .into_iter()
        .map(|m| FailedMail {
            error: m
                .last_error
                .as_deref()
                .map(|e| without_addresses(e, &m.recipient, hidden))
                .unwrap_or_default(),
            subject: m.subject,
            attempts: m.attempts,
        })
        .collect();
    let sent_by = |channel: Channel| {
        dash.invitations
            .by_channel
            .iter()
            .find(|(c, _)| *c == channel)
            .map_or(0, |(_, n)| *n)
    };
    Ok(DashboardPage {
        plan: plan_lines(&ctx, &panel, &s, &plan, &version),
        tables: tables(&ctx, &panel, &dash),
        skipped: dash
            .invitations
            .skip_reasons
            .iter()
            .map(|(key, n)| (skip_reason(&ctx, key), *n))
            .collect(),
        failed,
        by_phone: sent_by(Channel::Phone),
        by_post: sent_by(Channel::Post),
        by_email: sent_by(Channel::Email),
        dash,
        notice,
        ctx,
        panel,
        survey: s,
    })
}

fn back_to(survey_id: i64, done: &str) -> Response {
    Redirect::to(&format!("/beheer/enquetes/{survey_id}?klaar={done}")).into_response()
}

/// Back to the dashboard with what was `done`, or a conflict when the survey's state
/// did not allow it (someone else, or the closing job, came first).
fn changed_or_conflict(changed: bool, survey_id: i64, done: &str) -> WebResult<Response> {
    if changed {
        Ok(back_to(survey_id, done))
    } else {
        Err(WebError::Conflict("survey.dashboard.not_possible"))
    }
}

pub async fn pause(
    State(state): State<AppState>,
    _auth: ManagerAuth,
    Path(survey_id): Path<i64>,
    CsrfForm(_): CsrfForm,
) -> WebResult<Response> {
    responses::survey(&state.db, survey_id).await?;
    let changed = service::pause(&state.db, survey_id, state.now()).await?;
    changed_or_conflict(changed, survey_id, "gepauzeerd")
}

pub async fn resume(
    State(state): State<AppState>,
    _auth: ManagerAuth,
    Path(survey_id): Path<i64>,
    CsrfForm(_): CsrfForm,
) -> WebResult<Response> {
    responses::survey(&state.db, survey_id).await?;
    let changed = service::resume(&state.db, survey_id, state.now()).await?;
    changed_or_conflict(changed, survey_id, "hervat")
}

#[derive(Template, WebTemplate)]
#[template(path = "manager/survey_close.html", config = "src/web/askama.toml")]
pub struct ClosePage {
    pub ctx: PageCtx,
    pub survey: survey::Model,
    pub planned: u64,
}

/// The question before closing: what closing does, and a button that does it.
pub async fn close_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    _auth: ManagerAuth,
    Path(survey_id): Path<i64>,
) -> WebResult<Response> {
    let s = responses::survey(&state.db, survey_id).await?;
    if s.status == SurveyStatus::Closed {
        return Ok(back_to(s.id, ""));
    }
    let planned = crate::store::fieldwork::invitation_counts(&state.db, s.id)
        .await?
        .planned;
    Ok(ClosePage {
        ctx,
        survey: s,
        planned,
    }
    .into_response())
}

pub async fn close(
    State(state): State<AppState>,
    _auth: ManagerAuth,
    Path(survey_id): Path<i64>,
    CsrfForm(_): CsrfForm,
) -> WebResult<Response> {
    responses::survey(&state.db, survey_id).await?;
    let changed = service::close(&state.db, survey_id, state.now()).await?;
    changed_or_conflict(changed, survey_id, "gesloten")
}

#[cfg(test)]
mod tests {
    use super::without_addresses;

    #[test]
    fn addresses_are_left_out_of_mail_errors() {
        assert_eq!(
            without_addresses(
                "550 5.1.1 <anna@voorbeeld.nl>: Recipient address rejected",
                "anna@voorbeeld.nl",
                "[adres]"
            ),
            "550 5.1.1 <[adres]>: Recipient address rejected"
        );
        assert_eq!(
            without_addresses("mailbox full for bob@example.org", "", "[adres]"),
            "mailbox full for [adres]"
        );
        assert_eq!(without_addresses("timeout", "x@y.nl", "[adres]"), "timeout");
    }
}
