//! `klankbord schema check`: validate panel files and print every problem with its path.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::domain::panel::PanelDefinition;

/// Check each file; exit code 1 when any file is invalid.
pub fn check(files: &[PathBuf], format: &str, _lang: &str) -> ExitCode {
    let mut valid = true;
    let mut reports = Vec::new();
    for file in files {
        let problems: Vec<(String, String)> = match std::fs::read_to_string(file) {
            Err(e) => vec![("$".to_owned(), format!("cannot read: {e}"))],
            Ok(text) => match PanelDefinition::from_json(&text) {
                Err(e) => vec![(
                    "$".to_owned(),
                    format!("line {}, column {}: {e}", e.line(), e.column()),
                )],
                Ok(panel) => panel
                    .problems()
                    .into_iter()
                    .map(|p| (p.path, format!("{:?}", p.kind)))
                    .collect(),
            },
        };
        valid &= problems.is_empty();
        reports.push((file.display().to_string(), problems));
    }
    if format == "json" {
        let json: Vec<_> = reports
            .iter()
            .map(|(file, problems)| serde_json::json!({
                "file": file,
                "valid": problems.is_empty(),
                "problems": problems.iter().map(|(path, message)| serde_json::json!({"path": path, "message": message})).collect::<Vec<_>>(),
            }))
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&json).unwrap_or_default()
        );
    } else {
        for (file, problems) in &reports {
            if problems.is_empty() {
                println!("{file}: ok");
            }
            for (path, message) in problems {
                println!("{file}: {path}: {message}");
            }
        }
    }
    if valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
