//! `/beheer/enquetes/{survey}/resultaten`: every question's figures for the manager
//! (small groups included and marked), the feedback form ("Wat doen we ermee?", "Wat is
//! er veranderd, en wat niet?") with publishing for respondents, and a preview of the
//! page respondents get.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use crate::domain::feedback::{FeedbackAction, FeedbackTexts};
use crate::domain::ids::VariableId;
use crate::report::results_tables::{ManagerQuestion, manager_question};
use crate::report::results_view::{decimal, weight_error};
use crate::service::results::{self as service, SurveyResults};
use crate::store::responses;
use crate::web::auth::ManagerAuth;
use crate::web::ctx::PageCtx;
use crate::web::error::{WebError, WebResult};
use crate::web::form::CsrfForm;
use crate::web::respond::member_results_page;
use crate::web::state::AppState;
use crate::web::view::{FormErrors, datetime};

#[derive(Template, WebTemplate)]
#[template(path = "manager/survey_results.html", config = "src/web/askama.toml")]
pub struct ResultsPage {
    pub ctx: PageCtx,
    pub survey_id: i64,
    pub title: String,
    pub respondents: u64,
    pub population: Option<u64>,
    pub min_cell_size: u32,
    pub questions: Vec<ManagerQuestion>,
    pub has_small: bool,
    /// Finished responses per way of answering: (mode in words, count).
    pub by_mode: Vec<(String, u64)>,
    pub what_we_do: String,
    pub what_changed: String,
    pub published_at: Option<String>,
    pub errors: FormErrors,
    pub notice: Option<String>,
    /// Variables with targets: (id, question, chosen for weighting).
    pub weight_choices: Vec<(String, String, bool)>,
    /// What the weighting gave, in words: effective n and design effect, or why not.
    pub weighting: Option<String>,
    pub weighting_failed: bool,
    /// `?wegen=…` for the downloads when the figures are weighted, else empty.
    pub weight_query: String,
}

impl ResultsPage {
    fn heading(&self) -> String {
        self.ctx.tf1("results.manager.title", "title", &self.title)
    }
    fn page_title(&self) -> String {
        let mut heading = self.heading();
        if self.weighting.is_some() {
            let key = if self.weighting_failed {
                "results.weighting.not_weighted"
            } else {
                "results.weighting.weighted"
            };
            heading = format!("{heading} ({})", self.ctx.t(key));
        }
        self.errors.title(&self.ctx.lang, &heading)
    }
    fn own_questions(&self) -> impl Iterator<Item = &ManagerQuestion> {
        self.questions.iter().filter(|q| !q.appended)
    }
    fn appended_questions(&self) -> impl Iterator<Item = &ManagerQuestion> {
        self.questions.iter().filter(|q| q.appended)
    }
}

fn results_page(
    ctx: PageCtx,
    results: &SurveyResults,
    texts: Option<FeedbackTexts>,
    errors: FormErrors,
    notice: Option<String>,
) -> ResultsPage {
    let public = results.public();
    let questions: Vec<ManagerQuestion> = results
        .summary
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let p = public.questions.iter().find(|p| p.id == q.id.as_str());
            manager_question(&ctx.texts(), i + 1, q, p)
        })
        .collect();
    let feedback = results.feedback.as_ref();
    let texts = texts.unwrap_or_else(|| {
        feedback.map_or_else(FeedbackTexts::default, |f| FeedbackTexts {
            what_we_do: f.what_we_do.clone(),
            what_changed: f.what_changed.clone(),
        })
    });
    let chosen: Vec<&str> = results
        .weighting
        .as_ref()
        .map(|(vars, _)| vars.iter().map(|v| v.as_str()).collect())
        .unwrap_or_default();
    let weight_choices = results
        .panel
        .background_variables
        .iter()
        .filter(|v| results.panel.targets.contains_key(&v.id))
        .map(|v| {
            (
                v.id.to_string(),
                v.question.clone(),
                chosen.contains(&v.id.as_str()),
            )
        })
        .collect();
    let weighting = results.weighting.as_ref().map(|(_, w)| match w {
        Ok(w) => ctx.tf(
            "results.weighting.done",
            &[
                ("n", &results.summary.respondents),
                ("eff", &decimal(ctx.lang, w.effective_n, 1)),
                ("deff", &decimal(ctx.lang, w.design_effect, 2)),
                ("trimmed", &w.trimmed),
            ],
        ),
        Err(e) => weight_error(ctx.lang, e),
    });
    let weighting_failed = results.weighting.as_ref().is_some_and(|(_, w)| w.is_err());
    let weight_query = match &results.weighting {
        Some((vars, Ok(_))) => {
            let pairs: Vec<String> = vars.iter().map(|v| format!("wegen={v}")).collect();
            format!("?{}", pairs.join("&"))
        }
        _ => String::new(),
    };
    ResultsPage {
        weight_query,
        weight_choices,
        weighting,
        weighting_failed,
        survey_id: results.survey.id,
        title: results.survey.title.clone(),
        respondents: results.summary.respondents,
        population: results.summary.population,
        min_cell_size: results.min_cell_size(),
        has_small: questions
            .iter()
            .any(|q| q.stats_small || q.rows.iter().any(|r| r.small)),
        questions,
        by_mode: results
            .by_mode
            .iter()
            .map(|(mode, n)| {
                (
                    ctx.t(&format!("survey.mode_short.{}", mode.code()))
                        .to_owned(),
                    *n,
                )
            })
            .collect(),
        what_we_do: texts.what_we_do,
        what_changed: texts.what_changed,
        published_at: feedback
            .and_then(|f| f.published_at)
            .map(|at| datetime(&at)),
        errors,
        notice,
        ctx,
    }
}

pub async fn page(
    State(state): State<AppState>,
    ctx: PageCtx,
    _auth: ManagerAuth,
    Path(survey_id): Path<i64>,
    Query(params): Query<Vec<(String, String)>>,
) -> WebResult<ResultsPage> {
    let weight_by: Vec<VariableId> = params
        .iter()
        .filter(|(k, _)| k == "wegen")
        .filter_map(|(_, v)| VariableId::parse(v).ok())
        .collect();
    let results = service::load_weighted(&state.db, survey_id, ctx.lang, &[], &weight_by).await?;
    let klaar = params
        .iter()
        .find(|(k, _)| k == "klaar")
        .map_or("", |(_, v)| v.as_str());
    let notice = match klaar {
        "opgeslagen" => Some("results.feedback.saved"),
        "getoond" => Some("results.feedback.published_done"),
        "ingetrokken" => Some("results.feedback.withdrawn_done"),
        _ => None,
    }
    .map(|key| ctx.t(key).to_owned());
    let errors = FormErrors::none(ctx.lang);
    Ok(results_page(ctx, &results, None, errors, notice))
}

pub async fn save_feedback(
    State(state): State<AppState>,
    ctx: PageCtx,
    ManagerAuth(manager): ManagerAuth,
    Path(survey_id): Path<i64>,
    CsrfForm(form): CsrfForm,
) -> WebResult<Response> {
    let survey = responses::survey(&state.db, survey_id).await?;
    let action = FeedbackAction::parse(form.get("action"))
        .ok_or(WebError::BadRequest("error.bad_request"))?;
    let texts = FeedbackTexts::new(form.get("what_we_do"), form.get("what_changed"));
    let base_url = &state.config.base_url;
    let saved = service::save_feedback(
        &state.db,
        &survey,
        &texts,
        action,
        manager.id,
        base_url,
        state.now(),
    )
    .await?;
    match saved {
        Ok(_) => {
            let done = match action {
                FeedbackAction::Save => "opgeslagen",
                FeedbackAction::Publish => "getoond",
                FeedbackAction::Withdraw => "ingetrokken",
            };
            let to = format!("/beheer/enquetes/{survey_id}/resultaten?klaar={done}#terugkoppeling");
            Ok(Redirect::to(&to).into_response())
        }
        Err(problems) => {
            let results = service::load(&state.db, survey_id, ctx.lang).await?;
            let errors = FormErrors::new(ctx.lang, &problems);
            let page = results_page(ctx, &results, Some(texts), errors, None);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

/// The respondents' page as they will see it, published or not.
pub async fn preview(
    State(state): State<AppState>,
    ctx: PageCtx,
    _auth: ManagerAuth,
    Path(survey_id): Path<i64>,
) -> WebResult<Response> {
    let results = service::load(&state.db, survey_id, ctx.lang).await?;
    let back = Some((
        format!("/beheer/enquetes/{survey_id}/resultaten"),
        ctx.t("results.manager.back_to_results").to_owned(),
    ));
    Ok(member_results_page(ctx, &results, true, back).into_response())
}
