//! `/beheer/panels/{panel}/vergoedingen`: the panel's compensation ledger for the
//! manager — totals per year, entries that crossed a limit or were paid in an
//! unconfirmed year, the volunteer-allowance limits per year with a form to confirm a
//! year's figures, and the payout file for finance (audited: it names members).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::domain::compensation::{
    AllowanceLimits, Money, MoneyError, YearTotals, shipped_limits, totals_per_year,
};
use crate::domain::panel::PanelDefinition;
use crate::domain::signup::FieldError;
use crate::service::compensation::{payout_csv, year_month};
use crate::store::audit::{self, Action};
use crate::store::compensation::{self as ledger, YearLimits};
use crate::store::entities::compensation_entry;
use crate::store::panels;
use crate::web::auth::ManagerAuth;
use crate::web::ctx::PageCtx;
use crate::web::error::WebResult;
use crate::web::form::{CsrfForm, FormData};
use crate::web::state::AppState;
use crate::web::view::FormErrors;

/// The money fields of the confirm form, in order.
const LIMIT_FIELDS: [&str; 4] = [
    "per_hour_21_plus",
    "per_hour_under_21",
    "per_month",
    "per_year",
];

/// One year's limits as shown.
pub struct LimitRow {
    pub year: i32,
    /// `confirmed`, `shipped` or `unconfirmed` (a text key suffix).
    pub status: &'static str,
    pub limits: Option<AllowanceLimits>,
}

/// The confirm form's values as typed.
pub struct ConfirmInput {
    pub year: String,
    pub values: [String; 4],
    pub source: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "manager/compensation.html", config = "src/web/askama.toml")]
pub struct CompensationPage {
    pub ctx: PageCtx,
    pub panel: PanelDefinition,
    pub errors: FormErrors,
    pub totals: Vec<YearTotals>,
    pub flagged: Vec<compensation_entry::Model>,
    pub limits: Vec<LimitRow>,
    /// The current year, when nobody confirmed its figures.
    pub unconfirmed_year: Option<i32>,
    pub input: ConfirmInput,
    pub saved: bool,
}

impl CompensationPage {
    fn money(&self, m: &Money) -> String {
        m.format_nl()
    }
    fn cents(&self, c: &Option<i64>) -> String {
        c.map_or_else(|| "–".to_owned(), |c| Money::from_cents(c).format_nl())
    }
    fn field_label(&self, name: &&str) -> String {
        self.ctx.t(&format!("compensation.limit.{name}")).to_owned()
    }
    fn heading(&self) -> String {
        self.ctx
            .tf1("compensation.manager.title", "panel", &self.panel.name)
    }
    fn page_title(&self) -> String {
        self.errors.title(&self.ctx.lang, &self.heading())
    }
    fn amount(&self, c: &i64) -> String {
        Money::from_cents(*c).format_nl()
    }
    fn status(&self, r: &LimitRow) -> &'static str {
        self.ctx.t(&format!("compensation.status.{}", r.status))
    }
    fn fields(&self) -> [&'static str; 4] {
        LIMIT_FIELDS
    }
    fn value(&self, i: &usize) -> String {
        self.input.values[*i].clone()
    }
}

#[derive(Deserialize)]
pub struct PageQuery {
    opgeslagen: Option<String>,
}

async fn render(
    state: &AppState,
    ctx: PageCtx,
    panel_id: &str,
    errors: FormErrors,
    input: Option<ConfirmInput>,
    saved: bool,
) -> WebResult<CompensationPage> {
    let panel = panels::get(&state.db, panel_id).await?;
    let entries = ledger::entries_for_panel(&state.db, panel_id).await?;
    let totals = totals_per_year(
        entries
            .iter()
            .map(|e| (e.year, e.kind, Money::from_cents(e.amount_cents), e.flagged)),
    );
    let (this_year, _) = year_month(state.now());
    let mut years: Vec<i32> = totals.iter().map(|t| t.year).collect();
    years.extend([this_year, this_year - 1]);
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    let mut limits = Vec::new();
    for year in years {
        let row = match ledger::limits(&state.db, year).await? {
            YearLimits::Confirmed { limits, .. } => LimitRow {
                year,
                status: "confirmed",
                limits: Some(limits),
            },
            YearLimits::Shipped(limits) => LimitRow {
                year,
                status: "shipped",
                limits: Some(limits),
            },
            YearLimits::Unconfirmed => LimitRow {
                year,
                status: "unconfirmed",
                limits: None,
            },
        };
        limits.push(row);
    }
    let unconfirmed_year = limits
        .iter()
        .find(|r| r.year == this_year && r.limits.is_none())
        .map(|r| r.year);
    let input = input.unwrap_or_else(|| {
        // Start from the newest known figures: most years only the hourly amounts change.
        let known = limits
            .iter()
            .find_map(|r| r.limits.clone())
            .or_else(|| shipped_limits(2025));
        let show = Money::format_nl_bare;
        ConfirmInput {
            year: this_year.to_string(),
            values: match &known {
                Some(l) => [
                    show(l.per_hour_21_plus),
                    show(l.per_hour_under_21),
                    show(l.per_month),
                    show(l.per_year),
                ],
                None => Default::default(),
            },
            source: known.map(|l| l.source).unwrap_or_default(),
        }
    });
    Ok(CompensationPage {
        ctx,
        panel,
        errors,
        totals,
        flagged: entries.into_iter().filter(|e| e.flagged).rev().collect(),
        limits,
        unconfirmed_year,
        input,
        saved,
    })
}

pub async fn page(
    State(state): State<AppState>,
    ctx: PageCtx,
    _auth: ManagerAuth,
    Path(panel_id): Path<String>,
    Query(q): Query<PageQuery>,
) -> WebResult<CompensationPage> {
    let errors = FormErrors::none(ctx.lang);
    render(&state, ctx, &panel_id, errors, None, q.opgeslagen.is_some()).await
}

/// The confirm form into limits, or every field's error.
fn parse_limits(form: &FormData) -> Result<AllowanceLimits, Vec<FieldError>> {
    let mut errors = Vec::new();
    let year = match form.get("year").trim().parse::<i32>() {
        Ok(y) if (2000..=2100).contains(&y) => y,
        _ => {
            errors.push(FieldError::new("year", "compensation.limit.year_invalid"));
            0
        }
    };
    let mut amounts = [Money::ZERO; 4];
    for (i, name) in LIMIT_FIELDS.iter().enumerate() {
        match Money::parse(form.get(name)) {
            Ok(m) if m == Money::ZERO => {
                errors.push(FieldError::new(*name, MoneyError::Empty.key()));
            }
            Ok(m) => amounts[i] = m,
            Err(e) => errors.push(FieldError::new(*name, e.key())),
        }
    }
    let source = form.get("source").trim().to_owned();
    if source.is_empty() {
        errors.push(FieldError::new(
            "source",
            "compensation.limit.source_missing",
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(AllowanceLimits {
        year,
        per_hour_21_plus: amounts[0],
        per_hour_under_21: amounts[1],
        per_month: amounts[2],
        per_year: amounts[3],
        source,
    })
}

pub async fn confirm(
    State(state): State<AppState>,
    ctx: PageCtx,
    auth: ManagerAuth,
    Path(panel_id): Path<String>,
    CsrfForm(form): CsrfForm,
) -> WebResult<Response> {
    match parse_limits(&form) {
        Ok(limits) => {
            ledger::confirm_limits(&state.db, &limits, auth.0.id, state.now()).await?;
            Ok(Redirect::to(&format!(
                "/beheer/panels/{panel_id}/vergoedingen?opgeslagen=1#grenzen"
            ))
            .into_response())
        }
        Err(errors) => {
            let input = ConfirmInput {
                year: form.get("year").to_owned(),
                values: LIMIT_FIELDS.map(|f| form.get(f).to_owned()),
                source: form.get("source").to_owned(),
            };
            let errors = FormErrors::new(ctx.lang, &errors);
            let page = render(&state, ctx, &panel_id, errors, Some(input), false).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

pub async fn payout(
    State(state): State<AppState>,
    auth: ManagerAuth,
    Path(panel_id): Path<String>,
) -> WebResult<Response> {
    // Refuse an unknown panel before writing the audit entry.
    panels::get(&state.db, &panel_id).await?;
    let (body, rows) = payout_csv(&state.db, &panel_id).await?;
    audit::record(
        &state.db,
        &auth.actor(),
        Action::ExportPayout,
        None,
        Some(&panel_id),
        &format!("compensation payout (CSV): {rows} rows"),
        state.now(),
    )
    .await?;
    Ok((
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"uitbetaling-{panel_id}.csv\""),
            ),
            (CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response())
}
