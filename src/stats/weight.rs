//! Weighting by raking (iterative proportional fitting): respondents get weights so that
//! the weighted shares of chosen background variables match the panel's targets.
//!
//! Each sweep scales the weights of every category of every margin in turn to its target
//! share; sweeps repeat until the largest gap between a weighted share and its target is
//! below the tolerance. Weights keep mean 1 (they add up to the number of respondents).
//! Trimming caps weights at bounds relative to that mean, re-rakes, and repeats until the
//! raked weights stay within the bounds. When that cannot be done within
//! `max_iterations` sweeps, `rake` still returns weights (within the bounds when
//! trimming) with `converged: false` and the gap left: the caller tells the reader so, or
//! calls `Weights::require_converged`. No NaN or infinity leaves this module.

use std::collections::HashMap;

use super::weighted::WeightSums;
use crate::domain::ids::VariableId;
use crate::domain::panel::PanelDefinition;

/// One background variable's target distribution: `(category, share)` pairs. Shares are
/// normalised to add up to 1; a category with share 0 counts as having no target.
#[derive(Clone, Debug, PartialEq)]
pub struct Margin {
    pub variable: String,
    pub targets: Vec<(String, f64)>,
}

impl Margin {
    /// The margins of the chosen variables from the panel's `targets`, in the order of
    /// `variables`.
    pub fn from_panel(
        panel: &PanelDefinition,
        variables: &[VariableId],
    ) -> Result<Vec<Margin>, WeightError> {
        variables
            .iter()
            .map(|variable| {
                let targets =
                    panel
                        .targets
                        .get(variable)
                        .ok_or_else(|| WeightError::NoTargets {
                            variable: variable.to_string(),
                        })?;
                Ok(Margin {
                    variable: variable.to_string(),
                    targets: targets
                        .iter()
                        .map(|(category, share)| (category.to_string(), *share))
                        .collect(),
                })
            })
            .collect()
    }
}

/// How raking stops and whether weights are trimmed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RakeOptions {
    /// Sweeps over all margins at most, trimming rounds included.
    pub max_iterations: usize,
    /// Raking has converged when no weighted share is further than this from its target
    /// (shares 0..1).
    pub tolerance: f64,
    /// Lowest and highest weight relative to the mean weight 1, or no trimming.
    pub trim: Option<(f64, f64)>,
}

impl Default for RakeOptions {
    /// 1000 sweeps, a tolerance of 1e-10, and trimming on at 0.2 to 5: one respondent
    /// then counts at most 25 times as heavily as another, so a few people in a rare
    /// group cannot dominate a figure. Pass `trim: None` for pure raking.
    fn default() -> Self {
        Self {
            max_iterations: 1000,
            tolerance: 1e-10,
            trim: Some((0.2, 5.0)),
        }
    }
}

/// Raking's outcome: one weight per respondent, in the order given.
#[derive(Clone, Debug, PartialEq)]
pub struct Weights {
    /// Positive weights with mean 1.
    pub values: Vec<f64>,
    /// Sweeps done, over all trimming rounds.
    pub iterations: usize,
    /// Every weighted share is within the tolerance of its target (and, with trimming,
    /// every weight within the bounds).
    pub converged: bool,
    /// The largest difference between a weighted share and its target (shares 0..1).
    pub max_gap: f64,
    /// Respondents whose weight was capped at a bound at least once.
    pub trimmed: usize,
    /// Kish's design effect from weighting, `n Σw² / (Σw)²`.
    pub design_effect: f64,
    /// Kish's effective sample size, `(Σw)² / Σw²`.
    pub effective_n: f64,
}

impl Weights {
    /// The weights, or `NotConverged` when raking did not reach the targets.
    pub fn require_converged(self) -> Result<Weights, WeightError> {
        if self.converged {
            Ok(self)
        } else {
            Err(WeightError::NotConverged {
                iterations: self.iterations,
                max_gap: self.max_gap,
            })
        }
    }
}

/// Why respondents could not be weighted. Each variant has an `i18n_key` for the
/// message a manager reads.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum WeightError {
    #[error("there are no respondents to weight")]
    NoRespondents,
    #[error("no respondents in category {category} of {variable}, which has a target")]
    EmptyCategory { variable: String, category: String },
    #[error("{respondents} respondents in category {category} of {variable}, which has no target")]
    UncoveredCategory {
        variable: String,
        category: String,
        respondents: usize,
    },
    #[error("the panel has no targets for {variable}")]
    NoTargets { variable: String },
    #[error("the targets of {variable} are not shares that add up to more than 0")]
    InvalidTargets { variable: String },
    #[error("respondent {respondent} has {found} categories for {expected} variables")]
    WrongLength {
        respondent: usize,
        expected: usize,
        found: usize,
    },
    #[error("trimming bounds must satisfy 0 <= low <= 1 <= high, got {low}..{high}")]
    InvalidTrim { low: f64, high: f64 },
    #[error("raking stopped after {iterations} rounds {max_gap} away from the targets")]
    NotConverged { iterations: usize, max_gap: f64 },
}

impl WeightError {
    /// The language file key of this error's message; the message takes the variant's
    /// fields as `variable`, `category`, `respondents`, `iterations` and `gap`.
    pub fn i18n_key(&self) -> &'static str {
        match self {
            WeightError::NoRespondents => "weights.error.no_respondents",
            WeightError::EmptyCategory { .. } => "weights.error.empty_category",
            WeightError::UncoveredCategory { .. } => "weights.error.uncovered_category",
            WeightError::NoTargets { .. } => "weights.error.no_targets",
            WeightError::InvalidTargets { .. } => "weights.error.invalid_targets",
            WeightError::WrongLength { .. } => "weights.error.wrong_length",
            WeightError::InvalidTrim { .. } => "weights.error.invalid_trim",
            WeightError::NotConverged { .. } => "weights.error.not_converged",
        }
    }
}

/// A weight within this relative distance of a trimming bound counts as within it.
const BOUND_SLACK: f64 = 1e-9;

/// The respondents' categories as codes, per margin: each respondent's code and the
/// category each code stands for.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CodedUnits<'a> {
    pub respondents: usize,
    /// Per margin, the category of each code.
    pub names: Vec<Vec<&'a str>>,
    /// Per margin, each respondent's code.
    pub codes: Vec<Vec<u32>>,
}

/// Weights for `units` (each respondent's category per margin, in the order of
/// `margins`) so that their weighted shares match the margins' targets.
pub fn rake<S: AsRef<str>>(
    units: &[Vec<S>],
    margins: &[Margin],
    options: &RakeOptions,
) -> Result<Weights, WeightError> {
    if let Some((respondent, unit)) = units
        .iter()
        .enumerate()
        .find(|(_, unit)| unit.len() != margins.len())
    {
        return Err(WeightError::WrongLength {
            respondent,
            expected: margins.len(),
            found: unit.len(),
        });
    }
    let mut coded = CodedUnits {
        respondents: units.len(),
        names: vec![Vec::new(); margins.len()],
        codes: vec![Vec::with_capacity(units.len()); margins.len()],
    };
    let mut index: Vec<HashMap<&str, u32>> = vec![HashMap::new(); margins.len()];
    for unit in units {
        for (m, category) in unit.iter().enumerate() {
            let category = category.as_ref();
            let names = &mut coded.names[m];
            let code = *index[m].entry(category).or_insert_with(|| {
                names.push(category);
                (names.len() - 1) as u32
            });
            coded.codes[m].push(code);
        }
    }
    rake_coded(&coded, margins, options)
}

/// `rake` for respondents whose categories are coded (one code list per margin, in the
/// order of `margins`).
pub fn rake_coded(
    units: &CodedUnits,
    margins: &[Margin],
    options: &RakeOptions,
) -> Result<Weights, WeightError> {
    if let Some((low, high)) = options.trim
        && !((0.0..=1.0).contains(&low) && high.is_finite() && high >= 1.0)
    {
        return Err(WeightError::InvalidTrim { low, high });
    }
    let respondents = units.respondents;
    if respondents == 0 {
        return Err(WeightError::NoRespondents);
    }
    let problem = Problem::new(units, margins)?;
    let mut weights = vec![1.0; respondents];
    let mut capped = vec![false; respondents];
    let mut budget = options.max_iterations;
    let mut iterations = 0;
    let converged = loop {
        let run = problem.rake(&mut weights, budget, options.tolerance);
        iterations += run.sweeps;
        budget -= run.sweeps;
        let Some((low, high)) = options.trim else {
            break run.converged;
        };
        let within = weights
            .iter()
            .all(|w| *w >= low * (1.0 - BOUND_SLACK) && *w <= high * (1.0 + BOUND_SLACK));
        if run.converged && within {
            break true;
        }
        cap(&mut weights, low, high, &mut capped);
        if !run.converged || budget == 0 {
            break false;
        }
    };
    let total: f64 = weights.iter().sum();
    let scale = respondents as f64 / total;
    weights.iter_mut().for_each(|w| *w *= scale);
    let sums = WeightSums::of(weights.iter().copied());
    Ok(Weights {
        max_gap: problem.gap(&weights),
        iterations,
        converged,
        trimmed: capped.iter().filter(|c| **c).count(),
        design_effect: sums.design_effect().unwrap_or(1.0),
        effective_n: sums.effective_n().unwrap_or(0.0),
        values: weights,
    })
}

/// The margins as category indices per respondent and target shares per category.
struct Problem {
    /// Per margin, each respondent's category index.
    codes: Vec<Vec<u32>>,
    /// Per margin, the target share of each category (adding up to 1).
    shares: Vec<Vec<f64>>,
}

struct Run {
    sweeps: usize,
    converged: bool,
}

impl Problem {
    fn new(units: &CodedUnits, margins: &[Margin]) -> Result<Problem, WeightError> {
        let respondents = units.respondents;
        if let Some((m, found)) = units
            .codes
            .iter()
            .map(Vec::len)
            .enumerate()
            .find(|(_, n)| *n != respondents)
            .or_else(|| (units.codes.len() != margins.len()).then_some((0, units.codes.len())))
        {
            return Err(WeightError::WrongLength {
                respondent: m,
                expected: margins.len(),
                found,
            });
        }
        let mut codes = Vec::with_capacity(margins.len());
        let mut shares = Vec::with_capacity(margins.len());
        for (m, margin) in margins.iter().enumerate() {
            let invalid = || WeightError::InvalidTargets {
                variable: margin.variable.clone(),
            };
            let total: f64 = margin.targets.iter().map(|(_, share)| share).sum();
            if margin
                .targets
                .iter()
                .any(|(_, s)| !s.is_finite() || *s < 0.0)
                || !total.is_finite()
                || total <= 0.0
            {
                return Err(invalid());
            }
            // Categories with a target above 0; the others have no target.
            let mut index = HashMap::new();
            let mut targets = Vec::new();
            for (category, share) in &margin.targets {
                if *share > 0.0 {
                    if index.insert(category.as_str(), targets.len()).is_some() {
                        return Err(invalid());
                    }
                    targets.push(share / total);
                }
            }
            // Each code's target category, `NONE` for a category without a target.
            const NONE: u32 = u32::MAX;
            let names = units.names.get(m).map_or(&[][..], Vec::as_slice);
            let target_of: Vec<u32> = names
                .iter()
                .map(|name| index.get(name).map_or(NONE, |k| *k as u32))
                .collect();
            let mut counts = vec![0usize; targets.len()];
            // Per code without a target (and last, codes without a category): its
            // respondents and the first of them.
            let mut uncovered: Vec<(usize, usize)> = vec![(0, usize::MAX); names.len() + 1];
            let mut column = Vec::with_capacity(respondents);
            for (r, code) in units.codes[m].iter().enumerate() {
                match target_of.get(*code as usize).copied().unwrap_or(NONE) {
                    NONE => {
                        let (n, first) = &mut uncovered[(*code as usize).min(names.len())];
                        *n += 1;
                        *first = (*first).min(r);
                    }
                    k => {
                        counts[k as usize] += 1;
                        column.push(k);
                    }
                }
            }
            // The category without a target met first.
            if let Some((code, (n, _))) = uncovered
                .iter()
                .enumerate()
                .filter(|(_, (n, _))| *n > 0)
                .min_by_key(|(_, (_, first))| *first)
            {
                return Err(WeightError::UncoveredCategory {
                    variable: margin.variable.clone(),
                    category: names.get(code).copied().unwrap_or("?").to_owned(),
                    respondents: *n,
                });
            }
            let positive = margin.targets.iter().filter(|(_, share)| *share > 0.0);
            if let Some(((category, _), _)) = positive.zip(&counts).find(|(_, n)| **n == 0) {
                return Err(WeightError::EmptyCategory {
                    variable: margin.variable.clone(),
                    category: category.clone(),
                });
            }
            codes.push(column);
            shares.push(targets);
        }
        Ok(Problem { codes, shares })
    }

    /// Weighted category totals of margin `m`.
    fn totals(&self, m: usize, weights: &[f64]) -> Vec<f64> {
        let mut totals = vec![0.0; self.shares[m].len()];
        for (k, w) in self.codes[m].iter().zip(weights) {
            totals[*k as usize] += w;
        }
        totals
    }

    /// The largest distance between a weighted share and its target.
    fn gap(&self, weights: &[f64]) -> f64 {
        let sum: f64 = weights.iter().sum();
        let mut gap: f64 = 0.0;
        for m in 0..self.shares.len() {
            for (total, target) in self.totals(m, weights).iter().zip(&self.shares[m]) {
                gap = gap.max((total / sum - target).abs());
            }
        }
        if gap.is_finite() { gap } else { 1.0 }
    }

    /// Sweeps until the gap is below `tolerance`, at most `budget` of them. Every sweep
    /// sets the weighted totals to `n ×` target, so the weights end with mean 1.
    fn rake(&self, weights: &mut [f64], budget: usize, tolerance: f64) -> Run {
        let n = weights.len() as f64;
        let mut sweeps = 0;
        while self.gap(weights) > tolerance {
            if sweeps == budget {
                return Run {
                    sweeps,
                    converged: false,
                };
            }
            for m in 0..self.shares.len() {
                let factors: Vec<f64> = self
                    .totals(m, weights)
                    .iter()
                    .zip(&self.shares[m])
                    .map(|(total, target)| target * n / total)
                    .collect();
                // Weights so small that a category's total underflowed: stop here rather
                // than divide by zero.
                if factors.iter().any(|f| !f.is_finite() || *f <= 0.0) {
                    return Run {
                        sweeps,
                        converged: false,
                    };
                }
                for (w, k) in weights.iter_mut().zip(&self.codes[m]) {
                    *w *= factors[*k as usize];
                }
            }
            sweeps += 1;
        }
        Run {
            sweeps,
            converged: true,
        }
    }
}

/// Caps weights at `low..high` times their mean, keeping the mean: finds the scale `s`
/// with `mean(clamp(s·w, low, high)) = 1` by bisection (the mean grows with `s`, from
/// `low` to `high`). Marks the respondents whose weight ends at a bound.
fn cap(weights: &mut [f64], low: f64, high: f64, capped: &mut [bool]) {
    let n = weights.len() as f64;
    let mean_at = |s: f64| {
        weights
            .iter()
            .map(|w| (s * w).clamp(low, high))
            .sum::<f64>()
            / n
    };
    let largest = weights.iter().copied().fold(0.0, f64::max);
    let smallest = weights.iter().copied().fold(f64::INFINITY, f64::min);
    let (mut lo, mut hi) = (low / largest, high / smallest.max(f64::MIN_POSITIVE));
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mean_at(mid) < 1.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let s = 0.5 * (lo + hi);
    for (w, c) in weights.iter_mut().zip(capped.iter_mut()) {
        let scaled = s * *w;
        if scaled < low || scaled > high {
            *c = true;
        }
        *w = scaled.clamp(low, high);
    }
}
