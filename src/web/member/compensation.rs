//! `/mijn-gegevens/vergoedingen`: the member's compensation ledger with totals per year,
//! their standing choice (accept, donate, decline), the other volunteer allowances they
//! receive this year, and what an allowance can mean for a benefit.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::domain::compensation::{Choice, Money, YearTotals, totals_per_year};
use crate::domain::signup::FieldError;
use crate::service::compensation::{MEMBER_PAGE, year_month};
use crate::store::compensation as ledger;
use crate::store::entities::{compensation_entry, member};
use crate::web::auth::MemberAuth;
use crate::web::ctx::PageCtx;
use crate::web::error::{WebError, WebResult};
use crate::web::form::CsrfForm;
use crate::web::state::AppState;
use crate::web::view::{Choice as Option_, FormErrors, RadioGroup};

#[derive(Template, WebTemplate)]
#[template(path = "member/compensation.html", config = "src/web/askama.toml")]
pub struct CompensationPage {
    pub ctx: PageCtx,
    pub errors: FormErrors,
    pub entries: Vec<compensation_entry::Model>,
    pub totals: Vec<YearTotals>,
    pub choice: RadioGroup,
    pub year: i32,
    /// The declared amount as typed (or as stored, in Dutch notation without "€").
    pub other: String,
    pub saved: bool,
}

impl CompensationPage {
    fn money(&self, cents: &i64) -> String {
        Money::from_cents(*cents).format_nl()
    }
    fn total(&self, m: &Money) -> String {
        m.format_nl()
    }
    fn date(&self, e: &compensation_entry::Model) -> String {
        crate::web::view::datetime(&e.created_at)
            .split(' ')
            .next()
            .unwrap_or_default()
            .to_owned()
    }
}

#[derive(Deserialize)]
pub struct PageQuery {
    opgeslagen: Option<String>,
}

fn choice_group(ctx: &PageCtx, selected: Choice) -> RadioGroup {
    RadioGroup {
        name: "choice".to_owned(),
        legend: ctx.t("compensation.member.choice_legend").to_owned(),
        options: Choice::ALL
            .iter()
            .map(|c| {
                Option_::new(
                    c.as_str(),
                    ctx.t(&format!("compensation.choice.{}", c.as_str())),
                )
            })
            .collect(),
        selected: selected.as_str().to_owned(),
    }
}

async fn render(
    state: &AppState,
    ctx: PageCtx,
    m: &member::Model,
    errors: FormErrors,
    other: Option<String>,
    saved: bool,
) -> WebResult<CompensationPage> {
    let (year, _) = year_month(state.now());
    let entries = ledger::entries_for_member(&state.db, m.id).await?;
    let totals = totals_per_year(
        entries
            .iter()
            .map(|e| (e.year, e.kind, Money::from_cents(e.amount_cents), e.flagged)),
    );
    let other = match other {
        Some(typed) => typed,
        None => {
            let declared = ledger::declared(&state.db, m.id, year).await?;
            if declared == Money::ZERO {
                String::new()
            } else {
                declared.format_nl_bare()
            }
        }
    };
    let choice = choice_group(&ctx, ledger::choice(&state.db, m.id).await?);
    Ok(CompensationPage {
        ctx,
        errors,
        entries,
        totals,
        choice,
        year,
        other,
        saved,
    })
}

pub async fn page(
    State(state): State<AppState>,
    ctx: PageCtx,
    MemberAuth(m): MemberAuth,
    Query(q): Query<PageQuery>,
) -> WebResult<CompensationPage> {
    let errors = FormErrors::none(ctx.lang);
    render(&state, ctx, &m, errors, None, q.opgeslagen.is_some()).await
}

pub async fn choose(
    State(state): State<AppState>,
    MemberAuth(m): MemberAuth,
    CsrfForm(form): CsrfForm,
) -> WebResult<Redirect> {
    let choice = Choice::parse(form.get("choice"))
        .ok_or(WebError::BadRequest("compensation.member.choice_invalid"))?;
    ledger::set_choice(&state.db, m.id, choice, state.now()).await?;
    Ok(Redirect::to(&format!("{MEMBER_PAGE}?opgeslagen=1")))
}

pub async fn declare(
    State(state): State<AppState>,
    ctx: PageCtx,
    MemberAuth(m): MemberAuth,
    CsrfForm(form): CsrfForm,
) -> WebResult<Response> {
    let typed = form.get("other").trim().to_owned();
    let parsed = if typed.is_empty() {
        Ok(Money::ZERO)
    } else {
        Money::parse(&typed)
    };
    match parsed {
        Ok(amount) => {
            let (year, _) = year_month(state.now());
            ledger::set_declared(&state.db, m.id, year, amount, state.now()).await?;
            Ok(Redirect::to(&format!("{MEMBER_PAGE}?opgeslagen=1")).into_response())
        }
        Err(e) => {
            let errors = FormErrors::new(ctx.lang, &[FieldError::new("other", e.key())]);
            let page = render(&state, ctx, &m, errors, Some(typed), false).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}
