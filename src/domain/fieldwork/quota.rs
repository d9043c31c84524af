//! Quotas: per category of a chosen background variable, the least, the aimed-for and
//! the most members. Quotas are marginal (one variable each), as managers think of them:
//! "at least 40 naasten, at most 30% in the west".
//!
//! The same numbers serve twice: the sampler keeps the number *invited* per category
//! between `min` and `max` and aims at `target`; during fieldwork a category whose
//! *completes* reach `max` is full ([`stratum_full`]).
//!
//! Default quotas follow the panel's target distribution (`targets` in the panel file),
//! renormalised over the categories the survey's eligibility lets in. `target` is the
//! share of `n` rounded by largest remainder, so a variable's targets add up to `n`
//! exactly; `min` is 80% and `max` 120% of the exact share, rounded outward
//! (`min = ⌊0.8·s·n⌋`, `max = ⌈1.2·s·n⌉`). 20% either way keeps a small category (10% of
//! 200: 16 to 24) from stopping fieldwork over a member or two, while a category can
//! never end up more than a fifth away from its share; the sampler still aims at
//! `target`, so the slack is only used when members are scarce.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::Message;
use super::sample::{Background, Size};
use crate::domain::ids::{CategoryValue, VariableId};
use crate::domain::panel::PanelDefinition;
use crate::domain::questionnaire::Eligibility;

/// Bounds for one category of one background variable, in members.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quota {
    pub variable: VariableId,
    pub category: CategoryValue,
    pub min: u32,
    pub target: u32,
    pub max: u32,
}

/// Numbers per category of each variable, e.g. completes so far.
pub type Counts = BTreeMap<VariableId, BTreeMap<CategoryValue, u32>>;

/// Share of the exact number below which `min` and above which `max` lie.
const MIN_SHARE: f64 = 0.8;
const MAX_SHARE: f64 = 1.2;

/// What is wrong with a set of quotas, or why default quotas cannot be made.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum QuotaProblem {
    UnknownVariable {
        variable: String,
    },
    DuplicateVariable {
        variable: String,
    },
    NoTargets {
        variable: String,
    },
    UnknownCategory {
        variable: String,
        category: String,
    },
    Duplicate {
        variable: String,
        category: String,
    },
    MinAboveMax {
        variable: String,
        category: String,
        min: u32,
        max: u32,
    },
    TargetOutside {
        variable: String,
        category: String,
        min: u32,
        target: u32,
        max: u32,
    },
    MinsAboveSize {
        variable: String,
        total: u64,
        size: u32,
    },
    MaxesBelowSize {
        variable: String,
        total: u64,
        size: u32,
    },
    /// A quota with a minimum for a category the eligibility keeps out.
    NotEligibleCategory {
        variable: String,
        category: String,
        min: u32,
    },
    /// A category members can have without a quota: they are left out. A warning.
    CategoryWithoutQuota {
        variable: String,
        category: String,
    },
}

impl QuotaProblem {
    /// Warnings may stand; the others must be fixed before drawing.
    pub fn is_warning(&self) -> bool {
        matches!(self, QuotaProblem::CategoryWithoutQuota { .. })
    }
}

impl Message for QuotaProblem {
    fn key(&self) -> &'static str {
        match self {
            QuotaProblem::UnknownVariable { .. } => "fieldwork.quota.unknown_variable",
            QuotaProblem::DuplicateVariable { .. } => "fieldwork.quota.duplicate_variable",
            QuotaProblem::NoTargets { .. } => "fieldwork.quota.no_targets",
            QuotaProblem::UnknownCategory { .. } => "fieldwork.quota.unknown_category",
            QuotaProblem::Duplicate { .. } => "fieldwork.quota.duplicate",
            QuotaProblem::MinAboveMax { .. } => "fieldwork.quota.min_above_max",
            QuotaProblem::TargetOutside { .. } => "fieldwork.quota.target_outside",
            QuotaProblem::MinsAboveSize { .. } => "fieldwork.quota.mins_above_size",
            QuotaProblem::MaxesBelowSize { .. } => "fieldwork.quota.maxes_below_size",
            QuotaProblem::NotEligibleCategory { .. } => "fieldwork.quota.not_eligible_category",
            QuotaProblem::CategoryWithoutQuota { .. } => "fieldwork.quota.category_without_quota",
        }
    }

    fn args(&self) -> Vec<(&'static str, String)> {
        let s = |v: &String| v.clone();
        match self {
            QuotaProblem::UnknownVariable { variable }
            | QuotaProblem::DuplicateVariable { variable }
            | QuotaProblem::NoTargets { variable } => vec![("variable", s(variable))],
            QuotaProblem::UnknownCategory { variable, category }
            | QuotaProblem::Duplicate { variable, category }
            | QuotaProblem::CategoryWithoutQuota { variable, category } => {
                vec![("variable", s(variable)), ("category", s(category))]
            }
            QuotaProblem::MinAboveMax {
                variable,
                category,
                min,
                max,
            } => vec![
                ("variable", s(variable)),
                ("category", s(category)),
                ("min", min.to_string()),
                ("max", max.to_string()),
            ],
            QuotaProblem::TargetOutside {
                variable,
                category,
                min,
                target,
                max,
            } => vec![
                ("variable", s(variable)),
                ("category", s(category)),
                ("min", min.to_string()),
                ("target", target.to_string()),
                ("max", max.to_string()),
            ],
            QuotaProblem::MinsAboveSize {
                variable,
                total,
                size,
            }
            | QuotaProblem::MaxesBelowSize {
                variable,
                total,
                size,
            } => vec![
                ("variable", s(variable)),
                ("total", total.to_string()),
                ("size", size.to_string()),
            ],
            QuotaProblem::NotEligibleCategory {
                variable,
                category,
                min,
            } => vec![
                ("variable", s(variable)),
                ("category", s(category)),
                ("min", min.to_string()),
            ],
        }
    }
}

/// The categories of `variable` the eligibility lets in, in the panel's order.
fn admitted<'p>(
    panel: &'p PanelDefinition,
    eligibility: &Eligibility,
    variable: &VariableId,
) -> Option<Vec<&'p CategoryValue>> {
    let var = panel.variable(variable.as_str())?;
    let allowed = eligibility.get(variable);
    Some(
        var.categories
            .iter()
            .map(|c| &c.value)
            .filter(|value| allowed.is_none_or(|list| list.contains(value)))
            .collect(),
    )
}

/// Quotas for a sample of `n` from the panel's targets for `variables` (see the module
/// documentation for the rounding and the slack).
pub fn default_quotas(
    panel: &PanelDefinition,
    eligibility: &Eligibility,
    variables: &[VariableId],
    n: u32,
) -> Result<Vec<Quota>, QuotaProblem> {
    let mut quotas = Vec::new();
    let mut seen = BTreeSet::new();
    for variable in variables {
        let name = || variable.to_string();
        if !seen.insert(variable) {
            return Err(QuotaProblem::DuplicateVariable { variable: name() });
        }
        let categories = admitted(panel, eligibility, variable)
            .ok_or_else(|| QuotaProblem::UnknownVariable { variable: name() })?;
        let shares = panel.targets.get(variable);
        let weights: Vec<f64> = categories
            .iter()
            .map(|c| {
                shares
                    .and_then(|s| s.get(*c))
                    .copied()
                    .unwrap_or(0.0)
                    .max(0.0)
            })
            .collect();
        let total: f64 = weights.iter().sum();
        if !(total > 0.0 && total.is_finite()) {
            return Err(QuotaProblem::NoTargets { variable: name() });
        }
        // Exact numbers, to a millionth so 0.25 · 40 is 10 and not 10.000000000000002.
        let exact: Vec<f64> = weights
            .iter()
            .map(|w| (f64::from(n) * w / total * 1e6).round() / 1e6)
            .collect();
        for (category, (target, exact)) in categories
            .into_iter()
            .zip(largest_remainder(&exact, n).into_iter().zip(exact))
        {
            let min = ((exact * MIN_SHARE + 1e-9).floor() as u32).min(target);
            let max = ((exact * MAX_SHARE - 1e-9).ceil() as u32).max(target);
            quotas.push(Quota {
                variable: variable.clone(),
                category: category.clone(),
                min,
                target,
                max,
            });
        }
    }
    Ok(quotas)
}

/// Whole numbers that add up to `n`: each exact number rounded down, and the ones left
/// over to the largest remainders (the first category on a tie).
fn largest_remainder(exact: &[f64], n: u32) -> Vec<u32> {
    let mut whole: Vec<u32> = exact.iter().map(|e| e.floor() as u32).collect();
    let short = n.saturating_sub(whole.iter().sum());
    let mut order: Vec<usize> = (0..exact.len()).collect();
    order.sort_by(|&a, &b| {
        let rest = |i: usize| exact[i] - exact[i].floor();
        rest(b).total_cmp(&rest(a)).then(a.cmp(&b))
    });
    for &i in order.iter().cycle().take(short as usize) {
        whole[i] += 1;
    }
    whole
}

/// Everything wrong with `quotas` for a survey of `size` among the members `eligibility`
/// lets in. Empty: the quotas can be used.
pub fn check_quotas(
    panel: &PanelDefinition,
    eligibility: &Eligibility,
    quotas: &[Quota],
    size: Size,
) -> Vec<QuotaProblem> {
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    let mut per_variable: BTreeMap<&VariableId, Vec<&Quota>> = BTreeMap::new();
    for q in quotas {
        let (variable, category) = (q.variable.to_string(), q.category.to_string());
        let Some(var) = panel.variable(q.variable.as_str()) else {
            problems.push(QuotaProblem::UnknownVariable { variable });
            continue;
        };
        if !var.categories.iter().any(|c| c.value == q.category) {
            problems.push(QuotaProblem::UnknownCategory { variable, category });
            continue;
        }
        if !seen.insert((&q.variable, &q.category)) {
            problems.push(QuotaProblem::Duplicate { variable, category });
            continue;
        }
        if q.min > q.max {
            problems.push(QuotaProblem::MinAboveMax {
                variable,
                category,
                min: q.min,
                max: q.max,
            });
        } else if !(q.min..=q.max).contains(&q.target) {
            problems.push(QuotaProblem::TargetOutside {
                variable,
                category,
                min: q.min,
                target: q.target,
                max: q.max,
            });
        } else if q.min > 0
            && eligibility
                .get(&q.variable)
                .is_some_and(|list| !list.contains(&q.category))
        {
            problems.push(QuotaProblem::NotEligibleCategory {
                variable,
                category,
                min: q.min,
            });
        }
        per_variable.entry(&q.variable).or_default().push(q);
    }
    for (variable, list) in per_variable {
        let name = variable.to_string();
        if let Size::N(size) = size {
            let mins: u64 = list.iter().map(|q| u64::from(q.min)).sum();
            let maxes: u64 = list.iter().map(|q| u64::from(q.max)).sum();
            if mins > u64::from(size) {
                let total = mins;
                problems.push(QuotaProblem::MinsAboveSize {
                    variable: name.clone(),
                    total,
                    size,
                });
            }
            if maxes < u64::from(size) {
                let total = maxes;
                problems.push(QuotaProblem::MaxesBelowSize {
                    variable: name.clone(),
                    total,
                    size,
                });
            }
        }
        for category in admitted(panel, eligibility, variable).unwrap_or_default() {
            if !list.iter().any(|q| &q.category == category) {
                problems.push(QuotaProblem::CategoryWithoutQuota {
                    variable: name.clone(),
                    category: category.to_string(),
                });
            }
        }
    }
    problems
}

/// The quota that makes this member's stratum full: a category of theirs whose
/// completes have reached its maximum. Such a member gets a kind page instead of the
/// questionnaire. `None`: they may answer.
pub fn stratum_full<'q>(
    quotas: &'q [Quota],
    completes: &Counts,
    background: &Background,
) -> Option<&'q Quota> {
    quotas.iter().find(|q| {
        background.get(&q.variable) == Some(&q.category)
            && completes
                .get(&q.variable)
                .and_then(|per| per.get(&q.category))
                .copied()
                .unwrap_or(0)
                >= q.max
    })
}
