//! What the results pages read: a survey's finished responses with their answers, the
//! size of the invited panel, and the manager's feedback texts for respondents.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{OnConflict, Query};
use sea_orm::{
    ActiveValue::Set, ConnectionTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::entities::{answer, invitation, response, survey_feedback};
use super::{StoreError, StoreResult};
use crate::domain::feedback::{FeedbackAction, FeedbackTexts};
use crate::domain::questionnaire::{AnswerValue, Answers, QuestionId};
use crate::domain::response::ResponseStatus;

/// The answers of every finished response to a survey, one map per response, in the
/// order the responses were finished. Answers that cannot be read are an error, not
/// silently dropped: a figure would be wrong.
pub async fn finished_answers(
    db: &impl ConnectionTrait,
    survey_id: i64,
) -> StoreResult<Vec<Answers>> {
    Ok(finished_answers_with_ids(db, survey_id).await?.1)
}

/// `finished_answers`, with each response's id (same order).
pub async fn finished_answers_with_ids(
    db: &impl ConnectionTrait,
    survey_id: i64,
) -> StoreResult<(Vec<i64>, Vec<Answers>)> {
    let finished = Query::select()
        .column(response::Column::Id)
        .from(response::Entity)
        .and_where(response::Column::SurveyId.eq(survey_id))
        .and_where(response::Column::Status.eq(ResponseStatus::Finished))
        .to_owned();
    let ids: Vec<i64> = response::Entity::find()
        .select_only()
        .column(response::Column::Id)
        .filter(response::Column::SurveyId.eq(survey_id))
        .filter(response::Column::Status.eq(ResponseStatus::Finished))
        .order_by_asc(response::Column::FinishedAt)
        .order_by_asc(response::Column::Id)
        .into_tuple()
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
    let answers = ids
        .iter()
        .map(|id| by_response.remove(id).unwrap_or_default())
        .collect();
    Ok((ids, answers))
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

/// Who gave a finished response, for splitting the results: the way of answering,
/// whether someone helped, and the member's background as it is now (empty once the
/// member is erased). By response id.
#[derive(Clone, Debug, PartialEq)]
pub struct Respondent {
    pub mode: crate::domain::response::Mode,
    pub proxy: Option<crate::domain::response::Proxy>,
    pub background: BTreeMap<String, String>,
}

pub async fn finished_respondents(
    db: &impl ConnectionTrait,
    survey_id: i64,
) -> StoreResult<BTreeMap<i64, Respondent>> {
    use super::entities::{member, member_background};
    let rows: Vec<(
        i64,
        String,
        crate::domain::response::Mode,
        Option<crate::domain::response::Proxy>,
    )> = response::Entity::find()
        .select_only()
        .column(response::Column::Id)
        .column(response::Column::Respondent)
        .column(response::Column::Mode)
        .column(response::Column::Proxy)
        .filter(response::Column::SurveyId.eq(survey_id))
        .filter(response::Column::Status.eq(ResponseStatus::Finished))
        .into_tuple()
        .all(db)
        .await?;
    let respondents = Query::select()
        .column(response::Column::Respondent)
        .from(response::Entity)
        .and_where(response::Column::SurveyId.eq(survey_id))
        .and_where(response::Column::Status.eq(ResponseStatus::Finished))
        .to_owned();
    let members: Vec<(i64, String)> = member::Entity::find()
        .select_only()
        .column(member::Column::Id)
        .column(member::Column::Pseudonym)
        .filter(member::Column::Pseudonym.in_subquery(respondents.clone()))
        .into_tuple()
        .all(db)
        .await?;
    let member_ids = Query::select()
        .column(member::Column::Id)
        .from(member::Entity)
        .and_where(member::Column::Pseudonym.in_subquery(respondents))
        .to_owned();
    let values = member_background::Entity::find()
        .filter(member_background::Column::MemberId.in_subquery(member_ids))
        .all(db)
        .await?;
    let pseudonym_of: BTreeMap<i64, String> = members.into_iter().collect();
    let mut background: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for v in values {
        if let Some(p) = pseudonym_of.get(&v.member_id) {
            background
                .entry(p.clone())
                .or_default()
                .insert(v.variable, v.value);
        }
    }
    Ok(rows
        .into_iter()
        .map(|(id, respondent, mode, proxy)| {
            let r = Respondent {
                mode,
                proxy,
                background: background.get(&respondent).cloned().unwrap_or_default(),
            };
            (id, r)
        })
        .collect())
}
