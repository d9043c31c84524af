//! Surveys, invitations and responses. A response is found through the member's
//! pseudonym, never the member id, so answers stay apart from contact data.

use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{Expr as SqExpr, OnConflict};
use sea_orm::{
    ActiveValue::Set, Condition, ConnectionTrait, DatabaseConnection, ExprTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, TransactionSession, TransactionTrait,
};

use super::entities::{answer, invitation, member, response, survey};
use super::tokens::{hash_token, new_token};
use super::{StoreError, StoreResult};
use crate::domain::questionnaire::{AnswerValue, Answers, QuestionId};
use crate::domain::response::{
    Channel, InvitationStatus, Mode, Proxy, ResponseStatus, SurveyStatus,
};

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

/// Hand a member an invitation at once, outside fieldwork's waves and contact policy (the
/// demo and tests); returns the invitation and the token for their link. A member is
/// invited to a survey once. It counts for the contact policy from then on: their
/// contact summary is written again in the same transaction.
pub async fn invite(
    db: &(impl ConnectionTrait + TransactionTrait),
    survey_id: i64,
    member_id: i64,
    channel: Channel,
    now: DateTime<Utc>,
) -> StoreResult<(invitation::Model, String)> {
    let txn = db.begin().await?;
    let token = new_token();
    let model = invitation::ActiveModel {
        survey_id: Set(survey_id),
        member_id: Set(member_id),
        token_hash: Set(hash_token(&token)),
        channel: Set(channel),
        created_at: Set(now),
        sent_at: Set(Some(now)),
        opened_at: Set(None),
        status: Set(InvitationStatus::Sent),
        planned_at: Set(Some(now)),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(StoreError::from_db)?;
    super::contact_summary::lock_and_refresh(&txn, &[member_id], now).await?;
    txn.commit().await?;
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
    let found = invitation::Entity::find()
        .filter(invitation::Column::TokenHash.eq(hash_token(token)))
        .filter(invitation::Column::Status.eq(InvitationStatus::Sent))
        .one(db)
        .await?;
    match found {
        Some(inv) => Ok(Some(inv)),
        None => super::fieldwork::invitation_by_extra_link(db, token).await,
    }
}

/// Does `token` open this invitation (its first link or a reminder's)?
pub async fn link_opens(
    db: &impl ConnectionTrait,
    inv: &invitation::Model,
    token: &str,
) -> StoreResult<bool> {
    if inv.status != InvitationStatus::Sent {
        return Ok(false);
    }
    if hash_token(token) == inv.token_hash {
        return Ok(true);
    }
    Ok(super::fieldwork::invitation_by_extra_link(db, token)
        .await?
        .is_some_and(|other| other.id == inv.id))
}

pub async fn mark_opened(db: &DatabaseConnection, id: i64, now: DateTime<Utc>) -> StoreResult<()> {
    let _turn = super::write_turn(db).await;
    invitation::Entity::update_many()
        .col_expr(invitation::Column::OpenedAt, SqExpr::value(now))
        .filter(invitation::Column::Id.eq(id))
        .filter(invitation::Column::OpenedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// The member's invitation to a survey, if they were invited.
pub async fn invitation_for(
    db: &impl ConnectionTrait,
    survey_id: i64,
    member_id: i64,
) -> StoreResult<Option<invitation::Model>> {
    Ok(invitation::Entity::find()
        .filter(invitation::Column::SurveyId.eq(survey_id))
        .filter(invitation::Column::MemberId.eq(member_id))
        .one(db)
        .await?)
}

/// Members invited to a survey whose name, email address or phone number contains
/// `query`, or whose member number is `query`; at most `limit`, by member number.
pub async fn search_invited(
    db: &impl ConnectionTrait,
    survey_id: i64,
    query: &str,
    limit: u64,
) -> StoreResult<Vec<(member::Model, invitation::Model)>> {
    let query = query.trim();
    if query.is_empty() {
        return Ok(Vec::new());
    }
    let mut matches = Condition::any().add(super::members::text_match(query));
    if let Ok(id) = query.trim_start_matches('#').parse::<i64>() {
        matches = matches.add(member::Column::Id.eq(id));
    }
    let invited = sea_orm::sea_query::Query::select()
        .column(invitation::Column::MemberId)
        .from(invitation::Entity)
        .and_where(invitation::Column::SurveyId.eq(survey_id))
        .to_owned();
    let members = member::Entity::find()
        .filter(member::Column::Id.in_subquery(invited))
        .filter(matches)
        .order_by_asc(member::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    let invitations = invitation::Entity::find()
        .filter(invitation::Column::SurveyId.eq(survey_id))
        .filter(invitation::Column::MemberId.is_in(members.iter().map(|m| m.id)))
        .all(db)
        .await?;
    Ok(members
        .into_iter()
        .filter_map(|m| {
            let inv = invitations.iter().find(|i| i.member_id == m.id)?.clone();
            Some((m, inv))
        })
        .collect())
}

/// A member's invitations with their surveys, newest first.
pub async fn member_invitations(
    db: &impl ConnectionTrait,
    member_id: i64,
) -> StoreResult<Vec<(invitation::Model, survey::Model)>> {
    let invitations = invitation::Entity::find()
        .filter(invitation::Column::MemberId.eq(member_id))
        .filter(invitation::Column::Status.eq(InvitationStatus::Sent))
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

/// The responses of these respondents to a survey.
pub async fn responses_of(
    db: &impl ConnectionTrait,
    survey_id: i64,
    respondents: &[&str],
) -> StoreResult<Vec<response::Model>> {
    if respondents.is_empty() {
        return Ok(Vec::new());
    }
    Ok(response::Entity::find()
        .filter(response::Column::SurveyId.eq(survey_id))
        .filter(response::Column::Respondent.is_in(respondents.iter().copied()))
        .all(db)
        .await?)
}

/// Responses begun (finished or not) and finished, for one way of answering.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ModeCount {
    pub mode: Mode,
    pub started: u64,
    pub finished: u64,
}

/// How far a survey is: invitations, and responses per way of answering.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SurveyCounts {
    pub invitations: u64,
    /// One entry per mode, in the order of [`Mode::ALL`].
    pub by_mode: Vec<ModeCount>,
}

impl SurveyCounts {
    pub fn started(&self) -> u64 {
        self.by_mode.iter().map(|m| m.started).sum()
    }
    pub fn finished(&self) -> u64 {
        self.by_mode.iter().map(|m| m.finished).sum()
    }
}

pub async fn survey_counts(db: &impl ConnectionTrait, survey_id: i64) -> StoreResult<SurveyCounts> {
    let invitations = invitation::Entity::find()
        .filter(invitation::Column::SurveyId.eq(survey_id))
        .count(db)
        .await?;
    let rows: Vec<(Mode, ResponseStatus, i64)> = response::Entity::find()
        .select_only()
        .column(response::Column::Mode)
        .column(response::Column::Status)
        .column_as(response::Column::Id.count(), "n")
        .filter(response::Column::SurveyId.eq(survey_id))
        .group_by(response::Column::Mode)
        .group_by(response::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    let by_mode = Mode::ALL
        .iter()
        .map(|&mode| {
            let count = |status: Option<ResponseStatus>| -> u64 {
                rows.iter()
                    .filter(|(m, s, _)| *m == mode && status.is_none_or(|want| *s == want))
                    .map(|(_, _, n)| u64::try_from(*n).unwrap_or(0))
                    .sum()
            };
            ModeCount {
                mode,
                started: count(None),
                finished: count(Some(ResponseStatus::Finished)),
            }
        })
        .collect();
    Ok(SurveyCounts {
        invitations,
        by_mode,
    })
}

pub async fn response(db: &impl ConnectionTrait, id: i64) -> StoreResult<response::Model> {
    response::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)
}

/// The respondent's response to a survey, started now if there is none.
pub async fn start_response(
    db: &DatabaseConnection,
    survey: &survey::Model,
    respondent: &str,
    mode: Mode,
    entered_by: Option<i64>,
    now: DateTime<Utc>,
) -> StoreResult<response::Model> {
    if let Some(existing) = response_for(db, survey.id, respondent).await? {
        return Ok(existing);
    }
    let turn = super::write_turn(db).await;
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
    drop(turn);
    match inserted.map_err(StoreError::from_db) {
        Ok(model) => Ok(model),
        // Two tabs started at the same moment: use the one that won.
        Err(StoreError::Duplicate(_)) => response_for(db, survey.id, respondent)
            .await?
            .ok_or(StoreError::NotFound),
        Err(e) => Err(e),
    }
}

/// Turn a response begun on the web or by phone into a paper entry by `manager_id`: its
/// answers and who answered are removed and it starts again now, so the paper answers
/// are never mixed with others. Refused (`Conflict`) once the response is finished.
pub async fn restart_as_paper(
    db: &DatabaseConnection,
    response_id: i64,
    manager_id: i64,
    now: DateTime<Utc>,
) -> StoreResult<response::Model> {
    let txn = super::begin_write(db).await?;
    let changed = response::Entity::update_many()
        .col_expr(response::Column::Mode, SqExpr::value(Mode::Paper))
        .col_expr(
            response::Column::Proxy,
            SqExpr::value(Option::<Proxy>::None),
        )
        .col_expr(response::Column::EnteredBy, SqExpr::value(manager_id))
        .col_expr(response::Column::StartedAt, SqExpr::value(now))
        .col_expr(response::Column::UpdatedAt, SqExpr::value(now))
        .col_expr(
            response::Column::Revision,
            SqExpr::col(response::Column::Revision).add(1),
        )
        .filter(response::Column::Id.eq(response_id))
        .filter(response::Column::Status.eq(ResponseStatus::InProgress))
        .exec(&txn)
        .await?;
    if changed.rows_affected == 0 {
        return Err(StoreError::Conflict);
    }
    answer::Entity::delete_many()
        .filter(answer::Column::ResponseId.eq(response_id))
        .exec(&txn)
        .await?;
    let model = response(&txn, response_id).await?;
    txn.commit().await?;
    Ok(model)
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
    let turn = super::write_turn(db).await;
    let txn = super::begin_write(db).await?;
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
    drop(turn);
    Ok(())
}

pub async fn set_proxy(
    db: &DatabaseConnection,
    response_id: i64,
    proxy: Proxy,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let _turn = super::write_turn(db).await;
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
    let turn = super::write_turn(db).await;
    let txn = super::begin_write(db).await?;
    finish_in(&txn, response_id, now).await?;
    txn.commit().await?;
    drop(turn);
    Ok(())
}

/// Mark a response finished inside the caller's transaction; the response when this
/// call finished it, `None` when it was finished already.
pub async fn finish_in(
    txn: &impl ConnectionTrait,
    response_id: i64,
    now: DateTime<Utc>,
) -> StoreResult<Option<response::Model>> {
    let r = response(txn, response_id).await?;
    let done = response::Entity::update_many()
        .col_expr(
            response::Column::Status,
            SqExpr::value(ResponseStatus::Finished),
        )
        .col_expr(response::Column::FinishedAt, SqExpr::value(now))
        .col_expr(response::Column::UpdatedAt, SqExpr::value(now))
        .filter(response::Column::Id.eq(response_id))
        .filter(response::Column::Status.eq(ResponseStatus::InProgress))
        .exec(txn)
        .await?;
    if done.rows_affected != 1 {
        return Ok(None);
    }
    member::Entity::update_many()
        .col_expr(member::Column::LastParticipatedAt, SqExpr::value(now))
        .filter(member::Column::Pseudonym.eq(&r.respondent))
        .exec(txn)
        .await?;
    Ok(Some(r))
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
