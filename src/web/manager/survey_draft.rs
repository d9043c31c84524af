//! `/beheer/enquetes/{survey}`: a draft's plan and its sample preview (per quota
//! category what is needed, there and picked; shortfalls; who is left out and why), with
//! "Plannen" and a way to change the plan. Once scheduled the same address shows the
//! fieldwork dashboard (`survey_dashboard`).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::survey_dashboard;
use super::survey_view::{
    Done, category_label, done_notice, eligibility_text, plan_lines, variable_question,
    version_label,
};
use crate::domain::fieldwork::{Closing, Message, SampleOutcome};
use crate::domain::panel::PanelDefinition;
use crate::domain::questionnaire::Eligibility;
use crate::domain::response::{Channel, SurveyStatus};
use crate::service::fieldwork::{self as service, FieldworkError, PlanProblem, SurveyPlan};
use crate::store::entities::survey;
use crate::store::{fieldwork, panels, responses};
use crate::web::auth::ManagerAuth;
use crate::web::ctx::PageCtx;
use crate::web::error::WebResult;
use crate::web::form::CsrfForm;
use crate::web::state::AppState;
use crate::web::view::{FieldMsg, FormErrors, datetime};

/// A warning when the plan lets in members the questionnaire is not meant for (its own
/// `eligibility`): each of its variables must be limited to its categories or fewer.
fn wider_than_meant(
    ctx: &PageCtx,
    panel: &PanelDefinition,
    meant: &Eligibility,
    plan: &SurveyPlan,
) -> Option<String> {
    let wider = meant.iter().any(|(variable, allowed)| {
        plan.eligibility
            .get(variable)
            .is_none_or(|chosen| chosen.iter().any(|c| !allowed.contains(c)))
    });
    wider.then(|| {
        let who = eligibility_text(panel, meant);
        ctx.tf1("survey.preview.meant_for", "who", who)
    })
}

/// One quota category in the preview.
pub struct PreviewRow {
    pub label: String,
    pub value: String,
    pub min: u32,
    pub target: u32,
    pub max: u32,
    pub eligible: u32,
    pub available: u32,
    pub picked: u32,
    pub below_min: bool,
}

/// The preview's rows of one quota variable.
pub struct PreviewTable {
    pub question: String,
    pub rows: Vec<PreviewRow>,
}

fn preview_tables(panel: &PanelDefinition, outcome: &SampleOutcome) -> Vec<PreviewTable> {
    let mut tables: Vec<(String, PreviewTable)> = Vec::new();
    for r in &outcome.per_category {
        let variable = r.variable.as_str();
        let at = match tables.iter().position(|(v, _)| v == variable) {
            Some(at) => at,
            None => {
                tables.push((
                    variable.to_owned(),
                    PreviewTable {
                        question: variable_question(panel, variable),
                        rows: Vec::new(),
                    },
                ));
                tables.len() - 1
            }
        };
        tables[at].1.rows.push(PreviewRow {
            label: category_label(panel, variable, r.category.as_str()),
            value: r.category.to_string(),
            min: r.quota_min,
            target: r.quota_target,
            max: r.quota_max,
            eligible: r.eligible,
            available: r.available,
            picked: r.picked,
            below_min: r.picked < r.quota_min,
        });
    }
    tables.into_iter().map(|(_, t)| t).collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "manager/survey_draft.html", config = "src/web/askama.toml")]
pub struct DraftPage {
    pub ctx: PageCtx,
    pub panel: PanelDefinition,
    pub survey: survey::Model,
    pub plan: Vec<(String, String)>,
    pub picked: usize,
    /// Picked members per way of inviting: "e-mail 6".
    pub channels: Vec<String>,
    pub tables: Vec<PreviewTable>,
    pub shortfalls: Vec<String>,
    pub size_shortfall: Option<String>,
    pub left_out: Vec<String>,
    pub warnings: Vec<String>,
    /// What stands in the way of planning now.
    pub problems: Vec<String>,
    /// The planned moment of sending has passed (or "nu versturen" was chosen).
    pub send_passed: bool,
    pub errors: FormErrors,
    pub notice: Option<String>,
}

impl DraftPage {
    fn send_time(&self) -> String {
        datetime(&self.survey.opens_at)
    }
}

async fn draft_page(
    state: &AppState,
    ctx: PageCtx,
    panel: PanelDefinition,
    s: survey::Model,
    refused: &[PlanProblem],
    notice: Option<String>,
) -> WebResult<DraftPage> {
    let (db, lang, now) = (&state.db, ctx.lang, state.now());
    let plan = service::plan_of(&s)?;
    let version = version_label(state, &ctx, s.version_id).await?;
    let outcome = service::preview(db, &panel, &s).await?;
    let (problems, warnings, questionnaire) = service::check_plan(db, &panel, &plan, now).await?;
    let mut warnings: Vec<String> = warnings.iter().map(|w| w.message(lang)).collect();
    if let Some(q) = &questionnaire
        && let Some(meant_for) = wider_than_meant(&ctx, &panel, &q.eligibility, &plan)
    {
        warnings.push(meant_for);
    }
    if let Some(q) = &questionnaire
        && let Some((amount, minutes, excess)) =
            crate::service::compensation::hourly_excess(db, q, s.opens_at).await?
    {
        warnings.push(ctx.tf(
            "survey.preview.hourly_over",
            &[
                ("amount", &amount.format_nl()),
                ("minutes", &minutes),
                ("per_hour", &excess.per_hour.format_nl()),
                ("limit", &excess.limit_21_plus.format_nl()),
                ("limit_young", &excess.limit_under_21.format_nl()),
            ],
        ));
    }
    let channels = fieldwork::channels(db, &outcome.picked).await?;
    let channels = Channel::ALL
        .iter()
        .map(|c| {
            let n = channels.values().filter(|v| *v == c).count();
            ctx.tf1(&format!("survey.channel_count.{}", c.code()), "n", n)
        })
        .collect();
    let errors = FormErrors {
        list: refused
            .iter()
            .enumerate()
            .map(|(i, p)| FieldMsg {
                field: format!("plannen-{i}"),
                anchor: "plannen".to_owned(),
                message: p.message(lang),
            })
            .collect(),
        ..FormErrors::none(lang)
    };
    let send_passed = s.opens_at <= now;
    Ok(DraftPage {
        plan: plan_lines(&ctx, &panel, &s, &plan, &version),
        picked: outcome.picked.len(),
        channels,
        tables: preview_tables(&panel, &outcome),
        shortfalls: outcome.shortfalls.iter().map(|p| p.message(lang)).collect(),
        size_shortfall: outcome.size_shortfall.map(|p| p.message(lang)),
        left_out: outcome
            .left_out
            .lines()
            .iter()
            .map(|l| l.message(lang))
            .collect(),
        warnings,
        // A passed moment of sending has its own question at the button.
        problems: problems
            .iter()
            .filter(|p| {
                !matches!(
                    p,
                    PlanProblem::Schedule(
                        crate::domain::fieldwork::ScheduleProblem::SendInPast { .. }
                    )
                )
            })
            .map(|p| p.message(lang))
            .collect(),
        send_passed,
        errors,
        notice,
        ctx,
        panel,
        survey: s,
    })
}

pub async fn page(
    State(state): State<AppState>,
    ctx: PageCtx,
    _auth: ManagerAuth,
    Path(survey_id): Path<i64>,
    Query(done): Query<Done>,
) -> WebResult<Response> {
    let s = responses::survey(&state.db, survey_id).await?;
    let panel = panels::get(&state.db, &s.panel_id).await?;
    let notice = done_notice(&ctx, &done);
    if s.status != SurveyStatus::Draft {
        return Ok(survey_dashboard::page(&state, ctx, panel, s, notice)
            .await?
            .into_response());
    }
    Ok(draft_page(&state, ctx, panel, s, &[], notice)
        .await?
        .into_response())
}

/// "Plannen": draw the sample and plan the invitations. With `send_now` the moment of
/// sending becomes now first (the manager chose that after it had passed).
pub async fn schedule(
    State(state): State<AppState>,
    ctx: PageCtx,
    _auth: ManagerAuth,
    Path(survey_id): Path<i64>,
    CsrfForm(data): CsrfForm,
) -> WebResult<Response> {
    let (db, now) = (&state.db, state.now());
    let s = responses::survey(db, survey_id).await?;
    let to_page = format!("/beheer/enquetes/{}", s.id);
    if s.status != SurveyStatus::Draft {
        return Ok(Redirect::to(&to_page).into_response());
    }
    let panel = panels::get(db, &s.panel_id).await?;
    let mut result = Ok(());
    if data.checked("send_now") {
        let mut plan = service::plan_of(&s)?;
        plan.schedule.send_at = now;
        plan.schedule.closing = Closing::At(s.closes_at);
        result = service::update(db, &panel, s.id, &plan, now).await;
    }
    if result.is_ok() {
        result = service::schedule(db, &panel, s.id, now).await.map(|_| ());
    }
    match result {
        Ok(()) => Ok(Redirect::to(&format!("{to_page}?klaar=gepland")).into_response()),
        Err(FieldworkError::Plan(problems)) => {
            let s = responses::survey(db, survey_id).await?;
            let page = draft_page(&state, ctx, panel, s, &problems, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(FieldworkError::Store(e)) => Err(e.into()),
    }
}
