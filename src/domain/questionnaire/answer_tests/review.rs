//! Unit tests of what members read: error messages in both languages and plain Dutch,
//! answers shown on the check page, forms refilled from stored answers.

use super::super::answer::{AnswerError as E, display, display_items, input_of, no_answer};
use super::*;
use crate::domain::plain_language::{Severity as B1, check_text};
use crate::i18n;

fn every_error() -> Vec<AnswerError> {
    let range = |min, max| E::OutOfRange { min, max };
    vec![
        E::Required,
        E::NotAnOption,
        E::OneChoiceOnly,
        E::DuplicateChoice,
        E::TooManyChoices { max: 3 },
        E::TooManyChoices { max: 1 },
        E::ExclusiveCombined {
            label: "Ik heb geen steun nodig".into(),
        },
        E::OtherNotChosen,
        E::OtherTextMissing,
        E::NotAWholeNumber,
        range(Some(1), Some(10)),
        range(Some(0), None),
        range(None, Some(80)),
        range(None, None),
        E::TooLong { max: 500, len: 501 },
        E::DontKnowNotAllowed,
    ]
}

#[test]
fn every_error_has_a_message_in_both_languages() {
    for error in every_error() {
        let key = error.i18n_key();
        assert!(key.starts_with("answer.error."), "{key}");
        let [nl, en] = Lang::ALL.map(|lang| error.message(lang));
        for message in [&nl, &en] {
            assert!(!message.contains(['{', '}']), "{message}");
            assert!(!message.starts_with("answer."), "missing text {message}");
        }
        assert_ne!(nl, en, "{key}");
    }
    let message = E::TooLong { max: 500, len: 612 }.message(Lang::Nl);
    assert_eq!(
        message,
        "Uw antwoord heeft 612 tekens. Dat mogen er niet meer dan 500 zijn. Maak uw antwoord korter."
    );
    let exclusive = &every_error()[6];
    assert!(
        exclusive
            .message(Lang::En)
            .contains("\"Ik heb geen steun nodig\"")
    );
    assert!(
        E::TooManyChoices { max: 3 }
            .message(Lang::Nl)
            .contains(" 3 ")
    );
}

#[test]
fn answer_texts_are_plain_dutch() {
    let keys = i18n::keys(Lang::Nl).filter(|k| k.starts_with("answer."));
    for key in keys {
        let report = check_text(i18n::t(Lang::Nl, key));
        assert_eq!(report.count(B1::Problem), 0, "{key}: {report:?}");
        // "(optioneel)" is the word the product asks for, though it is long.
        if key != "answer.optional" {
            assert_eq!(report.count(B1::Warning), 0, "{key}: {report:?}");
        }
    }
}

#[test]
fn answers_are_shown_as_the_member_chose_them() {
    let show = |id: &str, v: AnswerValue| display(&q(id), &v, Lang::Nl);
    assert_eq!(show("werk_nu", AnswerValue::Choice(value("ja"))), "Ja");
    let steun = AnswerValue::Choices {
        values: vec![value("gesprek"), value("uren")],
        other: Some("fietsen".into()),
    };
    assert_eq!(
        display_items(&q("steun_helpt"), &steun, Lang::Nl),
        [
            "Een vast gesprek met mijn leidinggevende",
            "Minder uren of andere werktijden",
            "Iets anders, namelijk: fietsen"
        ]
    );
    assert!(show("steun_helpt", steun).contains("werktijden; Iets anders"));
    let none = AnswerValue::Choices {
        values: vec![],
        other: None,
    };
    assert_eq!(show("steun_helpt", none), "Geen antwoord");
    assert_eq!(show("uren_week", AnswerValue::Number(3)), "3 uur per week");
    assert_eq!(show("cijfer_steun", AnswerValue::Grade(7)), "7");
    assert_eq!(
        show("eens_zeker", AnswerValue::Scale(ScaleAnswer::Point(4))),
        "Eens"
    );
    let dont_know = AnswerValue::Scale(ScaleAnswer::DontKnow);
    assert_eq!(show("eens_zeker", dont_know.clone()), "Weet ik niet");
    assert_eq!(
        display(&q("eens_zeker"), &dont_know, Lang::En),
        "Don't know"
    );
    assert_eq!(
        show("wat_beter", AnswerValue::Text("Meer tijd.".into())),
        "Meer tijd."
    );
    assert_eq!(
        show("wat_beter", AnswerValue::Text(" ".into())),
        no_answer(Lang::Nl)
    );
    // An answer that no longer matches an option shows its stored value.
    assert_eq!(show("werk_nu", AnswerValue::Choice(value("soms"))), "soms");
}

#[test]
fn a_form_is_refilled_from_the_stored_answer() {
    let steun = AnswerValue::Choices {
        values: vec![value("uren")],
        other: Some("x".into()),
    };
    assert_eq!(
        input_of(&q("steun_helpt"), &steun),
        with_other(&["uren", "_other"], "x")
    );
    let dont_know = AnswerValue::Scale(ScaleAnswer::DontKnow);
    assert_eq!(
        input_of(&q("eens_zeker"), &dont_know),
        input(&["dont_know"])
    );
    assert_eq!(
        input_of(&q("uren_week"), &AnswerValue::Number(-3)),
        input(&["-3"])
    );
    // A stored answer of another type (the file changed) refills nothing.
    assert_eq!(
        input_of(&q("uren_week"), &AnswerValue::Grade(3)),
        AnswerInput::default()
    );
}
