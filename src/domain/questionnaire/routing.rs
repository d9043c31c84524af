//! Routing: which questions a member sees, given the answers so far. The same evaluation
//! serves the answering pages, the phone script and the reachability check in `validate`.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::{OptionValue, Question, QuestionId, Questionnaire, ShowIf};

/// A member's answer to one question. As JSON: `{"type": "choice", "value": "ja"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum AnswerValue {
    Choice(OptionValue),
    Choices {
        values: Vec<OptionValue>,
        /// The free text of the "other, namely" choice.
        other: Option<String>,
    },
    Number(i64),
    Grade(u8),
    Scale(ScaleAnswer),
    Text(String),
}

/// An answer on a scale: a point (1 = first label) or "don't know".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScaleAnswer {
    Point(u8),
    DontKnow,
}

impl AnswerValue {
    /// Whether this counts as "answered": blank text and an empty choice list do not.
    pub fn is_given(&self) -> bool {
        match self {
            AnswerValue::Choices { values, other } => {
                !values.is_empty() || other.as_deref().is_some_and(|t| !t.trim().is_empty())
            }
            AnswerValue::Text(text) => !text.trim().is_empty(),
            _ => true,
        }
    }

    /// Whether the answer is, or for multiple choice includes, `value`.
    fn has_choice(&self, value: &OptionValue) -> bool {
        match self {
            AnswerValue::Choice(chosen) => chosen == value,
            AnswerValue::Choices { values, .. } => values.contains(value),
            _ => false,
        }
    }
}

/// Where the answers so far come from: a map, a database row, a form.
pub trait AnswerLookup {
    fn answer(&self, question: &str) -> Option<&AnswerValue>;
}

impl AnswerLookup for HashMap<String, AnswerValue> {
    fn answer(&self, question: &str) -> Option<&AnswerValue> {
        self.get(question)
    }
}

impl AnswerLookup for BTreeMap<String, AnswerValue> {
    fn answer(&self, question: &str) -> Option<&AnswerValue> {
        self.get(question)
    }
}

impl AnswerLookup for BTreeMap<QuestionId, AnswerValue> {
    fn answer(&self, question: &str) -> Option<&AnswerValue> {
        self.get(question)
    }
}

impl<T: AnswerLookup + ?Sized> AnswerLookup for &T {
    fn answer(&self, question: &str) -> Option<&AnswerValue> {
        (**self).answer(question)
    }
}

impl ShowIf {
    /// Whether the condition holds for these answers. A missing or blank answer matches
    /// no value, so `equals` never holds for an unanswered question.
    pub fn holds(&self, answers: &impl AnswerLookup) -> bool {
        let given = |q: &QuestionId| answers.answer(q.as_str()).filter(|a| a.is_given());
        match self {
            ShowIf::Equals { question, value } => {
                given(question).is_some_and(|a| a.has_choice(value))
            }
            ShowIf::In { question, values } => {
                given(question).is_some_and(|a| values.iter().any(|v| a.has_choice(v)))
            }
            ShowIf::Answered { question, answered } => given(question).is_some() == *answered,
            ShowIf::All(parts) => parts.iter().all(|p| p.holds(answers)),
            ShowIf::Any(parts) => parts.iter().any(|p| p.holds(answers)),
        }
    }
}

impl Question {
    /// Whether this question's own condition holds for `answers` as given. Use
    /// [`visible`] for a whole list: it also ignores answers to questions that are hidden.
    pub fn is_shown(&self, answers: &impl AnswerLookup) -> bool {
        self.show_if.as_ref().is_none_or(|c| c.holds(answers))
    }
}

/// The questions found visible so far, as the conditions of later ones see them.
trait Seen {
    fn contains(&self, id: &str) -> bool;
}

/// `Seen`, filled question by question.
trait Record<'q>: Seen {
    fn clear(&mut self);
    fn add(&mut self, position: usize, id: &'q str);
}

/// The ids of the questions found visible, in order: searched from the end, as a
/// condition mostly looks at a question shortly before its own.
impl Seen for Vec<&str> {
    fn contains(&self, id: &str) -> bool {
        self.iter().rev().any(|v| *v == id)
    }
}

impl<'q> Record<'q> for Vec<&'q str> {
    fn clear(&mut self) {
        Vec::clear(self);
    }

    fn add(&mut self, _: usize, id: &'q str) {
        self.push(id);
    }
}

/// A flag per question id, kept at the position of the first question with that id and
/// found through it: for one list of questions and many answer sets.
struct Flags<'q> {
    index: HashMap<&'q str, usize>,
    /// Each position's first position with the same id.
    first: Vec<usize>,
    shown: Vec<bool>,
}

impl Seen for Flags<'_> {
    fn contains(&self, id: &str) -> bool {
        self.index.get(id).is_some_and(|i| self.shown[*i])
    }
}

impl<'q> Record<'q> for Flags<'q> {
    fn clear(&mut self) {
        self.shown.fill(false);
    }

    fn add(&mut self, position: usize, _: &'q str) {
        self.shown[self.first[position]] = true;
    }
}

/// Answers restricted to the questions found visible so far, so an answer left behind on
/// a question that is now hidden (the member changed an earlier answer) has no effect.
struct VisibleOnly<'a, A, S> {
    answers: &'a A,
    seen: &'a S,
}

impl<A: AnswerLookup, S: Seen> AnswerLookup for VisibleOnly<'_, A, S> {
    fn answer(&self, question: &str) -> Option<&AnswerValue> {
        if self.seen.contains(question) {
            self.answers.answer(question)
        } else {
            None
        }
    }
}

/// Calls `shown` with the position and the question of each question shown, in order;
/// `seen` is cleared first.
fn each_shown<'q>(
    questions: impl IntoIterator<Item = &'q Question>,
    answers: &impl AnswerLookup,
    seen: &mut impl Record<'q>,
    mut shown: impl FnMut(usize, &'q Question),
) {
    seen.clear();
    for (i, question) in questions.into_iter().enumerate() {
        let visible = VisibleOnly {
            answers,
            seen: &*seen,
        };
        if question.is_shown(&visible) {
            seen.add(i, question.id.as_str());
            shown(i, question);
        }
    }
}

/// The questions shown, in order, given the answers. A condition can only see questions
/// before it that are themselves shown.
pub fn visible<'q>(
    questions: impl IntoIterator<Item = &'q Question>,
    answers: &impl AnswerLookup,
) -> Vec<&'q Question> {
    let mut out = Vec::new();
    each_shown(questions, answers, &mut Vec::new(), |_, q| out.push(q));
    out
}

/// [`visible`] for one list of questions and many sets of answers (every response to a
/// survey), with its lookups made once.
pub struct Visibility<'q> {
    questions: &'q [Question],
    seen: Flags<'q>,
    shown: Vec<usize>,
}

impl<'q> Visibility<'q> {
    pub fn new(questions: &'q [Question]) -> Self {
        let mut index = HashMap::with_capacity(questions.len());
        let first = questions
            .iter()
            .enumerate()
            .map(|(i, q)| *index.entry(q.id.as_str()).or_insert(i))
            .collect();
        Self {
            questions,
            seen: Flags {
                index,
                first,
                shown: vec![false; questions.len()],
            },
            shown: Vec::with_capacity(questions.len()),
        }
    }

    /// The positions of the questions shown for `answers`, in order.
    pub fn shown(&mut self, answers: &impl AnswerLookup) -> &[usize] {
        self.shown.clear();
        let shown = &mut self.shown;
        each_shown(self.questions, answers, &mut self.seen, |i, _| {
            shown.push(i)
        });
        &self.shown
    }
}

impl Questionnaire {
    /// This questionnaire's questions that are shown given the answers so far.
    pub fn visible(&self, answers: &impl AnswerLookup) -> Vec<&Question> {
        visible(&self.questions, answers)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::questionnaire::parse_questionnaire;

    const EXAMPLE: &str = include_str!("../../../panel-schemas/examples/questionnaire.json");

    fn choice(value: &str) -> AnswerValue {
        AnswerValue::Choice(OptionValue::parse(value).unwrap())
    }

    fn ids(questions: &[&Question]) -> Vec<String> {
        questions.iter().map(|q| q.id.to_string()).collect()
    }

    #[test]
    fn follow_up_questions_depend_on_the_answer() {
        let q = parse_questionnaire(EXAMPLE.as_bytes()).unwrap();
        let mut answers = BTreeMap::<String, AnswerValue>::new();
        let without_work = ["werk_nu", "steun_helpt", "eens_zeker", "wat_beter"];
        assert_eq!(ids(&q.visible(&answers)), without_work);
        answers.insert("werk_nu".into(), choice("ja"));
        assert_eq!(q.visible(&answers).len(), 7);
        answers.insert("werk_nu".into(), choice("nee"));
        assert_eq!(ids(&q.visible(&answers)), without_work);
    }

    #[test]
    fn answers_to_hidden_questions_are_ignored() {
        let json = |show_if: &str| {
            format!(
                r#"[{{"id":"a","type":"single_choice","text":"A","options":[{{"value":"ja","label":"Ja"}},{{"value":"nee","label":"Nee"}}]}},
                   {{"id":"b","type":"open_text","text":"B","show_if":{{"question":"a","equals":"ja"}}}},
                   {{"id":"c","type":"open_text","text":"C","show_if":{show_if}}}]"#
            )
        };
        let questions: Vec<Question> =
            serde_json::from_str(&json(r#"{"question":"b","answered":true}"#)).unwrap();
        let mut answers = HashMap::new();
        answers.insert("a".to_owned(), choice("nee"));
        answers.insert("b".to_owned(), AnswerValue::Text("left over".into()));
        assert_eq!(ids(&visible(&questions, &answers)), ["a"]);
        answers.insert("a".to_owned(), choice("ja"));
        assert_eq!(ids(&visible(&questions, &answers)), ["a", "b", "c"]);
        answers.insert("b".to_owned(), AnswerValue::Text("  ".into()));
        assert_eq!(ids(&visible(&questions, &answers)), ["a", "b"]);
    }

    #[test]
    fn answers_have_a_json_form() {
        let answers = [
            choice("ja"),
            AnswerValue::Choices {
                values: vec![OptionValue::parse("x").unwrap()],
                other: Some("iets".into()),
            },
            AnswerValue::Number(-3),
            AnswerValue::Grade(7),
            AnswerValue::Scale(ScaleAnswer::Point(2)),
            AnswerValue::Scale(ScaleAnswer::DontKnow),
            AnswerValue::Text("tekst".into()),
        ];
        for answer in answers {
            let json = serde_json::to_string(&answer).unwrap();
            assert_eq!(
                serde_json::from_str::<AnswerValue>(&json).unwrap(),
                answer,
                "{json}"
            );
        }
        let json = serde_json::to_string(&choice("ja")).unwrap();
        assert_eq!(json, r#"{"type":"choice","value":"ja"}"#);
    }

    #[test]
    fn multiple_choice_matches_any_chosen_value() {
        let condition: ShowIf = serde_json::from_str(r#"{"question":"m","in":["x","y"]}"#).unwrap();
        let mut answers = HashMap::new();
        let values = vec![OptionValue::parse("y").unwrap()];
        answers.insert(
            "m".to_owned(),
            AnswerValue::Choices {
                values,
                other: None,
            },
        );
        assert!(condition.holds(&answers));
        answers.insert(
            "m".to_owned(),
            AnswerValue::Choices {
                values: vec![],
                other: None,
            },
        );
        assert!(!condition.holds(&answers));
    }
}
