//! `/api/v1/questionnaire-versions/{id}/acceptances` and `…/publish`: accept findings
//! (with a reason), and publish a version once no finding is open — as on the manager
//! page.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::error::{ApiError, ApiResult, ErrorBody, Problem};
use super::extract::{ApiJson, ApiLang};
use super::questionnaire_types::{AcceptFindings, Accepted, PublishRefused, Version};
use crate::i18n::{t, tf};
use crate::service::questionnaires::{self as review, PublishRefusal};
use crate::store::questionnaires;
use crate::web::auth::ManagerAuth;
use crate::web::state::AppState;

/// Accept findings of a version: you looked at them and the text is fine as it is.
///
/// Keys that are not findings of this version are ignored (and counted as such), so a
/// stale list cannot accept something else. Accepting a finding again keeps the first
/// acceptance.
#[utoipa::path(
    post,
    path = "/api/v1/questionnaire-versions/{id}/acceptances",
    operation_id = "acceptFindings",
    tag = "questionnaires",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The version's id")),
    request_body(content = AcceptFindings, content_type = "application/json"),
    responses(
        (status = 200, description = "What was accepted, and what is still open", body = Accepted),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "No valid API key", body = ErrorBody),
        (status = 404, description = "No such version", body = ErrorBody),
        (status = 415, description = "The body is not sent as JSON", body = ErrorBody),
        (status = 422, description = "No keys, or the body has unknown fields", body = ErrorBody),
    )
)]
pub async fn accept(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    auth: ManagerAuth,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<AcceptFindings>,
) -> ApiResult<Json<Accepted>> {
    let v = questionnaires::version(&state.db, id).await?;
    if body.keys.is_empty() {
        let message = t(lang, "questionnaire.review.choose");
        return Err(ApiError::invalid(
            lang,
            "api.error.validation",
            vec![Problem::new("$.keys", "keys", message)],
        ));
    }
    let keys: Vec<&str> = body.keys.iter().map(String::as_str).collect();
    let reason = body
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    let now = state.now();
    let accepted = review::accept(&state.db, &v, &keys, auth.0.id, reason, lang, now).await?;
    let acceptances = questionnaires::acceptances(&state.db, v.id).await?;
    Ok(Json(Accepted {
        accepted,
        ignored: keys.len() - accepted,
        open: review::review(&v, &acceptances, lang).open(),
    }))
}

/// Publish a version. From then on it never changes and can be sent to members.
///
/// Refused while any finding is open, and for a version already published.
#[utoipa::path(
    post,
    path = "/api/v1/questionnaire-versions/{id}/publish",
    operation_id = "publishQuestionnaireVersion",
    tag = "questionnaires",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The version's id")),
    responses(
        (status = 200, description = "Published", body = Version),
        (status = 401, description = "No valid API key", body = ErrorBody),
        (status = 404, description = "No such version", body = ErrorBody),
        (status = 409, description = "Not published: findings are open, the panel changed and the version no longer fits it, or it already was", body = PublishRefused),
    )
)]
pub async fn publish(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    auth: ManagerAuth,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    let v = questionnaires::version(&state.db, id).await?;
    let body = match review::publish(&state.db, &v, auth.0.id, lang, state.now()).await? {
        Ok(()) => {
            let published = questionnaires::version(&state.db, id).await?;
            return Ok(Json(Version::from(published)).into_response());
        }
        Err(PublishRefusal::OpenFindings(n)) => PublishRefused {
            error: "open_findings".to_owned(),
            message: tf(lang, "questionnaire.review.open_findings", &[("n", &n)]),
            open_findings: Some(n),
            problems: Vec::new(),
        },
        Err(PublishRefusal::AlreadyPublished) => PublishRefused {
            error: "already_published".to_owned(),
            message: t(lang, "api.error.already_published").to_owned(),
            open_findings: None,
            problems: Vec::new(),
        },
        Err(PublishRefusal::PanelMismatch(problems)) => PublishRefused {
            error: "panel_mismatch".to_owned(),
            message: t(lang, "questionnaire.review.panel_mismatch").to_owned(),
            open_findings: None,
            problems: problems.iter().map(Problem::in_file).collect(),
        },
    };
    Ok((StatusCode::CONFLICT, Json(body)).into_response())
}
