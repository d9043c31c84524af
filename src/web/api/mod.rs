//! The JSON API under `/api/v1`, for every manager action in the web pages, described by
//! the OpenAPI document at `/api/openapi.json`. Authentication: `Authorization: Bearer`
//! with a manager's API key (only its hash is stored).

use axum::extract::DefaultBodyLimit;
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::state::AppState;

pub mod audit;
pub mod calls;
pub mod client;
pub mod client_types;
pub mod composition;
pub mod error;
pub mod extract;
pub mod import;
pub mod member_types;
pub mod members;
pub mod panels;
pub mod pilot;
pub mod processing;
pub mod questionnaire_types;
pub mod questionnaires;
pub mod results;
pub mod results_types;
pub mod review;
pub mod survey_types;
pub mod surveys;
pub mod themes;
pub mod tokens;

/// The name of the security scheme every operation requires.
pub const SECURITY_SCHEME: &str = "bearer";

const DESCRIPTION: &str = "Everything a panel manager can do in the web pages under \
`/beheer`, as JSON.\n\n\
Authenticate with an API key (made under *API-sleutels* or with `POST /api/v1/tokens`): \
`Authorization: Bearer <key>`.\n\n\
Errors are JSON: `{\"error\": code, \"message\": text}`, with `problems` (each with the \
JSON path it concerns) where there is more to say. Messages are in Dutch, or in English \
with `?lang=en` or `Accept-Language: en`.\n\n\
Viewing and changing members' personal data is written to the audit log.\n\n\
Outside organisations (opdrachtgevers) use the operations tagged *client* with the API key \
the panel manager made for them (`kbc_…`); they see only their own requests and aggregate \
figures in which small groups are hidden.";

#[derive(OpenApi)]
#[openapi(
    info(title = "klankbord API", version = "1", description = DESCRIPTION),
    paths(
        panels::list,
        panels::put,
        composition::get,
        processing::get,
        members::list,
        members::get,
        members::update,
        members::confirm,
        import::post,
        questionnaires::list,
        questionnaires::upload,
        questionnaires::get,
        questionnaires::edit,
        review::accept,
        review::publish,
        pilot::create,
        pilot::list,
        pilot::revoke,
        surveys::list,
        surveys::create,
        surveys::get,
        surveys::update,
        surveys::sample,
        surveys::schedule,
        surveys::pause,
        surveys::resume,
        surveys::close,
        surveys::fieldwork,
        surveys::call_list,
        surveys::print_run,
        results::get,
        results::put_feedback,
        themes::list,
        themes::create,
        themes::update,
        themes::delete,
        themes::set_answer,
        themes::take_over,
        calls::get,
        calls::assign,
        audit::list,
        tokens::list,
        tokens::create,
        tokens::revoke,
        client::list,
        client::create,
        client::get,
        client::report,
    ),
    modifiers(&DocFinish),
    tags(
        (name = "panels", description = "Panel definitions, composition and records of processing"),
        (name = "members", description = "Search, view, correct, confirm and import members"),
        (name = "questionnaires", description = "Upload questionnaires, review their findings, accept them, publish, edit into new versions"),
        (name = "pilot", description = "Pilot links: let outsiders try a version as members see it"),
        (name = "surveys", description = "Plan surveys, preview the sample, schedule, follow the fieldwork, pause, resume, close"),
        (name = "results", description = "A survey's figures for the manager (weighted, crosstabs), the themes of its open answers, and the feedback to respondents"),
        (name = "audit", description = "The audit log (admins only)"),
        (name = "tokens", description = "Your API keys"),
        (name = "client", description = "For outside organisations (opdrachtgevers), with the API key the panel gave them: your requests and the aggregate results of the surveys run for you"),
    )
)]
pub struct ApiDoc;

/// Adds the bearer scheme that the operations' `security` names.
struct DocFinish;

impl Modify for DocFinish {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        // Cargo.toml names no license; an empty one is not a license.
        openapi.info.license = None;
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme(
                SECURITY_SCHEME,
                SecurityScheme::Http(
                    HttpBuilder::new()
                        .scheme(HttpAuthScheme::Bearer)
                        .bearer_format("klankbord API key (kb_…)")
                        .description(Some("A manager's API key"))
                        .build(),
                ),
            );
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme(
                client::CLIENT_SCHEME,
                SecurityScheme::Http(
                    HttpBuilder::new()
                        .scheme(HttpAuthScheme::Bearer)
                        .bearer_format("klankbord client API key (kbc_…)")
                        .description(Some(
                            "An outside organisation's API key, with scopes requests:read, \
                             requests:write and reports:read",
                        ))
                        .build(),
                ),
            );
    }
}

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// A questionnaire file is the body itself: larger than the file limit is 413.
fn questionnaire_limit() -> DefaultBodyLimit {
    DefaultBodyLimit::max(crate::service::questionnaires::MAX_BYTES)
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi))
        .route("/v1/panels", get(panels::list))
        .route("/v1/panels/{id}", put(panels::put))
        .route("/v1/panels/{id}/composition", get(composition::get))
        .route("/v1/panels/{id}/processing-records", get(processing::get))
        .route("/v1/panels/{id}/members", get(members::list))
        .route(
            "/v1/panels/{id}/members/import",
            post(import::post).layer(DefaultBodyLimit::max(crate::web::UPLOAD_LIMIT)),
        )
        .route(
            "/v1/panels/{id}/questionnaires",
            get(questionnaires::list)
                .post(questionnaires::upload)
                .layer(questionnaire_limit()),
        )
        .route("/v1/questionnaire-versions/{id}", get(questionnaires::get))
        .route(
            "/v1/questionnaire-versions/{id}/versions",
            post(questionnaires::edit).layer(questionnaire_limit()),
        )
        .route(
            "/v1/questionnaire-versions/{id}/acceptances",
            post(review::accept),
        )
        .route(
            "/v1/questionnaire-versions/{id}/publish",
            post(review::publish),
        )
        .route(
            "/v1/questionnaire-versions/{id}/pilot-links",
            get(pilot::list).post(pilot::create),
        )
        .route("/v1/pilot-links/{id}", delete(pilot::revoke))
        .route(
            "/v1/panels/{id}/surveys",
            get(surveys::list).post(surveys::create),
        )
        .route("/v1/surveys/{id}", get(surveys::get).put(surveys::update))
        .route("/v1/surveys/{id}/sample", get(surveys::sample))
        .route("/v1/surveys/{id}/schedule", post(surveys::schedule))
        .route("/v1/surveys/{id}/pause", post(surveys::pause))
        .route("/v1/surveys/{id}/resume", post(surveys::resume))
        .route("/v1/surveys/{id}/close", post(surveys::close))
        .route("/v1/surveys/{id}/fieldwork", get(surveys::fieldwork))
        .route("/v1/surveys/{id}/call-list", get(surveys::call_list))
        .route("/v1/surveys/{id}/print-run", get(surveys::print_run))
        .route("/v1/surveys/{id}/results", get(results::get))
        .route("/v1/surveys/{id}/feedback", put(results::put_feedback))
        .route(
            "/v1/surveys/{id}/themes",
            get(themes::list).post(themes::create),
        )
        .route(
            "/v1/surveys/{id}/themes/{theme}",
            put(themes::update).delete(themes::delete),
        )
        .route(
            "/v1/surveys/{id}/themes/suggestions",
            post(themes::take_over),
        )
        .route(
            "/v1/surveys/{id}/responses/{response}/themes",
            put(themes::set_answer),
        )
        .route("/v1/surveys/{id}/calls", get(calls::get))
        .route("/v1/surveys/{id}/call-assignments", post(calls::assign))
        .route("/v1/members/{id}", get(members::get).put(members::update))
        .route("/v1/members/{id}/confirm", post(members::confirm))
        .route("/v1/audit", get(audit::list))
        .route("/v1/tokens", get(tokens::list).post(tokens::create))
        .route("/v1/tokens/{id}", delete(tokens::revoke))
        .route(
            "/v1/client/requests",
            get(client::list).post(client::create),
        )
        .route("/v1/client/requests/{id}", get(client::get))
        .route("/v1/client/requests/{id}/report", get(client::report))
}
