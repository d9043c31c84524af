//! The codebook: a stand-alone HTML page that explains the export files and every
//! variable (name, question text, type, values with their labels, missing-value codes).
//! The XLSX file's codebook sheet uses the same texts.

use std::fmt::Write;

use super::{Dataset, ValueLabel, Variable};
use crate::i18n::{Lang, t, tf};

/// The notes about the files, in the order the codebook gives them (keys under
/// `export.codebook.`).
const NOTES: [&str; 8] = [
    "note_rows",
    "note_csv",
    "note_sps",
    "note_respondent",
    "note_missing",
    "note_multiple",
    "note_background",
    "note_weight",
];

/// What sort of variable `v` is, in words.
pub fn kind_text(lang: Lang, v: &Variable) -> String {
    t(lang, v.kind.i18n_key()).to_owned()
}

/// `1 = Ja (ja)` per code: the code, its label and, when it differs from the code, the
/// value in the questionnaire or panel file.
pub fn value_lines(values: &[ValueLabel]) -> Vec<String> {
    values
        .iter()
        .map(|v| match &v.value {
            Some(value) if *value != v.code.to_string() => {
                format!("{} = {} ({value})", v.code, v.label)
            }
            _ => format!("{} = {}", v.code, v.label),
        })
        .collect()
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn list(lines: &[String]) -> String {
    if lines.is_empty() {
        return "–".to_owned();
    }
    let items: String = lines
        .iter()
        .map(|l| format!("<li>{}</li>", escape(l)))
        .collect();
    format!("<ul>{items}</ul>")
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;font-size:1.05rem;line-height:1.5;\
max-width:70rem;margin:1rem auto;padding:0 1rem;color:#111}\
table{border-collapse:collapse;width:100%}th,td{border:1px solid #555;padding:.4rem;\
text-align:left;vertical-align:top}th{background:#eee}code{font-size:1rem}\
ul{margin:0;padding-left:1.2rem}";

/// The codebook of `dataset` as an HTML page.
pub fn html(dataset: &Dataset) -> String {
    let lang = dataset.lang;
    let title = tf(lang, "export.codebook.title", &[("title", &dataset.title)]);
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n<h1>{}</h1>\n",
        lang.code(),
        escape(&title),
        escape(&title),
    );
    let intro = tf(
        lang,
        "export.codebook.intro",
        &[
            ("survey", &dataset.survey_id),
            ("rows", &dataset.rows.len()),
            ("variables", &dataset.variables.len()),
        ],
    );
    let _ = writeln!(out, "<p>{}</p>", escape(&intro));
    let _ = writeln!(
        out,
        "<h2>{}</h2>\n<ul>",
        escape(t(lang, "export.codebook.about"))
    );
    for note in NOTES {
        let text = t(lang, &format!("export.codebook.{note}"));
        let _ = writeln!(out, "<li>{}</li>", escape(text));
    }
    let _ = writeln!(out, "</ul>");
    let _ = writeln!(
        out,
        "<h2 id=\"variabelen\">{}</h2>\n<table>\n<caption>{}</caption>\n<thead><tr>",
        escape(t(lang, "export.codebook.variables")),
        escape(t(lang, "export.codebook.caption")),
    );
    for key in [
        "col_name",
        "col_label",
        "col_kind",
        "col_values",
        "col_missing",
    ] {
        let _ = write!(
            out,
            "<th scope=\"col\">{}</th>",
            escape(t(lang, &format!("export.codebook.{key}")))
        );
    }
    let _ = writeln!(out, "</tr></thead>\n<tbody>");
    for v in &dataset.variables {
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\"><code>{}</code></th><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&v.name),
            escape(&v.label),
            escape(&kind_text(lang, v)),
            list(&value_lines(&v.values)),
            list(&value_lines(&v.missing)),
        );
    }
    let _ = writeln!(out, "</tbody>\n</table>\n</main>\n</body>\n</html>");
    out
}
