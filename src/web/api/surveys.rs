//! `/api/v1/panels/{id}/surveys` and `/api/v1/surveys/{id}`: plan a survey, preview its
//! sample, schedule it, follow the fieldwork, pause, resume and close — the same service
//! calls and checks as the manager pages under `/beheer/enquetes`.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use super::error::{ApiError, ApiResult, ErrorBody, Problem};
use super::extract::{ApiBody, ApiJson, ApiLang, parse_json};
use super::survey_types::{
    ContactListEntry, FieldworkBody, PlanBody, SampleBody, ScheduleBody, SurveyBody,
};
use crate::domain::fieldwork::{
    Closing, Message, Quota, QuotaProblem, Schedule, ScheduleProblem, Size, default_quotas,
};
use crate::domain::ids::{CategoryValue, VariableId};
use crate::domain::panel::PanelDefinition;
use crate::domain::questionnaire::Eligibility;
use crate::domain::response::{Channel, SurveyStatus};
use crate::i18n::{Lang, t};
use crate::service::fieldwork::{self as service, FieldworkError, PlanProblem, SurveyPlan};
use crate::store::entities::survey;
use crate::store::{panels, questionnaires, responses};
use crate::web::auth::ManagerAuth;
use crate::web::state::AppState;

/// How long a survey stays open when the plan names no closing and the questionnaire
/// cannot be read (its own `closes_after_days` is the usual default).
const FALLBACK_OPEN_DAYS: u32 = 14;

/// The last part of an i18n key: `fieldwork.schedule.send_in_past` → `send_in_past`.
fn code_of(key: &str) -> &str {
    key.rsplit('.').next().unwrap_or(key)
}

/// Where in the plan body a problem of the service lies.
fn plan_path(problem: &PlanProblem) -> String {
    match problem {
        PlanProblem::EmptyTitle => "$.title".to_owned(),
        PlanProblem::NotPublished => "$.version_id".to_owned(),
        PlanProblem::UnknownEligibility { variable, .. } => format!("$.eligibility.{variable}"),
        PlanProblem::Schedule(ScheduleProblem::SendInPast { .. }) => "$.send_at".to_owned(),
        PlanProblem::Schedule(ScheduleProblem::ClosesBeforeSend { .. }) => "$.closes_at".to_owned(),
        PlanProblem::Schedule(_) => "$.reminder_after_days".to_owned(),
        PlanProblem::Quota(_) => "$.quotas".to_owned(),
        PlanProblem::NotDraft => "$".to_owned(),
    }
}

fn plan_problem(lang: Lang, problem: &PlanProblem) -> Problem {
    Problem::new(
        plan_path(problem),
        code_of(problem.key()),
        problem.message(lang),
    )
}

fn not_draft(lang: Lang) -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        "not_draft",
        t(lang, "survey_plan.not_draft"),
    )
}

/// 422 with every problem of a plan; 409 when the survey is no longer a draft.
fn refused(lang: Lang, problems: &[PlanProblem]) -> ApiError {
    if problems.contains(&PlanProblem::NotDraft) {
        return not_draft(lang);
    }
    ApiError::invalid(
        lang,
        "api.error.validation",
        problems.iter().map(|p| plan_problem(lang, p)).collect(),
    )
}

fn fieldwork_error(lang: Lang, e: FieldworkError) -> ApiError {
    match e {
        FieldworkError::Plan(problems) => refused(lang, &problems),
        FieldworkError::Store(e) => e.into(),
    }
}

/// The plan a body describes. Identifiers that cannot be background variables or
/// categories are refused here; whether the panel knows them is the service's check.
async fn plan_from(
    state: &AppState,
    lang: Lang,
    panel: &PanelDefinition,
    body: PlanBody,
) -> ApiResult<SurveyPlan> {
    let mut problems = Vec::new();
    let mut eligibility = Eligibility::new();
    for (variable, categories) in &body.eligibility {
        let Ok(v) = VariableId::parse(variable) else {
            problems.push(Problem::new(
                format!("$.eligibility.{variable}"),
                "unknown_variable",
                t(lang, "api.survey.bad_id"),
            ));
            continue;
        };
        let mut values = Vec::new();
        for (i, c) in categories.iter().enumerate() {
            match CategoryValue::parse(c) {
                Ok(c) => values.push(c),
                Err(_) => problems.push(Problem::new(
                    format!("$.eligibility.{variable}[{i}]"),
                    "unknown_category",
                    t(lang, "api.survey.bad_id"),
                )),
            }
        }
        eligibility.insert(v, values);
    }
    let size = body.sample_size.map_or(Size::All, Size::N);
    let quotas = match body.quotas {
        Some(quotas) => {
            let mut out = Vec::new();
            for (i, q) in quotas.into_iter().enumerate() {
                match (
                    VariableId::parse(&q.variable),
                    CategoryValue::parse(&q.category),
                ) {
                    (Ok(variable), Ok(category)) => out.push(Quota {
                        variable,
                        category,
                        min: q.min,
                        target: q.target,
                        max: q.max,
                    }),
                    _ => problems.push(Problem::new(
                        format!("$.quotas[{i}]"),
                        "unknown_category",
                        t(lang, "api.survey.bad_id"),
                    )),
                }
            }
            out
        }
        None if body.quota_variables.is_empty() => Vec::new(),
        None => {
            let variables: Result<Vec<VariableId>, _> = body
                .quota_variables
                .iter()
                .map(|v| VariableId::parse(v))
                .collect();
            let n = match size {
                Size::N(n) => n,
                Size::All => {
                    service::eligible_count(&state.db, panel, &eligibility, state.now()).await?
                }
            };
            match variables.map(|vs| default_quotas(panel, &eligibility, &vs, n)) {
                Ok(Ok(quotas)) => quotas,
                Ok(Err(problem)) => {
                    problems.push(quota_variables_problem(lang, &problem));
                    Vec::new()
                }
                Err(_) => {
                    problems.push(Problem::new(
                        "$.quota_variables",
                        "unknown_variable",
                        t(lang, "api.survey.bad_id"),
                    ));
                    Vec::new()
                }
            }
        }
    };
    let closing = match (body.closes_at, body.closes_after_days) {
        (Some(_), Some(_)) => {
            problems.push(Problem::new(
                "$.closes_after_days",
                "two_closings",
                t(lang, "api.survey.two_closings"),
            ));
            Closing::AfterDays(FALLBACK_OPEN_DAYS)
        }
        (Some(at), None) => Closing::At(at),
        (None, Some(days)) => Closing::AfterDays(days),
        (None, None) => Closing::AfterDays(own_open_days(state, body.version_id).await),
    };
    if !problems.is_empty() {
        return Err(ApiError::invalid(lang, "api.error.validation", problems));
    }
    Ok(SurveyPlan {
        title: body.title,
        version_id: body.version_id,
        eligibility,
        size,
        quotas,
        seed: body
            .seed
            .map_or_else(|| u64::from(rand::random::<u32>()), u64::from),
        schedule: Schedule {
            send_at: body.send_at,
            reminder_after_days: body.reminder_after_days,
            closing,
        },
    })
}

fn quota_variables_problem(lang: Lang, problem: &QuotaProblem) -> Problem {
    Problem::new(
        "$.quota_variables",
        code_of(problem.key()),
        problem.message(lang),
    )
}

/// The questionnaire's own `closes_after_days`, when its version can be read.
async fn own_open_days(state: &AppState, version_id: i64) -> u32 {
    match questionnaires::version(&state.db, version_id).await {
        Ok(v) => questionnaires::parsed(&v).map_or(FALLBACK_OPEN_DAYS, |q| q.closes_after_days),
        Err(_) => FALLBACK_OPEN_DAYS,
    }
}

fn body_of(s: &survey::Model) -> ApiResult<SurveyBody> {
    Ok(SurveyBody::new(s, &service::plan_of(s)?))
}

/// List a panel's surveys, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/panels/{id}/surveys",
    operation_id = "listSurveys",
    tag = "surveys",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The panel's id")),
    responses(
        (status = 200, description = "The panel's surveys", body = [SurveyBody]),
        (status = 401, description = "No valid API key", body = ErrorBody),
        (status = 404, description = "No such panel", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    _auth: ManagerAuth,
    Path(panel_id): Path<String>,
) -> ApiResult<Json<Vec<SurveyBody>>> {
    panels::get(&state.db, &panel_id).await?;
    let surveys = responses::surveys(&state.db, &panel_id).await?;
    Ok(Json(surveys.iter().map(body_of).collect::<ApiResult<_>>()?))
}

/// Plan a survey (a draft: nothing is sent until it is scheduled).
///
/// Every problem is named with its JSON path: an unpublished version, unknown
/// background variables or categories, a send time in the past, quotas that cannot
/// hold. Nothing is stored then.
#[utoipa::path(
    post,
    path = "/api/v1/panels/{id}/surveys",
    operation_id = "createSurvey",
    tag = "surveys",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The panel's id")),
    request_body(content = PlanBody, content_type = "application/json"),
    responses(
        (status = 201, description = "The draft survey", body = SurveyBody),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "No valid API key", body = ErrorBody),
        (status = 404, description = "No such panel", body = ErrorBody),
        (status = 415, description = "The body is not sent as JSON", body = ErrorBody),
        (status = 422, description = "The plan has problems", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    auth: ManagerAuth,
    Path(panel_id): Path<String>,
    ApiJson(body): ApiJson<PlanBody>,
) -> ApiResult<(StatusCode, Json<SurveyBody>)> {
    let panel = panels::get(&state.db, &panel_id).await?;
    let plan = plan_from(&state, lang, &panel, body).await?;
    let s = service::create(&state.db, &panel, &plan, Some(auth.0.id), state.now())
        .await
        .map_err(|e| fieldwork_error(lang, e))?;
    Ok((StatusCode::CREATED, Json(body_of(&s)?)))
}

/// A survey with its plan and status.
#[utoipa::path(
    get,
    path = "/api/v1/surveys/{id}",
    operation_id = "getSurvey",
    tag = "surveys",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The survey's id")),
    responses(
        (status = 200, description = "The survey", body = SurveyBody),
        (status = 401, description = "No valid API key", body = ErrorBody),
        (status = 404, description = "No such survey", body = ErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    _auth: ManagerAuth,
    Path(id): Path<i64>,
) -> ApiResult<Json<SurveyBody>> {
    let s = responses::survey(&state.db, id).await?;
    Ok(Json(body_of(&s)?))
}

/// Change a draft's plan (the whole plan, as when creating).
#[utoipa::path(
    put,
    path = "/api/v1/surveys/{id}",
    operation_id = "updateSurvey",
    tag = "surveys",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The survey's id")),
    request_body(content = PlanBody, content_type = "application/json"),
    responses(
        (status = 200, description = "The changed draft", body = SurveyBody),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "No valid API key", body = ErrorBody),
        (status = 404, description = "No such survey", body = ErrorBody),
        (status = 409, description = "The survey is no longer a draft", body = ErrorBody),
        (status = 415, description = "The body is not sent as JSON", body = ErrorBody),
        (status = 422, description = "The plan has problems", body = ErrorBody),
    )
)]
pub async fn update(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    _auth: ManagerAuth,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<PlanBody>,
) -> ApiResult<Json<SurveyBody>> {
    let s = responses::survey(&state.db, id).await?;
    if s.status != SurveyStatus::Draft {
        return Err(not_draft(lang));
    }
    let panel = panels::get(&state.db, &s.panel_id).await?;
    let plan = plan_from(&state, lang, &panel, body).await?;
    service::update(&state.db, &panel, id, &plan, state.now())
        .await
        .map_err(|e| fieldwork_error(lang, e))?;
    let s = responses::survey(&state.db, id).await?;
    Ok(Json(body_of(&s)?))
}

/// The sample a draft would draw now: per quota category what is needed, available and
/// picked, shortfalls in words, and who is left out and why, as counts.
#[utoipa::path(
    get,
    path = "/api/v1/surveys/{id}/sample",
    operation_id = "previewSample",
    tag = "surveys",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The survey's id")),
    responses(
        (status = 200, description = "The sample as it would be drawn now", body = SampleBody),
        (status = 401, description = "No valid API key", body = ErrorBody),
        (status = 404, description = "No such survey", body = ErrorBody),
        (status = 409, description = "Already scheduled: the sample was drawn then", body = ErrorBody),
    )
)]
pub async fn sample(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    _auth: ManagerAuth,
    Path(id): Path<i64>,
) -> ApiResult<Json<SampleBody>> {
    let s = responses::survey(&state.db, id).await?;
    if s.status != SurveyStatus::Draft {
        return Err(not_draft(lang));
    }
    let panel = panels::get(&state.db, &s.panel_id).await?;
    let outcome = service::preview(&state.db, &panel, &s).await?;
    Ok(Json(SampleBody::new(&outcome, lang)))
}

/// A survey just scheduled, with the sample drawn.
#[derive(Debug, Serialize, ToSchema)]
pub struct Scheduled {
    pub survey: SurveyBody,
    pub sample: SampleBody,
}

/// Schedule a draft: draw the sample and plan the invitations (email, call list or
/// print run by each member's preference), the reminder and the closing.
///
/// A send time that has passed is refused (`send_at`, `send_in_past`); send
/// `{"send_now": true}` to send now instead. The body may be left out.
#[utoipa::path(
    post,
    path = "/api/v1/surveys/{id}/schedule",
    operation_id = "scheduleSurvey",
    tag = "surveys",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The survey's id")),
    request_body(content = ScheduleBody, content_type = "application/json"),
    responses(
        (status = 200, description = "Scheduled", body = Scheduled),
        (status = 401, description = "No valid API key", body = ErrorBody),
        (status = 404, description = "No such survey", body = ErrorBody),
        (status = 409, description = "The survey is no longer a draft", body = ErrorBody),
        (status = 415, description = "The body is not sent as JSON", body = ErrorBody),
        (status = 422, description = "The plan has problems now", body = ErrorBody),
    )
)]
pub async fn schedule(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    _auth: ManagerAuth,
    Path(id): Path<i64>,
    ApiBody(bytes): ApiBody,
) -> ApiResult<Json<Scheduled>> {
    let body: ScheduleBody = if bytes.iter().all(u8::is_ascii_whitespace) {
        ScheduleBody::default()
    } else {
        parse_json(lang, &bytes)?
    };
    let (db, now) = (&state.db, state.now());
    let s = responses::survey(db, id).await?;
    if s.status != SurveyStatus::Draft {
        return Err(not_draft(lang));
    }
    let panel = panels::get(db, &s.panel_id).await?;
    if body.send_now {
        let mut plan = service::plan_of(&s)?;
        plan.schedule.send_at = now;
        plan.schedule.closing = Closing::At(s.closes_at);
        service::update(db, &panel, s.id, &plan, now)
            .await
            .map_err(|e| fieldwork_error(lang, e))?;
    }
    let outcome = service::schedule(db, &panel, s.id, now)
        .await
        .map_err(|e| fieldwork_error(lang, e))?;
    let s = responses::survey(db, id).await?;
    Ok(Json(Scheduled {
        survey: body_of(&s)?,
        sample: SampleBody::new(&outcome, lang),
    }))
}

/// The answer to pause, resume and close: the survey, or 409 when its state does not
/// allow the change.
async fn changed(state: &AppState, lang: Lang, id: i64, done: bool) -> ApiResult<Response> {
    let s = responses::survey(&state.db, id).await?;
    if !done {
        let message = t(lang, "api.survey.state_refused");
        return Ok(ApiError::new(StatusCode::CONFLICT, "state", message).into_response());
    }
    Ok(Json(body_of(&s)?).into_response())
}

/// Pause: no invitation or reminder goes out and links show a kind page, until resumed.
#[utoipa::path(
    post,
    path = "/api/v1/surveys/{id}/pause",
    operation_id = "pauseSurvey",
    tag = "surveys",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The survey's id")),
    responses(
        (status = 200, description = "Paused", body = SurveyBody),
        (status = 401, description = "No valid API key", body = ErrorBody),
        (status = 404, description = "No such survey", body = ErrorBody),
        (status = 409, description = "Only a scheduled or open survey can be paused", body = ErrorBody),
    )
)]
pub async fn pause(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    _auth: ManagerAuth,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    responses::survey(&state.db, id).await?;
    let done = service::pause(&state.db, id, state.now()).await?;
    changed(&state, lang, id, done).await
}

/// Resume a paused survey: what was still planned goes out, reminders follow.
#[utoipa::path(
    post,
    path = "/api/v1/surveys/{id}/resume",
    operation_id = "resumeSurvey",
    tag = "surveys",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The survey's id")),
    responses(
        (status = 200, description = "Open again", body = SurveyBody),
        (status = 401, description = "No valid API key", body = ErrorBody),
        (status = 404, description = "No such survey", body = ErrorBody),
        (status = 409, description = "Only a paused survey before its closing can be resumed", body = ErrorBody),
    )
)]
pub async fn resume(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    _auth: ManagerAuth,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    responses::survey(&state.db, id).await?;
    let done = service::resume(&state.db, id, state.now()).await?;
    changed(&state, lang, id, done).await
}

/// Close now: links show a kind "closed" page; what was still planned is not sent.
#[utoipa::path(
    post,
    path = "/api/v1/surveys/{id}/close",
    operation_id = "closeSurvey",
    tag = "surveys",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The survey's id")),
    responses(
        (status = 200, description = "Closed", body = SurveyBody),
        (status = 401, description = "No valid API key", body = ErrorBody),
        (status = 404, description = "No such survey", body = ErrorBody),
        (status = 409, description = "Already closed", body = ErrorBody),
    )
)]
pub async fn close(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    _auth: ManagerAuth,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    responses::survey(&state.db, id).await?;
    let done = service::close(&state.db, id, state.now()).await?;
    changed(&state, lang, id, done).await
}

/// The live fieldwork figures: invitations by state and channel, opened, started,
/// finished, the response rate, quota status per category and mail problems.
#[utoipa::path(
    get,
    path = "/api/v1/surveys/{id}/fieldwork",
    operation_id = "getFieldwork",
    tag = "surveys",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The survey's id")),
    responses(
        (status = 200, description = "The fieldwork figures", body = FieldworkBody),
        (status = 401, description = "No valid API key", body = ErrorBody),
        (status = 404, description = "No such survey", body = ErrorBody),
    )
)]
pub async fn fieldwork(
    State(state): State<AppState>,
    _auth: ManagerAuth,
    Path(id): Path<i64>,
) -> ApiResult<Json<FieldworkBody>> {
    let s = responses::survey(&state.db, id).await?;
    let d = service::dashboard(&state.db, &s).await?;
    Ok(Json(FieldworkBody::new(&s, &d)))
}

/// The members to call, or to post the questionnaire to (audited by the service).
async fn contact_list(
    state: &AppState,
    auth: &ManagerAuth,
    id: i64,
    channel: Channel,
) -> ApiResult<Json<Vec<ContactListEntry>>> {
    let s = responses::survey(&state.db, id).await?;
    let members =
        service::contact_list(&state.db, &auth.actor(), &s, channel, "API", state.now()).await?;
    let entries = members
        .into_iter()
        .map(|m| ContactListEntry {
            member_id: m.id,
            name: m.name,
            contact: match channel {
                Channel::Phone => m.phone,
                _ => m.address,
            },
        })
        .collect();
    Ok(Json(entries))
}

/// The call list: members who prefer phone, with their phone numbers (audited).
#[utoipa::path(
    get,
    path = "/api/v1/surveys/{id}/call-list",
    operation_id = "getCallList",
    tag = "surveys",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The survey's id")),
    responses(
        (status = 200, description = "Members to call", body = [ContactListEntry]),
        (status = 401, description = "No valid API key", body = ErrorBody),
        (status = 404, description = "No such survey", body = ErrorBody),
    )
)]
pub async fn call_list(
    State(state): State<AppState>,
    auth: ManagerAuth,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<ContactListEntry>>> {
    contact_list(&state, &auth, id, Channel::Phone).await
}

/// The print run: members who prefer post, with their addresses (audited).
#[utoipa::path(
    get,
    path = "/api/v1/surveys/{id}/print-run",
    operation_id = "getPrintRun",
    tag = "surveys",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The survey's id")),
    responses(
        (status = 200, description = "Members to post the questionnaire to", body = [ContactListEntry]),
        (status = 401, description = "No valid API key", body = ErrorBody),
        (status = 404, description = "No such survey", body = ErrorBody),
    )
)]
pub async fn print_run(
    State(state): State<AppState>,
    auth: ManagerAuth,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<ContactListEntry>>> {
    contact_list(&state, &auth, id, Channel::Post).await
}
