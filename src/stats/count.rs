//! How one answer is counted: the values a question's figures show, each with a slot
//! in small tables per question (and per group of each grouping), and the adding of an
//! answer to them. `columns` puts answers in slots; `tally` counts them.

use super::crosstab::Grouping;
use super::summary::{DONT_KNOW, OTHER};
use super::weighted::WeightSums;
use crate::domain::questionnaire::{Question, QuestionType};

/// The values of a question whose respondents are counted: those its figures show. A
/// value outside them (the file changed since) counts the respondent as answering only.
pub(super) struct Layout<'q> {
    /// The counted values' names, by slot.
    pub names: Vec<String>,
    /// Text values (options, "don't know", "other") and their slot.
    texts: Vec<(&'q str, usize)>,
    /// Marks and scale points: the slot of each, by value.
    small: Vec<Option<usize>>,
}

impl<'q> Layout<'q> {
    pub fn new(question: &'q Question) -> Self {
        let mut layout = Layout {
            names: Vec::new(),
            texts: Vec::new(),
            small: Vec::new(),
        };
        match &question.kind {
            QuestionType::SingleChoice { options, .. } => {
                for o in options {
                    layout.text(o.value.as_str());
                }
            }
            QuestionType::MultipleChoice { options, other, .. } => {
                for o in options {
                    layout.text(o.value.as_str());
                }
                if other.is_some() {
                    layout.text(OTHER);
                }
            }
            QuestionType::Scale { labels, dont_know } => {
                for point in 1..=labels.len().min(usize::from(u8::MAX)) {
                    layout.small(point as u8);
                }
                if *dont_know {
                    layout.text(DONT_KNOW);
                }
            }
            QuestionType::Grade { min, max } => {
                for mark in *min..=*max {
                    layout.small(mark);
                }
            }
            QuestionType::Number { .. } | QuestionType::OpenText { .. } => {}
        }
        layout
    }

    fn text(&mut self, value: &'q str) {
        if self.texts.iter().all(|(t, _)| *t != value) {
            self.texts.push((value, self.names.len()));
            self.names.push(value.to_owned());
        }
    }

    fn small(&mut self, value: u8) {
        let i = usize::from(value);
        if self.small.len() <= i {
            self.small.resize(i + 1, None);
        }
        if self.small[i].is_none() {
            self.small[i] = Some(self.names.len());
            self.names.push(value.to_string());
        }
    }

    pub fn slot_of_text(&self, value: &str) -> Option<usize> {
        self.texts
            .iter()
            .find(|(t, _)| *t == value)
            .map(|(_, s)| *s)
    }

    pub fn slot_of_small(&self, value: u8) -> Option<usize> {
        self.small.get(usize::from(value)).copied().flatten()
    }
}

/// The counts of one grouping for one question, `groups × slots`.
#[derive(Clone, Default)]
pub(super) struct CrossCounts {
    pub counts: Vec<u64>,
    pub answered: Vec<u64>,
    pub numbers: Vec<u64>,
    pub sums: Vec<f64>,
}

/// The counts of one question.
#[derive(Clone, Default)]
pub(super) struct QuestionCounts {
    pub answered: u64,
    pub base: WeightSums,
    pub counts: Vec<u64>,
    pub weights: Vec<f64>,
    /// Per grouping.
    pub cross: Vec<CrossCounts>,
}

/// Adds one respondent's answer to its question's counts: `respondent` first, then
/// `value` for each of the answer's values.
pub(super) struct Add<'a> {
    pub counts: &'a mut QuestionCounts,
    pub groupings: &'a [Grouping],
    /// The respondent's group in each grouping, when shown (set by `respondent`).
    pub groups: Vec<Option<usize>>,
    /// One weight per response, when weighted.
    pub weights: Option<&'a [f64]>,
    /// The respondent's weight.
    pub weight: f64,
}

impl Add<'_> {
    /// Response `r` answered; `x` is the number they gave.
    pub fn respondent(&mut self, r: usize, x: Option<f64>) {
        for (slot, grouping) in self.groups.iter_mut().zip(self.groupings) {
            // A group without a label is not shown; a respondent without a group is
            // left out of the grouping.
            *slot = grouping
                .codes
                .get(r)
                .map(|g| *g as usize)
                .filter(|g| *g < grouping.labels.len());
        }
        let c = &mut *self.counts;
        c.answered += 1;
        if let Some(w) = self.weights {
            self.weight = w[r];
            c.base.add(self.weight);
        }
        for (cross, g) in c.cross.iter_mut().zip(&self.groups) {
            if let Some(g) = *g {
                cross.answered[g] += 1;
                if let Some(x) = x {
                    cross.numbers[g] += 1;
                    cross.sums[g] += x;
                }
            }
        }
    }

    /// One value of the respondent's answer, in its slot.
    pub fn value(&mut self, slot: usize) {
        let c = &mut *self.counts;
        let Some(count) = c.counts.get_mut(slot) else {
            return;
        };
        *count += 1;
        if self.weights.is_some() {
            c.weights[slot] += self.weight;
        }
        let slots = c.counts.len();
        for (cross, g) in c.cross.iter_mut().zip(&self.groups) {
            if let Some(g) = *g {
                cross.counts[g * slots + slot] += 1;
            }
        }
    }
}
