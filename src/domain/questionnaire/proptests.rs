//! Property tests: generated valid questionnaires survive a JSON round trip and stay
//! valid; parsing never panics; routing never shows a question whose `equals` target is
//! unanswered.

use std::collections::BTreeMap;

use proptest::collection::vec;
use proptest::prelude::*;

use super::*;
use crate::schema_check::check_bytes;

/// Random numbers from which one question is built, given the questions before it.
#[derive(Clone, Debug)]
struct Spec {
    type_tag: u8,
    options: usize,
    required: bool,
    flag: bool,
    extra: u32,
    show_if: Option<(usize, usize, u8)>,
    text: String,
    help: Option<String>,
}

fn text() -> impl Strategy<Value = String> {
    "[A-Za-zé][A-Za-zé \"\\\\?,.]{0,30}"
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        (
            any::<u8>(),
            2usize..6,
            any::<bool>(),
            any::<bool>(),
            any::<u32>(),
        ),
        proptest::option::of((any::<usize>(), any::<usize>(), any::<u8>())),
        text(),
        proptest::option::of(text()),
    )
        .prop_map(
            |((type_tag, options, required, flag, extra), show_if, text, help)| Spec {
                type_tag,
                options,
                required,
                flag,
                extra,
                show_if,
                text,
                help,
            },
        )
}

fn value(s: &str) -> OptionValue {
    OptionValue::parse(s).unwrap()
}

fn question(i: usize, spec: &Spec, earlier: &[Question]) -> Question {
    let n = spec.options;
    let mut options: Vec<ChoiceOption> = (0..n)
        .map(|j| ChoiceOption {
            value: value(&format!("v{j}")),
            label: format!("{} {j}", spec.text),
            exclusive: false,
        })
        .collect();
    let labels = options.iter().map(|o| o.label.clone()).collect();
    let extra = spec.extra;
    let kind = match spec.type_tag % 6 {
        0 => QuestionType::SingleChoice {
            options,
            profile: None,
        },
        1 => {
            options[n - 1].exclusive = spec.flag;
            QuestionType::MultipleChoice {
                options,
                max_choices: extra.is_multiple_of(2).then(|| 1 + extra % n as u32),
                other: spec.flag.then(|| Other {
                    label: spec.text.clone(),
                }),
            }
        }
        2 => QuestionType::Grade {
            min: 1 + (extra % 5) as u8,
            max: 6 + (extra / 5 % 5) as u8,
        },
        3 => QuestionType::Scale {
            labels,
            dont_know: spec.flag,
        },
        4 => QuestionType::Number {
            min: spec.flag.then(|| -i64::from(extra % 100)),
            max: Some(1 + i64::from(extra % 1000)),
            unit: spec.flag.then(|| "uur per week".to_owned()),
        },
        _ => QuestionType::OpenText {
            max_length: spec.flag.then_some(1 + extra % 5000),
        },
    };
    let choices: Vec<&Question> = earlier
        .iter()
        .filter(|q| !q.kind.options().is_empty())
        .collect();
    let show_if = spec.show_if.and_then(|(a, b, form)| {
        let target = choices.get(a % choices.len().max(1))?;
        let options = target.kind.options();
        let (question, value) = (target.id.clone(), options[b % options.len()].value.clone());
        Some(match form % 3 {
            0 => ShowIf::Equals { question, value },
            1 => ShowIf::In {
                question,
                values: vec![value],
            },
            _ => ShowIf::Answered {
                question,
                answered: true,
            },
        })
    });
    Question {
        id: QuestionId::parse(&format!("q{i}")).unwrap(),
        text: spec.text.clone(),
        help: spec.help.clone(),
        required: spec.required,
        show_if,
        phone_text: spec.flag.then(|| format!("{} (telefoon)", spec.text)),
        kind,
    }
}

prop_compose! {
    pub(super) fn questionnaire()(
        specs in vec(spec(), 1..9),
        kind in 0u8..3,
        minutes in 1u32..90,
        days in 1u32..60,
        compensation in proptest::option::of((0u64..100_000, 0u8..4)),
        switches in (any::<bool>(), any::<bool>(), any::<bool>()),
        eligibility in proptest::collection::btree_map("[a-z]{1,8}", vec("[a-z0-9+-]{1,6}", 1..3), 0..3),
        title in text(),
    ) -> Questionnaire {
        let mut questions = Vec::new();
        for (i, spec) in specs.iter().enumerate() {
            let q = question(i, spec, &questions);
            questions.push(q);
        }
        let kind = match kind {
            0 if questions.len() <= Kind::FLASH_POLL_MAX_QUESTIONS => Kind::FlashPoll,
            1 => Kind::Evaluation,
            _ => Kind::Questionnaire,
        };
        let kinds = [
            CompensationKind::GiftVoucher,
            CompensationKind::Money,
            CompensationKind::VolunteerAllowance,
            CompensationKind::Donation,
        ];
        let eligibility = eligibility
            .into_iter()
            .map(|(k, mut v): (String, Vec<String>)| {
                v.sort();
                v.dedup();
                let values = v.iter().map(|c| crate::domain::ids::CategoryValue::parse(c).unwrap());
                (crate::domain::ids::VariableId::parse(&k).unwrap(), values.collect())
            })
            .collect();
        Questionnaire {
            schema: None,
            id: QuestionnaireId::parse("gegenereerd-1").unwrap(),
            kind,
            language: crate::i18n::Lang::Nl,
            title: title.clone(),
            purpose: format!("Doel: {title}"),
            use_of_results: "We delen de uitkomsten.".to_owned(),
            estimated_minutes: minutes,
            closes_after_days: days,
            compensation: compensation.map(|(cents, k)| Compensation {
                amount_eur: Euros::from_cents(cents),
                kind: kinds[usize::from(k)],
            }),
            contact: "panel@voorbeeld.nl".to_owned(),
            eligibility,
            questions,
            closing_remarks: switches.0,
            evaluation: switches.1,
            one_page: switches.2,
        }
    }
}

fn blocking(q: &Questionnaire) -> Vec<Problem> {
    q.problems()
        .into_iter()
        .filter(|p| p.severity == Severity::Problem)
        .collect()
}

/// An answer of the right type for `question`, chosen by `seed`.
pub(super) fn answer(question: &Question, seed: u32) -> AnswerValue {
    let options = question.kind.options();
    match &question.kind {
        QuestionType::SingleChoice { .. } => {
            AnswerValue::Choice(options[seed as usize % options.len()].value.clone())
        }
        QuestionType::MultipleChoice { .. } => AnswerValue::Choices {
            values: options
                .iter()
                .enumerate()
                .filter(|(j, _)| seed & (1 << j) != 0)
                .map(|(_, o)| o.value.clone())
                .collect(),
            other: (seed & 64 != 0).then(|| "iets".to_owned()),
        },
        QuestionType::Grade { .. } => AnswerValue::Grade((seed % 10) as u8 + 1),
        QuestionType::Scale { .. } => AnswerValue::Scale(ScaleAnswer::Point(1)),
        QuestionType::Number { .. } => AnswerValue::Number(i64::from(seed)),
        QuestionType::OpenText { .. } => {
            AnswerValue::Text(if seed.is_multiple_of(3) { " " } else { "ja" }.into())
        }
    }
}

proptest! {
    #![proptest_config(crate::proptest_config(256))]

    #[test]
    fn a_valid_questionnaire_stays_valid_and_equal_after_a_round_trip(q in questionnaire()) {
        prop_assert_eq!(blocking(&q), vec![]);
        let json = serde_json::to_vec_pretty(&q).unwrap();
        let again = parse_questionnaire(&json).unwrap();
        prop_assert_eq!(&again, &q);
        prop_assert_eq!(again.problems(), q.problems());
        let report = check_bytes("generated.json", &json, crate::i18n::Lang::Nl);
        prop_assert!(report.valid, "{:#?}\n{}", report.problems, String::from_utf8_lossy(&json));
    }

    #[test]
    fn parsing_arbitrary_bytes_never_panics(bytes in vec(any::<u8>(), 0..512)) {
        let _ = parse_questionnaire(&bytes);
        let _ = check_bytes("random.json", &bytes, crate::i18n::Lang::En);
    }

    #[test]
    fn parsing_damaged_questionnaires_never_panics(
        q in questionnaire(),
        edits in vec((any::<usize>(), any::<u8>(), 0u8..3), 1..6),
    ) {
        let mut bytes = serde_json::to_vec(&q).unwrap();
        for (at, byte, how) in edits {
            let at = at % (bytes.len() + 1);
            match how {
                0 => bytes.insert(at, byte),
                1 if at < bytes.len() => { bytes.remove(at); }
                _ if at < bytes.len() => bytes[at] = byte,
                _ => {}
            }
        }
        let _ = parse_questionnaire(&bytes);
        let _ = check_bytes("damaged.json", &bytes, crate::i18n::Lang::Nl);
    }

    #[test]
    fn routing_never_shows_a_question_whose_equals_target_is_unanswered(
        q in questionnaire(),
        seeds in vec(proptest::option::of(any::<u32>()), 9),
    ) {
        let answers: BTreeMap<String, AnswerValue> = q
            .questions
            .iter()
            .zip(&seeds)
            .filter_map(|(question, seed)| Some((question.id.to_string(), answer(question, (*seed)?))))
            .collect();
        let shown = q.visible(&answers);
        let shown_ids: Vec<&str> = shown.iter().map(|s| s.id.as_str()).collect();
        for question in &shown {
            if let Some(ShowIf::Equals { question: target, value }) = &question.show_if {
                prop_assert!(shown_ids.contains(&target.as_str()));
                let given = answers.get(target.as_str());
                prop_assert!(given.is_some_and(|a| a.is_given()));
                let has = match given {
                    Some(AnswerValue::Choice(v)) => v == value,
                    Some(AnswerValue::Choices { values, .. }) => values.contains(value),
                    _ => false,
                };
                prop_assert!(has);
            }
        }
    }
}
