//! Paper: the printable questionnaire for members who take part by post, and the manager
//! pages to type in a returned one (mode paper, entered by the manager).

use axum::Router;
use axum::routing::get;

use super::answer::pages::routes;
use super::state::AppState;

mod entry;
mod phone_script;
mod print;
mod sheet;

pub use sheet::PaperSheet;

/// The page where a manager picks the member of a returned paper questionnaire.
pub fn entry_path(survey_id: i64) -> String {
    format!("/beheer/enquetes/{survey_id}/papier")
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/beheer/vragenlijsten/versies/{id}/papier",
            get(print::page),
        )
        .route(
            "/beheer/vragenlijsten/versies/{id}/telefoonscript",
            get(phone_script::page),
        )
        .route(
            "/beheer/enquetes/{survey}/papier",
            get(entry::form).post(entry::submit),
        )
        .route("/beheer/papier/{response}", get(sheet::start))
        .merge(routes::<PaperSheet>("/beheer/papier/{response}"))
}
