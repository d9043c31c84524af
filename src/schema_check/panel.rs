//! Panel files: JSON Schema, the typed `PanelDefinition` and its `problems()`, with the
//! Dutch and English messages for each panel problem.

use serde_json::Value;

use super::{FileReport, Finding, PANEL_SCHEMA, merge, parse_finding, schema_errors};
use crate::domain::panel::{PanelDefinition, PanelProblemKind};
use crate::domain::questionnaire::parse::without_top_level_member;
use crate::i18n::Lang;

pub(super) fn check_panel(bytes: &[u8], value: &Value, lang: Lang, report: &mut FileReport) {
    let schema = schema_errors::findings(&PANEL_SCHEMA, value, lang);
    // JSON that parsed into a Value is UTF-8.
    let text = String::from_utf8_lossy(bytes);
    // The typed panel does not know `$schema`; blank it out, keeping lines and columns.
    let text = without_top_level_member(&text, "$schema").unwrap_or_else(|| text.into_owned());
    match PanelDefinition::from_json(&text) {
        Ok(panel) => {
            let semantic = panel.problems().into_iter().map(|p| {
                let (key, args) = panel_message(&p.kind, lang);
                Finding::problem(p.path, lang, &key, &args)
            });
            merge(&mut report.problems, schema, semantic.collect());
        }
        Err(error) => {
            let schema_clean = schema.is_empty();
            report.problems.extend(schema);
            if schema_clean {
                report
                    .problems
                    .push(parse_finding(text.as_bytes(), &error, lang));
            }
        }
    }
}

pub(super) fn panel_message(
    kind: &PanelProblemKind,
    lang: Lang,
) -> (String, Vec<(&'static str, String)>) {
    let (code, args) = match kind {
        PanelProblemKind::DuplicateVariable { id } => {
            ("duplicate_variable", vec![("id", id.clone())])
        }
        PanelProblemKind::DuplicateCategory { value } => {
            ("duplicate_category", vec![("value", value.clone())])
        }
        PanelProblemKind::NoCategories => ("no_categories", vec![]),
        PanelProblemKind::UnknownTargetVariable { id } => {
            ("unknown_target_variable", vec![("id", id.clone())])
        }
        PanelProblemKind::UnknownTargetCategory { value } => {
            ("unknown_target_category", vec![("value", value.clone())])
        }
        PanelProblemKind::MissingTargetCategory { value } => {
            ("missing_target_category", vec![("value", value.clone())])
        }
        PanelProblemKind::TargetsDoNotSumToOne { sum_per_mille } => {
            let separator = if lang == Lang::Nl { ',' } else { '.' };
            let (whole, tenth) = (sum_per_mille / 10, (sum_per_mille % 10).abs());
            let percent = if tenth == 0 {
                whole.to_string()
            } else {
                format!("{whole}{separator}{tenth}")
            };
            ("targets_do_not_sum_to_one", vec![("percent", percent)])
        }
        PanelProblemKind::TargetOutOfRange => ("target_out_of_range", vec![]),
        PanelProblemKind::BadTime { value } => ("bad_time", vec![("value", value.clone())]),
        PanelProblemKind::MinCellSizeZero => ("min_cell_size_zero", vec![]),
    };
    (format!("schema.panel.{code}"), args)
}
