//! The HTTP side: server-rendered pages for members and managers, and the JSON API.
//! Each area has its own router; `router()` merges them and adds the layers every
//! request passes (limits, security headers, language and CSRF, error pages).

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use axum::middleware;
use axum::response::IntoResponse;
use axum::routing::get;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub mod answer;
pub mod api;
pub mod auth;
pub mod client;
pub mod cookies;
pub mod ctx;
pub mod error;
pub mod form;
pub mod interviewer;
pub mod manager;
pub mod member;
pub mod pages;
pub mod paper;
pub mod pilot;
pub mod respond;
pub mod state;
pub mod view;

pub use error::{WebError, WebResult};
pub use state::AppState;

/// Largest request body for ordinary forms and API calls.
pub const BODY_LIMIT: usize = 256 * 1024;
/// Largest upload (member import files).
pub const UPLOAD_LIMIT: usize = 20 * 1024 * 1024;

const CSS: &str = include_str!("static/klankbord.css");
/// The printed questionnaire's own stylesheet (A4, no site layout).
const PAPER_CSS: &str = include_str!("static/papier.css");

fn stylesheet(css: &'static str) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        css,
    )
}

async fn css() -> impl IntoResponse {
    stylesheet(CSS)
}

async fn paper_css() -> impl IntoResponse {
    stylesheet(PAPER_CSS)
}

async fn healthz(axum::extract::State(state): axum::extract::State<AppState>) -> impl IntoResponse {
    match state.db.ping().await {
        Ok(()) => (axum::http::StatusCode::OK, "ok"),
        Err(_) => (
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "database unavailable",
        ),
    }
}

/// Log the route pattern, never the concrete path: paths can hold tokens.
fn trace_layer() -> TraceLayer<
    tower_http::classify::SharedClassifier<tower_http::classify::ServerErrorsAsFailures>,
    impl Fn(&axum::http::Request<axum::body::Body>) -> tracing::Span + Clone,
> {
    TraceLayer::new_for_http().make_span_with(|request: &axum::http::Request<axum::body::Body>| {
        let route = request
            .extensions()
            .get::<axum::extract::MatchedPath>()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_else(|| "unmatched".to_owned());
        tracing::info_span!("request", method = %request.method(), route = %route)
    })
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(member::router())
        .merge(manager::router())
        .merge(pilot::router())
        .merge(respond::router())
        .merge(paper::router())
        .merge(interviewer::router())
        .merge(client::router())
        .nest("/api", api::router())
        .route("/healthz", get(healthz))
        .route("/static/klankbord.css", get(css))
        .route("/static/papier.css", get(paper_css))
        .fallback(|| async { WebError::NotFound })
        .layer(middleware::from_fn_with_state(state.clone(), error::render_errors))
        .layer(middleware::from_fn_with_state(state.clone(), ctx::prepare))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'self'; img-src 'self' data:; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
        ))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .layer(SetResponseHeaderLayer::overriding(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(trace_layer())
        .with_state(state)
}
