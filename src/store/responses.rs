//! Surveys, invitations and responses. A response is found through the member's
//! pseudonym, never the member id, so answers stay apart from contact data.

use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{Expr as SqExpr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ConnectionTrait, DatabaseConnection, ExprTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};

use super::entities::{answer, invitation, member, response, survey};
use super::tokens::{hash_token, new_token};
use super::{StoreError, StoreResult};
use crate::domain::questionnaire::{AnswerValue, Answers, QuestionId};
use crate::domain::response::{Channel, Mode, Proxy, ResponseStatus, SurveyStatus};

#[allow(clippy::too_many_arguments)]
pub async fn create_survey(
    db: &impl ConnectionTrait,
    panel_id: &str,
    version_id: i64,
    title: &str,
    status: SurveyStatus,
    opens_at: DateTime<Utc>,
    closes_at: DateTime<Utc>,
    created_by: Option<i64>,
    now: DateTime<Utc>,
) -> StoreResult<survey::Model> {
    Ok(survey::ActiveModel {
        panel_id: Set(panel_id.to_owned()),
        version_id: Set(version_id),
        title: Set(title.to_owned()),
        status: Set(status),
        opens_at: Set(opens_at),
        closes_at: Set(closes_at),
        created_by: Set(created_by),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

pub async fn survey(db: &impl ConnectionTrait, id: i64) -> StoreResult<survey::Model> {
    survey::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)
}

pub async fn surveys(db: &impl ConnectionTrait, panel_id: &str) -> StoreResult<Vec<survey::Model>> {
    Ok(survey::Entity::find()
        .filter(survey::Column::PanelId.eq(panel_id))
        .order_by_desc(survey::Column::CreatedAt)
        .all(db)
        .await?)
}

/// Invite a member; returns the invitation and the token for their link. A member is
/// invited to a survey once.
pub async fn invite(
    db: &impl ConnectionTrait,
    survey_id: i64,
    member_id: i64,
    channel: Channel,
    now: DateTime<Utc>,
) -> StoreResult<(invitation::Model, String)> {
    let token = new_token();
    let model = invitation::ActiveModel {
        survey_id: Set(survey_id),
        member_id: Set(member_id),
        token_hash: Set(hash_token(&token)),
        channel: Set(channel),
        created_at: Set(now),
        sent_at: Set(None),
        opened_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(StoreError::from_db)?;
    Ok((model, token))
}

pub async fn invitation(db: &impl ConnectionTrait, id: i64) -> StoreResult<invitation::Model> {
    invitation::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)
}

pub async fn invitation_by_token(
    db: &impl ConnectionTrait,
    token: &str,
) -> StoreResult<Option<invitation::Model>> {
    Ok(invitation::Entity::find()
        .filter(invitation::Column::TokenHash.eq(hash_token(token)))
        .one(db)
        .await?)
}

pub async fn mark_opened(
    db: &impl ConnectionTrait,
    id: i64,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    invitation::Entity::update_many()
        .col_expr(invitation::Column::OpenedAt, SqExpr::value(now))
        .filter(invitation::Column::Id.eq(id))
        .filter(invitation::Column::OpenedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// A member's invitations with their surveys, newest first.
pub async fn member_invitations(
    db: &impl ConnectionTrait,
    member_id: i64,
) -> StoreResult<Vec<(invitation::Model, survey::Model)>> {
    let invitations = invitation::Entity::find()
        .filter(invitation::Column::MemberId.eq(member_id))
        .order_by_desc(invitation::Column::CreatedAt)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(invitations.len());
    for inv in invitations {
        let s = survey(db, inv.survey_id).await?;
        out.push((inv, s));
    }
    Ok(out)
}

pub async fn response_for(
    db: &impl ConnectionTrait,
    survey_id: i64,
    respondent: &str,
) -> StoreResult<Option<response::Model>> {
    Ok(response::Entity::find()
        .filter(response::Column::SurveyId.eq(survey_id))
        .filter(response::Column::Respondent.eq(respondent))
        .one(db)
        .await?)
}

pub async fn response(db: &impl ConnectionTrait, id: i64) -> StoreResult<response::Model> {
    response::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)
}

/// The respondent's response to a survey, started now if there is none.
pub async fn start_response(
    db: &impl ConnectionTrait,
    survey: &survey::Model,
    respondent: &str,
    mode: Mode,
    entered_by: Option<i64>,
    now: DateTime<Utc>,
) -> StoreResult<response::Model> {
    if let Some(existing) = response_for(db, survey.id, respondent).await? {
        return Ok(existing);
    }
    let inserted = response::ActiveModel {
        survey_id: Set(survey.id),
        version_id: Set(survey.version_id),
        respondent: Set(respondent.to_owned()),
        mode: Set(mode),
        proxy: Set(None),
        status: Set(ResponseStatus::InProgress),
        entered_by: Set(entered_by),
        started_at: Set(now),
        updated_at: Set(now),
        finished_at: Set(None),
        revision: Set(0),
        ..Default::default()
    }
    .insert(db)
    .await;
    match inserted.map_err(StoreError::from_db) {
        Ok(model) => Ok(model),
        // Two tabs started at the same moment: use the one that won.
        Err(StoreError::Duplicate(_)) => response_for(db, survey.id, respondent)
            .await?
            .ok_or(StoreError::NotFound),
        Err(e) => Err(e),
    }
}

pub async fn answers(db: &impl ConnectionTrait, response_id: i64) -> StoreResult<Answers> {
    let rows = answer::Entity::find()
        .filter(answer::Column::ResponseId.eq(response_id))
        .all(db)
        .await?;
    rows.into_iter()
        .map(|row| {
            let id = QuestionId::parse(&row.question_id)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            let value: AnswerValue =
                serde_json::from_str(&row.value).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            Ok((id, value))
        })
        .collect()
}

/// Store the answers as they are now: one question's new answer (or its removal) and
/// the answers that no longer apply. Refused once the response is finished.
pub async fn save_answers(
    db: &DatabaseConnection,
    response_id: i64,
    answers: &Answers,
    changed: &[QuestionId],
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let txn = db.begin().await?;
    let bumped = response::Entity::update_many()
        .col_expr(
            response::Column::Revision,
            SqExpr::col(response::Column::Revision).add(1),
        )
        .col_expr(response::Column::UpdatedAt, SqExpr::value(now))
        .filter(response::Column::Id.eq(response_id))
        .filter(response::Column::Status.eq(ResponseStatus::InProgress))
        .exec(&txn)
        .await?;
    if bumped.rows_affected == 0 {
        return Err(StoreError::Conflict);
    }
    for id in changed {
        match answers.get(id.as_str()) {
            Some(value) => {
                let json =
                    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(e.to_string()))?;
                answer::Entity::insert(answer::ActiveModel {
                    response_id: Set(response_id),
                    question_id: Set(id.to_string()),
                    value: Set(json),
                    answered_at: Set(now),
                })
                .on_conflict(
                    OnConflict::columns([answer::Column::ResponseId, answer::Column::QuestionId])
                        .update_columns([answer::Column::Value, answer::Column::AnsweredAt])
                        .to_owned(),
                )
                .exec_without_returning(&txn)
                .await?;
            }
            None => {
                answer::Entity::delete_many()
                    .filter(answer::Column::ResponseId.eq(response_id))
                    .filter(answer::Column::QuestionId.eq(id.as_str()))
                    .exec(&txn)
                    .await?;
            }
        }
    }
    txn.commit().await?;
    Ok(())
}

pub async fn set_proxy(
    db: &impl ConnectionTrait,
    response_id: i64,
    proxy: Proxy,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    response::Entity::update_many()
        .col_expr(response::Column::Proxy, SqExpr::value(proxy))
        .col_expr(response::Column::UpdatedAt, SqExpr::value(now))
        .filter(response::Column::Id.eq(response_id))
        .filter(response::Column::Status.eq(ResponseStatus::InProgress))
        .exec(db)
        .await?;
    Ok(())
}

/// Mark a response finished; finishing twice (a double submit) changes nothing. The
/// member counts as active from now on.
pub async fn finish(
    db: &DatabaseConnection,
    response_id: i64,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let txn = db.begin().await?;
    let r = response(&txn, response_id).await?;
    let done = response::Entity::update_many()
        .col_expr(
            response::Column::Status,
            SqExpr::value(ResponseStatus::Finished),
        )
        .col_expr(response::Column::FinishedAt, SqExpr::value(now))
        .col_expr(response::Column::UpdatedAt, SqExpr::value(now))
        .filter(response::Column::Id.eq(response_id))
        .filter(response::Column::Status.eq(ResponseStatus::InProgress))
        .exec(&txn)
        .await?;
    if done.rows_affected == 1 {
        member::Entity::update_many()
            .col_expr(member::Column::LastParticipatedAt, SqExpr::value(now))
            .filter(member::Column::Pseudonym.eq(&r.respondent))
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Delete every response of a respondent (erasure without consent to keep answers).
pub async fn erase_for(db: &impl ConnectionTrait, respondent: &str) -> StoreResult<u64> {
    Ok(response::Entity::delete_many()
        .filter(response::Column::Respondent.eq(respondent))
        .exec(db)
        .await?
        .rows_affected)
}

/// Delete the responses to a panel's surveys started before `before`.
pub async fn purge_before(
    db: &impl ConnectionTrait,
    panel_id: &str,
    before: DateTime<Utc>,
) -> StoreResult<u64> {
    let ids: Vec<i64> = surveys(db, panel_id)
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect();
    if ids.is_empty() {
        return Ok(0);
    }
    Ok(response::Entity::delete_many()
        .filter(response::Column::SurveyId.is_in(ids))
        .filter(response::Column::StartedAt.lt(before))
        .exec(db)
        .await?
        .rows_affected)
}
