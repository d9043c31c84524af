//! What `klankbord schema check` reports for reference, broken and odd files.

use serde_json::{Value, json};

use super::panel::panel_message;
use super::*;
use crate::domain::panel::PanelProblemKind;
use crate::domain::questionnaire::ProblemKind;
use crate::i18n::t;

const PANEL: &str = include_str!("../../panel-schemas/examples/panel.json");
const QUESTIONNAIRE: &str = include_str!("../../panel-schemas/examples/questionnaire.json");
const FLASH: &str = include_str!("../../panel-schemas/examples/flitspeiling.json");

fn edited(text: &str, edit: impl FnOnce(&mut Value)) -> Vec<u8> {
    let mut value: Value = serde_json::from_str(text).unwrap();
    edit(&mut value);
    serde_json::to_vec_pretty(&value).unwrap()
}

fn paths_and_codes(report: &FileReport) -> Vec<(&str, &str)> {
    report
        .problems
        .iter()
        .map(|f| (f.path.as_str(), f.code.as_str()))
        .collect()
}

#[test]
fn reference_files_are_accepted_as_they_are() {
    for (name, text, kind) in [
        ("panel.json", PANEL, FileKind::Panel),
        ("questionnaire.json", QUESTIONNAIRE, FileKind::Questionnaire),
        ("flitspeiling.json", FLASH, FileKind::Questionnaire),
    ] {
        let report = check_bytes(name, text.as_bytes(), Lang::Nl);
        assert_eq!(report.kind, Some(kind));
        assert!(report.valid, "{name}: {:#?}", report.problems);
        assert_eq!(report.problems, vec![], "{name}");
    }
}

#[test]
fn a_malformed_panel_names_the_path_of_each_problem() {
    let bytes = edited(PANEL, |v| {
        v.as_object_mut().unwrap().remove("name");
        v["naam"] = json!("typo");
        v["min_age"] = json!(12);
        v["contact_policy"]["quiet_hours"]["from"] = json!("8:00");
        v["contact_policy"]["max_reminders_per_invitation"] = json!("een");
        v["background_variables"][1]["categories"][0]["value"] = json!("18 34");
        v["targets"]["leeftijd"]["35-54"] = json!(1.5);
    });
    let report = check_bytes("panel.json", &bytes, Lang::Nl);
    assert!(!report.valid);
    let found = paths_and_codes(&report);
    for expected in [
        ("$.name", "json.required"),
        ("$.naam", "json.unknown_field"),
        ("$.min_age", "json.minimum"),
        ("$.contact_policy.quiet_hours.from", "json.time_pattern"),
        ("$.contact_policy.max_reminders_per_invitation", "json.type"),
        (
            "$.background_variables[1].categories[0].value",
            "json.id_pattern",
        ),
        ("$.targets.leeftijd.35-54", "json.maximum"),
    ] {
        assert!(found.contains(&expected), "{expected:?} not in {found:?}");
    }
    let name = report.problems.iter().find(|f| f.path == "$.name").unwrap();
    assert_eq!(
        name.message,
        "Het veld \"name\" ontbreekt. Dit veld is verplicht."
    );
}

#[test]
fn semantic_panel_problems_replace_schema_errors_at_the_same_path() {
    let bytes = edited(PANEL, |v| {
        v["targets"]["rol"]["naaste"] = json!(0.35);
        v["reporting"]["min_cell_size"] = json!(0);
    });
    let report = check_bytes("panel.json", &bytes, Lang::En);
    assert_eq!(
        paths_and_codes(&report),
        vec![
            ("$.targets.rol", "panel.targets_do_not_sum_to_one"),
            ("$.reporting.min_cell_size", "panel.min_cell_size_zero"),
        ]
    );
    assert_eq!(
        report.problems[0].message,
        "The shares add up to 110%. Together they must be 100% (1)."
    );
}

#[test]
fn unknown_fields_are_refused_with_their_path() {
    let bytes = edited(PANEL, |v| {
        v["contact_policy"]["quiet_hours"]["tijdzone"] = json!("x")
    });
    let report = check_bytes("panel.json", &bytes, Lang::Nl);
    assert_eq!(
        paths_and_codes(&report),
        vec![(
            "$.contact_policy.quiet_hours.tijdzone",
            "json.unknown_field"
        )]
    );
    let bytes = edited(QUESTIONNAIRE, |v| {
        v["questions"][2]["options"] = json!([]);
        v["questions"][6]["hulp"] = json!("x");
        v["questions"][5]["type"] = json!("dropdown");
    });
    let report = check_bytes("q.json", &bytes, Lang::Nl);
    assert_eq!(
        paths_and_codes(&report),
        vec![
            ("$.questions[2].options", "json.field_not_for_type"),
            ("$.questions[5].type", "json.enum"),
            ("$.questions[6].hulp", "json.unknown_field"),
        ]
    );
    assert_eq!(
        report.problems[0].message,
        "Het veld \"options\" hoort niet bij een vraag van het type \"grade\". Haal het weg, of kies een ander type."
    );
    let cents = edited(QUESTIONNAIRE, |v| {
        v["compensation"]["amount_eur"] = json!(5.001)
    });
    let report = check_bytes("q.json", &cents, Lang::Nl);
    assert_eq!(
        paths_and_codes(&report),
        vec![("$.compensation.amount_eur", "json.cents")]
    );
}

#[test]
fn malformed_json_reports_line_and_column() {
    let text = PANEL.replacen(
        "\"organisation\": \"Voorbeeldorganisatie\",",
        "\"organisation\": \"Voorbeeldorganisatie\"",
        1,
    );
    let report = check_bytes("panel.json", text.as_bytes(), Lang::Nl);
    assert_eq!(report.kind, None);
    let finding = &report.problems[0];
    assert_eq!(finding.code, "file.syntax");
    assert_eq!((finding.line, finding.column), (Some(5), Some(3)));
    assert_eq!(finding.path, "$.organisation");
    assert!(
        finding.message.contains("regel 5, kolom 3"),
        "{}",
        finding.message
    );
}

#[test]
fn big_and_unknown_files_are_refused() {
    let big = vec![b' '; MAX_FILE_BYTES + 1];
    assert_eq!(
        paths_and_codes(&check_bytes("big.json", &big, Lang::Nl)),
        vec![("$", "file.too_large")]
    );
    let other = check_bytes("x.json", b"{\"a\": 1}", Lang::Nl);
    assert_eq!(paths_and_codes(&other), vec![("$", "file.unknown_kind")]);
    assert!(!other.valid);
}

#[test]
fn the_schema_key_decides_the_kind_and_is_allowed() {
    let bytes = edited(PANEL, |v| {
        v["$schema"] = json!("./panel.schema.json");
    });
    let report = check_bytes("panel.json", &bytes, Lang::Nl);
    assert_eq!(report.kind, Some(FileKind::Panel));
    assert!(report.valid, "{:#?}", report.problems);
    let bytes = edited(QUESTIONNAIRE, |v| {
        v["$schema"] = json!("../questionnaire.schema.json")
    });
    assert!(check_bytes("q.json", &bytes, Lang::Nl).valid);
    let with_bom = [b"\xEF\xBB\xBF".as_slice(), PANEL.as_bytes()].concat();
    assert!(check_bytes("panel.json", &with_bom, Lang::Nl).valid);
}

#[test]
fn questionnaire_problems_are_named_once_by_path() {
    let bytes = edited(QUESTIONNAIRE, |v| {
        v["questions"][1]["show_if"] = json!({"question": "wat_beter", "answered": true});
        v["questions"][2]["show_if"]["equals"] = json!("misschien");
    });
    let report = check_bytes("q.json", &bytes, Lang::Nl);
    assert!(!report.valid);
    assert_eq!(
        paths_and_codes(&report),
        vec![
            (
                "$.questions[1].show_if.question",
                "problem.show_if_not_earlier"
            ),
            (
                "$.questions[2].show_if.equals",
                "problem.show_if_unknown_option"
            ),
        ]
    );
    let six = edited(FLASH, |v| {
        v["estimated_minutes"] = json!(8);
        let q = v["questions"][1].clone();
        for i in 0..4 {
            let mut q = q.clone();
            q["id"] = json!(format!("extra{i}"));
            v["questions"].as_array_mut().unwrap().push(q);
        }
    });
    let report = check_bytes("flits.json", &six, Lang::Nl);
    assert_eq!(
        paths_and_codes(&report),
        vec![("$.questions", "problem.too_many_questions")]
    );
    assert!(
        report.problems[0]
            .message
            .starts_with("Een flitspeiling heeft hoogstens 5 vragen. Deze heeft er 6.")
    );
}

#[test]
fn matrix_questions_get_one_message_telling_to_split_them() {
    let bytes = edited(QUESTIONNAIRE, |v| {
        v["questions"][5] = json!({"id": "eens", "type": "matrix", "text": "Hoe eens bent u?",
            "rows": ["geld", "werk"], "columns": ["eens", "oneens"]});
    });
    let report = check_bytes("q.json", &bytes, Lang::En);
    assert_eq!(
        paths_and_codes(&report),
        vec![("$.questions[5].type", "problem.matrix_question")]
    );
    assert!(
        report.problems[0]
            .message
            .contains("Make each row a question of its own")
    );
}

#[test]
fn warnings_and_b1_notes_keep_a_file_valid() {
    let bytes = edited(QUESTIONNAIRE, |v| {
        v["estimated_minutes"] = json!(60);
        v["questions"][0]["help"] = json!("Wij vragen dit middels een korte vraag.");
    });
    let report = check_bytes("q.json", &bytes, Lang::Nl);
    assert!(report.valid);
    assert_eq!(
        paths_and_codes(&report),
        vec![("$.estimated_minutes", "problem.implausible_minutes")]
    );
    assert_eq!(report.problems[0].severity, Severity::Warning);
    let b1 = report.b1.as_ref().unwrap();
    let note = b1.iter().find(|n| n.path == "$.questions[0].help").unwrap();
    assert_eq!(
        (note.kind.as_str(), note.severity),
        ("jargon", Severity::Problem)
    );
}

#[test]
fn files_are_checked_into_text_or_json_with_an_exit_code() {
    let dir = std::env::temp_dir().join(format!("klankbord-schema-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("panel.json");
    let bad = dir.join("kapot.json");
    std::fs::write(&good, PANEL).unwrap();
    std::fs::write(&bad, edited(PANEL, |v| v["reporting"] = json!({}))).unwrap();
    let missing = dir.join("bestaat-niet.json");

    let (out, code) = check_files(&[&good], Format::Text, Lang::Nl);
    assert_eq!(code, 0);
    assert!(out.contains("panel.json: panel: in orde"), "{out}");
    assert!(out.ends_with("1 van 1 bestanden in orde.\n"), "{out}");

    let (out, code) = check_files(&[&good, &bad, &missing], Format::Text, Lang::Nl);
    assert_eq!(code, 1);
    assert!(
        out.contains("kapot.json: panel: niet in orde, 1 probleem"),
        "{out}"
    );
    assert!(
        out.contains("  probleem $.reporting.min_cell_size: Het veld \"min_cell_size\" ontbreekt."),
        "{out}"
    );
    assert!(
        out.contains("bestaat-niet.json: onbekend bestand: niet in orde"),
        "{out}"
    );

    let (out, code) = check_files(&[&good, &bad], Format::Json, Lang::En);
    assert_eq!(code, 1);
    let parsed: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(parsed["valid"], false);
    assert_eq!(parsed["files"][0]["valid"], true);
    let problem = &parsed["files"][1]["problems"][0];
    assert_eq!(problem["path"], "$.reporting.min_cell_size");
    assert_eq!(problem["severity"], "problem");
    assert_eq!(problem["code"], "json.required");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Every message the checker can produce exists in both languages.
#[test]
fn every_message_key_exists_in_both_languages() {
    let sample = [
        ProblemKind::EmptyText,
        ProblemKind::NotPositive,
        ProblemKind::TooManyQuestions { count: 6, max: 5 },
        ProblemKind::DuplicateQuestionId { id: "a".into() },
        ProblemKind::ReservedQuestionId { id: "_a".into() },
        ProblemKind::DuplicateOptionValue { value: "a".into() },
        ProblemKind::TooFewOptions { count: 1 },
        ProblemKind::MaxChoicesZero,
        ProblemKind::MaxChoicesAboveOptions {
            max_choices: 4,
            options: 3,
        },
        ProblemKind::ScaleLabelCount { count: 1 },
        ProblemKind::GradeOutOfRange,
        ProblemKind::MinNotBelowMax { min: 2, max: 1 },
        ProblemKind::ShowIfUnknownQuestion {
            question: "a".into(),
        },
        ProblemKind::ShowIfNotEarlier {
            question: "a".into(),
        },
        ProblemKind::ShowIfNotChoice {
            question: "a".into(),
        },
        ProblemKind::ShowIfUnknownOption {
            question: "a".into(),
            value: "b".into(),
        },
        ProblemKind::ShowIfEmpty,
        ProblemKind::NeverShown,
        ProblemKind::MatrixQuestion,
        ProblemKind::ImplausibleMinutes {
            stated: 1,
            expected: 9,
            questions: 9,
        },
        ProblemKind::FlashPollWithEvaluation,
        ProblemKind::OnePageWithShowIf,
        ProblemKind::EligibilityEmpty,
        ProblemKind::EligibilityUnknownVariable {
            variable: "a".into(),
        },
        ProblemKind::EligibilityUnknownCategory {
            variable: "a".into(),
            value: "b".into(),
        },
    ];
    let mut keys: Vec<String> = sample
        .iter()
        .map(|k| format!("schema.problem.{}", k.code()))
        .collect();
    for kind in [
        PanelProblemKind::DuplicateVariable { id: "a".into() },
        PanelProblemKind::DuplicateCategory { value: "a".into() },
        PanelProblemKind::NoCategories,
        PanelProblemKind::UnknownTargetVariable { id: "a".into() },
        PanelProblemKind::UnknownTargetCategory { value: "a".into() },
        PanelProblemKind::MissingTargetCategory { value: "a".into() },
        PanelProblemKind::TargetsDoNotSumToOne { sum_per_mille: 995 },
        PanelProblemKind::TargetOutOfRange,
        PanelProblemKind::BadTime { value: "8".into() },
        PanelProblemKind::MinCellSizeZero,
    ] {
        keys.push(panel_message(&kind, Lang::Nl).0);
    }
    // Literal keys in the checker's own source.
    for source in [
        include_str!("../schema_check.rs"),
        include_str!("schema_errors.rs"),
    ] {
        let literal = |p: &&str| p.starts_with("schema.") && !p.ends_with('.') && !p.contains('{');
        for piece in source.split('"').filter(literal) {
            keys.push(piece.to_owned());
        }
    }
    for ty in [
        "string", "number", "integer", "boolean", "array", "object", "null",
    ] {
        keys.push(format!("schema.type.{ty}"));
    }
    for lang in Lang::ALL {
        for key in &keys {
            assert_ne!(t(lang, key), key.as_str(), "{key} missing in {lang}");
        }
    }
    for kind in sample {
        let message = message(
            Lang::Nl,
            &format!("schema.problem.{}", kind.code()),
            &kind.args(),
        );
        assert!(!message.contains('{'), "unfilled placeholder in {message}");
    }
}

#[test]
fn only_a_single_choice_question_can_be_tied_to_the_profile() {
    let tied = edited(QUESTIONNAIRE, |v| {
        v["questions"][0]["profile"] = json!("situatie")
    });
    let report = check_bytes("q.json", &tied, Lang::Nl);
    assert!(report.valid, "{:#?}", report.problems);
    let on_grade = edited(QUESTIONNAIRE, |v| {
        v["questions"][2]["profile"] = json!("leeftijd");
        v["questions"][0]["profile"] = json!("geen kenmerk");
    });
    let report = check_bytes("q.json", &on_grade, Lang::En);
    assert_eq!(
        paths_and_codes(&report),
        vec![
            ("$.questions[0].profile", "json.id_pattern"),
            ("$.questions[2].profile", "json.field_not_for_type"),
        ]
    );
    assert_eq!(
        report.problems[1].message,
        "The field \"profile\" does not belong to a question of type \"grade\". Remove it, or choose another type."
    );
    // A broken value of the question's own type is reported once, at itself.
    let bad_value = edited(QUESTIONNAIRE, |v| {
        v["questions"][0]["options"][0]["value"] = json!("ja ja")
    });
    assert_eq!(
        paths_and_codes(&check_bytes("q.json", &bad_value, Lang::Nl)),
        vec![("$.questions[0].options[0].value", "json.id_pattern")]
    );
}
