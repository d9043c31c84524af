//! Fieldwork in the database: a survey's plan, the frame a sample is drawn from (members,
//! backgrounds, contact history), planned invitations, and the steps of sending one —
//! lock the member, read their history, mark the invitation sent — that the service runs
//! inside one transaction, so no limit is ever passed by two senders at once.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{Expr as SqExpr, Query};
use sea_orm::{ActiveValue::Set, ConnectionTrait, ExprTrait, JoinType, QueryOrder, QuerySelect};

use super::entities::{invitation, invitation_link, member, member_background, response, survey};
use super::tokens::{hash_token, new_token};
use super::{StoreError, StoreResult, contact_summary};
use crate::domain::fieldwork::{Background, MemberLimits, PastInvitation};
use crate::domain::ids::{CategoryValue, VariableId};
use crate::domain::member::MemberStatus;
use crate::domain::response::{Channel, InvitationStatus, ResponseStatus, SurveyStatus};

/// What a survey's plan stores besides the usual survey columns.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredPlan {
    pub eligibility_json: String,
    pub sample_size: Option<i32>,
    pub quotas_json: String,
    pub seed: i64,
    pub reminder_after_days: Option<i32>,
    pub flash_poll: bool,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
}

/// Create a survey in draft with its plan.
pub async fn create_draft(
    db: &impl ConnectionTrait,
    panel_id: &str,
    version_id: i64,
    title: &str,
    plan: &StoredPlan,
    created_by: Option<i64>,
    now: DateTime<Utc>,
) -> StoreResult<survey::Model> {
    Ok(survey::ActiveModel {
        panel_id: Set(panel_id.to_owned()),
        version_id: Set(version_id),
        title: Set(title.to_owned()),
        status: Set(SurveyStatus::Draft),
        opens_at: Set(plan.opens_at),
        closes_at: Set(plan.closes_at),
        created_by: Set(created_by),
        created_at: Set(now),
        eligibility: Set(plan.eligibility_json.clone()),
        sample_size: Set(plan.sample_size),
        quotas: Set(plan.quotas_json.clone()),
        seed: Set(plan.seed),
        reminder_after_days: Set(plan.reminder_after_days),
        flash_poll: Set(plan.flash_poll),
        scheduled_at: Set(None),
        closed_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// Change the plan of a survey still in draft; false when it is no longer a draft.
pub async fn update_plan(
    db: &impl ConnectionTrait,
    survey_id: i64,
    title: &str,
    plan: &StoredPlan,
) -> StoreResult<bool> {
    let result = survey::Entity::update_many()
        .col_expr(survey::Column::Title, SqExpr::value(title))
        .col_expr(survey::Column::OpensAt, SqExpr::value(plan.opens_at))
        .col_expr(survey::Column::ClosesAt, SqExpr::value(plan.closes_at))
        .col_expr(
            survey::Column::Eligibility,
            SqExpr::value(plan.eligibility_json.clone()),
        )
        .col_expr(survey::Column::SampleSize, SqExpr::value(plan.sample_size))
        .col_expr(
            survey::Column::Quotas,
            SqExpr::value(plan.quotas_json.clone()),
        )
        .col_expr(survey::Column::Seed, SqExpr::value(plan.seed))
        .col_expr(
            survey::Column::ReminderAfterDays,
            SqExpr::value(plan.reminder_after_days),
        )
        .col_expr(survey::Column::FlashPoll, SqExpr::value(plan.flash_poll))
        .filter(survey::Column::Id.eq(survey_id))
        .filter(survey::Column::Status.eq(SurveyStatus::Draft))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Set when a survey's invitations go out.
pub async fn set_opens_at(
    db: &impl ConnectionTrait,
    survey_id: i64,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    survey::Entity::update_many()
        .col_expr(survey::Column::OpensAt, SqExpr::value(at))
        .filter(survey::Column::Id.eq(survey_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Move a survey from one status to another; false when it was not in `from`.
pub async fn set_status(
    db: &impl ConnectionTrait,
    survey_id: i64,
    from: &[SurveyStatus],
    to: SurveyStatus,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let mut update =
        survey::Entity::update_many().col_expr(survey::Column::Status, SqExpr::value(to));
    match to {
        SurveyStatus::Scheduled => {
            update = update.col_expr(survey::Column::ScheduledAt, SqExpr::value(now));
        }
        SurveyStatus::Closed => {
            update = update.col_expr(survey::Column::ClosedAt, SqExpr::value(now));
        }
        _ => {}
    }
    let result = update
        .filter(survey::Column::Id.eq(survey_id))
        .filter(survey::Column::Status.is_in(from.iter().copied()))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// A member as the sampler sees them.
#[derive(Clone, Debug)]
pub struct FrameMember {
    pub id: i64,
    pub wishes: Option<MemberLimits>,
    pub background: Background,
    /// Other invitations, sent or planned, sorted by moment.
    pub history: Vec<PastInvitation>,
}

/// Every member of the panel who may be invited at all (confirmed, consenting), with
/// their background and the invitations that count for the contact policy between
/// `from` and `to` (a year either side). Invitations to `except_survey` do not count.
pub async fn frame_members(
    db: &impl ConnectionTrait,
    panel_id: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    except_survey: Option<i64>,
) -> StoreResult<Vec<FrameMember>> {
    let rows: Vec<(i64, Option<String>)> = member::Entity::find()
        .select_only()
        .column(member::Column::Id)
        .column(member::Column::ContactWishes)
        .filter(member::Column::PanelId.eq(panel_id))
        .filter(member::Column::Status.eq(MemberStatus::Active))
        .filter(member::Column::WithdrawnAt.is_null())
        .order_by_asc(member::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let mut members: Vec<FrameMember> = rows
        .into_iter()
        .map(|(id, wishes)| FrameMember {
            id,
            wishes: wishes.as_deref().and_then(|w| serde_json::from_str(w).ok()),
            background: Background::new(),
            history: Vec::new(),
        })
        .collect();
    let index: HashMap<i64, usize> = members.iter().enumerate().map(|(i, m)| (m.id, i)).collect();

    let backgrounds =
        super::members::background_rows(db, panel_id, &[MemberStatus::Active]).await?;
    for (member_id, variable, value) in backgrounds {
        let (Some(&i), Ok(variable), Ok(value)) = (
            index.get(&member_id),
            VariableId::parse(&variable),
            CategoryValue::parse(&value),
        ) else {
            continue;
        };
        members[i].background.insert(variable, value);
    }

    let moment =
        SqExpr::col(invitation::Column::SentAt).if_null(SqExpr::col(invitation::Column::PlannedAt));
    let mut history = invitation::Entity::find()
        .select_only()
        .column(invitation::Column::MemberId)
        .column_as(moment.clone(), "moment")
        .column(invitation::Column::FlashPoll)
        .filter(
            invitation::Column::Status.is_in([InvitationStatus::Planned, InvitationStatus::Sent]),
        )
        .filter(
            invitation::Column::MemberId.in_subquery(
                Query::select()
                    .column(member::Column::Id)
                    .from(member::Entity)
                    .and_where(member::Column::PanelId.eq(panel_id))
                    .to_owned(),
            ),
        )
        .filter(moment.clone().gte(from - Duration::days(367)))
        .filter(moment.lte(to + Duration::days(367)));
    if let Some(survey_id) = except_survey {
        history = history.filter(invitation::Column::SurveyId.ne(survey_id));
    }
    let history: Vec<(i64, Option<DateTime<Utc>>, bool)> = history.into_tuple().all(db).await?;
    for (member_id, moment, flash_poll) in history {
        if let (Some(&i), Some(sent_at)) = (index.get(&member_id), moment) {
            members[i].history.push(PastInvitation {
                sent_at,
                flash_poll,
            });
        }
    }
    for m in &mut members {
        m.history.sort_by_key(|h| h.sent_at);
    }
    Ok(members)
}

/// How each picked member is to be reached: their contact preference, and email only
/// when they have an address.
pub async fn channels(
    db: &impl ConnectionTrait,
    member_ids: &[i64],
) -> StoreResult<HashMap<i64, Channel>> {
    let mut out = HashMap::with_capacity(member_ids.len());
    for chunk in member_ids.chunks(500) {
        let rows: Vec<member::Model> = member::Entity::find()
            .filter(member::Column::Id.is_in(chunk.iter().copied()))
            .all(db)
            .await?;
        for m in rows {
            let mut channel = Channel::for_preference(m.contact_preference);
            if channel == Channel::Email && m.email.is_none() {
                channel = if m.phone.is_some() {
                    Channel::Phone
                } else {
                    Channel::Post
                };
            }
            out.insert(m.id, channel);
        }
    }
    Ok(out)
}

/// Plan invitations for the picked members, and write their contact summaries again.
/// Each gets a placeholder link hash that no one knows; the real link is made at the
/// moment of sending.
pub async fn plan_invitations(
    db: &impl ConnectionTrait,
    survey_id: i64,
    picked: &[(i64, Channel)],
    planned_at: DateTime<Utc>,
    flash_poll: bool,
    now: DateTime<Utc>,
) -> StoreResult<u64> {
    let mut count = 0;
    for chunk in picked.chunks(200) {
        let rows = chunk
            .iter()
            .map(|(member_id, channel)| invitation::ActiveModel {
                survey_id: Set(survey_id),
                member_id: Set(*member_id),
                token_hash: Set(hash_token(&new_token())),
                channel: Set(*channel),
                created_at: Set(now),
                sent_at: Set(None),
                opened_at: Set(None),
                status: Set(InvitationStatus::Planned),
                planned_at: Set(Some(planned_at)),
                flash_poll: Set(flash_poll),
                skip_reason: Set(None),
                reminders_sent: Set(0),
                last_reminder_at: Set(None),
                ..Default::default()
            });
        invitation::Entity::insert_many(rows)
            .exec_without_returning(db)
            .await
            .map_err(StoreError::from_db)?;
        count += chunk.len() as u64;
    }
    let members: Vec<i64> = picked.iter().map(|(member_id, _)| *member_id).collect();
    contact_summary::lock_and_refresh(db, &members, now).await?;
    Ok(count)
}

/// Planned invitations of a survey due at `now`, a batch at a time.
pub async fn due_planned(
    db: &impl ConnectionTrait,
    survey_id: i64,
    now: DateTime<Utc>,
    limit: u64,
) -> StoreResult<Vec<invitation::Model>> {
    Ok(invitation::Entity::find()
        .filter(invitation::Column::SurveyId.eq(survey_id))
        .filter(invitation::Column::Status.eq(InvitationStatus::Planned))
        .filter(invitation::Column::PlannedAt.lte(now))
        .order_by_asc(invitation::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}

/// The earliest moment a still-planned invitation of the survey is due.
pub async fn next_planned(
    db: &impl ConnectionTrait,
    survey_id: i64,
) -> StoreResult<Option<DateTime<Utc>>> {
    let next: Option<Option<DateTime<Utc>>> = invitation::Entity::find()
        .select_only()
        .column_as(invitation::Column::PlannedAt.min(), "next")
        .filter(invitation::Column::SurveyId.eq(survey_id))
        .filter(invitation::Column::Status.eq(InvitationStatus::Planned))
        .into_tuple()
        .one(db)
        .await?;
    Ok(next.flatten())
}

/// Take the member's send lock for the rest of the transaction: every send to a member
/// first updates their row, so a second sender waits until the first commits (a row
/// lock on PostgreSQL, the write lock on SQLite) and then sees what the first sent.
/// `None` when the member is gone (deleted account).
pub async fn lock_member(
    db: &impl ConnectionTrait,
    member_id: i64,
) -> StoreResult<Option<member::Model>> {
    let result = member::Entity::update_many()
        .col_expr(
            member::Column::ContactSeq,
            SqExpr::col(member::Column::ContactSeq).add(1),
        )
        .filter(member::Column::Id.eq(member_id))
        .exec(db)
        .await?;
    if result.rows_affected == 0 {
        return Ok(None);
    }
    Ok(member::Entity::find_by_id(member_id).one(db).await?)
}

/// A member's sent invitations other than `except`, sorted by moment: what the contact
/// policy counts at the moment of sending.
pub async fn sent_history(
    db: &impl ConnectionTrait,
    member_id: i64,
    except: i64,
    since: DateTime<Utc>,
) -> StoreResult<Vec<PastInvitation>> {
    let rows: Vec<(Option<DateTime<Utc>>, bool)> = invitation::Entity::find()
        .select_only()
        .column(invitation::Column::SentAt)
        .column(invitation::Column::FlashPoll)
        .filter(invitation::Column::MemberId.eq(member_id))
        .filter(invitation::Column::Status.eq(InvitationStatus::Sent))
        .filter(invitation::Column::Id.ne(except))
        .filter(invitation::Column::SentAt.gte(since))
        .order_by_asc(invitation::Column::SentAt)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(sent_at, flash_poll)| {
            sent_at.map(|sent_at| PastInvitation {
                sent_at,
                flash_poll,
            })
        })
        .collect())
}

/// Mark a planned invitation sent with a fresh link; returns the link's token, or
/// `None` when the invitation is no longer planned (someone else sent or skipped it).
/// The caller holds the member's send lock; their contact summary is written again.
pub async fn mark_sent(
    db: &impl ConnectionTrait,
    invitation_id: i64,
    now: DateTime<Utc>,
) -> StoreResult<Option<String>> {
    let token = new_token();
    let result = invitation::Entity::update_many()
        .col_expr(
            invitation::Column::Status,
            SqExpr::value(InvitationStatus::Sent),
        )
        .col_expr(invitation::Column::SentAt, SqExpr::value(now))
        .col_expr(
            invitation::Column::TokenHash,
            SqExpr::value(hash_token(&token)),
        )
        .filter(invitation::Column::Id.eq(invitation_id))
        .filter(invitation::Column::Status.eq(InvitationStatus::Planned))
        .exec(db)
        .await?;
    if result.rows_affected != 1 {
        return Ok(None);
    }
    contact_summary::refresh_for_invitations(db, &[invitation_id], now).await?;
    Ok(Some(token))
}

/// Keep an invitation planned, for a later moment the contact policy allows. The caller
/// holds the member's send lock; their contact summary is written again.
pub async fn postpone(
    db: &impl ConnectionTrait,
    invitation_id: i64,
    until: DateTime<Utc>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let result = invitation::Entity::update_many()
        .col_expr(invitation::Column::PlannedAt, SqExpr::value(until))
        .filter(invitation::Column::Id.eq(invitation_id))
        .filter(invitation::Column::Status.eq(InvitationStatus::Planned))
        .exec(db)
        .await?;
    if result.rows_affected == 1 {
        contact_summary::refresh_for_invitations(db, &[invitation_id], now).await?;
    }
    Ok(())
}

/// Give up on a planned invitation, with the reason code. The caller holds the member's
/// send lock (when the member still exists); their contact summary is written again.
pub async fn skip(
    db: &impl ConnectionTrait,
    invitation_id: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let result = invitation::Entity::update_many()
        .col_expr(
            invitation::Column::Status,
            SqExpr::value(InvitationStatus::Skipped),
        )
        .col_expr(invitation::Column::SkipReason, SqExpr::value(reason))
        .filter(invitation::Column::Id.eq(invitation_id))
        .filter(invitation::Column::Status.eq(InvitationStatus::Planned))
        .exec(db)
        .await?;
    if result.rows_affected == 1 {
        contact_summary::refresh_for_invitations(db, &[invitation_id], now).await?;
    }
    Ok(())
}

/// Skip every invitation of the survey that is still planned (the survey closed), and
/// write the contact summaries of their members again. Their send locks come first, so
/// a sender busy with one of them finishes before.
pub async fn skip_all_planned(
    db: &impl ConnectionTrait,
    survey_id: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> StoreResult<u64> {
    let mut members: Vec<i64> = invitation::Entity::find()
        .select_only()
        .column(invitation::Column::MemberId)
        .filter(invitation::Column::SurveyId.eq(survey_id))
        .filter(invitation::Column::Status.eq(InvitationStatus::Planned))
        .into_tuple()
        .all(db)
        .await?;
    members.sort_unstable();
    contact_summary::lock(db, &members).await?;
    let result = invitation::Entity::update_many()
        .col_expr(
            invitation::Column::Status,
            SqExpr::value(InvitationStatus::Skipped),
        )
        .col_expr(invitation::Column::SkipReason, SqExpr::value(reason))
        .filter(invitation::Column::SurveyId.eq(survey_id))
        .filter(invitation::Column::Status.eq(InvitationStatus::Planned))
        .exec(db)
        .await?;
    contact_summary::refresh(db, &members, now).await?;
    Ok(result.rows_affected)
}

/// Sent email invitations that may be due a reminder: sent at or before `sent_before`,
/// fewer than `max_reminders` reminders so far, and no finished response. A batch at a
/// time, after invitation id `after`.
pub async fn reminder_candidates(
    db: &impl ConnectionTrait,
    survey_id: i64,
    sent_before: DateTime<Utc>,
    max_reminders: i32,
    after: i64,
    limit: u64,
) -> StoreResult<Vec<invitation::Model>> {
    let finished = Query::select()
        .column((member::Entity, member::Column::Id))
        .from(member::Entity)
        .inner_join(
            response::Entity,
            SqExpr::col((response::Entity, response::Column::Respondent))
                .equals((member::Entity, member::Column::Pseudonym)),
        )
        .and_where(SqExpr::col((response::Entity, response::Column::SurveyId)).eq(survey_id))
        .and_where(
            SqExpr::col((response::Entity, response::Column::Status))
                .eq(ResponseStatus::Finished.code()),
        )
        .to_owned();
    Ok(invitation::Entity::find()
        .filter(invitation::Column::SurveyId.eq(survey_id))
        .filter(invitation::Column::Status.eq(InvitationStatus::Sent))
        .filter(invitation::Column::Channel.eq(Channel::Email))
        .filter(invitation::Column::SentAt.lte(sent_before))
        .filter(invitation::Column::RemindersSent.lt(max_reminders))
        .filter(invitation::Column::Id.gt(after))
        .filter(invitation::Column::MemberId.not_in_subquery(finished))
        .order_by_asc(invitation::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}

/// The earliest send moment of sent email invitations not yet reminded (for planning
/// the next reminder round).
pub async fn earliest_unreminded(
    db: &impl ConnectionTrait,
    survey_id: i64,
    sent_after: DateTime<Utc>,
) -> StoreResult<Option<DateTime<Utc>>> {
    let next: Option<Option<DateTime<Utc>>> = invitation::Entity::find()
        .select_only()
        .column_as(invitation::Column::SentAt.min(), "next")
        .filter(invitation::Column::SurveyId.eq(survey_id))
        .filter(invitation::Column::Status.eq(InvitationStatus::Sent))
        .filter(invitation::Column::Channel.eq(Channel::Email))
        .filter(invitation::Column::RemindersSent.eq(0))
        .filter(invitation::Column::SentAt.gt(sent_after))
        .into_tuple()
        .one(db)
        .await?;
    Ok(next.flatten())
}

/// Has this member finished the survey?
pub async fn has_finished(
    db: &impl ConnectionTrait,
    survey_id: i64,
    pseudonym: &str,
) -> StoreResult<bool> {
    Ok(response::Entity::find()
        .filter(response::Column::SurveyId.eq(survey_id))
        .filter(response::Column::Respondent.eq(pseudonym))
        .filter(response::Column::Status.eq(ResponseStatus::Finished))
        .one(db)
        .await?
        .is_some())
}

/// Record a reminder with a fresh link (the first link keeps working); returns the
/// link's token, or `None` when another sender already recorded reminder `number`.
pub async fn mark_reminded(
    db: &impl ConnectionTrait,
    invitation_id: i64,
    number: i32,
    now: DateTime<Utc>,
) -> StoreResult<Option<String>> {
    let result = invitation::Entity::update_many()
        .col_expr(invitation::Column::RemindersSent, SqExpr::value(number))
        .col_expr(invitation::Column::LastReminderAt, SqExpr::value(now))
        .filter(invitation::Column::Id.eq(invitation_id))
        .filter(invitation::Column::RemindersSent.eq(number - 1))
        .exec(db)
        .await?;
    if result.rows_affected != 1 {
        return Ok(None);
    }
    let token = new_token();
    invitation_link::ActiveModel {
        token_hash: Set(hash_token(&token)),
        invitation_id: Set(invitation_id),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(Some(token))
}

/// The invitation a further link (a reminder's) belongs to.
pub async fn invitation_by_extra_link(
    db: &impl ConnectionTrait,
    token: &str,
) -> StoreResult<Option<invitation::Model>> {
    let Some(link) = invitation_link::Entity::find_by_id(hash_token(token))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(invitation::Entity::find_by_id(link.invitation_id)
        .one(db)
        .await?)
}

/// Store the member's own contact wishes.
pub async fn set_wishes(
    db: &impl ConnectionTrait,
    member_id: i64,
    wishes: &MemberLimits,
) -> StoreResult<()> {
    member::Entity::update_many()
        .col_expr(
            member::Column::ContactWishes,
            SqExpr::value(serde_json::to_string(wishes).expect("wishes serialise")),
        )
        .filter(member::Column::Id.eq(member_id))
        .exec(db)
        .await?;
    Ok(())
}

/// A member's own contact wishes.
pub fn wishes(m: &member::Model) -> Option<MemberLimits> {
    m.contact_wishes
        .as_deref()
        .and_then(|w| serde_json::from_str(w).ok())
}

/// Counts per invitation status, and per channel of those sent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InvitationCounts {
    pub planned: u64,
    pub sent: u64,
    pub skipped: u64,
    pub opened: u64,
    pub by_channel: Vec<(Channel, u64)>,
    pub reminded: u64,
    /// Skipped invitations per reason code.
    pub skip_reasons: Vec<(String, u64)>,
}

pub async fn invitation_counts(
    db: &impl ConnectionTrait,
    survey_id: i64,
) -> StoreResult<InvitationCounts> {
    // COUNT(column) counts the rows where it is set: opened, reminded.
    let rows: Vec<(InvitationStatus, Channel, Option<String>, i64, i64, i64)> =
        invitation::Entity::find()
            .select_only()
            .column(invitation::Column::Status)
            .column(invitation::Column::Channel)
            .column(invitation::Column::SkipReason)
            .column_as(invitation::Column::Id.count(), "n")
            .column_as(invitation::Column::OpenedAt.count(), "opened")
            .column_as(invitation::Column::LastReminderAt.count(), "reminded")
            .filter(invitation::Column::SurveyId.eq(survey_id))
            .group_by(invitation::Column::Status)
            .group_by(invitation::Column::Channel)
            .group_by(invitation::Column::SkipReason)
            .into_tuple()
            .all(db)
            .await?;
    let mut counts = InvitationCounts::default();
    let mut by_channel: HashMap<Channel, u64> = HashMap::new();
    let mut reasons: HashMap<String, u64> = HashMap::new();
    let count = |n: i64| u64::try_from(n).unwrap_or(0);
    for (status, channel, reason, n, opened, reminded) in rows {
        let n = count(n);
        match status {
            InvitationStatus::Planned => counts.planned += n,
            InvitationStatus::Sent => {
                counts.sent += n;
                *by_channel.entry(channel).or_default() += n;
                counts.opened += count(opened);
                counts.reminded += count(reminded);
            }
            InvitationStatus::Skipped => {
                counts.skipped += n;
                *reasons.entry(reason.unwrap_or_default()).or_default() += n;
            }
        }
    }
    counts.by_channel = Channel::ALL
        .iter()
        .filter_map(|c| by_channel.get(c).map(|n| (*c, *n)))
        .collect();
    let mut reasons: Vec<_> = reasons.into_iter().collect();
    reasons.sort();
    counts.skip_reasons = reasons;
    Ok(counts)
}

/// Finished and started responses of a survey per category of each background variable
/// (through the members' pseudonyms), for quota status and the dashboard.
pub async fn responses_by_background(
    db: &impl ConnectionTrait,
    survey_id: i64,
) -> StoreResult<Vec<(String, String, ResponseStatus, i64)>> {
    Ok(response::Entity::find()
        .select_only()
        .column_as(
            SqExpr::col((
                member_background::Entity,
                member_background::Column::Variable,
            )),
            "variable",
        )
        .column_as(
            SqExpr::col((member_background::Entity, member_background::Column::Value)),
            "value",
        )
        .column(response::Column::Status)
        .column_as(response::Column::Id.count(), "n")
        .join(
            JoinType::InnerJoin,
            response::Entity::belongs_to(member::Entity)
                .from(response::Column::Respondent)
                .to(member::Column::Pseudonym)
                .into(),
        )
        .join(
            JoinType::InnerJoin,
            member::Entity::has_many(member_background::Entity)
                .from(member::Column::Id)
                .to(member_background::Column::MemberId)
                .into(),
        )
        .filter(response::Column::SurveyId.eq(survey_id))
        .group_by(SqExpr::col((
            member_background::Entity,
            member_background::Column::Variable,
        )))
        .group_by(SqExpr::col((
            member_background::Entity,
            member_background::Column::Value,
        )))
        .group_by(response::Column::Status)
        .into_tuple()
        .all(db)
        .await?)
}

/// Invitations sent per category of each background variable.
pub async fn invited_by_background(
    db: &impl ConnectionTrait,
    survey_id: i64,
) -> StoreResult<Vec<(String, String, InvitationStatus, i64)>> {
    Ok(invitation::Entity::find()
        .select_only()
        .column_as(
            SqExpr::col((
                member_background::Entity,
                member_background::Column::Variable,
            )),
            "variable",
        )
        .column_as(
            SqExpr::col((member_background::Entity, member_background::Column::Value)),
            "value",
        )
        .column(invitation::Column::Status)
        .column_as(invitation::Column::Id.count(), "n")
        .join(
            JoinType::InnerJoin,
            invitation::Entity::belongs_to(member_background::Entity)
                .from(invitation::Column::MemberId)
                .to(member_background::Column::MemberId)
                .into(),
        )
        .filter(invitation::Column::SurveyId.eq(survey_id))
        .group_by(SqExpr::col((
            member_background::Entity,
            member_background::Column::Variable,
        )))
        .group_by(SqExpr::col((
            member_background::Entity,
            member_background::Column::Value,
        )))
        .group_by(invitation::Column::Status)
        .into_tuple()
        .all(db)
        .await?)
}

/// Sent invitations of a survey by channel, with the member, for the call list and the
/// print run.
pub async fn sent_by_channel(
    db: &impl ConnectionTrait,
    survey_id: i64,
    channel: Channel,
) -> StoreResult<Vec<(invitation::Model, member::Model)>> {
    let rows = invitation::Entity::find()
        .filter(invitation::Column::SurveyId.eq(survey_id))
        .filter(invitation::Column::Status.eq(InvitationStatus::Sent))
        .filter(invitation::Column::Channel.eq(channel))
        .order_by_asc(invitation::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|i| i.member_id).collect();
    let mut members: HashMap<i64, member::Model> = HashMap::new();
    for chunk in ids.chunks(500) {
        for m in member::Entity::find()
            .filter(member::Column::Id.is_in(chunk.iter().copied()))
            .all(db)
            .await?
        {
            members.insert(m.id, m);
        }
    }
    Ok(rows
        .into_iter()
        .filter_map(|i| members.remove(&i.member_id).map(|m| (i, m)))
        .collect())
}
