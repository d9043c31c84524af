//! Call lists: the phone invitations of a survey, which interviewer calls whom, and each
//! call attempt with its outcome. Recording an outcome first raises the invitation's
//! `call_seq` from the value the interviewer saw, so of two saves at once one is refused.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::Expr as SqExpr;
use sea_orm::{ActiveValue::Set, ExprTrait, QueryOrder, QuerySelect};

use super::entities::{call_attempt, invitation, manager, member, response, survey};
use super::managers::ManagerRole;
use super::{StoreError, StoreResult};
use crate::domain::phone::{Attempt, AttemptRefusal, Disposition, History};
use crate::domain::response::{Channel, InvitationStatus};

/// One member on a call list, with what happened so far.
#[derive(Clone, Debug)]
pub struct Entry {
    pub invitation: invitation::Model,
    pub member: member::Model,
    /// Oldest first.
    pub attempts: Vec<call_attempt::Model>,
    pub response: Option<response::Model>,
}

impl Entry {
    pub fn history(&self) -> History {
        history(&self.attempts)
    }
}

pub fn history(attempts: &[call_attempt::Model]) -> History {
    History {
        attempts: attempts
            .iter()
            .map(|a| Attempt {
                at: a.at,
                disposition: a.disposition,
                appointment_at: a.appointment_at,
            })
            .collect(),
    }
}

/// Active interviewer accounts, by name.
pub async fn interviewers(db: &impl ConnectionTrait) -> StoreResult<Vec<manager::Model>> {
    Ok(manager::Entity::find()
        .filter(manager::Column::Role.eq(ManagerRole::Interviewer))
        .filter(manager::Column::DisabledAt.is_null())
        .order_by_asc(manager::Column::Name)
        .all(db)
        .await?)
}

fn phone_list() -> sea_orm::Select<invitation::Entity> {
    invitation::Entity::find()
        .filter(invitation::Column::Status.eq(InvitationStatus::Sent))
        .filter(invitation::Column::Channel.eq(Channel::Phone))
}

/// The surveys with members on this interviewer's call lists, with how many each.
pub async fn assigned_surveys(
    db: &impl ConnectionTrait,
    interviewer_id: i64,
) -> StoreResult<Vec<(survey::Model, u64)>> {
    let invitations = phone_list()
        .filter(invitation::Column::InterviewerId.eq(interviewer_id))
        .all(db)
        .await?;
    let mut counts: HashMap<i64, u64> = HashMap::new();
    for inv in &invitations {
        *counts.entry(inv.survey_id).or_default() += 1;
    }
    let surveys = survey::Entity::find()
        .filter(survey::Column::Id.is_in(counts.keys().copied()))
        .order_by_desc(survey::Column::Id)
        .all(db)
        .await?;
    Ok(surveys
        .into_iter()
        .map(|s| {
            let n = counts.get(&s.id).copied().unwrap_or(0);
            (s, n)
        })
        .collect())
}

/// A survey's call list: everyone, or only the members assigned to `interviewer_id`.
pub async fn entries(
    db: &impl ConnectionTrait,
    survey_id: i64,
    interviewer_id: Option<i64>,
) -> StoreResult<Vec<Entry>> {
    let mut query = phone_list().filter(invitation::Column::SurveyId.eq(survey_id));
    if let Some(id) = interviewer_id {
        query = query.filter(invitation::Column::InterviewerId.eq(id));
    }
    let invitations = query.order_by_asc(invitation::Column::Id).all(db).await?;
    complete(db, invitations).await
}

/// One entry of a call list.
pub async fn entry(db: &impl ConnectionTrait, invitation_id: i64) -> StoreResult<Entry> {
    let inv = phone_list()
        .filter(invitation::Column::Id.eq(invitation_id))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    complete(db, vec![inv])
        .await?
        .pop()
        .ok_or(StoreError::NotFound)
}

/// The members, attempts and responses of these invitations.
async fn complete(
    db: &impl ConnectionTrait,
    invitations: Vec<invitation::Model>,
) -> StoreResult<Vec<Entry>> {
    let ids: Vec<i64> = invitations.iter().map(|i| i.id).collect();
    let member_ids: Vec<i64> = invitations.iter().map(|i| i.member_id).collect();
    let mut members: HashMap<i64, member::Model> = member::Entity::find()
        .filter(member::Column::Id.is_in(member_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m))
        .collect();
    let mut attempts: HashMap<i64, Vec<call_attempt::Model>> = HashMap::new();
    for a in call_attempt::Entity::find()
        .filter(call_attempt::Column::InvitationId.is_in(ids))
        .order_by_asc(call_attempt::Column::Id)
        .all(db)
        .await?
    {
        attempts.entry(a.invitation_id).or_default().push(a);
    }
    // The responses of these members, one query per survey (a call list has one).
    let mut by_survey: HashMap<i64, Vec<&str>> = HashMap::new();
    for inv in &invitations {
        if let Some(m) = members.get(&inv.member_id) {
            by_survey
                .entry(inv.survey_id)
                .or_default()
                .push(m.pseudonym.as_str());
        }
    }
    let mut responses: HashMap<(i64, String), response::Model> = HashMap::new();
    for (survey_id, pseudonyms) in &by_survey {
        for r in super::responses::responses_of(db, *survey_id, pseudonyms).await? {
            responses.insert((r.survey_id, r.respondent.clone()), r);
        }
    }
    let mut out = Vec::new();
    for inv in invitations {
        let Some(member) = members.remove(&inv.member_id) else {
            continue;
        };
        out.push(Entry {
            attempts: attempts.remove(&inv.id).unwrap_or_default(),
            response: responses.remove(&(inv.survey_id, member.pseudonym.clone())),
            invitation: inv,
            member,
        });
    }
    Ok(out)
}

/// Put up to `limit` (all when `None`) members of the call list that nobody calls yet
/// on `interviewer_id`'s list. Returns how many.
pub async fn assign(
    db: &impl ConnectionTrait,
    survey_id: i64,
    interviewer_id: i64,
    limit: Option<u64>,
) -> StoreResult<u64> {
    let mut query = phone_list()
        .filter(invitation::Column::SurveyId.eq(survey_id))
        .filter(invitation::Column::InterviewerId.is_null())
        .order_by_asc(invitation::Column::Id)
        .select_only()
        .column(invitation::Column::Id);
    if let Some(n) = limit {
        query = query.limit(n);
    }
    let ids: Vec<i64> = query.into_tuple().all(db).await?;
    if ids.is_empty() {
        return Ok(0);
    }
    let result = invitation::Entity::update_many()
        .col_expr(
            invitation::Column::InterviewerId,
            SqExpr::value(interviewer_id),
        )
        .filter(invitation::Column::Id.is_in(ids))
        .filter(invitation::Column::InterviewerId.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// Why an outcome was not recorded.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// Someone saved an outcome for this member since the page was shown.
    #[error("changed by someone else")]
    Stale,
    #[error(transparent)]
    Refused(AttemptRefusal),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<DbErr> for RecordError {
    fn from(e: DbErr) -> Self {
        RecordError::Store(StoreError::Db(e))
    }
}

/// A call outcome to record.
#[derive(Clone, Debug)]
pub struct NewAttempt {
    pub disposition: Disposition,
    pub note: Option<String>,
    pub appointment_at: Option<DateTime<Utc>>,
}

/// Record a call, in one transaction: raise `call_seq` from the value the interviewer
/// saw (refused as stale otherwise), check the attempt limit against the stored calls,
/// then store the call. Nothing changes when refused.
pub async fn record_attempt(
    db: &DatabaseConnection,
    invitation_id: i64,
    seen_seq: i32,
    interviewer_id: Option<i64>,
    attempt: &NewAttempt,
    max: u32,
    now: DateTime<Utc>,
) -> Result<call_attempt::Model, RecordError> {
    let txn = super::begin_write(db).await?;
    let raised = invitation::Entity::update_many()
        .col_expr(
            invitation::Column::CallSeq,
            SqExpr::col(invitation::Column::CallSeq).add(1),
        )
        .filter(invitation::Column::Id.eq(invitation_id))
        .filter(invitation::Column::CallSeq.eq(seen_seq))
        .exec(&txn)
        .await?;
    if raised.rows_affected != 1 {
        return Err(RecordError::Stale);
    }
    let inv = invitation::Entity::find_by_id(invitation_id)
        .one(&txn)
        .await?
        .ok_or(StoreError::NotFound)?;
    let earlier = call_attempt::Entity::find()
        .filter(call_attempt::Column::InvitationId.eq(invitation_id))
        .order_by_asc(call_attempt::Column::Id)
        .all(&txn)
        .await?;
    history(&earlier).check(max).map_err(RecordError::Refused)?;
    let stored = call_attempt::ActiveModel {
        invitation_id: Set(invitation_id),
        survey_id: Set(inv.survey_id),
        interviewer_id: Set(interviewer_id),
        at: Set(now),
        disposition: Set(attempt.disposition),
        note: Set(attempt.note.clone()),
        appointment_at: Set(attempt.appointment_at),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(stored)
}

/// Every call of a survey, oldest first (for the call log and the progress figures).
pub async fn attempts_of_survey(
    db: &impl ConnectionTrait,
    survey_id: i64,
) -> StoreResult<Vec<call_attempt::Model>> {
    Ok(call_attempt::Entity::find()
        .filter(call_attempt::Column::SurveyId.eq(survey_id))
        .order_by_asc(call_attempt::Column::Id)
        .all(db)
        .await?)
}

/// The phone invitations of a survey (assigned or not), for the progress figures.
pub async fn list_invitations(
    db: &impl ConnectionTrait,
    survey_id: i64,
) -> StoreResult<Vec<invitation::Model>> {
    Ok(phone_list()
        .filter(invitation::Column::SurveyId.eq(survey_id))
        .all(db)
        .await?)
}

/// A member asked to be called: their contact preference becomes phone (the profile's
/// version goes up, as with any change to it), with their preferred times, and their
/// invitations still to go out — and `open_invitation`, when given — move to the call
/// list. One transaction.
pub async fn prefer_phone(
    db: &DatabaseConnection,
    member_id: i64,
    times: Option<&str>,
    open_invitation: Option<i64>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let txn = super::begin_write(db).await?;
    member::Entity::update_many()
        .col_expr(
            member::Column::ContactPreference,
            SqExpr::value(crate::domain::member::ContactPreference::Phone),
        )
        .col_expr(
            member::Column::CallTimes,
            SqExpr::value(times.map(str::to_owned)),
        )
        .col_expr(
            member::Column::Version,
            SqExpr::col(member::Column::Version).add(1),
        )
        .col_expr(member::Column::ProfileUpdatedAt, SqExpr::value(now))
        .filter(member::Column::Id.eq(member_id))
        .exec(&txn)
        .await?;
    let mut moving =
        sea_orm::Condition::any().add(invitation::Column::Status.eq(InvitationStatus::Planned));
    if let Some(id) = open_invitation {
        moving = moving.add(invitation::Column::Id.eq(id));
    }
    invitation::Entity::update_many()
        .col_expr(invitation::Column::Channel, SqExpr::value(Channel::Phone))
        .filter(invitation::Column::MemberId.eq(member_id))
        .filter(moving)
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}
