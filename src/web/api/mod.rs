//! The JSON API under `/api/v1`, for every manager action in the web pages, described by
//! the OpenAPI document at `/api/openapi.json`. Authentication: `Authorization: Bearer`
//! with a manager's API key.

use axum::routing::get;
use axum::{Json, Router};
use utoipa::OpenApi;

use super::state::AppState;

#[derive(OpenApi)]
#[openapi(info(title = "klankbord API", version = "1"))]
pub struct ApiDoc;

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

pub fn router() -> Router<AppState> {
    Router::new().route("/openapi.json", get(openapi))
}
