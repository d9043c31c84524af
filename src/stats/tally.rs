//! One pass over the responses that counts what the summaries and crosstabs need: per
//! question who was asked and who answered, each shown value's respondents (and their
//! weights), the numbers given, and the same split by each grouping. Counts go straight
//! into small tables per question (no row per answer), in chunks of responses on every
//! core; the chunks are added up in order, so the figures do not depend on the number
//! of cores. The numbers given go to polars (`frame`) for their statistics.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use super::count::{Add, CrossCounts, Layout, QuestionCounts, add};
use super::crosstab::Grouping;
use super::frame::NumberStats;
use super::weighted::WeightSums;
use crate::domain::questionnaire::routing::{AnswerLookup, AnswerValue, Visibility};
use crate::domain::questionnaire::{Answers, Question, QuestionType};

/// Responses per chunk.
const CHUNK: usize = 1 << 14;

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
    /// The statistics of the numbers given (`frame::numbers`).
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

/// The numbers given (marks and numbers) per question, in the order of the responses.
#[derive(Clone, Default)]
pub(super) struct Numbers {
    pub x: Vec<f64>,
    /// The respondents' weights, when weighted.
    pub w: Vec<f64>,
}

/// Everything the pass found.
pub(super) struct Counted {
    pub asked: Vec<u64>,
    pub tables: Tables,
    pub crosstabs: Vec<CrossTables>,
    /// Per question.
    pub numbers: Vec<Numbers>,
    /// The open answers per question, in the order of the responses.
    pub texts: Vec<Vec<String>>,
}

/// One chunk's counts.
struct Tally {
    questions: Vec<QuestionCounts>,
    numbers: Vec<Numbers>,
    texts: Vec<Vec<String>>,
}

/// The pass: the layouts and the groupings it counts by.
struct Pass<'a> {
    questions: &'a [Question],
    /// The questions' ids in order, each with its questions' positions.
    sorted: Vec<(&'a str, Vec<usize>)>,
    /// The position of the first question with each id.
    positions: HashMap<&'a str, usize>,
    layouts: Vec<Layout<'a>>,
    weights: Option<&'a [f64]>,
    groupings: &'a [Grouping],
}

impl Pass<'_> {
    fn empty(&self) -> Tally {
        let question = |layout: &Layout| {
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
        };
        Tally {
            questions: self.layouts.iter().map(question).collect(),
            numbers: vec![Numbers::default(); self.questions.len()],
            texts: vec![Vec::new(); self.questions.len()],
        }
    }

    /// Count the responses in `range` (indices into `responses`).
    fn chunk(&self, responses: &[Answers], range: Range<usize>) -> Tally {
        let mut tally = self.empty();
        let mut groups = vec![None; self.groupings.len()];
        let mut visibility = Visibility::new(self.questions);
        let mut by_question: Vec<Option<&AnswerValue>> = vec![None; self.questions.len()];
        for (r, answers) in range.clone().zip(&responses[range]) {
            let weight = self.weights.map_or(1.0, |w| w[r]);
            for (slot, grouping) in groups.iter_mut().zip(self.groupings) {
                // A group without a label is not shown; a respondent without a group
                // is left out of the grouping.
                *slot = grouping
                    .codes
                    .get(r)
                    .map(|g| *g as usize)
                    .filter(|g| *g < grouping.labels.len());
            }
            self.by_question(answers, &mut by_question);
            let lookup = ByQuestion {
                positions: &self.positions,
                answers: &by_question,
            };
            for &qi in visibility.shown(&lookup) {
                tally.questions[qi].asked += 1;
                let Some(answer) = by_question[qi].filter(|a| a.is_given()) else {
                    continue;
                };
                let question = &self.questions[qi];
                if let (QuestionType::OpenText { .. }, AnswerValue::Text(text)) =
                    (&question.kind, answer)
                {
                    tally.texts[qi].push(text.clone());
                    continue;
                }
                let mut add = Add {
                    layout: &self.layouts[qi],
                    counts: &mut tally.questions[qi],
                    groups: &groups,
                    weight: self.weights.map(|_| weight),
                };
                if let Some(x) = add.answer(&question.kind, answer) {
                    let numbers = &mut tally.numbers[qi];
                    numbers.x.push(x);
                    if self.weights.is_some() {
                        numbers.w.push(weight);
                    }
                }
            }
        }
        tally
    }

    /// Each question's answer, by position: one walk through the answers (in id order)
    /// beside the questions' ids in the same order, with no lookup per question.
    fn by_question<'a>(&self, answers: &'a Answers, out: &mut [Option<&'a AnswerValue>]) {
        out.fill(None);
        let mut j = 0;
        for (id, answer) in answers {
            let id = id.as_str();
            // Mostly the next question's id: equal strings are checked first (a
            // different length settles it without reading them).
            while let Some((question, positions)) = self.sorted.get(j) {
                if *question == id {
                    for p in positions {
                        out[*p] = Some(answer);
                    }
                    j += 1;
                    break;
                } else if *question > id {
                    break;
                }
                j += 1;
            }
        }
    }
}

/// A response's answers by question position, looked up by id as conditions do.
struct ByQuestion<'a, 'b> {
    positions: &'a HashMap<&'a str, usize>,
    answers: &'a [Option<&'b AnswerValue>],
}

impl AnswerLookup for ByQuestion<'_, '_> {
    fn answer(&self, question: &str) -> Option<&AnswerValue> {
        self.positions.get(question).and_then(|i| self.answers[*i])
    }
}

impl Tally {
    /// Add a later chunk's counts.
    fn absorb(&mut self, later: Tally) {
        for (q, l) in self.questions.iter_mut().zip(later.questions) {
            q.asked += l.asked;
            q.answered += l.answered;
            q.base.n += l.base.n;
            q.base.sum += l.base.sum;
            q.base.sum_squares += l.base.sum_squares;
            add(&mut q.counts, &l.counts);
            add(&mut q.weights, &l.weights);
            for (c, lc) in q.cross.iter_mut().zip(l.cross) {
                add(&mut c.counts, &lc.counts);
                add(&mut c.answered, &lc.answered);
                add(&mut c.numbers, &lc.numbers);
                add(&mut c.sums, &lc.sums);
            }
        }
        for (n, ln) in self.numbers.iter_mut().zip(later.numbers) {
            n.x.extend(ln.x);
            n.w.extend(ln.w);
        }
        for (t, lt) in self.texts.iter_mut().zip(later.texts) {
            t.extend(lt);
        }
    }
}

/// Count `responses` (each finished response's answers) to `questions`, with one
/// weight per response when weighted, and split by each of `groupings`.
pub(super) fn count(
    questions: &[Question],
    responses: &[Answers],
    weights: Option<&[f64]>,
    groupings: &[Grouping],
) -> Counted {
    let mut by_id: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, q) in questions.iter().enumerate() {
        by_id.entry(q.id.as_str()).or_default().push(i);
    }
    let positions = by_id.iter().map(|(id, p)| (*id, p[0])).collect();
    let sorted = by_id.into_iter().collect();
    let pass = Pass {
        questions,
        sorted,
        positions,
        layouts: questions.iter().map(Layout::new).collect(),
        weights,
        groupings,
    };
    let parts =
        crate::parallel::in_chunks(responses.len(), CHUNK, |range| pass.chunk(responses, range));
    let mut total = pass.empty();
    for part in parts {
        total.absorb(part);
    }
    pass.finish(total)
}

impl Pass<'_> {
    /// The tables the figures are read from.
    fn finish(&self, tally: Tally) -> Counted {
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
        let mut asked = Vec::with_capacity(tally.questions.len());
        for (qi, (c, layout)) in tally.questions.iter().zip(&self.layouts).enumerate() {
            let q = qi as u32;
            asked.push(c.asked);
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
            numbers: tally.numbers,
            texts: tally.texts,
        }
    }
}
