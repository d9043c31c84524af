//! `/beheer/enquetes/{survey}/export/…`: the downloads for researchers — the responses
//! as CSV and XLSX, SPSS syntax that reads the CSV, and the codebook. Managers only
//! (interviewers are refused like on every manager page); each download is audited,
//! since the files hold answers per person.

use axum::extract::{Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};

use crate::domain::ids::VariableId;
use crate::report::export::{codebook, csv, spss, xlsx};
use crate::service::exports;
use crate::store::audit::{self, Action};
use crate::store::responses;
use crate::web::auth::ManagerAuth;
use crate::web::ctx::PageCtx;
use crate::web::error::{WebError, WebResult};
use crate::web::state::AppState;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Csv,
    Xlsx,
    Spss,
    Codebook,
}

impl Format {
    /// The format of a download's file name in the route.
    fn from_file(file: &str) -> Option<Self> {
        match file {
            "antwoorden.csv" => Some(Format::Csv),
            "antwoorden.xlsx" => Some(Format::Xlsx),
            "antwoorden.sps" => Some(Format::Spss),
            "codeboek.html" => Some(Format::Codebook),
            _ => None,
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Spss => "text/plain; charset=utf-8",
            Format::Codebook => "text/html; charset=utf-8",
        }
    }

    /// The name the file is saved under; the SPSS syntax reads the CSV by this name.
    fn file_name(self, survey_id: i64) -> String {
        match self {
            Format::Csv => format!("antwoorden-enquete-{survey_id}.csv"),
            Format::Xlsx => format!("antwoorden-enquete-{survey_id}.xlsx"),
            Format::Spss => format!("antwoorden-enquete-{survey_id}.sps"),
            Format::Codebook => format!("codeboek-enquete-{survey_id}.html"),
        }
    }

    /// For the audit log.
    fn name(self) -> &'static str {
        match self {
            Format::Csv => "CSV",
            Format::Xlsx => "XLSX",
            Format::Spss => "SPSS syntax",
            Format::Codebook => "codebook",
        }
    }
}

/// The variables to weight by (`wegen=…`, as on the results page); a name that is not a
/// variable id is refused.
fn weight_by(params: &[(String, String)]) -> WebResult<Vec<VariableId>> {
    params
        .iter()
        .filter(|(k, _)| k == "wegen")
        .map(|(_, v)| VariableId::parse(v).map_err(|_| WebError::BadRequest("error.bad_request")))
        .collect()
}

/// One download: `file` is `antwoorden.csv`, `antwoorden.xlsx`, `antwoorden.sps` or
/// `codeboek.html`; anything else is not found.
pub async fn download(
    State(state): State<AppState>,
    ctx: PageCtx,
    auth: ManagerAuth,
    Path((survey_id, file)): Path<(i64, String)>,
    Query(params): Query<Vec<(String, String)>>,
) -> WebResult<Response> {
    let format = Format::from_file(&file).ok_or(WebError::NotFound)?;
    let survey = responses::survey(&state.db, survey_id).await?;
    let weight_by = weight_by(&params)?;
    let dataset = exports::dataset(&state.db, survey.id, ctx.lang, &weight_by).await?;
    let internal = |e: crate::report::export::ExportError| WebError::Internal(e.to_string());
    let body: Vec<u8> = match format {
        Format::Csv => csv::write(&dataset).map_err(internal)?,
        Format::Xlsx => xlsx::write(&dataset).map_err(internal)?,
        Format::Spss => spss::syntax(&dataset, &Format::Csv.file_name(survey.id)).into_bytes(),
        Format::Codebook => codebook::html(&dataset).into_bytes(),
    };
    audit::record(
        &state.db,
        &auth.actor(),
        Action::ExportResponses,
        None,
        Some(&survey.panel_id),
        &format!(
            "responses ({}), survey {}: {} rows, {} variables{}",
            format.name(),
            survey.id,
            dataset.rows.len(),
            dataset.variables.len(),
            if weight_by.is_empty() {
                String::new()
            } else {
                let names: Vec<&str> = weight_by.iter().map(|v| v.as_str()).collect();
                format!(", weighted by {}", names.join(", "))
            }
        ),
        state.now(),
    )
    .await?;
    Ok((
        [
            (CONTENT_TYPE, format.content_type().to_owned()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", format.file_name(survey.id)),
            ),
            // Answers per person: no copies in caches.
            (CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response())
}
