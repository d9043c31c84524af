//! Weighted figures beside the unweighted ones: the design effect and effective sample
//! size of a set of weights (Kish), a weighted share with its Wilson interval and a
//! weighted mean with its t interval, both on the effective sample size of their base.
//!
//! Weights come from `weight::rake` (mean 1, positive). The intervals treat the weighted
//! sample as a simple random sample of `n_eff = (Σw)² / Σw²` respondents: the usual
//! approximation when the only design effect is the one from weighting. The finite
//! population correction uses the real number of respondents, as in `interval`.

use super::interval::{Interval, fpc_variance, t975, wilson_score};

/// The sums of a set of weights that every weighted figure needs: add the weights of
/// the respondents in a base (for example, everyone who answered a question).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct WeightSums {
    /// Respondents counted.
    pub n: u64,
    /// Σw, the weighted number of respondents.
    pub sum: f64,
    /// Σw².
    pub sum_squares: f64,
}

impl WeightSums {
    pub fn of(weights: impl IntoIterator<Item = f64>) -> Self {
        let mut sums = Self::default();
        for w in weights {
            sums.add(w);
        }
        sums
    }

    pub fn add(&mut self, weight: f64) {
        self.n += 1;
        self.sum += weight;
        self.sum_squares += weight * weight;
    }

    /// Kish's effective sample size `(Σw)² / Σw²`: as many respondents as a simple
    /// random sample with the same precision. `None` for an empty base or weights that
    /// are not positive and finite in total.
    pub fn effective_n(&self) -> Option<f64> {
        self.valid().then(|| self.sum * self.sum / self.sum_squares)
    }

    /// Kish's design effect from weighting, `1 + CV² = n Σw² / (Σw)²`: 1 for equal
    /// weights, larger as the weights spread.
    pub fn design_effect(&self) -> Option<f64> {
        self.valid()
            .then(|| self.n as f64 * self.sum_squares / (self.sum * self.sum))
    }

    fn valid(&self) -> bool {
        self.n > 0
            && self.sum.is_finite()
            && self.sum > 0.0
            && self.sum_squares.is_finite()
            && self.sum_squares > 0.0
    }
}

/// A weighted share of a base, with its 95% Wilson interval on the base's effective
/// sample size.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WeightedShare {
    /// The weighted number of respondents in the category (Σw over them).
    pub weight: f64,
    /// Their share of the weighted base, 0..1.
    pub share: f64,
    /// The effective sample size of the base.
    pub effective_n: f64,
    pub interval: Interval,
}

/// The share of the base that `hits` (the summed weights of the respondents in a
/// category) makes up. With `population` (the whole eligible panel was invited) the
/// finite population correction of the `base.n` real respondents applies. `None` for an
/// empty base or a `hits` that is not part of it.
pub fn weighted_share(
    hits: f64,
    base: &WeightSums,
    population: Option<u64>,
) -> Option<WeightedShare> {
    let effective_n = base.effective_n()?;
    // Summation order may put `hits` a rounding error above the base.
    let slack = base.sum * 1e-12;
    if !hits.is_finite() || hits < 0.0 || hits > base.sum + slack {
        return None;
    }
    let share = (hits / base.sum).min(1.0);
    let fpc = fpc_variance(base.n, population);
    let interval = if fpc == 0.0 {
        Interval {
            low: share,
            high: share,
        }
    } else {
        wilson_score(share, effective_n / fpc)
    };
    Some(WeightedShare {
        weight: hits,
        share,
        effective_n,
        interval,
    })
}

/// A weighted mean with its spread and 95% interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WeightedMean {
    pub n: u64,
    pub effective_n: f64,
    pub mean: f64,
    /// The weighted standard deviation, `sqrt(Σw(x − m)² / Σw · n / (n − 1))`, which
    /// is the sample standard deviation when all weights are equal. `None` below two
    /// values.
    pub sd: Option<f64>,
    /// `m ± t(df) · sd / sqrt(n_eff) · sqrt(fpc)` with `df = floor(n_eff) − 1`; `None`
    /// while the effective sample size is below 2.
    pub interval: Option<Interval>,
}

/// The weighted mean of `values` (one weight per value). `None` when the lengths
/// differ, nothing is left, or a value or weight is not finite or a weight negative.
pub fn weighted_mean(
    values: &[f64],
    weights: &[f64],
    population: Option<u64>,
) -> Option<WeightedMean> {
    if values.len() != weights.len()
        || values.iter().any(|v| !v.is_finite())
        || weights.iter().any(|w| !w.is_finite() || *w < 0.0)
    {
        return None;
    }
    let sums = WeightSums::of(weights.iter().copied());
    let mean = values.iter().zip(weights).map(|(x, w)| w * x).sum::<f64>() / sums.sum;
    let squares: f64 = values
        .iter()
        .zip(weights)
        .map(|(x, w)| w * (x - mean) * (x - mean))
        .sum();
    weighted_mean_of(&sums, mean, squares, population)
}

/// The weighted mean from sums a query gave: the weights of the values (`sums`), the
/// mean `Σwx / Σw` and the weighted squares `Σw(x − mean)²`. `None` when the weights
/// have no effective sample size or a figure is not finite.
pub fn weighted_mean_of(
    sums: &WeightSums,
    mean: f64,
    squares: f64,
    population: Option<u64>,
) -> Option<WeightedMean> {
    let effective_n = sums.effective_n()?;
    if !mean.is_finite() || !squares.is_finite() {
        return None;
    }
    let n = sums.n;
    let sd = (n >= 2).then(|| (squares.max(0.0) / sums.sum * n as f64 / (n - 1) as f64).sqrt());
    let interval = sd.filter(|_| effective_n >= 2.0).map(|sd| {
        let df = effective_n.floor() as u64 - 1;
        let se = sd / effective_n.sqrt() * fpc_variance(n, population).sqrt();
        let half = t975(df) * se;
        Interval {
            low: mean - half,
            high: mean + half,
        }
    });
    Some(WeightedMean {
        n,
        effective_n,
        mean,
        sd,
        interval,
    })
}

#[cfg(test)]
mod tests {
    use super::{WeightSums, weighted_mean, weighted_share};
    use crate::stats::interval::{mean_interval, wilson};

    fn close(a: f64, b: f64, tolerance: f64) {
        assert!((a - b).abs() <= tolerance, "{a} is not {b}");
    }

    #[test]
    fn kish_design_effect_of_known_weights() {
        // w = 0.5, 0.5, 1, 2: Σw = 4, Σw² = 0.25 + 0.25 + 1 + 4 = 5.5.
        // deff = n Σw² / (Σw)² = 4 · 5.5 / 16 = 1.375; n_eff = 16 / 5.5 = 32/11.
        let sums = WeightSums::of([0.5, 0.5, 1.0, 2.0]);
        close(sums.design_effect().unwrap(), 1.375, 1e-15);
        close(sums.effective_n().unwrap(), 32.0 / 11.0, 1e-15);
        // Equal weights: no design effect, n_eff = n.
        let equal = WeightSums::of([1.0; 7]);
        close(equal.design_effect().unwrap(), 1.0, 1e-15);
        close(equal.effective_n().unwrap(), 7.0, 1e-15);
        assert_eq!(WeightSums::default().effective_n(), None);
        assert_eq!(WeightSums::of([0.0, 0.0]).design_effect(), None);
    }

    #[test]
    fn weighted_share_uses_wilson_on_the_effective_sample_size() {
        // Base w = 0.5, 0.5, 1, 2; the category holds the respondent with weight 2:
        // p = 2 / 4 = 0.5, n_eff = 32/11 = 2.909091, z² = 3.841459.
        // centre = (0.5 + 3.841459 / 5.818182) / (1 + 3.841459 / 2.909091)
        //        = (0.5 + 0.660251) / 2.320502 = 0.5;
        // half = 1.959964 / 2.320502 · sqrt(0.25 / 2.909091 + 3.841459 / 33.851240)
        //      = 0.844630 · sqrt(0.0859375 + 0.1134807) = 0.844630 · 0.446563 = 0.377180.
        let base = WeightSums::of([0.5, 0.5, 1.0, 2.0]);
        let share = weighted_share(2.0, &base, None).unwrap();
        close(share.share, 0.5, 1e-15);
        close(share.effective_n, 32.0 / 11.0, 1e-15);
        close(share.interval.low, 0.5 - 0.377180, 1e-6);
        close(share.interval.high, 0.5 + 0.377180, 1e-6);
        // Equal weights give exactly the unweighted Wilson interval, also with the fpc.
        let ten = WeightSums::of([1.0; 10]);
        for population in [None, Some(40)] {
            let weighted = weighted_share(3.0, &ten, population).unwrap().interval;
            let plain = wilson(3, 10, population).unwrap();
            close(weighted.low, plain.low, 1e-12);
            close(weighted.high, plain.high, 1e-12);
        }
        // Everyone answered: the share is exact.
        let all = weighted_share(3.0, &ten, Some(10)).unwrap().interval;
        assert_eq!((all.low, all.high), (0.3, 0.3));
        assert!(weighted_share(5.0, &WeightSums::of([1.0, 1.0]), None).is_none());
        assert!(weighted_share(1.0, &WeightSums::default(), None).is_none());
        assert!(weighted_share(f64::NAN, &ten, None).is_none());
    }

    #[test]
    fn weighted_mean_with_interval_on_the_effective_sample_size() {
        // x = 1, 2, 3, 4 with w = 0.5, 0.5, 1, 2: m = (0.5 + 1 + 3 + 8) / 4 = 3.125.
        // Σw(x − m)² = 0.5·4.515625 + 0.5·1.265625 + 1·0.015625 + 2·0.765625 = 4.4375;
        // sd² = 4.4375 / 4 · 4/3 = 1.4791667, sd = 1.2162100.
        // n_eff = 32/11, df = 2 − 1 = 1, t = 12.706205;
        // half = 12.706205 · 1.2162100 / sqrt(2.9090909) = 12.706205 · 0.7130663 = 9.060367.
        let mean = weighted_mean(&[1.0, 2.0, 3.0, 4.0], &[0.5, 0.5, 1.0, 2.0], None).unwrap();
        close(mean.mean, 3.125, 1e-15);
        close(mean.sd.unwrap(), 1.216_210_0, 1e-7);
        let interval = mean.interval.unwrap();
        close(interval.high - 3.125, 9.060_367, 1e-5);
        close(3.125 - interval.low, 9.060_367, 1e-5);
        // Equal weights give the unweighted t interval.
        let values = [3.0, 5.0, 6.0, 8.0, 9.0, 10.0];
        let equal = weighted_mean(&values, &[1.0; 6], Some(20)).unwrap();
        let sd = equal.sd.unwrap();
        let plain = mean_interval(equal.mean, sd, 6, Some(20)).unwrap();
        close(equal.mean, 41.0 / 6.0, 1e-12);
        close(equal.interval.unwrap().low, plain.low, 1e-12);
        close(equal.interval.unwrap().high, plain.high, 1e-12);
        // One value: a mean, no spread, no interval.
        let one = weighted_mean(&[4.0], &[1.3], None).unwrap();
        assert_eq!((one.mean, one.sd, one.interval), (4.0, None, None));
        assert!(weighted_mean(&[1.0, 2.0], &[1.0], None).is_none());
        assert!(weighted_mean(&[1.0, f64::INFINITY], &[1.0, 1.0], None).is_none());
        assert!(weighted_mean(&[1.0, 2.0], &[0.0, 0.0], None).is_none());
    }
}
