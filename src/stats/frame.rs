//! The polars side of the summaries: mean, spread, median and quartiles of the marks
//! and numbers given to a question (`tally::Numbers`), weighted too when they are.

use polars::prelude::*;

use super::tally::Numbers;
use super::weighted::WeightSums;

/// Summary figures of the numbers given to one question.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct NumberStats {
    pub n: u64,
    pub mean: f64,
    /// Sample standard deviation (n - 1); `None` below two values.
    pub sd: Option<f64>,
    pub median: f64,
    pub q1: f64,
    pub q3: f64,
    pub min: f64,
    pub max: f64,
    /// How many numbers are below 6 (marks: "onvoldoende").
    pub below_six: u64,
    pub weighted: Option<WeightedNumbers>,
}

/// The weighted side of `NumberStats`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct WeightedNumbers {
    /// The weights of the numbers given.
    pub sums: WeightSums,
    /// Σwx / Σw.
    pub mean: f64,
    /// Σw(x − mean)².
    pub squares: f64,
    /// The weights of the numbers below 6.
    pub below_six: f64,
}

/// A figure that is a finite number.
fn finite(v: Option<f64>) -> Option<f64> {
    v.filter(|v| v.is_finite())
}

/// Mean, spread and quartiles of one question's numbers, weighted too when they are;
/// `None` when there are none, or a figure is not a finite number.
pub(super) fn stats(given: Numbers) -> PolarsResult<Option<NumberStats>> {
    if given.x.is_empty() {
        return Ok(None);
    }
    let weighted = !given.w.is_empty();
    let x = Float64Chunked::from_vec("x".into(), given.x);
    let n = x.len() as u64;
    let quartiles = x.quantiles(&[0.25, 0.5, 0.75], QuantileMethod::Linear)?;
    let below = x.lt(6.0);
    let weighted = if weighted {
        let w = Float64Chunked::from_vec("w".into(), given.w);
        let sum = w.sum();
        let mean = (&w * &x).sum().zip(sum).map(|(wx, sw)| wx / sw);
        let squares = finite(mean).and_then(|m| {
            let d = &x - m;
            (&w * &(&d * &d)).sum()
        });
        (|| {
            Some(WeightedNumbers {
                sums: WeightSums {
                    n,
                    sum: finite(sum)?,
                    sum_squares: finite((&w * &w).sum())?,
                },
                mean: finite(mean)?,
                squares: finite(squares)?,
                below_six: finite(w.filter(&below).ok()?.sum()).unwrap_or(0.0),
            })
        })()
    } else {
        None
    };
    let (Some(mean), Some(median), Some(q1), Some(q3), Some(min), Some(max)) = (
        finite(x.mean()),
        finite(quartiles[1]),
        finite(quartiles[0]),
        finite(quartiles[2]),
        finite(x.min()),
        finite(x.max()),
    ) else {
        return Ok(None);
    };
    Ok(Some(NumberStats {
        n,
        mean,
        sd: finite(x.std(1)).filter(|_| n > 1),
        median,
        q1,
        q3,
        min,
        max,
        below_six: below.sum().map_or(0, u64::from),
        weighted,
    }))
}
