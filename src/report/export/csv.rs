//! The dataset as CSV: UTF-8 with a byte order mark, comma-separated, fields quoted when
//! needed and lines ending in CRLF (RFC 4180), variable names in the first row.
//!
//! The byte order mark lets Excel see UTF-8 (accents stay right); pandas and R skip it,
//! and Python's `csv` module does with `encoding="utf-8-sig"`. Numbers use `.` as the
//! decimal sign, dates are `YYYY-MM-DD`. Line breaks inside open answers become a space,
//! so every response is one line (SPSS cannot read line breaks inside a field; the XLSX
//! file keeps them), and text that a spreadsheet would run as a formula gets a `'` in
//! front.

use super::{Cell, Dataset, ExportError};

/// UTF-8's byte order mark.
pub const BOM: &str = "\u{feff}";

/// The CSV file of `dataset`.
pub fn write(dataset: &Dataset) -> Result<Vec<u8>, ExportError> {
    let error = |e: ::csv::Error| ExportError::Csv(e.to_string());
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(BOM.as_bytes().to_vec());
    writer
        .write_record(dataset.variables.iter().map(|v| v.name.as_str()))
        .map_err(error)?;
    for row in &dataset.rows {
        writer.write_record(row.iter().map(field)).map_err(error)?;
    }
    writer
        .into_inner()
        .map_err(|e| ExportError::Csv(e.to_string()))
}

/// One cell as a CSV field.
pub fn field(cell: &Cell) -> String {
    match cell {
        Cell::Text(text) => spreadsheet_safe(&one_line(text)),
        other => other.text(),
    }
}

/// `text` with every line break (CRLF, LF or CR) replaced by a space.
pub fn one_line(text: &str) -> String {
    text.replace("\r\n", " ").replace(['\n', '\r'], " ")
}

/// A cell a spreadsheet will not run as a formula: text that starts like one gets a
/// quote in front (a phone number such as +31 6 … stays as it is).
pub fn spreadsheet_safe(value: &str) -> String {
    let mut chars = value.chars();
    let risky = match chars.next() {
        Some('=' | '@' | '\t' | '\r') => true,
        Some('+' | '-') => !chars.all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')')),
        _ => false,
    };
    if risky {
        format!("'{value}")
    } else {
        value.to_owned()
    }
}
