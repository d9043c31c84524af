//! Coding a survey's open answers with themes (the guide's step 6): the manager's
//! board of themes, answers, keyword suggestions and counts per theme and group; saving
//! themes and codes. The counts also go into the results (`results::load_weighted`)
//! and from there into the reports.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use super::results::{ResponseBackgrounds, ResultsError, grouping};
use crate::domain::grouping::GroupBy;
use crate::domain::ids::VariableId;
use crate::domain::panel::PanelDefinition;
use crate::domain::questionnaire::{AnswerValue, Question, QuestionId, QuestionType};
use crate::domain::signup::FieldError;
use crate::domain::themes::{self as domain, MAX_THEMES, ThemeInput, WordSuggestion};
use crate::i18n::Lang;
use crate::stats::{RespondentThemes, ThemeCounts, count_themes};
use crate::store::entities::survey;
use crate::store::results::FinishedResponse;
use crate::store::themes::{self as store, Code};
use crate::store::{self as db_store, StoreError, panels, questionnaires, responses, results};

/// A theme with its id.
#[derive(Clone, Debug, PartialEq)]
pub struct Theme {
    pub id: i64,
    pub input: ThemeInput,
}

/// A survey's themes, as stored.
pub async fn themes(db: &impl ConnectionTrait, survey_id: i64) -> Result<Vec<Theme>, StoreError> {
    Ok(store::list(db, survey_id)
        .await?
        .iter()
        .map(|t| Theme {
            id: t.id,
            input: store::input(t),
        })
        .collect())
}

/// One open answer with its themes.
#[derive(Clone, Debug, PartialEq)]
pub struct OpenAnswer {
    pub response_id: i64,
    pub question_id: QuestionId,
    pub text: String,
    pub themes: Vec<i64>,
    /// Themes whose keywords occur in the text and that it does not have yet.
    pub suggested: Vec<i64>,
}

/// What the manager's theme page shows.
pub struct ThemeBoard {
    pub survey: survey::Model,
    pub panel: PanelDefinition,
    /// The open questions, in questionnaire order.
    pub questions: Vec<Question>,
    pub themes: Vec<Theme>,
    /// Every open answer, by question and then in the order the responses finished.
    pub answers: Vec<OpenAnswer>,
    pub words: Vec<WordSuggestion>,
    /// What the counts are split by, if anything.
    pub by: Option<GroupBy>,
    pub counts: ThemeCounts,
}

fn open_questions(questions: &[Question]) -> Vec<Question> {
    questions
        .iter()
        .filter(|q| matches!(q.kind, QuestionType::OpenText { .. }))
        .cloned()
        .collect()
}

fn text_of(value: Option<&AnswerValue>) -> Option<&str> {
    match value {
        Some(AnswerValue::Text(t)) if !t.trim().is_empty() => Some(t.as_str()),
        _ => None,
    }
}

/// Per response (in order), whether it has an open answer and the themes on its
/// answers as indexes into `themes`.
fn respondent_themes(
    responses: &[FinishedResponse],
    open: &[QuestionId],
    themes: &[Theme],
    codes: &[Code],
) -> Vec<RespondentThemes> {
    let index: HashMap<i64, usize> = themes.iter().enumerate().map(|(i, t)| (t.id, i)).collect();
    let mut by_response: HashMap<i64, Vec<usize>> = HashMap::new();
    for c in codes {
        if let Some(i) = index.get(&c.theme_id) {
            by_response.entry(c.response_id).or_default().push(*i);
        }
    }
    responses
        .iter()
        .map(|r| RespondentThemes {
            answered: open.iter().any(|q| text_of(r.answers.get(q)).is_some()),
            themes: by_response.remove(&r.id).unwrap_or_default(),
        })
        .collect()
}

/// How often each theme comes back among `responses`, split by `groupings`.
fn count(
    questions: &[Question],
    responses: &[FinishedResponse],
    themes: &[Theme],
    codes: &[Code],
    groupings: &[crate::stats::Grouping],
) -> ThemeCounts {
    let open: Vec<QuestionId> = open_questions(questions)
        .into_iter()
        .map(|q| q.id)
        .collect();
    let people = respondent_themes(responses, &open, themes, codes);
    count_themes(themes.len(), &people, groupings)
}

/// A survey's themes and how often each comes back, split by `groupings`; for the
/// results.
pub(crate) async fn counts(
    db: &impl ConnectionTrait,
    survey_id: i64,
    questions: &[Question],
    responses: &[FinishedResponse],
    groupings: &[crate::stats::Grouping],
) -> Result<(Vec<Theme>, ThemeCounts), StoreError> {
    let themes = themes(db, survey_id).await?;
    let codes = store::codes(db, survey_id).await?;
    let counts = count(questions, responses, &themes, &codes, groupings);
    Ok((themes, counts))
}

/// How the board splits the counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Split<'a> {
    None,
    /// By the grouping with this key (`GroupBy::key`); an unknown or empty key is the
    /// panel's first background variable (else the way of answering).
    By(&'a str),
}

/// The manager's board for a survey, the counts split as `split` says.
pub async fn board(
    db: &impl ConnectionTrait,
    survey_id: i64,
    lang: Lang,
    split: Split<'_>,
) -> Result<ThemeBoard, ResultsError> {
    let survey = responses::survey(db, survey_id).await?;
    let panel = panels::get(db, &survey.panel_id).await?;
    let by = match split {
        Split::None => None,
        Split::By(key) => Some(
            GroupBy::parse(key, &panel)
                .or_else(|| GroupBy::all(&panel).into_iter().next())
                .unwrap_or(GroupBy::Mode),
        ),
    };
    let version = questionnaires::version(db, survey.version_id).await?;
    let questionnaire = questionnaires::parsed(&version)?;
    let questions = open_questions(&questionnaire.with_appendix(lang));
    let responses = results::finished_responses(db, survey.id).await?;
    let backgrounds = match &by {
        Some(GroupBy::Background(_)) => results::respondent_backgrounds(db, survey.id).await?,
        _ => HashMap::new(),
    };
    let variables: Vec<VariableId> = match &by {
        Some(GroupBy::Background(id)) => vec![id.clone()],
        _ => Vec::new(),
    };
    let each = ResponseBackgrounds::new(&panel, &variables, &responses, &backgrounds);
    let groupings: Vec<_> = by
        .iter()
        .map(|b| grouping(b, &panel, &responses, &each, lang))
        .collect();
    let themes = themes(db, survey.id).await?;
    let codes = store::codes(db, survey.id).await?;
    let counts = count(&questions, &responses, &themes, &codes, &groupings);
    let mut coded: BTreeMap<(i64, &str), Vec<i64>> = BTreeMap::new();
    for c in &codes {
        coded
            .entry((c.response_id, c.question_id.as_str()))
            .or_default()
            .push(c.theme_id);
    }
    let keywords: Vec<(i64, &[String])> = themes
        .iter()
        .map(|t| (t.id, t.input.keywords.as_slice()))
        .collect();
    let mut answers = Vec::new();
    for q in &questions {
        for r in &responses {
            let Some(text) = text_of(r.answers.get(&q.id)) else {
                continue;
            };
            let own = coded
                .get(&(r.id, q.id.as_str()))
                .cloned()
                .unwrap_or_default();
            let suggested = domain::suggest(text, keywords.iter().copied())
                .into_iter()
                .filter(|t| !own.contains(t))
                .collect();
            answers.push(OpenAnswer {
                response_id: r.id,
                question_id: q.id.clone(),
                text: text.to_owned(),
                themes: own,
                suggested,
            });
        }
    }
    let known: Vec<String> = themes
        .iter()
        .flat_map(|t| {
            t.input
                .keywords
                .iter()
                .cloned()
                .chain(std::iter::once(t.input.name.clone()))
        })
        .collect();
    let words = domain::frequent_words(answers.iter().map(|a| a.text.as_str()), &known, 12);
    Ok(ThemeBoard {
        survey,
        panel,
        questions,
        themes,
        answers,
        words,
        by,
        counts,
    })
}

/// Save a new theme (`theme_id` `None`) or change one; the problems when it cannot be
/// saved (nothing is stored then).
pub async fn save_theme(
    db: &DatabaseConnection,
    survey_id: i64,
    theme_id: Option<i64>,
    input: &ThemeInput,
    now: DateTime<Utc>,
) -> Result<Result<i64, Vec<FieldError>>, StoreError> {
    let _turn = db_store::write_turn(db).await;
    let txn = db_store::begin_write(db).await?;
    responses::survey(&txn, survey_id).await?;
    let existing = store::list(&txn, survey_id).await?;
    if let Some(id) = theme_id {
        store::get(&txn, survey_id, id).await?;
    }
    let others: Vec<&str> = existing
        .iter()
        .filter(|t| Some(t.id) != theme_id)
        .map(|t| t.name.as_str())
        .collect();
    let mut problems = input.problems(&others);
    if theme_id.is_none() && existing.len() >= MAX_THEMES {
        problems.push(FieldError::new("name", "themes.error.too_many"));
    }
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    let saved = match theme_id {
        Some(id) => store::update(&txn, survey_id, id, input, now).await?,
        None => store::create(&txn, survey_id, input, now).await?,
    };
    txn.commit().await?;
    Ok(Ok(saved.id))
}

pub async fn delete_theme(
    db: &DatabaseConnection,
    survey_id: i64,
    theme_id: i64,
) -> Result<(), StoreError> {
    let _turn = db_store::write_turn(db).await;
    let txn = db_store::begin_write(db).await?;
    store::delete(&txn, survey_id, theme_id).await?;
    txn.commit().await?;
    Ok(())
}

/// Give one open answer exactly `themes`.
pub async fn code_answer(
    db: &DatabaseConnection,
    survey_id: i64,
    response_id: i64,
    question_id: &QuestionId,
    themes: &[i64],
) -> Result<(), StoreError> {
    let _turn = db_store::write_turn(db).await;
    let txn = db_store::begin_write(db).await?;
    store::set_codes(&txn, survey_id, response_id, question_id, themes).await?;
    txn.commit().await?;
    Ok(())
}

/// Give every open answer without a theme the themes its keywords suggest; the number
/// of answers that got one.
pub async fn accept_suggestions(
    db: &DatabaseConnection,
    survey_id: i64,
    lang: Lang,
) -> Result<usize, ResultsError> {
    let board = board(db, survey_id, lang, Split::None).await?;
    let codes: Vec<Code> = board
        .answers
        .iter()
        .filter(|a| a.themes.is_empty() && !a.suggested.is_empty())
        .flat_map(|a| {
            a.suggested.iter().map(|t| Code {
                response_id: a.response_id,
                question_id: a.question_id.to_string(),
                theme_id: *t,
            })
        })
        .collect();
    let answers = board
        .answers
        .iter()
        .filter(|a| a.themes.is_empty() && !a.suggested.is_empty())
        .count();
    let _turn = db_store::write_turn(db).await;
    let txn = db_store::begin_write(db).await.map_err(StoreError::from)?;
    store::add_codes(&txn, codes).await?;
    txn.commit().await.map_err(StoreError::from)?;
    Ok(answers)
}
