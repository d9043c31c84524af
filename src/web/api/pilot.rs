//! `/api/v1/questionnaire-versions/{id}/pilot-links` and `/api/v1/pilot-links/{id}`:
//! links that let an outsider try a version as members see it (answers kept apart) —
//! make one (its address is shown once), list them, revoke one at once.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;

use super::error::{ApiError, ApiResult, ErrorBody, Problem};
use super::extract::{ApiJson, ApiLang};
use super::questionnaire_types::{CreatedPilotLink, NewPilotLink, PilotLink};
use crate::i18n::t;
use crate::service::questionnaires as review;
use crate::store::questionnaires;
use crate::web::auth::ManagerAuth;
use crate::web::state::AppState;

/// Make a pilot link for a version; it works for 30 days unless revoked.
#[utoipa::path(
    post,
    path = "/api/v1/questionnaire-versions/{id}/pilot-links",
    operation_id = "createPilotLink",
    tag = "pilot",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The version's id")),
    request_body(content = NewPilotLink, content_type = "application/json"),
    responses(
        (status = 201, description = "The link, with its address (shown only now)", body = CreatedPilotLink),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "No valid API key", body = ErrorBody),
        (status = 404, description = "No such version", body = ErrorBody),
        (status = 415, description = "The body is not sent as JSON", body = ErrorBody),
        (status = 422, description = "The label is empty or too long, or the body has unknown fields", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    auth: ManagerAuth,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<NewPilotLink>,
) -> ApiResult<(StatusCode, Json<CreatedPilotLink>)> {
    let Some(label) = review::pilot_label(&body.label) else {
        let message = t(lang, "questionnaire.pilot.label_needed");
        return Err(ApiError::invalid(
            lang,
            "api.error.validation",
            vec![Problem::new("$.label", "label", message)],
        ));
    };
    let base_url = &state.config.base_url;
    let (link, url) =
        review::create_pilot_link(&state.db, base_url, id, label, auth.0.id, state.now()).await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedPilotLink {
            link: link.into(),
            url,
        }),
    ))
}

/// List a version's pilot links, newest first (without their addresses).
#[utoipa::path(
    get,
    path = "/api/v1/questionnaire-versions/{id}/pilot-links",
    operation_id = "listPilotLinks",
    tag = "pilot",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The version's id")),
    responses(
        (status = 200, description = "The version's pilot links, revoked ones too", body = [PilotLink]),
        (status = 401, description = "No valid API key", body = ErrorBody),
        (status = 404, description = "No such version", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    _auth: ManagerAuth,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<PilotLink>>> {
    questionnaires::version(&state.db, id).await?;
    let links = questionnaires::pilot_links(&state.db, id).await?;
    Ok(Json(links.into_iter().map(PilotLink::from).collect()))
}

/// Revoke a pilot link: it opens nothing from the next request on, and pilot sessions
/// started with it end.
#[utoipa::path(
    delete,
    path = "/api/v1/pilot-links/{id}",
    operation_id = "revokePilotLink",
    tag = "pilot",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The pilot link's id")),
    responses(
        (status = 204, description = "The link is revoked"),
        (status = 401, description = "No valid API key", body = ErrorBody),
        (status = 404, description = "No such pilot link", body = ErrorBody),
    )
)]
pub async fn revoke(
    State(state): State<AppState>,
    _auth: ManagerAuth,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    questionnaires::revoke_pilot_link(&state.db, id, state.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}
