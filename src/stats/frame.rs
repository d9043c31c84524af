//! The polars side of the summaries: the grouped queries over the long answer table
//! (`long`) that the summaries and crosstabs need.

use std::collections::HashMap;

use polars::prelude::*;

use super::long::Frame;
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

/// What the queries found, per question index.
pub(super) struct Tables {
    /// Respondents per (question, value).
    pub counts: HashMap<(u32, String), u64>,
    /// Their summed weights, when weighted.
    pub weights: HashMap<(u32, String), f64>,
    /// Respondents who answered each question.
    pub answered: HashMap<u32, u64>,
    /// Their weights, when weighted.
    pub bases: HashMap<u32, WeightSums>,
    pub numbers: HashMap<u32, NumberStats>,
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

/// The weights of the first rows (one per answer): Σw and Σw² of the respondents.
fn base_sums() -> [Expr; 2] {
    let w = col("w").filter(col("first"));
    [
        w.clone().sum().alias("sw"),
        (w.clone() * w).sum().alias("sw2"),
    ]
}

/// Run the queries over the answers (`long::Long::frame`).
pub(super) fn tables(frame: &Frame) -> PolarsResult<Tables> {
    let lf = frame.lazy();
    let mut counting = vec![len().cast(DataType::UInt64).alias("n")];
    if frame.weighted() {
        counting.push(col("w").sum().alias("sw"));
    }
    let counted = lf
        .clone()
        .filter(col("v").is_not_null())
        .group_by([col("q"), col("v")])
        .agg(counting)
        .collect()?;
    let (q, v, n) = (
        u32s(&counted, "q")?,
        u32s(&counted, "v")?,
        u64s(&counted, "n")?,
    );
    let sw = if frame.weighted() {
        f64s(&counted, "sw")?
    } else {
        Vec::new()
    };
    let (mut counts, mut weights) = (HashMap::new(), HashMap::new());
    for i in 0..q.len() {
        if let (Some(q), Some(v), Some(n)) = (q[i], v[i], n[i]) {
            counts.insert((q, frame.name(v)), n);
            if let Some(Some(sw)) = sw.get(i) {
                weights.insert((q, frame.name(v)), *sw);
            }
        }
    }

    let mut per_answer = vec![col("first").cast(DataType::UInt64).sum().alias("n")];
    if frame.weighted() {
        per_answer.extend(base_sums());
    }
    let per_question = lf.clone().group_by([col("q")]).agg(per_answer).collect()?;
    let (q, n) = (u32s(&per_question, "q")?, u64s(&per_question, "n")?);
    let answered = q
        .iter()
        .zip(&n)
        .filter_map(|(q, n)| Some(((*q)?, (*n)?)))
        .collect();
    let mut bases = HashMap::new();
    if frame.weighted() {
        let (sw, sw2) = (f64s(&per_question, "sw")?, f64s(&per_question, "sw2")?);
        for i in 0..q.len() {
            if let (Some(q), Some(n), Some(sum), Some(sum_squares)) = (q[i], n[i], sw[i], sw2[i]) {
                bases.insert(
                    q,
                    WeightSums {
                        n,
                        sum,
                        sum_squares,
                    },
                );
            }
        }
    }

    Ok(Tables {
        counts,
        weights,
        answered,
        bases,
        numbers: numbers(frame)?,
    })
}

/// Mean, spread and quartiles of the numbers per question, weighted too when the
/// table is.
fn numbers(frame: &Frame) -> PolarsResult<HashMap<u32, NumberStats>> {
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
    if frame.weighted() {
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
        .filter(col("x").is_not_null())
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
    let weighted: Vec<Option<WeightedNumbers>> = if frame.weighted() {
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

/// The counts of one grouping of the respondents, per question and group.
#[derive(Default)]
pub(super) struct CrossTables {
    /// Respondents per (question, group, value).
    pub counts: HashMap<(u32, u32, String), u64>,
    /// Respondents who answered, per (question, group).
    pub answered: HashMap<(u32, u32), u64>,
    /// Numbers given and their mean, per (question, group).
    pub means: HashMap<(u32, u32), (u64, f64)>,
}

/// The answers split by `groups` (each respondent's group code, by respondent index).
pub(super) fn cross_tables(frame: &Frame, groups: &[u32]) -> PolarsResult<CrossTables> {
    let respondents = DataFrame::new_infer_height(vec![
        Column::new("r".into(), (0..groups.len() as u32).collect::<Vec<u32>>()),
        Column::new("g".into(), groups.to_vec()),
    ])?
    .lazy();
    let joined = frame.lazy().join(
        respondents,
        [col("r")],
        [col("r")],
        JoinArgs::new(JoinType::Inner),
    );
    let mut out = CrossTables::default();
    let counted = joined
        .clone()
        .filter(col("v").is_not_null())
        .group_by([col("q"), col("g"), col("v")])
        .agg([len().cast(DataType::UInt64).alias("n")])
        .collect()?;
    let (q, g, v, n) = (
        u32s(&counted, "q")?,
        u32s(&counted, "g")?,
        u32s(&counted, "v")?,
        u64s(&counted, "n")?,
    );
    for i in 0..q.len() {
        if let (Some(q), Some(g), Some(v), Some(n)) = (q[i], g[i], v[i], n[i]) {
            out.counts.insert((q, g, frame.name(v)), n);
        }
    }
    let answered = joined
        .clone()
        .group_by([col("q"), col("g")])
        .agg([col("first").cast(DataType::UInt64).sum().alias("n")])
        .collect()?;
    let (q, g, n) = (
        u32s(&answered, "q")?,
        u32s(&answered, "g")?,
        u64s(&answered, "n")?,
    );
    for i in 0..q.len() {
        if let (Some(q), Some(g), Some(n)) = (q[i], g[i], n[i]) {
            out.answered.insert((q, g), n);
        }
    }
    let means = joined
        .filter(col("x").is_not_null())
        .group_by([col("q"), col("g")])
        .agg([
            len().cast(DataType::UInt64).alias("n"),
            col("x").mean().alias("mean"),
        ])
        .collect()?;
    let (q, g, n, m) = (
        u32s(&means, "q")?,
        u32s(&means, "g")?,
        u64s(&means, "n")?,
        f64s(&means, "mean")?,
    );
    for i in 0..q.len() {
        if let (Some(q), Some(g), Some(n), Some(m)) = (q[i], g[i], n[i], m[i]) {
            out.means.insert((q, g), (n, m));
        }
    }
    Ok(out)
}
