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

pub async fn page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
) -> WebResult<Response> {
    Ok(
        match tokens::peek(&state.db, &token, TokenPurpose::Confirm, state.now()).await? {
            Ok(_) => TokenButtonPage {
                title: ctx.t("confirm.title"),
                text: ctx.t("confirm.text"),
                button: ctx.t("confirm.button"),
                action: format!("/bevestigen/{token}"),
                ctx,
            }
            .into_response(),
            Err(rejection) => rejected(ctx, rejection).into_response(),
        },
    )
}

pub async fn submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
    CsrfForm(_): CsrfForm,
) -> WebResult<Response> {
    match crate::service::members::confirm(&state.db, &token, state.now()).await? {
        Ok(session) => {
            let cookie = cookies::set(
                cookies::MEMBER_SESSION,
                &session,
                Some(MEMBER_SESSION.num_seconds()),
                state.config.secure_cookies(),
            );
            Ok((
                [(SET_COOKIE, cookie)],
                Redirect::to("/mijn-gegevens?welkom=1"),
            )
                .into_response())
        }
        Err(rejection) => Ok(rejected(ctx, rejection).into_response()),
    }
}
