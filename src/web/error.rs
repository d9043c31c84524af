//! The web layer's one error type and the one place where errors become responses:
//! handlers return `WebError`; its `IntoResponse` marks the response, and the
//! `render_errors` middleware turns every error response (also axum's own rejections)
//! into an accessible HTML page in the visitor's language, or JSON under `/api`.
//! Causes are logged; they never reach the visitor.

use axum::Json;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;

use axum::extract::State;

use super::ctx::{help_contact, lang_of};
use super::pages::ErrorPage;
use super::state::AppState;
use crate::i18n::t;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    /// Not logged in: members and managers are sent to their login page.
    #[error("login required")]
    LoginRequired { manager: bool },
    /// Not logged in to the clients' portal: sent to its login page.
    #[error("client login required")]
    ClientLoginRequired,
    /// The API needs a valid bearer token.
    #[error("unauthorized")]
    Unauthorized,
    #[error("csrf token missing or wrong")]
    Csrf,
    /// Input that cannot be used; the key says why, in the visitor's language.
    #[error("bad request: {0}")]
    BadRequest(&'static str),
    /// Someone else changed the same thing first.
    #[error("conflict: {0}")]
    Conflict(&'static str),
    #[error("too many requests")]
    TooManyRequests,
    /// The request body is larger than this route accepts.
    #[error("payload too large")]
    TooLarge,
    #[error("store: {0}")]
    Store(#[from] StoreError),
    #[error("internal: {0}")]
    Internal(String),
}

/// Marks an error response for `render_errors`: the i18n key of the message.
#[derive(Clone, Copy, Debug)]
pub struct ErrorKey(pub &'static str);

pub type WebResult<T> = Result<T, WebError>;

impl WebError {
    fn status_and_key(&self) -> (StatusCode, &'static str) {
        match self {
            WebError::NotFound | WebError::Store(StoreError::NotFound) => {
                (StatusCode::NOT_FOUND, "error.not_found")
            }
            WebError::Forbidden => (StatusCode::FORBIDDEN, "error.forbidden"),
            WebError::LoginRequired { .. }
            | WebError::ClientLoginRequired
            | WebError::Unauthorized => (StatusCode::UNAUTHORIZED, "error.unauthorized"),
            WebError::Csrf => (StatusCode::FORBIDDEN, "error.csrf"),
            WebError::BadRequest(key) => (StatusCode::BAD_REQUEST, key),
            WebError::Conflict(key) => (StatusCode::CONFLICT, key),
            WebError::Store(StoreError::Conflict) => (StatusCode::CONFLICT, "error.conflict"),
            WebError::Store(StoreError::Duplicate(_)) => (StatusCode::CONFLICT, "error.duplicate"),
            WebError::TooManyRequests => (StatusCode::TOO_MANY_REQUESTS, "error.too_many"),
            WebError::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "error.too_large"),
            WebError::Store(_) | WebError::Internal(_) => {
                (StatusCode::INTERNAL_SERVER_ERROR, "error.internal")
            }
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        if let WebError::ClientLoginRequired = self {
            return Redirect::to("/opdrachtgever/inloggen").into_response();
        }
        if let WebError::LoginRequired { manager } = self {
            let to = if manager {
                "/beheer/inloggen"
            } else {
                "/inloggen"
            };
            return Redirect::to(to).into_response();
        }
        let (status, key) = self.status_and_key();
        if status.is_server_error() {
            // The cause goes to the log only; it names no personal data.
            tracing::error!(error = %self, "request failed");
        }
        let mut response = status.into_response();
        response.extensions_mut().insert(ErrorKey(key));
        response
    }
}

fn key_for_status(status: StatusCode) -> &'static str {
    match status {
        StatusCode::NOT_FOUND => "error.not_found",
        StatusCode::METHOD_NOT_ALLOWED => "error.method",
        StatusCode::PAYLOAD_TOO_LARGE => "error.too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE | StatusCode::UNPROCESSABLE_ENTITY => {
            "error.bad_request"
        }
        StatusCode::TOO_MANY_REQUESTS => "error.too_many",
        s if s.is_server_error() => "error.internal",
        _ => "error.bad_request",
    }
}

/// Render every error response in one place.
pub async fn render_errors(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let lang = lang_of(&request);
    let api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let marked = response.extensions().get::<ErrorKey>().copied();
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html") || v.starts_with("application/json"));
    // Pages that render their own error state (a form with errors) pass through.
    if marked.is_none() && is_html {
        return response;
    }
    let key = marked.map_or_else(|| key_for_status(status), |k| k.0);
    if api {
        let message = if status == StatusCode::UNAUTHORIZED {
            t(lang, "api.error.unauthorized")
        } else {
            t(lang, key)
        };
        let body = json!({ "error": key.trim_start_matches("error."), "message": message });
        let mut response = (status, Json(body)).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        return response;
    }
    let help = help_contact(&state, None).await;
    let page = ErrorPage::new(lang, help, status, key);
    (status, page).into_response()
}

impl From<crate::service::exports::ExportsError> for WebError {
    fn from(e: crate::service::exports::ExportsError) -> Self {
        match e {
            crate::service::exports::ExportsError::Store(e) => WebError::Store(e),
            crate::service::exports::ExportsError::Export(e) => WebError::Internal(e.to_string()),
            crate::service::exports::ExportsError::Weight(_) => {
                WebError::BadRequest("results.downloads.weighting_failed")
            }
        }
    }
}

impl From<crate::service::results::ResultsError> for WebError {
    fn from(e: crate::service::results::ResultsError) -> Self {
        match e {
            crate::service::results::ResultsError::Store(e) => WebError::Store(e),
            crate::service::results::ResultsError::Stats(e) => WebError::Internal(e.to_string()),
            crate::service::results::ResultsError::Stopped(e) => WebError::Internal(e),
        }
    }
}
