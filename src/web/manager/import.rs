//! Member import as an upload (CSV or XLSX): check first, import all or nothing.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::domain::panel::PanelDefinition;
use crate::import::{COLUMNS, Format};
use crate::service::import::{ImportReport, file_message, import};
use crate::store::panels;
use crate::web::auth::ManagerAuth;
use crate::web::ctx::PageCtx;
use crate::web::error::WebResult;
use crate::web::form::CsrfMultipart;
use crate::web::state::AppState;
use crate::web::view::FormErrors;

#[derive(Template, WebTemplate)]
#[template(path = "manager/import.html", config = "src/web/askama.toml")]
pub struct ImportPage {
    pub ctx: PageCtx,
    pub panel: PanelDefinition,
    pub errors: FormErrors,
    pub columns: Vec<String>,
    pub report: Option<ImportReport>,
    /// One line per bad row.
    pub row_messages: Vec<String>,
}

fn columns(panel: &PanelDefinition) -> Vec<String> {
    COLUMNS
        .iter()
        .map(|c| (*c).to_owned())
        .chain(panel.background_variables.iter().map(|v| v.id.to_string()))
        .collect()
}

pub async fn form(
    State(state): State<AppState>,
    ctx: PageCtx,
    _auth: ManagerAuth,
    Path(panel_id): Path<String>,
) -> WebResult<ImportPage> {
    let panel = panels::get(&state.db, &panel_id).await?;
    Ok(ImportPage {
        errors: FormErrors::none(ctx.lang),
        columns: columns(&panel),
        ctx,
        panel,
        report: None,
        row_messages: Vec::new(),
    })
}

pub async fn submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    auth: ManagerAuth,
    Path(panel_id): Path<String>,
    upload: CsrfMultipart,
) -> WebResult<Response> {
    let panel = panels::get(&state.db, &panel_id).await?;
    let lang = ctx.lang;
    let Some(file) = upload
        .files
        .iter()
        .find(|f| f.field == "file" && !f.bytes.is_empty())
    else {
        let errors = FormErrors::single(lang, "file", "manager.import.no_file");
        let page = ImportPage {
            errors,
            columns: columns(&panel),
            ctx,
            panel,
            report: None,
            row_messages: Vec::new(),
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let dry_run = upload.fields.checked("dry_run");
    let format = Format::detect(&file.file_name, &file.bytes);
    let outcome = import(
        &state.db,
        &panel,
        &file.bytes,
        format,
        dry_run,
        &auth.actor(),
        state.now(),
        &|_, _| {},
    )
    .await?;
    let (status, errors, report) = match outcome {
        Err(e) => {
            let mut errors = FormErrors::single(lang, "file", "manager.import.file_error");
            if let Some(first) = errors.list.first_mut() {
                first.message = file_message(lang, &e);
            }
            (StatusCode::UNPROCESSABLE_ENTITY, errors, None)
        }
        Ok(report) if !report.errors.is_empty() => {
            let errors = FormErrors::single(lang, "file", "manager.import.rows_refused");
            (StatusCode::UNPROCESSABLE_ENTITY, errors, Some(report))
        }
        Ok(report) => (StatusCode::OK, FormErrors::none(lang), Some(report)),
    };
    let row_messages = report
        .as_ref()
        .map(|r| r.messages(lang))
        .unwrap_or_default();
    let page = ImportPage {
        errors,
        columns: columns(&panel),
        ctx,
        panel,
        report,
        row_messages,
    };
    Ok((status, page).into_response())
}

/// Uploads may be larger than ordinary forms.
pub fn upload_limit() -> DefaultBodyLimit {
    DefaultBodyLimit::max(crate::web::UPLOAD_LIMIT)
}
