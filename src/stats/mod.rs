//! Summaries of a survey's finished responses, per question, computed with polars:
//! counts and shares with confidence intervals, marks, numbers and open answers.
//! No HTTP and no SQL: the service hands in the questions and each response's answers.
//!
//! `summary` builds the figures (weighted too, given weights) from the answers in
//! `columns`, `tally` counts them, `frame` gives the numbers' statistics with polars, `interval`
//! holds the confidence intervals and `suppress` what may be shown outside the manager's
//! own view.
//! `crosstab` splits the answers by group and `cross_public` hides small cells there.
//! `weight` rakes respondents to the panel's targets and `weighted` gives the weighted
//! figures; `aapor` and `rindicator` judge the fieldwork: outcome rates and how
//! representative the response is. `evaluation` and `panel_health` are the manager's
//! view of the panel over time: the process evaluation and members coming and going.
//! Shares are 0..1 here; pages turn them into percentages. No NaN or infinity leaves
//! this module: a figure that cannot be computed is `None`.

pub mod aapor;
mod bits;
pub mod cases;
mod columns;
mod count;
pub mod cross_public;
pub mod crosstab;
pub mod evaluation;
pub mod fraction;
mod frame;
pub mod interval;
pub mod panel_health;
pub mod rindicator;
pub mod summary;
pub mod suppress;
mod tally;
pub mod themes;
pub mod weight;
pub mod weighted;

#[cfg(test)]
mod columns_tests;
#[cfg(test)]
mod cross_tests;
#[cfg(test)]
mod panel_health_tests;
#[cfg(test)]
mod rindicator_tests;
#[cfg(test)]
mod summary_tests;
#[cfg(test)]
mod suppress_tests;
#[cfg(test)]
mod weight_tests;
#[cfg(test)]
mod weighted_summary_tests;

pub use aapor::{Dispositions, FinalClass, Rates, participation_rate};
pub use cases::{Case, final_class};
pub use columns::AnswerColumns;
pub use cross_public::{PublicCrossRow, PublicCrosstab, PublicQuestionCross, public_crosstab};
pub use crosstab::{CrossRow, Crosstab, Grouping, QuestionCross, RowKind};
pub use fraction::{Portion, portion};
pub use interval::Interval;
pub use rindicator::{CategoryPartial, RIndicator, RIndicatorError, VariablePartial, r_indicator};
pub use summary::{
    ChoiceFigures, Count, Figures, GradeFigures, Moments, MultipleFigures, NumberFigures,
    QuestionSummary, SurveySummary, WeightingInfo, analyse, analyse_columns, summarise,
};
pub use suppress::{Public, PublicCount, PublicFigures, PublicQuestion, PublicSurvey, public};
pub use themes::{
    PublicTheme, PublicThemeCounts, RespondentThemes, ThemeCounts, ThemeSplit, count_themes,
    public_themes, themes_shown,
};
pub use weight::{CodedUnits, Margin, RakeOptions, WeightError, Weights, rake, rake_coded};
pub use weighted::{
    WeightSums, WeightedMean, WeightedShare, weighted_mean, weighted_mean_of, weighted_share,
};

/// The statistics layer's error.
#[derive(Debug, thiserror::Error)]
pub enum StatsError {
    #[error("polars: {0}")]
    Polars(#[from] polars::prelude::PolarsError),
    /// Respondents could not be weighted; `WeightError::i18n_key` names the message.
    #[error(transparent)]
    Weight(#[from] WeightError),
    #[error(transparent)]
    RIndicator(#[from] RIndicatorError),
    /// The answers were put in columns for other questions than those summarised.
    #[error("answers in columns for {columns} questions, {questions} questions summarised")]
    ColumnCount { columns: usize, questions: usize },
    /// The summary got a different number of weights than responses.
    #[error("{weights} weights for {responses} responses")]
    WeightCount { weights: usize, responses: usize },
    /// A weight is negative or not a finite number.
    #[error("the weight of respondent {respondent} is not a number of 0 or more")]
    InvalidWeight { respondent: usize },
}
