//! SPSS syntax (`.sps`) that reads the CSV file: `GET DATA /TYPE=TXT` with a format per
//! variable in the CSV's column order, then `VARIABLE LABELS`, `VALUE LABELS`,
//! `MISSING VALUES` and `VARIABLE LEVEL`. PSPP reads it too.
//!
//! Formats come from the data: `A` with the longest text in bytes, `F` wide enough for
//! every value and code, `SDATE10` for dates (read from `YYYY-MM-DD`). Labels are cut to
//! SPSS's limits (256 bytes for a variable label, 120 for a value label) and long ones
//! are split over lines with `+`, so no line is longer than SPSS accepts.

use std::fmt::Write;

use super::csv::field;
use super::{Dataset, Measure, Storage, ValueLabel, Variable};
use crate::i18n::{t, tf};

const VARIABLE_LABEL_BYTES: usize = 256;
const VALUE_LABEL_BYTES: usize = 120;
/// Longest piece of a quoted string on one line.
const PIECE_BYTES: usize = 60;

/// The syntax that reads `csv_file` (the CSV of `dataset`, by file name or path).
pub fn syntax(dataset: &Dataset, csv_file: &str) -> String {
    let lang = dataset.lang;
    let mut out = String::new();
    let comment = |out: &mut String, text: &str| {
        let _ = writeln!(
            out,
            "* {}.",
            text.replace(['\r', '\n'], " ").trim_end_matches('.')
        );
    };
    out.push_str("* Encoding: UTF-8.\n");
    comment(
        &mut out,
        &tf(
            lang,
            "export.spss.header",
            &[("title", &dataset.title), ("survey", &dataset.survey_id)],
        ),
    );
    comment(&mut out, t(lang, "export.spss.path"));
    out.push_str("SET DECIMAL=DOT.\n");
    let _ = writeln!(out, "FILE HANDLE antwoorden /NAME={}.", quote(csv_file));
    out.push_str(
        "GET DATA\n  /TYPE=TXT\n  /FILE=antwoorden\n  /ENCODING='UTF8'\n  /ARRANGEMENT=DELIMITED\n  \
         /DELCASE=LINE\n  /FIRSTCASE=2\n  /DELIMITERS=\",\"\n  /QUALIFIER='\"'\n  /VARIABLES=\n",
    );
    let last = dataset.variables.len().saturating_sub(1);
    for (i, v) in dataset.variables.iter().enumerate() {
        let end = if i == last { "." } else { "" };
        let _ = writeln!(out, "    {} {}{end}", v.name, format(dataset, i, v));
    }
    out.push_str("DATASET NAME antwoorden.\n");
    variable_labels(&mut out, dataset);
    value_labels(&mut out, dataset);
    missing_values(&mut out, dataset);
    levels(&mut out, dataset);
    comment(&mut out, t(lang, "export.spss.weight"));
    out.push_str("EXECUTE.\n");
    out
}

/// The input format of column `i`, wide enough for every value it holds.
fn format(dataset: &Dataset, i: usize, v: &Variable) -> String {
    let widest = |extra: usize| {
        dataset
            .rows
            .iter()
            .map(|row| field(&row[i]).len())
            .chain(
                v.values
                    .iter()
                    .chain(&v.missing)
                    .map(|l| l.code.to_string().len()),
            )
            .max()
            .unwrap_or(1)
            .max(extra)
    };
    match v.storage {
        Storage::Text => format!("A{}", widest(1).min(32_767)),
        Storage::Integer => format!("F{}.0", widest(1).min(40)),
        Storage::Decimal(d) => format!("F{}.{d}", widest(usize::from(d) + 2).min(40)),
        Storage::Date => "SDATE10".to_owned(),
    }
}

/// A quoted SPSS string, cut to `max` bytes and split into pieces joined with `+`.
fn label(text: &str, max: usize) -> String {
    let text = text.replace(['\r', '\n', '\t'], " ");
    let mut cut = text.len().min(max);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let text = &text[..cut];
    let mut pieces = Vec::new();
    let mut start = 0;
    while start < text.len() {
        let mut end = (start + PIECE_BYTES).min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        // Break after a space when there is one in the second half of the piece.
        if end < text.len()
            && let Some(space) = text[start..end]
                .rfind(' ')
                .filter(|i| *i >= PIECE_BYTES / 2)
        {
            end = start + space + 1;
        }
        pieces.push(quote(&text[start..end]));
        start = end;
    }
    if pieces.is_empty() {
        return quote("");
    }
    pieces.join(" +\n      ")
}

fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

fn variable_labels(out: &mut String, dataset: &Dataset) {
    let specs: Vec<String> = dataset
        .variables
        .iter()
        .map(|v| format!("{} {}", v.name, label(&v.label, VARIABLE_LABEL_BYTES)))
        .collect();
    command(out, "VARIABLE LABELS", &specs);
}

fn value_labels(out: &mut String, dataset: &Dataset) {
    let specs: Vec<String> = dataset
        .variables
        .iter()
        .filter(|v| v.storage != Storage::Text)
        .filter(|v| !v.values.is_empty() || !v.missing.is_empty())
        .map(|v| {
            let pairs: Vec<String> = v
                .values
                .iter()
                .chain(&v.missing)
                .map(|l: &ValueLabel| format!("{} {}", l.code, label(&l.label, VALUE_LABEL_BYTES)))
                .collect();
            format!("{}\n    {}", v.name, pairs.join("\n    "))
        })
        .collect();
    command(out, "VALUE LABELS", &specs);
}

fn missing_values(out: &mut String, dataset: &Dataset) {
    let specs: Vec<String> = dataset
        .variables
        .iter()
        .filter(|v| v.storage != Storage::Text && !v.missing.is_empty())
        .map(|v| {
            let codes: Vec<String> = v
                .missing
                .iter()
                .take(3)
                .map(|m| m.code.to_string())
                .collect();
            format!("{} ({})", v.name, codes.join(", "))
        })
        .collect();
    command(out, "MISSING VALUES", &specs);
}

fn levels(out: &mut String, dataset: &Dataset) {
    let specs: Vec<String> = [Measure::Nominal, Measure::Ordinal, Measure::Scale]
        .into_iter()
        .filter_map(|m| {
            let names: Vec<&str> = dataset
                .variables
                .iter()
                .filter(|v| v.measure == m)
                .map(|v| v.name.as_str())
                .collect();
            (!names.is_empty()).then(|| format!("{} ({})", names.join("\n    "), m.spss()))
        })
        .collect();
    command(out, "VARIABLE LEVEL", &specs);
}

/// `NAME spec /spec /spec.`, one spec per line; nothing when there are none.
fn command(out: &mut String, name: &str, specs: &[String]) {
    if specs.is_empty() {
        return;
    }
    let _ = writeln!(out, "{name}\n  {}.", specs.join("\n  /"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_doubled_and_long_labels_cut_on_character_boundaries() {
        assert_eq!(label("Zo'n vraag", 120), "'Zo''n vraag'");
        assert_eq!(label("", 120), "''");
        assert_eq!(label("twee\nregels", 120), "'twee regels'");
        // 100 times "é" is 200 bytes: cut to 120 bytes, two pieces of at most 60.
        let cut = label(&"é".repeat(100), VALUE_LABEL_BYTES);
        assert_eq!(
            cut,
            format!("'{}' +\n      '{}'", "é".repeat(30), "é".repeat(30))
        );
        for line in label(&"woord ".repeat(80), VARIABLE_LABEL_BYTES).lines() {
            assert!(line.len() <= PIECE_BYTES + 12, "{line}");
        }
    }
}
