//! `/beheer`: the manager's start page with every panel, its member counts and mail
//! problems, and loading a panel file.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use crate::domain::member::MemberStatus;
use crate::domain::panel::PanelDefinition;
use crate::store::entities::outbox as outbox_entity;
use crate::store::members::{self, MemberFilter};
use crate::store::{outbox, panels};
use crate::web::auth::ManagerAuth;
use crate::web::ctx::PageCtx;
use crate::web::error::WebResult;
use crate::web::form::CsrfForm;
use crate::web::state::AppState;
use crate::web::view::FormErrors;

pub struct PanelRow {
    pub panel: PanelDefinition,
    pub active: u64,
    pub pending: u64,
    pub withdrawn: u64,
}

#[derive(Template, WebTemplate)]
#[template(path = "manager/dashboard.html", config = "src/web/askama.toml")]
pub struct DashboardPage {
    pub ctx: PageCtx,
    pub panels: Vec<PanelRow>,
    pub failed_mail: Vec<outbox_entity::Model>,
    pub errors: FormErrors,
    pub panel_json: String,
    pub loaded: Option<String>,
}

async fn count(state: &AppState, panel: &str, status: MemberStatus) -> WebResult<u64> {
    let filter = MemberFilter {
        status: Some(status),
        ..Default::default()
    };
    Ok(members::list(&state.db, panel, &filter, 0, 1).await?.1)
}

async fn page_data(
    state: &AppState,
    ctx: PageCtx,
    errors: FormErrors,
    panel_json: String,
    loaded: Option<String>,
) -> WebResult<DashboardPage> {
    let mut rows = Vec::new();
    for panel in panels::list(&state.db).await? {
        let id = panel.id.to_string();
        rows.push(PanelRow {
            active: count(state, &id, MemberStatus::Active).await?,
            pending: count(state, &id, MemberStatus::Pending).await?,
            withdrawn: count(state, &id, MemberStatus::Withdrawn).await?,
            panel,
        });
    }
    Ok(DashboardPage {
        ctx,
        panels: rows,
        failed_mail: outbox::failed(&state.db).await?,
        errors,
        panel_json,
        loaded,
    })
}

#[derive(serde::Deserialize)]
pub struct DashboardQuery {
    geladen: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    ctx: PageCtx,
    _auth: ManagerAuth,
    axum::extract::Query(q): axum::extract::Query<DashboardQuery>,
) -> WebResult<DashboardPage> {
    let errors = FormErrors::none(ctx.lang);
    page_data(&state, ctx, errors, String::new(), q.geladen).await
}

/// Load or replace a panel from its JSON panel file.
pub async fn upload_panel(
    State(state): State<AppState>,
    ctx: PageCtx,
    _auth: ManagerAuth,
    CsrfForm(form): CsrfForm,
) -> WebResult<Response> {
    let json = form.get("panel_json").to_owned();
    let lang = ctx.lang;
    let problem = match PanelDefinition::from_json(&json) {
        Err(e) => Some(ctx.tf(
            "manager.panel.invalid_json",
            &[("line", &e.line()), ("column", &e.column()), ("error", &e)],
        )),
        Ok(panel) => {
            let problems = panel.problems();
            if problems.is_empty() {
                panels::upsert(&state.db, &panel, state.now()).await?;
                return Ok(Redirect::to(&format!("/beheer?geladen={}", panel.id)).into_response());
            }
            Some(
                problems
                    .iter()
                    .map(|p| format!("{}: {:?}", p.path, p.kind))
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        }
    };
    let mut errors = FormErrors::single(lang, "panel_json", "manager.panel.invalid");
    if let (Some(detail), Some(first)) = (problem, errors.list.first_mut()) {
        first.message = format!("{} {detail}", first.message);
    }
    let page = page_data(&state, ctx, errors, json, None).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}
