//! The JSON of a survey's results for the manager (`/api/v1/surveys/{id}/results`):
//! every figure of the results page, small groups included (the manager's own view),
//! weighted beside unweighted when asked, and the crosstabs asked for. Shares are 0..1.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::stats::{
    Count, Figures, Interval, Moments, QuestionCross, QuestionSummary, RowKind, WeightedMean,
    WeightedShare,
};
use crate::store::entities::survey_feedback;

/// A 95% confidence interval.
#[derive(Debug, Serialize, ToSchema)]
pub struct IntervalBody {
    pub low: f64,
    pub high: f64,
}

impl From<&Interval> for IntervalBody {
    fn from(i: &Interval) -> Self {
        Self {
            low: i.low,
            high: i.high,
        }
    }
}

/// The weighted side of a count.
#[derive(Debug, Serialize, ToSchema)]
pub struct WeightedShareBody {
    /// The summed weights of the respondents in the row.
    pub weight: f64,
    pub share: f64,
    /// The effective sample size of the base (Kish).
    pub effective_n: f64,
    pub interval: IntervalBody,
}

impl From<&WeightedShare> for WeightedShareBody {
    fn from(w: &WeightedShare) -> Self {
        Self {
            weight: w.weight,
            share: w.share,
            effective_n: w.effective_n,
            interval: (&w.interval).into(),
        }
    }
}

/// One row of a question: an option, scale point, mark, "weet ik niet", "iets anders" or
/// the marks below 6.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResultRow {
    pub label: String,
    /// `option`, `dont_know`, `other` or `below_six`.
    pub kind: String,
    pub n: u64,
    /// The share of those who answered; `null` when nobody did.
    pub share: Option<f64>,
    pub interval: Option<IntervalBody>,
    /// When the figures are weighted.
    pub weighted: Option<WeightedShareBody>,
}

fn row(c: &Count, kind: RowKind) -> ResultRow {
    ResultRow {
        label: c.label.clone(),
        kind: kind.code().to_owned(),
        n: c.n,
        share: c.share,
        interval: c.interval.as_ref().map(IntervalBody::from),
        weighted: c.weighted.as_ref().map(WeightedShareBody::from),
    }
}

/// The weighted mean of marks or numbers.
#[derive(Debug, Serialize, ToSchema)]
pub struct WeightedMeanBody {
    pub effective_n: f64,
    pub mean: f64,
    pub sd: Option<f64>,
    pub interval: Option<IntervalBody>,
}

impl From<&WeightedMean> for WeightedMeanBody {
    fn from(w: &WeightedMean) -> Self {
        Self {
            effective_n: w.effective_n,
            mean: w.mean,
            sd: w.sd,
            interval: w.interval.as_ref().map(IntervalBody::from),
        }
    }
}

/// Mean, spread and position of the marks or numbers given.
#[derive(Debug, Serialize, ToSchema)]
pub struct MomentsBody {
    pub n: u64,
    pub mean: f64,
    pub interval: Option<IntervalBody>,
    pub sd: Option<f64>,
    pub median: f64,
    pub q1: f64,
    pub q3: f64,
    pub min: f64,
    pub max: f64,
    pub weighted: Option<WeightedMeanBody>,
}

impl From<&Moments> for MomentsBody {
    fn from(m: &Moments) -> Self {
        Self {
            n: m.n,
            mean: m.mean,
            interval: m.interval.as_ref().map(IntervalBody::from),
            sd: m.sd,
            median: m.median,
            q1: m.q1,
            q3: m.q3,
            min: m.min,
            max: m.max,
            weighted: m.weighted.as_ref().map(WeightedMeanBody::from),
        }
    }
}

/// One question's figures.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResultQuestion {
    pub id: String,
    pub text: String,
    /// klankbord's own closing and evaluation questions.
    pub appended: bool,
    /// `choice`, `multiple`, `grade`, `number` or `open`.
    pub kind: String,
    /// Respondents the question was shown to (routing).
    pub asked: u64,
    /// Respondents who answered: the base of the shares.
    pub answered: u64,
    /// Shown but left empty.
    pub no_answer: u64,
    pub rows: Vec<ResultRow>,
    /// Marks and numbers.
    pub moments: Option<MomentsBody>,
    /// Marks: those below 6 ("onvoldoende").
    pub below_six: Option<ResultRow>,
    pub unit: Option<String>,
    /// Open questions: the answers, for the manager only.
    pub open_answers: Vec<String>,
}

impl From<&QuestionSummary> for ResultQuestion {
    fn from(q: &QuestionSummary) -> Self {
        let mut out = ResultQuestion {
            id: q.id.to_string(),
            text: q.text.clone(),
            appended: q.appended,
            kind: String::new(),
            asked: q.asked,
            answered: q.answered,
            no_answer: q.no_answer,
            rows: Vec::new(),
            moments: None,
            below_six: None,
            unit: None,
            open_answers: Vec::new(),
        };
        match &q.figures {
            Figures::Choice(c) => {
                out.kind = "choice".into();
                out.rows = c.options.iter().map(|c| row(c, RowKind::Option)).collect();
                out.rows
                    .extend(c.dont_know.iter().map(|c| row(c, RowKind::DontKnow)));
            }
            Figures::Multiple(m) => {
                out.kind = "multiple".into();
                out.rows = m.options.iter().map(|c| row(c, RowKind::Option)).collect();
                out.rows
                    .extend(m.other.iter().map(|c| row(c, RowKind::Other)));
            }
            Figures::Grade(g) => {
                out.kind = "grade".into();
                out.rows = g.marks.iter().map(|c| row(c, RowKind::Option)).collect();
                out.moments = g.moments.as_ref().map(MomentsBody::from);
                out.below_six = Some(row(&g.below_six, RowKind::BelowSix));
            }
            Figures::Number(n) => {
                out.kind = "number".into();
                out.moments = n.moments.as_ref().map(MomentsBody::from);
                out.unit = n.unit.clone();
            }
            Figures::Open(answers) => {
                out.kind = "open".into();
                out.open_answers = answers.clone();
            }
        }
        out
    }
}

/// A row of a crosstab: respondents per group.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResultCrossRow {
    pub label: String,
    /// `option`, `dont_know`, `other` or `below_six`.
    pub kind: String,
    pub counts: Vec<u64>,
}

/// One question split by the groups.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResultCrossQuestion {
    pub id: String,
    pub text: String,
    /// Per group, the respondents who answered.
    pub bases: Vec<u64>,
    pub rows: Vec<ResultCrossRow>,
    /// Marks and numbers: per group the numbers given and their mean (`null` for none).
    pub means: Option<Vec<Option<GroupMean>>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GroupMean {
    pub n: u64,
    pub mean: f64,
}

impl From<&QuestionCross> for ResultCrossQuestion {
    fn from(q: &QuestionCross) -> Self {
        Self {
            id: q.id.to_string(),
            text: q.text.clone(),
            bases: q.bases.clone(),
            rows: q
                .rows
                .iter()
                .map(|r| ResultCrossRow {
                    label: r.label.clone(),
                    kind: r.kind.code().to_owned(),
                    counts: r.counts.clone(),
                })
                .collect(),
            means: q.means.as_ref().map(|m| {
                m.iter()
                    .map(|g| g.map(|(n, mean)| GroupMean { n, mean }))
                    .collect()
            }),
        }
    }
}

/// Every question split by one grouping.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResultCrosstab {
    /// The grouping's key as asked (`leeftijd`, `:manier`, `:hulp`).
    pub by: String,
    /// What the groups are.
    pub name: String,
    pub groups: Vec<String>,
    pub questions: Vec<ResultCrossQuestion>,
}

/// The weighting asked for, and what it gave.
#[derive(Debug, Serialize, ToSchema)]
pub struct WeightingBody {
    /// The background variables raked to the panel's targets.
    pub variables: Vec<String>,
    /// Whether the weights reached the targets; when not, the figures are unweighted and
    /// `error` and `message` say why.
    pub weighted: bool,
    pub design_effect: Option<f64>,
    pub effective_n: Option<f64>,
    /// Raking sweeps done.
    pub iterations: Option<usize>,
    /// Respondents whose weight was capped.
    pub trimmed: Option<usize>,
    pub error: Option<String>,
    pub message: Option<String>,
}

/// Finished responses by way of answering.
#[derive(Debug, Serialize, ToSchema)]
pub struct ModeCount {
    /// `web`, `phone` or `paper`.
    pub mode: String,
    pub finished: u64,
}

/// The feedback texts for respondents, and whether they are published.
#[derive(Debug, Serialize, ToSchema)]
pub struct FeedbackBody {
    pub what_we_do: String,
    pub what_changed: String,
    pub published_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

impl From<&survey_feedback::Model> for FeedbackBody {
    fn from(f: &survey_feedback::Model) -> Self {
        Self {
            what_we_do: f.what_we_do.clone(),
            what_changed: f.what_changed.clone(),
            published_at: f.published_at,
            updated_at: f.updated_at,
        }
    }
}

/// A survey's results as the manager sees them.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResultsBody {
    pub survey_id: i64,
    pub title: String,
    /// Finished responses.
    pub respondents: u64,
    /// The eligible panel, when all of it was invited (finite population correction).
    pub population: Option<u64>,
    /// Outside the manager's own view, figures resting on fewer people are hidden.
    pub min_cell_size: u32,
    pub by_mode: Vec<ModeCount>,
    pub weighting: Option<WeightingBody>,
    pub questions: Vec<ResultQuestion>,
    pub crosstabs: Vec<ResultCrosstab>,
    /// The feedback texts, when saved.
    pub feedback: Option<FeedbackBody>,
}

/// The feedback texts and what to do with them.
#[derive(Debug, Deserialize, ToSchema)]
pub struct FeedbackInput {
    /// "Wat doen we ermee?"
    #[serde(default)]
    pub what_we_do: String,
    /// "Wat is er veranderd, en wat niet?"
    #[serde(default)]
    pub what_changed: String,
    /// `save` keeps the texts; `publish` also shows the results to the respondents (the
    /// first time, the results email goes to those who asked for it); `withdraw` hides
    /// them again.
    pub action: String,
}
