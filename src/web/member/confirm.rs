//! `/bevestigen/{token}`: the double opt-in link. The GET only shows a button, because
//! mail scanners follow links; the POST confirms and logs the member in.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::header::SET_COOKIE;
use axum::response::{IntoResponse, Redirect, Response};

use crate::store::sessions::MEMBER_SESSION;
use crate::store::tokens::{self, TokenPurpose, TokenRejection};
use crate::web::cookies;
use crate::web::ctx::PageCtx;
use crate::web::error::WebResult;
use crate::web::form::CsrfForm;
use crate::web::pages::MessagePage;
use crate::web::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "member/token_button.html", config = "src/web/askama.toml")]
pub struct TokenButtonPage {
    pub ctx: PageCtx,
    pub title: &'static str,
    pub text: &'static str,
    pub button: &'static str,
    pub action: String,
}

/// The kind page for a link that cannot be used.
pub fn rejected(ctx: PageCtx, rejection: TokenRejection) -> MessagePage {
    let text = match rejection {
        TokenRejection::Unknown => "token.unknown",
        TokenRejection::Used => "token.used",
        TokenRejection::Expired => "token.expired",
    };
    MessagePage::keys(ctx, "token.title", &[text, "token.new_link"])
        .with_link("/inloggen", "token.new_link_button")
}

/// The page behind an emailed link: a button, or why the link does not work.
pub async fn button_page(
    state: &AppState,
    ctx: PageCtx,
    token: &str,
    purpose: TokenPurpose,
    texts: [&str; 3],
    action: String,
) -> WebResult<Response> {
    Ok(
        match tokens::peek(&state.db, token, purpose, state.now()).await? {
            Ok(_) => TokenButtonPage {
                title: ctx.t(texts[0]),
                text: ctx.t(texts[1]),
                button: ctx.t(texts[2]),
                action,
                ctx,
            }
            .into_response(),
            Err(rejection) => rejected(ctx, rejection).into_response(),
        },
    )
}

/// After a link was used: the member's session cookie and onward, or why not.
pub fn logged_in(
    state: &AppState,
    ctx: PageCtx,
    outcome: Result<String, TokenRejection>,
    to: &str,
) -> Response {
    match outcome {
        Ok(session) => {
            let cookie = cookies::set(
                cookies::MEMBER_SESSION,
                &session,
                Some(MEMBER_SESSION.num_seconds()),
                state.config.secure_cookies(),
            );
            ([(SET_COOKIE, cookie)], Redirect::to(to)).into_response()
        }
        Err(rejection) => rejected(ctx, rejection).into_response(),
    }
}

pub async fn page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
) -> WebResult<Response> {
    let texts = ["confirm.title", "confirm.text", "confirm.button"];
    let action = format!("/bevestigen/{token}");
    button_page(&state, ctx, &token, TokenPurpose::Confirm, texts, action).await
}

pub async fn submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
    CsrfForm(_): CsrfForm,
) -> WebResult<Response> {
    let outcome = crate::service::members::confirm(&state.db, &token, state.now()).await?;
    Ok(logged_in(&state, ctx, outcome, "/mijn-gegevens?welkom=1"))
}
