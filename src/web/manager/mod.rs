//! Pages for panel managers under `/beheer`: login, panels, members, composition,
//! panel health, process evaluation, import, questionnaires, surveys with their
//! fieldwork and results, audit log, records of processing and API keys.

use axum::Router;
use axum::routing::{get, post};

use super::state::AppState;

mod api_keys;
mod audit;
mod client_requests;
mod clients;
mod compensation;
mod composition;
mod dashboard;
mod evaluation;
mod import;
mod login;
mod members;
mod panel_health;
pub(crate) mod processing;
mod question_editor;
pub(crate) mod questionnaire_editor;
mod questionnaire_new;
mod questionnaire_version;
mod questionnaires;
mod survey_calls;
mod survey_crosstabs;
mod survey_dashboard;
mod survey_draft;
mod survey_exports;
mod survey_form;
mod survey_lists;
mod survey_new;
mod survey_quality;
mod survey_reports;
mod survey_results;
mod survey_themes;
mod survey_view;
mod surveys;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/beheer/inloggen", get(login::form).post(login::submit))
        .route("/beheer/uitloggen", post(login::logout))
        .route("/beheer", get(dashboard::page))
        .route("/beheer/panels", post(dashboard::upload_panel))
        .route("/beheer/panels/{panel}/leden", get(members::list))
        .route(
            "/beheer/panels/{panel}/vergoedingen",
            get(compensation::page),
        )
        .route(
            "/beheer/panels/{panel}/vergoedingen/grenzen",
            post(compensation::confirm),
        )
        .route(
            "/beheer/panels/{panel}/vergoedingen/uitbetaling.csv",
            get(compensation::payout),
        )
        .route(
            "/beheer/panels/{panel}/opdrachten",
            get(client_requests::list),
        )
        .route(
            "/beheer/panels/{panel}/opdrachtgevers",
            post(client_requests::new_client),
        )
        .route("/beheer/opdrachten/{id}", get(client_requests::detail))
        .route("/beheer/opdrachten/{id}/stap", post(client_requests::step))
        .route("/beheer/opdrachtgevers/{id}", get(clients::page))
        .route(
            "/beheer/opdrachtgevers/{id}/sleutels",
            post(clients::create_token),
        )
        .route(
            "/beheer/opdrachtgevers/{id}/sleutels/{token}/intrekken",
            post(clients::revoke_token),
        )
        .route("/beheer/leden/{id}", get(members::detail))
        .route(
            "/beheer/leden/{id}/wijzigen",
            get(members::edit_form).post(members::edit_submit),
        )
        .route("/beheer/leden/{id}/bevestigen", post(members::confirm))
        .route(
            "/beheer/panels/{panel}/samenstelling",
            get(composition::page),
        )
        .route(
            "/beheer/panels/{panel}/samenstelling/{variable}/grafiek.svg",
            get(composition::chart),
        )
        .route("/beheer/panels/{panel}/gezondheid", get(panel_health::page))
        .route("/beheer/panels/{panel}/evaluatie", get(evaluation::page))
        .route(
            "/beheer/panels/{panel}/import",
            get(import::form)
                .post(import::submit)
                .layer(import::upload_limit()),
        )
        .route(
            "/beheer/panels/{panel}/verwerkingsregister",
            get(processing::page),
        )
        .route(
            "/beheer/panels/{panel}/verwerkingsregister.json",
            get(processing::json),
        )
        .route(
            "/beheer/panels/{panel}/verwerkingsregister.csv",
            get(processing::csv),
        )
        .route(
            "/beheer/panels/{panel}/vragenlijsten",
            get(questionnaires::list)
                .post(questionnaires::upload)
                .layer(questionnaires::upload_limit()),
        )
        .route(
            "/beheer/panels/{panel}/vragenlijsten/nieuw",
            get(questionnaire_new::form).post(questionnaire_new::submit),
        )
        .route(
            "/beheer/vragenlijsten/versies/{id}/editor",
            get(questionnaire_editor::page),
        )
        .route(
            "/beheer/vragenlijsten/versies/{id}/editor/algemeen",
            post(questionnaire_editor::save_general),
        )
        .route(
            "/beheer/vragenlijsten/versies/{id}/editor/nieuw",
            post(questionnaire_editor::add),
        )
        .route(
            "/beheer/vragenlijsten/versies/{id}/editor/vraag/{index}",
            get(question_editor::form).post(question_editor::submit),
        )
        .route(
            "/beheer/vragenlijsten/versies/{id}/editor/vraag/{index}/omhoog",
            post(questionnaire_editor::move_up),
        )
        .route(
            "/beheer/vragenlijsten/versies/{id}/editor/vraag/{index}/omlaag",
            post(questionnaire_editor::move_down),
        )
        .route(
            "/beheer/vragenlijsten/versies/{id}/editor/vraag/{index}/verwijderen",
            post(questionnaire_editor::remove),
        )
        .route(
            "/beheer/vragenlijsten/{id}",
            get(questionnaire_version::latest),
        )
        .route(
            "/beheer/vragenlijsten/versies/{id}",
            get(questionnaire_version::page),
        )
        .route(
            "/beheer/vragenlijsten/versies/{id}/accepteren",
            post(questionnaire_version::accept),
        )
        .route(
            "/beheer/vragenlijsten/versies/{id}/publiceren",
            post(questionnaire_version::publish),
        )
        .route(
            "/beheer/vragenlijsten/versies/{id}/bewerken",
            post(questionnaire_version::edit).layer(questionnaires::upload_limit()),
        )
        .route(
            "/beheer/vragenlijsten/versies/{id}/pilotlinks",
            post(questionnaire_version::create_pilot_link),
        )
        .route(
            "/beheer/pilotlinks/{id}/intrekken",
            post(questionnaire_version::revoke_pilot_link),
        )
        .route("/beheer/panels/{panel}/enquetes", get(surveys::list))
        .route(
            "/beheer/panels/{panel}/enquetes/nieuw",
            get(survey_new::new_form).post(survey_new::new_submit),
        )
        .route("/beheer/enquetes/{survey}", get(survey_draft::page))
        .route(
            "/beheer/enquetes/{survey}/wijzigen",
            get(survey_new::edit_form).post(survey_new::edit_submit),
        )
        .route(
            "/beheer/enquetes/{survey}/plannen",
            post(survey_draft::schedule),
        )
        .route(
            "/beheer/enquetes/{survey}/pauzeren",
            post(survey_dashboard::pause),
        )
        .route(
            "/beheer/enquetes/{survey}/hervatten",
            post(survey_dashboard::resume),
        )
        .route(
            "/beheer/enquetes/{survey}/sluiten",
            get(survey_dashboard::close_form).post(survey_dashboard::close),
        )
        .route(
            "/beheer/enquetes/{survey}/resultaten",
            get(survey_results::page),
        )
        .route(
            "/beheer/enquetes/{survey}/rapport/{file}",
            get(survey_reports::page),
        )
        .route(
            "/beheer/enquetes/{survey}/kwaliteit",
            get(survey_quality::page),
        )
        .route(
            "/beheer/enquetes/{survey}/uitsplitsing",
            get(survey_crosstabs::page),
        )
        .route(
            "/beheer/enquetes/{survey}/themas",
            get(survey_themes::page).post(survey_themes::create),
        )
        .route(
            "/beheer/enquetes/{survey}/themas/codes",
            post(survey_themes::code),
        )
        .route(
            "/beheer/enquetes/{survey}/themas/voorstellen",
            post(survey_themes::accept),
        )
        .route(
            "/beheer/enquetes/{survey}/themas/{theme}",
            get(survey_themes::edit_form).post(survey_themes::edit_submit),
        )
        .route(
            "/beheer/enquetes/{survey}/themas/{theme}/verwijderen",
            post(survey_themes::delete),
        )
        .route(
            "/beheer/enquetes/{survey}/resultaten/deelnemers",
            get(survey_results::preview),
        )
        .route(
            "/beheer/enquetes/{survey}/export/{file}",
            get(survey_exports::download),
        )
        .route(
            "/beheer/enquetes/{survey}/terugkoppeling",
            post(survey_results::save_feedback),
        )
        .route(
            "/beheer/enquetes/{survey}/belijst.csv",
            get(survey_lists::call_list),
        )
        .route(
            "/beheer/enquetes/{survey}/drukwerk.csv",
            get(survey_lists::print_run),
        )
        .route(
            "/beheer/enquetes/{survey}/bellen",
            get(survey_calls::page).post(survey_calls::assign),
        )
        .route(
            "/beheer/enquetes/{survey}/bellog.csv",
            get(survey_calls::log),
        )
        .route("/beheer/audit", get(audit::page))
        .route(
            "/beheer/api-sleutels",
            get(api_keys::page).post(api_keys::create),
        )
        .route(
            "/beheer/api-sleutels/{id}/intrekken",
            post(api_keys::revoke),
        )
}
