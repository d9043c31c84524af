//! Who is asking: extractors for a logged-in member, a logged-in manager (web) or a
//! manager's API token, and a logged-in interviewer.

use axum::extract::{FromRequestParts, OriginalUri};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

use super::ctx::{current_member, current_staff};
use super::error::WebError;
use super::state::AppState;
use crate::store::audit::Actor;
use crate::store::entities::{manager, member};
use crate::store::managers::ManagerRole;
use crate::store::{api_tokens, managers};

/// The secret of an `Authorization: Bearer <secret>` header.
pub fn bearer(parts: &Parts) -> Option<&str> {
    parts
        .headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
}

/// A logged-in member; others are sent to the login page.
pub struct MemberAuth(pub member::Model);

impl FromRequestParts<AppState> for MemberAuth {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        current_member(state, parts)
            .await?
            .map(MemberAuth)
            .ok_or(WebError::LoginRequired { manager: false })
    }
}

/// A logged-in manager (web session) or a manager's API token (under `/api`).
pub struct ManagerAuth(pub manager::Model);

impl ManagerAuth {
    pub fn actor(&self) -> Actor {
        Actor::manager(self.0.id, &self.0.name)
    }

    pub fn require_admin(&self) -> Result<(), WebError> {
        if self.0.role == ManagerRole::Admin {
            Ok(())
        } else {
            Err(WebError::Forbidden)
        }
    }
}

impl FromRequestParts<AppState> for ManagerAuth {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        // Under a nested router `parts.uri` has lost its prefix; the original has it.
        let api = parts
            .extensions
            .get::<OriginalUri>()
            .map_or(parts.uri.path(), |original| original.path())
            .starts_with("/api/");
        if api {
            let secret = bearer(parts).ok_or(WebError::Unauthorized)?;
            let id = api_tokens::authenticate(&state.db, secret, state.now())
                .await?
                .ok_or(WebError::Unauthorized)?;
            let manager = managers::get(&state.db, id).await?;
            if manager.disabled_at.is_some() || manager.role == ManagerRole::Interviewer {
                return Err(WebError::Unauthorized);
            }
            return Ok(ManagerAuth(manager));
        }
        match current_staff(state, parts).await? {
            // Interviewers see their call lists and nothing else.
            Some(m) if m.role == ManagerRole::Interviewer => Err(WebError::Forbidden),
            Some(m) => Ok(ManagerAuth(m)),
            None => Err(WebError::LoginRequired { manager: true }),
        }
    }
}

/// A logged-in interviewer; managers are refused (the call lists are the
/// interviewers'), anyone else goes to the staff login.
pub struct InterviewerAuth(pub manager::Model);

impl InterviewerAuth {
    pub fn actor(&self) -> Actor {
        Actor::manager(self.0.id, &self.0.name)
    }
}

impl FromRequestParts<AppState> for InterviewerAuth {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        match current_staff(state, parts).await? {
            Some(m) if m.role == ManagerRole::Interviewer => Ok(InterviewerAuth(m)),
            Some(_) => Err(WebError::Forbidden),
            None => Err(WebError::LoginRequired { manager: true }),
        }
    }
}
