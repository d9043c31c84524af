//! `/beheer/enquetes/{survey}/kwaliteit`: how the fieldwork went. Every invitation's
//! final AAPOR disposition, the outcome rates (the participation rate for opt-in
//! panels, RR1–RR6 with cooperation, refusal and contact rates for panels recruited by
//! probability sampling) and the R-indicator with partial indicators, so the manager
//! sees which groups answered less.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};

use crate::domain::panel::Recruitment;
use crate::report::results_view::decimal;
use crate::service::quality::{self as service, Quality, UNKNOWN};
use crate::web::auth::ManagerAuth;
use crate::web::ctx::PageCtx;
use crate::web::error::WebResult;
use crate::web::state::AppState;

pub struct Line {
    pub label: String,
    pub code: &'static str,
    pub value: String,
}

pub struct CategoryLine {
    pub label: String,
    pub invited: usize,
    pub respondents: usize,
    pub rate: String,
    pub partial: String,
    pub under: bool,
}

pub struct VariableLine {
    pub anchor: String,
    pub question: String,
    pub partial: String,
    pub categories: Vec<CategoryLine>,
}

pub struct RView {
    pub r: String,
    pub mean: String,
    pub sd: String,
    pub variables: Vec<VariableLine>,
    /// Categories that answered clearly less than average, in words.
    pub under: Vec<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "manager/survey_quality.html", config = "src/web/askama.toml")]
pub struct QualityPage {
    pub ctx: PageCtx,
    pub survey_id: i64,
    pub title: String,
    pub cases: u64,
    pub probability: bool,
    pub classes: Vec<Line>,
    pub participation: String,
    pub e: String,
    pub rates: Vec<Line>,
    pub r: Result<RView, String>,
}

impl QualityPage {
    fn heading(&self) -> String {
        self.ctx.tf1("quality.title", "title", &self.title)
    }
}

fn pct(ctx: &PageCtx, v: Option<f64>) -> String {
    v.filter(|v| v.is_finite()).map_or_else(
        || "–".to_owned(),
        |v| format!("{}%", decimal(ctx.lang, v * 100.0, 1)),
    )
}

fn number(ctx: &PageCtx, v: f64, places: usize) -> String {
    if v.is_finite() {
        decimal(ctx.lang, v, places)
    } else {
        "–".to_owned()
    }
}

/// A Pu(X, k) below this counts as clearly under-represented.
const UNDER: f64 = -0.01;

fn r_view(ctx: &PageCtx, q: &Quality) -> Result<RView, String> {
    let r =
        q.r.as_ref()
            .map_err(|_| ctx.t("quality.r.too_few").to_owned())?;
    let mut under = Vec::new();
    let variables = r
        .variables
        .iter()
        .map(|v| {
            let var = q
                .panel
                .background_variables
                .iter()
                .find(|b| b.id.as_str() == v.variable);
            let label_of = |value: &str| {
                if value == UNKNOWN {
                    return ctx.t("results.cross.unknown").to_owned();
                }
                var.and_then(|b| b.categories.iter().find(|c| c.value.as_str() == value))
                    .map_or_else(|| value.to_owned(), |c| c.label.clone())
            };
            let categories = v
                .categories
                .iter()
                .map(|c| {
                    let label = label_of(&c.category);
                    let is_under = c.unconditional < UNDER;
                    if is_under {
                        under.push(label.clone());
                    }
                    CategoryLine {
                        invited: c.n,
                        respondents: c.respondents,
                        rate: pct(ctx, Some(c.mean_propensity)),
                        partial: number(ctx, c.unconditional, 3),
                        under: is_under,
                        label,
                    }
                })
                .collect();
            VariableLine {
                anchor: format!("r-{}", v.variable),
                question: var.map_or_else(|| v.variable.clone(), |b| b.question.clone()),
                partial: number(ctx, v.unconditional, 3),
                categories,
            }
        })
        .collect();
    Ok(RView {
        r: number(ctx, r.r, 3),
        mean: pct(ctx, Some(r.mean_propensity)),
        sd: number(ctx, r.sd, 3),
        variables,
        under,
    })
}

pub async fn page(
    State(state): State<AppState>,
    ctx: PageCtx,
    _auth: ManagerAuth,
    Path(survey_id): Path<i64>,
) -> WebResult<QualityPage> {
    let q = service::load(&state.db, survey_id).await?;
    let d = &q.dispositions;
    let class = |key: &str, code: &'static str, n: u64| Line {
        label: ctx.t(&format!("quality.class.{key}")).to_owned(),
        code,
        value: n.to_string(),
    };
    let classes = vec![
        class("complete", "1.1", d.complete),
        class("partial", "1.2", d.partial),
        class("refusal", "2.1", d.refusal),
        class("non_contact", "2.2", d.non_contact),
        class("other", "2.3", d.other),
        class("unknown_household", "3.1", d.unknown_household),
        class("unknown_other", "3.2–3.9", d.unknown_other),
        class("not_eligible", "4", d.not_eligible),
    ];
    let r = &q.rates;
    let rate = |code: &'static str, v: Option<f64>| Line {
        label: ctx
            .t(&format!(
                "quality.rate.{}",
                code.trim_end_matches(char::is_numeric).to_lowercase()
            ))
            .to_owned(),
        code,
        value: pct(&ctx, v),
    };
    let rates = vec![
        rate("RR1", r.rr1),
        rate("RR2", r.rr2),
        rate("RR3", r.rr3),
        rate("RR4", r.rr4),
        rate("RR5", r.rr5),
        rate("RR6", r.rr6),
        rate("COOP1", r.coop1),
        rate("COOP2", r.coop2),
        rate("COOP3", r.coop3),
        rate("COOP4", r.coop4),
        rate("REF1", r.ref1),
        rate("REF2", r.ref2),
        rate("REF3", r.ref3),
        rate("CON1", r.con1),
        rate("CON2", r.con2),
        rate("CON3", r.con3),
    ];
    Ok(QualityPage {
        survey_id,
        title: q.survey.title.clone(),
        cases: d.total(),
        probability: q.recruitment == Recruitment::Probability,
        classes,
        participation: pct(&ctx, q.participation),
        e: q.e.map_or_else(|| "–".to_owned(), |e| number(&ctx, e, 2)),
        rates,
        r: r_view(&ctx, &q),
        ctx,
    })
}
