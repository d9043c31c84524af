//! The polars side of the summaries: answers as one long table (question, respondent,
//! value, number) and the three grouped queries the summaries need.

use std::collections::HashMap;

use polars::prelude::*;

/// One row per answer value: a multiple choice answer gives a row per choice. `value`
/// is what is counted (an option, a mark, a scale point); `number` what is averaged.
#[derive(Default)]
pub(super) struct Long {
    question: Vec<u32>,
    respondent: Vec<u32>,
    value: Vec<Option<String>>,
    number: Vec<Option<f64>>,
}

impl Long {
    pub(super) fn push(
        &mut self,
        question: u32,
        respondent: u32,
        value: Option<String>,
        number: Option<f64>,
    ) {
        self.question.push(question);
        self.respondent.push(respondent);
        self.value.push(value);
        self.number.push(number);
    }

    pub(super) fn frame(self) -> PolarsResult<LazyFrame> {
        let df = DataFrame::new_infer_height(vec![
            Column::new("q".into(), self.question),
            Column::new("r".into(), self.respondent),
            Column::new("v".into(), self.value),
            Column::new("x".into(), self.number),
        ])?;
        Ok(df.lazy())
    }
}

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
}

/// What the queries found, per question index.
pub(super) struct Tables {
    /// Respondents per (question, value).
    pub counts: HashMap<(u32, String), u64>,
    /// Respondents who answered each question.
    pub answered: HashMap<u32, u64>,
    pub numbers: HashMap<u32, NumberStats>,
}

fn quantile(p: f64) -> Expr {
    col("x").quantile(lit(p), QuantileMethod::Linear)
}

/// Run the queries over the answers (`Long::frame`).
pub(super) fn tables(lf: &LazyFrame) -> PolarsResult<Tables> {
    let counted = lf
        .clone()
        .filter(col("v").is_not_null())
        .group_by([col("q"), col("v")])
        .agg([len().cast(DataType::UInt64).alias("n")])
        .collect()?;
    let mut counts = HashMap::new();
    let (q, v, n) = (
        counted.column("q")?.u32()?,
        counted.column("v")?.str()?,
        counted.column("n")?.u64()?,
    );
    for ((q, v), n) in q.iter().zip(v.iter()).zip(n.iter()) {
        if let (Some(q), Some(v), Some(n)) = (q, v, n) {
            counts.insert((q, v.to_owned()), n);
        }
    }

    let per_question = lf
        .clone()
        .group_by([col("q")])
        .agg([col("r").n_unique().cast(DataType::UInt64).alias("n")])
        .collect()?;
    let answered = per_question
        .column("q")?
        .u32()?
        .iter()
        .zip(per_question.column("n")?.u64()?.iter())
        .filter_map(|(q, n)| Some((q?, n?)))
        .collect();

    let stats = lf
        .clone()
        .filter(col("x").is_not_null())
        .group_by([col("q")])
        .agg([
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
        ])
        .collect()?;
    let f = |name: &str| -> PolarsResult<Vec<Option<f64>>> {
        Ok(stats.column(name)?.f64()?.iter().collect())
    };
    let (mean, sd, median, q1, q3, min, max) = (
        f("mean")?,
        f("sd")?,
        f("median")?,
        f("q1")?,
        f("q3")?,
        f("min")?,
        f("max")?,
    );
    let questions: Vec<Option<u32>> = stats.column("q")?.u32()?.iter().collect();
    let ns: Vec<Option<u64>> = stats.column("n")?.u64()?.iter().collect();
    let below: Vec<Option<u64>> = stats.column("below_six")?.u64()?.iter().collect();
    let mut numbers = HashMap::new();
    for i in 0..questions.len() {
        let finite = |v: Option<f64>| v.filter(|v| v.is_finite());
        let (Some(q), Some(n), Some(mean), Some(median), Some(q1), Some(q3), Some(min), Some(max)) = (
            questions[i],
            ns[i],
            finite(mean[i]),
            finite(median[i]),
            finite(q1[i]),
            finite(q3[i]),
            finite(min[i]),
            finite(max[i]),
        ) else {
            continue;
        };
        numbers.insert(
            q,
            NumberStats {
                n,
                mean,
                sd: finite(sd[i]).filter(|_| n > 1),
                median,
                q1,
                q3,
                min,
                max,
                below_six: below[i].unwrap_or(0),
            },
        );
    }
    Ok(Tables {
        counts,
        answered,
        numbers,
    })
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
pub(super) fn cross_tables(lf: &LazyFrame, groups: &[u32]) -> PolarsResult<CrossTables> {
    let respondents = DataFrame::new_infer_height(vec![
        Column::new("r".into(), (0..groups.len() as u32).collect::<Vec<u32>>()),
        Column::new("g".into(), groups.to_vec()),
    ])?
    .lazy();
    let joined = lf.clone().join(
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
        counted.column("q")?.u32()?,
        counted.column("g")?.u32()?,
        counted.column("v")?.str()?,
        counted.column("n")?.u64()?,
    );
    for (((q, g), v), n) in q.iter().zip(g.iter()).zip(v.iter()).zip(n.iter()) {
        if let (Some(q), Some(g), Some(v), Some(n)) = (q, g, v, n) {
            out.counts.insert((q, g, v.to_owned()), n);
        }
    }
    let answered = joined
        .clone()
        .group_by([col("q"), col("g")])
        .agg([col("r").n_unique().cast(DataType::UInt64).alias("n")])
        .collect()?;
    let (q, g, n) = (
        answered.column("q")?.u32()?,
        answered.column("g")?.u32()?,
        answered.column("n")?.u64()?,
    );
    for ((q, g), n) in q.iter().zip(g.iter()).zip(n.iter()) {
        if let (Some(q), Some(g), Some(n)) = (q, g, n) {
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
        means.column("q")?.u32()?,
        means.column("g")?.u32()?,
        means.column("n")?.u64()?,
        means.column("mean")?.f64()?,
    );
    for (((q, g), n), m) in q.iter().zip(g.iter()).zip(n.iter()).zip(m.iter()) {
        if let (Some(q), Some(g), Some(n), Some(m)) = (q, g, n, m.filter(|m| m.is_finite())) {
            out.means.insert((q, g), (n, m));
        }
    }
    Ok(out)
}
