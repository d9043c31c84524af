//! A survey's themes for its open answers, and which answers carry which theme.

use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::Query;
use sea_orm::{ActiveValue::Set, ConnectionTrait, QueryFilter, QueryOrder};

use super::entities::{answer, answer_theme, response, survey_theme};
use super::{StoreError, StoreResult};
use crate::domain::questionnaire::{AnswerValue, QuestionId};
use crate::domain::themes::ThemeInput;

/// A survey's themes, in the order they were made.
pub async fn list(
    db: &impl ConnectionTrait,
    survey_id: i64,
) -> StoreResult<Vec<survey_theme::Model>> {
    Ok(survey_theme::Entity::find()
        .filter(survey_theme::Column::SurveyId.eq(survey_id))
        .order_by_asc(survey_theme::Column::Id)
        .all(db)
        .await?)
}

/// One theme of a survey; `NotFound` when it is not that survey's.
pub async fn get(
    db: &impl ConnectionTrait,
    survey_id: i64,
    theme_id: i64,
) -> StoreResult<survey_theme::Model> {
    survey_theme::Entity::find_by_id(theme_id)
        .filter(survey_theme::Column::SurveyId.eq(survey_id))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)
}

/// The theme as its form input.
pub fn input(theme: &survey_theme::Model) -> ThemeInput {
    ThemeInput {
        name: theme.name.clone(),
        keywords: crate::domain::themes::parse_keywords(&theme.keywords),
        problem: theme.problem.clone(),
        insight: theme.insight.clone(),
        change: theme.change.clone(),
    }
}

pub async fn create(
    db: &impl ConnectionTrait,
    survey_id: i64,
    theme: &ThemeInput,
    now: DateTime<Utc>,
) -> StoreResult<survey_theme::Model> {
    Ok(survey_theme::ActiveModel {
        survey_id: Set(survey_id),
        name: Set(theme.name.clone()),
        keywords: Set(theme.keywords_text()),
        problem: Set(theme.problem.clone()),
        insight: Set(theme.insight.clone()),
        change: Set(theme.change.clone()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

pub async fn update(
    db: &impl ConnectionTrait,
    survey_id: i64,
    theme_id: i64,
    theme: &ThemeInput,
    now: DateTime<Utc>,
) -> StoreResult<survey_theme::Model> {
    let mut row: survey_theme::ActiveModel = get(db, survey_id, theme_id).await?.into();
    row.name = Set(theme.name.clone());
    row.keywords = Set(theme.keywords_text());
    row.problem = Set(theme.problem.clone());
    row.insight = Set(theme.insight.clone());
    row.change = Set(theme.change.clone());
    row.updated_at = Set(now);
    Ok(row.update(db).await?)
}

/// Delete a theme with its codes.
pub async fn delete(db: &impl ConnectionTrait, survey_id: i64, theme_id: i64) -> StoreResult<()> {
    get(db, survey_id, theme_id).await?;
    answer_theme::Entity::delete_many()
        .filter(answer_theme::Column::ThemeId.eq(theme_id))
        .exec(db)
        .await?;
    survey_theme::Entity::delete_by_id(theme_id)
        .exec(db)
        .await?;
    Ok(())
}

/// One theme on one answer.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Code {
    pub response_id: i64,
    pub question_id: String,
    pub theme_id: i64,
}

/// Every code on a survey's answers.
pub async fn codes(db: &impl ConnectionTrait, survey_id: i64) -> StoreResult<Vec<Code>> {
    let themes = Query::select()
        .column(survey_theme::Column::Id)
        .from(survey_theme::Entity)
        .and_where(survey_theme::Column::SurveyId.eq(survey_id))
        .to_owned();
    Ok(answer_theme::Entity::find()
        .filter(answer_theme::Column::ThemeId.in_subquery(themes))
        .order_by_asc(answer_theme::Column::ResponseId)
        .order_by_asc(answer_theme::Column::QuestionId)
        .order_by_asc(answer_theme::Column::ThemeId)
        .all(db)
        .await?
        .into_iter()
        .map(|c| Code {
            response_id: c.response_id,
            question_id: c.question_id,
            theme_id: c.theme_id,
        })
        .collect())
}

/// Whether the response belongs to the survey.
async fn response_of(
    db: &impl ConnectionTrait,
    survey_id: i64,
    response_id: i64,
) -> StoreResult<()> {
    response::Entity::find_by_id(response_id)
        .filter(response::Column::SurveyId.eq(survey_id))
        .one(db)
        .await?
        .map(|_| ())
        .ok_or(StoreError::NotFound)
}

/// Whether the survey's response has an open answer (a text that is not blank) to the
/// question; `NotFound` when not.
async fn open_answer_of(
    db: &impl ConnectionTrait,
    survey_id: i64,
    response_id: i64,
    question_id: &QuestionId,
) -> StoreResult<()> {
    response_of(db, survey_id, response_id).await?;
    let row = answer::Entity::find_by_id((response_id, question_id.to_string()))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    let value: AnswerValue =
        serde_json::from_str(&row.value).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    match value {
        AnswerValue::Text(_) if value.is_given() => Ok(()),
        _ => Err(StoreError::NotFound),
    }
}

/// Make `themes` the themes of one open answer (all of the survey's own; others, and an
/// answer that is not open, are `NotFound`). Call inside a transaction.
pub async fn set_codes(
    db: &impl ConnectionTrait,
    survey_id: i64,
    response_id: i64,
    question_id: &QuestionId,
    themes: &[i64],
) -> StoreResult<()> {
    open_answer_of(db, survey_id, response_id, question_id).await?;
    let own: Vec<i64> = list(db, survey_id).await?.iter().map(|t| t.id).collect();
    if themes.iter().any(|t| !own.contains(t)) {
        return Err(StoreError::NotFound);
    }
    answer_theme::Entity::delete_many()
        .filter(answer_theme::Column::ResponseId.eq(response_id))
        .filter(answer_theme::Column::QuestionId.eq(question_id.as_str()))
        .exec(db)
        .await?;
    add_codes(
        db,
        themes.iter().map(|t| Code {
            response_id,
            question_id: question_id.to_string(),
            theme_id: *t,
        }),
    )
    .await
}

/// Add codes; codes already there stay as they are.
pub async fn add_codes(
    db: &impl ConnectionTrait,
    codes: impl IntoIterator<Item = Code>,
) -> StoreResult<()> {
    let rows: Vec<answer_theme::ActiveModel> = codes
        .into_iter()
        .map(|c| answer_theme::ActiveModel {
            response_id: Set(c.response_id),
            question_id: Set(c.question_id),
            theme_id: Set(c.theme_id),
        })
        .collect();
    for chunk in rows.chunks(300) {
        answer_theme::Entity::insert_many(chunk.to_vec())
            .on_conflict_do_nothing_on([
                answer_theme::Column::ResponseId,
                answer_theme::Column::QuestionId,
                answer_theme::Column::ThemeId,
            ])
            .exec(db)
            .await?;
    }
    Ok(())
}
