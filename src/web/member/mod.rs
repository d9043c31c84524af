//! Pages for panel members: sign-up, confirmation, login links and "Mijn gegevens".

use axum::Router;
use axum::routing::{get, post};

use super::state::AppState;

mod call_me;
mod compensation;
mod confirm;
pub(crate) mod home;
mod login;
pub(crate) mod my_data;
pub(crate) mod signup;
mod unsubscribe;
pub(crate) mod wishes;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home::page))
        .route("/privacy", get(home::privacy))
        .route("/aanmelden", get(signup::form).post(signup::submit))
        .route("/aanmelden/bedankt", get(signup::thanks))
        .route(
            "/bevestigen/{token}",
            get(confirm::page).post(confirm::submit),
        )
        .route("/inloggen", get(login::form).post(login::submit))
        .route("/inloggen/verstuurd", get(login::sent))
        .route(
            "/inloggen/{token}",
            get(login::link_page).post(login::link_submit),
        )
        .route("/uitloggen", post(login::logout))
        .route(
            "/afmelden/{token}",
            get(unsubscribe::page).post(unsubscribe::submit),
        )
        .route(
            "/liever-bellen/{token}",
            get(call_me::page).post(call_me::submit),
        )
        .route("/mijn-gegevens", get(my_data::overview))
        .route(
            "/mijn-gegevens/wijzigen",
            get(my_data::edit_form).post(my_data::edit_submit),
        )
        .route("/mijn-gegevens/weergave", post(my_data::preferences))
        .route("/mijn-gegevens/uitnodigingen", post(wishes::submit))
        .route("/mijn-gegevens/download", get(my_data::download))
        .route("/mijn-gegevens/vergoedingen", get(compensation::page))
        .route(
            "/mijn-gegevens/vergoedingen/keuze",
            post(compensation::choose),
        )
        .route(
            "/mijn-gegevens/vergoedingen/andere",
            post(compensation::declare),
        )
        .route(
            "/mijn-gegevens/toestemming",
            get(my_data::withdraw_form).post(my_data::withdraw_submit),
        )
        .route(
            "/mijn-gegevens/verwijderen",
            get(my_data::delete_form).post(my_data::delete_submit),
        )
}
