//! What the semantic checks report: a problem or warning, its kind and where it is.
//! Each kind has a stable code that is also its message key `schema.problem.<code>`.

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The file cannot be used as it is.
    Problem,
    /// Allowed, but a manager should look at it (and accept it explicitly).
    Warning,
}

/// A broken rule, with where it is as a JSON path (`$.questions[2].show_if.question`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub path: String,
    pub severity: Severity,
    pub kind: ProblemKind,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ProblemKind {
    EmptyText,
    NotPositive,
    TooManyQuestions {
        count: usize,
        max: usize,
    },
    DuplicateQuestionId {
        id: String,
    },
    ReservedQuestionId {
        id: String,
    },
    DuplicateOptionValue {
        value: String,
    },
    TooFewOptions {
        count: usize,
    },
    MaxChoicesZero,
    MaxChoicesAboveOptions {
        max_choices: u32,
        options: usize,
    },
    ScaleLabelCount {
        count: usize,
    },
    GradeOutOfRange,
    MinNotBelowMax {
        min: i64,
        max: i64,
    },
    ShowIfUnknownQuestion {
        question: String,
    },
    ShowIfNotEarlier {
        question: String,
    },
    ShowIfNotChoice {
        question: String,
    },
    ShowIfUnknownOption {
        question: String,
        value: String,
    },
    ShowIfEmpty,
    NeverShown,
    MatrixQuestion,
    ImplausibleMinutes {
        stated: u32,
        expected: u32,
        questions: usize,
    },
    FlashPollWithEvaluation,
    OnePageWithShowIf,
    EligibilityEmpty,
    EligibilityUnknownVariable {
        variable: String,
    },
    EligibilityUnknownCategory {
        variable: String,
        value: String,
    },
    /// A question tied (`profile`) to a variable the panel does not have.
    ProfileUnknownVariable {
        variable: String,
    },
    /// An option of a tied question whose value is not a category of the variable.
    ProfileUnknownCategory {
        variable: String,
        value: String,
        /// The variable's categories, comma separated, to choose from.
        categories: String,
    },
    /// A category of the variable that no option of the tied question has.
    ProfileMissingCategory {
        variable: String,
        value: String,
    },
}

impl ProblemKind {
    pub fn severity(&self) -> Severity {
        match self {
            ProblemKind::MaxChoicesAboveOptions { .. }
            | ProblemKind::ImplausibleMinutes { .. }
            | ProblemKind::FlashPollWithEvaluation
            | ProblemKind::OnePageWithShowIf => Severity::Warning,
            _ => Severity::Problem,
        }
    }

    /// Stable snake_case name; also the i18n key `schema.problem.<code>`.
    pub fn code(&self) -> &'static str {
        match self {
            ProblemKind::EmptyText => "empty_text",
            ProblemKind::NotPositive => "not_positive",
            ProblemKind::TooManyQuestions { .. } => "too_many_questions",
            ProblemKind::DuplicateQuestionId { .. } => "duplicate_question_id",
            ProblemKind::ReservedQuestionId { .. } => "reserved_question_id",
            ProblemKind::DuplicateOptionValue { .. } => "duplicate_option_value",
            ProblemKind::TooFewOptions { .. } => "too_few_options",
            ProblemKind::MaxChoicesZero => "max_choices_zero",
            ProblemKind::MaxChoicesAboveOptions { .. } => "max_choices_above_options",
            ProblemKind::ScaleLabelCount { .. } => "scale_label_count",
            ProblemKind::GradeOutOfRange => "grade_out_of_range",
            ProblemKind::MinNotBelowMax { .. } => "min_not_below_max",
            ProblemKind::ShowIfUnknownQuestion { .. } => "show_if_unknown_question",
            ProblemKind::ShowIfNotEarlier { .. } => "show_if_not_earlier",
            ProblemKind::ShowIfNotChoice { .. } => "show_if_not_choice",
            ProblemKind::ShowIfUnknownOption { .. } => "show_if_unknown_option",
            ProblemKind::ShowIfEmpty => "show_if_empty",
            ProblemKind::NeverShown => "never_shown",
            ProblemKind::MatrixQuestion => "matrix_question",
            ProblemKind::ImplausibleMinutes { .. } => "implausible_minutes",
            ProblemKind::FlashPollWithEvaluation => "flash_poll_with_evaluation",
            ProblemKind::OnePageWithShowIf => "one_page_with_show_if",
            ProblemKind::EligibilityEmpty => "eligibility_empty",
            ProblemKind::EligibilityUnknownVariable { .. } => "eligibility_unknown_variable",
            ProblemKind::EligibilityUnknownCategory { .. } => "eligibility_unknown_category",
            ProblemKind::ProfileUnknownVariable { .. } => "profile_unknown_variable",
            ProblemKind::ProfileUnknownCategory { .. } => "profile_unknown_category",
            ProblemKind::ProfileMissingCategory { .. } => "profile_missing_category",
        }
    }

    /// The values for the message's `{placeholders}`.
    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            ProblemKind::TooManyQuestions { count, max } => {
                vec![("count", count.to_string()), ("max", max.to_string())]
            }
            ProblemKind::DuplicateQuestionId { id } | ProblemKind::ReservedQuestionId { id } => {
                vec![("id", id.clone())]
            }
            ProblemKind::DuplicateOptionValue { value } => vec![("value", value.clone())],
            ProblemKind::TooFewOptions { count } | ProblemKind::ScaleLabelCount { count } => {
                vec![("count", count.to_string())]
            }
            ProblemKind::MaxChoicesAboveOptions {
                max_choices,
                options,
            } => vec![
                ("max_choices", max_choices.to_string()),
                ("options", options.to_string()),
            ],
            ProblemKind::MinNotBelowMax { min, max } => {
                vec![("min", min.to_string()), ("max", max.to_string())]
            }
            ProblemKind::ShowIfUnknownQuestion { question }
            | ProblemKind::ShowIfNotEarlier { question }
            | ProblemKind::ShowIfNotChoice { question } => vec![("question", question.clone())],
            ProblemKind::ShowIfUnknownOption { question, value } => {
                vec![("question", question.clone()), ("value", value.clone())]
            }
            ProblemKind::ImplausibleMinutes {
                stated,
                expected,
                questions,
            } => vec![
                ("stated", stated.to_string()),
                ("expected", expected.to_string()),
                ("questions", questions.to_string()),
            ],
            ProblemKind::EligibilityUnknownVariable { variable }
            | ProblemKind::ProfileUnknownVariable { variable } => {
                vec![("variable", variable.clone())]
            }
            ProblemKind::EligibilityUnknownCategory { variable, value }
            | ProblemKind::ProfileMissingCategory { variable, value } => {
                vec![("variable", variable.clone()), ("value", value.clone())]
            }
            ProblemKind::ProfileUnknownCategory {
                variable,
                value,
                categories,
            } => vec![
                ("variable", variable.clone()),
                ("value", value.clone()),
                ("categories", categories.clone()),
            ],
            _ => vec![],
        }
    }
}
