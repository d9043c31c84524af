//! The file shape of questions and show_if conditions, and its conversion to and from
//! the typed enums. Serde's `flatten` cannot be combined with `deny_unknown_fields`,
//! so a question is read as one flat struct and then checked per type.

use serde::{Deserialize, Serialize};

use super::ids::OptionValue;
use super::{ChoiceOption, Other, Question, QuestionId, QuestionType, ShowIf};
use crate::domain::ids::VariableId;

/// Why a question or condition does not fit its type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShapeError {
    #[error("`{field}` does not belong to a `{kind}` question")]
    FieldNotAllowed {
        field: &'static str,
        kind: &'static str,
    },
    #[error("a `{kind}` question needs `{field}`")]
    FieldMissing {
        field: &'static str,
        kind: &'static str,
    },
    #[error("`{field}` of a grade lies between 1 and 10")]
    GradeOutOfRange { field: &'static str },
    #[error(
        "show_if needs `question` with exactly one of `equals`, `in` or `answered`, \
         or else exactly one of `all` or `any`"
    )]
    ShowIfShape,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum TypeName {
    SingleChoice,
    MultipleChoice,
    Grade,
    Scale,
    Number,
    OpenText,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawOption {
    value: OptionValue,
    label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    exclusive: Option<bool>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawQuestion {
    id: QuestionId,
    #[serde(rename = "type")]
    kind: TypeName,
    text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    help: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    show_if: Option<ShowIf>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    phone_text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    options: Option<Vec<RawOption>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    profile: Option<VariableId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    max_choices: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    other: Option<Other>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    min: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    max: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    labels: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    dont_know: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    max_length: Option<u32>,
}

impl RawQuestion {
    /// The names of the type-specific fields that are present.
    fn present_fields(&self) -> Vec<&'static str> {
        [
            ("options", self.options.is_some()),
            ("profile", self.profile.is_some()),
            ("max_choices", self.max_choices.is_some()),
            ("other", self.other.is_some()),
            ("min", self.min.is_some()),
            ("max", self.max.is_some()),
            ("labels", self.labels.is_some()),
            ("dont_know", self.dont_know.is_some()),
            ("unit", self.unit.is_some()),
            ("max_length", self.max_length.is_some()),
        ]
        .into_iter()
        .filter_map(|(name, present)| present.then_some(name))
        .collect()
    }
}

fn allowed_fields(kind: TypeName) -> &'static [&'static str] {
    match kind {
        TypeName::SingleChoice => &["options", "profile"],
        TypeName::MultipleChoice => &["options", "max_choices", "other"],
        TypeName::Grade => &["min", "max"],
        TypeName::Scale => &["labels", "dont_know"],
        TypeName::Number => &["min", "max", "unit"],
        TypeName::OpenText => &["max_length"],
    }
}

/// The type-specific fields a question of type `code` (`single_choice`, …) may have;
/// `None` for an unknown type.
pub fn fields_of_type(code: &str) -> Option<&'static [&'static str]> {
    let kind: TypeName = serde_json::from_value(serde_json::Value::from(code)).ok()?;
    Some(allowed_fields(kind))
}

fn type_code(kind: TypeName) -> &'static str {
    match kind {
        TypeName::SingleChoice => "single_choice",
        TypeName::MultipleChoice => "multiple_choice",
        TypeName::Grade => "grade",
        TypeName::Scale => "scale",
        TypeName::Number => "number",
        TypeName::OpenText => "open_text",
    }
}

fn grade_bound(value: Option<i64>, default: u8, field: &'static str) -> Result<u8, ShapeError> {
    match value {
        None => Ok(default),
        Some(v) => u8::try_from(v)
            .ok()
            .filter(|v| (1..=10).contains(v))
            .ok_or(ShapeError::GradeOutOfRange { field }),
    }
}

fn options(raw: Option<Vec<RawOption>>, kind: TypeName) -> Result<Vec<ChoiceOption>, ShapeError> {
    let code = type_code(kind);
    let raw = raw.ok_or(ShapeError::FieldMissing {
        field: "options",
        kind: code,
    })?;
    raw.into_iter()
        .map(|o| {
            if kind == TypeName::SingleChoice && o.exclusive.is_some() {
                return Err(ShapeError::FieldNotAllowed {
                    field: "exclusive",
                    kind: code,
                });
            }
            Ok(ChoiceOption {
                value: o.value,
                label: o.label,
                exclusive: o.exclusive.unwrap_or(false),
            })
        })
        .collect()
}

impl TryFrom<RawQuestion> for Question {
    type Error = ShapeError;

    fn try_from(raw: RawQuestion) -> Result<Self, ShapeError> {
        let allowed = allowed_fields(raw.kind);
        if let Some(field) = raw
            .present_fields()
            .into_iter()
            .find(|f| !allowed.contains(f))
        {
            return Err(ShapeError::FieldNotAllowed {
                field,
                kind: type_code(raw.kind),
            });
        }
        let kind = match raw.kind {
            TypeName::SingleChoice => QuestionType::SingleChoice {
                options: options(raw.options, raw.kind)?,
                profile: raw.profile,
            },
            TypeName::MultipleChoice => QuestionType::MultipleChoice {
                options: options(raw.options, raw.kind)?,
                max_choices: raw.max_choices,
                other: raw.other,
            },
            TypeName::Grade => QuestionType::Grade {
                min: grade_bound(raw.min, 1, "min")?,
                max: grade_bound(raw.max, 10, "max")?,
            },
            TypeName::Scale => QuestionType::Scale {
                labels: raw.labels.ok_or(ShapeError::FieldMissing {
                    field: "labels",
                    kind: "scale",
                })?,
                dont_know: raw.dont_know.unwrap_or(false),
            },
            TypeName::Number => QuestionType::Number {
                min: raw.min,
                max: raw.max,
                unit: raw.unit,
            },
            TypeName::OpenText => QuestionType::OpenText {
                max_length: raw.max_length,
            },
        };
        Ok(Question {
            id: raw.id,
            text: raw.text,
            help: raw.help,
            required: raw.required,
            show_if: raw.show_if,
            phone_text: raw.phone_text,
            kind,
        })
    }
}

impl From<Question> for RawQuestion {
    fn from(q: Question) -> Self {
        let mut raw = RawQuestion {
            id: q.id,
            kind: TypeName::OpenText,
            text: q.text,
            help: q.help,
            required: q.required,
            show_if: q.show_if,
            phone_text: q.phone_text,
            options: None,
            profile: None,
            max_choices: None,
            other: None,
            min: None,
            max: None,
            labels: None,
            dont_know: None,
            unit: None,
            max_length: None,
        };
        let raw_options = |options: Vec<ChoiceOption>| {
            options
                .into_iter()
                .map(|o| RawOption {
                    value: o.value,
                    label: o.label,
                    exclusive: o.exclusive.then_some(true),
                })
                .collect()
        };
        match q.kind {
            QuestionType::SingleChoice { options, profile } => {
                raw.kind = TypeName::SingleChoice;
                raw.options = Some(raw_options(options));
                raw.profile = profile;
            }
            QuestionType::MultipleChoice {
                options,
                max_choices,
                other,
            } => {
                raw.kind = TypeName::MultipleChoice;
                raw.options = Some(raw_options(options));
                raw.max_choices = max_choices;
                raw.other = other;
            }
            QuestionType::Grade { min, max } => {
                raw.kind = TypeName::Grade;
                raw.min = Some(min.into());
                raw.max = Some(max.into());
            }
            QuestionType::Scale { labels, dont_know } => {
                raw.kind = TypeName::Scale;
                raw.labels = Some(labels);
                raw.dont_know = dont_know.then_some(true);
            }
            QuestionType::Number { min, max, unit } => {
                raw.kind = TypeName::Number;
                (raw.min, raw.max, raw.unit) = (min, max, unit);
            }
            QuestionType::OpenText { max_length } => raw.max_length = max_length,
        }
        raw
    }
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawShowIf {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    question: Option<QuestionId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    equals: Option<OptionValue>,
    #[serde(rename = "in", default, skip_serializing_if = "Option::is_none")]
    in_: Option<Vec<OptionValue>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    answered: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    all: Option<Vec<ShowIf>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    any: Option<Vec<ShowIf>>,
}

impl TryFrom<RawShowIf> for ShowIf {
    type Error = ShapeError;

    fn try_from(raw: RawShowIf) -> Result<Self, ShapeError> {
        match raw {
            RawShowIf {
                question: Some(question),
                equals: Some(value),
                in_: None,
                answered: None,
                all: None,
                any: None,
            } => Ok(ShowIf::Equals { question, value }),
            RawShowIf {
                question: Some(question),
                equals: None,
                in_: Some(values),
                answered: None,
                all: None,
                any: None,
            } => Ok(ShowIf::In { question, values }),
            RawShowIf {
                question: Some(question),
                equals: None,
                in_: None,
                answered: Some(answered),
                all: None,
                any: None,
            } => Ok(ShowIf::Answered { question, answered }),
            RawShowIf {
                question: None,
                equals: None,
                in_: None,
                answered: None,
                all: Some(parts),
                any: None,
            } => Ok(ShowIf::All(parts)),
            RawShowIf {
                question: None,
                equals: None,
                in_: None,
                answered: None,
                all: None,
                any: Some(parts),
            } => Ok(ShowIf::Any(parts)),
            _ => Err(ShapeError::ShowIfShape),
        }
    }
}

impl From<ShowIf> for RawShowIf {
    fn from(show_if: ShowIf) -> Self {
        match show_if {
            ShowIf::Equals { question, value } => RawShowIf {
                question: Some(question),
                equals: Some(value),
                ..RawShowIf::default()
            },
            ShowIf::In { question, values } => RawShowIf {
                question: Some(question),
                in_: Some(values),
                ..RawShowIf::default()
            },
            ShowIf::Answered { question, answered } => RawShowIf {
                question: Some(question),
                answered: Some(answered),
                ..RawShowIf::default()
            },
            ShowIf::All(parts) => RawShowIf {
                all: Some(parts),
                ..RawShowIf::default()
            },
            ShowIf::Any(parts) => RawShowIf {
                any: Some(parts),
                ..RawShowIf::default()
            },
        }
    }
}
