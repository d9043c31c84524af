//! The export of three hand-made responses to the reference questionnaire: every
//! column's codes and labels, the missing codes, weights and respondent ids. The file
//! formats are checked in `files_tests` on the same fixture.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::*;
use crate::domain::ids::{CategoryValue, VariableId};
use crate::domain::panel::PanelDefinition;
use crate::domain::questionnaire::routing::{AnswerValue, ScaleAnswer};
use crate::domain::questionnaire::{
    Answers, OptionValue, Question, QuestionId, QuestionType, parse_questionnaire,
};
use crate::domain::response::{Mode, Proxy};

const QUESTIONNAIRE: &str = include_str!("../../../panel-schemas/examples/questionnaire.json");
const PANEL: &str = include_str!("../../../panel-schemas/examples/panel.json");

fn choice(v: &str) -> AnswerValue {
    AnswerValue::Choice(OptionValue::parse(v).unwrap())
}

fn answers(pairs: Vec<(&str, AnswerValue)>) -> Answers {
    pairs
        .into_iter()
        .map(|(id, v)| (QuestionId::parse(id).unwrap(), v))
        .collect()
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

fn date(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, day).unwrap()
}

/// 1: works, chooses two kinds of support and "other" (with a line break and quotes),
/// writes an answer that looks like a formula. 2: answered by someone else, does not
/// work (the work questions are skipped), chose nothing, does not know. 3: on paper,
/// nothing recorded about help, nothing answered, no profile left.
fn rows() -> Vec<ResponseRow> {
    vec![
        ResponseRow {
            respondent: "Raaaa".into(),
            mode: Mode::Web,
            proxy: Some(Proxy::WithHelp),
            finished: date(2),
            background: background(&[("rol", "ervaring"), ("leeftijd", "55+")]),
            answers: answers(vec![
                ("werk_nu", choice("ja")),
                ("effect_leven", choice("gelijk")),
                ("cijfer_steun", AnswerValue::Grade(8)),
                (
                    "steun_helpt",
                    AnswerValue::Choices {
                        values: vec![
                            OptionValue::parse("gesprek").unwrap(),
                            OptionValue::parse("jobcoach").unwrap(),
                        ],
                        other: Some("Een \"maatje\",\nthuis".into()),
                    },
                ),
                ("uren_week", AnswerValue::Number(20)),
                ("eens_zeker", AnswerValue::Scale(ScaleAnswer::Point(4))),
                ("wat_beter", AnswerValue::Text("=1+1 is meer begrip".into())),
                ("_eval_clear", choice("ja")),
            ]),
        },
        ResponseRow {
            respondent: "Rbbbb".into(),
            mode: Mode::Phone,
            proxy: Some(Proxy::ByOther),
            finished: date(3),
            background: background(&[("rol", "naaste")]),
            answers: answers(vec![
                ("werk_nu", choice("nee")),
                // Left behind on a question the routing now hides: not asked.
                ("uren_week", AnswerValue::Number(12)),
                (
                    "steun_helpt",
                    AnswerValue::Choices {
                        values: vec![],
                        other: Some("  ".into()),
                    },
                ),
                ("eens_zeker", AnswerValue::Scale(ScaleAnswer::DontKnow)),
            ]),
        },
        ResponseRow {
            respondent: "Rcccc".into(),
            mode: Mode::Paper,
            proxy: None,
            finished: date(4),
            background: BTreeMap::new(),
            answers: Answers::new(),
        },
    ]
}

fn questions() -> Vec<Question> {
    parse_questionnaire(QUESTIONNAIRE.as_bytes())
        .unwrap()
        .with_appendix(Lang::Nl)
}

fn dataset_with(questions: &[Question], weights: Option<&[f64]>) -> Dataset {
    let panel = PanelDefinition::from_json(PANEL).unwrap();
    let rows = rows();
    let data = SurveyData {
        survey_id: 7,
        title: "Betaald werk",
        lang: Lang::Nl,
        questions,
        background: &panel.background_variables,
        responses: &rows,
    };
    build(&data, weights).unwrap()
}

pub(super) fn dataset() -> Dataset {
    dataset_with(&questions(), None)
}

fn cells(d: &Dataset, name: &str) -> Vec<Cell> {
    let c = d.column(name).unwrap_or_else(|| panic!("no column {name}"));
    d.rows.iter().map(|r| r[c].clone()).collect()
}

fn ints(values: &[i64]) -> Vec<Cell> {
    values.iter().map(|n| Cell::Int(*n)).collect()
}

#[test]
fn columns_come_in_a_fixed_order_with_valid_names() {
    let d = dataset();
    let names: Vec<&str> = d.variables.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(
        &names[..12],
        [
            "respondent",
            "mode",
            "proxy",
            "helped",
            "finished",
            "bg_rol",
            "bg_leeftijd",
            "bg_situatie",
            "bg_regio",
            "werk_nu",
            "effect_leven",
            "cijfer_steun",
        ]
    );
    for name in [
        "steun_helpt_gesprek",
        "steun_helpt_niets",
        "steun_helpt_other",
        "steun_helpt_other_text",
        "kb_closing",
        "kb_eval_clear",
        "kb_eval_again",
    ] {
        assert!(d.column(name).is_some(), "{name}");
    }
    assert_eq!(names.last(), Some(&"weight"));
    assert!(d.rows.iter().all(|r| r.len() == d.variables.len()));
}

#[test]
fn answers_are_coded_and_missing_values_told_apart() {
    let d = dataset();
    assert_eq!(
        cells(&d, "respondent"),
        ["Raaaa", "Rbbbb", "Rcccc"].map(|r| Cell::Text(r.into()))
    );
    assert_eq!(cells(&d, "mode"), ints(&[1, 2, 3]));
    assert_eq!(cells(&d, "proxy"), ints(&[0, 1, NO_ANSWER]));
    assert_eq!(cells(&d, "helped"), ints(&[1, 0, NO_ANSWER]));
    assert_eq!(cells(&d, "finished")[0], Cell::Date(date(2)));
    // 55+ is the third category; no profile left: not known.
    assert_eq!(cells(&d, "bg_leeftijd"), ints(&[3, NO_ANSWER, NO_ANSWER]));
    assert_eq!(cells(&d, "bg_rol"), ints(&[1, 2, NO_ANSWER]));
    assert_eq!(cells(&d, "werk_nu"), ints(&[1, 2, NO_ANSWER]));
    // The routing skipped it for the second; the third was asked and gave nothing.
    assert_eq!(cells(&d, "effect_leven"), ints(&[2, NOT_ASKED, NOT_ASKED]));
    assert_eq!(cells(&d, "cijfer_steun"), ints(&[8, NOT_ASKED, NOT_ASKED]));
    assert_eq!(cells(&d, "uren_week"), ints(&[20, NOT_ASKED, NOT_ASKED]));
    assert_eq!(
        cells(&d, "steun_helpt_gesprek"),
        ints(&[1, NO_ANSWER, NO_ANSWER])
    );
    assert_eq!(
        cells(&d, "steun_helpt_uren"),
        ints(&[0, NO_ANSWER, NO_ANSWER])
    );
    assert_eq!(
        cells(&d, "steun_helpt_jobcoach"),
        ints(&[1, NO_ANSWER, NO_ANSWER])
    );
    assert_eq!(
        cells(&d, "steun_helpt_other"),
        ints(&[1, NO_ANSWER, NO_ANSWER])
    );
    assert_eq!(
        cells(&d, "steun_helpt_other_text"),
        [
            Cell::Text("Een \"maatje\",\nthuis".into()),
            Cell::Empty,
            Cell::Empty
        ]
    );
    assert_eq!(cells(&d, "eens_zeker"), ints(&[4, DONT_KNOW, NO_ANSWER]));
    assert_eq!(cells(&d, "kb_eval_clear"), ints(&[1, NO_ANSWER, NO_ANSWER]));
    assert_eq!(cells(&d, "weight"), vec![Cell::Float(1.0); 3]);
}

#[test]
fn the_codebook_data_names_values_and_missing_codes() {
    let d = dataset();
    let var = |name: &str| &d.variables[d.column(name).unwrap()];
    let werk = var("werk_nu");
    assert_eq!(werk.label, "Heeft u nu betaald werk?");
    assert_eq!(werk.kind, VariableKind::SingleChoice);
    assert_eq!(
        werk.values,
        vec![
            ValueLabel {
                code: 1,
                label: "Ja".into(),
                value: Some("ja".into())
            },
            ValueLabel {
                code: 2,
                label: "Nee".into(),
                value: Some("nee".into())
            },
        ]
    );
    let codes = |v: &Variable| v.missing.iter().map(|m| m.code).collect::<Vec<_>>();
    assert_eq!(codes(werk), [NOT_ASKED, NO_ANSWER]);
    assert_eq!(codes(var("eens_zeker")), [DONT_KNOW, NOT_ASKED, NO_ANSWER]);
    assert_eq!(var("eens_zeker").measure, Measure::Ordinal);
    assert_eq!(var("eens_zeker").values[4].label, "Helemaal eens");
    assert_eq!(
        var("uren_week").label,
        "Hoeveel uur per week werkt u? (uur per week)"
    );
    assert_eq!(
        var("steun_helpt_jobcoach").label,
        "Welke steun helpt u het meest? – Een jobcoach"
    );
    assert_eq!(var("steun_helpt_jobcoach").values[1].label, "Gekozen");
    assert_eq!(var("bg_leeftijd").values[2].value.as_deref(), Some("55+"));
    assert_eq!(codes(var("proxy")), [NO_ANSWER]);
    assert!(var("wat_beter").missing.is_empty());
    assert_eq!(var("weight").storage, Storage::Decimal(WEIGHT_DECIMALS));
}

#[test]
fn numbers_that_may_be_negative_get_far_off_missing_codes() {
    let mut qs = questions();
    let uren = qs
        .iter_mut()
        .find(|q| q.id.as_str() == "uren_week")
        .unwrap();
    uren.kind = QuestionType::Number {
        min: None,
        max: None,
        unit: None,
    };
    let d = dataset_with(&qs, None);
    assert_eq!(
        cells(&d, "uren_week"),
        ints(&[20, BIG_NOT_ASKED, BIG_NOT_ASKED])
    );
    let v = &d.variables[d.column("uren_week").unwrap()];
    assert_eq!(
        v.missing.iter().map(|m| m.code).collect::<Vec<_>>(),
        [BIG_NOT_ASKED, BIG_NO_ANSWER]
    );
}

#[test]
fn whole_number_option_values_keep_their_own_codes() {
    assert_eq!(columns::codes(&["1", "2", "5"]), [1, 2, 5]);
    assert_eq!(columns::codes(&["0", "10"]), [0, 10]);
    assert_eq!(columns::codes(&["ja", "nee"]), [1, 2]);
    assert_eq!(columns::codes(&["01", "2"]), [1, 2]);
    assert_eq!(columns::codes(&["3", "3"]), [1, 2]);
    assert_eq!(columns::codes(&["1", "x"]), [1, 2]);
}

#[test]
fn weights_are_checked_and_written() {
    let d = dataset_with(&questions(), Some(&[0.5, 1.25, 2.0]));
    assert_eq!(
        cells(&d, "weight"),
        [Cell::Float(0.5), Cell::Float(1.25), Cell::Float(2.0)]
    );
    let panel = PanelDefinition::from_json(PANEL).unwrap();
    let (qs, rows) = (questions(), rows());
    let data = SurveyData {
        survey_id: 7,
        title: "t",
        lang: Lang::Nl,
        questions: &qs,
        background: &panel.background_variables,
        responses: &rows,
    };
    assert!(matches!(
        build(&data, Some(&[1.0])),
        Err(ExportError::WeightCount {
            expected: 3,
            got: 1
        })
    ));
    assert!(matches!(
        build(&data, Some(&[1.0, f64::NAN, 1.0])),
        Err(ExportError::BadWeight { row: 2 })
    ));
    assert!(matches!(
        build(&data, Some(&[1.0, 1.0, -0.5])),
        Err(ExportError::BadWeight { row: 3 })
    ));
}

#[test]
fn decimals_lose_their_trailing_zeros() {
    assert_eq!(decimal(1.0, 10), "1");
    assert_eq!(decimal(0.25, 10), "0.25");
    assert_eq!(decimal(1.0 / 3.0, 10), "0.3333333333");
    assert_eq!(decimal(-0.0, 10), "0");
    assert_eq!(decimal(12.0, 0), "12");
}

#[test]
fn respondent_ids_are_stable_per_survey_and_keyed() {
    let id = respondent_id(b"key", 7, "3f2a-pseudonym");
    assert_eq!(id, respondent_id(b"key", 7, "3f2a-pseudonym"));
    assert_eq!(id.len(), 17);
    assert!(id.starts_with('R'));
    assert!(id[1..].chars().all(|c| c.is_ascii_hexdigit()));
    assert!(!id.contains("pseudonym"));
    assert_ne!(id, respondent_id(b"key", 8, "3f2a-pseudonym"));
    assert_ne!(id, respondent_id(b"other key", 7, "3f2a-pseudonym"));
    assert_ne!(id, respondent_id(b"key", 7, "3f2b-pseudonym"));
}
