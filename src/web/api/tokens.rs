//! `/api/v1/tokens`: a manager's own API keys — list, create (the secret is shown once;
//! only its hash is stored) and revoke (in force at once).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::error::{ApiError, ApiResult, ErrorBody, Problem};
use super::extract::{ApiJson, ApiLang};
use crate::i18n::t;
use crate::store::api_tokens;
use crate::store::entities::api_token;
use crate::web::auth::ManagerAuth;
use crate::web::state::AppState;

/// Longest key name (as on the web page).
const MAX_NAME: usize = 100;

/// An API key, without its secret.
#[derive(Debug, Serialize, ToSchema)]
pub struct Token {
    pub id: i64,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    /// Set once the key is revoked; a revoked key opens nothing.
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<api_token::Model> for Token {
    fn from(m: api_token::Model) -> Self {
        Self {
            id: m.id,
            name: m.name,
            created_at: m.created_at,
            last_used_at: m.last_used_at,
            revoked_at: m.revoked_at,
        }
    }
}

/// A key to create.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    /// What the key is for, e.g. "reporting script"; 1 to 100 characters.
    pub name: String,
}

/// A key just created, with its secret: shown this once, never again.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedToken {
    pub id: i64,
    pub name: String,
    pub created_at: DateTime<Utc>,
    /// Send as `Authorization: Bearer <secret>`.
    pub secret: String,
}

/// List your API keys, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/tokens",
    operation_id = "listTokens",
    tag = "tokens",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Your keys, revoked ones too", body = [Token]),
        (status = 401, description = "No valid API key", body = ErrorBody),
    )
)]
pub async fn list(State(state): State<AppState>, auth: ManagerAuth) -> ApiResult<Json<Vec<Token>>> {
    let tokens = api_tokens::list(&state.db, auth.0.id).await?;
    Ok(Json(tokens.into_iter().map(Token::from).collect()))
}

/// Create an API key for yourself.
#[utoipa::path(
    post,
    path = "/api/v1/tokens",
    operation_id = "createToken",
    tag = "tokens",
    security(("bearer" = [])),
    request_body(content = NewToken, content_type = "application/json"),
    responses(
        (status = 201, description = "The key, with its secret (shown only now)", body = CreatedToken),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "No valid API key", body = ErrorBody),
        (status = 415, description = "The body is not sent as JSON", body = ErrorBody),
        (status = 422, description = "The name is empty or too long, or the body has unknown fields", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    auth: ManagerAuth,
    ApiJson(body): ApiJson<NewToken>,
) -> ApiResult<(StatusCode, Json<CreatedToken>)> {
    let name = body.name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME {
        let message = t(lang, "manager.api_keys.name_needed");
        return Err(ApiError::invalid(
            lang,
            "api.error.validation",
            vec![Problem::new("$.name", "name", message)],
        ));
    }
    let (model, secret) = api_tokens::create(&state.db, auth.0.id, name, state.now()).await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedToken {
            id: model.id,
            name: model.name,
            created_at: model.created_at,
            secret,
        }),
    ))
}

/// Revoke one of your API keys; it opens nothing from the next request on.
#[utoipa::path(
    delete,
    path = "/api/v1/tokens/{id}",
    operation_id = "revokeToken",
    tag = "tokens",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The key's id")),
    responses(
        (status = 204, description = "The key is revoked"),
        (status = 401, description = "No valid API key", body = ErrorBody),
        (status = 404, description = "You have no live key with this id", body = ErrorBody),
    )
)]
pub async fn revoke(
    State(state): State<AppState>,
    auth: ManagerAuth,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    api_tokens::revoke(&state.db, auth.0.id, id, state.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}
