//! The form's problems: each at the field it belongs to, so the error summary links to it
//! and the message stands next to it.

use super::PlanForm;
use crate::domain::fieldwork::{Message, QuotaProblem, ScheduleProblem};
use crate::domain::panel::PanelDefinition;
use crate::i18n::Lang;
use crate::service::fieldwork::PlanProblem;
use crate::web::view::{FieldMsg, FormErrors};

/// A problem with the form: the field it belongs to, where the summary links, the text.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub field: String,
    pub anchor: String,
    pub message: String,
}

impl Problem {
    pub(super) fn at(field: impl Into<String>, message: String) -> Self {
        let field = field.into();
        Problem {
            anchor: format!("f-{field}"),
            field,
            message,
        }
    }

    pub(super) fn quota_row(vi: usize, ci: usize, message: String) -> Self {
        Problem {
            field: format!("quota-{vi}-{ci}"),
            anchor: format!("f-quota-{vi}-{ci}-min"),
            message,
        }
    }

    fn is_schedule(&self) -> bool {
        matches!(
            self.field.as_str(),
            "send_mode" | "send_date" | "send_time" | "reminder_days" | "close_mode"
        ) || self.field.starts_with("close_")
    }

    fn is_quota(&self) -> bool {
        self.field.starts_with("quota") || self.field == "size_n"
    }
}

/// The problems as the page shows them: one message per field (several joined), in order.
pub fn form_errors(lang: Lang, problems: &[Problem]) -> FormErrors {
    let mut errors = FormErrors::none(lang);
    for p in problems {
        match errors.list.iter_mut().find(|m| m.field == p.field) {
            Some(m) if !m.message.contains(&p.message) => {
                m.message = format!("{} {}", m.message, p.message);
            }
            Some(_) => {}
            None => errors.list.push(FieldMsg {
                field: p.field.clone(),
                anchor: p.anchor.clone(),
                message: p.message.clone(),
            }),
        }
    }
    errors
}

impl PlanForm {
    /// The service's problems with the plan, at the fields they belong to. Problems with
    /// parts the form could not read are left out: they would be about stand-ins.
    pub fn place(
        &self,
        lang: Lang,
        panel: &PanelDefinition,
        read_problems: Vec<Problem>,
        plan_problems: &[PlanProblem],
    ) -> Vec<Problem> {
        let schedule_unread = read_problems.iter().any(Problem::is_schedule);
        let quotas_unread = read_problems.iter().any(Problem::is_quota);
        let mut out = read_problems;
        for p in plan_problems {
            let placed = self.field_of(panel, p, lang);
            if (placed.is_schedule() && schedule_unread) || (placed.is_quota() && quotas_unread) {
                continue;
            }
            if out.iter().any(|o| o.field == placed.field) && placed.field == "version" {
                continue;
            }
            out.push(placed);
        }
        out
    }

    fn field_of(&self, panel: &PanelDefinition, p: &PlanProblem, lang: Lang) -> Problem {
        let message = p.message(lang);
        let index = |variable: &str| {
            panel
                .background_variables
                .iter()
                .position(|v| v.id.as_str() == variable)
        };
        let category = |vi: usize, category: &str| {
            panel.background_variables[vi]
                .categories
                .iter()
                .position(|c| c.value.as_str() == category)
        };
        match p {
            PlanProblem::NotPublished => Problem::at("version", message),
            PlanProblem::EmptyTitle => Problem::at("title", message),
            PlanProblem::UnknownEligibility { .. } => Problem::at("elig", message),
            PlanProblem::NotDraft => Problem::at("title", message),
            PlanProblem::Schedule(s) => Problem::at(
                match s {
                    ScheduleProblem::SendInPast { .. } if self.send_mode == "at" => "send_date",
                    ScheduleProblem::SendInPast { .. } => "send_mode",
                    ScheduleProblem::ClosesBeforeSend { .. } if self.close_mode == "at" => {
                        "close_date"
                    }
                    ScheduleProblem::ClosesBeforeSend { .. } => "close_days",
                    _ => "reminder_days",
                },
                message,
            ),
            PlanProblem::Quota(q) => match q {
                QuotaProblem::UnknownCategory {
                    variable,
                    category: c,
                }
                | QuotaProblem::Duplicate {
                    variable,
                    category: c,
                }
                | QuotaProblem::MinAboveMax {
                    variable,
                    category: c,
                    ..
                }
                | QuotaProblem::TargetOutside {
                    variable,
                    category: c,
                    ..
                }
                | QuotaProblem::NotEligibleCategory {
                    variable,
                    category: c,
                    ..
                } => match index(variable).and_then(|vi| Some((vi, category(vi, c)?))) {
                    Some((vi, ci)) => Problem::quota_row(vi, ci, message),
                    None => Problem::at("quota_var", message),
                },
                QuotaProblem::MinsAboveSize { variable, .. }
                | QuotaProblem::MaxesBelowSize { variable, .. } => match index(variable) {
                    Some(vi) => Problem::at(format!("quota-{vi}"), message),
                    None => Problem::at("quota_var", message),
                },
                _ => Problem::at("quota_var", message),
            },
        }
    }
}
