//! Counting from the answer columns (`columns`): per question who was asked and who
//! answered, each shown value's respondents (and their weights), the statistics of the
//! numbers given (`frame`, with polars), and the same split by each grouping. Counts go
//! straight into small tables per question (no row per answer); the questions are
//! shared out over the cores, each counted by one core from the first response to the
//! last, so the figures do not depend on the number of cores.

use std::collections::HashMap;

use polars::prelude::PolarsResult;

use super::bits::Bits;
use super::columns::{AnswerColumns, MISSING, OUTSIDE, Values};
use super::count::{Add, CrossCounts, Layout, QuestionCounts};
use super::crosstab::Grouping;
use super::frame::{self, NumberStats};
use super::weighted::WeightSums;
use crate::domain::questionnaire::Question;

/// What the counting found, per question index.
pub(super) struct Tables {
    /// Respondents per (question, value).
    pub counts: HashMap<(u32, String), u64>,
    /// Their summed weights, when weighted.
    pub weights: HashMap<(u32, String), f64>,
    /// Respondents who answered each question.
    pub answered: HashMap<u32, u64>,
    /// Their weights, when weighted.
    pub bases: HashMap<u32, WeightSums>,
    /// The statistics of the numbers given (`frame::stats`).
    pub numbers: HashMap<u32, NumberStats>,
}

/// The counts of one grouping of the respondents, per question and group.
#[derive(Default)]
pub(super) struct CrossTables {
    /// Respondents per (question, group, value).
    pub counts: HashMap<(u32, u32, String), u64>,
    /// Respondents who answered, per (question, group).
    pub answered: HashMap<(u32, u32), u64>,
    /// Numbers given and their mean, per (question, group).
    pub means: HashMap<(u32, u32), (u64, f64)>,
}

/// The numbers given (marks and numbers) to one question, in the order of the responses.
#[derive(Clone, Default)]
pub(super) struct Numbers {
    pub x: Vec<f64>,
    /// The respondents' weights, when weighted.
    pub w: Vec<f64>,
}

/// Everything the counting found.
pub(super) struct Counted {
    pub asked: Vec<u64>,
    pub tables: Tables,
    pub crosstabs: Vec<CrossTables>,
    /// The open answers per question, in the order of the responses.
    pub texts: Vec<Vec<String>>,
}

/// One question's counts.
struct Counts {
    asked: u64,
    counts: QuestionCounts,
    numbers: Option<NumberStats>,
    texts: Vec<String>,
}

/// The counting: the answers in columns, who was shown each question, the questions'
/// layouts, and what the answers are split and weighted by.
struct Pass<'a> {
    columns: &'a AnswerColumns,
    shown: Vec<Option<Bits>>,
    layouts: Vec<Layout<'a>>,
    weights: Option<&'a [f64]>,
    groupings: &'a [Grouping],
}

/// Count the answers in `columns` to `questions`, with one weight per response when
/// weighted, and split by each of `groupings`.
pub(super) fn count(
    questions: &[Question],
    columns: &AnswerColumns,
    weights: Option<&[f64]>,
    groupings: &[Grouping],
) -> PolarsResult<Counted> {
    let pass = Pass {
        columns,
        shown: columns.shown(questions),
        layouts: questions.iter().map(Layout::new).collect(),
        weights,
        groupings,
    };
    let counts = crate::parallel::in_chunks(questions.len(), 1, |range| pass.question(range.start))
        .into_iter()
        .collect::<PolarsResult<Vec<Counts>>>()?;
    Ok(pass.finish(counts))
}

impl Pass<'_> {
    /// The counts of question `q`.
    fn question(&self, q: usize) -> PolarsResult<Counts> {
        let n = self.columns.respondents();
        let shown = self.shown[q].as_ref();
        let is_shown = |r: usize| shown.is_none_or(|s| s.get(r));
        let layout = &self.layouts[q];
        let mut counts = self.empty(layout);
        let mut numbers = Numbers::default();
        let mut texts = Vec::new();
        let mut add = Add {
            counts: &mut counts,
            groupings: self.groupings,
            groups: vec![None; self.groupings.len()],
            weights: self.weights,
            weight: 1.0,
        };
        let mut number = |r: usize, x: f64| {
            numbers.x.push(x);
            if let Some(w) = self.weights {
                numbers.w.push(w[r]);
            }
        };
        match &self.columns.columns[q].values {
            Values::Slots(codes) => {
                for (r, &code) in codes.iter().enumerate() {
                    if code == MISSING || !is_shown(r) {
                        continue;
                    }
                    add.respondent(r, None);
                    if code != OUTSIDE {
                        add.value(usize::from(code));
                    }
                }
            }
            Values::Marks(marks) => {
                for (r, &mark) in marks.iter().enumerate() {
                    if mark == MISSING || !is_shown(r) {
                        continue;
                    }
                    let x = f64::from(mark);
                    add.respondent(r, Some(x));
                    if let Some(slot) = u8::try_from(mark)
                        .ok()
                        .and_then(|m| layout.slot_of_small(m))
                    {
                        add.value(slot);
                    }
                    number(r, x);
                }
            }
            Values::Sets {
                words,
                bits,
                counted,
            } => {
                for r in 0..n {
                    if !counted.get(r) || !is_shown(r) {
                        continue;
                    }
                    add.respondent(r, None);
                    for (w, word) in bits[r * words..(r + 1) * words].iter().enumerate() {
                        let mut rest = *word;
                        while rest != 0 {
                            let bit = rest.trailing_zeros() as usize;
                            add.value(w * 64 + bit);
                            rest &= rest - 1;
                        }
                    }
                }
            }
            Values::Numbers(xs) => {
                for (r, &x) in xs.iter().enumerate() {
                    if x.is_nan() || !is_shown(r) {
                        continue;
                    }
                    add.respondent(r, Some(x));
                    number(r, x);
                }
            }
            Values::Texts(given) => {
                texts = given
                    .iter()
                    .filter(|(r, _)| is_shown(*r as usize))
                    .map(|(_, t)| t.clone())
                    .collect();
            }
        }
        Ok(Counts {
            asked: shown.map_or(n as u64, Bits::count),
            counts,
            numbers: frame::stats(numbers)?,
            texts,
        })
    }

    fn empty(&self, layout: &Layout) -> QuestionCounts {
        let slots = layout.names.len();
        QuestionCounts {
            counts: vec![0; slots],
            weights: vec![0.0; if self.weights.is_some() { slots } else { 0 }],
            cross: self
                .groupings
                .iter()
                .map(|g| {
                    let groups = g.labels.len();
                    CrossCounts {
                        counts: vec![0; groups * slots],
                        answered: vec![0; groups],
                        numbers: vec![0; groups],
                        sums: vec![0.0; groups],
                    }
                })
                .collect(),
            ..QuestionCounts::default()
        }
    }

    /// The tables the figures are read from.
    fn finish(&self, counted: Vec<Counts>) -> Counted {
        let weighted = self.weights.is_some();
        let mut tables = Tables {
            counts: HashMap::new(),
            weights: HashMap::new(),
            answered: HashMap::new(),
            bases: HashMap::new(),
            numbers: HashMap::new(),
        };
        let mut crosstabs: Vec<CrossTables> = self
            .groupings
            .iter()
            .map(|_| CrossTables::default())
            .collect();
        let mut asked = Vec::with_capacity(counted.len());
        let mut texts = Vec::with_capacity(counted.len());
        for (qi, (one, layout)) in counted.into_iter().zip(&self.layouts).enumerate() {
            let q = qi as u32;
            let c = &one.counts;
            asked.push(one.asked);
            texts.push(one.texts);
            if let Some(numbers) = one.numbers {
                tables.numbers.insert(q, numbers);
            }
            if c.answered > 0 {
                tables.answered.insert(q, c.answered);
                if weighted {
                    tables.bases.insert(q, c.base);
                }
            }
            for (slot, name) in layout.names.iter().enumerate() {
                if c.counts[slot] > 0 {
                    tables.counts.insert((q, name.clone()), c.counts[slot]);
                    if weighted {
                        tables.weights.insert((q, name.clone()), c.weights[slot]);
                    }
                }
            }
            let slots = layout.names.len();
            for (cross, out) in c.cross.iter().zip(crosstabs.iter_mut()) {
                for g in 0..cross.answered.len() {
                    let group = g as u32;
                    if cross.answered[g] > 0 {
                        out.answered.insert((q, group), cross.answered[g]);
                    }
                    if cross.numbers[g] > 0 {
                        let mean = cross.sums[g] / cross.numbers[g] as f64;
                        out.means.insert((q, group), (cross.numbers[g], mean));
                    }
                    for (slot, name) in layout.names.iter().enumerate() {
                        let n = cross.counts[g * slots + slot];
                        if n > 0 {
                            out.counts.insert((q, group, name.clone()), n);
                        }
                    }
                }
            }
        }
        Counted {
            asked,
            tables,
            crosstabs,
            texts,
        }
    }
}
