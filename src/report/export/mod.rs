//! Research exports: a survey's finished responses as a dataset (one row per response,
//! one column per variable) and the files a researcher gets from it: CSV (`csv`), XLSX
//! (`xlsx`), SPSS syntax that reads the CSV (`spss`) and an HTML codebook (`codebook`).
//! Pure: the service reads the responses; `build` turns them into a [`Dataset`].
//!
//! Choices, written out for the researcher in the codebook too:
//! - Respondent: `R` and 16 hex digits of HMAC-SHA256 over the survey id and the
//!   response's pseudonym, keyed with a secret kept in the database. The same response
//!   gets the same id in every export of the survey, another survey gives other ids, and
//!   without the key the id cannot be traced to the member's id or pseudonym.
//! - Codes: single choice options and background categories are numbered 1, 2, … in
//!   their order (or keep their own value when every value is a whole number); scales
//!   use their points 1..n; multiple choice gets one 0/1 column per option and "other".
//! - Missing values: [`DONT_KNOW`] (-1), [`NOT_ASKED`] (-8, the routing skipped the
//!   question) and [`NO_ANSWER`] (-9, shown but not answered, or not known). Number
//!   questions whose range could hold those values use [`BIG_NOT_ASKED`] and
//!   [`BIG_NO_ANSWER`] instead. Open answers are text; missing text is an empty cell.
//! - Background variables: every background variable of the panel (coarse categories
//!   from the panel file), as the member's profile holds them at the time of the export;
//!   -9 when the profile does not hold it or the member was erased. Name, contact data,
//!   birth year and supporter details are never exported.

mod build;
pub mod codebook;
mod columns;
pub mod csv;
mod names;
pub mod spss;
pub mod xlsx;

use chrono::NaiveDate;
use hmac::{KeyInit, Mac};

pub use build::{ResponseRow, SurveyData, build};
pub use names::Names;

use crate::i18n::Lang;

/// "Weet ik niet" on a scale.
pub const DONT_KNOW: i64 = -1;
/// The question was not shown: routing skipped it.
pub const NOT_ASKED: i64 = -8;
/// Shown but not answered; for background and proxy: not known.
pub const NO_ANSWER: i64 = -9;
/// [`NOT_ASKED`] for number questions whose range could hold -8 or -9.
pub const BIG_NOT_ASKED: i64 = -999_999_998;
/// [`NO_ANSWER`] for number questions whose range could hold -8 or -9.
pub const BIG_NO_ANSWER: i64 = -999_999_999;

/// Decimals written for weights.
pub const WEIGHT_DECIMALS: u8 = 10;

/// Why an export could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{got} weights for {expected} responses")]
    WeightCount { expected: usize, got: usize },
    /// Weights must be finite and at least 0: NaN never reaches a file.
    #[error("the weight of row {row} is not a finite number of at least 0")]
    BadWeight { row: usize },
    #[error("csv: {0}")]
    Csv(String),
    #[error("xlsx: {0}")]
    Xlsx(String),
}

/// A survey's finished responses ready to be written.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    pub survey_id: i64,
    pub title: String,
    /// The language of the labels klankbord adds (the questions keep their own).
    pub lang: Lang,
    pub variables: Vec<Variable>,
    /// One row per finished response, one cell per variable, in the order of
    /// `store::results::finished_responses` (finished time, then id).
    pub rows: Vec<Vec<Cell>>,
}

impl Dataset {
    /// The position of the variable called `name`.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.variables.iter().position(|v| v.name == name)
    }
}

/// One column: its name and everything the codebook says about it.
#[derive(Clone, Debug, PartialEq)]
pub struct Variable {
    pub name: String,
    /// The question text (with the option for 0/1 columns), or what the column holds.
    pub label: String,
    pub kind: VariableKind,
    pub storage: Storage,
    pub measure: Measure,
    pub values: Vec<ValueLabel>,
    /// Codes that mean "no value", at most three (SPSS's limit).
    pub missing: Vec<ValueLabel>,
}

/// What a column holds, for the codebook's type column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VariableKind {
    Respondent,
    Mode,
    Proxy,
    Helped,
    Finished,
    Background,
    SingleChoice,
    Scale,
    Grade,
    Number,
    /// One option of a multiple choice question: 0/1.
    ChoiceOption,
    /// "Other, namely" of a multiple choice question: 0/1.
    ChoiceOther,
    /// The text given with "other, namely".
    OtherText,
    OpenText,
    Weight,
}

impl VariableKind {
    pub fn i18n_key(self) -> &'static str {
        match self {
            VariableKind::Respondent => "export.kind.respondent",
            VariableKind::Mode => "export.kind.mode",
            VariableKind::Proxy | VariableKind::Helped => "export.kind.yes_no",
            VariableKind::Finished => "export.kind.date",
            VariableKind::Background => "export.kind.background",
            VariableKind::SingleChoice => "export.kind.single_choice",
            VariableKind::Scale => "export.kind.scale",
            VariableKind::Grade => "export.kind.grade",
            VariableKind::Number => "export.kind.number",
            VariableKind::ChoiceOption => "export.kind.choice_option",
            VariableKind::ChoiceOther => "export.kind.choice_other",
            VariableKind::OtherText => "export.kind.other_text",
            VariableKind::OpenText => "export.kind.open_text",
            VariableKind::Weight => "export.kind.weight",
        }
    }
}

/// How a column's values are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Storage {
    /// Whole numbers: codes, marks, numbers.
    Integer,
    /// Numbers with this many decimals at most.
    Decimal(u8),
    /// A calendar date, written `YYYY-MM-DD`.
    Date,
    Text,
}

/// SPSS's level of measurement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    Nominal,
    Ordinal,
    Scale,
}

impl Measure {
    pub fn spss(self) -> &'static str {
        match self {
            Measure::Nominal => "NOMINAL",
            Measure::Ordinal => "ORDINAL",
            Measure::Scale => "SCALE",
        }
    }
}

/// A code and what it means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValueLabel {
    pub code: i64,
    pub label: String,
    /// The value in the questionnaire or panel file, when the code stands for one.
    pub value: Option<String>,
}

impl ValueLabel {
    pub fn new(code: i64, label: impl Into<String>) -> Self {
        Self {
            code,
            label: label.into(),
            value: None,
        }
    }
}

/// One value in the dataset.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Int(i64),
    Float(f64),
    Date(NaiveDate),
    Text(String),
    Empty,
}

impl Cell {
    /// The value as text files hold it: `.` as decimal sign, dates as `YYYY-MM-DD`,
    /// weights with at most [`WEIGHT_DECIMALS`] decimals, trailing zeros left off.
    pub fn text(&self) -> String {
        match self {
            Cell::Int(n) => n.to_string(),
            Cell::Float(x) => decimal(*x, WEIGHT_DECIMALS),
            Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
            Cell::Text(t) => t.clone(),
            Cell::Empty => String::new(),
        }
    }
}

/// `x` with at most `decimals` decimals and no trailing zeros: `1`, `0.25`.
pub fn decimal(x: f64, decimals: u8) -> String {
    let fixed = format!("{x:.prec$}", prec = usize::from(decimals));
    if !fixed.contains('.') {
        return fixed;
    }
    let trimmed = fixed.trim_end_matches('0').trim_end_matches('.');
    if trimmed == "-0" {
        "0".to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// The respondent id of the response with `pseudonym` in survey `survey_id`:
/// `R` and 16 hex digits of HMAC-SHA256(`key`, "`survey_id`:`pseudonym`").
pub fn respondent_id(key: &[u8], survey_id: i64, pseudonym: &str) -> String {
    let mut mac =
        hmac::Hmac::<sha2::Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(format!("{survey_id}:{pseudonym}").as_bytes());
    let digest = mac.finalize().into_bytes();
    format!("R{}", hex::encode(&digest[..8]))
}

#[cfg(test)]
mod files_tests;
#[cfg(test)]
mod tests;
