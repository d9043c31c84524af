//! `/beheer/enquetes/{survey}/bellen`: put members of a survey's call list on an
//! interviewer's list, see progress per interviewer and the outcomes of all calls, and
//! download the call log (CSV; each download is in the audit log).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Redirect, Response};

use crate::i18n::t;
use crate::service::phone as service;
use crate::store::audit::{self, Action};
use crate::store::entities::survey;
use crate::store::{phone, responses};
use crate::web::auth::ManagerAuth;
use crate::web::ctx::PageCtx;
use crate::web::error::{WebError, WebResult};
use crate::web::form::CsrfForm;
use crate::web::state::AppState;
use crate::web::view::{Choice, FieldMsg, FormErrors, RadioGroup, datetime};

pub struct InterviewerRow {
    pub name: String,
    pub members: u64,
    pub calls: u64,
    pub complete: u64,
}

pub struct OutcomeRow {
    pub label: String,
    pub aapor: &'static str,
    pub count: u64,
}

#[derive(Template, WebTemplate)]
#[template(path = "manager/survey_calls.html", config = "src/web/askama.toml")]
pub struct CallsPage {
    pub ctx: PageCtx,
    pub survey: survey::Model,
    pub total: u64,
    pub free: u64,
    pub interviewers: RadioGroup,
    pub rows: Vec<InterviewerRow>,
    pub outcomes: Vec<OutcomeRow>,
    pub how_many: String,
    pub errors: FormErrors,
    pub notice: Option<String>,
}

#[derive(serde::Deserialize, Default)]
pub struct Done {
    verdeeld: Option<u64>,
    aan: Option<i64>,
}

async fn render(
    state: &AppState,
    ctx: PageCtx,
    survey: survey::Model,
    selected: &str,
) -> WebResult<CallsPage> {
    let progress = service::progress(&state.db, survey.id).await?;
    Ok(CallsPage {
        interviewers: RadioGroup {
            name: "interviewer".to_owned(),
            legend: ctx.t("phone.manage.interviewer").to_owned(),
            options: progress
                .interviewers
                .iter()
                .map(|i| Choice::new(i.id.to_string(), i.name.clone()))
                .collect(),
            selected: selected.to_owned(),
        },
        total: progress.total,
        free: progress.unassigned,
        rows: progress
            .interviewers
            .iter()
            .map(|i| InterviewerRow {
                name: i.name.clone(),
                members: i.members,
                calls: i.calls,
                complete: i.complete,
            })
            .collect(),
        outcomes: progress
            .outcomes
            .iter()
            .map(|(d, n)| OutcomeRow {
                label: ctx.t(&d.i18n_key()).to_owned(),
                aapor: d.aapor(),
                count: *n,
            })
            .collect(),
        how_many: String::new(),
        errors: FormErrors::none(ctx.lang),
        notice: None,
        survey,
        ctx,
    })
}

pub async fn page(
    State(state): State<AppState>,
    ctx: PageCtx,
    _auth: ManagerAuth,
    Path(survey_id): Path<i64>,
    Query(done): Query<Done>,
) -> WebResult<CallsPage> {
    let survey = responses::survey(&state.db, survey_id).await?;
    let notice = match (done.verdeeld, done.aan) {
        (Some(n), Some(id)) => {
            let name = crate::store::managers::get(&state.db, id)
                .await
                .map(|m| m.name)
                .unwrap_or_default();
            Some(ctx.tf2("phone.manage.assigned", "n", n, "name", name))
        }
        _ => None,
    };
    let mut page = render(&state, ctx, survey, "").await?;
    page.notice = notice;
    Ok(page)
}

/// Assign members who are not on anyone's list yet.
pub async fn assign(
    State(state): State<AppState>,
    ctx: PageCtx,
    _auth: ManagerAuth,
    Path(survey_id): Path<i64>,
    CsrfForm(form): CsrfForm,
) -> WebResult<Response> {
    let survey = responses::survey(&state.db, survey_id).await?;
    let interviewers = phone::interviewers(&state.db).await?;
    let chosen = form
        .get("interviewer")
        .parse::<i64>()
        .ok()
        .filter(|id| interviewers.iter().any(|i| i.id == *id));
    let how_many = form.get("how_many").trim().to_owned();
    let limit = match how_many.as_str() {
        "" => Ok(None),
        n => n
            .parse::<u64>()
            .ok()
            .filter(|n| *n >= 1)
            .map(Some)
            .ok_or(()),
    };
    let mut errors = FormErrors::none(ctx.lang);
    if chosen.is_none() {
        errors.list.push(FieldMsg {
            field: "interviewer".to_owned(),
            anchor: "f-interviewer".to_owned(),
            message: ctx.t("phone.manage.choose_interviewer").to_owned(),
        });
    }
    if limit.is_err() {
        errors.list.push(FieldMsg {
            field: "how_many".to_owned(),
            anchor: "f-how_many".to_owned(),
            message: ctx.t("phone.manage.bad_number").to_owned(),
        });
    }
    match (chosen, limit) {
        (Some(id), Ok(limit)) => {
            let n = phone::assign(&state.db, survey.id, id, limit).await?;
            Ok(Redirect::to(&format!(
                "/beheer/enquetes/{survey_id}/bellen?verdeeld={n}&aan={id}"
            ))
            .into_response())
        }
        _ => {
            let selected = form.get("interviewer").to_owned();
            let mut page = render(&state, ctx, survey, &selected).await?;
            page.how_many = how_many;
            page.errors = errors;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

/// The call log as CSV: one row per call, with the member's number (no names or phone
/// numbers), the interviewer, the time, the outcome and its AAPOR code.
pub async fn log(
    State(state): State<AppState>,
    ctx: PageCtx,
    auth: ManagerAuth,
    Path(survey_id): Path<i64>,
) -> WebResult<Response> {
    let survey = responses::survey(&state.db, survey_id).await?;
    let lang = ctx.lang;
    let progress = service::progress(&state.db, survey.id).await?;
    let internal = |e: csv::Error| WebError::Internal(e.to_string());
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record(
            [
                "phone.log.call",
                "phone.log.member",
                "phone.log.interviewer",
                "phone.log.at",
                "phone.log.outcome",
                "phone.log.aapor",
                "phone.log.appointment",
                "phone.log.note",
            ]
            .map(|k| t(lang, k)),
        )
        .map_err(internal)?;
    for (a, member) in &progress.calls {
        let member = member.map(|m| m.to_string()).unwrap_or_default();
        let interviewer = progress
            .interviewers
            .iter()
            .find(|i| Some(i.id) == a.interviewer_id)
            .map(|i| i.name.clone())
            .unwrap_or_default();
        writer
            .write_record([
                a.id.to_string(),
                member,
                super::survey_lists::cell(&interviewer),
                datetime(&a.at),
                t(lang, &a.disposition.i18n_key()).to_owned(),
                a.disposition.aapor().to_owned(),
                a.appointment_at.map(|t| datetime(&t)).unwrap_or_default(),
                super::survey_lists::cell(a.note.as_deref().unwrap_or("")),
            ])
            .map_err(internal)?;
    }
    let body = writer
        .into_inner()
        .map_err(|e| WebError::Internal(e.to_string()))?;
    audit::record(
        &state.db,
        &auth.actor(),
        Action::ExportCallLog,
        None,
        Some(&survey.panel_id),
        &format!(
            "call log (CSV), survey {}: {} calls",
            survey.id,
            progress.calls.len()
        ),
        state.now(),
    )
    .await?;
    Ok((
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"bellog-enquete-{}.csv\"", survey.id),
            ),
        ],
        body,
    )
        .into_response())
}
