//! `/api/v1/client/…`: the API for outside organisations (*opdrachtgevers*), with an API
//! key the panel manager made for them (`kbc_…`, stored only as a hash, scoped,
//! revocable at once). A client reaches only its own requests — another client's is
//! "not found" — and only aggregate figures with small counts hidden.

use axum::Json;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;

use super::client_types::{ClientReport, ClientRequest, NewClientRequest};
use super::error::{ApiError, ApiResult, ErrorBody, Problem};
use super::extract::{ApiJson, ApiLang};
use crate::domain::client_access::{Scope, Scopes};
use crate::domain::fieldwork::ZONE;
use crate::domain::signup::FieldError;
use crate::i18n::{Lang, t, tf};
use crate::service::clients::{self, ReportError};
use crate::store::client_tokens;
use crate::store::entities::{client, client_request};
use crate::web::auth::bearer;
use crate::web::error::WebError;
use crate::web::state::AppState;

/// The name of the client API's security scheme.
pub const CLIENT_SCHEME: &str = "client_bearer";

/// An outside organisation, by its API key, with what the key may do.
pub struct ClientAuth {
    pub client: client::Model,
    pub scopes: Scopes,
}

impl FromRequestParts<AppState> for ClientAuth {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        let secret = bearer(parts).ok_or(WebError::Unauthorized)?;
        let (client, scopes) = client_tokens::authenticate(&state.db, secret, state.now())
            .await?
            .ok_or(WebError::Unauthorized)?;
        Ok(ClientAuth { client, scopes })
    }
}

impl ClientAuth {
    /// 403 naming the scope when the key may not do this.
    fn require(&self, lang: Lang, scope: Scope) -> ApiResult<()> {
        if self.scopes.allows(scope) {
            return Ok(());
        }
        Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "insufficient_scope",
            tf(lang, "api.client.scope", &[("scope", &scope.code())]),
        ))
    }
}

fn not_found(lang: Lang) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        t(lang, "api.client.not_found"),
    )
}

fn store_error(lang: Lang, e: crate::store::StoreError) -> ApiError {
    match e {
        crate::store::StoreError::NotFound => not_found(lang),
        other => ApiError::store(lang, other),
    }
}

/// The request form's field as the JSON body names it.
fn body_path(field: &str) -> String {
    match field {
        "budget" => "$.budget_euros".to_owned(),
        other => format!("$.{other}"),
    }
}

fn problems(lang: Lang, errors: &[FieldError]) -> Vec<Problem> {
    errors
        .iter()
        .map(|e| {
            let code = e.key.rsplit('.').next().unwrap_or(e.key);
            Problem::new(body_path(&e.field), code, t(lang, e.key))
        })
        .collect()
}

/// Whether the request's report can be fetched now.
async fn report_ready(state: &AppState, r: &client_request::Model) -> ApiResult<bool> {
    Ok(clients::closed_survey(&state.db, r).await?.is_some())
}

/// Your organisation's requests, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/client/requests",
    operation_id = "listClientRequests",
    tag = "client",
    security(("client_bearer" = ["requests:read"])),
    responses(
        (status = 200, description = "Your requests with their history", body = [ClientRequest]),
        (status = 401, description = "No valid API key", body = ErrorBody),
        (status = 403, description = "The key lacks the scope requests:read", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    auth: ClientAuth,
) -> ApiResult<Json<Vec<ClientRequest>>> {
    auth.require(lang, Scope::RequestsRead)?;
    let mut out = Vec::new();
    for (r, events) in clients::requests(&state.db, &auth.client).await? {
        let ready = report_ready(&state, &r).await?;
        out.push(ClientRequest::new(r, events, ready));
    }
    Ok(Json(out))
}

/// One of your requests.
#[utoipa::path(
    get,
    path = "/api/v1/client/requests/{id}",
    operation_id = "getClientRequest",
    tag = "client",
    security(("client_bearer" = ["requests:read"])),
    params(("id" = i64, Path, description = "The request's id")),
    responses(
        (status = 200, description = "The request with its history", body = ClientRequest),
        (status = 401, description = "No valid API key", body = ErrorBody),
        (status = 403, description = "The key lacks the scope requests:read", body = ErrorBody),
        (status = 404, description = "No request of yours with this id", body = ErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    auth: ClientAuth,
    Path(id): Path<i64>,
) -> ApiResult<Json<ClientRequest>> {
    auth.require(lang, Scope::RequestsRead)?;
    let r = clients::request(&state.db, auth.client.id, id)
        .await
        .map_err(|e| store_error(lang, e))?;
    let events = crate::store::client_requests::events(&state.db, r.id).await?;
    let ready = report_ready(&state, &r).await?;
    Ok(Json(ClientRequest::new(r, events, ready)))
}

/// Ask the panel to run a survey for your organisation. The panel manager reviews it
/// against the panel's mission; every change of state is emailed to the contact person.
#[utoipa::path(
    post,
    path = "/api/v1/client/requests",
    operation_id = "createClientRequest",
    tag = "client",
    security(("client_bearer" = ["requests:write"])),
    request_body = NewClientRequest,
    responses(
        (status = 201, description = "The request, as received", body = ClientRequest),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "No valid API key", body = ErrorBody),
        (status = 403, description = "The key lacks the scope requests:write", body = ErrorBody),
        (status = 415, description = "The body is not declared as JSON", body = ErrorBody),
        (status = 422, description = "Every problem with the request, by JSON path", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    auth: ClientAuth,
    ApiJson(body): ApiJson<NewClientRequest>,
) -> ApiResult<(StatusCode, Json<ClientRequest>)> {
    auth.require(lang, Scope::RequestsWrite)?;
    let now = state.now();
    let today = now.with_timezone(&ZONE).date_naive();
    let saved = clients::submit(&state.db, &auth.client, body.into_form(), today, now).await?;
    let r = saved.map_err(|errors| {
        ApiError::invalid(lang, "api.client.invalid_request", problems(lang, &errors))
    })?;
    let events = crate::store::client_requests::events(&state.db, r.id).await?;
    Ok((
        StatusCode::CREATED,
        Json(ClientRequest::new(r, events, false)),
    ))
}

/// The aggregate results of the survey run for one of your requests, once its
/// fieldwork has closed. Every figure resting on fewer people than the panel's
/// `min_cell_size` is `null`, with the counts needed to work it out hidden too; no
/// names, contact data or open answers.
#[utoipa::path(
    get,
    path = "/api/v1/client/requests/{id}/report",
    operation_id = "getClientReport",
    tag = "client",
    security(("client_bearer" = ["reports:read"])),
    params(("id" = i64, Path, description = "The request's id")),
    responses(
        (status = 200, description = "The figures", body = ClientReport),
        (status = 401, description = "No valid API key", body = ErrorBody),
        (status = 403, description = "The key lacks the scope reports:read", body = ErrorBody),
        (status = 404, description = "No request of yours with this id", body = ErrorBody),
        (status = 409, description = "No results yet: the fieldwork has not closed", body = ErrorBody),
    )
)]
pub async fn report(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    auth: ClientAuth,
    Path(id): Path<i64>,
) -> ApiResult<Json<ClientReport>> {
    auth.require(lang, Scope::ReportsRead)?;
    match clients::report(&state.db, auth.client.id, id, lang).await {
        Ok(r) => Ok(Json(ClientReport::from(&r))),
        Err(ReportError::NotReady) => Err(ApiError::new(
            StatusCode::CONFLICT,
            "not_ready",
            t(lang, "api.client.not_ready"),
        )),
        Err(ReportError::Results(crate::service::results::ResultsError::Store(e))) => {
            Err(store_error(lang, e))
        }
        Err(ReportError::Results(e)) => Err(ApiError::Web(WebError::from(e))),
    }
}
