//! The answers in columns against the answers one response at a time: who was shown each
//! question must be what the domain's routing (`routing::Visibility`) says for every
//! response, and every count in the summary what a plain count over the responses gives.

use proptest::prelude::*;

use super::columns::AnswerColumns;
use super::summary::{Figures, OTHER, summarise};
use crate::domain::questionnaire::routing::{AnswerValue, ScaleAnswer, Visibility};
use crate::domain::questionnaire::{Answers, OptionValue, Question, QuestionId, QuestionType};

/// Every type of question, behind every kind of condition.
const QUESTIONS: &str = r#"[
  {"id": "a", "type": "single_choice", "text": "A",
   "options": [{"value": "x", "label": "X"}, {"value": "y", "label": "Y"}, {"value": "z", "label": "Z"}]},
  {"id": "b", "type": "multiple_choice", "text": "B", "other": {"label": "Iets anders"},
   "show_if": {"question": "a", "equals": "x"},
   "options": [{"value": "p", "label": "P"}, {"value": "q", "label": "Q"}, {"value": "r", "label": "R"}]},
  {"id": "c", "type": "scale", "text": "C", "labels": ["1", "2", "3"], "dont_know": true,
   "show_if": {"any": [{"question": "a", "in": ["y", "z"]}, {"question": "b", "answered": true}]}},
  {"id": "d", "type": "grade", "text": "D", "min": 1, "max": 10,
   "show_if": {"all": [{"question": "b", "equals": "p"}, {"question": "c", "answered": false}]}},
  {"id": "e", "type": "number", "text": "E", "show_if": {"question": "b", "in": ["q", "r"]}},
  {"id": "f", "type": "open_text", "text": "F", "show_if": {"question": "d", "answered": true}},
  {"id": "g", "type": "single_choice", "text": "G",
   "options": [{"value": "x", "label": "X"}, {"value": "y", "label": "Y"}]}
]"#;

fn questions() -> Vec<Question> {
    serde_json::from_str(QUESTIONS).expect("the test's questions")
}

fn option(v: &str) -> OptionValue {
    OptionValue::parse(v).expect("an option value")
}

/// An answer to a question of `kind` from `pick` (0 = none), now and then an empty one
/// or one of another type.
fn answer(kind: &QuestionType, pick: u8, other: bool) -> Option<AnswerValue> {
    let pick = pick % 8;
    if pick == 0 {
        return None;
    }
    if pick == 7 {
        // Another type than the question's (the questionnaire changed).
        return Some(AnswerValue::Number(3));
    }
    let i = usize::from(pick - 1);
    Some(match kind {
        QuestionType::SingleChoice { options, .. } => {
            // A value outside the options now and then.
            options
                .get(i)
                .map_or(AnswerValue::Choice(option("weg")), |o| {
                    AnswerValue::Choice(o.value.clone())
                })
        }
        QuestionType::MultipleChoice { options, .. } => AnswerValue::Choices {
            values: options
                .iter()
                .enumerate()
                .filter(|(k, _)| (i >> k) & 1 == 1)
                .map(|(_, o)| o.value.clone())
                .collect(),
            other: other.then(|| if i % 2 == 0 { " " } else { "iets" }.to_owned()),
        },
        QuestionType::Scale { .. } => AnswerValue::Scale(if i == 0 {
            ScaleAnswer::DontKnow
        } else {
            ScaleAnswer::Point(i as u8)
        }),
        QuestionType::Grade { .. } => AnswerValue::Grade(2 * i as u8),
        QuestionType::Number { .. } => AnswerValue::Number(i as i64 * 7 - 10),
        QuestionType::OpenText { .. } => {
            AnswerValue::Text(if i < 2 { "  " } else { "tekst" }.into())
        }
    })
}

fn responses(picks: &[(Vec<u8>, bool)], questions: &[Question]) -> Vec<Answers> {
    picks
        .iter()
        .map(|(picks, other)| {
            questions
                .iter()
                .zip(picks)
                .filter_map(|(q, pick)| {
                    let id = QuestionId::parse(q.id.as_str()).ok()?;
                    Some((id, answer(&q.kind, *pick, *other)?))
                })
                .collect()
        })
        .collect()
}

/// The value names a plain count puts an answer under, when it fits the question.
fn counted(kind: &QuestionType, answer: &AnswerValue) -> Option<Vec<String>> {
    let names = match (kind, answer) {
        (QuestionType::SingleChoice { .. }, AnswerValue::Choice(v)) => vec![v.to_string()],
        (QuestionType::MultipleChoice { .. }, AnswerValue::Choices { values, other }) => {
            let mut names: Vec<String> = values.iter().map(|v| v.to_string()).collect();
            if other.as_deref().is_some_and(|t| !t.trim().is_empty()) {
                names.push(OTHER.to_owned());
            }
            names
        }
        (QuestionType::Scale { .. }, AnswerValue::Scale(ScaleAnswer::Point(p))) => {
            vec![p.to_string()]
        }
        (QuestionType::Scale { .. }, AnswerValue::Scale(ScaleAnswer::DontKnow)) => {
            vec!["dk".to_owned()]
        }
        (QuestionType::Grade { .. }, AnswerValue::Grade(g)) => vec![g.to_string()],
        (QuestionType::Number { .. }, AnswerValue::Number(_))
        | (QuestionType::OpenText { .. }, AnswerValue::Text(_)) => Vec::new(),
        _ => return None,
    };
    Some(names)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn columns_route_and_count_as_each_response_does(
        picks in prop::collection::vec((prop::collection::vec(0u8..8, 7), any::<bool>()), 0..150)
    ) {
        let questions = questions();
        let responses = responses(&picks, &questions);
        let columns = AnswerColumns::new(&questions, &responses);
        let shown = columns.shown(&questions);
        let summary = summarise(&questions, &responses, None).expect("a summary");
        let mut visibility = Visibility::new(&questions);
        let mut asked = vec![0u64; questions.len()];
        let mut answered = vec![0u64; questions.len()];
        // Per question, (value name, respondents).
        let mut counts: Vec<Vec<(String, u64)>> = vec![Vec::new(); questions.len()];
        for (r, answers) in responses.iter().enumerate() {
            let routed = visibility.shown(answers).to_vec();
            for (q, mask) in shown.iter().enumerate() {
                let columns_show = mask.as_ref().is_none_or(|m| m.get(r));
                prop_assert_eq!(columns_show, routed.contains(&q), "response {} question {}", r, q);
            }
            for q in routed {
                asked[q] += 1;
                let question = &questions[q];
                let Some(answer) = answers.get(question.id.as_str()).filter(|a| a.is_given()) else {
                    continue;
                };
                let Some(names) = counted(&question.kind, answer) else { continue };
                answered[q] += 1;
                for name in names {
                    match counts[q].iter_mut().find(|(n, _)| *n == name) {
                        Some((_, c)) => *c += 1,
                        None => counts[q].push((name, 1)),
                    }
                }
            }
        }
        let count_of = |q: usize, name: &str| {
            counts[q].iter().find(|(n, _)| n == name).map_or(0, |(_, c)| *c)
        };
        for (q, (question, figures)) in questions.iter().zip(&summary.questions).enumerate() {
            prop_assert_eq!(figures.asked, asked[q], "asked {}", question.id);
            prop_assert_eq!(figures.answered, answered[q], "answered {}", question.id);
            match (&question.kind, &figures.figures) {
                (QuestionType::SingleChoice { options, .. }, Figures::Choice(c)) => {
                    for (o, count) in options.iter().zip(&c.options) {
                        prop_assert_eq!(count.n, count_of(q, o.value.as_str()));
                    }
                }
                (QuestionType::MultipleChoice { options, .. }, Figures::Multiple(m)) => {
                    for (o, count) in options.iter().zip(&m.options) {
                        prop_assert_eq!(count.n, count_of(q, o.value.as_str()));
                    }
                    prop_assert_eq!(m.other.as_ref().map(|c| c.n), Some(count_of(q, OTHER)));
                }
                (QuestionType::Scale { .. }, Figures::Choice(c)) => {
                    for (p, count) in c.options.iter().enumerate() {
                        prop_assert_eq!(count.n, count_of(q, &(p + 1).to_string()));
                    }
                    prop_assert_eq!(c.dont_know.as_ref().map(|c| c.n), Some(count_of(q, "dk")));
                }
                (QuestionType::Grade { .. }, Figures::Grade(g)) => {
                    for (m, count) in (1..=10).zip(&g.marks) {
                        prop_assert_eq!(count.n, count_of(q, &m.to_string()));
                    }
                    let below: u64 = (0..6).map(|m| count_of(q, &m.to_string())).sum();
                    prop_assert_eq!(g.below_six.n, below);
                }
                (QuestionType::Number { .. }, Figures::Number(n)) => {
                    prop_assert_eq!(n.moments.as_ref().map_or(0, |m| m.n), answered[q]);
                }
                (QuestionType::OpenText { .. }, Figures::Open(texts)) => {
                    prop_assert_eq!(texts.len() as u64, answered[q]);
                }
                (kind, figures) => prop_assert!(false, "{kind:?} gave {figures:?}"),
            }
        }
    }
}
