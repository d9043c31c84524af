//! The panel's composition against its target distribution: per background variable and
//! category the count, the share, the target share and the gap.
//!
//! The share of a category is taken over the members who answered that variable, because
//! targets add up to 100% over the categories; members who did not answer are counted
//! apart as "unknown".

use std::collections::BTreeMap;

use serde::Serialize;

use super::panel::PanelDefinition;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CategoryRow {
    pub value: String,
    pub label: String,
    pub count: u64,
    /// Share of those who answered, in percent.
    pub percent: f64,
    pub target_percent: Option<f64>,
    /// `percent - target_percent`, in percentage points.
    pub gap_points: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VariableComposition {
    pub variable: String,
    pub question: String,
    pub answered: u64,
    pub unknown: u64,
    pub categories: Vec<CategoryRow>,
}

/// `counts` maps (variable, category) to the number of members; `members` is the number
/// of members counted.
pub fn composition(
    panel: &PanelDefinition,
    counts: &BTreeMap<(String, String), u64>,
    members: u64,
) -> Vec<VariableComposition> {
    panel
        .background_variables
        .iter()
        .map(|var| {
            let count_of = |value: &str| {
                counts
                    .get(&(var.id.to_string(), value.to_owned()))
                    .copied()
                    .unwrap_or(0)
            };
            let answered: u64 = var
                .categories
                .iter()
                .map(|c| count_of(c.value.as_str()))
                .sum();
            let targets = panel.targets.get(var.id.as_str());
            let categories = var
                .categories
                .iter()
                .map(|cat| {
                    let count = count_of(cat.value.as_str());
                    let percent = percent(count, answered);
                    let target_percent = targets
                        .and_then(|t| t.get(cat.value.as_str()))
                        .map(|share| round1(share * 100.0));
                    CategoryRow {
                        value: cat.value.to_string(),
                        label: cat.label.clone(),
                        count,
                        percent,
                        target_percent,
                        gap_points: target_percent.map(|t| round1(percent - t)),
                    }
                })
                .collect();
            VariableComposition {
                variable: var.id.to_string(),
                question: var.question.clone(),
                answered,
                unknown: members.saturating_sub(answered),
                categories,
            }
        })
        .collect()
}

fn percent(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        round1(part as f64 * 100.0 / whole as f64)
    }
}

fn round1(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_computed_fixture() {
        let panel =
            PanelDefinition::from_json(include_str!("../../panel-schemas/examples/panel.json"))
                .unwrap();
        let counts: BTreeMap<(String, String), u64> = [
            (("rol".into(), "ervaring".into()), 6),
            (("rol".into(), "naaste".into()), 2),
        ]
        .into();
        let result = composition(&panel, &counts, 10);
        let rol = &result[0];
        assert_eq!(rol.variable, "rol");
        assert_eq!((rol.answered, rol.unknown), (8, 2));
        // 6 of 8 = 75.0% against a 75% target; 2 of 8 = 25.0% against 25%.
        assert_eq!(rol.categories[0].percent, 75.0);
        assert_eq!(rol.categories[0].gap_points, Some(0.0));
        assert_eq!(rol.categories[1].count, 2);
        let leeftijd = &result[1];
        assert_eq!((leeftijd.answered, leeftijd.unknown), (0, 10));
        assert_eq!(leeftijd.categories[0].percent, 0.0);
        assert_eq!(leeftijd.categories[0].gap_points, Some(-30.0));
    }
}
