//! What the panel health and process evaluation pages read: members with their joining,
//! leaving and background; leavings from the audit log (erased members leave no row);
//! invitations per member; the answers to the evaluation questions.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::Query;
use sea_orm::{ConnectionTrait, JoinType, QueryFilter, QuerySelect};

use super::audit::Action;
use super::entities::{answer, audit, invitation, member, response, survey};
use super::{StoreError, StoreResult};
use crate::domain::member::MemberStatus;
use crate::domain::questionnaire::appendix::EVALUATION_IDS;
use crate::domain::questionnaire::{AnswerValue, QuestionId};
use crate::domain::response::{InvitationStatus, ResponseStatus};
use crate::stats::evaluation::{EvaluationAnswer, SurveyRef};
use crate::stats::panel_health::{LeaveEvent, LeaveReason, MemberRow};

/// The audit detail of a member removed by the retention job for being inactive.
pub const INACTIVE_DETAIL: &str = "inactive";

/// Every member of the panel who ever confirmed (pending sign-ups left out), with their
/// background.
pub async fn member_rows(db: &impl ConnectionTrait, panel_id: &str) -> StoreResult<Vec<MemberRow>> {
    type Row = (
        i64,
        MemberStatus,
        Option<DateTime<Utc>>,
        DateTime<Utc>,
        Option<DateTime<Utc>>,
        DateTime<Utc>,
    );
    let rows: Vec<Row> = member::Entity::find()
        .select_only()
        .column(member::Column::Id)
        .column(member::Column::Status)
        .column(member::Column::ConfirmedAt)
        .column(member::Column::CreatedAt)
        .column(member::Column::WithdrawnAt)
        .column(member::Column::ProfileUpdatedAt)
        .filter(member::Column::PanelId.eq(panel_id))
        .filter(member::Column::Status.ne(MemberStatus::Pending))
        .into_tuple()
        .all(db)
        .await?;
    let backgrounds = super::members::background_rows(
        db,
        panel_id,
        &[MemberStatus::Active, MemberStatus::Withdrawn],
    )
    .await?;
    let mut by_member: HashMap<i64, BTreeMap<String, String>> = HashMap::new();
    for (id, variable, value) in backgrounds {
        by_member.entry(id).or_default().insert(variable, value);
    }
    Ok(rows
        .into_iter()
        .map(
            |(id, status, confirmed, created, withdrawn, profile_updated)| MemberRow {
                id,
                joined: confirmed.unwrap_or(created),
                // A withdrawal from before its moment was kept: the last change is the
                // nearest known moment.
                withdrawn_at: withdrawn
                    .or((status == MemberStatus::Withdrawn).then_some(profile_updated)),
                background: by_member.remove(&id).unwrap_or_default(),
            },
        )
        .collect())
}

/// Members of the panel who withdrew, deleted their account or were removed as
/// inactive, as the audit log kept it.
pub async fn leave_events(
    db: &impl ConnectionTrait,
    panel_id: &str,
) -> StoreResult<Vec<LeaveEvent>> {
    let rows: Vec<(Option<i64>, String, String, DateTime<Utc>)> = audit::Entity::find()
        .select_only()
        .column(audit::Column::MemberId)
        .column(audit::Column::Action)
        .column(audit::Column::Detail)
        .column(audit::Column::At)
        .filter(audit::Column::PanelId.eq(panel_id))
        .filter(
            audit::Column::Action
                .is_in([Action::WithdrawConsent.code(), Action::EraseMember.code()]),
        )
        .filter(audit::Column::MemberId.is_not_null())
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(member_id, action, detail, at)| {
            let reason = if action == Action::WithdrawConsent.code() {
                LeaveReason::Withdrew
            } else if detail == INACTIVE_DETAIL {
                LeaveReason::Inactive
            } else {
                LeaveReason::Deleted
            };
            Some(LeaveEvent {
                member_id: member_id?,
                at,
                reason,
            })
        })
        .collect())
}

/// For each active member of the panel, the invitations sent to them after `since` (up
/// to `until`), zeros included.
pub async fn invitations_per_member(
    db: &impl ConnectionTrait,
    panel_id: &str,
    since: DateTime<Utc>,
    until: DateTime<Utc>,
) -> StoreResult<Vec<u32>> {
    let active: Vec<i64> = member::Entity::find()
        .select_only()
        .column(member::Column::Id)
        .filter(member::Column::PanelId.eq(panel_id))
        .filter(member::Column::Status.eq(MemberStatus::Active))
        .into_tuple()
        .all(db)
        .await?;
    let sent: Vec<(i64, i64)> = invitation::Entity::find()
        .select_only()
        .column(invitation::Column::MemberId)
        .column_as(invitation::Column::Id.count(), "n")
        .join(
            JoinType::InnerJoin,
            invitation::Entity::belongs_to(member::Entity)
                .from(invitation::Column::MemberId)
                .to(member::Column::Id)
                .into(),
        )
        .filter(member::Column::PanelId.eq(panel_id))
        .filter(member::Column::Status.eq(MemberStatus::Active))
        .filter(invitation::Column::Status.eq(InvitationStatus::Sent))
        .filter(invitation::Column::SentAt.gt(since))
        .filter(invitation::Column::SentAt.lte(until))
        .group_by(invitation::Column::MemberId)
        .into_tuple()
        .all(db)
        .await?;
    let sent: HashMap<i64, i64> = sent.into_iter().collect();
    Ok(active
        .into_iter()
        .map(|id| u32::try_from(sent.get(&id).copied().unwrap_or(0)).unwrap_or(u32::MAX))
        .collect())
}

/// The panel's surveys, dated by their closing (the planned closing while open), and
/// how often each answer to an evaluation question was given in their finished
/// responses.
pub async fn evaluation_answers(
    db: &impl ConnectionTrait,
    panel_id: &str,
) -> StoreResult<(Vec<SurveyRef>, Vec<EvaluationAnswer>)> {
    type Row = (i64, String, Option<DateTime<Utc>>, DateTime<Utc>);
    let surveys: Vec<Row> = survey::Entity::find()
        .select_only()
        .column(survey::Column::Id)
        .column(survey::Column::Title)
        .column(survey::Column::ClosedAt)
        .column(survey::Column::ClosesAt)
        .filter(survey::Column::PanelId.eq(panel_id))
        .into_tuple()
        .all(db)
        .await?;
    let surveys: Vec<SurveyRef> = surveys
        .into_iter()
        .map(|(id, title, closed, closes)| SurveyRef {
            id,
            title,
            date: closed.unwrap_or(closes),
        })
        .collect();
    let of_panel = Query::select()
        .column(survey::Column::Id)
        .from(survey::Entity)
        .and_where(survey::Column::PanelId.eq(panel_id))
        .to_owned();
    // Counted in the database: one row per survey, question and answer.
    let rows: Vec<(i64, String, String, i64)> = answer::Entity::find()
        .select_only()
        .column(response::Column::SurveyId)
        .column(answer::Column::QuestionId)
        .column(answer::Column::Value)
        .column_as(answer::Column::ResponseId.count(), "n")
        .join(
            JoinType::InnerJoin,
            answer::Entity::belongs_to(response::Entity)
                .from(answer::Column::ResponseId)
                .to(response::Column::Id)
                .into(),
        )
        .filter(response::Column::SurveyId.in_subquery(of_panel))
        .filter(response::Column::Status.eq(ResponseStatus::Finished))
        .filter(answer::Column::QuestionId.is_in(EVALUATION_IDS))
        .group_by(response::Column::SurveyId)
        .group_by(answer::Column::QuestionId)
        .group_by(answer::Column::Value)
        .into_tuple()
        .all(db)
        .await?;
    let answers = rows
        .into_iter()
        .map(|(survey_id, question, value, count)| {
            let question =
                QuestionId::parse(&question).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            let value: AnswerValue =
                serde_json::from_str(&value).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            Ok(EvaluationAnswer {
                survey_id,
                question,
                value,
                count: u64::try_from(count).unwrap_or(0),
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    Ok((surveys, answers))
}
