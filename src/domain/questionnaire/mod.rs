//! A questionnaire or flash poll as read from a questionnaire file (see
//! `panel-schemas/questionnaire.schema.json`): metadata, questions and their routing.
//!
//! Parsing (`parse_questionnaire`) refuses unknown fields and fields that do not belong
//! to a question's type; `validate` holds the rules JSON Schema cannot express,
//! `routing` decides which questions a member sees, `appendix` adds klankbord's own
//! closing and evaluation questions. Answering: `answer` parses and checks one submitted
//! answer, `flow` walks the questions shown (next, back, progress, pruning); `paper` writes
//! routing out in words for the printed questionnaire. A single choice question may be
//! tied to a background variable of the panel (`profile`): a member whose profile holds
//! the answer is not asked again (`Flow::with_profile`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::ids::{CategoryValue, VariableId};
use crate::i18n::Lang;

pub mod answer;
pub mod appendix;
pub mod edit;
pub mod flow;
mod ids;
mod money;
mod number;
pub mod paper;
pub mod parse;
mod problem;
pub mod quick;
mod raw;
mod reach;
pub mod routing;
pub mod script;
pub mod validate;

#[cfg(test)]
mod answer_tests;
#[cfg(test)]
mod answering_proptests;
#[cfg(test)]
mod flow_tests;
#[cfg(test)]
mod profile_tests;
#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

pub use answer::{AnswerError, AnswerInput, display, input_of, parse_answer};
pub use flow::{Answers, Flow, RecordError};
pub use ids::{OptionValue, QuestionId, QuestionnaireId};
pub use money::{Compensation, CompensationKind, Euros};
pub use parse::{MAX_FILE_BYTES, ParseError, parse_questionnaire};
pub use raw::fields_of_type;
pub use routing::{AnswerLookup, AnswerValue, ScaleAnswer};
pub use validate::{Problem, ProblemKind, Severity};

/// Which background variables (and which of their categories) a member needs to be invited.
/// Absent or empty: every member.
pub type Eligibility = BTreeMap<VariableId, Vec<CategoryValue>>;

/// The whole questionnaire file, typed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Questionnaire {
    /// The schema the file names for editors; not used otherwise.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    pub id: QuestionnaireId,
    pub kind: Kind,
    pub language: Lang,
    pub title: String,
    /// Why we ask: shown in every invitation.
    pub purpose: String,
    /// What happens with the answers: shown in every invitation.
    pub use_of_results: String,
    pub estimated_minutes: u32,
    pub closes_after_days: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compensation: Option<Compensation>,
    /// Where members can ask questions about this questionnaire.
    pub contact: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub eligibility: Eligibility,
    pub questions: Vec<Question>,
    /// Append the open question "Wilt u nog iets kwijt?".
    #[serde(default = "yes")]
    pub closing_remarks: bool,
    /// Append the short evaluation of the process.
    #[serde(default = "yes")]
    pub evaluation: bool,
    /// Show all questions on one page (for short flash polls).
    #[serde(default)]
    pub one_page: bool,
}

fn yes() -> bool {
    true
}

/// What sort of questionnaire this is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Kind {
    #[serde(rename = "vragenlijst")]
    Questionnaire,
    /// A flash poll: at most [`Kind::FLASH_POLL_MAX_QUESTIONS`] questions.
    #[serde(rename = "flitspeiling")]
    FlashPoll,
    #[serde(rename = "evaluatie")]
    Evaluation,
}

impl Kind {
    pub const FLASH_POLL_MAX_QUESTIONS: usize = 5;

    /// The most questions (without the appended ones) this kind may have.
    pub fn max_questions(self) -> Option<usize> {
        match self {
            Kind::FlashPoll => Some(Self::FLASH_POLL_MAX_QUESTIONS),
            Kind::Questionnaire | Kind::Evaluation => None,
        }
    }

    /// The name used in files.
    pub fn code(self) -> &'static str {
        match self {
            Kind::Questionnaire => "vragenlijst",
            Kind::FlashPoll => "flitspeiling",
            Kind::Evaluation => "evaluatie",
        }
    }
}

/// One question. In files the type's own fields sit next to the common ones
/// (`"type": "grade", "min": 1, "max": 10`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "raw::RawQuestion", into = "raw::RawQuestion")]
pub struct Question {
    pub id: QuestionId,
    pub text: String,
    /// Extra explanation shown under the question.
    pub help: Option<String>,
    pub required: bool,
    /// Show the question only when this holds for the earlier answers.
    pub show_if: Option<ShowIf>,
    /// The wording an interviewer reads out by phone, when it differs from `text`.
    pub phone_text: Option<String>,
    pub kind: QuestionType,
}

/// The type of a question with the fields that belong to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QuestionType {
    SingleChoice {
        options: Vec<ChoiceOption>,
        /// The panel's background variable this question asks about (`"profile":
        /// "situatie"`): its option values are the variable's categories, and a member
        /// whose profile holds the variable is not asked; the answer comes from the
        /// profile. Checked against the panel in `problems_against_panel`.
        profile: Option<VariableId>,
    },
    MultipleChoice {
        options: Vec<ChoiceOption>,
        max_choices: Option<u32>,
        /// An "other, namely: ..." choice with free text.
        other: Option<Other>,
    },
    /// A report mark, 1 to 10 by default.
    Grade {
        min: u8,
        max: u8,
    },
    /// Labelled points, first label is point 1.
    Scale {
        labels: Vec<String>,
        dont_know: bool,
    },
    Number {
        min: Option<i64>,
        max: Option<i64>,
        unit: Option<String>,
    },
    OpenText {
        max_length: Option<u32>,
    },
}

impl QuestionType {
    /// The name used in files (`single_choice`, ...).
    pub fn code(&self) -> &'static str {
        match self {
            QuestionType::SingleChoice { .. } => "single_choice",
            QuestionType::MultipleChoice { .. } => "multiple_choice",
            QuestionType::Grade { .. } => "grade",
            QuestionType::Scale { .. } => "scale",
            QuestionType::Number { .. } => "number",
            QuestionType::OpenText { .. } => "open_text",
        }
    }

    /// The answer options of a choice question; empty for other types.
    pub fn options(&self) -> &[ChoiceOption] {
        match self {
            QuestionType::SingleChoice { options, .. }
            | QuestionType::MultipleChoice { options, .. } => options,
            _ => &[],
        }
    }

    /// The background variable a single choice question is tied to, if any.
    pub fn profile(&self) -> Option<&VariableId> {
        match self {
            QuestionType::SingleChoice { profile, .. } => profile.as_ref(),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChoiceOption {
    pub value: OptionValue,
    pub label: String,
    /// Choosing this option clears the others ("Ik heb geen steun nodig").
    /// Only for multiple choice.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub exclusive: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Other {
    pub label: String,
}

/// When a question is shown, given earlier answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "raw::RawShowIf", into = "raw::RawShowIf")]
pub enum ShowIf {
    /// The answer to `question` is (or, for multiple choice, includes) `value`.
    Equals {
        question: QuestionId,
        value: OptionValue,
    },
    /// The answer to `question` is (or includes) one of `values`.
    In {
        question: QuestionId,
        values: Vec<OptionValue>,
    },
    /// `question` was (`true`) or was not (`false`) answered.
    Answered {
        question: QuestionId,
        answered: bool,
    },
    /// Every condition holds.
    All(Vec<ShowIf>),
    /// At least one condition holds.
    Any(Vec<ShowIf>),
}

impl ShowIf {
    /// Every `(question, path suffix)` this condition refers to, depth first, with the
    /// JSON path of its `question` field relative to the condition (`.all[1].question`).
    pub fn references(&self) -> Vec<(&QuestionId, String)> {
        let mut out = Vec::new();
        self.collect_references(String::new(), &mut out);
        out
    }

    fn collect_references<'a>(&'a self, at: String, out: &mut Vec<(&'a QuestionId, String)>) {
        match self {
            ShowIf::Equals { question, .. }
            | ShowIf::In { question, .. }
            | ShowIf::Answered { question, .. } => out.push((question, format!("{at}.question"))),
            ShowIf::All(parts) | ShowIf::Any(parts) => {
                let name = if matches!(self, ShowIf::All(_)) {
                    "all"
                } else {
                    "any"
                };
                for (i, part) in parts.iter().enumerate() {
                    part.collect_references(format!("{at}.{name}[{i}]"), out);
                }
            }
        }
    }
}

impl Questionnaire {
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id.as_str() == id)
    }

    /// Every text a member reads or hears, with its JSON path, for the B1 check.
    pub fn texts(&self) -> Vec<(String, &str)> {
        let mut out: Vec<(String, &str)> = vec![
            ("$.title".to_owned(), &self.title),
            ("$.purpose".to_owned(), &self.purpose),
            ("$.use_of_results".to_owned(), &self.use_of_results),
        ];
        for (i, q) in self.questions.iter().enumerate() {
            let at = format!("$.questions[{i}]");
            out.push((format!("{at}.text"), &q.text));
            if let Some(help) = &q.help {
                out.push((format!("{at}.help"), help));
            }
            if let Some(phone) = &q.phone_text {
                out.push((format!("{at}.phone_text"), phone));
            }
            for (j, option) in q.kind.options().iter().enumerate() {
                out.push((format!("{at}.options[{j}].label"), &option.label));
            }
            match &q.kind {
                QuestionType::MultipleChoice {
                    other: Some(other), ..
                } => out.push((format!("{at}.other.label"), &other.label)),
                QuestionType::Scale { labels, .. } => {
                    for (j, label) in labels.iter().enumerate() {
                        out.push((format!("{at}.labels[{j}]"), label));
                    }
                }
                QuestionType::Number {
                    unit: Some(unit), ..
                } => out.push((format!("{at}.unit"), unit)),
                _ => {}
            }
        }
        out
    }
}
