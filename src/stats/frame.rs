//! The polars side of the summaries: mean, spread, median and quartiles of the marks
//! and numbers given (`tally::Numbers`), per question, weighted too when they are.

use std::collections::HashMap;

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

fn quantile(p: f64) -> Expr {
    col("x").quantile(lit(p), QuantileMethod::Linear)
}

fn u32s(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<u32>>> {
    Ok(df.column(name)?.u32()?.iter().collect())
}

fn u64s(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<u64>>> {
    Ok(df.column(name)?.u64()?.iter().collect())
}

/// The column as finite floats (NaN and infinity become `None`).
fn f64s(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<f64>>> {
    Ok(df
        .column(name)?
        .f64()?
        .iter()
        .map(|v| v.filter(|v| v.is_finite()))
        .collect())
}

/// Mean, spread and quartiles of the numbers per question, weighted too when they are.
pub(super) fn numbers(given: Numbers) -> PolarsResult<HashMap<u32, NumberStats>> {
    let weighted = !given.w.is_empty();
    let mut columns = vec![
        Column::new("q".into(), given.question),
        Column::new("x".into(), given.x),
    ];
    if weighted {
        columns.push(Column::new("w".into(), given.w));
    }
    let frame = DataFrame::new_infer_height(columns)?;
    let mut aggregates = vec![
        len().cast(DataType::UInt64).alias("n"),
        col("x").mean().alias("mean"),
        col("x").std(1).alias("sd"),
        col("x").median().alias("median"),
        quantile(0.25).alias("q1"),
        quantile(0.75).alias("q3"),
        col("x").min().alias("min"),
        col("x").max().alias("max"),
        col("x")
            .lt(lit(6.0))
            .cast(DataType::UInt64)
            .sum()
            .alias("below_six"),
    ];
    if weighted {
        let wmean = (col("w") * col("x")).sum() / col("w").sum();
        aggregates.extend([
            col("w").sum().alias("sw"),
            (col("w") * col("w")).sum().alias("sw2"),
            wmean.clone().alias("wmean"),
            (col("w") * (col("x") - wmean.clone()) * (col("x") - wmean))
                .sum()
                .alias("wsq"),
            col("w").filter(col("x").lt(lit(6.0))).sum().alias("wbelow"),
        ]);
    }
    let stats = frame
        .lazy()
        .group_by([col("q")])
        .agg(aggregates)
        .collect()?;
    let (mean, sd, median, q1, q3, min, max) = (
        f64s(&stats, "mean")?,
        f64s(&stats, "sd")?,
        f64s(&stats, "median")?,
        f64s(&stats, "q1")?,
        f64s(&stats, "q3")?,
        f64s(&stats, "min")?,
        f64s(&stats, "max")?,
    );
    let weighted: Vec<Option<WeightedNumbers>> = if weighted {
        let (sw, sw2, wmean, wsq, wbelow) = (
            f64s(&stats, "sw")?,
            f64s(&stats, "sw2")?,
            f64s(&stats, "wmean")?,
            f64s(&stats, "wsq")?,
            f64s(&stats, "wbelow")?,
        );
        let ns = u64s(&stats, "n")?;
        (0..ns.len())
            .map(|i| {
                Some(WeightedNumbers {
                    sums: WeightSums {
                        n: ns[i]?,
                        sum: sw[i]?,
                        sum_squares: sw2[i]?,
                    },
                    mean: wmean[i]?,
                    squares: wsq[i]?,
                    below_six: wbelow[i].unwrap_or(0.0),
                })
            })
            .collect()
    } else {
        vec![None; stats.height()]
    };
    let questions = u32s(&stats, "q")?;
    let ns = u64s(&stats, "n")?;
    let below = u64s(&stats, "below_six")?;
    let mut numbers = HashMap::new();
    for i in 0..questions.len() {
        let (Some(q), Some(n), Some(mean), Some(median), Some(q1), Some(q3), Some(min), Some(max)) = (
            questions[i],
            ns[i],
            mean[i],
            median[i],
            q1[i],
            q3[i],
            min[i],
            max[i],
        ) else {
            continue;
        };
        numbers.insert(
            q,
            NumberStats {
                n,
                mean,
                sd: sd[i].filter(|_| n > 1),
                median,
                q1,
                q3,
                min,
                max,
                below_six: below[i].unwrap_or(0),
                weighted: weighted[i],
            },
        );
    }
    Ok(numbers)
}
