//! The answers as one long table for polars: a row per answer value (question,
//! respondent, value code, number, first row of the answer, weight), and the names of
//! the value codes. `frame` runs the queries over it.

use std::collections::HashMap;

use polars::prelude::*;

/// One row per answer value: a multiple choice answer gives a row per choice. `value`
/// is what is counted (an option, a mark, a scale point) as a code into the value
/// names; `number` what is averaged. The rows of one answer follow each other and the
/// first of them is marked, so respondents who answered are counted without a
/// distinct count over millions of rows.
pub(super) struct Long {
    question: Vec<u32>,
    respondent: Vec<u32>,
    value: Vec<Option<u32>>,
    number: Vec<Option<f64>>,
    first: Vec<bool>,
    /// The respondent's weight per row, when the figures are weighted.
    weight: Option<Vec<f64>>,
    values: Values,
}

/// A counted value: text (an option value) or a small number (a mark, a scale point),
/// counted under its decimal text.
#[derive(Clone, Copy)]
pub(super) enum Value<'a> {
    Text(&'a str),
    Small(u8),
}

/// The distinct counted values, each with a code: polars groups codes much faster
/// than strings, and no string is made per answer.
#[derive(Default)]
struct Values {
    codes: HashMap<String, u32>,
    names: Vec<String>,
    small: HashMap<u8, u32>,
}

impl Values {
    fn code(&mut self, value: Value<'_>) -> u32 {
        match value {
            Value::Text(text) => self.text(text),
            Value::Small(n) => match self.small.get(&n) {
                Some(code) => *code,
                None => {
                    let code = self.text(&n.to_string());
                    self.small.insert(n, code);
                    code
                }
            },
        }
    }

    fn text(&mut self, text: &str) -> u32 {
        if let Some(code) = self.codes.get(text) {
            return *code;
        }
        let code = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        self.names.push(text.to_owned());
        self.codes.insert(text.to_owned(), code);
        code
    }
}

impl Long {
    pub(super) fn new(weighted: bool) -> Self {
        Self {
            question: Vec::new(),
            respondent: Vec::new(),
            value: Vec::new(),
            number: Vec::new(),
            first: Vec::new(),
            weight: weighted.then(Vec::new),
            values: Values::default(),
        }
    }

    /// Add a row; `first` marks the first row of an answer. `weight` is ignored when
    /// the table is not weighted.
    pub(super) fn push(
        &mut self,
        question: u32,
        respondent: u32,
        value: Option<Value<'_>>,
        number: Option<f64>,
        first: bool,
        weight: f64,
    ) {
        self.question.push(question);
        self.respondent.push(respondent);
        self.value.push(value.map(|v| self.values.code(v)));
        self.number.push(number);
        self.first.push(first);
        if let Some(weights) = &mut self.weight {
            weights.push(weight);
        }
    }

    pub(super) fn frame(self) -> PolarsResult<Frame> {
        let weighted = self.weight.is_some();
        let mut columns = vec![
            Column::new("q".into(), self.question),
            Column::new("r".into(), self.respondent),
            Column::new("v".into(), self.value),
            Column::new("x".into(), self.number),
            Column::new("first".into(), self.first),
        ];
        if let Some(weights) = self.weight {
            columns.push(Column::new("w".into(), weights));
        }
        Ok(Frame {
            df: DataFrame::new_infer_height(columns)?,
            names: self.values.names,
            weighted,
        })
    }
}

/// The long table in polars, with the names of the value codes.
pub(super) struct Frame {
    df: DataFrame,
    names: Vec<String>,
    weighted: bool,
}

impl Frame {
    pub(super) fn lazy(&self) -> LazyFrame {
        self.df.clone().lazy()
    }

    /// Whether the table has the weight column `w`.
    pub(super) fn weighted(&self) -> bool {
        self.weighted
    }

    /// The counted value of a code.
    pub(super) fn name(&self, code: u32) -> String {
        self.names.get(code as usize).cloned().unwrap_or_default()
    }
}
