//! Unit tests of `flow` on the reference files: routing on `werk_nu`, progress, back and
//! next, pruning after a changed answer, and refused posts.

use super::answer::AnswerInput;
use super::*;
use crate::i18n::Lang;

const EXAMPLE: &str = include_str!("../../../panel-schemas/examples/questionnaire.json");
const FLASH: &str = include_str!("../../../panel-schemas/examples/flitspeiling.json");

fn flow(text: &str) -> Flow {
    Flow::new(&parse_questionnaire(text.as_bytes()).unwrap(), Lang::Nl)
}

fn id(v: &str) -> QuestionId {
    QuestionId::parse(v).unwrap()
}

fn choice(v: &str) -> AnswerValue {
    AnswerValue::Choice(OptionValue::parse(v).unwrap())
}

fn ids(questions: &[&Question]) -> Vec<String> {
    questions.iter().map(|q| q.id.to_string()).collect()
}

fn next(flow: &Flow, at: &str, answers: &Answers) -> Option<String> {
    flow.next_after(at, answers).map(|q| q.id.to_string())
}

fn previous(flow: &Flow, at: &str, answers: &Answers) -> Option<String> {
    flow.previous_before(at, answers).map(|q| q.id.to_string())
}

const APPENDIX: [&str; 6] = [
    "_closing",
    "_eval_clear",
    "_eval_length",
    "_eval_answering",
    "_eval_results",
    "_eval_again",
];

#[test]
fn working_members_get_three_more_questions() {
    let flow = flow(EXAMPLE);
    let mut answers = Answers::new();
    let without_work = ["werk_nu", "steun_helpt", "eens_zeker", "wat_beter"];
    let expected: Vec<&str> = without_work.iter().chain(&APPENDIX).copied().collect();
    assert_eq!(ids(&flow.visible(&answers)), expected);
    // Before werk_nu is answered the three work questions may still come: 13, not 10.
    assert_eq!(flow.position("steun_helpt", &answers), Some((2, 13)));

    answers.insert(id("werk_nu"), choice("ja"));
    assert_eq!(flow.visible(&answers).len(), 13);
    assert_eq!(flow.position("werk_nu", &answers), Some((1, 13)));
    assert_eq!(flow.position("steun_helpt", &answers), Some((4, 13)));
    assert_eq!(flow.position("_eval_again", &answers), Some((13, 13)));
    let progress = flow.progress("uren_week", &answers, Lang::Nl);
    assert_eq!(progress.as_deref(), Some("Vraag 5 van 13"));
    assert_eq!(
        next(&flow, "werk_nu", &answers).as_deref(),
        Some("effect_leven")
    );
    let back = previous(&flow, "steun_helpt", &answers);
    assert_eq!(back.as_deref(), Some("cijfer_steun"));

    answers.insert(id("werk_nu"), choice("nee"));
    assert_eq!(ids(&flow.visible(&answers)), expected);
    for hidden in ["effect_leven", "cijfer_steun", "uren_week"] {
        assert_eq!(flow.position(hidden, &answers), None, "{hidden}");
        assert!(!flow.accepts(hidden, &answers), "{hidden}");
    }
    let progress = flow.progress("steun_helpt", &answers, Lang::En);
    assert_eq!(progress.as_deref(), Some("Question 2 of 10"));
    assert_eq!(
        next(&flow, "werk_nu", &answers).as_deref(),
        Some("steun_helpt")
    );
    assert_eq!(
        previous(&flow, "steun_helpt", &answers).as_deref(),
        Some("werk_nu")
    );
    // From a question that is hidden now (a stale page), onwards still works.
    assert_eq!(
        next(&flow, "uren_week", &answers).as_deref(),
        Some("eens_zeker")
    );
}

#[test]
fn first_last_and_unknown() {
    let flow = flow(EXAMPLE);
    let answers = Answers::new();
    assert_eq!(flow.first(&answers).unwrap().id.as_str(), "werk_nu");
    assert_eq!(previous(&flow, "werk_nu", &answers), None);
    assert_eq!(next(&flow, "_eval_again", &answers), None);
    assert_eq!(next(&flow, "bestaat_niet", &answers), None);
    assert_eq!(previous(&flow, "bestaat_niet", &answers), None);
    assert_eq!(flow.position("bestaat_niet", &answers), None);
    assert!(!flow.accepts("bestaat_niet", &answers));
    assert_eq!(flow.questions().len(), 13);
    assert!(flow.question("_closing").is_some());
}

#[test]
fn complete_when_every_shown_required_question_is_answered() {
    let flow = flow(EXAMPLE);
    let mut answers = Answers::new();
    let missing = |answers: &Answers| {
        flow.first_unanswered_required(answers)
            .map(|q| q.id.to_string())
    };
    assert_eq!(missing(&answers).as_deref(), Some("werk_nu"));
    assert!(!flow.is_complete(&answers));
    answers.insert(id("werk_nu"), choice("ja"));
    assert_eq!(missing(&answers).as_deref(), Some("effect_leven"));
    answers.insert(id("effect_leven"), choice("beter"));
    assert!(flow.is_complete(&answers));
    answers.insert(id("werk_nu"), choice("nee"));
    assert!(flow.is_complete(&answers));
    answers.remove("werk_nu");
    answers.insert(id("werk_nu"), AnswerValue::Text(" ".into()));
    assert!(!flow.is_complete(&answers), "a blank answer is no answer");
}

#[test]
fn changing_work_to_no_removes_the_work_answers() {
    let flow = flow(EXAMPLE);
    let mut answers = Answers::new();
    let post = |values: &[&str]| AnswerInput {
        values: values.iter().map(|v| v.to_string()).collect(),
        other_text: String::new(),
    };
    for (question, values) in [
        ("werk_nu", &["ja"][..]),
        ("effect_leven", &["beter"]),
        ("cijfer_steun", &["7"]),
        ("steun_helpt", &["uren"]),
        ("uren_week", &["32"]),
    ] {
        let removed = flow.record(question, &post(values), &mut answers);
        assert_eq!(removed, Ok(vec![]), "{question}");
    }
    assert_eq!(answers.len(), 5);
    let removed = flow.record("werk_nu", &post(&["nee"]), &mut answers);
    let expected = ["effect_leven", "cijfer_steun", "uren_week"].map(id);
    assert_eq!(removed, Ok(expected.to_vec()));
    let kept: Vec<&str> = answers.keys().map(|k| k.as_str()).collect();
    assert_eq!(kept, ["steun_helpt", "werk_nu"]);
    assert_eq!(answers["werk_nu"], choice("nee"));

    // A stale or forged post to a question that is hidden now changes nothing.
    let before = answers.clone();
    let forged = flow.record("uren_week", &post(&["40"]), &mut answers);
    assert_eq!(forged, Err(RecordError::Hidden));
    let unknown = flow.record("salaris", &post(&["1"]), &mut answers);
    assert_eq!(unknown, Err(RecordError::UnknownQuestion));
    let invalid = flow.record("werk_nu", &post(&["misschien"]), &mut answers);
    assert_eq!(invalid, Err(RecordError::Invalid(AnswerError::NotAnOption)));
    let emptied = flow.record("werk_nu", &post(&[]), &mut answers);
    assert_eq!(emptied, Err(RecordError::Invalid(AnswerError::Required)));
    assert_eq!(answers, before);

    // A double submit stores the same thing twice.
    let again = flow.record("werk_nu", &post(&["nee"]), &mut answers);
    assert_eq!((again, &answers), (Ok(vec![]), &before));
    // Emptying an optional question removes its answer.
    let cleared = flow.record("steun_helpt", &post(&[]), &mut answers);
    assert_eq!(cleared, Ok(vec![]));
    assert!(!answers.contains_key("steun_helpt"));
}

#[test]
fn prune_removes_hidden_and_unknown_answers_in_question_order() {
    let flow = flow(EXAMPLE);
    let mut answers = Answers::new();
    answers.insert(id("werk_nu"), choice("nee"));
    answers.insert(id("a_onbekend"), AnswerValue::Number(1));
    answers.insert(id("uren_week"), AnswerValue::Number(12));
    answers.insert(id("effect_leven"), choice("beter"));
    let removed = flow.prune(&mut answers);
    assert_eq!(removed, ["effect_leven", "uren_week", "a_onbekend"].map(id));
    assert_eq!(answers.len(), 1);
    assert_eq!(flow.prune(&mut answers), vec![]);
}

#[test]
fn a_flash_poll_has_no_appendix() {
    let flow = flow(FLASH);
    let answers = Answers::new();
    assert_eq!(ids(&flow.visible(&answers)), ["drempel", "toelichting"]);
    assert_eq!(flow.position("toelichting", &answers), Some((2, 2)));
    assert_eq!(next(&flow, "toelichting", &answers), None);
}

#[test]
fn refusals_have_messages() {
    for error in [RecordError::Hidden, RecordError::UnknownQuestion] {
        for lang in Lang::ALL {
            let message = error.message(lang);
            assert!(!message.starts_with("answer."), "{message}");
        }
    }
    let invalid = RecordError::from(AnswerError::Required);
    assert_eq!(invalid.i18n_key(), "answer.error.required");
    assert_eq!(
        invalid.message(Lang::Nl),
        AnswerError::Required.message(Lang::Nl)
    );
}
