//! The start page and the public privacy statement.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;

use crate::domain::panel::PanelDefinition;
use crate::domain::processing::{self, ProcessingRecord};
use crate::store::panels;
use crate::web::ctx::PageCtx;
use crate::web::error::WebResult;
use crate::web::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "member/home.html", config = "src/web/askama.toml")]
pub struct HomePage {
    pub ctx: PageCtx,
    pub panels: Vec<PanelDefinition>,
}

pub async fn page(State(state): State<AppState>, ctx: PageCtx) -> WebResult<HomePage> {
    Ok(HomePage {
        panels: panels::list(&state.db).await?,
        ctx,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "processing.html", config = "src/web/askama.toml")]
pub struct PrivacyPage {
    pub ctx: PageCtx,
    pub panels: Vec<(PanelDefinition, Vec<ProcessingRecord>)>,
    pub manager_view: bool,
}

impl PrivacyPage {
    pub fn keep_text(&self, r: &ProcessingRecord) -> String {
        keep_text(&self.ctx, r)
    }
}

pub fn keep_text(ctx: &PageCtx, r: &ProcessingRecord) -> String {
    use crate::domain::processing::Keep;
    match &r.keep {
        Keep::MembershipOrInactiveMonths(n) => ctx.tf1("processing.keep.membership", "n", n),
        Keep::Months(n) => ctx.tf1("processing.keep.months", "n", n),
        Keep::Days(n) => ctx.tf1("processing.keep.days", "n", n),
        Keep::Hours(n) => ctx.tf1("processing.keep.hours", "n", n),
    }
}

pub async fn privacy(State(state): State<AppState>, ctx: PageCtx) -> WebResult<PrivacyPage> {
    let panels = panels::list(&state.db)
        .await?
        .into_iter()
        .map(|p| {
            let records = processing::records(&p);
            (p, records)
        })
        .collect();
    Ok(PrivacyPage {
        ctx,
        panels,
        manager_view: false,
    })
}
