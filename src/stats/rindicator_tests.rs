//! The R-indicator against fixtures where the fitted propensities are the observed
//! response rates of cells, so every figure can be worked out by hand.

use super::rindicator::{RIndicatorError, r_indicator};

fn close(a: f64, b: f64, tolerance: f64) {
    assert!((a - b).abs() <= tolerance, "{a} is not {b}");
}

/// Members per `(categories, invited, responded)` row.
fn sample(rows: &[(&[&str], usize, usize)]) -> (Vec<Vec<String>>, Vec<bool>) {
    let mut units = Vec::new();
    let mut responded = Vec::new();
    for (categories, invited, yes) in rows {
        for i in 0..*invited {
            units.push(categories.iter().map(|c| (*c).to_owned()).collect());
            responded.push(i < *yes);
        }
    }
    (units, responded)
}

fn names(variables: &[&str]) -> Vec<String> {
    variables.iter().map(|v| (*v).to_owned()).collect()
}

#[test]
fn one_variable_propensities_are_the_response_rates() {
    // a: 3 of 6 respond (0.5), b: 1 of 4 (0.25). ρ̄ = 4/10 = 0.4.
    // S² = (6·0.1² + 4·0.15²) / 9 = (0.06 + 0.09) / 9 = 1/60, S = 0.1290994,
    // R = 1 − 2S = 0.7418011.
    // Pu(X)² = 0.6·0.01 + 0.4·0.0225 = 0.015, Pu(X) = 0.1224745;
    // Pu(X, a) = √0.6 · 0.1 = 0.0774597, Pu(X, b) = √0.4 · (−0.15) = −0.0948683.
    let (units, responded) = sample(&[(&["a"], 6, 3), (&["b"], 4, 1)]);
    let r = r_indicator(&names(&["group"]), &units, &responded).unwrap();
    assert!(r.converged);
    assert_eq!((r.n, r.respondents), (10, 4));
    close(r.propensities[0], 0.5, 1e-10);
    close(r.propensities[9], 0.25, 1e-10);
    close(r.mean_propensity, 0.4, 1e-10);
    close(r.sd, (1.0f64 / 60.0).sqrt(), 1e-10);
    close(r.r, 0.741_801_1, 1e-7);
    close(r.cv.unwrap(), (1.0f64 / 60.0).sqrt() / 0.4, 1e-9);
    let group = &r.variables[0];
    close(group.unconditional, 0.015f64.sqrt(), 1e-10);
    let [a, b] = [&group.categories[0], &group.categories[1]];
    assert_eq!((a.category.as_str(), a.n, a.respondents), ("a", 6, 3));
    close(a.mean_propensity, 0.5, 1e-10);
    close(a.unconditional, 0.077_459_7, 1e-7);
    close(b.unconditional, -0.094_868_3, 1e-7);
}

#[test]
fn two_variables_with_additive_logits_are_fitted_exactly() {
    // Cells of 10 with rates a-x 0.5, a-y 0.2, b-x 0.8, b-y 0.5: logits 0, −ln 4, ln 4,
    // 0 are additive (a→b adds ln 4, x→y subtracts ln 4), so the main-effects model
    // reproduces the cell rates. ρ̄ = 20/40 = 0.5; S² = 10·(0 + 0.09 + 0.09 + 0) / 39,
    // S = 0.2148345, R = 0.5703311. Per variable the categories average 0.35 and 0.65:
    // Pu = sqrt(0.5·0.15² · 2) = 0.15, Pu(k) = ±√0.5 · 0.15 = ±0.1060660.
    let (units, responded) = sample(&[
        (&["a", "x"], 10, 5),
        (&["a", "y"], 10, 2),
        (&["b", "x"], 10, 8),
        (&["b", "y"], 10, 5),
    ]);
    let r = r_indicator(&names(&["group", "place"]), &units, &responded).unwrap();
    assert!(r.converged);
    for (i, rate) in [(0, 0.5), (10, 0.2), (20, 0.8), (30, 0.5)] {
        close(r.propensities[i], rate, 1e-9);
    }
    close(r.sd, (1.8f64 / 39.0).sqrt(), 1e-9);
    close(r.r, 0.570_331_1, 1e-7);
    for (variable, under) in r.variables.iter().zip(["a", "y"]) {
        close(variable.unconditional, 0.15, 1e-9);
        let low = variable
            .categories
            .iter()
            .find(|c| c.category == under)
            .unwrap();
        close(low.mean_propensity, 0.35, 1e-9);
        close(low.unconditional, -0.106_066_0, 1e-7);
    }
}

#[test]
fn category_means_equal_response_rates_when_the_model_is_not_exact() {
    // Interaction in the data (a-y responds far more than additive logits predict): the
    // fit is no longer the cell rates, but each category's mean propensity is its
    // response rate, and the mean propensity the overall rate.
    let (units, responded) = sample(&[
        (&["a", "x"], 7, 1),
        (&["a", "y"], 5, 4),
        (&["b", "x"], 9, 3),
        (&["b", "y"], 11, 2),
    ]);
    let r = r_indicator(&names(&["group", "place"]), &units, &responded).unwrap();
    assert!(r.converged);
    close(r.mean_propensity, 10.0 / 32.0, 1e-10);
    for variable in &r.variables {
        for c in &variable.categories {
            close(c.mean_propensity, c.respondents as f64 / c.n as f64, 1e-9);
        }
    }
    assert!(r.propensities.iter().all(|p| *p > 0.0 && *p < 1.0));
    assert!((0.0..=1.0).contains(&r.r));
}

#[test]
fn separation_stays_finite() {
    // a: 4 of 4 respond, b: 0 of 4. Propensities 1 and 0, ρ̄ = 0.5,
    // S = sqrt(8 · 0.25 / 7) = 0.5345225, R = 1 − 1.0690450 = −0.0690450.
    let (units, responded) = sample(&[(&["a"], 4, 4), (&["b"], 4, 0)]);
    let r = r_indicator(&names(&["group"]), &units, &responded).unwrap();
    assert!(
        r.converged,
        "the deviance settles while the coefficient runs off"
    );
    assert!(r.iterations < 100);
    close(r.propensities[0], 1.0, 1e-9);
    close(r.propensities[7], 0.0, 1e-9);
    close(r.r, -0.069_045_0, 1e-7);
    close(r.variables[0].unconditional, 0.5, 1e-9);
    // A category where no one responded inside a larger model.
    let (units, responded) = sample(&[
        (&["a", "x"], 5, 0),
        (&["a", "y"], 5, 0),
        (&["b", "x"], 5, 3),
        (&["b", "y"], 5, 1),
    ]);
    let r = r_indicator(&names(&["group", "place"]), &units, &responded).unwrap();
    assert!(
        r.propensities
            .iter()
            .all(|p| p.is_finite() && (0.0..=1.0).contains(p))
    );
    assert!(r.r.is_finite() && r.sd.is_finite());
    close(r.variables[0].categories[0].mean_propensity, 0.0, 1e-9);
    close(r.variables[1].categories[0].mean_propensity, 0.3, 1e-6);
}

#[test]
fn everyone_or_no_one_responding_is_representative() {
    for yes in [0, 6] {
        let (units, responded) = sample(&[(&["a"], 3, yes / 2), (&["b"], 3, yes / 2)]);
        let r = r_indicator(&names(&["group"]), &units, &responded).unwrap();
        close(r.sd, 0.0, 1e-9);
        close(r.r, 1.0, 1e-9);
        assert_eq!(r.cv.is_none(), yes == 0);
    }
}

#[test]
fn a_variable_given_twice_changes_nothing() {
    // The second copy's dummy is aliased with the first: the solver drops it.
    let (once, responded) = sample(&[(&["a"], 6, 3), (&["b"], 4, 1)]);
    let twice: Vec<Vec<String>> = once
        .iter()
        .map(|u| vec![u[0].clone(), u[0].clone()])
        .collect();
    let r = r_indicator(&names(&["group", "copy"]), &twice, &responded).unwrap();
    close(r.r, 0.741_801_1, 1e-7);
    close(r.variables[1].unconditional, 0.015f64.sqrt(), 1e-9);
    // No variables at all: everyone gets the response rate.
    let r = r_indicator(&[], &vec![vec![]; 10], &responded).unwrap();
    close(r.r, 1.0, 1e-12);
    close(r.mean_propensity, 0.4, 1e-10);
}

#[test]
fn bad_input_is_refused() {
    let one = vec![vec!["a".to_owned()]];
    assert_eq!(
        r_indicator(&names(&["g"]), &one, &[true]),
        Err(RIndicatorError::TooFewMembers)
    );
    assert_eq!(
        r_indicator(&names(&["g"]), &one, &[true, false]),
        Err(RIndicatorError::LengthMismatch {
            units: 1,
            responded: 2
        })
    );
    let short = vec![vec!["a".to_owned()], vec![]];
    assert_eq!(
        r_indicator(&names(&["g"]), &short, &[true, false]),
        Err(RIndicatorError::WrongLength {
            member: 1,
            expected: 1,
            found: 0
        })
    );
}
