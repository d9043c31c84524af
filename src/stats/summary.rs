//! The figures per question of a survey, as the manager sees them: every count with its
//! share and 95% interval, don't-know and no-answer apart, marks, numbers and the open
//! answers. `suppress::public` derives what respondents may see. With weights (from
//! `weight::rake`) every share and mean also carries its weighted value, with intervals
//! on the effective sample size; the unweighted figures stay as they are.

use super::StatsError;
use super::columns::AnswerColumns;
use super::crosstab::{Crosstab, Grouping, crosstab};
use super::frame::NumberStats;
use super::interval::{Interval, mean_interval, wilson};
use super::tally::{self, Tables};
use super::weighted::{WeightSums, WeightedMean, WeightedShare, weighted_mean_of, weighted_share};
use crate::domain::questionnaire::{Answers, Question, QuestionId, QuestionType};

/// The counted value of "other, namely" (a space: no option value can hold one).
pub const OTHER: &str = " other";
/// The counted value of "don't know" on a scale.
pub const DONT_KNOW: &str = " dont_know";

/// A number of respondents, with its share of the question's base and the interval of
/// that share. The share is `None` when the base is 0.
#[derive(Clone, Debug, PartialEq)]
pub struct Count {
    pub label: String,
    pub n: u64,
    pub share: Option<f64>,
    pub interval: Option<Interval>,
    /// The weighted share of the weighted base, when the figures are weighted and the
    /// base is not empty.
    pub weighted: Option<WeightedShare>,
}

impl Count {
    fn new(
        label: impl Into<String>,
        n: u64,
        base: u64,
        population: Option<u64>,
        weighted: Option<WeightedShare>,
    ) -> Self {
        Self {
            label: label.into(),
            n,
            share: (base > 0).then(|| n as f64 / base as f64),
            interval: wilson(n, base, population),
            weighted,
        }
    }
}

/// Mean, spread and position of numbers or marks.
#[derive(Clone, Debug, PartialEq)]
pub struct Moments {
    pub n: u64,
    pub mean: f64,
    /// The 95% interval of the mean; `None` below two values.
    pub interval: Option<Interval>,
    /// Sample standard deviation; `None` below two values.
    pub sd: Option<f64>,
    pub median: f64,
    /// First and third quartile (linear interpolation, as numpy and pandas).
    pub q1: f64,
    pub q3: f64,
    pub min: f64,
    pub max: f64,
    /// The weighted mean with its interval, when the figures are weighted.
    pub weighted: Option<WeightedMean>,
}

/// Single choice and scale questions: each option's share of those who answered.
#[derive(Clone, Debug, PartialEq)]
pub struct ChoiceFigures {
    pub options: Vec<Count>,
    /// "Weet ik niet", when the question offers it; part of the base.
    pub dont_know: Option<Count>,
}

/// Multiple choice: each option's share of the respondents who answered.
#[derive(Clone, Debug, PartialEq)]
pub struct MultipleFigures {
    pub options: Vec<Count>,
    /// "Iets anders, namelijk", when the question offers it.
    pub other: Option<Count>,
}

/// Marks: the distribution, mean and median, and the share below 6.
#[derive(Clone, Debug, PartialEq)]
pub struct GradeFigures {
    pub marks: Vec<Count>,
    pub moments: Option<Moments>,
    /// Marks below 6 ("onvoldoende").
    pub below_six: Count,
}

/// Numbers: mean, median and quartiles.
#[derive(Clone, Debug, PartialEq)]
pub struct NumberFigures {
    pub moments: Option<Moments>,
    pub unit: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Figures {
    Choice(ChoiceFigures),
    Multiple(MultipleFigures),
    Grade(GradeFigures),
    Number(NumberFigures),
    /// The open answers, for the manager only.
    Open(Vec<String>),
}

/// One question's results.
#[derive(Clone, Debug, PartialEq)]
pub struct QuestionSummary {
    pub id: QuestionId,
    pub text: String,
    /// klankbord's own closing and evaluation questions.
    pub appended: bool,
    /// Respondents to whom the question was shown (routing).
    pub asked: u64,
    /// Respondents who gave an answer: the base of the shares.
    pub answered: u64,
    /// Shown but left empty.
    pub no_answer: u64,
    pub figures: Figures,
}

/// The weights of all respondents, when the figures are weighted.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WeightingInfo {
    /// Σw: the respondents' number for weights from `rake` (mean 1).
    pub total: f64,
    /// Kish's design effect from weighting; `None` without positive weights.
    pub design_effect: Option<f64>,
    /// Kish's effective sample size; `None` without positive weights.
    pub effective_n: Option<f64>,
}

/// A survey's results: the finished responses and every question's figures.
#[derive(Clone, Debug, PartialEq)]
pub struct SurveySummary {
    pub respondents: u64,
    /// The eligible panel, when all of it was invited (finite population correction).
    pub population: Option<u64>,
    pub questions: Vec<QuestionSummary>,
    /// The weighting, when the figures are weighted.
    pub weighting: Option<WeightingInfo>,
}

/// Summarise `responses` (each finished response's answers) to `questions` (as members
/// got them, appended ones included). `population`: the size of the eligible panel when
/// all of it was invited, for the finite population correction.
pub fn summarise(
    questions: &[Question],
    responses: &[Answers],
    population: Option<u64>,
) -> Result<SurveySummary, StatsError> {
    Ok(analyse(questions, responses, population, &[], None)?.0)
}

/// `summarise`, and the crosstab of every question by each of `groupings` (each
/// respondent's group, in the order of `responses`). With `weights` (one per response,
/// in the same order, as `rake` gives them) the summary's figures are weighted too.
pub fn analyse(
    questions: &[Question],
    responses: &[Answers],
    population: Option<u64>,
    groupings: &[Grouping],
    weights: Option<&[f64]>,
) -> Result<(SurveySummary, Vec<Crosstab>), StatsError> {
    let columns = AnswerColumns::new(questions, responses);
    analyse_columns(questions, &columns, population, groupings, weights)
}

/// `analyse`, with the answers already in columns (`AnswerColumns::new` with the same
/// questions).
pub fn analyse_columns(
    questions: &[Question],
    columns: &AnswerColumns,
    population: Option<u64>,
    groupings: &[Grouping],
    weights: Option<&[f64]>,
) -> Result<(SurveySummary, Vec<Crosstab>), StatsError> {
    if columns.questions() != questions.len() {
        return Err(StatsError::ColumnCount {
            columns: columns.questions(),
            questions: questions.len(),
        });
    }
    if let Some(weights) = weights {
        check_weights(weights, columns.respondents())?;
    }
    let tally::Counted {
        asked,
        tables,
        crosstabs,
        mut texts,
    } = tally::count(questions, columns, weights, groupings)?;
    let crosstabs = groupings
        .iter()
        .zip(&crosstabs)
        .map(|(g, tables)| crosstab(tables, questions, g))
        .collect();
    let questions = questions
        .iter()
        .enumerate()
        .map(|(qi, question)| {
            let q = u32::try_from(qi).unwrap_or(u32::MAX);
            let answered = tables.answered.get(&q).copied().unwrap_or(0);
            let answered = match &question.kind {
                QuestionType::OpenText { .. } => texts[qi].len() as u64,
                _ => answered,
            };
            QuestionSummary {
                id: question.id.clone(),
                text: question.text.clone(),
                appended: question.id.is_reserved(),
                asked: asked[qi],
                answered,
                no_answer: asked[qi].saturating_sub(answered),
                figures: figures(question, q, answered, &tables, population, &mut texts[qi]),
            }
        })
        .collect();
    let summary = SurveySummary {
        respondents: columns.respondents() as u64,
        population,
        questions,
        weighting: weights.map(|w| {
            let sums = WeightSums::of(w.iter().copied());
            WeightingInfo {
                total: sums.sum,
                design_effect: sums.design_effect(),
                effective_n: sums.effective_n(),
            }
        }),
    };
    Ok((summary, crosstabs))
}

/// One weight per response, each finite and not negative.
fn check_weights(weights: &[f64], responses: usize) -> Result<(), StatsError> {
    if weights.len() != responses {
        return Err(StatsError::WeightCount {
            weights: weights.len(),
            responses,
        });
    }
    match weights.iter().position(|w| !w.is_finite() || *w < 0.0) {
        Some(respondent) => Err(StatsError::InvalidWeight { respondent }),
        None => Ok(()),
    }
}

fn moments(stats: &NumberStats, population: Option<u64>) -> Moments {
    Moments {
        n: stats.n,
        mean: stats.mean,
        interval: stats
            .sd
            .and_then(|sd| mean_interval(stats.mean, sd, stats.n, population)),
        sd: stats.sd,
        median: stats.median,
        q1: stats.q1,
        q3: stats.q3,
        min: stats.min,
        max: stats.max,
        weighted: stats
            .weighted
            .and_then(|w| weighted_mean_of(&w.sums, w.mean, w.squares, population)),
    }
}

fn figures(
    question: &Question,
    q: u32,
    base: u64,
    tables: &Tables,
    population: Option<u64>,
    texts: &mut Vec<String>,
) -> Figures {
    let key = |value: &str| (q, value.to_owned());
    let count = |value: &str| tables.counts.get(&key(value)).copied().unwrap_or(0);
    // Weighted: the summed weights of the category against those of the base.
    let weighted_base = tables.bases.get(&q);
    let weighted = |hits: f64| weighted_base.and_then(|b| weighted_share(hits, b, population));
    let make = |label: &str, value: &str| {
        let hits = tables.weights.get(&key(value)).copied().unwrap_or(0.0);
        Count::new(label, count(value), base, population, weighted(hits))
    };
    match &question.kind {
        QuestionType::SingleChoice { options, .. } => Figures::Choice(ChoiceFigures {
            options: options
                .iter()
                .map(|o| make(&o.label, o.value.as_str()))
                .collect(),
            dont_know: None,
        }),
        QuestionType::Scale { labels, dont_know } => Figures::Choice(ChoiceFigures {
            options: labels
                .iter()
                .enumerate()
                .map(|(i, label)| make(label, &(i + 1).to_string()))
                .collect(),
            dont_know: dont_know.then(|| make("", DONT_KNOW)),
        }),
        QuestionType::MultipleChoice { options, other, .. } => Figures::Multiple(MultipleFigures {
            options: options
                .iter()
                .map(|o| make(&o.label, o.value.as_str()))
                .collect(),
            other: other.as_ref().map(|o| make(&o.label, OTHER)),
        }),
        QuestionType::Grade { min, max } => {
            let stats = tables.numbers.get(&q);
            Figures::Grade(GradeFigures {
                marks: (*min..=*max)
                    .map(|g| make(&g.to_string(), &g.to_string()))
                    .collect(),
                moments: stats.map(|s| moments(s, population)),
                below_six: Count::new(
                    "",
                    stats.map_or(0, |s| s.below_six),
                    base,
                    population,
                    weighted(stats.and_then(|s| s.weighted).map_or(0.0, |w| w.below_six)),
                ),
            })
        }
        QuestionType::Number { unit, .. } => Figures::Number(NumberFigures {
            moments: tables.numbers.get(&q).map(|s| moments(s, population)),
            unit: unit.clone(),
        }),
        QuestionType::OpenText { .. } => Figures::Open(std::mem::take(texts)),
    }
}
