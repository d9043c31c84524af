//! The phone script of a question: what the interviewer reads aloud (the `phone_text`,
//! or else the question with its options as a list) and the instructions that go with
//! it. The same script serves the interviewer's screen and the printed script.

use super::{Question, QuestionType};

/// An instruction to the interviewer, shown apart from what is read aloud.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Instruction {
    /// Read the options slowly, one by one.
    ReadOptionsSlowly,
    /// More than one answer may be given.
    SeveralAnswers,
    /// "Don't know" is an option, but it is not read out.
    DoNotReadDontKnow,
    /// Write the answer down in the member's own words.
    WriteVerbatim,
    /// Repeat the question or the options when the member asks.
    RepeatWhenAsked,
}

impl Instruction {
    pub fn i18n_key(self) -> &'static str {
        match self {
            Instruction::ReadOptionsSlowly => "phone.script.read_slowly",
            Instruction::SeveralAnswers => "phone.script.several",
            Instruction::DoNotReadDontKnow => "phone.script.no_dont_know",
            Instruction::WriteVerbatim => "phone.script.verbatim",
            Instruction::RepeatWhenAsked => "phone.script.repeat",
        }
    }
}

/// What to read aloud for one question.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadAloud {
    pub text: String,
    /// The options to read, in order (empty for numbers and open questions).
    pub options: Vec<String>,
    /// For grades: the lowest and highest mark, said as "van 1 tot en met 10".
    pub range: Option<(i64, i64)>,
    pub instructions: Vec<Instruction>,
}

/// The script of `q`.
pub fn read_aloud(q: &Question) -> ReadAloud {
    let text = q.phone_text.clone().unwrap_or_else(|| q.text.clone());
    let mut instructions = Vec::new();
    let mut options = Vec::new();
    let mut range = None;
    match &q.kind {
        QuestionType::SingleChoice { options: o, .. } => {
            options = o.iter().map(|o| o.label.clone()).collect();
            instructions.push(Instruction::ReadOptionsSlowly);
        }
        QuestionType::MultipleChoice {
            options: o, other, ..
        } => {
            options = o.iter().map(|o| o.label.clone()).collect();
            options.extend(other.iter().map(|o| o.label.clone()));
            instructions.push(Instruction::ReadOptionsSlowly);
            instructions.push(Instruction::SeveralAnswers);
        }
        QuestionType::Scale { labels, dont_know } => {
            options = labels.clone();
            instructions.push(Instruction::ReadOptionsSlowly);
            if *dont_know {
                instructions.push(Instruction::DoNotReadDontKnow);
            }
        }
        QuestionType::Grade { min, max } => range = Some((i64::from(*min), i64::from(*max))),
        QuestionType::Number { .. } => {}
        QuestionType::OpenText { .. } => instructions.push(Instruction::WriteVerbatim),
    }
    instructions.push(Instruction::RepeatWhenAsked);
    ReadAloud {
        text,
        options,
        range,
        instructions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::questionnaire::parse_questionnaire;

    fn reference() -> crate::domain::questionnaire::Questionnaire {
        let file = include_str!("../../../panel-schemas/examples/questionnaire.json");
        parse_questionnaire(file.as_bytes()).unwrap()
    }

    #[test]
    fn phone_text_is_read_when_given_and_options_follow() {
        let q = reference();
        for question in &q.questions {
            let script = read_aloud(question);
            match &question.phone_text {
                Some(p) => assert_eq!(&script.text, p),
                None => assert_eq!(script.text, question.text),
            }
            assert_eq!(
                script.instructions.last(),
                Some(&Instruction::RepeatWhenAsked)
            );
            if let QuestionType::SingleChoice { options, .. } = &question.kind {
                assert_eq!(script.options.len(), options.len());
                assert!(
                    script
                        .instructions
                        .contains(&Instruction::ReadOptionsSlowly)
                );
            }
        }
    }

    #[test]
    fn dont_know_is_not_read_out() {
        let mut q = reference().questions[0].clone();
        q.kind = QuestionType::Scale {
            labels: vec!["Slecht".into(), "Goed".into()],
            dont_know: true,
        };
        let script = read_aloud(&q);
        assert_eq!(script.options, ["Slecht", "Goed"]);
        assert!(
            script
                .instructions
                .contains(&Instruction::DoNotReadDontKnow)
        );
    }
}
