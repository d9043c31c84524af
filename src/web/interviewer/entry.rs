//! `/bellen/leden/{invitation}`: one member on the interviewer's list — first name, phone
//! number, preferred times, supporter and the calls so far — with the form to record how
//! a call ended and the button that starts the phone interview.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::{first_name, own_entry};
use crate::domain::panel::PanelDefinition;
use crate::domain::phone::{AttemptRefusal, Disposition, EntryState};
use crate::domain::response::{Mode, ResponseStatus};
use crate::service::phone::{self as service, PhoneError};
use crate::store::entities::survey;
use crate::store::phone::{Entry, NewAttempt};
use crate::store::{panels, responses};
use crate::web::auth::InterviewerAuth;
use crate::web::ctx::PageCtx;
use crate::web::error::WebResult;
use crate::web::form::{CsrfForm, FormData};
use crate::web::pages::MessagePage;
use crate::web::state::AppState;
use crate::web::view::{
    Choice, FieldMsg, FormErrors, RadioGroup, datetime, from_local, parse_date, parse_time,
};

pub struct HistoryRow {
    pub at: String,
    pub outcome: String,
    pub note: String,
    pub appointment: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "interviewer/entry.html", config = "src/web/askama.toml")]
pub struct EntryPage {
    pub ctx: PageCtx,
    pub survey: survey::Model,
    pub invitation_id: i64,
    pub seq: i32,
    pub name: String,
    pub phone: String,
    pub times: String,
    pub supporter: String,
    pub attempts: String,
    pub history: Vec<HistoryRow>,
    /// Why no more calls are made, if so.
    pub done: Option<String>,
    /// The interview can be started ("start") or continued ("continue").
    pub interview: Option<&'static str>,
    pub outcomes: RadioGroup,
    pub date: String,
    pub time: String,
    pub note: String,
    pub errors: FormErrors,
    pub notice: Option<String>,
}

fn outcome_group(ctx: &PageCtx, selected: &str) -> RadioGroup {
    RadioGroup {
        name: "outcome".to_owned(),
        legend: ctx.t("phone.outcome_form.legend").to_owned(),
        options: Disposition::RECORDED
            .iter()
            .map(|d| Choice::new(d.code(), ctx.t(&d.i18n_key())))
            .collect(),
        selected: selected.to_owned(),
    }
}

fn view(
    ctx: PageCtx,
    panel: &PanelDefinition,
    survey: survey::Model,
    entry: &Entry,
    now: chrono::DateTime<chrono::Utc>,
) -> EntryPage {
    let max = panel.contact_policy.max_call_attempts;
    let history = entry.history();
    let answered = entry
        .response
        .as_ref()
        .is_some_and(|r| r.status == ResponseStatus::Finished);
    let done = if answered {
        Some(ctx.t("phone.entry.answered").to_owned())
    } else if history.state(max, now) == EntryState::Done {
        let reason = match history.check(max) {
            Err(AttemptRefusal::LimitReached { max }) => ctx.tf1("phone.refused.limit", "max", max),
            _ => ctx.tf1(
                "phone.entry.done",
                "outcome",
                entry
                    .attempts
                    .last()
                    .map(|a| ctx.t(&a.disposition.i18n_key()))
                    .unwrap_or_default(),
            ),
        };
        Some(reason)
    } else {
        None
    };
    let interview = match &entry.response {
        _ if answered => None,
        Some(r) if r.mode == Mode::Phone => Some("phone.entry.continue"),
        Some(_) => None,
        None if done.is_none() => Some("phone.entry.start"),
        None => None,
    };
    let not_given = ctx.t("phone.entry.not_given").to_owned();
    let m = &entry.member;
    EntryPage {
        invitation_id: entry.invitation.id,
        seq: entry.invitation.call_seq,
        name: first_name(m.name.as_deref()),
        phone: m.phone.clone().unwrap_or_else(|| not_given.clone()),
        times: m.call_times.clone().unwrap_or_else(|| not_given.clone()),
        supporter: match (&m.supporter_name, &m.supporter_contact) {
            (Some(name), Some(contact)) if !contact.is_empty() => format!("{name} ({contact})"),
            (Some(name), _) => name.clone(),
            _ => not_given,
        },
        attempts: ctx.tf2("phone.entry.attempts_of", "n", history.count(), "max", max),
        history: entry
            .attempts
            .iter()
            .map(|a| HistoryRow {
                at: datetime(&a.at),
                outcome: ctx.t(&a.disposition.i18n_key()).to_owned(),
                note: a.note.clone().unwrap_or_default(),
                appointment: a.appointment_at.map(|t| datetime(&t)).unwrap_or_default(),
            })
            .collect(),
        done,
        interview,
        outcomes: outcome_group(&ctx, ""),
        date: String::new(),
        time: String::new(),
        note: String::new(),
        errors: FormErrors::none(ctx.lang),
        notice: None,
        survey,
        ctx,
    }
}

async fn load(
    state: &AppState,
    auth: &InterviewerAuth,
    invitation_id: i64,
) -> WebResult<(Entry, survey::Model, PanelDefinition)> {
    let entry = own_entry(state, auth, invitation_id).await?;
    let survey = responses::survey(&state.db, entry.invitation.survey_id).await?;
    let panel = panels::get(&state.db, &survey.panel_id).await?;
    Ok((entry, survey, panel))
}

#[derive(serde::Deserialize, Default)]
pub struct Saved {
    opgeslagen: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    ctx: PageCtx,
    auth: InterviewerAuth,
    Path(invitation_id): Path<i64>,
    axum::extract::Query(saved): axum::extract::Query<Saved>,
) -> WebResult<EntryPage> {
    let (entry, survey, panel) = load(&state, &auth, invitation_id).await?;
    let notice = saved
        .opgeslagen
        .map(|_| ctx.t("phone.outcome_form.saved").to_owned());
    let mut page = view(ctx, &panel, survey, &entry, state.now());
    page.notice = notice;
    Ok(page)
}

/// The outcome form read into a call to record, or the field errors.
fn read(ctx: &PageCtx, form: &FormData) -> Result<NewAttempt, FormErrors> {
    let mut errors = FormErrors::none(ctx.lang);
    let disposition = Disposition::from_code(form.get("outcome"));
    if disposition.is_none() {
        errors.list.push(FieldMsg {
            field: "outcome".to_owned(),
            anchor: "f-outcome".to_owned(),
            message: ctx.t("phone.outcome_form.choose").to_owned(),
        });
    }
    let (date, time) = (form.get("date").trim(), form.get("time").trim());
    let appointment_at = match (parse_date(date), parse_time(time)) {
        (Some(d), Some(t)) => from_local(d, t),
        _ => None,
    };
    let wants_time = disposition == Some(Disposition::Appointment);
    let typed_wrong = (!date.is_empty() || !time.is_empty()) && appointment_at.is_none();
    if (wants_time && appointment_at.is_none()) || typed_wrong {
        errors.list.push(FieldMsg {
            field: "date".to_owned(),
            anchor: "f-date".to_owned(),
            message: ctx.t("phone.refused.appointment_time").to_owned(),
        });
    }
    match disposition {
        Some(disposition) if errors.is_empty() => {
            let note = form.get("note").trim();
            Ok(NewAttempt {
                disposition,
                note: (!note.is_empty()).then(|| note.chars().take(500).collect()),
                appointment_at,
            })
        }
        _ => Err(errors),
    }
}

/// Record how a call ended.
pub async fn record(
    State(state): State<AppState>,
    ctx: PageCtx,
    auth: InterviewerAuth,
    Path(invitation_id): Path<i64>,
    CsrfForm(form): CsrfForm,
) -> WebResult<Response> {
    let (entry, survey, panel) = load(&state, &auth, invitation_id).await?;
    let now = state.now();
    let seen: i32 = form.get("seq").parse().unwrap_or(-1);
    let attempt = match read(&ctx, &form) {
        Ok(attempt) => attempt,
        Err(errors) => {
            let mut page = view(ctx, &panel, survey, &entry, now);
            page.outcomes = outcome_group(&page.ctx, form.get("outcome"));
            page.date = form.get("date").to_owned();
            page.time = form.get("time").to_owned();
            page.note = form.get("note").to_owned();
            page.errors = errors;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    match service::record_outcome(&state.db, &panel, &entry, seen, auth.0.id, &attempt, now).await {
        Ok(_) => Ok(
            Redirect::to(&format!("/bellen/leden/{invitation_id}?opgeslagen=1")).into_response(),
        ),
        Err(PhoneError::Store(e)) => Err(e.into()),
        Err(e) => Ok(refusal(ctx, invitation_id, &e)),
    }
}

/// A kind page saying why nothing was saved, with the way back.
fn refusal(ctx: PageCtx, invitation_id: i64, e: &PhoneError) -> Response {
    let text = match e {
        PhoneError::Refused(AttemptRefusal::LimitReached { max }) => {
            ctx.tf1("phone.refused.limit", "max", max)
        }
        other => ctx.t(other.i18n_key()).to_owned(),
    };
    let mut page = MessagePage::keys(ctx, "phone.refused.title", &[]).with_link(
        &format!("/bellen/leden/{invitation_id}"),
        "phone.refused.back",
    );
    page.paragraphs = vec![text];
    (StatusCode::CONFLICT, page).into_response()
}

/// Start or continue the phone interview.
pub async fn start(
    State(state): State<AppState>,
    ctx: PageCtx,
    auth: InterviewerAuth,
    Path(invitation_id): Path<i64>,
    CsrfForm(_): CsrfForm,
) -> WebResult<Response> {
    let (entry, survey, _) = load(&state, &auth, invitation_id).await?;
    match service::start_interview(&state.db, &survey, &entry, auth.0.id, state.now()).await {
        Ok(response) => {
            Ok(Redirect::to(&format!("/bellen/interview/{}/wie", response.id)).into_response())
        }
        Err(PhoneError::Store(e)) => Err(e.into()),
        Err(e) => Ok(refusal(ctx, invitation_id, &e)),
    }
}
