//! The start page and the public privacy statement.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;

use crate::domain::panel::PanelDefinition;
use crate::domain::processing::{self, ProcessingRecord};
use crate::i18n::{self, Lang};
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
    /// Members read "what we do with your data"; a manager reads one panel's register.
    pub fn heading(&self) -> String {
        match (self.manager_view, self.panels.as_slice()) {
            (true, [(panel, _)]) => self
                .ctx
                .tf1("processing.manager_title", "panel", &panel.name),
            _ => self.ctx.t("processing.title").to_owned(),
        }
    }

    pub fn keep_text(&self, r: &ProcessingRecord) -> String {
        keep_text(&self.ctx, r)
    }
}

pub fn keep_text(ctx: &PageCtx, r: &ProcessingRecord) -> String {
    keep_text_in(ctx.lang, r)
}

/// How long a record is kept, in `lang`.
pub fn keep_text_in(lang: Lang, r: &ProcessingRecord) -> String {
    use crate::domain::processing::Keep;
    let (key, n): (&str, &dyn std::fmt::Display) = match &r.keep {
        Keep::MembershipOrInactiveMonths(n) => ("processing.keep.membership", n),
        Keep::Months(n) => ("processing.keep.months", n),
        Keep::Days(n) => ("processing.keep.days", n),
        Keep::Hours(n) => ("processing.keep.hours", n),
    };
    i18n::tf(lang, key, &[("n", n)])
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
