//! Unit tests of questions tied to a background variable (`profile`): the file field,
//! the checks against the panel, a member's flow that does not ask what the profile
//! already says, and tying a question in the editor.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::answer::AnswerInput;
use super::edit::{QuestionDraft, apply, draft_of, tie_options};
use super::*;
use crate::domain::panel::PanelDefinition;
use crate::i18n::Lang;

const EXAMPLE: &str = include_str!("../../../panel-schemas/examples/questionnaire.json");
const PANEL: &str = include_str!("../../../panel-schemas/examples/panel.json");

/// The reference questionnaire with "Wat doet u nu het meest?" first, tied to the
/// panel's `situatie`, and a follow-up only for members with benefits.
const TIED: &str = include_str!("../../../tests/fixtures/questionnaire-with-profile.json");

fn tied() -> Value {
    serde_json::from_str(TIED).unwrap()
}

fn parse(value: &Value) -> Questionnaire {
    parse_questionnaire(value.to_string().as_bytes()).expect("parses")
}

fn panel() -> PanelDefinition {
    PanelDefinition::from_json(PANEL).unwrap()
}

fn background(pairs: &[(&str, &str)]) -> BTreeMap<VariableId, CategoryValue> {
    pairs
        .iter()
        .map(|(k, v)| {
            (
                VariableId::parse(k).unwrap(),
                CategoryValue::parse(v).unwrap(),
            )
        })
        .collect()
}

fn member_flow(value: &Value, pairs: &[(&str, &str)]) -> Flow {
    Flow::new(&parse(value), Lang::Nl).with_profile(&background(pairs))
}

fn id(v: &str) -> QuestionId {
    QuestionId::parse(v).unwrap()
}

fn choice(v: &str) -> AnswerValue {
    AnswerValue::Choice(OptionValue::parse(v).unwrap())
}

fn post(value: &str) -> AnswerInput {
    AnswerInput {
        values: vec![value.to_owned()],
        other_text: String::new(),
    }
}

fn first(flow: &Flow, answers: &Answers) -> String {
    flow.first(answers).unwrap().id.to_string()
}

fn found(q: &Questionnaire) -> Vec<(String, ProblemKind)> {
    q.problems_against_panel(&panel())
        .into_iter()
        .map(|p| (p.path, p.kind))
        .collect()
}

#[test]
fn the_profile_field_reads_and_writes_on_single_choice_only() {
    let q = parse(&tied());
    let variable = q.questions[0].kind.profile().map(VariableId::as_str);
    assert_eq!(variable, Some("situatie"));
    assert_eq!(q.questions[1].kind.profile(), None);
    let written = serde_json::to_value(&q).unwrap();
    assert_eq!(written["questions"][0]["profile"], "situatie");
    assert!(written["questions"][1].get("profile").is_none());
    assert_eq!(parse(&written), q, "round trip");

    let mut grade = tied();
    grade["questions"][4]["profile"] = json!("leeftijd");
    let err = parse_questionnaire(grade.to_string().as_bytes()).unwrap_err();
    assert!(
        err.to_string()
            .contains("`profile` does not belong to a `grade` question"),
        "{err}"
    );
}

#[test]
fn a_tied_question_offers_exactly_the_categories_of_a_panel_variable() {
    assert_eq!(found(&parse(&tied())), vec![]);

    let mut unknown = tied();
    unknown["questions"][0]["profile"] = json!("woonsituatie");
    assert_eq!(
        found(&parse(&unknown)),
        vec![(
            "$.questions[0].profile".to_owned(),
            ProblemKind::ProfileUnknownVariable {
                variable: "woonsituatie".into()
            }
        )]
    );

    // "werk" is not a category, and so "regulier_werk" has no option.
    let mut wrong = tied();
    wrong["questions"][0]["options"][4]["value"] = json!("werk");
    let problems = found(&parse(&wrong));
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert_eq!(problems[0].0, "$.questions[0].options[4].value");
    let ProblemKind::ProfileUnknownCategory {
        value, categories, ..
    } = &problems[0].1
    else {
        panic!("{problems:?}");
    };
    assert_eq!(value, "werk");
    assert!(categories.contains("regulier_werk"), "{categories}");
    assert_eq!(
        problems[1],
        (
            "$.questions[0].options".to_owned(),
            ProblemKind::ProfileMissingCategory {
                variable: "situatie".into(),
                value: "regulier_werk".into()
            }
        )
    );
    assert!(
        problems
            .iter()
            .all(|(_, k)| k.severity() == Severity::Problem)
    );
    for (_, kind) in &problems {
        for lang in Lang::ALL {
            let key = format!("schema.problem.{}", kind.code());
            assert!(crate::i18n::keys(lang).any(|k| k == key), "{key}");
        }
    }
}

#[test]
fn a_member_is_not_asked_what_the_profile_says() {
    let flow = member_flow(&tied(), &[("rol", "ervaring"), ("situatie", "uitkering")]);
    let mut answers = Answers::new();
    assert_eq!(flow.settle(&mut answers), vec![id("situatie_nu")]);
    assert_eq!(answers[&id("situatie_nu")], choice("uitkering"));
    assert_eq!(flow.settle(&mut answers), vec![], "settled once");
    assert!(flow.from_profile("situatie_nu") && !flow.from_profile("rondkomen"));

    // Shown (routing sees it), never asked: the follow-up comes first.
    assert!(
        flow.visible(&answers)
            .iter()
            .any(|q| q.id == id("situatie_nu"))
    );
    assert!(
        !flow
            .asked(&answers)
            .iter()
            .any(|q| q.id == id("situatie_nu"))
    );
    assert_eq!(first(&flow, &answers), "rondkomen");
    assert_eq!(flow.previous_before("rondkomen", &answers), None);
    let next = flow.next_after("rondkomen", &answers).unwrap();
    assert_eq!(next.id.as_str(), "werk_nu");
    // 14: the 11 questions asked now (2 + 9 as in the reference file) and the 3 that may
    // still follow werk_nu; the profile's question does not count.
    assert_eq!(flow.position("rondkomen", &answers), Some((1, 14)));
    assert_eq!(
        flow.progress("werk_nu", &answers, Lang::Nl).as_deref(),
        Some("Vraag 2 van 14")
    );
    assert_eq!(flow.position("situatie_nu", &answers), None);

    // A forged answer to it is refused and changes nothing.
    assert!(!flow.accepts("situatie_nu", &answers));
    let before = answers.clone();
    let forged = flow.record("situatie_nu", &post("regulier_werk"), &mut answers);
    assert_eq!(forged, Err(RecordError::Hidden));
    assert_eq!(answers, before);
    assert!(flow.is_complete(&{
        let mut done = answers.clone();
        done.insert(id("werk_nu"), choice("nee"));
        done
    }));

    // Another profile value routes another way.
    let flow = member_flow(&tied(), &[("situatie", "regulier_werk")]);
    let mut answers = Answers::new();
    flow.settle(&mut answers);
    assert_eq!(answers[&id("situatie_nu")], choice("regulier_werk"));
    assert_eq!(first(&flow, &answers), "werk_nu");
    assert_eq!(flow.position("werk_nu", &answers), Some((1, 13)));
}

#[test]
fn without_the_value_the_question_is_asked_as_usual() {
    for flow in [
        Flow::new(&parse(&tied()), Lang::Nl),
        member_flow(&tied(), &[("rol", "naaste")]),
        // A category the question does not offer (the panel changed): asked.
        member_flow(&tied(), &[("situatie", "studie")]),
    ] {
        let mut answers = Answers::new();
        assert_eq!(flow.settle(&mut answers), vec![]);
        assert_eq!(first(&flow, &answers), "situatie_nu");
        assert!(flow.uses_profile() && !flow.from_profile("situatie_nu"));
        assert_eq!(flow.position("situatie_nu", &answers), Some((1, 15)));
        let changed = flow.record("situatie_nu", &post("uitkering"), &mut answers);
        assert_eq!(changed, Ok(vec![]));
        assert_eq!(
            flow.next_after("situatie_nu", &answers)
                .unwrap()
                .id
                .as_str(),
            "rondkomen"
        );
    }
}

#[test]
fn a_tied_question_behind_a_condition_is_answered_only_while_shown() {
    let mut value = tied();
    value["questions"][0]["show_if"] = json!({"question": "werk_nu", "equals": "ja"});
    let questions = value["questions"].as_array_mut().unwrap();
    let werk_nu = questions.remove(2);
    questions.insert(0, werk_nu);
    let flow = member_flow(&value, &[("situatie", "uitkering")]);
    let mut answers = Answers::new();
    assert_eq!(flow.settle(&mut answers), vec![]);
    assert_eq!(flow.position("werk_nu", &answers), Some((1, 14)));

    let changed = flow.record("werk_nu", &post("ja"), &mut answers);
    assert_eq!(changed, Ok(vec![id("situatie_nu")]));
    assert_eq!(answers[&id("situatie_nu")], choice("uitkering"));
    let next = flow.next_after("werk_nu", &answers).unwrap();
    assert_eq!(next.id.as_str(), "rondkomen");
    flow.record("rondkomen", &post("nee"), &mut answers)
        .unwrap();

    // No work: the tied question and its follow-up are hidden, and their answers go.
    let changed = flow.record("werk_nu", &post("nee"), &mut answers);
    assert_eq!(changed, Ok(vec![id("situatie_nu"), id("rondkomen")]));
    assert_eq!(answers.len(), 1);
}

#[test]
fn the_editor_ties_a_question_and_its_answers_become_the_categories() {
    let panel = panel();
    let situatie = panel.variable("situatie").unwrap();
    let mut q = parse(&serde_json::from_str(EXAMPLE).unwrap());
    let mut draft = draft_of(&q.questions[0]);
    assert_eq!(draft.profile, "");
    draft.profile = "situatie".into();
    draft.options[0] = (Some("uitkering".into()), "Ik leef van een uitkering".into());
    apply(&draft, &mut q.questions[0]).unwrap();
    tie_options(&mut q.questions[0], situatie);
    let options = q.questions[0].kind.options();
    let values: Vec<&str> = options.iter().map(|o| o.value.as_str()).collect();
    let categories: Vec<&str> = situatie
        .categories
        .iter()
        .map(|c| c.value.as_str())
        .collect();
    assert_eq!(values, categories);
    assert_eq!(options[0].label, "Ik leef van een uitkering", "kept");
    assert_eq!(options[1].label, situatie.categories[1].label);
    assert_eq!(found(&q), vec![]);
    assert_eq!(draft_of(&q.questions[0]).profile, "situatie");

    // Only a single choice question can be tied; a bad id is refused.
    let mut grade = draft_of(&q.questions[2]);
    grade.profile = "leeftijd".into();
    let errors = apply(&grade, &mut q.questions[2]).unwrap_err();
    assert_eq!(errors[0].field, "profile");
    let bad = QuestionDraft {
        profile: "geen id!".into(),
        ..draft_of(&q.questions[0])
    };
    assert_eq!(
        apply(&bad, &mut q.questions[0]).unwrap_err()[0].field,
        "profile"
    );
    // Untying keeps the options.
    let mut untie = draft_of(&q.questions[0]);
    untie.profile.clear();
    apply(&untie, &mut q.questions[0]).unwrap();
    assert_eq!(q.questions[0].kind.profile(), None);
    assert_eq!(q.questions[0].kind.options().len(), 6);
}
