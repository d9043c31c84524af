//! `/api/v1/surveys/{id}/calls` and `…/call-assignments`: the phone fallback as the
//! manager's page shows it — progress per interviewer, outcomes with their AAPOR codes,
//! the call log (audited) — and putting members of the call list on an interviewer's
//! list.

use axum::Json;
use axum::extract::{Path, State};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::error::{ApiError, ApiResult, ErrorBody, Problem};
use super::extract::{ApiJson, ApiLang};
use crate::i18n::t;
use crate::service::phone as service;
use crate::store::audit::{self, Action};
use crate::store::{phone, responses};
use crate::web::auth::ManagerAuth;
use crate::web::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct InterviewerBody {
    pub id: i64,
    pub name: String,
    /// Members on their list.
    pub members: u64,
    /// Calls made.
    pub calls: u64,
    pub complete: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OutcomeBody {
    /// `complete`, `partial`, `refusal`, `break_off`, `no_answer`, `busy`,
    /// `answering_machine`, `wrong_number`, `appointment`, `not_eligible`, `other`.
    pub outcome: String,
    /// The AAPOR disposition code, e.g. `1.1`.
    pub aapor: String,
    pub count: u64,
}

/// One call. Names and phone numbers are not in the log.
#[derive(Debug, Serialize, ToSchema)]
pub struct CallBody {
    pub id: i64,
    pub member_id: Option<i64>,
    pub interviewer_id: Option<i64>,
    pub at: DateTime<Utc>,
    pub outcome: String,
    pub aapor: String,
    pub appointment_at: Option<DateTime<Utc>>,
    pub note: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CallsBody {
    /// Members on the survey's call list.
    pub total: u64,
    /// Of those, not on any interviewer's list yet.
    pub unassigned: u64,
    pub interviewers: Vec<InterviewerBody>,
    pub outcomes: Vec<OutcomeBody>,
    /// Every call, oldest first.
    pub calls: Vec<CallBody>,
}

/// The calling of a survey: progress, outcomes and the call log (audited).
#[utoipa::path(
    get,
    path = "/api/v1/surveys/{id}/calls",
    operation_id = "getCalls",
    tag = "surveys",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The survey's id")),
    responses(
        (status = 200, description = "Progress, outcomes and every call", body = CallsBody),
        (status = 401, description = "No valid API key", body = ErrorBody),
        (status = 404, description = "No such survey", body = ErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    auth: ManagerAuth,
    Path(id): Path<i64>,
) -> ApiResult<Json<CallsBody>> {
    let survey = responses::survey(&state.db, id).await?;
    let p = service::progress(&state.db, survey.id).await?;
    audit::record(
        &state.db,
        &auth.actor(),
        Action::ExportCallLog,
        None,
        Some(&survey.panel_id),
        &format!(
            "call log (API), survey {}: {} calls",
            survey.id,
            p.calls.len()
        ),
        state.now(),
    )
    .await?;
    Ok(Json(CallsBody {
        total: p.total,
        unassigned: p.unassigned,
        interviewers: p
            .interviewers
            .into_iter()
            .map(|i| InterviewerBody {
                id: i.id,
                name: i.name,
                members: i.members,
                calls: i.calls,
                complete: i.complete,
            })
            .collect(),
        outcomes: p
            .outcomes
            .iter()
            .map(|(d, n)| OutcomeBody {
                outcome: d.code().to_owned(),
                aapor: d.aapor().to_owned(),
                count: *n,
            })
            .collect(),
        calls: p
            .calls
            .into_iter()
            .map(|(a, member_id)| CallBody {
                id: a.id,
                member_id,
                interviewer_id: a.interviewer_id,
                at: a.at,
                outcome: a.disposition.code().to_owned(),
                aapor: a.disposition.aapor().to_owned(),
                appointment_at: a.appointment_at,
                note: a.note,
            })
            .collect(),
    }))
}

/// Members of the call list to put on an interviewer's list.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignBody {
    pub interviewer_id: i64,
    /// How many; absent: everyone not on a list yet.
    #[serde(default)]
    pub count: Option<u64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Assigned {
    pub assigned: u64,
}

/// Put members of the call list who are on nobody's list yet on an interviewer's list.
#[utoipa::path(
    post,
    path = "/api/v1/surveys/{id}/call-assignments",
    operation_id = "assignCalls",
    tag = "surveys",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The survey's id")),
    request_body(content = AssignBody, content_type = "application/json"),
    responses(
        (status = 200, description = "How many were put on the list", body = Assigned),
        (status = 401, description = "No valid API key", body = ErrorBody),
        (status = 404, description = "No such survey", body = ErrorBody),
        (status = 415, description = "The body is not sent as JSON", body = ErrorBody),
        (status = 422, description = "No such interviewer, or a count of 0", body = ErrorBody),
    )
)]
pub async fn assign(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    _auth: ManagerAuth,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<AssignBody>,
) -> ApiResult<Json<Assigned>> {
    let survey = responses::survey(&state.db, id).await?;
    let mut problems = Vec::new();
    let interviewers = phone::interviewers(&state.db).await?;
    if !interviewers.iter().any(|i| i.id == body.interviewer_id) {
        problems.push(Problem::new(
            "$.interviewer_id",
            "unknown_interviewer",
            t(lang, "phone.manage.choose_interviewer"),
        ));
    }
    if body.count == Some(0) {
        problems.push(Problem::new(
            "$.count",
            "count",
            t(lang, "phone.manage.bad_number"),
        ));
    }
    if !problems.is_empty() {
        return Err(ApiError::invalid(lang, "api.error.validation", problems));
    }
    let assigned = phone::assign(&state.db, survey.id, body.interviewer_id, body.count).await?;
    Ok(Json(Assigned { assigned }))
}
