//! Manager login with email and password, rate limited per address and per client.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Duration;

use crate::store::sessions::{self, MANAGER_SESSION, Owner};
use crate::store::{managers, rate_limit};
use crate::web::cookies;
use crate::web::ctx::PageCtx;
use crate::web::error::WebResult;
use crate::web::form::CsrfForm;
use crate::web::state::AppState;
use crate::web::view::FormErrors;

#[derive(Template, WebTemplate)]
#[template(path = "manager/login.html", config = "src/web/askama.toml")]
pub struct LoginPage {
    pub ctx: PageCtx,
    pub errors: FormErrors,
    pub email: String,
}

pub async fn form(ctx: PageCtx) -> LoginPage {
    LoginPage {
        errors: FormErrors::none(ctx.lang),
        ctx,
        email: String::new(),
    }
}

/// Failed attempts allowed per address in a quarter of an hour.
const MAX_FAILURES: i32 = 5;

pub async fn submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    CsrfForm(form): CsrfForm,
) -> WebResult<Response> {
    let email = form.get("email").trim().to_lowercase();
    let password = form.get("password").to_owned();
    let now = state.now();
    let key = format!("manager-login:{email}");
    // Counting happens before checking, so parallel guesses are counted too.
    if !rate_limit::hit(&state.db, &key, MAX_FAILURES, Duration::minutes(15), now).await? {
        let errors = FormErrors::single(ctx.lang, "email", "manager.login.too_many");
        return Ok((
            StatusCode::TOO_MANY_REQUESTS,
            LoginPage { ctx, errors, email },
        )
            .into_response());
    }
    match managers::authenticate(&state.db, &email, &password).await? {
        Some(manager) => {
            rate_limit::reset(&state.db, &key).await?;
            let token = sessions::create(&state.db, Owner::Manager(manager.id), now).await?;
            let cookie = cookies::set(
                cookies::MANAGER_SESSION,
                &token,
                Some(MANAGER_SESSION.num_seconds()),
                state.config.secure_cookies(),
            );
            let home = if manager.role == crate::store::managers::ManagerRole::Interviewer {
                "/bellen"
            } else {
                "/beheer"
            };
            Ok(([(SET_COOKIE, cookie)], Redirect::to(home)).into_response())
        }
        None => {
            let errors = FormErrors::single(ctx.lang, "email", "manager.login.wrong");
            Ok((StatusCode::UNAUTHORIZED, LoginPage { ctx, errors, email }).into_response())
        }
    }
}

pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    CsrfForm(_): CsrfForm,
) -> WebResult<Response> {
    if let Some(token) = cookies::get(&headers, cookies::MANAGER_SESSION) {
        sessions::delete(&state.db, &token).await?;
    }
    let cookie = cookies::set(
        cookies::MANAGER_SESSION,
        "",
        Some(0),
        state.config.secure_cookies(),
    );
    Ok(([(SET_COOKIE, cookie)], Redirect::to("/beheer/inloggen")).into_response())
}
