//! `/api/v1/surveys/{id}/results` and `/feedback`: a survey's figures as the manager's
//! results page shows them (weighted over chosen background variables, split by chosen
//! groupings), and the feedback texts for respondents with their publication — the same
//! service calls and checks as `/beheer/enquetes/{survey}/resultaten`.

use axum::Json;
use axum::extract::{Path, Query, State};

use super::error::{ApiError, ApiResult, ErrorBody, Problem, body_problems};
use super::extract::{ApiJson, ApiLang};
use super::results_types::{
    FeedbackBody, FeedbackInput, ModeCount, ResultCrossQuestion, ResultCrosstab, ResultQuestion,
    ResultsBody, WeightingBody,
};
use crate::domain::feedback::{FeedbackAction, FeedbackTexts};
use crate::domain::grouping::GroupBy;
use crate::domain::ids::VariableId;
use crate::i18n::{Lang, t};
use crate::report::results_view::weight_error;
use crate::service::results::{self as service, SurveyResults};
use crate::store::{panels, responses};
use crate::web::auth::ManagerAuth;
use crate::web::state::AppState;

/// The groupings and weighting variables asked for; an unknown one is a 400 naming it.
fn parse_query(
    lang: Lang,
    panel: &crate::domain::panel::PanelDefinition,
    pairs: &[(String, String)],
) -> ApiResult<(Vec<GroupBy>, Vec<VariableId>)> {
    let mut by = Vec::new();
    let mut weight_by = Vec::new();
    for (name, value) in pairs {
        match name.as_str() {
            "by" => match GroupBy::parse(value, panel) {
                Some(g) if !by.contains(&g) => by.push(g),
                Some(_) => {}
                None => {
                    return Err(ApiError::query(
                        lang,
                        "by",
                        "unknown_grouping",
                        crate::i18n::tf(lang, "api.results.unknown_grouping", &[("value", value)]),
                    ));
                }
            },
            "weight_by" => match VariableId::parse(value)
                .ok()
                .filter(|v| panel.variable(v.as_str()).is_some())
            {
                Some(v) if !weight_by.contains(&v) => weight_by.push(v),
                Some(_) => {}
                None => {
                    return Err(ApiError::query(
                        lang,
                        "weight_by",
                        "unknown_variable",
                        crate::i18n::tf(lang, "api.query.variable", &[("variable", value)]),
                    ));
                }
            },
            _ => {}
        }
    }
    Ok((by, weight_by))
}

fn body(lang: Lang, r: &SurveyResults) -> ResultsBody {
    let weighting = r.weighting.as_ref().map(|(variables, w)| {
        let variables = variables.iter().map(ToString::to_string).collect();
        match w {
            Ok(w) => WeightingBody {
                variables,
                weighted: true,
                design_effect: Some(w.design_effect),
                effective_n: Some(w.effective_n),
                iterations: Some(w.iterations),
                trimmed: Some(w.trimmed),
                error: None,
                message: None,
            },
            Err(e) => WeightingBody {
                variables,
                weighted: false,
                design_effect: None,
                effective_n: None,
                iterations: None,
                trimmed: None,
                error: Some(e.i18n_key().rsplit('.').next().unwrap_or("").to_owned()),
                message: Some(weight_error(lang, e)),
            },
        }
    });
    ResultsBody {
        survey_id: r.survey.id,
        title: r.survey.title.clone(),
        respondents: r.summary.respondents,
        population: r.summary.population,
        min_cell_size: r.min_cell_size(),
        by_mode: r
            .by_mode
            .iter()
            .map(|(mode, n)| ModeCount {
                mode: mode.code().to_owned(),
                finished: *n,
            })
            .collect(),
        weighting,
        questions: r
            .summary
            .questions
            .iter()
            .map(ResultQuestion::from)
            .collect(),
        crosstabs: r
            .crosstabs
            .iter()
            .map(|(by, c)| ResultCrosstab {
                by: by.key(),
                name: c.name.clone(),
                groups: c.groups.clone(),
                questions: c.questions.iter().map(ResultCrossQuestion::from).collect(),
            })
            .collect(),
        feedback: r.feedback.as_ref().map(FeedbackBody::from),
    }
}

/// Every question's figures for the manager: counts with shares and 95% intervals,
/// "weet ik niet" and no-answer apart, marks and numbers with mean, median and
/// quartiles, the open answers; small groups included (this is the manager's own view).
#[utoipa::path(
    get,
    path = "/api/v1/surveys/{id}/results",
    operation_id = "getResults",
    tag = "results",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "The survey's id"),
        ("weight_by" = Option<Vec<String>>, Query, description = "Weight the figures by raking to the panel's targets over these background variables (repeat the parameter for each); weighted figures come beside the unweighted ones"),
        ("by" = Option<Vec<String>>, Query, description = "Crosstabs by these groupings (repeat the parameter): a background variable, `:manier` (web, phone, paper) or `:hulp` (answered with help)"),
        ("lang" = Option<String>, Query, description = "Language of labels and messages: `nl` (default) or `en`"),
    ),
    responses(
        (status = 200, description = "The figures", body = ResultsBody),
        (status = 400, description = "An unknown grouping or variable", body = ErrorBody),
        (status = 401, description = "No valid API key", body = ErrorBody),
        (status = 404, description = "No such survey", body = ErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    _auth: ManagerAuth,
    Path(id): Path<i64>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> ApiResult<Json<ResultsBody>> {
    let survey = responses::survey(&state.db, id).await?;
    let panel = panels::get(&state.db, &survey.panel_id).await?;
    let (by, weight_by) = parse_query(lang, &panel, &pairs)?;
    let results = service::load_weighted(&state.db, id, lang, &by, &weight_by).await?;
    Ok(Json(body(lang, &results)))
}

/// Save the feedback texts for respondents ("Wat doen we ermee?", "Wat is er veranderd,
/// en wat niet?"), and publish or withdraw the results. Publishing needs a closed
/// survey with responses and both texts; the first publication queues the results
/// email to the respondents who asked for it. With problems nothing is stored.
#[utoipa::path(
    put,
    path = "/api/v1/surveys/{id}/feedback",
    operation_id = "putFeedback",
    tag = "results",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The survey's id")),
    request_body = FeedbackInput,
    responses(
        (status = 200, description = "Saved (and published or withdrawn)", body = FeedbackBody),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 401, description = "No valid API key", body = ErrorBody),
        (status = 404, description = "No such survey", body = ErrorBody),
        (status = 422, description = "The texts are too long, or publishing is not possible yet; each problem names its JSON path", body = ErrorBody),
    )
)]
pub async fn put_feedback(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    ManagerAuth(manager): ManagerAuth,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<FeedbackInput>,
) -> ApiResult<Json<FeedbackBody>> {
    let survey = responses::survey(&state.db, id).await?;
    let Some(action) = FeedbackAction::parse(&input.action) else {
        let problem = Problem::new(
            "$.action",
            "unknown_action",
            t(lang, "api.results.unknown_action"),
        );
        return Err(ApiError::invalid(
            lang,
            "api.error.validation",
            vec![problem],
        ));
    };
    let texts = FeedbackTexts::new(&input.what_we_do, &input.what_changed);
    let saved = service::save_feedback(
        &state.db,
        &survey,
        &texts,
        action,
        manager.id,
        &state.config.base_url,
        state.now(),
    )
    .await?;
    match saved {
        Ok(feedback) => Ok(Json(FeedbackBody::from(&feedback))),
        Err(problems) => Err(ApiError::invalid(
            lang,
            "api.error.validation",
            body_problems(lang, &problems),
        )),
    }
}
