//! Raking against fixtures solved by hand, its error messages, and a property test.

use proptest::prelude::*;

use super::weight::{CodedUnits, Margin, RakeOptions, WeightError, rake, rake_coded};
use crate::demo::DEMO_PANEL;
use crate::domain::ids::VariableId;
use crate::domain::panel::PanelDefinition;

fn close(a: f64, b: f64, tolerance: f64) {
    assert!((a - b).abs() <= tolerance, "{a} is not {b}");
}

fn margin(variable: &str, targets: &[(&str, f64)]) -> Margin {
    Margin {
        variable: variable.to_owned(),
        targets: targets.iter().map(|(c, s)| ((*c).to_owned(), *s)).collect(),
    }
}

fn units(rows: &[(&str, &str, usize)]) -> Vec<Vec<String>> {
    rows.iter()
        .flat_map(|(a, b, n)| std::iter::repeat_n(vec![(*a).to_owned(), (*b).to_owned()], *n))
        .collect()
}

fn pure(max_iterations: usize) -> RakeOptions {
    RakeOptions {
        max_iterations,
        tolerance: 1e-12,
        trim: None,
    }
}

/// 8 respondents: man-young 3, man-old 1, woman-young 1, woman-old 3; targets sex
/// 50/50, age 25% young / 75% old, so totals man 4, woman 4, young 2, old 6.
fn two_by_two() -> (Vec<Vec<String>>, Vec<Margin>) {
    let units = units(&[
        ("man", "young", 3),
        ("man", "old", 1),
        ("woman", "young", 1),
        ("woman", "old", 3),
    ]);
    let margins = vec![
        margin("sex", &[("man", 0.5), ("woman", 0.5)]),
        margin("age", &[("young", 0.25), ("old", 0.75)]),
    ];
    (units, margins)
}

#[test]
fn a_two_by_two_table_rakes_to_its_closed_form() {
    // Raking keeps the odds ratio of the counts, 3·3 / (1·1) = 9. With x the weighted
    // total of man-young, the cells are x, 4 − x (man-old), 2 − x (woman-young) and
    // 2 + x (woman-old), so x(2 + x) = 9(4 − x)(2 − x), i.e. x² − 7x + 9 = 0 and
    // x = (7 − √13) / 2 = 1.6972244. Per respondent: man-young x/3 = 0.5657415,
    // man-old 4 − x = 2.3027756, woman-young 2 − x = 0.3027756, woman-old
    // (2 + x)/3 = 1.2324081.
    let x = (7.0 - 13f64.sqrt()) / 2.0;
    let expected = [x / 3.0, 4.0 - x, 2.0 - x, (2.0 + x) / 3.0];
    let (units, margins) = two_by_two();
    // Within the tolerance on shares, a weight is off by at most tolerance · n / n_k.
    for (options, precision) in [(pure(1000), 1e-10), (RakeOptions::default(), 1e-8)] {
        let weights = rake(&units, &margins, &options).unwrap();
        assert!(weights.converged);
        assert_eq!(weights.trimmed, 0, "all weights lie within 0.2..5");
        let firsts = [0, 3, 4, 5].map(|i| weights.values[i]);
        for (got, want) in firsts.iter().zip(expected) {
            close(*got, want, precision);
        }
        close(weights.values.iter().sum::<f64>(), 8.0, 1e-12);
        // Kish: Σw = 8, Σw² = x²/3 + (4 − x)² + (2 − x)² + (2 + x)²/3 = 8.2121212...,
        // deff = 8 · Σw² / 64.
        let squares = x * x / 3.0 + (4.0 - x).powi(2) + (2.0 - x).powi(2) + (2.0 + x).powi(2) / 3.0;
        close(weights.design_effect, squares / 8.0, 10.0 * precision);
        close(weights.effective_n, 64.0 / squares, 10.0 * precision);
        assert!(weights.max_gap <= options.tolerance);
        assert!(
            weights.iterations > 1,
            "an odds ratio of 9 takes several sweeps"
        );
    }
}

#[test]
fn coded_respondents_rake_as_named_ones() {
    // The two-by-two table with its categories as codes, in another order than the
    // targets: the same weights as by name.
    let (named, margins) = two_by_two();
    let by_name = rake(&named, &margins, &RakeOptions::default()).unwrap();
    let code = |names: &[&str], v: &str| names.iter().position(|n| *n == v).unwrap() as u32;
    let sexes = ["woman", "man"];
    let ages = ["old", "young"];
    let coded = CodedUnits {
        respondents: named.len(),
        codes: vec![
            named.iter().map(|u| code(&sexes, &u[0])).collect(),
            named.iter().map(|u| code(&ages, &u[1])).collect(),
        ],
        names: vec![sexes.to_vec(), ages.to_vec()],
    };
    let by_code = rake_coded(&coded, &margins, &RakeOptions::default()).unwrap();
    assert_eq!(by_code, by_name);
    // A code without a category is a category without a target, named "?".
    let mut unknown = coded.clone();
    unknown.codes[1][2] = 7;
    assert_eq!(
        rake_coded(&unknown, &margins, &RakeOptions::default()),
        Err(WeightError::UncoveredCategory {
            variable: "age".into(),
            category: "?".into(),
            respondents: 1
        })
    );
    // Codes for fewer respondents than said: refused, not read out of range.
    let mut short = coded;
    short.codes[0].pop();
    assert!(matches!(
        rake_coded(&short, &margins, &RakeOptions::default()),
        Err(WeightError::WrongLength { .. })
    ));
}

#[test]
fn targets_are_normalised_and_one_margin_takes_one_sweep() {
    // One margin: weight = target share · n / n_k. 10 respondents, 4 in a, 6 in b,
    // targets 3 : 1 → a: 0.75 · 10 / 4 = 1.875, b: 0.25 · 10 / 6 = 0.4166667.
    let units: Vec<Vec<String>> = (0..10)
        .map(|i| vec![if i < 4 { "a" } else { "b" }.to_owned()])
        .collect();
    let weights = rake(
        &units,
        &[margin("v", &[("a", 3.0), ("b", 1.0)])],
        &pure(100),
    )
    .unwrap();
    assert_eq!(weights.iterations, 1);
    close(weights.values[0], 1.875, 1e-15);
    close(weights.values[9], 2.5 / 6.0, 1e-15);
    // deff = 10 · (4 · 1.875² + 6 · (5/12)²) / 100 = (14.0625 + 1.0416667) / 10.
    close(weights.design_effect, 1.510_416_666_666_666_7, 1e-12);
}

#[test]
fn trimming_caps_weights_and_says_when_the_targets_cannot_be_met() {
    // One margin, 9 respondents in a and 1 in b, targets 50/50: raking gives a 5/9 and
    // b 5. Capping at 3 with mean 1: 9·s·5/9 + 3 = 10 → s = 1.4, a = 7/9, b = 3. Raking
    // puts b back at 5, so the rounds never settle; the capped weights are returned
    // with b's share 3/10 against 0.5: a gap of 0.2. deff = 10 · (9·49/81 + 9) / 100 = 13/9.
    let units: Vec<Vec<String>> = (0..10)
        .map(|i| vec![if i < 9 { "a" } else { "b" }.to_owned()])
        .collect();
    let options = RakeOptions {
        max_iterations: 10,
        tolerance: 1e-12,
        trim: Some((0.2, 3.0)),
    };
    let weights = rake(&units, &[margin("v", &[("a", 0.5), ("b", 0.5)])], &options).unwrap();
    assert!(!weights.converged);
    assert_eq!(weights.iterations, 10);
    assert_eq!(weights.trimmed, 1);
    close(weights.values[0], 7.0 / 9.0, 1e-12);
    close(weights.values[9], 3.0, 1e-12);
    close(weights.max_gap, 0.2, 1e-12);
    close(weights.design_effect, 13.0 / 9.0, 1e-12);
    let refused = weights.require_converged().unwrap_err();
    assert!(matches!(
        refused,
        WeightError::NotConverged { iterations: 10, .. }
    ));
    assert_eq!(refused.i18n_key(), "weights.error.not_converged");
}

#[test]
fn trimming_rerakes_until_both_bounds_and_targets_hold() {
    // The 2×2 fixture untrimmed has man-old at 2.30. Cells man-young a, man-old
    // 4 − 3a, woman-young 2 − 3a, woman-old (2 + 3a)/3 meet the targets for every a;
    // man-old ≤ 2.25 needs a ≥ 7/12 and woman-young ≥ 0.2 needs a ≤ 0.6.
    let (units, margins) = two_by_two();
    let options = RakeOptions {
        trim: Some((0.2, 2.25)),
        ..RakeOptions::default()
    };
    let weights = rake(&units, &margins, &options).unwrap();
    assert!(weights.converged, "{weights:?}");
    assert!(weights.max_gap <= 1e-10);
    assert_eq!(weights.trimmed, 1, "only man-old is capped");
    let a = weights.values[0];
    assert!((7.0 / 12.0 - 1e-6..=0.6 + 1e-6).contains(&a), "{a}");
    close(weights.values[3], 4.0 - 3.0 * a, 1e-9);
    close(weights.values[4], 2.0 - 3.0 * a, 1e-9);
    assert!(
        weights
            .values
            .iter()
            .all(|w| (0.2 - 1e-8..=2.25 + 1e-8).contains(w))
    );
}

#[test]
fn impossible_targets_stop_at_the_limit_without_nan() {
    // All men are young and all women old, but the targets want 50% men and 25% young.
    // Every sweep ends on age, which puts the young (the men) at 0.25 · 4 = 1 of 4: the
    // share of men is 0.25 against its target 0.5, a gap of 0.25.
    let units = units(&[("man", "young", 2), ("woman", "old", 2)]);
    let margins = vec![
        margin("sex", &[("man", 0.5), ("woman", 0.5)]),
        margin("age", &[("young", 0.25), ("old", 0.75)]),
    ];
    let weights = rake(&units, &margins, &pure(50)).unwrap();
    assert!(!weights.converged);
    assert_eq!(weights.iterations, 50);
    close(weights.max_gap, 0.25, 1e-12);
    assert!(weights.values.iter().all(|w| w.is_finite() && *w > 0.0));
    assert!(weights.design_effect.is_finite() && weights.effective_n.is_finite());
}

#[test]
fn bad_input_is_refused_with_a_reason() {
    let (units, margins) = two_by_two();
    let options = RakeOptions::default();
    let err =
        |units: &[Vec<String>], margins: &[Margin]| rake(units, margins, &options).unwrap_err();

    assert_eq!(err(&[], &margins), WeightError::NoRespondents);
    let with_empty = vec![
        margins[0].clone(),
        margin("age", &[("young", 0.2), ("middle", 0.3), ("old", 0.5)]),
    ];
    let empty = err(&units, &with_empty);
    assert_eq!(
        empty,
        WeightError::EmptyCategory {
            variable: "age".into(),
            category: "middle".into()
        }
    );
    assert_eq!(empty.i18n_key(), "weights.error.empty_category");
    // A category whose target is 0 has no target: its respondents cannot be weighted.
    let zero = vec![
        margins[0].clone(),
        margin("age", &[("young", 0.0), ("old", 1.0)]),
    ];
    assert_eq!(
        err(&units, &zero),
        WeightError::UncoveredCategory {
            variable: "age".into(),
            category: "young".into(),
            respondents: 4
        }
    );
    // A zero target without respondents is fine.
    let unused = vec![
        margins[0].clone(),
        margin("age", &[("young", 0.25), ("old", 0.75), ("unknown", 0.0)]),
    ];
    assert!(rake(&units, &unused, &options).is_ok());
    for targets in [
        vec![("man", -0.5), ("woman", 1.5)],
        vec![("man", f64::NAN), ("woman", 0.5)],
        vec![("man", 0.0), ("woman", 0.0)],
        vec![("man", 0.5), ("man", 0.5)],
    ] {
        let bad = vec![margin("sex", &targets), margins[1].clone()];
        assert_eq!(
            err(&units, &bad),
            WeightError::InvalidTargets {
                variable: "sex".into()
            }
        );
    }
    assert!(matches!(
        err(&[vec!["man".to_owned()]], &margins),
        WeightError::WrongLength {
            respondent: 0,
            expected: 2,
            found: 1
        }
    ));
    let trim = RakeOptions {
        trim: Some((1.5, 5.0)),
        ..options
    };
    assert!(matches!(
        rake(&units, &margins, &trim),
        Err(WeightError::InvalidTrim { .. })
    ));
}

#[test]
fn margins_come_from_the_panel_targets() {
    let panel = PanelDefinition::from_json(DEMO_PANEL).unwrap();
    let rol = VariableId::parse("rol").unwrap();
    let margins = Margin::from_panel(&panel, &[rol]).unwrap();
    assert_eq!(margins[0].variable, "rol");
    assert_eq!(
        margins[0].targets,
        vec![("ervaring".to_owned(), 0.75), ("naaste".to_owned(), 0.25)]
    );
    let missing = VariableId::parse("schoenmaat").unwrap();
    assert_eq!(
        Margin::from_panel(&panel, &[missing]).unwrap_err(),
        WeightError::NoTargets {
            variable: "schoenmaat".into()
        }
    );
}

proptest! {
    #![proptest_config(crate::proptest_config(64))]

    /// With every combination of categories present raking always has a solution: it
    /// converges to positive weights with mean 1 that meet every target.
    #[test]
    fn raking_meets_every_target_when_all_cells_are_filled(
        cells in proptest::collection::vec(1usize..20, 6),
        first in proptest::collection::vec(0.05f64..1.0, 2),
        second in proptest::collection::vec(0.05f64..1.0, 3),
    ) {
        let mut units = Vec::new();
        for (i, n) in cells.iter().enumerate() {
            for _ in 0..*n {
                units.push(vec![format!("a{}", i / 3), format!("b{}", i % 3)]);
            }
        }
        let margins = vec![
            Margin { variable: "a".into(), targets: first.iter().enumerate().map(|(k, s)| (format!("a{k}"), *s)).collect() },
            Margin { variable: "b".into(), targets: second.iter().enumerate().map(|(k, s)| (format!("b{k}"), *s)).collect() },
        ];
        let weights = rake(&units, &margins, &pure(10_000)).unwrap();
        prop_assert!(weights.converged);
        prop_assert!(weights.values.iter().all(|w| w.is_finite() && *w > 0.0));
        let n = units.len() as f64;
        prop_assert!((weights.values.iter().sum::<f64>() - n).abs() < 1e-9 * n);
        let total: f64 = first.iter().sum();
        for (k, share) in first.iter().enumerate() {
            let got: f64 = units.iter().zip(&weights.values)
                .filter(|(u, _)| u[0] == format!("a{k}")).map(|(_, w)| w).sum();
            prop_assert!((got / n - share / total).abs() < 1e-9);
        }
        prop_assert!(weights.design_effect >= 1.0 - 1e-12);
    }
}
