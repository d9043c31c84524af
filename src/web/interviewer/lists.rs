//! `/bellen`: the surveys the interviewer calls for, and `/bellen/enquetes/{survey}`:
//! their call list in the order to call — due appointments first, then those never
//! called, then retries spread over the parts of the day, later appointments, and done.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};

use super::first_name;
use crate::domain::phone::{EntryState, History};
use crate::store::entities::survey;
use crate::store::{panels, phone, responses};
use crate::web::auth::InterviewerAuth;
use crate::web::ctx::PageCtx;
use crate::web::error::WebResult;
use crate::web::state::AppState;
use crate::web::view::datetime;

pub struct ListRow {
    pub survey: survey::Model,
    pub members: u64,
    pub closes: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "interviewer/lists.html", config = "src/web/askama.toml")]
pub struct ListsPage {
    pub ctx: PageCtx,
    pub rows: Vec<ListRow>,
}

pub async fn page(
    State(state): State<AppState>,
    ctx: PageCtx,
    auth: InterviewerAuth,
) -> WebResult<ListsPage> {
    let rows = phone::assigned_surveys(&state.db, auth.0.id)
        .await?
        .into_iter()
        .map(|(survey, members)| ListRow {
            closes: datetime(&survey.closes_at),
            survey,
            members,
        })
        .collect();
    Ok(ListsPage { ctx, rows })
}

pub struct QueueRow {
    pub invitation_id: i64,
    pub name: String,
    pub phone: String,
    pub times: String,
    pub supporter: String,
    pub attempts: u32,
    pub state: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "interviewer/queue.html", config = "src/web/askama.toml")]
pub struct QueuePage {
    pub ctx: PageCtx,
    pub survey: survey::Model,
    pub rows: Vec<QueueRow>,
}

/// A state in words, for the list.
pub fn state_text(
    ctx: &PageCtx,
    history: &History,
    max: u32,
    now: chrono::DateTime<chrono::Utc>,
) -> String {
    match history.state(max, now) {
        EntryState::AppointmentDue => ctx.t("phone.state.appointment_due").to_owned(),
        EntryState::New => ctx.t("phone.state.new").to_owned(),
        EntryState::Retry => ctx.t("phone.state.retry").to_owned(),
        EntryState::AppointmentLater => ctx.tf1(
            "phone.state.appointment_later",
            "at",
            history
                .appointment()
                .map(|at| datetime(&at))
                .unwrap_or_default(),
        ),
        EntryState::Done => ctx.t("phone.state.done").to_owned(),
    }
}

pub async fn queue(
    State(state): State<AppState>,
    ctx: PageCtx,
    auth: InterviewerAuth,
    Path(survey_id): Path<i64>,
) -> WebResult<QueuePage> {
    let survey = responses::survey(&state.db, survey_id).await?;
    let panel = panels::get(&state.db, &survey.panel_id).await?;
    let max = panel.contact_policy.max_call_attempts;
    let now = state.now();
    let entries = phone::entries(&state.db, survey_id, Some(auth.0.id)).await?;
    let mut listed: Vec<(phone::Entry, History)> = entries
        .into_iter()
        .map(|e| {
            let history = e.history();
            (e, history)
        })
        .collect();
    listed.sort_by_cached_key(|(e, h)| (h.order_key(max, now), e.invitation.id));
    let rows = listed
        .iter()
        .map(|(e, history)| QueueRow {
            invitation_id: e.invitation.id,
            name: first_name(e.member.name.as_deref()),
            phone: e.member.phone.clone().unwrap_or_default(),
            times: e.member.call_times.clone().unwrap_or_default(),
            supporter: e.member.supporter_name.clone().unwrap_or_default(),
            attempts: history.count(),
            state: state_text(&ctx, history, max, now),
        })
        .collect();
    Ok(QueuePage { ctx, survey, rows })
}
