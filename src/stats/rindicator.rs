//! The R-indicator of representativeness (Schouten, Cobben & Bethlehem 2009; the RISQ
//! manual, de Heij, Schouten & Shlomo 2015): how much response propensities differ
//! between invited members, with partial indicators that show which groups are under- or
//! over-represented.
//!
//! Propensities ρ are estimated by logistic regression of response on the main effects
//! of the background variables (dummy coded, the first category in sorted order as
//! reference), fitted by iteratively reweighted least squares. `R = 1 − 2·S(ρ)`, with
//! `S` the standard deviation of the estimated propensities over the invited sample.
//! RISQ estimates `S² = 1/(N − 1) Σ d_i (ρ_i − ρ̄)²` with design weights `d_i` summing
//! to `N`; all members invited and no design weights (`d_i = 1`, `N = n`) make that the
//! sample variance with `n − 1`, which is what this module uses. Because of the
//! `n − 1`, R can dip just below 0 for tiny samples that split into all and nothing.
//!
//! Partial indicators (unconditional) per variable X with categories k:
//! `Pu(X) = sqrt(Σ_k n_k/n (ρ̄_k − ρ̄)²)`, and per category
//! `Pu(X, k) = sqrt(n_k/n) (ρ̄_k − ρ̄)`: negative when the category responds less than
//! average (under-represented), positive when more. For a variable in the model ρ̄_k
//! equals the category's response rate (the likelihood equations of its dummy).
//!
//! Separation (a category where everyone or no one responded) drives a coefficient
//! towards infinity: the iterations are bounded, stop when the deviance no longer
//! changes, and propensities stay within 0..1, so no NaN comes out.

use std::collections::BTreeMap;

/// Iterations of IRLS at most; separation converges in about 40.
const MAX_ITERATIONS: usize = 100;
/// Relative change in deviance below which the fit has converged (as R's `glm`, tighter).
const DEVIANCE_TOLERANCE: f64 = 1e-12;

/// The R-indicator of the members invited to a survey.
#[derive(Clone, Debug, PartialEq)]
pub struct RIndicator {
    /// Members invited (the sample).
    pub n: usize,
    pub respondents: usize,
    /// `1 − 2·S`: 1 when everyone is equally likely to respond.
    pub r: f64,
    /// `S`, the sample standard deviation of the propensities.
    pub sd: f64,
    /// The mean propensity, equal to the response rate.
    pub mean_propensity: f64,
    /// `S / ρ̄`, the coefficient of variation of the propensities; `None` when nobody
    /// responded.
    pub cv: Option<f64>,
    /// Each member's estimated propensity, in the order given.
    pub propensities: Vec<f64>,
    /// Partial indicators, per variable in the order given.
    pub variables: Vec<VariablePartial>,
    /// IRLS iterations, and whether the deviance settled within the limit.
    pub iterations: usize,
    pub converged: bool,
}

/// The unconditional partial indicator of one background variable.
#[derive(Clone, Debug, PartialEq)]
pub struct VariablePartial {
    pub variable: String,
    /// `Pu(X)`, 0 when every category responds alike.
    pub unconditional: f64,
    /// Per category, in sorted order.
    pub categories: Vec<CategoryPartial>,
}

/// The unconditional partial indicator of one category.
#[derive(Clone, Debug, PartialEq)]
pub struct CategoryPartial {
    pub category: String,
    /// Invited members in the category.
    pub n: usize,
    pub respondents: usize,
    /// ρ̄_k, the mean propensity in the category.
    pub mean_propensity: f64,
    /// `Pu(X, k)`: negative for an under-represented category.
    pub unconditional: f64,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RIndicatorError {
    #[error("the R-indicator needs at least two invited members")]
    TooFewMembers,
    #[error("{units} members but {responded} response flags")]
    LengthMismatch { units: usize, responded: usize },
    #[error("member {member} has {found} categories for {expected} variables")]
    WrongLength {
        member: usize,
        expected: usize,
        found: usize,
    },
}

/// The R-indicator of `units` (each invited member's category per variable, in the
/// order of `variables`) where `responded` tells who responded.
pub fn r_indicator(
    variables: &[String],
    units: &[Vec<String>],
    responded: &[bool],
) -> Result<RIndicator, RIndicatorError> {
    if units.len() != responded.len() {
        return Err(RIndicatorError::LengthMismatch {
            units: units.len(),
            responded: responded.len(),
        });
    }
    if units.len() < 2 {
        return Err(RIndicatorError::TooFewMembers);
    }
    if let Some((member, unit)) = units
        .iter()
        .enumerate()
        .find(|(_, u)| u.len() != variables.len())
    {
        return Err(RIndicatorError::WrongLength {
            member,
            expected: variables.len(),
            found: unit.len(),
        });
    }
    let design = Design::new(variables.len(), units);
    let y: Vec<f64> = responded.iter().map(|r| f64::from(u8::from(*r))).collect();
    let fit = design.fit(&y);

    let n = units.len() as f64;
    let rho = fit.propensities;
    let mean = rho.iter().sum::<f64>() / n;
    let sd = (rho.iter().map(|p| (p - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    let partials = variables
        .iter()
        .enumerate()
        .map(|(j, variable)| {
            partial(
                variable,
                &design.categories[j],
                &design.codes,
                j,
                &rho,
                responded,
                mean,
            )
        })
        .collect();
    let respondents = responded.iter().filter(|r| **r).count();
    Ok(RIndicator {
        n: units.len(),
        respondents,
        r: 1.0 - 2.0 * sd,
        sd,
        mean_propensity: mean,
        cv: (respondents > 0).then(|| sd / mean),
        propensities: rho,
        variables: partials,
        iterations: fit.iterations,
        converged: fit.converged,
    })
}

fn partial(
    variable: &str,
    categories: &[String],
    codes: &[Vec<usize>],
    j: usize,
    rho: &[f64],
    responded: &[bool],
    mean: f64,
) -> VariablePartial {
    let n = rho.len() as f64;
    let mut sums = vec![(0usize, 0usize, 0.0); categories.len()];
    for ((code, p), r) in codes.iter().zip(rho).zip(responded) {
        let cell = &mut sums[code[j]];
        cell.0 += 1;
        cell.1 += usize::from(*r);
        cell.2 += p;
    }
    let categories: Vec<CategoryPartial> = categories
        .iter()
        .zip(sums)
        .map(|(category, (count, respondents, total))| {
            let mean_k = total / count as f64;
            CategoryPartial {
                category: category.clone(),
                n: count,
                respondents,
                mean_propensity: mean_k,
                unconditional: (count as f64 / n).sqrt() * (mean_k - mean),
            }
        })
        .collect();
    let unconditional = categories
        .iter()
        .map(|c| c.unconditional * c.unconditional)
        .sum::<f64>()
        .sqrt();
    VariablePartial {
        variable: variable.to_owned(),
        unconditional,
        categories,
    }
}

/// The dummy-coded design: per member, the columns that are 1 (intercept first).
struct Design {
    /// Per variable, its categories in sorted order.
    categories: Vec<Vec<String>>,
    /// Per member, the category index per variable.
    codes: Vec<Vec<usize>>,
    /// Per member, the indices of the columns that are 1.
    active: Vec<Vec<usize>>,
    columns: usize,
}

struct Fit {
    propensities: Vec<f64>,
    iterations: usize,
    converged: bool,
}

impl Design {
    fn new(variables: usize, units: &[Vec<String>]) -> Design {
        let categories: Vec<Vec<String>> = (0..variables)
            .map(|j| {
                let seen: BTreeMap<&str, ()> = units.iter().map(|u| (u[j].as_str(), ())).collect();
                seen.into_keys().map(str::to_owned).collect()
            })
            .collect();
        // Column of category k > 0 of variable j; category 0 is the reference.
        let mut first = Vec::with_capacity(variables);
        let mut columns = 1;
        for cats in &categories {
            first.push(columns);
            columns += cats.len() - 1;
        }
        let mut codes = Vec::with_capacity(units.len());
        let mut active = Vec::with_capacity(units.len());
        for unit in units {
            let code: Vec<usize> = unit
                .iter()
                .zip(&categories)
                .map(|(value, cats)| cats.binary_search(value).unwrap_or(0))
                .collect();
            let mut cols = vec![0];
            cols.extend(
                code.iter()
                    .zip(&first)
                    .filter(|(k, _)| **k > 0)
                    .map(|(k, start)| start + k - 1),
            );
            codes.push(code);
            active.push(cols);
        }
        Design {
            categories,
            codes,
            active,
            columns,
        }
    }

    fn eta(&self, beta: &[f64]) -> Vec<f64> {
        self.active
            .iter()
            .map(|cols| cols.iter().map(|c| beta[*c]).sum())
            .collect()
    }

    /// Logistic regression by IRLS (Newton's method), with step halving when a step
    /// would raise the deviance.
    fn fit(&self, y: &[f64]) -> Fit {
        let n = y.len() as f64;
        let rate = (y.iter().sum::<f64>() / n).clamp(1e-6, 1.0 - 1e-6);
        let mut beta = vec![0.0; self.columns];
        beta[0] = (rate / (1.0 - rate)).ln();
        let mut current = deviance(&self.eta(&beta), y);
        let mut iterations = 0;
        let mut converged = false;
        while iterations < MAX_ITERATIONS {
            iterations += 1;
            let eta = self.eta(&beta);
            let p = self.columns;
            let mut hessian = vec![vec![0.0; p]; p];
            let mut gradient = vec![0.0; p];
            for ((cols, e), yi) in self.active.iter().zip(&eta).zip(y) {
                let mu = sigmoid(*e);
                let w = (mu * (1.0 - mu)).max(1e-300);
                for &a in cols {
                    gradient[a] += yi - mu;
                    for &b in cols {
                        hessian[a][b] += w;
                    }
                }
            }
            let step = solve(hessian, gradient);
            let mut scale = 1.0;
            let (next, next_deviance) = loop {
                let candidate: Vec<f64> =
                    beta.iter().zip(&step).map(|(b, s)| b + scale * s).collect();
                let d = deviance(&self.eta(&candidate), y);
                if d <= current * (1.0 + 1e-12) || scale < 1e-3 {
                    break (candidate, d);
                }
                scale *= 0.5;
            };
            let change = (current - next_deviance).abs() / (next_deviance.abs() + 0.1);
            beta = next;
            current = next_deviance;
            if change < DEVIANCE_TOLERANCE {
                converged = true;
                break;
            }
        }
        Fit {
            propensities: self.eta(&beta).into_iter().map(sigmoid).collect(),
            iterations,
            converged,
        }
    }
}

fn sigmoid(eta: f64) -> f64 {
    if eta >= 0.0 {
        1.0 / (1.0 + (-eta).exp())
    } else {
        let e = eta.exp();
        e / (1.0 + e)
    }
}

/// `ln(1 + eˣ)` without overflow.
fn softplus(x: f64) -> f64 {
    x.max(0.0) + (-x.abs()).exp().ln_1p()
}

/// −2 log-likelihood: `2 Σ [y·ln(1 + e^−η) + (1 − y)·ln(1 + e^η)]`.
fn deviance(eta: &[f64], y: &[f64]) -> f64 {
    2.0 * eta
        .iter()
        .zip(y)
        .map(|(e, yi)| yi * softplus(-e) + (1.0 - yi) * softplus(*e))
        .sum::<f64>()
}

/// Solves `A x = b` for a symmetric positive semi-definite `A` by Cholesky
/// decomposition. A column whose pivot vanishes is aliased with earlier ones (two
/// variables that coincide): its coefficient stays 0, as R's `glm` drops it.
fn solve(mut a: Vec<Vec<f64>>, b: Vec<f64>) -> Vec<f64> {
    let p = b.len();
    let mut kept = vec![true; p];
    for j in 0..p {
        let diagonal = a[j][j];
        let d = diagonal - (0..j).map(|k| a[j][k] * a[j][k]).sum::<f64>();
        // Also false for a NaN pivot.
        let independent = d > 1e-10 * diagonal && d > 0.0;
        if !independent {
            kept[j] = false;
            (0..j).for_each(|k| a[j][k] = 0.0);
            (j..p).for_each(|i| a[i][j] = 0.0);
            continue;
        }
        let l = d.sqrt();
        a[j][j] = l;
        for i in j + 1..p {
            let s = a[i][j] - (0..j).map(|k| a[i][k] * a[j][k]).sum::<f64>();
            a[i][j] = s / l;
        }
    }
    // Forward: L z = b, then back: Lᵀ x = z, skipping dropped columns.
    let mut z = vec![0.0; p];
    for i in 0..p {
        if kept[i] {
            z[i] = (b[i] - (0..i).map(|k| a[i][k] * z[k]).sum::<f64>()) / a[i][i];
        }
    }
    let mut x = vec![0.0; p];
    for i in (0..p).rev() {
        if kept[i] {
            x[i] = (z[i] - (i + 1..p).map(|k| a[k][i] * x[k]).sum::<f64>()) / a[i][i];
        }
    }
    x
}
