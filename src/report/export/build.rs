//! Turns a survey's questions, the panel's background variables and the finished
//! responses into a [`Dataset`]: the columns (`columns`), then a row per response.
//! Which questions a respondent saw follows the routing, as in `stats`, so "not asked"
//! and "no answer" are told apart.

use std::collections::{BTreeMap, HashSet};

use chrono::NaiveDate;

use super::columns::{Fill, columns};
use super::{Cell, DONT_KNOW, Dataset, ExportError, NO_ANSWER, NOT_ASKED};
use crate::domain::ids::{CategoryValue, VariableId};
use crate::domain::panel::BackgroundVariable;
use crate::domain::questionnaire::routing::visible;
use crate::domain::questionnaire::{AnswerValue, Answers, Question, ScaleAnswer};
use crate::domain::response::{Mode, Proxy};
use crate::i18n::Lang;

/// What the export needs of one finished response.
#[derive(Clone, Debug, PartialEq)]
pub struct ResponseRow {
    /// The export's respondent id (`super::respondent_id`).
    pub respondent: String,
    pub mode: Mode,
    pub proxy: Option<Proxy>,
    /// The day the answers were sent, on Dutch clocks.
    pub finished: NaiveDate,
    /// The member's background answers; empty when the member was erased.
    pub background: BTreeMap<VariableId, CategoryValue>,
    pub answers: Answers,
}

/// A survey as the export reads it.
pub struct SurveyData<'a> {
    pub survey_id: i64,
    pub title: &'a str,
    pub lang: Lang,
    /// The questions as members got them, appended ones included.
    pub questions: &'a [Question],
    pub background: &'a [BackgroundVariable],
    pub responses: &'a [ResponseRow],
}

/// Where a respondent stands with one question.
pub(super) enum Reply<'a> {
    NotAsked,
    NoAnswer,
    Given(&'a AnswerValue),
}

/// The dataset of `data`, weighted with `weights` (one per response, in order; every
/// weight is 1 when `None`).
pub fn build(data: &SurveyData, weights: Option<&[f64]>) -> Result<Dataset, ExportError> {
    check_weights(data.responses.len(), weights)?;
    let replies: Vec<Vec<Reply>> = data
        .responses
        .iter()
        .map(|r| replies(data.questions, &r.answers))
        .collect();
    let columns = columns(data, &replies);
    let rows = data
        .responses
        .iter()
        .zip(&replies)
        .enumerate()
        .map(|(i, (response, replies))| {
            let weight = weights.map_or(1.0, |w| w[i]);
            columns
                .iter()
                .map(|c| cell(&c.fill, response, replies, weight))
                .collect()
        })
        .collect();
    Ok(Dataset {
        survey_id: data.survey_id,
        title: data.title.to_owned(),
        lang: data.lang,
        variables: columns.into_iter().map(|c| c.variable).collect(),
        rows,
    })
}

fn check_weights(responses: usize, weights: Option<&[f64]>) -> Result<(), ExportError> {
    let Some(weights) = weights else {
        return Ok(());
    };
    if weights.len() != responses {
        return Err(ExportError::WeightCount {
            expected: responses,
            got: weights.len(),
        });
    }
    match weights.iter().position(|w| !w.is_finite() || *w < 0.0) {
        Some(i) => Err(ExportError::BadWeight { row: i + 1 }),
        None => Ok(()),
    }
}

fn replies<'a>(questions: &'a [Question], answers: &'a Answers) -> Vec<Reply<'a>> {
    let shown: HashSet<&str> = visible(questions, answers)
        .into_iter()
        .map(|q| q.id.as_str())
        .collect();
    questions
        .iter()
        .map(|q| {
            if !shown.contains(q.id.as_str()) {
                return Reply::NotAsked;
            }
            match answers.get(q.id.as_str()).filter(|a| a.is_given()) {
                Some(a) => Reply::Given(a),
                None => Reply::NoAnswer,
            }
        })
        .collect()
}

/// A coded cell: the code `f` finds in the answer, or a missing code. An answer that
/// does not fit the question (the file changed) counts as no answer, as in `stats`.
fn coded(reply: &Reply, codes: (i64, i64), f: impl FnOnce(&AnswerValue) -> Option<i64>) -> Cell {
    Cell::Int(match reply {
        Reply::NotAsked => codes.0,
        Reply::NoAnswer => codes.1,
        Reply::Given(a) => f(a).unwrap_or(codes.1),
    })
}

fn text(reply: &Reply, f: impl FnOnce(&AnswerValue) -> Option<&String>) -> Cell {
    match reply {
        Reply::Given(a) => f(a)
            .filter(|t| !t.trim().is_empty())
            .map_or(Cell::Empty, |t| Cell::Text(t.clone())),
        _ => Cell::Empty,
    }
}

fn cell(fill: &Fill, r: &ResponseRow, replies: &[Reply], weight: f64) -> Cell {
    let standard = (NOT_ASKED, NO_ANSWER);
    let flag = |b: bool| Some(i64::from(b));
    match fill {
        Fill::Respondent => Cell::Text(r.respondent.clone()),
        Fill::Mode => Cell::Int(
            Mode::ALL
                .iter()
                .position(|m| *m == r.mode)
                .map_or(NO_ANSWER, |i| i as i64 + 1),
        ),
        Fill::Proxy => Cell::Int(
            r.proxy
                .map_or(NO_ANSWER, |p| i64::from(p == Proxy::ByOther)),
        ),
        Fill::Helped => Cell::Int(
            r.proxy
                .map_or(NO_ANSWER, |p| i64::from(p == Proxy::WithHelp)),
        ),
        Fill::Finished => Cell::Date(r.finished),
        Fill::Weight => Cell::Float(weight),
        Fill::Background { variable, codes } => Cell::Int(
            r.background
                .get(variable.as_str())
                .and_then(|v| codes.get(v.as_str()).copied())
                .unwrap_or(NO_ANSWER),
        ),
        Fill::Single { q, codes } => coded(&replies[*q], standard, |a| match a {
            AnswerValue::Choice(v) => codes.get(v.as_str()).copied(),
            _ => None,
        }),
        Fill::Scale {
            q,
            points,
            dont_know,
        } => coded(&replies[*q], standard, |a| match a {
            AnswerValue::Scale(ScaleAnswer::Point(p))
                if (1..=*points).contains(&usize::from(*p)) =>
            {
                Some(i64::from(*p))
            }
            AnswerValue::Scale(ScaleAnswer::DontKnow) if *dont_know => Some(DONT_KNOW),
            _ => None,
        }),
        Fill::Grade { q } => coded(&replies[*q], standard, |a| match a {
            AnswerValue::Grade(g) => Some(i64::from(*g)),
            _ => None,
        }),
        Fill::Number {
            q,
            not_asked,
            no_answer,
        } => coded(&replies[*q], (*not_asked, *no_answer), |a| match a {
            AnswerValue::Number(n) => Some(*n),
            _ => None,
        }),
        Fill::Chosen { q, option } => coded(&replies[*q], standard, |a| match a {
            AnswerValue::Choices { values, .. } => flag(values.contains(option)),
            _ => None,
        }),
        Fill::Other { q } => coded(&replies[*q], standard, |a| match a {
            AnswerValue::Choices { other, .. } => {
                flag(other.as_deref().is_some_and(|t| !t.trim().is_empty()))
            }
            _ => None,
        }),
        Fill::OtherText { q } => text(&replies[*q], |a| match a {
            AnswerValue::Choices { other, .. } => other.as_ref(),
            _ => None,
        }),
        Fill::Open { q } => text(&replies[*q], |a| match a {
            AnswerValue::Text(t) => Some(t),
            _ => None,
        }),
    }
}
