//! What a draw reports: the sample, per quota category what was needed, there and
//! picked, the shortfalls, and how many members were left out and why.

use serde::Serialize;

use super::Message;
use crate::domain::ids::{CategoryValue, VariableId};

/// The sample and how it came about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SampleOutcome {
    /// Member ids, ascending.
    pub picked: Vec<i64>,
    /// One line per quota, in the quotas' order.
    pub per_category: Vec<CategoryReport>,
    /// Categories that stayed below their minimum.
    pub shortfalls: Vec<Shortfall>,
    /// Set when fewer members were picked than asked for.
    pub size_shortfall: Option<SizeShortfall>,
    pub left_out: LeftOut,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CategoryReport {
    pub variable: VariableId,
    pub category: CategoryValue,
    pub quota_min: u32,
    pub quota_target: u32,
    pub quota_max: u32,
    /// Eligible members in this category.
    pub eligible: u32,
    /// Of those, the ones who could be picked.
    pub available: u32,
    pub picked: u32,
}

/// A category below its minimum: "nodig 40, beschikbaar 12".
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Shortfall {
    pub variable: VariableId,
    pub category: CategoryValue,
    pub needed: u32,
    pub available: u32,
    pub picked: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct SizeShortfall {
    pub requested: u32,
    /// Members who could be picked at all.
    pub available: u32,
    pub picked: u32,
}

/// How many members were not picked, by the first reason that applies.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LeftOut {
    /// They do not meet the eligibility.
    pub not_eligible: u32,
    /// The contact policy or their own wishes allow no invitation during fieldwork.
    pub policy: u32,
    /// They did not answer a quota variable, or their answer has no quota.
    pub outside_quotas: u32,
    /// They could be picked, but the maximums were reached before the sample was full.
    pub quota_full: u32,
}

/// Why members were not picked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LeftOutReason {
    NotEligible,
    Policy,
    OutsideQuotas,
    QuotaFull,
}

/// One reason members were left out, with how many.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct LeftOutLine {
    pub reason: LeftOutReason,
    pub count: u32,
}

impl LeftOut {
    /// The reasons that apply, for the manager's report.
    pub fn lines(&self) -> Vec<LeftOutLine> {
        [
            (LeftOutReason::NotEligible, self.not_eligible),
            (LeftOutReason::Policy, self.policy),
            (LeftOutReason::OutsideQuotas, self.outside_quotas),
            (LeftOutReason::QuotaFull, self.quota_full),
        ]
        .into_iter()
        .filter(|(_, count)| *count > 0)
        .map(|(reason, count)| LeftOutLine { reason, count })
        .collect()
    }
}

impl Message for LeftOutLine {
    fn key(&self) -> &'static str {
        match self.reason {
            LeftOutReason::NotEligible => "fieldwork.left_out.not_eligible",
            LeftOutReason::Policy => "fieldwork.left_out.policy",
            LeftOutReason::OutsideQuotas => "fieldwork.left_out.outside_quotas",
            LeftOutReason::QuotaFull => "fieldwork.left_out.quota_full",
        }
    }

    fn args(&self) -> Vec<(&'static str, String)> {
        vec![("count", self.count.to_string())]
    }
}

impl Message for Shortfall {
    fn key(&self) -> &'static str {
        if self.available < self.needed {
            "fieldwork.sample.shortfall"
        } else {
            "fieldwork.sample.shortfall_other_quotas"
        }
    }

    fn args(&self) -> Vec<(&'static str, String)> {
        vec![
            ("variable", self.variable.to_string()),
            ("category", self.category.to_string()),
            ("needed", self.needed.to_string()),
            ("available", self.available.to_string()),
            ("picked", self.picked.to_string()),
        ]
    }
}

impl Message for SizeShortfall {
    fn key(&self) -> &'static str {
        if self.available < self.requested {
            "fieldwork.sample.too_few_members"
        } else {
            "fieldwork.sample.maximums_reached"
        }
    }

    fn args(&self) -> Vec<(&'static str, String)> {
        vec![
            ("requested", self.requested.to_string()),
            ("available", self.available.to_string()),
            ("picked", self.picked.to_string()),
        ]
    }
}
