//! `/afmelden/{token}`: stop getting invitations, from the link in every invitation. The
//! GET shows a button (mail scanners follow links); the POST, also the one-click POST
//! mail programs send for `List-Unsubscribe-Post` (RFC 8058), sets the member's own limit
//! to no invitations. The link's token is the authorisation, so no CSRF token is needed;
//! the member can undo it in Mijn gegevens.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::confirm::TokenButtonPage;
use crate::domain::fieldwork::MemberLimits;
use crate::store::{fieldwork, members, responses};
use crate::web::ctx::PageCtx;
use crate::web::error::WebResult;
use crate::web::pages::MessagePage;
use crate::web::state::AppState;

fn unknown(ctx: PageCtx) -> Response {
    (
        StatusCode::NOT_FOUND,
        MessagePage::keys(ctx, "unsubscribe.unknown_title", &["unsubscribe.unknown"]),
    )
        .into_response()
}

pub async fn page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
) -> WebResult<Response> {
    if responses::invitation_by_token(&state.db, &token)
        .await?
        .is_none()
    {
        return Ok(unknown(ctx));
    }
    Ok(TokenButtonPage {
        title: ctx.t("unsubscribe.title"),
        text: ctx.t("unsubscribe.text"),
        button: ctx.t("unsubscribe.button"),
        action: format!("/afmelden/{token}"),
        ctx,
    }
    .into_response())
}

pub async fn submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
) -> WebResult<Response> {
    let Some(inv) = responses::invitation_by_token(&state.db, &token).await? else {
        return Ok(unknown(ctx));
    };
    let member = members::get(&state.db, inv.member_id).await?;
    let mut wishes = fieldwork::wishes(&member).unwrap_or_default();
    wishes.max_invitations_per_year = Some(0);
    let wishes = MemberLimits { ..wishes };
    fieldwork::set_wishes(&state.db, member.id, &wishes).await?;
    Ok(MessagePage::keys(
        ctx,
        "unsubscribe.done_title",
        &["unsubscribe.done", "unsubscribe.undo"],
    )
    .with_link("/mijn-gegevens", "unsubscribe.my_data")
    .into_response())
}
