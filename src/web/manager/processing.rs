//! The records of processing (GDPR art. 30) for a panel, as a page and as JSON and CSV.

use axum::extract::{Path, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::domain::processing::{self, ProcessingRecord};
use crate::i18n::{Lang, t};
use crate::store::panels;
use crate::web::auth::ManagerAuth;
use crate::web::ctx::PageCtx;
use crate::web::error::{WebError, WebResult};
use crate::web::member::home::{PrivacyPage, keep_text_in};
use crate::web::state::AppState;

pub async fn page(
    State(state): State<AppState>,
    ctx: PageCtx,
    _auth: ManagerAuth,
    Path(panel_id): Path<String>,
) -> WebResult<PrivacyPage> {
    let panel = panels::get(&state.db, &panel_id).await?;
    let records = processing::records(&panel);
    Ok(PrivacyPage {
        ctx,
        panels: vec![(panel, records)],
        manager_view: true,
    })
}

/// The register as plain rows of text in `lang`.
pub fn rows(lang: Lang, records: &[ProcessingRecord]) -> Vec<[String; 5]> {
    records
        .iter()
        .map(|r| {
            let data = match &r.detail {
                Some(d) => format!("{}: {d}", t(lang, r.data_key)),
                None => t(lang, r.data_key).to_owned(),
            };
            [
                data,
                t(lang, r.purpose_key).to_owned(),
                t(lang, r.legal_basis_key).to_owned(),
                keep_text_in(lang, r),
                t(lang, r.access_key).to_owned(),
            ]
        })
        .collect()
}

const HEADERS: [&str; 5] = [
    "processing.col.data",
    "processing.col.purpose",
    "processing.col.basis",
    "processing.col.keep",
    "processing.col.access",
];

pub async fn json(
    State(state): State<AppState>,
    ctx: PageCtx,
    _auth: ManagerAuth,
    Path(panel_id): Path<String>,
) -> WebResult<Response> {
    let panel = panels::get(&state.db, &panel_id).await?;
    let records = processing::records(&panel);
    let body = json!({
        "panel": panel.id,
        "controller": panel.organisation,
        "contact": panel.contact,
        "records": records.iter().zip(rows(ctx.lang, &records)).map(|(r, text)| json!({
            "data": text[0], "purpose": text[1], "legal_basis": text[2], "retention": text[3], "access": text[4],
            "retention_rule": r.keep,
        })).collect::<Vec<_>>(),
    });
    Ok(axum::Json(body).into_response())
}

pub async fn csv(
    State(state): State<AppState>,
    ctx: PageCtx,
    _auth: ManagerAuth,
    Path(panel_id): Path<String>,
) -> WebResult<Response> {
    let panel = panels::get(&state.db, &panel_id).await?;
    let records = processing::records(&panel);
    let mut writer = csv::Writer::from_writer(Vec::new());
    let lang: Lang = ctx.lang;
    writer
        .write_record(HEADERS.iter().map(|k| t(lang, k)))
        .map_err(|e| WebError::Internal(e.to_string()))?;
    for row in rows(ctx.lang, &records) {
        writer
            .write_record(&row)
            .map_err(|e| WebError::Internal(e.to_string()))?;
    }
    let body = writer
        .into_inner()
        .map_err(|e| WebError::Internal(e.to_string()))?;
    Ok((
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"verwerkingsregister-{}.csv\"",
                    panel.id
                ),
            ),
        ],
        body,
    )
        .into_response())
}
