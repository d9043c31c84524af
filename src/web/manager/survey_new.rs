//! `/beheer/panels/{panel}/enquetes/nieuw` and `/beheer/enquetes/{survey}/wijzigen`: a
//! survey's plan (questionnaire, who, how many, quotas, seed, when) as a form without
//! JavaScript. "Quota opnieuw berekenen" shows the default quotas from the panel's
//! targets to adjust; saving stores a draft only when the plan has no problems.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sea_orm::ConnectionTrait;

use super::survey_form::{PlanForm, Problem, form_errors};
use crate::domain::fieldwork::Size;
use crate::domain::panel::PanelDefinition;
use crate::domain::response::SurveyStatus;
use crate::service::fieldwork::{self as service, FieldworkError};
use crate::store::entities::survey;
use crate::store::{StoreResult, panels, questionnaires, responses};
use crate::web::auth::ManagerAuth;
use crate::web::ctx::PageCtx;
use crate::web::error::WebResult;
use crate::web::form::{CsrfForm, FormData};
use crate::web::state::AppState;
use crate::web::view::{Choice, FormErrors, RadioGroup};

/// Days a new survey stays open unless the manager says otherwise.
const DEFAULT_OPEN_DAYS: u32 = 21;

pub struct EligVar {
    pub vi: usize,
    pub id: String,
    pub question: String,
    pub options: Vec<EligOption>,
}

pub struct EligOption {
    pub ci: usize,
    pub value: String,
    pub label: String,
    pub ticked: bool,
}

/// A quota variable: its checkbox and, when chosen, its numbers per category.
pub struct QuotaVar {
    pub vi: usize,
    pub id: String,
    pub question: String,
    pub chosen: bool,
    pub error: Option<String>,
    pub rows: Vec<QuotaRowView>,
}

pub struct QuotaRowView {
    pub vi: usize,
    pub ci: usize,
    pub value: String,
    pub label: String,
    pub min: String,
    pub target: String,
    pub max: String,
    pub error: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "manager/survey_form.html", config = "src/web/askama.toml")]
pub struct PlanPage {
    pub ctx: PageCtx,
    pub heading: String,
    pub action: String,
    pub back: String,
    pub form: PlanForm,
    pub versions: Vec<Choice>,
    pub elig: Vec<EligVar>,
    pub quota_vars: Vec<QuotaVar>,
    pub size: RadioGroup,
    pub send: RadioGroup,
    pub close: RadioGroup,
    pub errors: FormErrors,
    pub notice: Option<String>,
}

/// The published questionnaire versions of the panel, newest questionnaire first.
async fn published_versions(
    db: &impl ConnectionTrait,
    ctx: &PageCtx,
    panel_id: &str,
) -> StoreResult<Vec<Choice>> {
    let mut out = Vec::new();
    for (_, versions) in questionnaires::list(db, panel_id).await? {
        for v in versions.iter().filter(|v| v.published_at.is_some()) {
            out.push(Choice::new(
                v.id.to_string(),
                ctx.tf2(
                    "survey.form.version_label",
                    "title",
                    &v.title,
                    "n",
                    v.version,
                ),
            ));
        }
    }
    Ok(out)
}

fn radio(name: &str, legend: String, options: Vec<Choice>, selected: &str) -> RadioGroup {
    RadioGroup {
        name: name.to_owned(),
        legend,
        options,
        selected: selected.to_owned(),
    }
}

struct Target {
    heading: String,
    action: String,
    back: String,
}

async fn render(
    state: &AppState,
    ctx: PageCtx,
    panel: PanelDefinition,
    target: Target,
    form: PlanForm,
    problems: &[Problem],
    notice: Option<String>,
) -> WebResult<PlanPage> {
    let errors = form_errors(ctx.lang, problems);
    let elig = panel
        .background_variables
        .iter()
        .enumerate()
        .map(|(vi, var)| EligVar {
            vi,
            id: var.id.to_string(),
            question: var.question.clone(),
            options: var
                .categories
                .iter()
                .enumerate()
                .map(|(ci, c)| EligOption {
                    ci,
                    value: c.value.to_string(),
                    label: c.label.clone(),
                    ticked: form.is_ticked(vi, c.value.as_str()),
                })
                .collect(),
        })
        .collect();
    let quota_vars = panel
        .background_variables
        .iter()
        .enumerate()
        .map(|(vi, var)| QuotaVar {
            vi,
            id: var.id.to_string(),
            question: var.question.clone(),
            chosen: form.quota_vars.contains(&vi),
            error: errors.get(&format!("quota-{vi}")).map(str::to_owned),
            rows: form
                .rows(vi)
                .into_iter()
                .filter_map(|r| {
                    let c = var.categories.get(r.ci)?;
                    Some(QuotaRowView {
                        vi,
                        ci: r.ci,
                        value: c.value.to_string(),
                        label: c.label.clone(),
                        min: r.min.clone(),
                        target: r.target.clone(),
                        max: r.max.clone(),
                        error: errors
                            .get(&format!("quota-{vi}-{}", r.ci))
                            .map(str::to_owned),
                    })
                })
                .collect(),
        })
        .collect();
    let choices = |keys: &[(&str, &str)]| {
        keys.iter()
            .map(|(value, key)| Choice::new(*value, ctx.t(key)))
            .collect::<Vec<_>>()
    };
    let size = radio(
        "size_mode",
        ctx.t("survey.form.size").to_owned(),
        choices(&[("all", "survey.form.size_all"), ("n", "survey.form.size_n")]),
        &form.size_mode,
    );
    let send = radio(
        "send_mode",
        ctx.t("survey.form.send").to_owned(),
        choices(&[
            ("now", "survey.form.send_now"),
            ("at", "survey.form.send_at"),
        ]),
        &form.send_mode,
    );
    let close = radio(
        "close_mode",
        ctx.t("survey.form.close").to_owned(),
        choices(&[
            ("days", "survey.form.close_days"),
            ("at", "survey.form.close_at"),
        ]),
        &form.close_mode,
    );
    Ok(PlanPage {
        versions: published_versions(&state.db, &ctx, panel.id.as_str()).await?,
        heading: target.heading,
        action: target.action,
        back: target.back,
        ctx,
        form,
        elig,
        quota_vars,
        size,
        send,
        close,
        errors,
        notice,
    })
}

fn new_target(ctx: &PageCtx, panel: &PanelDefinition) -> Target {
    Target {
        heading: ctx.t("survey.form.new_title").to_owned(),
        action: format!("/beheer/panels/{}/enquetes/nieuw", panel.id),
        back: format!("/beheer/panels/{}/enquetes", panel.id),
    }
}

fn edit_target(ctx: &PageCtx, s: &survey::Model) -> Target {
    Target {
        heading: ctx.tf1("survey.form.edit_title", "title", &s.title),
        action: format!("/beheer/enquetes/{}/wijzigen", s.id),
        back: format!("/beheer/enquetes/{}", s.id),
    }
}

pub async fn new_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    _auth: ManagerAuth,
    Path(panel_id): Path<String>,
) -> WebResult<PlanPage> {
    let panel = panels::get(&state.db, &panel_id).await?;
    // A seed people can read out and type: any 32-bit number.
    let form = PlanForm::new(u64::from(rand::random::<u32>()), DEFAULT_OPEN_DAYS);
    let target = new_target(&ctx, &panel);
    render(&state, ctx, panel, target, form, &[], None).await
}

pub async fn new_submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    auth: ManagerAuth,
    Path(panel_id): Path<String>,
    CsrfForm(data): CsrfForm,
) -> WebResult<Response> {
    let panel = panels::get(&state.db, &panel_id).await?;
    let target = new_target(&ctx, &panel);
    submit(&state, ctx, panel, target, None, auth.0.id, &data).await
}

pub async fn edit_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    _auth: ManagerAuth,
    Path(survey_id): Path<i64>,
) -> WebResult<Response> {
    let s = responses::survey(&state.db, survey_id).await?;
    if s.status != SurveyStatus::Draft {
        return Ok(Redirect::to(&format!("/beheer/enquetes/{}", s.id)).into_response());
    }
    let panel = panels::get(&state.db, &s.panel_id).await?;
    let form = PlanForm::from_plan(&panel, &service::plan_of(&s)?, state.now());
    let target = edit_target(&ctx, &s);
    Ok(render(&state, ctx, panel, target, form, &[], None)
        .await?
        .into_response())
}

pub async fn edit_submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    auth: ManagerAuth,
    Path(survey_id): Path<i64>,
    CsrfForm(data): CsrfForm,
) -> WebResult<Response> {
    let s = responses::survey(&state.db, survey_id).await?;
    if s.status != SurveyStatus::Draft {
        return Ok(Redirect::to(&format!("/beheer/enquetes/{}", s.id)).into_response());
    }
    let panel = panels::get(&state.db, &s.panel_id).await?;
    let target = edit_target(&ctx, &s);
    submit(&state, ctx, panel, target, Some(s.id), auth.0.id, &data).await
}

/// Read the form; show the default quotas, refuse with every problem, or store the
/// draft (new, or `survey_id` changed) and go to its page.
async fn submit(
    state: &AppState,
    ctx: PageCtx,
    panel: PanelDefinition,
    target: Target,
    survey_id: Option<i64>,
    manager_id: i64,
    data: &FormData,
) -> WebResult<Response> {
    let (lang, now, db) = (ctx.lang, state.now(), &state.db);
    let mut form = PlanForm::read(data, &panel);
    let recalculate = data.get("action") == "quotas";
    let eligibility = form.eligibility(&panel).unwrap_or_default();
    let n = match form.size() {
        Some(Size::N(n)) => n,
        _ => service::eligible_count(db, &panel, &eligibility, now).await?,
    };
    let mut problems = form.fill_default_quotas(lang, &panel, &eligibility, n, recalculate);
    if recalculate {
        let notice =
            (!form.quota_vars.is_empty()).then(|| ctx.tf1("survey.form.quotas_computed", "n", n));
        let status = if problems.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        let page = render(state, ctx, panel, target, form, &problems, notice).await?;
        return Ok((status, page).into_response());
    }
    let (plan, read) = form.plan(lang, &panel, now);
    problems.extend(read);
    let result = if !problems.is_empty() {
        let (plan_problems, _, _) = service::check_plan(db, &panel, &plan, now).await?;
        Err(plan_problems)
    } else {
        let saved = match survey_id {
            None => service::create(db, &panel, &plan, Some(manager_id), now)
                .await
                .map(|s| s.id),
            Some(id) => service::update(db, &panel, id, &plan, now)
                .await
                .map(|()| id),
        };
        match saved {
            Ok(id) => Ok(id),
            Err(FieldworkError::Plan(plan_problems)) => Err(plan_problems),
            Err(FieldworkError::Store(e)) => return Err(e.into()),
        }
    };
    match result {
        Ok(id) => {
            Ok(Redirect::to(&format!("/beheer/enquetes/{id}?klaar=opgeslagen")).into_response())
        }
        Err(plan_problems) => {
            let problems = form.place(lang, &panel, problems, &plan_problems);
            let page = render(state, ctx, panel, target, form, &problems, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}
