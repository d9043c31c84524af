//! How one answer is counted: the values a question's figures show, each with a slot
//! in small tables per question (and per group of each grouping), and the adding of an
//! answer to them. `tally` runs this over all responses.

use super::summary::{DONT_KNOW, OTHER};
use super::weighted::WeightSums;
use crate::domain::questionnaire::routing::{AnswerValue, ScaleAnswer};
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

    fn slot_of_text(&self, value: &str) -> Option<usize> {
        self.texts
            .iter()
            .find(|(t, _)| *t == value)
            .map(|(_, s)| *s)
    }

    fn slot_of_small(&self, value: u8) -> Option<usize> {
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
    pub asked: u64,
    pub answered: u64,
    pub base: WeightSums,
    pub counts: Vec<u64>,
    pub weights: Vec<f64>,
    /// Per grouping.
    pub cross: Vec<CrossCounts>,
}

/// Adds one answer to its question's counts.
pub(super) struct Add<'a, 'q> {
    pub layout: &'a Layout<'q>,
    pub counts: &'a mut QuestionCounts,
    /// The respondent's group in each grouping, if shown.
    pub groups: &'a [Option<usize>],
    /// The respondent's weight, when weighted.
    pub weight: Option<f64>,
}

impl Add<'_, '_> {
    /// Count the answer when it fits the question's type; returns the number to average
    /// (marks and numbers). An answer of another type (the file changed) is left out.
    pub fn answer(&mut self, kind: &QuestionType, answer: &AnswerValue) -> Option<f64> {
        let layout = self.layout;
        match (kind, answer) {
            (QuestionType::SingleChoice { .. }, AnswerValue::Choice(v)) => {
                self.respondent(None);
                self.value(layout.slot_of_text(v.as_str()));
                None
            }
            (QuestionType::MultipleChoice { .. }, AnswerValue::Choices { values, other }) => {
                self.respondent(None);
                for v in values {
                    self.value(layout.slot_of_text(v.as_str()));
                }
                if other.as_deref().is_some_and(|t| !t.trim().is_empty()) {
                    self.value(layout.slot_of_text(OTHER));
                }
                None
            }
            (QuestionType::Grade { .. }, AnswerValue::Grade(g)) => {
                let x = f64::from(*g);
                self.respondent(Some(x));
                self.value(layout.slot_of_small(*g));
                Some(x)
            }
            (QuestionType::Scale { .. }, AnswerValue::Scale(ScaleAnswer::Point(p))) => {
                self.respondent(None);
                self.value(layout.slot_of_small(*p));
                None
            }
            (QuestionType::Scale { .. }, AnswerValue::Scale(ScaleAnswer::DontKnow)) => {
                self.respondent(None);
                self.value(layout.slot_of_text(DONT_KNOW));
                None
            }
            (QuestionType::Number { .. }, AnswerValue::Number(n)) => {
                let x = *n as f64;
                self.respondent(Some(x));
                Some(x)
            }
            _ => None,
        }
    }

    /// The respondent answered; `x` is the number they gave.
    fn respondent(&mut self, x: Option<f64>) {
        let c = &mut *self.counts;
        c.answered += 1;
        if let Some(w) = self.weight {
            c.base.add(w);
        }
        for (cross, g) in c.cross.iter_mut().zip(self.groups) {
            if let Some(g) = *g {
                cross.answered[g] += 1;
                if let Some(x) = x {
                    cross.numbers[g] += 1;
                    cross.sums[g] += x;
                }
            }
        }
    }

    /// One value of the answer, in its slot (`None`: not shown in the figures).
    fn value(&mut self, slot: Option<usize>) {
        let Some(slot) = slot else { return };
        let c = &mut *self.counts;
        c.counts[slot] += 1;
        if let Some(w) = self.weight {
            c.weights[slot] += w;
        }
        let slots = c.counts.len();
        for (cross, g) in c.cross.iter_mut().zip(self.groups) {
            if let Some(g) = *g {
                cross.counts[g * slots + slot] += 1;
            }
        }
    }
}
pub(super) fn add<T: Copy + std::ops::AddAssign>(to: &mut [T], from: &[T]) {
    for (a, b) in to.iter_mut().zip(from) {
        *a += *b;
    }
}
