//! `klankbord schema check FILE...`: checks panel and questionnaire files against the JSON
//! Schemas in `panel-schemas/`, the typed parse and the semantic rules, and reports every
//! problem with its JSON path (plus B1 notes for questionnaires), as text or JSON.
//!
//! Reported once each: JSON Schema errors; a typed-parse error only when the schema found
//! nothing (it would repeat the schema's error); semantic problems whenever the typed parse
//! succeeds, replacing a schema error at the same path (the semantic message is clearer).

use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::sync::LazyLock;

use jsonschema::Validator;
use serde::Serialize;
use serde_json::Value;

use crate::domain::plain_language;
use crate::domain::questionnaire::parse::{from_serde, without_bom};
use crate::domain::questionnaire::validate::matrix_problems;
use crate::domain::questionnaire::{
    MAX_FILE_BYTES, ParseError, Problem, Questionnaire, Severity, parse_questionnaire,
};
use crate::i18n::{Lang, tf};

pub use render::render;

mod panel;
mod render;
mod schema_errors;
#[cfg(test)]
mod tests;

static PANEL_SCHEMA: LazyLock<Validator> =
    LazyLock::new(|| compile(include_str!("../panel-schemas/panel.schema.json")));
static QUESTIONNAIRE_SCHEMA: LazyLock<Validator> =
    LazyLock::new(|| compile(include_str!("../panel-schemas/questionnaire.schema.json")));

fn compile(source: &str) -> Validator {
    let schema: Value = serde_json::from_str(source).expect("embedded schema is JSON");
    jsonschema::draft202012::options()
        .build(&schema)
        .expect("embedded schema compiles")
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    Panel,
    Questionnaire,
}

/// How the report is written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    #[default]
    Text,
    Json,
}

impl Format {
    pub fn from_name(name: &str) -> Option<Format> {
        match name {
            "text" => Some(Format::Text),
            "json" => Some(Format::Json),
            _ => None,
        }
    }
}

/// One problem or warning in a file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// JSON path, `$.questions[2].show_if.question`; `$` for the whole file.
    pub path: String,
    pub severity: Severity,
    /// Stable code: the message's i18n key without `schema.` (`problem.never_shown`).
    pub code: String,
    /// Localised message for panel managers.
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
}

/// A plain-language (B1) note on one text of a questionnaire. Never makes a file invalid.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct B1Finding {
    pub path: String,
    pub severity: Severity,
    /// The B1 module's finding kind, snake_case (`long_sentence`).
    pub kind: String,
    /// What is wrong and what to do, in the reader's language.
    pub message: String,
    pub excerpt: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
}

/// Everything found in one file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FileReport {
    pub path: String,
    pub kind: Option<FileKind>,
    /// No finding of severity `Problem` (warnings and B1 notes allowed).
    pub valid: bool,
    pub problems: Vec<Finding>,
    /// `None` for panels and for questionnaires that could not be read.
    pub b1: Option<Vec<B1Finding>>,
}

impl Finding {
    fn new(path: String, severity: Severity, key: &str, message: String) -> Finding {
        Finding {
            path,
            severity,
            code: key.trim_start_matches("schema.").to_owned(),
            message,
            line: None,
            column: None,
        }
    }

    fn problem(path: impl Into<String>, lang: Lang, key: &str, args: &[(&str, String)]) -> Self {
        let message = message(lang, key, args);
        Finding::new(path.into(), Severity::Problem, key, message)
    }
}

fn message(lang: Lang, key: &str, args: &[(&str, String)]) -> String {
    let args: Vec<(&str, &dyn std::fmt::Display)> = args
        .iter()
        .map(|(k, v)| (*k, v as &dyn std::fmt::Display))
        .collect();
    tf(lang, key, &args)
}

/// Check one file's contents; `name` is only used in the report.
pub fn check_bytes(name: &str, bytes: &[u8], lang: Lang) -> FileReport {
    let bytes = without_bom(bytes);
    let mut report = FileReport {
        path: name.to_owned(),
        kind: None,
        valid: false,
        problems: Vec::new(),
        b1: None,
    };
    if bytes.len() > MAX_FILE_BYTES {
        report.problems.push(too_large(bytes.len() as u64, lang));
    } else {
        match serde_json::from_slice::<Value>(bytes) {
            Err(error) => report.problems.push(parse_finding(bytes, &error, lang)),
            Ok(value) => match detect(&value) {
                None => report.problems.push(Finding::problem(
                    "$",
                    lang,
                    "schema.file.unknown_kind",
                    &[],
                )),
                Some(kind) => {
                    report.kind = Some(kind);
                    match kind {
                        FileKind::Panel => panel::check_panel(bytes, &value, lang, &mut report),
                        FileKind::Questionnaire => {
                            check_questionnaire(bytes, &value, lang, &mut report)
                        }
                    }
                }
            },
        }
    }
    report.valid = !report
        .problems
        .iter()
        .any(|f| f.severity == Severity::Problem);
    report
}

/// Check files and write the report; the exit code is 0 when every file is valid
/// (warnings and B1 notes allowed), 1 otherwise.
pub fn check_files<P: AsRef<Path>>(paths: &[P], format: Format, lang: Lang) -> (String, i32) {
    let reports: Vec<FileReport> = paths.iter().map(|p| check_file(p.as_ref(), lang)).collect();
    let code = if reports.iter().all(|r| r.valid) {
        0
    } else {
        1
    };
    (render(&reports, format, lang), code)
}

/// Read and check one file, refusing files over [`MAX_FILE_BYTES`] before reading them.
pub fn check_file(path: &Path, lang: Lang) -> FileReport {
    let name = path.display().to_string();
    let read = || -> std::io::Result<Result<Vec<u8>, u64>> {
        let file = File::open(path)?;
        let size = file.metadata()?.len();
        if size > MAX_FILE_BYTES as u64 {
            return Ok(Err(size));
        }
        let mut bytes = Vec::new();
        file.take(MAX_FILE_BYTES as u64 + 1)
            .read_to_end(&mut bytes)?;
        Ok(Ok(bytes))
    };
    match read() {
        Ok(Ok(bytes)) => check_bytes(&name, &bytes, lang),
        Ok(Err(size)) => unreadable(name, too_large(size, lang)),
        Err(error) => {
            let args = [("detail", error.to_string())];
            unreadable(
                name,
                Finding::problem("$", lang, "schema.file.unreadable", &args),
            )
        }
    }
}

fn unreadable(path: String, finding: Finding) -> FileReport {
    FileReport {
        path,
        kind: None,
        valid: false,
        problems: vec![finding],
        b1: None,
    }
}

fn too_large(size: u64, lang: Lang) -> Finding {
    let args = [
        ("size", size.to_string()),
        ("limit", MAX_FILE_BYTES.to_string()),
    ];
    Finding::problem("$", lang, "schema.file.too_large", &args)
}

/// Which schema applies: by `$schema` when it names one of ours, else by content.
fn detect(value: &Value) -> Option<FileKind> {
    let schema = value.get("$schema").and_then(Value::as_str).unwrap_or("");
    if schema.ends_with("questionnaire.schema.json") {
        Some(FileKind::Questionnaire)
    } else if schema.ends_with("panel.schema.json") {
        Some(FileKind::Panel)
    } else if value.get("questions").is_some() {
        Some(FileKind::Questionnaire)
    } else if value.get("background_variables").is_some() {
        Some(FileKind::Panel)
    } else {
        None
    }
}

/// A serde error as a finding with line, column and the path it points at.
fn parse_finding(bytes: &[u8], error: &serde_json::Error, lang: Lang) -> Finding {
    parse_error_finding(from_serde(bytes, error), lang)
}

fn parse_error_finding(error: ParseError, lang: Lang) -> Finding {
    let (key, line, column, path, detail) = match error {
        ParseError::TooLarge { size, .. } => return too_large(size as u64, lang),
        ParseError::Syntax {
            line,
            column,
            path,
            message,
        } => ("schema.file.syntax", line, column, path, message),
        ParseError::Invalid {
            line,
            column,
            path,
            message,
        } => ("schema.file.invalid", line, column, path, message),
    };
    let args = [
        ("line", line.to_string()),
        ("column", column.to_string()),
        ("detail", detail),
    ];
    Finding {
        line: Some(line),
        column: Some(column),
        ..Finding::problem(path, lang, key, &args)
    }
}

fn check_questionnaire(bytes: &[u8], value: &Value, lang: Lang, report: &mut FileReport) {
    let matrix: Vec<Finding> = matrix_problems(value)
        .into_iter()
        .map(|p| semantic_finding(p, lang))
        .collect();
    let mut schema = schema_errors::findings(&QUESTIONNAIRE_SCHEMA, value, lang);
    // A matrix question breaks many schema rules at once; its own message says it all.
    schema.retain(|f| {
        !matrix.iter().any(|m| {
            let question = m.path.rsplit_once('.').map_or("", |(q, _)| q);
            f.path == question || f.path.starts_with(&format!("{question}."))
        })
    });
    let schema_clean = schema.is_empty() && matrix.is_empty();
    report.problems.extend(matrix);
    match parse_questionnaire(bytes) {
        Ok(questionnaire) => {
            let semantic = questionnaire
                .problems()
                .into_iter()
                .map(|p| semantic_finding(p, lang));
            merge(&mut report.problems, schema, semantic.collect());
            report.b1 = Some(b1_findings(&questionnaire, lang));
        }
        Err(error) => {
            report.problems.extend(schema);
            if schema_clean {
                report.problems.push(parse_error_finding(error, lang));
            }
        }
    }
}

/// Schema findings first, minus those at a path a semantic finding also names.
fn merge(out: &mut Vec<Finding>, schema: Vec<Finding>, semantic: Vec<Finding>) {
    out.extend(
        schema
            .into_iter()
            .filter(|f| !semantic.iter().any(|s| s.path == f.path)),
    );
    out.extend(semantic);
}

pub(crate) fn semantic_finding(problem: Problem, lang: Lang) -> Finding {
    let key = format!("schema.problem.{}", problem.kind.code());
    let message = message(lang, &key, &problem.kind.args());
    Finding::new(problem.path, problem.severity, &key, message)
}

/// The B1 notes on every text of the questionnaire, from `domain::plain_language`.
fn b1_findings(questionnaire: &Questionnaire, lang: Lang) -> Vec<B1Finding> {
    let report = plain_language::check_texts(questionnaire.texts());
    let mut out = Vec::new();
    for text in report.texts {
        for finding in text.report.findings {
            out.push(B1Finding {
                path: text.at.field.clone(),
                severity: match finding.severity {
                    plain_language::Severity::Warning => Severity::Warning,
                    plain_language::Severity::Problem => Severity::Problem,
                },
                kind: finding.message_key.trim_start_matches("b1.").to_owned(),
                message: b1_message(lang, &finding),
                excerpt: finding.excerpt,
                suggestion: finding.suggestion,
            });
        }
    }
    out
}

/// A plain-language finding as a sentence in `lang`.
pub fn b1_message(lang: Lang, finding: &plain_language::Finding) -> String {
    let params = finding.message_params();
    let args: Vec<(&str, &dyn std::fmt::Display)> = params
        .iter()
        .map(|(k, v)| (*k, v as &dyn std::fmt::Display))
        .collect();
    crate::i18n::tf(lang, finding.message_key, &args)
}
