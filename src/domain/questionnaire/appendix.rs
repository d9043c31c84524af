//! The questions klankbord appends: the closing question ("Wilt u nog iets kwijt?") and
//! a short evaluation of the process. Their wording lives in the language files
//! (`questionnaire.closing.*`, `questionnaire.evaluation.*`); their ids start with `_`,
//! which user ids may not, so they never clash.

use super::{ChoiceOption, OptionValue, Question, QuestionId, QuestionType, Questionnaire};
use crate::i18n::{Lang, t};

/// Id of the closing question.
pub const CLOSING_ID: &str = "_closing";
/// Ids of the evaluation questions, in the order they are asked.
pub const EVALUATION_IDS: [&str; 5] = [
    "_eval_clear",
    "_eval_length",
    "_eval_answering",
    "_eval_results",
    "_eval_again",
];

fn id(value: &str) -> QuestionId {
    QuestionId::parse(value).expect("appendix ids are valid constants")
}

fn question(id_: &str, lang: Lang, key: &str, kind: QuestionType) -> Question {
    let optional = |suffix: &str| {
        let full = format!("{key}.{suffix}");
        crate::i18n::keys(lang)
            .any(|k| k == full)
            .then(|| t(lang, &full).to_owned())
    };
    Question {
        id: id(id_),
        text: t(lang, &format!("{key}.text")).to_owned(),
        help: optional("help"),
        required: false,
        show_if: None,
        phone_text: optional("phone"),
        kind,
    }
}

/// A single choice question whose options are `(value, text key suffix)` pairs.
fn choice(id_: &str, lang: Lang, key: &str, options: &[(&str, &str)]) -> Question {
    let options = options
        .iter()
        .map(|(value, suffix)| ChoiceOption {
            value: OptionValue::parse(value).expect("appendix values are valid constants"),
            label: t(lang, &format!("{key}.{suffix}")).to_owned(),
            exclusive: false,
        })
        .collect();
    question(
        id_,
        lang,
        key,
        QuestionType::SingleChoice {
            options,
            profile: None,
        },
    )
}

/// The closing question, in `lang`.
pub fn closing_question(lang: Lang) -> Question {
    let kind = QuestionType::OpenText {
        max_length: Some(2000),
    };
    question(CLOSING_ID, lang, "questionnaire.closing", kind)
}

/// The evaluation questions, in `lang`: clear? length? a mark for answering, results
/// wanted? join again?
pub fn evaluation_questions(lang: Lang) -> Vec<Question> {
    let key = |part: &str| format!("questionnaire.evaluation.{part}");
    let [clear, length, answering, results, again] = EVALUATION_IDS;
    vec![
        choice(
            clear,
            lang,
            &key("clear"),
            &[("ja", "yes"), ("een_beetje", "somewhat"), ("nee", "no")],
        ),
        choice(
            length,
            lang,
            &key("length"),
            &[("te_kort", "short"), ("goed", "good"), ("te_lang", "long")],
        ),
        question(
            answering,
            lang,
            &key("answering"),
            QuestionType::Grade { min: 1, max: 10 },
        ),
        choice(
            results,
            lang,
            &key("results"),
            &[("ja", "yes"), ("nee", "no")],
        ),
        choice(
            again,
            lang,
            &key("again"),
            &[("ja", "yes"), ("misschien", "maybe"), ("nee", "no")],
        ),
    ]
}

impl Questionnaire {
    /// The questions as members get them: the file's own, then the closing question and
    /// the evaluation when the file asks for them (both by default).
    pub fn with_appendix(&self, lang: Lang) -> Vec<Question> {
        let mut all = self.questions.clone();
        if self.closing_remarks {
            all.push(closing_question(lang));
        }
        if self.evaluation {
            all.extend(evaluation_questions(lang));
        }
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::questionnaire::parse_questionnaire;

    const EXAMPLE: &str = include_str!("../../../panel-schemas/examples/questionnaire.json");
    const FLASH: &str = include_str!("../../../panel-schemas/examples/flitspeiling.json");

    #[test]
    fn closing_and_evaluation_come_after_the_questions() {
        let q = parse_questionnaire(EXAMPLE.as_bytes()).unwrap();
        let all = q.with_appendix(Lang::Nl);
        assert_eq!(all.len(), q.questions.len() + 6);
        assert_eq!(all[7].id.as_str(), CLOSING_ID);
        assert_eq!(all[7].text, "Wilt u nog iets kwijt?");
        let ids: Vec<_> = all[8..].iter().map(|q| q.id.as_str()).collect();
        assert_eq!(ids, EVALUATION_IDS);
        assert!(all[8..].iter().all(|q| !q.required && q.show_if.is_none()));
    }

    #[test]
    fn a_flash_poll_without_appendix_keeps_its_questions() {
        let q = parse_questionnaire(FLASH.as_bytes()).unwrap();
        assert_eq!(q.with_appendix(Lang::Nl), q.questions);
    }

    #[test]
    fn every_appended_text_exists_in_both_languages() {
        for lang in Lang::ALL {
            let mut questions = evaluation_questions(lang);
            questions.push(closing_question(lang));
            for q in &questions {
                assert!(!q.text.starts_with("questionnaire."), "{lang}: {}", q.text);
                for option in q.kind.options() {
                    assert!(
                        !option.label.starts_with("questionnaire."),
                        "{}",
                        option.label
                    );
                }
            }
        }
        let en = closing_question(Lang::En);
        assert_eq!(en.text, "Is there anything else you would like to tell us?");
    }
}
