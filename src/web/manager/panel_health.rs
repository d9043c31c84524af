//! `/beheer/panels/{panel}/gezondheid`: the panel's health — members at the end of each
//! month with who joined and who left, invitations per member in the past 12 months
//! against the contact policy, and the composition against the targets then and now.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use chrono::{Datelike, NaiveDate};

use super::composition::pct;
use crate::domain::panel::PanelDefinition;
use crate::service::panel_health::{PanelHealth, health};
use crate::stats::panel_health::MonthRow;
use crate::web::auth::ManagerAuth;
use crate::web::ctx::PageCtx;
use crate::web::error::WebResult;
use crate::web::state::AppState;
use crate::web::view::date;

/// One row of the invitations table, ready to show.
pub struct SpreadRow {
    pub invitations: u32,
    pub members: u64,
    pub percent: String,
    /// "the limit" or "over the limit", in words; empty otherwise.
    pub note: &'static str,
}

/// One category of a variable over time.
pub struct TrendRow {
    pub label: String,
    /// The share at each moment, oldest first.
    pub shares: Vec<String>,
    pub target: String,
    pub gap: String,
}

pub struct TrendTable {
    pub variable: String,
    pub question: String,
    /// Members who answered the variable at each moment.
    pub answered: Vec<u64>,
    pub rows: Vec<TrendRow>,
}

#[derive(Template, WebTemplate)]
#[template(path = "manager/panel_health.html", config = "src/web/askama.toml")]
pub struct HealthPage {
    pub ctx: PageCtx,
    pub panel: PanelDefinition,
    pub months: Vec<MonthRow>,
    pub limit: u32,
    pub spread_members: u64,
    pub at_limit: u64,
    pub over_limit: u64,
    pub mean: String,
    pub spread: Vec<SpreadRow>,
    /// Column headings of the composition tables: "12 months ago (date)", …, "now".
    pub moments: Vec<String>,
    pub trends: Vec<TrendTable>,
}

impl HealthPage {
    /// "november 2026".
    fn month_name(&self, month: &NaiveDate) -> String {
        let names: Vec<&str> = self.ctx.t("health.month_names").split(',').collect();
        let name = names
            .get(month.month0() as usize)
            .copied()
            .unwrap_or_default();
        format!("{name} {}", month.year())
    }
}

fn view(ctx: PageCtx, h: PanelHealth) -> HealthPage {
    let spread = &h.invitations;
    let rows = spread
        .rows
        .iter()
        .map(|&(invitations, members)| SpreadRow {
            invitations,
            members,
            percent: if spread.members == 0 {
                "–".to_owned()
            } else {
                pct(&ctx, members as f64 * 100.0 / spread.members as f64)
            },
            note: if invitations == spread.limit {
                ctx.t("health.invitations.at_limit_note")
            } else if invitations > spread.limit {
                ctx.t("health.invitations.over_limit_note")
            } else {
                ""
            },
        })
        .collect();
    let last = h.composition.moments.len().saturating_sub(1);
    let moments = h
        .composition
        .moments
        .iter()
        .enumerate()
        .map(|(i, (at, _))| {
            if i == last {
                ctx.t("health.composition.now").to_owned()
            } else {
                let back = crate::service::panel_health::COMPOSITION_BACK
                    .get(i)
                    .copied()
                    .unwrap_or_default();
                ctx.tf2("health.composition.months_ago", "n", back, "date", date(at))
            }
        })
        .collect();
    let trends = h
        .composition
        .variables
        .iter()
        .filter_map(|per_moment| {
            let now = per_moment.last()?;
            let rows = now
                .categories
                .iter()
                .enumerate()
                .map(|(c, cat)| TrendRow {
                    label: cat.label.clone(),
                    shares: per_moment
                        .iter()
                        .map(|m| {
                            if m.answered == 0 {
                                "–".to_owned()
                            } else {
                                pct(&ctx, m.categories[c].percent)
                            }
                        })
                        .collect(),
                    target: cat
                        .target_percent
                        .map_or_else(|| "–".to_owned(), |t| pct(&ctx, t)),
                    gap: match cat.gap_points {
                        Some(g) if g > 0.0 => format!("+{}", pct(&ctx, g)),
                        Some(g) => pct(&ctx, g),
                        None => "–".to_owned(),
                    },
                })
                .collect();
            Some(TrendTable {
                variable: now.variable.clone(),
                question: now.question.clone(),
                answered: per_moment.iter().map(|m| m.answered).collect(),
                rows,
            })
        })
        .collect();
    HealthPage {
        limit: spread.limit,
        spread_members: spread.members,
        at_limit: spread.at_limit,
        over_limit: spread.over_limit,
        // One decimal, as the percentages.
        mean: spread.mean.map_or_else(|| "–".to_owned(), |m| pct(&ctx, m)),
        spread: rows,
        moments,
        trends,
        months: h.months,
        panel: h.panel,
        ctx,
    }
}

pub async fn page(
    State(state): State<AppState>,
    ctx: PageCtx,
    _auth: ManagerAuth,
    Path(panel_id): Path<String>,
) -> WebResult<HealthPage> {
    let h = health(&state.db, &panel_id, state.now()).await?;
    Ok(view(ctx, h))
}
