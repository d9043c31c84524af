//! The report for people (text) and for tools (JSON).

use serde::Serialize;

use super::{FileKind, FileReport, Format};
use crate::domain::questionnaire::Severity;
use crate::i18n::{Lang, t, tf};

/// The report for all files, as text for people or as JSON for tools.
pub fn render(reports: &[FileReport], format: Format, lang: Lang) -> String {
    match format {
        Format::Json => {
            #[derive(Serialize)]
            struct Output<'a> {
                valid: bool,
                files: &'a [FileReport],
            }
            let valid = reports.iter().all(|r| r.valid);
            let mut text = serde_json::to_string_pretty(&Output {
                valid,
                files: reports,
            })
            .expect("reports serialise");
            text.push('\n');
            text
        }
        Format::Text => render_text(reports, lang),
    }
}

fn render_text(reports: &[FileReport], lang: Lang) -> String {
    let mut out = String::new();
    let count = |key: &str, n: usize| match n {
        1 => t(lang, &format!("{key}_one")).to_owned(),
        _ => tf(lang, key, &[("n", &n)]),
    };
    for report in reports {
        let kind = match report.kind {
            Some(FileKind::Panel) => t(lang, "schema.report.kind_panel"),
            Some(FileKind::Questionnaire) => t(lang, "schema.report.kind_questionnaire"),
            None => t(lang, "schema.report.kind_unknown"),
        };
        let status = t(
            lang,
            if report.valid {
                "schema.report.valid"
            } else {
                "schema.report.invalid"
            },
        );
        let mut line = format!("{}: {kind}: {status}", report.path);
        let of = |s: Severity| report.problems.iter().filter(|f| f.severity == s).count();
        let b1 = report.b1.as_ref().map_or(0, Vec::len);
        for (key, n) in [
            ("schema.report.problems", of(Severity::Problem)),
            ("schema.report.warnings", of(Severity::Warning)),
            ("schema.report.b1_count", b1),
        ] {
            if n > 0 {
                line.push_str(&format!(", {}", count(key, n)));
            }
        }
        out.push_str(&line);
        out.push('\n');
        for finding in &report.problems {
            let severity = match finding.severity {
                Severity::Problem => t(lang, "schema.report.problem"),
                Severity::Warning => t(lang, "schema.report.warning"),
            };
            out.push_str(&format!(
                "  {severity} {}: {}\n",
                finding.path, finding.message
            ));
        }
        for note in report.b1.iter().flatten() {
            let mut line = format!(
                "  {} {}: {}",
                t(lang, "schema.report.b1"),
                note.path,
                note.message
            );
            if let Some(suggestion) = note
                .suggestion
                .as_ref()
                .filter(|s| !note.message.contains(s.as_str()))
            {
                line.push_str(&format!(
                    " {}",
                    tf(
                        lang,
                        "schema.report.b1_suggestion",
                        &[("suggestion", suggestion)]
                    )
                ));
            }
            out.push_str(&line);
            out.push('\n');
        }
        if b1 > 0 {
            out.push_str(&format!("  {}\n", t(lang, "schema.report.b1_note")));
        }
    }
    let valid = reports.iter().filter(|r| r.valid).count();
    let summary = tf(
        lang,
        "schema.report.summary",
        &[("valid", &valid), ("total", &reports.len())],
    );
    out.push_str(&summary);
    out.push('\n');
    out
}
