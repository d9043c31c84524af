//! Member login without passwords: ask for a link by email, then use it once.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::http::header::SET_COOKIE;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Duration;
use serde::Deserialize;

use super::confirm::{button_page, logged_in};
use super::signup::resolve_panel;
use crate::domain::contact::EmailAddress;
use crate::domain::panel::PanelDefinition;
use crate::store::tokens::TokenPurpose;
use crate::store::{rate_limit, sessions};
use crate::web::cookies;
use crate::web::ctx::PageCtx;
use crate::web::error::{WebError, WebResult};
use crate::web::form::CsrfForm;
use crate::web::pages::MessagePage;
use crate::web::state::AppState;
use crate::web::view::FormErrors;

#[derive(Template, WebTemplate)]
#[template(path = "member/login.html", config = "src/web/askama.toml")]
pub struct LoginPage {
    pub ctx: PageCtx,
    pub panel: PanelDefinition,
    pub errors: FormErrors,
    pub email: String,
}

#[derive(Deserialize)]
pub struct PanelQuery {
    panel: Option<String>,
}

pub async fn form(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<PanelQuery>,
) -> WebResult<LoginPage> {
    let panel = resolve_panel(&state, q.panel.as_deref()).await?;
    Ok(LoginPage {
        errors: FormErrors::none(ctx.lang),
        ctx,
        panel,
        email: String::new(),
    })
}

pub async fn submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    CsrfForm(form): CsrfForm,
) -> WebResult<Response> {
    let panel = resolve_panel(&state, Some(form.get("panel")).filter(|p| !p.is_empty())).await?;
    let raw = form.get("email").to_owned();
    let Ok(email) = EmailAddress::parse(&raw) else {
        let errors = FormErrors::single(ctx.lang, "email", "form.error.email");
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            LoginPage {
                ctx,
                panel,
                errors,
                email: raw,
            },
        )
            .into_response());
    };
    let now = state.now();
    // At most 5 links per address per hour: enough for a member, useless for spam.
    if !rate_limit::hit(
        &state.db,
        &format!("member-login:{}", email.normalized()),
        5,
        Duration::hours(1),
        now,
    )
    .await?
    {
        return Err(WebError::TooManyRequests);
    }
    crate::service::members::request_login(&state.db, &state.config.base_url, &panel, &email, now)
        .await?;
    state.mail_waker.notify_one();
    Ok(Redirect::to("/inloggen/verstuurd").into_response())
}

pub async fn sent(ctx: PageCtx) -> MessagePage {
    MessagePage::keys(
        ctx,
        "login.sent.title",
        &["login.sent.text", "login.sent.valid", "login.sent.no_mail"],
    )
}

pub async fn link_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
) -> WebResult<Response> {
    let texts = ["login.link.title", "login.link.text", "login.link.button"];
    let action = format!("/inloggen/{token}");
    button_page(&state, ctx, &token, TokenPurpose::Login, texts, action).await
}

pub async fn link_submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
    CsrfForm(_): CsrfForm,
) -> WebResult<Response> {
    let outcome = crate::service::members::log_in(&state.db, &token, state.now()).await?;
    Ok(logged_in(&state, ctx, outcome, "/mijn-gegevens"))
}

pub async fn logout(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    CsrfForm(_): CsrfForm,
) -> WebResult<Response> {
    if let Some(token) = cookies::get(&headers, cookies::MEMBER_SESSION) {
        sessions::delete(&state.db, &token).await?;
    }
    let cookie = cookies::set(
        cookies::MEMBER_SESSION,
        "",
        Some(0),
        state.config.secure_cookies(),
    );
    Ok(([(SET_COOKIE, cookie)], Redirect::to("/?uitgelogd=1")).into_response())
}
