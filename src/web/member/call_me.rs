//! `/liever-bellen/{token}`: from any invitation, a member asks to be called instead of
//! emailed. The GET shows the question (mail scanners follow links); the POST makes
//! phone their contact preference, with the times that suit them, and puts this
//! invitation and those still to go out on the call list. Switching back is done in
//! Mijn gegevens, like any other change of the contact preference.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::domain::member::MemberStatus;
use crate::domain::response::{ResponseStatus, SurveyStatus};
use crate::store::entities::invitation;
use crate::store::{members, phone, responses};
use crate::web::ctx::PageCtx;
use crate::web::error::WebResult;
use crate::web::form::CsrfForm;
use crate::web::pages::MessagePage;
use crate::web::state::AppState;

/// Longest preferred-times text kept.
const MAX_TIMES: usize = 200;

#[derive(Template, WebTemplate)]
#[template(path = "member/call_me.html", config = "src/web/askama.toml")]
pub struct CallMePage {
    pub ctx: PageCtx,
    pub action: String,
    pub times: String,
}

fn unknown(ctx: PageCtx) -> Response {
    (
        StatusCode::NOT_FOUND,
        MessagePage::keys(ctx, "unsubscribe.unknown_title", &["unsubscribe.unknown"]),
    )
        .into_response()
}

/// The invitation of a usable link, with its member still in the panel.
async fn invitation_of(
    state: &AppState,
    token: &str,
) -> WebResult<Option<(invitation::Model, crate::store::entities::member::Model)>> {
    let Some(inv) = responses::invitation_by_token(&state.db, token).await? else {
        return Ok(None);
    };
    let Ok(member) = members::get(&state.db, inv.member_id).await else {
        return Ok(None);
    };
    if member.status != MemberStatus::Active {
        return Ok(None);
    }
    Ok(Some((inv, member)))
}

pub async fn page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
) -> WebResult<Response> {
    let Some((_, member)) = invitation_of(&state, &token).await? else {
        return Ok(unknown(ctx));
    };
    Ok(CallMePage {
        action: format!("/liever-bellen/{token}"),
        times: member.call_times.unwrap_or_default(),
        ctx,
    }
    .into_response())
}

pub async fn submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
    CsrfForm(form): CsrfForm,
) -> WebResult<Response> {
    let Some((inv, member)) = invitation_of(&state, &token).await? else {
        return Ok(unknown(ctx));
    };
    let now = state.now();
    let survey = responses::survey(&state.db, inv.survey_id).await?;
    let answered = responses::response_for(&state.db, survey.id, &member.pseudonym)
        .await?
        .is_some_and(|r| r.status == ResponseStatus::Finished);
    let still_open = survey.status != SurveyStatus::Closed && now < survey.closes_at;
    let open_invitation = (still_open && !answered).then_some(inv.id);
    let times: String = form
        .get("call_times")
        .trim()
        .chars()
        .take(MAX_TIMES)
        .collect();
    let times = (!times.is_empty()).then_some(times.as_str());
    phone::prefer_phone(&state.db, member.id, times, open_invitation, now).await?;
    let text = if open_invitation.is_some() {
        "call_me.done_this_one"
    } else {
        "call_me.done_next_time"
    };
    Ok(
        MessagePage::keys(ctx, "call_me.done_title", &[text, "call_me.switch_back"])
            .with_link("/mijn-gegevens", "call_me.my_data")
            .into_response(),
    )
}
