//! Summaries of a survey's finished responses, per question, computed with polars:
//! counts and shares with confidence intervals, marks, numbers and open answers.
//! No HTTP and no SQL: the service hands in the questions and each response's answers.
//!
//! `summary` builds the figures, `frame` runs the polars queries, `interval` holds the
//! confidence intervals and `suppress` what may be shown outside the manager's own view.
//! Shares are 0..1 here; pages turn them into percentages. No NaN or infinity leaves
//! this module: a figure that cannot be computed is `None`.

pub mod cross_public;
pub mod crosstab;
pub mod fraction;
mod frame;
pub mod interval;
pub mod summary;
pub mod suppress;

#[cfg(test)]
mod cross_tests;
#[cfg(test)]
mod summary_tests;
#[cfg(test)]
mod suppress_tests;

pub use cross_public::{PublicCrossRow, PublicCrosstab, PublicQuestionCross, public_crosstab};
pub use crosstab::{CrossRow, Crosstab, Grouping, QuestionCross, RowKind};
pub use fraction::{Portion, portion};
pub use interval::Interval;
pub use summary::{
    ChoiceFigures, Count, Figures, GradeFigures, Moments, MultipleFigures, NumberFigures,
    QuestionSummary, SurveySummary, analyse, summarise,
};
pub use suppress::{Public, PublicCount, PublicFigures, PublicQuestion, PublicSurvey, public};

/// The statistics layer's error.
#[derive(Debug, thiserror::Error)]
pub enum StatsError {
    #[error("polars: {0}")]
    Polars(#[from] polars::prelude::PolarsError),
}
