//! Property tests of `answer` and `flow` on generated questionnaires (from `proptests`):
//! valid answers survive a trip through the form, arbitrary input never panics, and the
//! flow agrees with routing (shown questions, next and back, pruning, recording).

use proptest::collection::vec;
use proptest::prelude::*;

use super::answer::{AnswerInput, DEFAULT_MAX_LENGTH, MAX_OTHER_LENGTH, display, input_of};
use super::proptests::{answer, questionnaire};
use super::*;
use crate::i18n::Lang;

/// More seeds than a generated flow has questions (8 plus 6 appended).
const SEEDS: usize = 16;

/// Raw text without control characters, sometimes over two lines.
const TEXT: &str = "[^\\p{Cc}]{0,30}(\n[^\\p{Cc}]{0,30})?";

/// A submitted value: anything, or near misses of what forms send.
fn raw_value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "v[0-9]",
        Just("_other".to_owned()),
        Just("dont_know".to_owned()),
        "[-+ ]?[0-9.,]{0,8}[ a]?",
        "[0-9]{15,22}",
    ]
}

/// `raw` as `parse_answer` stores text: at most `max` characters, trimmed, not empty.
fn stored_text(raw: &str, max: usize) -> String {
    let text: String = raw.chars().take(max).collect();
    match text.trim() {
        "" => "x".to_owned(),
        text => text.to_owned(),
    }
}

/// A valid answer to `question`, chosen by `seed`, with `raw` for any text.
fn valid_answer(question: &Question, seed: u64, raw: &str) -> AnswerValue {
    let pick = |n: usize| (seed % n as u64) as usize;
    match &question.kind {
        QuestionType::SingleChoice { options, .. } => {
            AnswerValue::Choice(options[pick(options.len())].value.clone())
        }
        QuestionType::MultipleChoice {
            options,
            max_choices,
            other,
        } => {
            let exclusive = options.iter().find(|o| o.exclusive);
            if let Some(alone) = exclusive.filter(|_| seed & (1 << 40) != 0) {
                let values = vec![alone.value.clone()];
                return AnswerValue::Choices {
                    values,
                    other: None,
                };
            }
            let other = (other.is_some() && seed & (1 << 41) != 0)
                .then(|| stored_text(&raw.replace('\n', " "), MAX_OTHER_LENGTH));
            let max = max_choices.map_or(usize::MAX, |m| m as usize);
            let room = max.saturating_sub(usize::from(other.is_some()));
            let mut values: Vec<OptionValue> = (options.iter().enumerate())
                .filter(|(j, o)| !o.exclusive && seed & (1 << (j % 32)) != 0)
                .map(|(_, o)| o.value.clone())
                .take(room)
                .collect();
            if values.is_empty() && other.is_none() {
                values.push(options[pick(options.len())].value.clone());
            }
            AnswerValue::Choices { values, other }
        }
        QuestionType::Grade { min, max } => {
            let span = u64::from(max.saturating_sub(*min)) + 1;
            AnswerValue::Grade(min + (seed % span) as u8)
        }
        QuestionType::Scale { labels, dont_know } => {
            if *dont_know && seed.is_multiple_of(5) {
                AnswerValue::Scale(ScaleAnswer::DontKnow)
            } else {
                AnswerValue::Scale(ScaleAnswer::Point(1 + pick(labels.len()) as u8))
            }
        }
        QuestionType::Number { min, max, .. } => {
            let (lo, hi) = (min.unwrap_or(i64::MIN), max.unwrap_or(i64::MAX));
            let span = i128::from(hi) - i128::from(lo) + 1;
            let n = i128::from(lo) + i128::from(seed) % span;
            AnswerValue::Number(i64::try_from(n).expect("within the bounds"))
        }
        QuestionType::OpenText { max_length } => {
            let max = max_length.map_or(DEFAULT_MAX_LENGTH, |m| m as usize);
            AnswerValue::Text(stored_text(raw, max))
        }
    }
}

/// Answers of the right type (not necessarily valid) to some of the flow's questions.
fn answers_for(flow: &Flow, seeds: &[Option<u32>]) -> Answers {
    let answered = flow.questions().iter().zip(seeds);
    answered
        .filter_map(|(q, seed)| Some((q.id.clone(), answer(q, (*seed)?))))
        .collect()
}

fn ids(questions: &[&Question]) -> Vec<QuestionId> {
    questions.iter().map(|q| q.id.clone()).collect()
}

proptest! {
    #![proptest_config(crate::proptest_config(256))]

    #[test]
    fn a_valid_answer_survives_the_form(
        q in questionnaire(),
        seeds in vec(any::<u64>(), SEEDS),
        texts in vec(TEXT, SEEDS),
    ) {
        let flow = Flow::new(&q, Lang::Nl);
        for (i, question) in flow.questions().iter().enumerate() {
            let value = valid_answer(question, seeds[i], &texts[i]);
            let input = input_of(question, &value);
            prop_assert_eq!(parse_answer(question, &input), Ok(Some(value.clone())), "{:?}", input);
            prop_assert!(!display(question, &value, Lang::Nl).is_empty());
        }
    }

    #[test]
    fn parsing_arbitrary_input_never_panics(
        q in questionnaire(),
        values in vec(raw_value(), 0..4),
        other_text in prop_oneof![any::<String>(), TEXT],
    ) {
        let flow = Flow::new(&q, Lang::En);
        let input = AnswerInput { values, other_text };
        for question in flow.questions() {
            match parse_answer(question, &input) {
                // What is accepted is stored in one form: refilling gives it back.
                Ok(Some(value)) => {
                    let again = parse_answer(question, &input_of(question, &value));
                    prop_assert_eq!(again, Ok(Some(value)));
                }
                Ok(None) => prop_assert!(!question.required),
                Err(e) => prop_assert!(!e.message(Lang::Nl).is_empty()),
            }
        }
    }

    #[test]
    fn the_flow_follows_routing(
        q in questionnaire(),
        seeds in vec(proptest::option::of(any::<u32>()), SEEDS),
    ) {
        let flow = Flow::new(&q, Lang::Nl);
        let answers = answers_for(&flow, &seeds);
        let shown = ids(&flow.visible(&answers));
        // Judged on the answers to shown questions alone, exactly the shown questions'
        // conditions hold (conditions only look at earlier questions).
        let on_shown: Answers = answers
            .iter()
            .filter(|(id, _)| shown.contains(id))
            .map(|(id, a)| (id.clone(), a.clone()))
            .collect();
        for question in flow.questions() {
            let is_shown = shown.contains(&question.id);
            prop_assert_eq!(question.is_shown(&on_shown), is_shown, "{}", question.id);
            prop_assert_eq!(flow.accepts(question.id.as_str(), &answers), is_shown);
            if !is_shown {
                prop_assert_eq!(flow.position(question.id.as_str(), &answers), None);
            }
        }
        let steps = flow.questions().len() + 1;
        let mut walked = Vec::new();
        let mut at = flow.first(&answers);
        while let Some(question) = at {
            prop_assert!(walked.len() < steps, "next_after does not end");
            walked.push(question.id.clone());
            at = flow.next_after(question.id.as_str(), &answers);
        }
        prop_assert_eq!(&walked, &shown);
        let mut back = Vec::new();
        let mut at = shown.last().and_then(|id| flow.question(id.as_str()));
        while let Some(question) = at {
            prop_assert!(back.len() < steps, "previous_before does not end");
            back.push(question.id.clone());
            at = flow.previous_before(question.id.as_str(), &answers);
        }
        back.reverse();
        prop_assert_eq!(&back, &shown);
        for (k, id) in shown.iter().enumerate() {
            let (n, total) = flow.position(id.as_str(), &answers).expect("shown questions have a position");
            prop_assert_eq!(n, k + 1);
            // The total also counts questions that may still come; never fewer than shown.
            prop_assert!(total >= shown.len() && total <= flow.questions().len());
        }
    }

    #[test]
    fn prune_leaves_only_shown_questions(
        q in questionnaire(),
        seeds in vec(proptest::option::of(any::<u32>()), SEEDS),
    ) {
        let flow = Flow::new(&q, Lang::Nl);
        let mut answers = answers_for(&flow, &seeds);
        let count = answers.len();
        let shown = ids(&flow.visible(&answers));
        let complete = flow.is_complete(&answers);
        let removed = flow.prune(&mut answers);
        prop_assert_eq!(&ids(&flow.visible(&answers)), &shown);
        prop_assert!(answers.keys().all(|id| shown.contains(id)));
        prop_assert!(removed.iter().all(|id| !shown.contains(id)));
        prop_assert_eq!(removed.len() + answers.len(), count);
        prop_assert_eq!(flow.prune(&mut answers), vec![]);
        prop_assert_eq!(flow.is_complete(&answers), complete);
    }

    #[test]
    fn recording_never_leaves_a_broken_response(
        q in questionnaire(),
        posts in vec((any::<usize>(), any::<u64>(), TEXT, any::<bool>(), vec(raw_value(), 0..3)), 1..16),
    ) {
        let flow = Flow::new(&q, Lang::Nl);
        let mut answers = Answers::new();
        for (pick, seed, text, valid, values) in posts {
            let question = &flow.questions()[pick % flow.questions().len()];
            let id = question.id.as_str();
            let input = if valid {
                input_of(question, &valid_answer(question, seed, &text))
            } else {
                AnswerInput { values, other_text: text }
            };
            let before = answers.clone();
            match flow.record(id, &input, &mut answers) {
                Ok(_) => {
                    let shown = ids(&flow.visible(&answers));
                    prop_assert!(answers.keys().all(|id| shown.contains(id)));
                    prop_assert!(answers.values().all(AnswerValue::is_given));
                    let after = answers.clone();
                    prop_assert!(flow.record(id, &input, &mut answers).is_ok(), "double submit");
                    prop_assert_eq!(&answers, &after);
                }
                Err(RecordError::Hidden) => {
                    prop_assert!(!flow.accepts(id, &answers));
                    prop_assert_eq!(&answers, &before);
                }
                Err(_) => prop_assert_eq!(&answers, &before),
            }
        }
    }
}
