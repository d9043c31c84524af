//! The panel's composition against its targets: a table per background variable and an
//! SVG bar chart with a text alternative.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;

use crate::domain::composition::{VariableComposition, composition};
use crate::domain::panel::PanelDefinition;
use crate::report::chart::{Bar, ChartText, share_bars};
use crate::store::{members, panels};
use crate::web::auth::ManagerAuth;
use crate::web::ctx::PageCtx;
use crate::web::error::{WebError, WebResult};
use crate::web::state::AppState;

pub struct VariableView {
    pub data: VariableComposition,
    pub chart: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "manager/composition.html", config = "src/web/askama.toml")]
pub struct CompositionPage {
    pub ctx: PageCtx,
    pub panel: PanelDefinition,
    pub members: u64,
    pub variables: Vec<VariableView>,
}

/// Percent with one decimal and a decimal comma (Dutch) or point (English).
pub fn pct(ctx: &PageCtx, v: f64) -> String {
    let text = format!("{v:.1}");
    if ctx.lang == crate::i18n::Lang::Nl {
        text.replace('.', ",")
    } else {
        text
    }
}

impl CompositionPage {
    fn pct(&self, v: &f64) -> String {
        pct(&self.ctx, *v)
    }
    fn pct_opt(&self, v: &Option<f64>) -> String {
        v.map(|v| pct(&self.ctx, v))
            .unwrap_or_else(|| "–".to_owned())
    }
    fn gap(&self, v: &Option<f64>) -> String {
        match v {
            Some(v) if *v > 0.0 => format!("+{}", pct(&self.ctx, *v)),
            Some(v) => pct(&self.ctx, *v),
            None => "–".to_owned(),
        }
    }
}

fn chart_for(ctx: &PageCtx, var: &VariableComposition) -> String {
    let bars: Vec<Bar> = var
        .categories
        .iter()
        .map(|c| Bar {
            label: c.label.clone(),
            value: c.percent,
            target: c.target_percent,
        })
        .collect();
    let description = var
        .categories
        .iter()
        .map(|c| match c.target_percent {
            Some(t) => ctx.tf(
                "manager.composition.desc_item",
                &[
                    ("label", &c.label),
                    ("now", &pct(ctx, c.percent)),
                    ("target", &pct(ctx, t)),
                ],
            ),
            None => format!("{}: {}%", c.label, pct(ctx, c.percent)),
        })
        .collect::<Vec<_>>()
        .join("; ");
    share_bars(
        &bars,
        &ChartText {
            title: &var.question,
            description: &description,
            now_label: ctx.t("manager.composition.now"),
            target_label: ctx.t("manager.composition.target"),
        },
    )
}

async fn load(
    state: &AppState,
    panel_id: &str,
) -> WebResult<(PanelDefinition, u64, Vec<VariableComposition>)> {
    let panel = panels::get(&state.db, panel_id).await?;
    let (total, counts) = members::composition_counts(&state.db, panel_id).await?;
    let rows = composition(&panel, &counts, total);
    Ok((panel, total, rows))
}

pub async fn page(
    State(state): State<AppState>,
    ctx: PageCtx,
    _auth: ManagerAuth,
    Path(panel_id): Path<String>,
) -> WebResult<CompositionPage> {
    let (panel, members, rows) = load(&state, &panel_id).await?;
    let variables = rows
        .into_iter()
        .map(|data| VariableView {
            chart: chart_for(&ctx, &data),
            data,
        })
        .collect();
    Ok(CompositionPage {
        ctx,
        panel,
        members,
        variables,
    })
}

pub async fn chart(
    State(state): State<AppState>,
    ctx: PageCtx,
    _auth: ManagerAuth,
    Path((panel_id, variable)): Path<(String, String)>,
) -> WebResult<impl IntoResponse> {
    let (_, _, rows) = load(&state, &panel_id).await?;
    let var = rows
        .iter()
        .find(|v| v.variable == variable)
        .ok_or(WebError::NotFound)?;
    Ok((
        [(CONTENT_TYPE, "image/svg+xml; charset=utf-8")],
        chart_for(&ctx, var),
    ))
}
