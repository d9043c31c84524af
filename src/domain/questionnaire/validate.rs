//! The rules a questionnaire must follow that JSON Schema cannot express: unique ids,
//! routing that refers to earlier questions and real options, no unreachable questions,
//! sensible bounds, no matrix questions, a plausible duration; and, against the panel,
//! eligibility and questions tied to a background variable.

use std::collections::BTreeSet;

use super::parse::push_key;
pub use super::problem::{Problem, ProblemKind, Severity};
use super::{Question, QuestionType, Questionnaire, ShowIf, reach};
use crate::domain::ids::VariableId;
use crate::domain::panel::PanelDefinition;

fn problem(path: String, kind: ProblemKind) -> Problem {
    Problem {
        path,
        severity: kind.severity(),
        kind,
    }
}

/// Seconds a member needs for a question of this type: generous, members may read slowly
/// or answer with help.
fn seconds_for(kind: &QuestionType) -> u32 {
    match kind {
        QuestionType::SingleChoice { .. } | QuestionType::Number { .. } => 20,
        QuestionType::MultipleChoice { .. } => 30,
        QuestionType::Grade { .. } | QuestionType::Scale { .. } => 15,
        QuestionType::OpenText { .. } => 90,
    }
}

impl Questionnaire {
    /// Every semantic problem and warning, in file order.
    pub fn problems(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        for (path, text) in self.texts() {
            if text.trim().is_empty() {
                out.push(problem(path, ProblemKind::EmptyText));
            }
        }
        if self.contact.trim().is_empty() {
            out.push(problem("$.contact".into(), ProblemKind::EmptyText));
        }
        for (field, value) in [
            ("estimated_minutes", self.estimated_minutes),
            ("closes_after_days", self.closes_after_days),
        ] {
            if value == 0 {
                out.push(problem(format!("$.{field}"), ProblemKind::NotPositive));
            }
        }
        for (variable, values) in &self.eligibility {
            if values.is_empty() {
                let mut path = "$.eligibility".to_owned();
                push_key(&mut path, variable.as_str());
                out.push(problem(path, ProblemKind::EligibilityEmpty));
            }
        }
        if let Some(max) = self.kind.max_questions()
            && self.questions.len() > max
        {
            let count = self.questions.len();
            out.push(problem(
                "$.questions".into(),
                ProblemKind::TooManyQuestions { count, max },
            ));
        }
        let mut ids = BTreeSet::new();
        // Questions whose own condition is broken: not judged for reachability, nor are
        // the questions that depend on them.
        let mut broken = BTreeSet::new();
        for (i, question) in self.questions.iter().enumerate() {
            let at = format!("$.questions[{i}]");
            let id = question.id.to_string();
            if question.id.is_reserved() {
                out.push(problem(
                    format!("{at}.id"),
                    ProblemKind::ReservedQuestionId { id },
                ));
            } else if !ids.insert(question.id.as_str()) {
                out.push(problem(
                    format!("{at}.id"),
                    ProblemKind::DuplicateQuestionId { id },
                ));
            }
            check_type(&question.kind, &at, &mut out);
            if let Some(condition) = &question.show_if {
                let before = out.len();
                self.check_condition(i, condition, format!("{at}.show_if"), &mut out);
                if out.len() > before {
                    broken.insert(question.id.as_str());
                } else if reach::never_shown(&self.questions, i, &broken) {
                    out.push(problem(format!("{at}.show_if"), ProblemKind::NeverShown));
                }
            }
        }
        self.check_duration(&mut out);
        if self.kind == super::Kind::FlashPoll && self.evaluation {
            out.push(problem(
                "$.evaluation".into(),
                ProblemKind::FlashPollWithEvaluation,
            ));
        }
        if self.one_page
            && let Some(i) = self.questions.iter().position(|q| q.show_if.is_some())
        {
            let path = format!("$.questions[{i}].show_if");
            out.push(problem(path, ProblemKind::OnePageWithShowIf));
        }
        out
    }

    /// Problems of the eligibility rules and of the questions tied to a background
    /// variable (`profile`) against the panel the questionnaire is sent to.
    pub fn problems_against_panel(&self, panel: &PanelDefinition) -> Vec<Problem> {
        let mut out = Vec::new();
        for (variable, values) in &self.eligibility {
            let mut path = "$.eligibility".to_owned();
            push_key(&mut path, variable.as_str());
            let Some(known) = panel.variable(variable.as_str()) else {
                let variable = variable.to_string();
                out.push(problem(
                    path,
                    ProblemKind::EligibilityUnknownVariable { variable },
                ));
                continue;
            };
            for (j, value) in values.iter().enumerate() {
                if !known.categories.iter().any(|c| &c.value == value) {
                    let kind = ProblemKind::EligibilityUnknownCategory {
                        variable: variable.to_string(),
                        value: value.to_string(),
                    };
                    out.push(problem(format!("{path}[{j}]"), kind));
                }
            }
        }
        for (i, question) in self.questions.iter().enumerate() {
            if let Some(variable) = question.kind.profile() {
                profile_problems(
                    question,
                    variable,
                    panel,
                    &format!("$.questions[{i}]"),
                    &mut out,
                );
            }
        }
        out
    }

    fn check_condition(
        &self,
        index: usize,
        condition: &ShowIf,
        at: String,
        out: &mut Vec<Problem>,
    ) {
        let target = |question: &super::QuestionId, out: &mut Vec<Problem>| -> Option<&Question> {
            let name = question.to_string();
            match self.questions.iter().position(|q| &q.id == question) {
                None => {
                    let kind = ProblemKind::ShowIfUnknownQuestion { question: name };
                    out.push(problem(format!("{at}.question"), kind));
                    None
                }
                Some(j) if j >= index => {
                    let kind = ProblemKind::ShowIfNotEarlier { question: name };
                    out.push(problem(format!("{at}.question"), kind));
                    None
                }
                Some(j) => Some(&self.questions[j]),
            }
        };
        let (question, values): (_, Vec<(String, _)>) = match condition {
            ShowIf::Answered { question, .. } => {
                target(question, out);
                return;
            }
            ShowIf::Equals { question, value } => (question, vec![(format!("{at}.equals"), value)]),
            ShowIf::In { question, values } => {
                if values.is_empty() {
                    out.push(problem(format!("{at}.in"), ProblemKind::ShowIfEmpty));
                }
                let paths = values.iter().enumerate();
                (
                    question,
                    paths.map(|(k, v)| (format!("{at}.in[{k}]"), v)).collect(),
                )
            }
            ShowIf::All(parts) | ShowIf::Any(parts) => {
                let name = if matches!(condition, ShowIf::All(_)) {
                    "all"
                } else {
                    "any"
                };
                if parts.is_empty() {
                    out.push(problem(format!("{at}.{name}"), ProblemKind::ShowIfEmpty));
                }
                for (k, part) in parts.iter().enumerate() {
                    self.check_condition(index, part, format!("{at}.{name}[{k}]"), out);
                }
                return;
            }
        };
        let Some(target) = target(question, out) else {
            return;
        };
        let options = target.kind.options();
        if options.is_empty() {
            let kind = ProblemKind::ShowIfNotChoice {
                question: question.to_string(),
            };
            out.push(problem(format!("{at}.question"), kind));
            return;
        }
        for (path, value) in values {
            if !options.iter().any(|o| &o.value == value) {
                let kind = ProblemKind::ShowIfUnknownOption {
                    question: question.to_string(),
                    value: value.to_string(),
                };
                out.push(problem(path, kind));
            }
        }
    }

    /// Warn when the stated duration is far from what the questions need.
    fn check_duration(&self, out: &mut Vec<Problem>) {
        let all = self.with_appendix(self.language);
        let seconds: u32 = all.iter().map(|q| seconds_for(&q.kind)).sum();
        let expected = seconds.div_ceil(60).max(1);
        let stated = self.estimated_minutes;
        // Too low misleads members about the effort; far too high puts them off.
        let too_low = u64::from(stated) * 10 < u64::from(expected) * 6;
        let too_high = u64::from(stated) > u64::from(expected) * 3 + 2;
        if stated > 0 && (too_low || too_high) {
            let questions = all.len();
            let kind = ProblemKind::ImplausibleMinutes {
                stated,
                expected,
                questions,
            };
            out.push(problem("$.estimated_minutes".into(), kind));
        }
    }
}

/// A question tied to `variable` must offer exactly the variable's categories as option
/// values (labels may be worded for the questionnaire), so every profile answer is one of
/// its options and every answer given is a category.
fn profile_problems(
    question: &Question,
    variable: &VariableId,
    panel: &PanelDefinition,
    at: &str,
    out: &mut Vec<Problem>,
) {
    let Some(known) = panel.variable(variable.as_str()) else {
        let variable = variable.to_string();
        out.push(problem(
            format!("{at}.profile"),
            ProblemKind::ProfileUnknownVariable { variable },
        ));
        return;
    };
    let options = question.kind.options();
    let categories: Vec<&str> = known.categories.iter().map(|c| c.value.as_str()).collect();
    for (j, option) in options.iter().enumerate() {
        if !categories.contains(&option.value.as_str()) {
            let kind = ProblemKind::ProfileUnknownCategory {
                variable: variable.to_string(),
                value: option.value.to_string(),
                categories: categories.join(", "),
            };
            out.push(problem(format!("{at}.options[{j}].value"), kind));
        }
    }
    for category in &categories {
        if !options.iter().any(|o| o.value.as_str() == *category) {
            let kind = ProblemKind::ProfileMissingCategory {
                variable: variable.to_string(),
                value: (*category).to_owned(),
            };
            out.push(problem(format!("{at}.options"), kind));
        }
    }
}

/// The checks of one question's type-specific fields.
fn check_type(kind: &QuestionType, at: &str, out: &mut Vec<Problem>) {
    let options = kind.options();
    if matches!(
        kind,
        QuestionType::SingleChoice { .. } | QuestionType::MultipleChoice { .. }
    ) && options.len() < 2
    {
        let count = options.len();
        out.push(problem(
            format!("{at}.options"),
            ProblemKind::TooFewOptions { count },
        ));
    }
    let mut values = BTreeSet::new();
    for (j, option) in options.iter().enumerate() {
        if !values.insert(option.value.as_str()) {
            let value = option.value.to_string();
            let path = format!("{at}.options[{j}].value");
            out.push(problem(path, ProblemKind::DuplicateOptionValue { value }));
        }
    }
    match kind {
        QuestionType::MultipleChoice {
            max_choices: Some(max_choices),
            ..
        } => {
            let path = format!("{at}.max_choices");
            if *max_choices == 0 {
                out.push(problem(path, ProblemKind::MaxChoicesZero));
            } else if *max_choices as usize > options.len() {
                let (max_choices, options) = (*max_choices, options.len());
                let kind = ProblemKind::MaxChoicesAboveOptions {
                    max_choices,
                    options,
                };
                out.push(problem(path, kind));
            }
        }
        QuestionType::Grade { min, max } => {
            for (field, value) in [("min", min), ("max", max)] {
                if !(1..=10).contains(value) {
                    out.push(problem(
                        format!("{at}.{field}"),
                        ProblemKind::GradeOutOfRange,
                    ));
                }
            }
            min_below_max(Some((*min).into()), Some((*max).into()), at, out);
        }
        QuestionType::Number { min, max, .. } => min_below_max(*min, *max, at, out),
        QuestionType::Scale { labels, .. } if !(2..=11).contains(&labels.len()) => {
            let count = labels.len();
            out.push(problem(
                format!("{at}.labels"),
                ProblemKind::ScaleLabelCount { count },
            ));
        }
        QuestionType::OpenText {
            max_length: Some(0),
        } => out.push(problem(
            format!("{at}.max_length"),
            ProblemKind::NotPositive,
        )),
        _ => {}
    }
}

fn min_below_max(min: Option<i64>, max: Option<i64>, at: &str, out: &mut Vec<Problem>) {
    if let (Some(min), Some(max)) = (min, max)
        && min >= max
    {
        out.push(problem(
            format!("{at}.min"),
            ProblemKind::MinNotBelowMax { min, max },
        ));
    }
}

/// Matrix or grid questions in a raw file: refused, as screen readers cannot follow them.
/// Checked on the JSON itself because the typed parse cannot even read them.
pub fn matrix_problems(file: &serde_json::Value) -> Vec<Problem> {
    let Some(questions) = file.get("questions").and_then(|q| q.as_array()) else {
        return vec![];
    };
    let mut out = Vec::new();
    for (i, question) in questions.iter().enumerate() {
        let kind = question.get("type").and_then(|t| t.as_str());
        let field = if matches!(kind, Some("matrix" | "grid")) {
            Some("type")
        } else {
            ["rows", "columns"]
                .into_iter()
                .find(|f| question.get(*f).is_some())
        };
        if let Some(field) = field {
            out.push(problem(
                format!("$.questions[{i}].{field}"),
                ProblemKind::MatrixQuestion,
            ));
        }
    }
    out
}
