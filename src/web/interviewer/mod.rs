//! The interviewer's pages under `/bellen`: their call lists, one member's entry with the
//! call history and the outcome form, and the phone interview on the shared answering
//! pages in script mode. An interviewer sees only the members on their own list.

use axum::Router;
use axum::routing::{get, post};

use super::answer::pages::routes;
use super::auth::InterviewerAuth;
use super::error::{WebError, WebResult};
use super::state::AppState;
use crate::store::audit::{self, Action};
use crate::store::phone::{self as store, Entry};
use crate::store::responses;

mod entry;
mod lists;
mod sheet;

pub use sheet::PhoneSheet;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/bellen", get(lists::page))
        .route("/bellen/enquetes/{survey}", get(lists::queue))
        .route("/bellen/leden/{invitation}", get(entry::page))
        .route("/bellen/leden/{invitation}/uitkomst", post(entry::record))
        .route("/bellen/leden/{invitation}/interview", post(entry::start))
        .route("/bellen/interview/{response}", get(sheet::start))
        .merge(routes::<PhoneSheet>("/bellen/interview/{response}"))
}

/// The first word of a name: the call list shows first names.
pub fn first_name(name: Option<&str>) -> String {
    name.and_then(|n| n.split_whitespace().next())
        .unwrap_or("–")
        .to_owned()
}

/// The entry of `invitation_id` when it is on this interviewer's list. Anything else is
/// refused, and the attempt is written to the audit log.
pub async fn own_entry(
    state: &AppState,
    auth: &InterviewerAuth,
    invitation_id: i64,
) -> WebResult<Entry> {
    let entry = store::entry(&state.db, invitation_id).await?;
    if entry.invitation.interviewer_id == Some(auth.0.id) {
        return Ok(entry);
    }
    let survey = responses::survey(&state.db, entry.invitation.survey_id).await?;
    audit::record(
        &state.db,
        &auth.actor(),
        Action::RefusedAccess,
        Some(entry.member.id),
        Some(&survey.panel_id),
        &format!("call list entry {invitation_id} of survey {}", survey.id),
        state.now(),
    )
    .await?;
    Err(WebError::Forbidden)
}
