//! Quick answers for flash polls: the invitation offers the first question's options as
//! links, and the page opens with that option chosen. Nothing is stored until the member
//! sends the page — mail scanners follow links, so opening one never saves an answer.

use super::{ChoiceOption, Kind, Question, QuestionType, Questionnaire};

impl Questionnaire {
    /// The question a flash poll's invitation offers as links: its first question, when
    /// that is a single choice asked of everyone (no routing, not answered from the
    /// profile). `None` for other questionnaires.
    pub fn quick_question(&self) -> Option<&Question> {
        if self.kind != Kind::FlashPoll {
            return None;
        }
        let q = self.questions.first()?;
        let plain_choice = matches!(q.kind, QuestionType::SingleChoice { profile: None, .. });
        (plain_choice && q.show_if.is_none()).then_some(q)
    }

    /// The quick question and the option a link names, when the value is one of its
    /// options.
    pub fn quick_choice(&self, value: &str) -> Option<(&Question, &ChoiceOption)> {
        let q = self.quick_question()?;
        let option = q
            .kind
            .options()
            .iter()
            .find(|o| o.value.as_str() == value)?;
        Some((q, option))
    }
}

/// The query string a quick link adds to the invitation link: `?keuze=<value>`. Option
/// values hold only letters, digits and `- _ + .`; `+` would read as a space.
pub fn quick_query(value: &str) -> String {
    format!("?keuze={}", value.replace('+', "%2B"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn poll() -> Questionnaire {
        let file = include_str!("../../../panel-schemas/examples/flitspeiling.json");
        super::super::parse_questionnaire(file.as_bytes()).expect("valid poll")
    }

    #[test]
    fn a_flash_polls_first_single_choice_is_offered() {
        let q = poll();
        assert_eq!(q.quick_question().unwrap().id.as_str(), "drempel");
        let (_, option) = q.quick_choice("soms").unwrap();
        assert_eq!(option.label, "Soms");
        assert!(q.quick_choice("misschien").is_none());
    }

    #[test]
    fn other_kinds_and_other_first_questions_are_not() {
        let mut q = poll();
        q.kind = Kind::Questionnaire;
        assert!(q.quick_question().is_none());
        let mut q = poll();
        q.questions[0].kind = QuestionType::Grade { min: 1, max: 10 };
        assert!(q.quick_question().is_none());
    }

    #[test]
    fn plus_is_kept_in_the_query() {
        assert_eq!(quick_query("55+"), "?keuze=55%2B");
    }
}
