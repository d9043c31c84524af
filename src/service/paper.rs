//! Typing in a returned paper questionnaire: the response of the member it belongs to is
//! started (or continued) with mode paper and the manager who enters it, and the audit
//! log says who opened whose response.
//!
//! A member who already sent answers (in any way) cannot get a second response. A member
//! who began on the web or by phone and did not send keeps those answers unless the
//! manager explicitly chooses to replace them with the paper ones; the two are never mixed.

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;

use crate::domain::response::{Mode, ResponseStatus, SurveyStatus};
use crate::store::audit::{self, Action, Actor};
use crate::store::entities::{manager, response, survey};
use crate::store::{StoreError, StoreResult, members, responses};

/// Why paper answers cannot be entered for this member.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The survey is closed: no answers are taken any more.
    SurveyClosed,
    /// The member was not invited to this survey.
    NotInvited,
    /// The member already sent their answers, in this way.
    AlreadySent(Mode),
    /// The member began answering in this way and did not send yet.
    StartedElsewhere(Mode),
}

/// Start entering the paper questionnaire of `member_id` for `survey`, or continue an
/// entry that was begun before. `replace` allows starting over a response the member
/// began on the web or by phone (its answers are removed).
pub async fn start_entry(
    db: &DatabaseConnection,
    survey: &survey::Model,
    member_id: i64,
    manager: &manager::Model,
    replace: bool,
    now: DateTime<Utc>,
) -> StoreResult<Result<response::Model, Refusal>> {
    if survey.status == SurveyStatus::Closed {
        return Ok(Err(Refusal::SurveyClosed));
    }
    if responses::invitation_for(db, survey.id, member_id)
        .await?
        .is_none()
    {
        return Ok(Err(Refusal::NotInvited));
    }
    let member = members::get(db, member_id).await?;
    let existing = responses::response_for(db, survey.id, &member.pseudonym).await?;
    let (response, how) = match existing {
        Some(r) if r.status == ResponseStatus::Finished => {
            return Ok(Err(Refusal::AlreadySent(r.mode)));
        }
        Some(r) if r.mode == Mode::Paper => (r, "continued"),
        Some(r) if !replace => return Ok(Err(Refusal::StartedElsewhere(r.mode))),
        Some(r) => match responses::restart_as_paper(db, r.id, manager.id, now).await {
            Ok(r) => (r, "replaced answers begun another way"),
            // The member sent in the meantime.
            Err(StoreError::Conflict) => return Ok(Err(Refusal::AlreadySent(r.mode))),
            Err(e) => return Err(e),
        },
        None => {
            let r = responses::start_response(
                db,
                survey,
                &member.pseudonym,
                Mode::Paper,
                Some(manager.id),
                now,
            )
            .await?;
            // The member began on the web at this very moment: theirs won.
            if r.mode != Mode::Paper {
                return Ok(Err(Refusal::StartedElsewhere(r.mode)));
            }
            (r, "started")
        }
    };
    audit::record(
        db,
        &Actor::manager(manager.id, &manager.name),
        Action::EnterPaperResponse,
        Some(member.id),
        Some(&survey.panel_id),
        &format!("survey {}, response {}: {how}", survey.id, response.id),
        now,
    )
    .await?;
    Ok(Ok(response))
}
