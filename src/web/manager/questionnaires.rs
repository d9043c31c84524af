//! A panel's questionnaires: the list, and adding one by upload or by pasting JSON. A
//! file with problems is refused with every problem named; nothing is stored.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use crate::domain::panel::PanelDefinition;
use crate::schema_check::{FileReport, Finding};
use crate::service::questionnaires as review;
use crate::store::entities::{questionnaire, questionnaire_version};
use crate::store::{panels, questionnaires};
use crate::web::auth::ManagerAuth;
use crate::web::ctx::PageCtx;
use crate::web::error::WebResult;
use crate::web::form::CsrfMultipart;
use crate::web::state::AppState;
use crate::web::view::{FormErrors, datetime};

#[derive(Template, WebTemplate)]
#[template(path = "manager/questionnaires.html", config = "src/web/askama.toml")]
pub struct ListPage {
    pub ctx: PageCtx,
    pub panel: PanelDefinition,
    pub rows: Vec<(questionnaire::Model, Vec<questionnaire_version::Model>)>,
    pub errors: FormErrors,
    /// The problems of a refused upload.
    pub problems: Vec<Finding>,
    pub json: String,
}

impl ListPage {
    fn is_problem(&self, f: &Finding) -> bool {
        f.severity == crate::domain::questionnaire::Severity::Problem
    }
    fn when(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        datetime(at)
    }
}

pub async fn list(
    State(state): State<AppState>,
    ctx: PageCtx,
    _auth: ManagerAuth,
    Path(panel_id): Path<String>,
) -> WebResult<ListPage> {
    let panel = panels::get(&state.db, &panel_id).await?;
    let rows = questionnaires::list(&state.db, &panel_id).await?;
    Ok(ListPage {
        errors: FormErrors::none(ctx.lang),
        ctx,
        panel,
        rows,
        problems: Vec::new(),
        json: String::new(),
    })
}

/// The uploaded file, or else the pasted text.
fn submitted_bytes(upload: &CsrfMultipart) -> Vec<u8> {
    upload
        .files
        .iter()
        .find(|f| f.field == "file" && !f.bytes.is_empty())
        .map(|f| f.bytes.clone())
        .unwrap_or_else(|| upload.fields.get("json").as_bytes().to_vec())
}

pub async fn upload(
    State(state): State<AppState>,
    ctx: PageCtx,
    auth: ManagerAuth,
    Path(panel_id): Path<String>,
    upload: CsrfMultipart,
) -> WebResult<Response> {
    let panel = panels::get(&state.db, &panel_id).await?;
    let bytes = submitted_bytes(&upload);
    let lang = ctx.lang;
    let refuse =
        |ctx: PageCtx, panel, rows, key: &'static str, problems: Vec<Finding>, json: String| {
            let errors = FormErrors::single(lang, "file", key);
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                ListPage {
                    ctx,
                    panel,
                    rows,
                    errors,
                    problems,
                    json,
                },
            )
                .into_response()
        };
    if review::is_empty(&bytes) {
        let rows = questionnaires::list(&state.db, &panel_id).await?;
        return Ok(refuse(
            ctx,
            panel,
            rows,
            "questionnaire.upload.empty",
            Vec::new(),
            String::new(),
        ));
    }
    if bytes.len() > review::MAX_BYTES {
        let rows = questionnaires::list(&state.db, &panel_id).await?;
        return Ok(refuse(
            ctx,
            panel,
            rows,
            "questionnaire.upload.too_large",
            Vec::new(),
            String::new(),
        ));
    }
    match review::upload(&state.db, &panel, &bytes, auth.0.id, lang, state.now()).await? {
        Ok(version) => Ok(
            Redirect::to(&format!("/beheer/vragenlijsten/versies/{}", version.id)).into_response(),
        ),
        Err(FileReport { problems, .. }) => {
            let rows = questionnaires::list(&state.db, &panel_id).await?;
            let json = String::from_utf8_lossy(&bytes).into_owned();
            Ok(refuse(
                ctx,
                panel,
                rows,
                "questionnaire.upload.refused",
                problems,
                json,
            ))
        }
    }
}

pub fn upload_limit() -> DefaultBodyLimit {
    DefaultBodyLimit::max(review::MAX_BYTES + 64 * 1024)
}
