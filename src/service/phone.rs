//! Phone fallback flows: recording a call outcome (within the panel's attempt limit, one
//! save at a time per member), and the phone interview — a response in mode phone
//! entered by the interviewer, recorded as a completed call when it is sent.

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;

use crate::domain::panel::PanelDefinition;
use crate::domain::phone::{AttemptRefusal, Disposition};
use crate::domain::response::{Mode, ResponseStatus};
use crate::store::entities::{call_attempt, response, survey};
use crate::store::phone::{self as store, Entry, NewAttempt, RecordError};
use crate::store::{StoreError, responses};

/// Why a call outcome or an interview was refused.
#[derive(Debug, thiserror::Error)]
pub enum PhoneError {
    /// Another save for this member came first.
    #[error("changed by someone else")]
    Stale,
    #[error(transparent)]
    Refused(AttemptRefusal),
    /// An appointment needs a moment to call back, in the future.
    #[error("appointment without a time to call back")]
    AppointmentTime,
    /// "Complete" is recorded by sending the interview, not chosen by hand.
    #[error("not an outcome to record by hand")]
    NotRecordable,
    /// The member already sent their answers.
    #[error("already answered")]
    AlreadyAnswered,
    /// The member began answering on the web or on paper.
    #[error("begun another way")]
    BegunOtherwise,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl PhoneError {
    /// The i18n key of the message for the interviewer.
    pub fn i18n_key(&self) -> &'static str {
        match self {
            PhoneError::Stale => "phone.refused.stale",
            PhoneError::Refused(r) => r.i18n_key(),
            PhoneError::AppointmentTime => "phone.refused.appointment_time",
            PhoneError::NotRecordable => "phone.refused.not_recordable",
            PhoneError::AlreadyAnswered => "phone.refused.already_answered",
            PhoneError::BegunOtherwise => "phone.refused.begun_otherwise",
            PhoneError::Store(_) => "error.internal",
        }
    }
}

impl From<RecordError> for PhoneError {
    fn from(e: RecordError) -> Self {
        match e {
            RecordError::Stale => PhoneError::Stale,
            RecordError::Refused(r) => PhoneError::Refused(r),
            RecordError::Store(e) => PhoneError::Store(e),
        }
    }
}

/// Record how a call ended. `seen_seq` is the entry's `call_seq` when the page was shown.
pub async fn record_outcome(
    db: &DatabaseConnection,
    panel: &PanelDefinition,
    entry: &Entry,
    seen_seq: i32,
    interviewer_id: i64,
    attempt: &NewAttempt,
    now: DateTime<Utc>,
) -> Result<call_attempt::Model, PhoneError> {
    if !Disposition::RECORDED.contains(&attempt.disposition) {
        return Err(PhoneError::NotRecordable);
    }
    let appointment_ok = attempt.appointment_at.is_some_and(|at| at > now);
    if attempt.disposition == Disposition::Appointment && !appointment_ok {
        return Err(PhoneError::AppointmentTime);
    }
    let attempt = NewAttempt {
        appointment_at: attempt
            .appointment_at
            .filter(|_| attempt.disposition == Disposition::Appointment),
        ..attempt.clone()
    };
    Ok(store::record_attempt(
        db,
        entry.invitation.id,
        seen_seq,
        Some(interviewer_id),
        &attempt,
        panel.contact_policy.max_call_attempts,
        now,
    )
    .await?)
}

/// Start (or continue) the phone interview of an entry: a response in mode phone,
/// entered by the interviewer.
pub async fn start_interview(
    db: &DatabaseConnection,
    survey: &survey::Model,
    entry: &Entry,
    interviewer_id: i64,
    now: DateTime<Utc>,
) -> Result<response::Model, PhoneError> {
    match &entry.response {
        Some(r) if r.status == ResponseStatus::Finished => Err(PhoneError::AlreadyAnswered),
        Some(r) if r.mode == Mode::Phone => Ok(r.clone()),
        Some(_) => Err(PhoneError::BegunOtherwise),
        None => Ok(responses::start_response(
            db,
            survey,
            &entry.member.pseudonym,
            Mode::Phone,
            Some(interviewer_id),
            now,
        )
        .await?),
    }
}

/// The interview was sent: the call counts as complete. The limit does not apply — the
/// call that led to the interview is this one.
pub async fn interview_sent(
    db: &DatabaseConnection,
    invitation_id: i64,
    interviewer_id: i64,
    now: DateTime<Utc>,
) -> Result<(), PhoneError> {
    // Read the counter now: finishing the interview wins over a stale outcome form.
    let entry = store::entry(db, invitation_id).await?;
    let complete = NewAttempt {
        disposition: Disposition::Complete,
        note: None,
        appointment_at: None,
    };
    match store::record_attempt(
        db,
        invitation_id,
        entry.invitation.call_seq,
        Some(interviewer_id),
        &complete,
        u32::MAX,
        now,
    )
    .await
    {
        // Already closed by a final outcome: the answers are what counts.
        Ok(_) | Err(RecordError::Refused(AttemptRefusal::Closed)) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// One interviewer's part of a survey's calling.
#[derive(Clone, Debug)]
pub struct InterviewerProgress {
    pub id: i64,
    pub name: String,
    /// Members on their list.
    pub members: u64,
    /// Calls made.
    pub calls: u64,
    pub complete: u64,
}

/// How the calling of a survey goes: the call list, who calls whom, every call.
#[derive(Clone, Debug)]
pub struct CallProgress {
    pub total: u64,
    pub unassigned: u64,
    pub interviewers: Vec<InterviewerProgress>,
    /// Calls per outcome, in the order of [`Disposition::ALL`]; outcomes never
    /// recorded are left out.
    pub outcomes: Vec<(Disposition, u64)>,
    /// Every call, oldest first, with the member it was to.
    pub calls: Vec<(call_attempt::Model, Option<i64>)>,
}

pub async fn progress(db: &DatabaseConnection, survey_id: i64) -> Result<CallProgress, StoreError> {
    let interviewers = store::interviewers(db).await?;
    let invitations = store::list_invitations(db, survey_id).await?;
    let attempts = store::attempts_of_survey(db, survey_id).await?;
    let count = |pred: &dyn Fn(&call_attempt::Model) -> bool| {
        attempts.iter().filter(|a| pred(a)).count() as u64
    };
    let per_interviewer = interviewers
        .iter()
        .map(|i| InterviewerProgress {
            id: i.id,
            name: i.name.clone(),
            members: invitations
                .iter()
                .filter(|inv| inv.interviewer_id == Some(i.id))
                .count() as u64,
            calls: count(&|a| a.interviewer_id == Some(i.id)),
            complete: count(&|a| {
                a.interviewer_id == Some(i.id) && a.disposition == Disposition::Complete
            }),
        })
        .collect();
    let outcomes = Disposition::ALL
        .iter()
        .map(|d| (*d, count(&|a| a.disposition == *d)))
        .filter(|(_, n)| *n > 0)
        .collect();
    let calls = attempts
        .iter()
        .map(|a| {
            let member = invitations
                .iter()
                .find(|i| i.id == a.invitation_id)
                .map(|i| i.member_id);
            (a.clone(), member)
        })
        .collect();
    Ok(CallProgress {
        total: invitations.len() as u64,
        unassigned: invitations
            .iter()
            .filter(|i| i.interviewer_id.is_none())
            .count() as u64,
        interviewers: per_interviewer,
        outcomes,
        calls,
    })
}
