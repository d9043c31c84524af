//! 95% confidence intervals: Wilson for proportions, Student's t for means, both with
//! the finite population correction when the whole eligible panel was invited.

/// The 97.5% point of the standard normal distribution.
pub const Z95: f64 = 1.959_963_984_540_054;

/// A two-sided 95% interval, in the unit of its estimate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    pub low: f64,
    pub high: f64,
}

/// The finite population correction for the variance, `(N - n) / (N - 1)`: 1 without a
/// population (a sample from a large panel), 0 when everyone answered.
pub fn fpc_variance(n: u64, population: Option<u64>) -> f64 {
    match population {
        Some(big_n) if big_n > 1 && n < big_n => (big_n - n) as f64 / (big_n - 1) as f64,
        Some(big_n) if big_n > 0 && n >= big_n => 0.0,
        _ => 1.0,
    }
}

/// Wilson's score interval for `successes` out of `n` (shares 0..1). With the finite
/// population correction the variance shrinks as if `n / fpc` had been asked; when the
/// whole population answered the share is exact. `None` when `n` is 0.
pub fn wilson(successes: u64, n: u64, population: Option<u64>) -> Option<Interval> {
    if n == 0 || successes > n {
        return None;
    }
    let p = successes as f64 / n as f64;
    let fpc = fpc_variance(n, population);
    if fpc == 0.0 {
        return Some(Interval { low: p, high: p });
    }
    Some(wilson_score(p, n as f64 / fpc))
}

/// Wilson's score interval for a share `p` (0..1) observed on `n` respondents, where `n`
/// may be fractional: an effective sample size after weighting, or one enlarged by the
/// finite population correction. The caller checks that `p` is a share and `n > 0`.
pub fn wilson_score(p: f64, n: f64) -> Interval {
    let z2 = Z95 * Z95;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let half = Z95 / denominator * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    Interval {
        low: (centre - half).max(0.0),
        high: (centre + half).min(1.0),
    }
}

/// The 97.5% point of Student's t with `df` degrees of freedom: exact table values up to
/// 30, then the Cornish-Fisher expansion around the normal (error below 1e-5).
pub fn t975(df: u64) -> f64 {
    const TABLE: [f64; 30] = [
        12.706_205, 4.302_653, 3.182_446, 2.776_445, 2.570_582, 2.446_912, 2.364_624, 2.306_004,
        2.262_157, 2.228_139, 2.200_985, 2.178_813, 2.160_369, 2.144_787, 2.131_450, 2.119_905,
        2.109_816, 2.100_922, 2.093_024, 2.085_963, 2.079_614, 2.073_873, 2.068_658, 2.063_899,
        2.059_539, 2.055_529, 2.051_831, 2.048_407, 2.045_230, 2.042_272,
    ];
    match df {
        0 => f64::INFINITY,
        1..=30 => TABLE[df as usize - 1],
        _ => {
            let z = Z95;
            let v = df as f64;
            let (z3, z5, z7, z9) = (z.powi(3), z.powi(5), z.powi(7), z.powi(9));
            z + (z3 + z) / (4.0 * v)
                + (5.0 * z5 + 16.0 * z3 + 3.0 * z) / (96.0 * v * v)
                + (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / (384.0 * v.powi(3))
                + (79.0 * z9 + 776.0 * z7 + 1482.0 * z5 - 1920.0 * z3 - 945.0 * z)
                    / (92_160.0 * v.powi(4))
        }
    }
}

/// The t interval for a mean of `n` values with sample standard deviation `sd`, with the
/// finite population correction. `None` below two values (no spread to go on).
pub fn mean_interval(mean: f64, sd: f64, n: u64, population: Option<u64>) -> Option<Interval> {
    if n < 2 || !mean.is_finite() || !sd.is_finite() {
        return None;
    }
    let se = sd / (n as f64).sqrt() * fpc_variance(n, population).sqrt();
    let half = t975(n - 1) * se;
    Some(Interval {
        low: mean - half,
        high: mean + half,
    })
}
