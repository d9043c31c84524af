//! A panel's definition as read from a panel file (see `panel-schemas/panel.schema.json`):
//! background variables, target distribution, contact policy, reporting and retention.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::ids::{CategoryValue, PanelId, VariableId};

/// The whole panel file, typed. Unknown fields are refused.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PanelDefinition {
    pub id: PanelId,
    pub name: String,
    pub organisation: String,
    /// Email address members can write to with questions.
    pub contact: String,
    /// Phone number members can call for help; shown on every member page when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    pub language: String,
    /// The mission the panel serves; client requests are weighed against it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mission: Option<String>,
    #[serde(default = "default_min_age")]
    pub min_age: u8,
    /// Version of the consent text members agree to at sign-up.
    #[serde(default = "default_consent_version")]
    pub consent_version: String,
    pub background_variables: Vec<BackgroundVariable>,
    pub targets: BTreeMap<VariableId, BTreeMap<CategoryValue, f64>>,
    pub contact_policy: ContactPolicy,
    pub reporting: Reporting,
    pub retention: Retention,
}

fn default_min_age() -> u8 {
    18
}

fn default_consent_version() -> String {
    "1".to_owned()
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackgroundVariable {
    pub id: VariableId,
    /// The question members answer at sign-up.
    pub question: String,
    pub categories: Vec<Category>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub value: CategoryValue,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactPolicy {
    pub max_invitations_per_year: u32,
    pub max_flash_polls_per_month: u32,
    pub min_days_between_invitations: u32,
    pub max_reminders_per_invitation: u32,
    pub quiet_hours: QuietHours,
    /// Calls to one member per survey at most (phone fallback).
    #[serde(default = "default_max_call_attempts")]
    pub max_call_attempts: u32,
}

fn default_max_call_attempts() -> u32 {
    crate::domain::phone::DEFAULT_MAX_ATTEMPTS
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuietHours {
    pub from: String,
    pub to: String,
    pub timezone: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reporting {
    pub min_cell_size: u32,
    /// How members joined: it decides which AAPOR rates fit the fieldwork.
    #[serde(default)]
    pub recruitment: Recruitment,
}

/// How a panel's members were recruited.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Recruitment {
    /// People signed up themselves (the usual case): AAPOR's participation rate.
    #[default]
    OptIn,
    /// Invited from a probability sample: RR1–RR6, cooperation, refusal, contact.
    Probability,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Retention {
    pub inactive_member_months: u32,
    pub response_months: u32,
}

/// A rule broken by a panel file that JSON Schema cannot express.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PanelProblem {
    /// Where the problem is, as a JSON path (`$.targets.rol`).
    pub path: String,
    pub kind: PanelProblemKind,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PanelProblemKind {
    DuplicateVariable { id: String },
    DuplicateCategory { value: String },
    NoCategories,
    UnknownTargetVariable { id: String },
    UnknownTargetCategory { value: String },
    MissingTargetCategory { value: String },
    TargetsDoNotSumToOne { sum_per_mille: i64 },
    TargetOutOfRange,
    BadTime { value: String },
    MinCellSizeZero,
}

impl PanelDefinition {
    /// Parse a panel file that is already known to be valid JSON. Errors carry serde's
    /// message with line and column.
    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }

    pub fn variable(&self, id: &str) -> Option<&BackgroundVariable> {
        self.background_variables
            .iter()
            .find(|v| v.id.as_str() == id)
    }

    /// The checks JSON Schema cannot make: unique ids, targets that match the variables
    /// and add up to 1, well-formed quiet hours.
    pub fn problems(&self) -> Vec<PanelProblem> {
        let mut problems = Vec::new();
        let mut push = |path: String, kind| problems.push(PanelProblem { path, kind });
        let mut seen_vars = BTreeSet::new();
        for (i, var) in self.background_variables.iter().enumerate() {
            let path = format!("$.background_variables[{i}]");
            if !seen_vars.insert(var.id.as_str()) {
                push(
                    format!("{path}.id"),
                    PanelProblemKind::DuplicateVariable {
                        id: var.id.to_string(),
                    },
                );
            }
            if var.categories.is_empty() {
                push(format!("{path}.categories"), PanelProblemKind::NoCategories);
            }
            let mut seen_cats = BTreeSet::new();
            for (j, cat) in var.categories.iter().enumerate() {
                if !seen_cats.insert(cat.value.as_str()) {
                    push(
                        format!("{path}.categories[{j}].value"),
                        PanelProblemKind::DuplicateCategory {
                            value: cat.value.to_string(),
                        },
                    );
                }
            }
        }
        for (var_id, shares) in &self.targets {
            let path = format!("$.targets.{var_id}");
            let Some(var) = self.variable(var_id.as_str()) else {
                push(
                    path,
                    PanelProblemKind::UnknownTargetVariable {
                        id: var_id.to_string(),
                    },
                );
                continue;
            };
            for (value, share) in shares {
                if !var.categories.iter().any(|c| &c.value == value) {
                    push(
                        format!("{path}.{value}"),
                        PanelProblemKind::UnknownTargetCategory {
                            value: value.to_string(),
                        },
                    );
                }
                if !(0.0..=1.0).contains(share) || !share.is_finite() {
                    push(
                        format!("{path}.{value}"),
                        PanelProblemKind::TargetOutOfRange,
                    );
                }
            }
            for cat in &var.categories {
                if !shares.contains_key(&cat.value) {
                    push(
                        path.clone(),
                        PanelProblemKind::MissingTargetCategory {
                            value: cat.value.to_string(),
                        },
                    );
                }
            }
            let sum: f64 = shares.values().sum();
            if (sum - 1.0).abs() > 0.005 {
                push(
                    path,
                    PanelProblemKind::TargetsDoNotSumToOne {
                        sum_per_mille: (sum * 1000.0).round() as i64,
                    },
                );
            }
        }
        let quiet = &self.contact_policy.quiet_hours;
        for (field, value) in [("from", &quiet.from), ("to", &quiet.to)] {
            if parse_hhmm(value).is_none() {
                push(
                    format!("$.contact_policy.quiet_hours.{field}"),
                    PanelProblemKind::BadTime {
                        value: value.clone(),
                    },
                );
            }
        }
        if self.reporting.min_cell_size == 0 {
            push(
                "$.reporting.min_cell_size".to_owned(),
                PanelProblemKind::MinCellSizeZero,
            );
        }
        problems
    }
}

/// Minutes after midnight for a `HH:MM` time.
pub fn parse_hhmm(value: &str) -> Option<u32> {
    let (h, m) = value.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = include_str!("../../panel-schemas/examples/panel.json");

    #[test]
    fn reference_panel_parses_without_problems() {
        let panel = PanelDefinition::from_json(EXAMPLE).expect("parses");
        assert_eq!(panel.id.as_str(), "ggz-panel");
        assert_eq!(panel.min_age, 18);
        assert_eq!(panel.background_variables.len(), 4);
        assert_eq!(panel.problems(), vec![]);
    }

    #[test]
    fn targets_must_match_categories_and_sum_to_one() {
        let mut panel = PanelDefinition::from_json(EXAMPLE).unwrap();
        let rol = panel.targets.get_mut("rol").unwrap();
        rol.insert(CategoryValue::parse("onbekend").unwrap(), 0.1);
        let problems = panel.problems();
        assert!(problems.iter().any(|p| p.path == "$.targets.rol.onbekend"
            && matches!(p.kind, PanelProblemKind::UnknownTargetCategory { .. })));
        assert!(problems.iter().any(|p| p.path == "$.targets.rol"
            && p.kind
                == PanelProblemKind::TargetsDoNotSumToOne {
                    sum_per_mille: 1100
                }));
    }

    #[test]
    fn unknown_fields_are_refused() {
        let text = EXAMPLE.replacen("\"name\"", "\"naam_typo\": 1, \"name\"", 1);
        let err = PanelDefinition::from_json(&text).unwrap_err();
        assert!(err.to_string().contains("naam_typo"), "{err}");
    }

    #[test]
    fn quiet_hours_need_hh_mm() {
        assert_eq!(parse_hhmm("21:00"), Some(21 * 60));
        assert_eq!(parse_hhmm("8:00"), None);
        assert_eq!(parse_hhmm("24:00"), None);
    }
}
