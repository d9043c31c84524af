//! Member import, all or nothing: a file with any bad row imports nothing and reports
//! every bad row; a good file is stored in one transaction.

use std::path::Path;
use std::process::ExitCode;

use chrono::{DateTime, Datelike, Utc};
use sea_orm::DatabaseConnection;
use serde::Serialize;

use crate::domain::member::MemberStatus;
use crate::domain::panel::PanelDefinition;
use crate::i18n::{Lang, t, tf};
use crate::import::{self, FileError, Format, RowError};
use crate::store::audit::{self, Action, Actor};
use crate::store::{StoreResult, members, panels};

#[derive(Clone, Debug, Serialize)]
pub struct ImportReport {
    pub rows: usize,
    pub imported: usize,
    pub dry_run: bool,
    pub errors: Vec<RowError>,
}

impl ImportReport {
    /// One line per problem, in `lang`.
    pub fn messages(&self, lang: Lang) -> Vec<String> {
        self.errors.iter().map(|e| row_message(lang, e)).collect()
    }
}

pub fn row_message(lang: Lang, e: &RowError) -> String {
    let column = e.column.clone().unwrap_or_default();
    let reason = match e.duplicate_of_line {
        Some(line) => tf(lang, e.reason, &[("line", &line), ("column", &column)]),
        None => tf(lang, e.reason, &[("column", &column)]),
    };
    tf(
        lang,
        "import.row.line",
        &[("line", &e.line), ("column", &column), ("reason", &reason)],
    )
}

pub fn file_message(lang: Lang, e: &FileError) -> String {
    match e {
        FileError::BadCsv { line } => tf(lang, e.i18n_key(), &[("line", line)]),
        FileError::UnknownColumn { column } | FileError::DuplicateColumn { column } => {
            tf(lang, e.i18n_key(), &[("column", column)])
        }
        _ => t(lang, e.i18n_key()).to_owned(),
    }
}

/// Check a file and, unless `dry_run` or any row is bad, import it.
#[allow(clippy::too_many_arguments)]
pub async fn import(
    db: &DatabaseConnection,
    panel: &PanelDefinition,
    bytes: &[u8],
    format: Format,
    dry_run: bool,
    actor: &Actor,
    now: DateTime<Utc>,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> StoreResult<Result<ImportReport, FileError>> {
    let rows = match import::read(panel, bytes, format) {
        Ok(rows) => rows,
        Err(e) => return Ok(Err(e)),
    };
    let (emails, phones) = members::existing_contacts(db, panel.id.as_str()).await?;
    let checked = import::check_rows(panel, &rows, &emails, &phones, now.year(), progress);
    let mut report = ImportReport {
        rows: rows.len(),
        imported: 0,
        dry_run,
        errors: checked.errors,
    };
    if dry_run || !report.errors.is_empty() {
        return Ok(Ok(report));
    }
    let txn = crate::store::begin_write(db).await?;
    for new in &checked.members {
        members::insert_in(&txn, panel.id.as_str(), new, MemberStatus::Active, now).await?;
    }
    audit::record(
        &txn,
        actor,
        Action::ImportMembers,
        None,
        Some(panel.id.as_str()),
        &format!("{} rows", checked.members.len()),
        now,
    )
    .await?;
    txn.commit().await?;
    report.imported = checked.members.len();
    Ok(Ok(report))
}

/// `klankbord members import FILE --panel ID [--dry-run]`.
pub async fn run_cli(
    db: &DatabaseConnection,
    file: &Path,
    panel_id: &str,
    dry_run: bool,
    now: DateTime<Utc>,
) -> anyhow::Result<ExitCode> {
    use anyhow::Context;
    let lang = Lang::Nl;
    let panel = panels::get(db, panel_id)
        .await
        .with_context(|| format!("unknown panel {panel_id}"))?;
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let format = Format::detect(&file.to_string_lossy(), &bytes);
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len}")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar.set_message(t(lang, "import.cli.checking"));
    let progress = |done: u64, total: u64| {
        bar.set_length(total);
        bar.set_position(done);
    };
    let result = import(
        db,
        &panel,
        &bytes,
        format,
        dry_run,
        &Actor::system(),
        now,
        &progress,
    )
    .await?;
    bar.finish_and_clear();
    match result {
        Err(e) => {
            eprintln!("{}", file_message(lang, &e));
            Ok(ExitCode::from(1))
        }
        Ok(report) => {
            for line in report.messages(lang) {
                eprintln!("{line}");
            }
            if !report.errors.is_empty() {
                eprintln!(
                    "{}",
                    tf(
                        lang,
                        "import.cli.refused",
                        &[("rows", &report.rows), ("errors", &report.errors.len())]
                    )
                );
                Ok(ExitCode::from(1))
            } else if dry_run {
                println!(
                    "{}",
                    tf(lang, "import.cli.dry_run_ok", &[("rows", &report.rows)])
                );
                Ok(ExitCode::SUCCESS)
            } else {
                println!(
                    "{}",
                    tf(lang, "import.cli.imported", &[("rows", &report.imported)])
                );
                Ok(ExitCode::SUCCESS)
            }
        }
    }
}
