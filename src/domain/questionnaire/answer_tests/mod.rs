//! Unit tests of `answer`: every refusal for every question type of the reference files;
//! `review` has the messages, and refilling and showing answers.

use super::answer::{AnswerError as E, DEFAULT_MAX_LENGTH};
use super::*;
use crate::i18n::Lang;

mod review;

const EXAMPLE: &str = include_str!("../../../../panel-schemas/examples/questionnaire.json");
const FLASH: &str = include_str!("../../../../panel-schemas/examples/flitspeiling.json");

/// A question of the reference questionnaire (appendix included) or flash poll.
fn q(id: &str) -> Question {
    [EXAMPLE, FLASH]
        .iter()
        .flat_map(|text| {
            parse_questionnaire(text.as_bytes())
                .unwrap()
                .with_appendix(Lang::Nl)
        })
        .find(|q| q.id.as_str() == id)
        .unwrap_or_else(|| panic!("no question {id}"))
}

fn input(values: &[&str]) -> AnswerInput {
    AnswerInput {
        values: values.iter().map(|v| v.to_string()).collect(),
        other_text: String::new(),
    }
}

fn with_other(values: &[&str], text: &str) -> AnswerInput {
    AnswerInput {
        other_text: text.to_owned(),
        ..input(values)
    }
}

fn ok(question: &Question, values: &[&str]) -> Option<AnswerValue> {
    parse_answer(question, &input(values)).unwrap_or_else(|e| panic!("{values:?}: {e}"))
}

fn err(question: &Question, values: &[&str]) -> AnswerError {
    match parse_answer(question, &input(values)) {
        Err(e) => e,
        Ok(v) => panic!("{values:?} accepted as {v:?}"),
    }
}

fn value(v: &str) -> OptionValue {
    OptionValue::parse(v).unwrap()
}

fn required(mut question: Question) -> Question {
    question.required = true;
    question
}

#[test]
fn single_choice() {
    let werk = q("werk_nu");
    assert_eq!(ok(&werk, &["ja"]), Some(AnswerValue::Choice(value("ja"))));
    assert_eq!(
        ok(&werk, &[" nee "]),
        Some(AnswerValue::Choice(value("nee")))
    );
    assert_eq!(err(&werk, &[]), E::Required);
    assert_eq!(err(&werk, &["", "  "]), E::Required);
    assert_eq!(err(&werk, &["misschien"]), E::NotAnOption);
    assert_eq!(err(&werk, &["JA"]), E::NotAnOption);
    assert_eq!(err(&werk, &["ja", "nee"]), E::OneChoiceOnly);
    assert_eq!(err(&werk, &["ja", "ja"]), E::OneChoiceOnly);
    assert_eq!(ok(&q("_eval_clear"), &[]), None);
    assert_eq!(err(&q("drempel"), &[]), E::Required);
    assert_eq!(
        ok(&q("drempel"), &["soms"]),
        Some(AnswerValue::Choice(value("soms")))
    );
}

#[test]
fn multiple_choice() {
    let steun = q("steun_helpt");
    let parse = |values: &[&str], text: &str| parse_answer(&steun, &with_other(values, text));
    let choices = |values: &[&str], other: Option<&str>| {
        Ok(Some(AnswerValue::Choices {
            values: values.iter().map(|v| value(v)).collect(),
            other: other.map(str::to_owned),
        }))
    };
    // Stored in the order of the options, whatever order the form sent.
    assert_eq!(
        parse(&["uren", "gesprek"], ""),
        choices(&["gesprek", "uren"], None)
    );
    assert_eq!(parse(&[], ""), Ok(None));
    assert_eq!(parse(&["niets"], ""), choices(&["niets"], None));
    assert_eq!(
        parse(&["_other"], " fietsen "),
        choices(&[], Some("fietsen"))
    );
    assert_eq!(
        parse(&["jobcoach", "_other"], "thuis\r\nwerken\u{7}"),
        choices(&["jobcoach"], Some("thuis werken"))
    );
    assert_eq!(parse(&["vakantie"], ""), Err(E::NotAnOption));
    assert_eq!(parse(&["uren", "uren"], ""), Err(E::DuplicateChoice));
    assert_eq!(parse(&["_other", "_other"], "x"), Err(E::DuplicateChoice));
    let four = ["gesprek", "uren", "jobcoach", "collega"];
    assert_eq!(parse(&four, ""), Err(E::TooManyChoices { max: 3 }));
    // The "other" choice counts as a choice.
    let three_and_other = ["gesprek", "uren", "jobcoach", "_other"];
    assert_eq!(
        parse(&three_and_other, "x"),
        Err(E::TooManyChoices { max: 3 })
    );
    let exclusive = E::ExclusiveCombined {
        label: "Ik heb geen steun nodig".into(),
    };
    assert_eq!(parse(&["niets", "uren"], ""), Err(exclusive.clone()));
    assert_eq!(parse(&["_other", "niets"], "x"), Err(exclusive));
    assert_eq!(parse(&["_other"], ""), Err(E::OtherTextMissing));
    assert_eq!(parse(&["uren", "_other"], " \t "), Err(E::OtherTextMissing));
    assert_eq!(parse(&["uren"], "iets"), Err(E::OtherNotChosen));
    assert_eq!(parse(&[], "iets"), Err(E::OtherNotChosen));
    let long = "x".repeat(501);
    assert_eq!(
        parse(&["_other"], &long),
        Err(E::TooLong { max: 500, len: 501 })
    );
    assert_eq!(
        parse(&["_other"], &long[1..]),
        choices(&[], Some(&long[1..]))
    );
    assert_eq!(
        parse_answer(&required(steun.clone()), &input(&[])),
        Err(E::Required)
    );

    let mut plain = steun.clone();
    let QuestionType::MultipleChoice {
        other, max_choices, ..
    } = &mut plain.kind
    else {
        unreachable!()
    };
    *other = None;
    *max_choices = Some(1);
    assert_eq!(err(&plain, &["_other"]), E::NotAnOption);
    assert_eq!(
        err(&plain, &["uren", "gesprek"]),
        E::TooManyChoices { max: 1 }
    );
    // Without an "other" choice the text field does not exist: a stray value is ignored.
    let stray = parse_answer(&plain, &with_other(&["uren"], "x"));
    assert_eq!(stray, choices(&["uren"], None));
}

#[test]
fn grade() {
    let cijfer = q("cijfer_steun");
    assert_eq!(ok(&cijfer, &["7"]), Some(AnswerValue::Grade(7)));
    assert_eq!(ok(&cijfer, &[" 10 "]), Some(AnswerValue::Grade(10)));
    assert_eq!(ok(&cijfer, &["1"]), Some(AnswerValue::Grade(1)));
    assert_eq!(ok(&cijfer, &[]), None);
    let range = E::OutOfRange {
        min: Some(1),
        max: Some(10),
    };
    for bad in ["0", "11", "-1", "300", "99999999999999999999"] {
        assert_eq!(err(&cijfer, &[bad]), range, "{bad}");
    }
    for bad in ["7,5", "7.5", "zeven", "7a"] {
        assert_eq!(err(&cijfer, &[bad]), E::NotAWholeNumber, "{bad}");
    }
    assert_eq!(err(&cijfer, &["7", "8"]), E::OneChoiceOnly);
    assert_eq!(err(&required(cijfer), &[]), E::Required);
    assert_eq!(
        ok(&q("_eval_answering"), &["8"]),
        Some(AnswerValue::Grade(8))
    );
}

#[test]
fn scale() {
    let eens = q("eens_zeker");
    let point = |p| Some(AnswerValue::Scale(ScaleAnswer::Point(p)));
    assert_eq!(ok(&eens, &["4"]), point(4));
    assert_eq!(ok(&eens, &["1"]), point(1));
    assert_eq!(ok(&eens, &["5"]), point(5));
    let dont_know = Some(AnswerValue::Scale(ScaleAnswer::DontKnow));
    assert_eq!(ok(&eens, &["dont_know"]), dont_know);
    assert_eq!(ok(&eens, &[]), None);
    let range = E::OutOfRange {
        min: Some(1),
        max: Some(5),
    };
    assert_eq!(err(&eens, &["0"]), range);
    assert_eq!(err(&eens, &["6"]), range);
    assert_eq!(err(&eens, &["eens"]), E::NotAnOption);
    assert_eq!(err(&eens, &["4", "dont_know"]), E::OneChoiceOnly);
    let mut no_dont_know = eens.clone();
    if let QuestionType::Scale { dont_know, .. } = &mut no_dont_know.kind {
        *dont_know = false;
    }
    assert_eq!(err(&no_dont_know, &["dont_know"]), E::DontKnowNotAllowed);
    assert_eq!(err(&required(eens), &[" "]), E::Required);
}

#[test]
fn number() {
    let uren = q("uren_week");
    assert_eq!(ok(&uren, &["12"]), Some(AnswerValue::Number(12)));
    assert_eq!(ok(&uren, &[" 12 "]), Some(AnswerValue::Number(12)));
    assert_eq!(ok(&uren, &["0"]), Some(AnswerValue::Number(0)));
    assert_eq!(ok(&uren, &["80"]), Some(AnswerValue::Number(80)));
    assert_eq!(ok(&uren, &[""]), None);
    let range = E::OutOfRange {
        min: Some(0),
        max: Some(80),
    };
    assert_eq!(err(&uren, &["-3"]), range);
    assert_eq!(err(&uren, &["81"]), range);
    // "1.000" is a Dutch thousand: a number, but out of range here.
    assert_eq!(err(&uren, &["1.000"]), range);
    for bad in ["1,5", "12abc", "1.5", "twaalf", "12 uur", "- 3"] {
        assert_eq!(err(&uren, &[bad]), E::NotAWholeNumber, "{bad}");
    }
    assert_eq!(err(&uren, &["1", "2"]), E::OneChoiceOnly);
    assert_eq!(err(&required(uren.clone()), &[]), E::Required);

    let bounds = |min: Option<i64>, max: Option<i64>| {
        let mut question = uren.clone();
        question.kind = QuestionType::Number {
            min,
            max,
            unit: None,
        };
        question
    };
    let free = bounds(None, None);
    assert_eq!(ok(&free, &["-3"]), Some(AnswerValue::Number(-3)));
    assert_eq!(ok(&free, &["1.000"]), Some(AnswerValue::Number(1000)));
    let huge = err(&free, &["99999999999999999999"]);
    assert_eq!(
        huge,
        E::OutOfRange {
            min: None,
            max: None
        }
    );
    assert_eq!(huge.i18n_key(), "answer.error.number_too_large");
    let at_least = err(&bounds(Some(-10), None), &["-11"]);
    assert_eq!(
        at_least.message(Lang::Nl),
        "Vul een getal in van -10 of meer."
    );
    let at_most = err(&bounds(None, Some(5)), &["6"]);
    assert_eq!(
        at_most.message(Lang::Nl),
        "Vul een getal in van 5 of minder."
    );
    assert_eq!(
        range.message(Lang::Nl),
        "Vul een getal in van 0 tot en met 80."
    );
}

#[test]
fn open_text() {
    let beter = q("wat_beter");
    let text = |t: &str| Some(AnswerValue::Text(t.to_owned()));
    assert_eq!(ok(&beter, &["  Meer begrip.  "]), text("Meer begrip."));
    assert_eq!(
        ok(&beter, &["Eén\r\ntwee\rdrie\n"]),
        text("Eén\ntwee\ndrie")
    );
    assert_eq!(ok(&beter, &["a\tb\u{7}c\u{0}\u{1b}[31m"]), text("a bc[31m"));
    assert_eq!(ok(&beter, &["   \n "]), None);
    assert_eq!(ok(&beter, &["\u{0}"]), None);
    assert_eq!(ok(&beter, &[&"é".repeat(2000)]), text(&"é".repeat(2000)));
    assert_eq!(
        err(&beter, &[&"é".repeat(2001)]),
        E::TooLong {
            max: 2000,
            len: 2001
        }
    );
    assert_eq!(err(&beter, &["a", "b"]), E::OneChoiceOnly);
    assert_eq!(err(&required(beter.clone()), &["\t"]), E::Required);
    let toelichting = q("toelichting");
    assert_eq!(
        err(&toelichting, &[&"x".repeat(501)]),
        E::TooLong { max: 500, len: 501 }
    );
    let mut unlimited = beter;
    unlimited.kind = QuestionType::OpenText { max_length: None };
    let most = "x".repeat(DEFAULT_MAX_LENGTH);
    assert_eq!(ok(&unlimited, &[&most]), text(&most));
    assert_eq!(
        err(&unlimited, &[&format!("{most}x")]),
        E::TooLong {
            max: 5000,
            len: 5001
        }
    );
    assert_eq!(ok(&q("_closing"), &["Dank u."]), text("Dank u."));
}
