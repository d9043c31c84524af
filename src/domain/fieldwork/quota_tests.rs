//! Default quotas for the reference panel, quota checks and full strata.

use proptest::prelude::*;

use super::Message;
use super::quota::*;
use super::sample::{Background, Size};
use super::test_support::{cat, quota, var};
use crate::domain::ids::VariableId;
use crate::domain::panel::PanelDefinition;
use crate::domain::questionnaire::Eligibility;
use crate::i18n::Lang;

fn panel() -> PanelDefinition {
    PanelDefinition::from_json(include_str!("../../../panel-schemas/examples/panel.json")).unwrap()
}

/// (category, min, target, max) per quota.
fn table(quotas: &[Quota]) -> Vec<(&str, u32, u32, u32)> {
    quotas
        .iter()
        .map(|q| (q.category.as_str(), q.min, q.target, q.max))
        .collect()
}

#[test]
fn defaults_for_the_reference_panel() {
    let p = panel();
    let none = Eligibility::new();
    let quotas = default_quotas(&p, &none, &[var("rol"), var("regio")], 1000).unwrap();
    assert_eq!(
        table(&quotas),
        [
            ("ervaring", 600, 750, 900),
            ("naaste", 200, 250, 300),
            ("noord", 80, 100, 120),
            ("oost", 176, 220, 264),
            ("west", 376, 470, 564),
            ("zuid", 168, 210, 252),
        ]
    );
    assert!(quotas[..2].iter().all(|q| q.variable.as_str() == "rol"));
    // 37 members over the regions: 3.7, 8.14, 17.39, 7.77. Rounded down that is 35;
    // the two left go to the largest remainders, zuid (.77) and noord (.7).
    let quotas = default_quotas(&p, &none, &[var("regio")], 37).unwrap();
    assert_eq!(
        table(&quotas),
        [
            ("noord", 2, 4, 5),
            ("oost", 6, 8, 10),
            ("west", 13, 17, 21),
            ("zuid", 6, 8, 10),
        ]
    );
    assert_eq!(check_quotas(&p, &none, &quotas, Size::N(37)), vec![]);
}

#[test]
fn defaults_follow_the_eligibility() {
    let p = panel();
    let eligibility: Eligibility =
        [(var("situatie"), vec![cat("uitkering"), cat("dagbesteding")])].into();
    // 0.30 and 0.15 become two thirds and one third.
    let quotas = default_quotas(&p, &eligibility, &[var("situatie")], 90).unwrap();
    assert_eq!(
        table(&quotas),
        [("uitkering", 48, 60, 72), ("dagbesteding", 24, 30, 36)]
    );
    assert_eq!(check_quotas(&p, &eligibility, &quotas, Size::N(90)), vec![]);
}

#[test]
fn defaults_need_known_variables_with_targets() {
    let mut p = panel();
    let none = Eligibility::new();
    assert_eq!(
        default_quotas(&p, &none, &[var("postcode")], 10),
        Err(QuotaProblem::UnknownVariable {
            variable: "postcode".into()
        })
    );
    assert_eq!(
        default_quotas(&p, &none, &[var("rol"), var("rol")], 10),
        Err(QuotaProblem::DuplicateVariable {
            variable: "rol".into()
        })
    );
    p.targets.remove("rol");
    let err = default_quotas(&p, &none, &[var("rol")], 10).unwrap_err();
    assert_eq!(
        err,
        QuotaProblem::NoTargets {
            variable: "rol".into()
        }
    );
    assert_eq!(
        err.message(Lang::Nl),
        "Bij \"rol\" staat geen streefverdeling in het panel. Vul de quota zelf in."
    );
}

#[test]
fn every_quota_mistake_is_reported() {
    let p = panel();
    let eligibility: Eligibility = [(var("rol"), vec![cat("ervaring")])].into();
    let quotas = [
        quota("postcode", "1234", 0, 0, 1),
        quota("rol", "onbekend", 0, 0, 1),
        quota("rol", "ervaring", 5, 4, 3),
        quota("rol", "ervaring", 1, 1, 1),
        quota("rol", "naaste", 2, 2, 2),
        quota("regio", "noord", 1, 9, 5),
        quota("regio", "west", 20, 20, 20),
    ];
    let problems = check_quotas(&p, &eligibility, &quotas, Size::N(10));
    let codes: Vec<&str> = problems.iter().map(|p| p.key()).collect();
    assert_eq!(
        codes,
        [
            "fieldwork.quota.unknown_variable",
            "fieldwork.quota.unknown_category",
            "fieldwork.quota.min_above_max",
            "fieldwork.quota.duplicate",
            "fieldwork.quota.not_eligible_category",
            "fieldwork.quota.target_outside",
            "fieldwork.quota.mins_above_size",
            "fieldwork.quota.category_without_quota",
            "fieldwork.quota.category_without_quota",
            "fieldwork.quota.maxes_below_size",
        ]
    );
    assert_eq!(
        problems[6].message(Lang::Nl),
        "De minimums bij regio zijn samen 21. Dat is meer dan de 10 leden die u wilt uitnodigen."
    );
    assert!(problems[7].is_warning() && !problems[6].is_warning());
    // With all eligible members the size is no concern.
    let all = check_quotas(&p, &eligibility, &quotas, Size::All);
    assert!(all.iter().all(|p| !p.key().contains("size")));
}

#[test]
fn a_stratum_is_full_at_its_maximum() {
    let quotas = [
        quota("rol", "ervaring", 0, 3, 3),
        quota("rol", "naaste", 0, 2, 2),
    ];
    let background = |value: &str| -> Background { [(var("rol"), cat(value))].into() };
    let mut completes = Counts::new();
    completes
        .entry(var("rol"))
        .or_default()
        .insert(cat("ervaring"), 3);
    completes
        .entry(var("rol"))
        .or_default()
        .insert(cat("naaste"), 1);
    assert_eq!(
        stratum_full(&quotas, &completes, &background("ervaring")),
        Some(&quotas[0])
    );
    assert_eq!(
        stratum_full(&quotas, &completes, &background("naaste")),
        None
    );
    assert_eq!(stratum_full(&quotas, &completes, &Background::new()), None);
    completes.get_mut("rol").unwrap().insert(cat("naaste"), 2);
    assert_eq!(
        stratum_full(&quotas, &completes, &background("naaste")),
        Some(&quotas[1])
    );
    assert_eq!(
        stratum_full(&quotas, &Counts::new(), &background("naaste")),
        None
    );
}

proptest! {
    #![proptest_config(crate::proptest_config(256))]
    /// Default quotas: each variable's targets add up to n, every target lies within
    /// one member of its exact share, min ≤ target ≤ max, and the check finds nothing.
    #[test]
    fn default_quotas_add_up(
        n in 0u32..5000,
        pick in prop::sample::subsequence(vec!["rol", "leeftijd", "situatie", "regio"], 1..=4),
    ) {
        let p = panel();
        let none = Eligibility::new();
        let variables: Vec<VariableId> = pick.iter().map(|v| var(v)).collect();
        let quotas = default_quotas(&p, &none, &variables, n).unwrap();
        for v in &variables {
            let mine: Vec<&Quota> = quotas.iter().filter(|q| &q.variable == v).collect();
            prop_assert_eq!(mine.iter().map(|q| q.target).sum::<u32>(), n);
            for q in mine {
                let exact = p.targets[v][&q.category] * f64::from(n);
                prop_assert!((f64::from(q.target) - exact).abs() < 1.0);
                prop_assert!(q.min <= q.target && q.target <= q.max);
                prop_assert!(f64::from(q.min) <= exact * 0.8 + 1e-6);
                prop_assert!(f64::from(q.max) >= exact * 1.2 - 1e-6);
            }
        }
        prop_assert_eq!(check_quotas(&p, &none, &quotas, Size::N(n)), vec![]);
    }
}
