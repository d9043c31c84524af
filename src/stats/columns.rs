//! A survey's answers as columns: per question one array with an entry per response (the
//! counted value's slot, the mark, the set of choices, the number), the form the figures
//! are counted from (`tally`), like a data frame's typed columns. The answers are put in
//! columns once, after reading them; counting then reads arrays instead of a map per
//! response. Also which responses were shown each question (`shown`), the domain's
//! routing evaluated a column at a time.

use std::collections::BTreeMap;

use super::bits::Bits;
use super::count::Layout;
use super::summary::OTHER;
use crate::domain::questionnaire::routing::{AnswerValue, ScaleAnswer};
use crate::domain::questionnaire::{Answers, Question, QuestionType, ShowIf};

/// No answer to count: none, an empty one, or one of another type than the question.
pub(super) const MISSING: u16 = u16::MAX;
/// An answer that counts the respondent as answering, with a value outside the values the
/// figures show (the questionnaire changed since).
pub(super) const OUTSIDE: u16 = u16::MAX - 1;

/// Responses per chunk when putting answers in columns (a multiple of 64: whole words
/// of bits).
const CHUNK: usize = 1 << 14;

/// Every response's answers, by question (the positions of the questions given).
pub struct AnswerColumns {
    respondents: usize,
    pub(super) columns: Vec<Column>,
}

/// One question's answers.
pub(super) struct Column {
    /// The responses with a given answer of any type: what conditions see.
    pub given: Bits,
    pub values: Values,
}

/// The counted answers of one question, by its type.
pub(super) enum Values {
    /// Single choice and scale: each response's slot in the question's `Layout`,
    /// `OUTSIDE` or `MISSING`.
    Slots(Vec<u16>),
    /// Marks: each response's mark, or `MISSING`.
    Marks(Vec<u16>),
    /// Multiple choice: `words` words of bits per response, a bit per slot of the
    /// question's `Layout`; `counted` has the responses that answered.
    Sets {
        words: usize,
        bits: Vec<u64>,
        counted: Bits,
    },
    /// Numbers; NaN where not answered.
    Numbers(Vec<f64>),
    /// Open answers given: (response, text), in the order of the responses.
    Texts(Vec<(u32, String)>),
}

impl AnswerColumns {
    /// The answers of `responses` (each finished response's answers) to `questions`, in
    /// columns; on every core.
    pub fn new(questions: &[Question], responses: &[Answers]) -> Self {
        let layouts: Vec<Layout> = questions.iter().map(Layout::new).collect();
        let builder = Builder::new(questions, &layouts);
        let parts = crate::parallel::in_chunks(responses.len(), CHUNK, |range| {
            let start = range.start;
            builder.chunk(start, &responses[range])
        });
        let mut columns: Vec<Column> = questions
            .iter()
            .zip(&layouts)
            .map(|(q, l)| builder.empty(q, l, 0))
            .collect();
        for part in parts {
            for (column, later) in columns.iter_mut().zip(part) {
                column.append(later);
            }
        }
        Self {
            respondents: responses.len(),
            columns,
        }
    }

    /// The number of responses.
    pub fn respondents(&self) -> usize {
        self.respondents
    }

    /// The number of questions.
    pub fn questions(&self) -> usize {
        self.columns.len()
    }

    /// For each question, the responses it was shown to (`None`: all of them): the
    /// domain's routing (`routing::Visibility`) a column at a time. A condition sees the
    /// answer to a question before it, only when that question was shown itself.
    pub(super) fn shown(&self, questions: &[Question]) -> Vec<Option<Bits>> {
        let mut position: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, q) in questions.iter().enumerate() {
            position.entry(q.id.as_str()).or_insert(i);
        }
        let mut shown: Vec<Option<Bits>> = Vec::with_capacity(questions.len());
        for (i, question) in questions.iter().enumerate() {
            let mask = question.show_if.as_ref().map(|condition| {
                Condition {
                    questions,
                    columns: &self.columns,
                    position: &position,
                    shown: &shown,
                    before: i,
                    respondents: self.respondents,
                }
                .holds(condition)
            });
            shown.push(mask);
        }
        shown
    }
}

/// A condition evaluated over the columns, for the question at position `before`.
struct Condition<'a> {
    questions: &'a [Question],
    columns: &'a [Column],
    position: &'a BTreeMap<&'a str, usize>,
    /// The masks of the questions before.
    shown: &'a [Option<Bits>],
    before: usize,
    respondents: usize,
}

impl Condition<'_> {
    fn holds(&self, condition: &ShowIf) -> Bits {
        match condition {
            ShowIf::Equals { question, value } => self
                .given(question.as_str())
                .and(&self.has(question.as_str(), &[value.as_str()])),
            ShowIf::In { question, values } => {
                let values: Vec<&str> = values.iter().map(|v| v.as_str()).collect();
                self.given(question.as_str())
                    .and(&self.has(question.as_str(), &values))
            }
            ShowIf::Answered { question, answered } => {
                let given = self.given(question.as_str());
                if *answered { given } else { given.not() }
            }
            ShowIf::All(parts) => parts.iter().fold(Bits::ones(self.respondents), |all, p| {
                all.and(&self.holds(p))
            }),
            ShowIf::Any(parts) => parts.iter().fold(Bits::zeros(self.respondents), |any, p| {
                any.or(&self.holds(p))
            }),
        }
    }

    /// The responses with a given answer to `question`, when it comes before and was
    /// shown to them.
    fn given(&self, question: &str) -> Bits {
        match self.position.get(question) {
            Some(&p) if p < self.before => match &self.shown[p] {
                Some(shown) => shown.and(&self.columns[p].given),
                None => self.columns[p].given.clone(),
            },
            _ => Bits::zeros(self.respondents),
        }
    }

    /// The responses whose answer to `question` is, or includes, one of `values`.
    fn has(&self, question: &str, values: &[&str]) -> Bits {
        let mut out = Bits::zeros(self.respondents);
        let Some(&p) = self.position.get(question) else {
            return out;
        };
        let layout = Layout::new(&self.questions[p]);
        let slots: Vec<usize> = values
            .iter()
            .filter(|v| **v != OTHER)
            .filter_map(|v| layout.slot_of_text(v))
            .collect();
        match (&self.questions[p].kind, &self.columns[p].values) {
            (QuestionType::SingleChoice { .. }, Values::Slots(codes)) => {
                for (r, code) in codes.iter().enumerate() {
                    if slots.contains(&usize::from(*code)) {
                        out.set(r);
                    }
                }
            }
            (_, Values::Sets { words, bits, .. }) => {
                for r in 0..self.respondents {
                    let set = &bits[r * words..(r + 1) * words];
                    if slots.iter().any(|s| set[s / 64] & (1 << (s % 64)) != 0) {
                        out.set(r);
                    }
                }
            }
            _ => {}
        }
        out
    }
}

/// Puts a chunk of responses in columns.
struct Builder<'a> {
    questions: &'a [Question],
    layouts: &'a [Layout<'a>],
    /// The questions' ids in order, each with its questions' positions.
    sorted: Vec<(&'a str, Vec<usize>)>,
}

impl<'a> Builder<'a> {
    fn new(questions: &'a [Question], layouts: &'a [Layout<'a>]) -> Self {
        let mut by_id: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, q) in questions.iter().enumerate() {
            by_id.entry(q.id.as_str()).or_default().push(i);
        }
        Self {
            questions,
            layouts,
            sorted: by_id.into_iter().collect(),
        }
    }

    /// A column of `len` responses without answers.
    fn empty(&self, question: &Question, layout: &Layout, len: usize) -> Column {
        let values = match &question.kind {
            QuestionType::SingleChoice { .. } | QuestionType::Scale { .. } => {
                Values::Slots(vec![MISSING; len])
            }
            QuestionType::Grade { .. } => Values::Marks(vec![MISSING; len]),
            QuestionType::MultipleChoice { .. } => {
                let words = layout.names.len().div_ceil(64).max(1);
                Values::Sets {
                    words,
                    bits: vec![0; words * len],
                    counted: Bits::zeros(len),
                }
            }
            QuestionType::Number { .. } => Values::Numbers(vec![f64::NAN; len]),
            QuestionType::OpenText { .. } => Values::Texts(Vec::new()),
        };
        Column {
            given: Bits::zeros(len),
            values,
        }
    }

    /// The columns of `responses`, the first of which is response `start`.
    fn chunk(&self, start: usize, responses: &[Answers]) -> Vec<Column> {
        let mut columns: Vec<Column> = self
            .questions
            .iter()
            .zip(self.layouts)
            .map(|(q, l)| self.empty(q, l, responses.len()))
            .collect();
        for (r, answers) in responses.iter().enumerate() {
            // One walk through the answers (in id order) beside the questions' ids in
            // the same order.
            let mut j = 0;
            for (id, answer) in answers {
                let id = id.as_str();
                while let Some((question, positions)) = self.sorted.get(j) {
                    if *question == id {
                        for p in positions {
                            self.put(&mut columns[*p], *p, start + r, r, answer);
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
        columns
    }

    /// Put `answer` of response `r` (number `index` overall) to question `q` in its
    /// column.
    fn put(&self, column: &mut Column, q: usize, index: usize, r: usize, answer: &AnswerValue) {
        if !answer.is_given() {
            return;
        }
        column.given.set(r);
        let layout = &self.layouts[q];
        let slot = |s: Option<usize>| s.map_or(OUTSIDE, |s| s as u16);
        match (&self.questions[q].kind, &mut column.values, answer) {
            (QuestionType::SingleChoice { .. }, Values::Slots(codes), AnswerValue::Choice(v)) => {
                codes[r] = slot(layout.slot_of_text(v.as_str()));
            }
            (QuestionType::Scale { .. }, Values::Slots(codes), AnswerValue::Scale(a)) => {
                codes[r] = slot(match a {
                    ScaleAnswer::Point(p) => layout.slot_of_small(*p),
                    ScaleAnswer::DontKnow => layout.slot_of_text(super::summary::DONT_KNOW),
                });
            }
            (QuestionType::Grade { .. }, Values::Marks(marks), AnswerValue::Grade(g)) => {
                marks[r] = u16::from(*g);
            }
            (
                QuestionType::MultipleChoice { .. },
                Values::Sets {
                    words,
                    bits,
                    counted,
                },
                AnswerValue::Choices { values, other },
            ) => {
                counted.set(r);
                let set = &mut bits[r * *words..(r + 1) * *words];
                let mut mark = |s: Option<usize>| {
                    if let Some(s) = s {
                        set[s / 64] |= 1 << (s % 64);
                    }
                };
                for v in values {
                    mark(layout.slot_of_text(v.as_str()));
                }
                if other.as_deref().is_some_and(|t| !t.trim().is_empty()) {
                    mark(layout.slot_of_text(OTHER));
                }
            }
            (QuestionType::Number { .. }, Values::Numbers(x), AnswerValue::Number(n)) => {
                x[r] = *n as f64;
            }
            (QuestionType::OpenText { .. }, Values::Texts(texts), AnswerValue::Text(t)) => {
                texts.push((index as u32, t.clone()));
            }
            // An answer of another type (the questionnaire changed): not counted.
            _ => {}
        }
    }
}

impl Column {
    /// The responses of `later` after these.
    fn append(&mut self, later: Column) {
        self.given.append(&later.given);
        match (&mut self.values, later.values) {
            (Values::Slots(a), Values::Slots(b)) | (Values::Marks(a), Values::Marks(b)) => {
                a.extend(b)
            }
            (
                Values::Sets { bits, counted, .. },
                Values::Sets {
                    bits: b,
                    counted: c,
                    ..
                },
            ) => {
                bits.extend(b);
                counted.append(&c);
            }
            (Values::Numbers(a), Values::Numbers(b)) => a.extend(b),
            (Values::Texts(a), Values::Texts(b)) => a.extend(b),
            _ => unreachable!("columns of one question have one type"),
        }
    }
}
