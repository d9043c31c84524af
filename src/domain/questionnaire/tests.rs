//! Unit tests of the semantic checks in `validate` (and the reachability in `reach`).

use serde_json::{Value, json};

use super::validate::matrix_problems;
use super::*;
use crate::domain::panel::PanelDefinition;

const EXAMPLE: &str = include_str!("../../../panel-schemas/examples/questionnaire.json");
const FLASH: &str = include_str!("../../../panel-schemas/examples/flitspeiling.json");
const PANEL: &str = include_str!("../../../panel-schemas/examples/panel.json");

fn file(kind: &str, questions: Value) -> Value {
    json!({
        "id": "test", "kind": kind, "language": "nl", "title": "Test",
        "purpose": "Doel.", "use_of_results": "Gebruik.", "estimated_minutes": 3,
        "closes_after_days": 7, "contact": "panel@voorbeeld.nl",
        "questions": questions, "closing_remarks": false, "evaluation": false
    })
}

fn parse(value: &Value) -> Questionnaire {
    parse_questionnaire(value.to_string().as_bytes()).expect("parses")
}

fn problems(kind: &str, questions: Value) -> Vec<(String, ProblemKind)> {
    parse(&file(kind, questions))
        .problems()
        .into_iter()
        .map(|p| (p.path, p.kind))
        .collect()
}

fn choice(id: &str, values: &[&str]) -> Value {
    let options: Vec<Value> = values
        .iter()
        .map(|v| json!({"value": v, "label": v}))
        .collect();
    json!({"id": id, "type": "single_choice", "text": "Kies", "options": options})
}

fn open(id: &str, show_if: Value) -> Value {
    json!({"id": id, "type": "open_text", "text": "Vertel", "show_if": show_if})
}

fn yes_no() -> Value {
    choice("a", &["ja", "nee"])
}

#[test]
fn reference_files_have_no_problems_or_warnings() {
    for text in [EXAMPLE, FLASH] {
        let q = parse_questionnaire(text.as_bytes()).unwrap();
        assert_eq!(q.problems(), vec![], "{}", q.id);
    }
    let q = parse_questionnaire(EXAMPLE.as_bytes()).unwrap();
    assert_eq!(q.compensation.unwrap().amount_eur.cents(), 500);
    assert_eq!(q.kind, Kind::Questionnaire);
    assert!(q.closing_remarks && q.evaluation && !q.one_page);
}

#[test]
fn reference_files_survive_a_round_trip() {
    for text in [EXAMPLE, FLASH] {
        let q = parse_questionnaire(text.as_bytes()).unwrap();
        let again = parse_questionnaire(serde_json::to_string(&q).unwrap().as_bytes()).unwrap();
        assert_eq!(again, q);
        let original: Value = serde_json::from_str(text).unwrap();
        let written = serde_json::to_value(&q).unwrap();
        assert_eq!(written["questions"], original["questions"]);
    }
}

#[test]
fn a_flash_poll_has_at_most_five_questions() {
    let six: Vec<Value> = (0..6)
        .map(|i| choice(&format!("q{i}"), &["ja", "nee"]))
        .collect();
    let found = problems("flitspeiling", json!(six));
    assert_eq!(
        found,
        vec![(
            "$.questions".into(),
            ProblemKind::TooManyQuestions { count: 6, max: 5 }
        )]
    );
    assert_eq!(problems("vragenlijst", json!(six)), vec![]);
}

#[test]
fn show_if_must_point_back_to_a_real_question() {
    let later = json!([
        open("b", json!({"question": "a", "equals": "ja"})),
        yes_no()
    ]);
    let question = "a".to_owned();
    let path = "$.questions[0].show_if.question".to_owned();
    assert_eq!(
        problems("vragenlijst", later),
        vec![(path, ProblemKind::ShowIfNotEarlier { question })]
    );

    let itself = json!([open("b", json!({"question": "b", "answered": true}))]);
    assert!(matches!(
        problems("vragenlijst", itself)[0].1,
        ProblemKind::ShowIfNotEarlier { .. }
    ));

    let unknown = json!([
        yes_no(),
        open("b", json!({"question": "x", "answered": true}))
    ]);
    let found = problems("vragenlijst", unknown);
    assert_eq!(found[0].0, "$.questions[1].show_if.question");
    assert!(matches!(
        found[0].1,
        ProblemKind::ShowIfUnknownQuestion { .. }
    ));
}

#[test]
fn show_if_values_must_be_options_of_a_choice_question() {
    let typo = json!([
        yes_no(),
        open("b", json!({"question": "a", "equals": "jaa"}))
    ]);
    let kind = ProblemKind::ShowIfUnknownOption {
        question: "a".into(),
        value: "jaa".into(),
    };
    assert_eq!(
        problems("vragenlijst", typo),
        vec![("$.questions[1].show_if.equals".into(), kind)]
    );

    let nested = json!([
        yes_no(),
        open("b", json!({"any": [{"question": "a", "in": ["ja", "x"]}]}))
    ]);
    let found = problems("vragenlijst", nested);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, "$.questions[1].show_if.any[0].in[1]");

    let text = json!([
        open("a", Value::Null),
        open("b", json!({"question": "a", "equals": "x"}))
    ]);
    let found = problems("vragenlijst", text);
    assert!(
        matches!(found[0].1, ProblemKind::ShowIfNotChoice { .. }),
        "{found:?}"
    );
}

#[test]
fn contradictory_conditions_make_a_question_unreachable() {
    let never =
        json!({"all": [{"question": "a", "equals": "ja"}, {"question": "a", "equals": "nee"}]});
    let questions = json!([
        yes_no(),
        open("b", never),
        open("c", json!({"question": "b", "answered": true})),
        open("d", json!({"question": "b", "answered": false})),
    ]);
    let found = problems("vragenlijst", questions);
    assert_eq!(
        found,
        vec![
            ("$.questions[1].show_if".into(), ProblemKind::NeverShown),
            ("$.questions[2].show_if".into(), ProblemKind::NeverShown),
        ]
    );
}

#[test]
fn reachable_conditions_are_not_flagged() {
    let either = json!({"any": [
        {"all": [{"question": "a", "equals": "ja"}, {"question": "a", "equals": "nee"}]},
        {"question": "a", "in": ["nee"]}
    ]});
    assert_eq!(
        problems("vragenlijst", json!([yes_no(), open("b", either)])),
        vec![]
    );
    // Depends on a follow-up that is itself only shown for "ja".
    let chain = json!([
        yes_no(),
        choice("b", &["x", "y"]),
        open(
            "c",
            json!({"all": [{"question": "a", "equals": "ja"}, {"question": "b", "equals": "y"}]})
        ),
    ]);
    assert_eq!(problems("vragenlijst", chain), vec![]);
}

#[test]
fn required_questions_are_always_answered_when_shown() {
    let mut a = yes_no();
    a["required"] = json!(true);
    let skipped = json!([a, open("b", json!({"question": "a", "answered": false}))]);
    let found = problems("vragenlijst", skipped);
    assert_eq!(
        found,
        vec![("$.questions[1].show_if".into(), ProblemKind::NeverShown)]
    );
}

#[test]
fn multiple_choice_respects_exclusive_options_and_max_choices() {
    let multi = |exclusive: bool, max: Option<u32>| {
        let mut q = json!({"id": "m", "type": "multiple_choice", "text": "Kies", "options": [
            {"value": "x", "label": "X"}, {"value": "y", "label": "Y"}, {"value": "z", "label": "Z"}
        ]});
        if exclusive {
            q["options"][1]["exclusive"] = json!(true);
        }
        if let Some(max) = max {
            q["max_choices"] = json!(max);
        }
        q
    };
    let both = json!({"all": [{"question": "m", "equals": "x"}, {"question": "m", "equals": "y"}]});
    let check = |q: Value| problems("vragenlijst", json!([q, open("b", both.clone())]));
    assert_eq!(check(multi(false, None)), vec![]);
    let never = vec![("$.questions[1].show_if".to_owned(), ProblemKind::NeverShown)];
    assert_eq!(check(multi(true, None)), never);
    assert_eq!(check(multi(false, Some(1))), never);
}

#[test]
fn ids_and_option_values_must_be_unique() {
    let found = problems(
        "vragenlijst",
        json!([yes_no(), choice("a", &["x", "y", "x"])]),
    );
    let id = ProblemKind::DuplicateQuestionId { id: "a".into() };
    let value = ProblemKind::DuplicateOptionValue { value: "x".into() };
    assert_eq!(
        found,
        vec![
            ("$.questions[1].id".into(), id),
            ("$.questions[1].options[2].value".into(), value)
        ]
    );
    let reserved = problems("vragenlijst", json!([choice("_eval_clear", &["x", "y"])]));
    assert!(matches!(
        reserved[0].1,
        ProblemKind::ReservedQuestionId { .. }
    ));
}

#[test]
fn min_must_be_below_max() {
    let number = json!({"id": "n", "type": "number", "text": "Hoeveel?", "min": 5, "max": 5});
    let grade = json!({"id": "g", "type": "grade", "text": "Cijfer?", "min": 8, "max": 3});
    let found = problems("vragenlijst", json!([number, grade]));
    assert_eq!(
        found,
        vec![
            (
                "$.questions[0].min".into(),
                ProblemKind::MinNotBelowMax { min: 5, max: 5 }
            ),
            (
                "$.questions[1].min".into(),
                ProblemKind::MinNotBelowMax { min: 8, max: 3 }
            ),
        ]
    );
}

#[test]
fn matrix_questions_are_refused_with_their_path() {
    let value = file(
        "vragenlijst",
        json!([
            yes_no(),
            {"id": "m", "type": "matrix", "text": "Hoe eens?", "rows": ["a"], "columns": ["b"]},
            {"id": "g", "type": "single_choice", "text": "Hoe?", "rows": ["a", "b"]}
        ]),
    );
    let found: Vec<_> = matrix_problems(&value)
        .into_iter()
        .map(|p| (p.path, p.kind))
        .collect();
    assert_eq!(
        found,
        vec![
            ("$.questions[1].type".into(), ProblemKind::MatrixQuestion),
            ("$.questions[2].rows".into(), ProblemKind::MatrixQuestion),
        ]
    );
    assert!(parse_questionnaire(value.to_string().as_bytes()).is_err());
}

#[test]
fn implausible_durations_are_warned_about() {
    // `"show_if": null` reads as no condition.
    let many: Vec<Value> = (0..40)
        .map(|i| open(&format!("q{i}"), Value::Null))
        .collect();
    let mut value = file("vragenlijst", json!(many));
    value["estimated_minutes"] = json!(5);
    let found = parse(&value).problems();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].path, "$.estimated_minutes");
    assert_eq!(found[0].severity, Severity::Warning);
    assert_eq!(
        found[0].kind,
        ProblemKind::ImplausibleMinutes {
            stated: 5,
            expected: 60,
            questions: 40
        }
    );
    let mut few = file("vragenlijst", json!([yes_no()]));
    few["estimated_minutes"] = json!(60);
    assert!(matches!(
        parse(&few).problems()[0].kind,
        ProblemKind::ImplausibleMinutes { .. }
    ));
}

#[test]
fn blank_texts_and_odd_settings_are_found() {
    let mut value = file(
        "flitspeiling",
        json!([
            yes_no(),
            open("b", json!({"question": "a", "equals": "ja"}))
        ]),
    );
    value["purpose"] = json!("  ");
    value["evaluation"] = json!(true);
    value["one_page"] = json!(true);
    let found: Vec<_> = parse(&value)
        .problems()
        .into_iter()
        .map(|p| (p.path, p.kind.code(), p.severity))
        .collect();
    assert_eq!(
        found,
        vec![
            ("$.purpose".into(), "empty_text", Severity::Problem),
            (
                "$.evaluation".into(),
                "flash_poll_with_evaluation",
                Severity::Warning
            ),
            (
                "$.questions[1].show_if".into(),
                "one_page_with_show_if",
                Severity::Warning
            ),
        ]
    );
}

#[test]
fn eligibility_must_match_the_panel() {
    let panel = PanelDefinition::from_json(PANEL).unwrap();
    let q = parse_questionnaire(EXAMPLE.as_bytes()).unwrap();
    assert_eq!(q.problems_against_panel(&panel), vec![]);
    let mut value: Value = serde_json::from_str(EXAMPLE).unwrap();
    value["eligibility"] = json!({"rol": ["ervaring", "onbekend"], "woonplaats": ["x"]});
    let found: Vec<_> = parse(&value)
        .problems_against_panel(&panel)
        .into_iter()
        .map(|p| p.path)
        .collect();
    assert_eq!(found, ["$.eligibility.rol[1]", "$.eligibility.woonplaats"]);
}

#[test]
fn texts_name_every_text_with_its_path() {
    let q = parse_questionnaire(EXAMPLE.as_bytes()).unwrap();
    let texts = q.texts();
    let paths: Vec<&str> = texts.iter().map(|(p, _)| p.as_str()).collect();
    for expected in [
        "$.title",
        "$.purpose",
        "$.use_of_results",
        "$.questions[1].help",
        "$.questions[1].options[2].label",
        "$.questions[3].other.label",
        "$.questions[4].unit",
        "$.questions[5].labels[4]",
        "$.questions[6].text",
    ] {
        assert!(
            paths.contains(&expected),
            "{expected} missing from {paths:?}"
        );
    }
    assert!(texts.contains(&("$.questions[4].unit".to_owned(), "uur per week")));
}

#[test]
fn fields_of_another_type_are_refused() {
    let mut value = file("vragenlijst", json!([yes_no()]));
    value["questions"][0]["max_length"] = json!(10);
    let err = parse_questionnaire(value.to_string().as_bytes()).unwrap_err();
    assert!(
        err.to_string()
            .contains("`max_length` does not belong to a `single_choice`"),
        "{err}"
    );
    value["questions"][0] = json!({"id": "a", "type": "single_choice", "text": "x",
        "options": [{"value": "a", "label": "A", "exclusive": true}, {"value": "b", "label": "B"}]});
    assert!(parse_questionnaire(value.to_string().as_bytes()).is_err());
}

#[test]
fn questions_after_a_broken_condition_are_not_called_unreachable() {
    let questions = json!([
        yes_no(),
        open("b", json!({"question": "a", "equals": "misschien"})),
        open("c", json!({"question": "b", "answered": true})),
    ]);
    let found = problems("vragenlijst", questions);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(matches!(
        found[0].1,
        ProblemKind::ShowIfUnknownOption { .. }
    ));
}

#[test]
fn deeply_nested_input_is_refused_without_crashing() {
    let mut condition = json!({"question": "a", "answered": true});
    for _ in 0..300 {
        condition = json!({"all": [condition]});
    }
    let text = serde_json::to_string(&file(
        "vragenlijst",
        json!([yes_no(), open("b", condition)]),
    ));
    // serde_json's own writer has no depth limit; its reader stops at 128 levels.
    let err = parse_questionnaire(text.unwrap().as_bytes()).unwrap_err();
    assert!(err.to_string().contains("recursion limit"), "{err}");
    let brackets = "[".repeat(100_000);
    assert!(parse_questionnaire(brackets.as_bytes()).is_err());
}
