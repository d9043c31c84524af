//! What the results pages and exports read: a survey's finished responses with their
//! answers (and their members' background), the size of the invited panel, and the
//! manager's feedback texts for respondents.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{OnConflict, Query, SelectStatement};
use sea_orm::{
    ActiveValue::Set, ConnectionTrait, JoinType, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, RelationTrait,
};

use super::entities::{answer, invitation, member, member_background, response, survey_feedback};
use super::{StoreError, StoreResult};
use crate::domain::feedback::{FeedbackAction, FeedbackTexts};
use crate::domain::ids::{CategoryValue, VariableId};
use crate::domain::questionnaire::{AnswerValue, Answers, QuestionId};
use crate::domain::response::{Mode, Proxy, ResponseStatus};

/// A finished response: who (by pseudonym), how, when, and the answers.
#[derive(Clone, Debug, PartialEq)]
pub struct FinishedResponse {
    pub id: i64,
    /// The member's pseudonym.
    pub respondent: String,
    pub mode: Mode,
    pub proxy: Option<Proxy>,
    pub finished_at: DateTime<Utc>,
    pub answers: Answers,
}

/// `column` of a survey's finished responses, as a subquery.
fn finished_column(survey_id: i64, column: response::Column) -> SelectStatement {
    Query::select()
        .column(column)
        .from(response::Entity)
        .and_where(response::Column::SurveyId.eq(survey_id))
        .and_where(response::Column::Status.eq(ResponseStatus::Finished))
        .to_owned()
}

/// The answers of every finished response to a survey, one map per response, in the
/// order the responses were finished. Answers that cannot be read are an error, not
/// silently dropped: a figure would be wrong.
pub async fn finished_answers(
    db: &impl ConnectionTrait,
    survey_id: i64,
) -> StoreResult<Vec<Answers>> {
    Ok(finished_responses(db, survey_id)
        .await?
        .into_iter()
        .map(|r| r.answers)
        .collect())
}

/// Every finished response to a survey with its answers, in the order they were
/// finished (then by id): the order of [`finished_answers`].
pub async fn finished_responses(
    db: &impl ConnectionTrait,
    survey_id: i64,
) -> StoreResult<Vec<FinishedResponse>> {
    let finished = finished_column(survey_id, response::Column::Id);
    let responses = response::Entity::find()
        .filter(response::Column::SurveyId.eq(survey_id))
        .filter(response::Column::Status.eq(ResponseStatus::Finished))
        .order_by_asc(response::Column::FinishedAt)
        .order_by_asc(response::Column::Id)
        .all(db)
        .await?;
    let rows = answer::Entity::find()
        .filter(answer::Column::ResponseId.in_subquery(finished))
        .all(db)
        .await?;
    let mut by_response: BTreeMap<i64, Answers> = BTreeMap::new();
    for row in rows {
        let id =
            QuestionId::parse(&row.question_id).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let value: AnswerValue =
            serde_json::from_str(&row.value).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        by_response
            .entry(row.response_id)
            .or_default()
            .insert(id, value);
    }
    responses
        .into_iter()
        .map(|r| {
            let finished_at = r.finished_at.ok_or_else(|| {
                StoreError::Corrupt(format!("response {} is finished without a time", r.id))
            })?;
            Ok(FinishedResponse {
                id: r.id,
                answers: by_response.remove(&r.id).unwrap_or_default(),
                respondent: r.respondent,
                mode: r.mode,
                proxy: r.proxy,
                finished_at,
            })
        })
        .collect()
}

/// The background answers of the members behind a survey's finished responses, by
/// pseudonym. Members who were erased are missing.
pub async fn respondent_backgrounds(
    db: &impl ConnectionTrait,
    survey_id: i64,
) -> StoreResult<HashMap<String, BTreeMap<VariableId, CategoryValue>>> {
    let respondents = finished_column(survey_id, response::Column::Respondent);
    let rows: Vec<(String, String, String)> = member_background::Entity::find()
        .select_only()
        .column(member::Column::Pseudonym)
        .column(member_background::Column::Variable)
        .column(member_background::Column::Value)
        .join(
            JoinType::InnerJoin,
            member_background::Relation::Member.def(),
        )
        .filter(member::Column::Pseudonym.in_subquery(respondents))
        .into_tuple()
        .all(db)
        .await?;
    let mut out: HashMap<String, BTreeMap<VariableId, CategoryValue>> = HashMap::new();
    for (pseudonym, variable, value) in rows {
        let variable = VariableId::parse(&variable)
            .map_err(|e| StoreError::Corrupt(format!("variable: {e}")))?;
        let value = CategoryValue::parse(&value)
            .map_err(|e| StoreError::Corrupt(format!("category: {e}")))?;
        out.entry(pseudonym).or_default().insert(variable, value);
    }
    Ok(out)
}

/// Invitations of a survey in any state: with "everyone" as its size, the eligible panel.
pub async fn invitation_count(db: &impl ConnectionTrait, survey_id: i64) -> StoreResult<u64> {
    Ok(invitation::Entity::find()
        .filter(invitation::Column::SurveyId.eq(survey_id))
        .count(db)
        .await?)
}

pub async fn feedback(
    db: &impl ConnectionTrait,
    survey_id: i64,
) -> StoreResult<Option<survey_feedback::Model>> {
    Ok(survey_feedback::Entity::find_by_id(survey_id)
        .one(db)
        .await?)
}

/// Store the manager's texts (and publish or withdraw the results). Publishing again
/// keeps the first publication moment.
pub async fn save_feedback(
    db: &impl ConnectionTrait,
    survey_id: i64,
    texts: &FeedbackTexts,
    action: FeedbackAction,
    manager_id: i64,
    now: DateTime<Utc>,
) -> StoreResult<survey_feedback::Model> {
    let before = feedback(db, survey_id).await?;
    let was = before.as_ref().and_then(|f| f.published_at);
    let published_at = match action {
        FeedbackAction::Save => was,
        FeedbackAction::Publish => was.or(Some(now)),
        FeedbackAction::Withdraw => None,
    };
    survey_feedback::Entity::insert(survey_feedback::ActiveModel {
        survey_id: Set(survey_id),
        what_we_do: Set(texts.what_we_do.clone()),
        what_changed: Set(texts.what_changed.clone()),
        published_at: Set(published_at),
        updated_by: Set(Some(manager_id)),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(survey_feedback::Column::SurveyId)
            .update_columns([
                survey_feedback::Column::WhatWeDo,
                survey_feedback::Column::WhatChanged,
                survey_feedback::Column::PublishedAt,
                survey_feedback::Column::UpdatedBy,
                survey_feedback::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    feedback(db, survey_id).await?.ok_or(StoreError::NotFound)
}
