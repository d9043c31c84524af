//! `/api/v1/panels/{id}/members/import`: member import with the file (CSV or XLSX) as
//! the raw request body, all or nothing, through the same service as the web page and
//! the CLI.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::error::{ApiResult, ErrorBody};
use super::extract::{ApiBody, ApiLang, ApiQuery};
use crate::i18n::{Lang, t};
use crate::import::Format;
use crate::service::import::{ImportReport, file_message, import, row_message};
use crate::store::panels;
use crate::web::auth::ManagerAuth;
use crate::web::state::AppState;

const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

#[derive(Clone, Copy, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum FileFormat {
    Csv,
    Xlsx,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// `true`: only check the file and store nothing. Default `false`.
    #[serde(default)]
    dry_run: bool,
    /// `csv` or `xlsx`. Left out: from the Content-Type, else from the content.
    #[param(inline)]
    format: Option<FileFormat>,
    /// Language of the messages: `nl` (default) or `en`.
    #[allow(dead_code)] // read by `ctx::prepare`
    lang: Option<String>,
}

/// One row that cannot be imported.
#[derive(Debug, Serialize, ToSchema)]
pub struct RowProblem {
    /// The line as a spreadsheet shows it (the header is line 1).
    pub line: u64,
    /// The column concerned, if one.
    pub column: Option<String>,
    /// Machine-readable reason, e.g. `bad_email`, `unknown_category`, `duplicate_in_file`.
    pub reason: String,
    /// The earlier line with the same email address or phone number.
    pub duplicate_of_line: Option<u64>,
    /// The problem in the caller's language.
    pub message: String,
}

/// What an import did, or would do.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportResult {
    /// Data rows in the file.
    pub rows: usize,
    /// Members stored: 0 on a dry run or when any row is bad.
    pub imported: usize,
    pub dry_run: bool,
    /// Every bad row; empty when the file is fine.
    pub errors: Vec<RowProblem>,
}

impl ImportResult {
    fn new(lang: Lang, report: &ImportReport) -> Self {
        Self {
            rows: report.rows,
            imported: report.imported,
            dry_run: report.dry_run,
            errors: report
                .errors
                .iter()
                .map(|e| RowProblem {
                    line: e.line,
                    column: e.column.clone(),
                    reason: e.reason.trim_start_matches("import.row.").to_owned(),
                    duplicate_of_line: e.duplicate_of_line,
                    message: row_message(lang, e),
                })
                .collect(),
        }
    }
}

/// Why nothing was imported: a file that cannot be read (`import_file`, with `reason`),
/// or bad rows (`import_rows`, with the `report` listing every one).
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportRefused {
    /// `import_file` or `import_rows`.
    pub error: String,
    pub message: String,
    /// For `import_file`: e.g. `not_utf8`, `bad_csv`, `unknown_column`, `empty`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// For `import_rows`: the report with every bad row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report: Option<ImportResult>,
}

fn format_of(query: Option<FileFormat>, headers: &HeaderMap, bytes: &[u8]) -> Format {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    match query {
        Some(FileFormat::Csv) => Format::Csv,
        Some(FileFormat::Xlsx) => Format::Xlsx,
        None if content_type.starts_with(XLSX_TYPE) => Format::Xlsx,
        None if content_type.starts_with("text/csv") => Format::Csv,
        None => Format::detect("", bytes),
    }
}

/// Import members from a CSV or XLSX file sent as the request body (at most 20 MiB).
///
/// Every row is checked first; when any row is bad nothing is stored and every bad row
/// is reported with its line. Columns: `name`, `email`, `phone`, `address`,
/// `contact_preference`, `birth_year`, `language`, `source`, `consent`,
/// `health_consent`, `keep_answers_anonymous`, `supporter_name`, `supporter_relation`,
/// `supporter_contact`, and one per background variable.
#[utoipa::path(
    post,
    path = "/api/v1/panels/{id}/members/import",
    operation_id = "importMembers",
    tag = "members",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The panel's id"), ImportQuery),
    request_body(
        description = "The file itself (not a multipart form)",
        content(("text/csv"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), ("application/octet-stream"))
    ),
    responses(
        (status = 200, description = "The file is fine: checked (dry run) or imported", body = ImportResult),
        (status = 400, description = "A query parameter is not right", body = ErrorBody),
        (status = 401, description = "No valid API key", body = ErrorBody),
        (status = 404, description = "No such panel", body = ErrorBody),
        (status = 413, description = "The file is larger than 20 MiB", body = ErrorBody),
        (status = 422, description = "Nothing imported: the file cannot be read, or rows are bad", body = ImportRefused),
    )
)]
pub async fn post(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    auth: ManagerAuth,
    Path(panel_id): Path<String>,
    ApiQuery(q): ApiQuery<ImportQuery>,
    headers: HeaderMap,
    ApiBody(bytes): ApiBody,
) -> ApiResult<Response> {
    let panel = panels::get(&state.db, &panel_id).await?;
    let format = format_of(q.format, &headers, &bytes);
    let outcome = import(
        &state.db,
        &panel,
        &bytes,
        format,
        q.dry_run,
        &auth.actor(),
        state.now(),
        &|_, _| {},
    )
    .await?;
    let refused = |error: &str, message: String, reason, report| {
        let body = ImportRefused {
            error: error.to_owned(),
            message,
            reason,
            report,
        };
        (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
    };
    Ok(match outcome {
        Err(e) => {
            let reason = serde_json::to_value(&e)
                .ok()
                .and_then(|v| v["kind"].as_str().map(str::to_owned));
            refused("import_file", file_message(lang, &e), reason, None)
        }
        Ok(report) if !report.errors.is_empty() => refused(
            "import_rows",
            t(lang, "manager.import.rows_refused").to_owned(),
            None,
            Some(ImportResult::new(lang, &report)),
        ),
        Ok(report) => Json(ImportResult::new(lang, &report)).into_response(),
    })
}
