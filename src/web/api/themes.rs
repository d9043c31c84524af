//! `/api/v1/surveys/{id}/themes`: the guide's step 6 for open answers, as on the page
//! `/beheer/enquetes/{survey}/themas` — the themes with how many respondents wrote about
//! each, the open answers with their themes and keyword suggestions, the words that come
//! back most; making, changing and removing themes; giving an answer its themes; and
//! taking over every suggestion at once. The same service calls and checks as the page.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::error::{ApiError, ApiResult, ErrorBody, body_problems};
use super::extract::{ApiJson, ApiLang};
use crate::domain::questionnaire::QuestionId;
use crate::domain::signup::FieldError;
use crate::domain::themes::ThemeInput;
use crate::i18n::Lang;
use crate::service::themes::{self as service, Split, Theme, ThemeBoard};
use crate::web::auth::ManagerAuth;
use crate::web::error::WebError;
use crate::web::state::AppState;

/// A theme as the manager writes it.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ThemeInputBody {
    pub name: String,
    /// Words that suggest the theme for an answer (lower case, accents folded).
    #[serde(default)]
    pub keywords: Vec<String>,
    /// The underlying problem (*onderliggend knelpunt*).
    #[serde(default)]
    pub problem: String,
    /// The core insight (*kerninzicht*).
    #[serde(default)]
    pub insight: String,
    /// What should change in policy or practice.
    #[serde(default)]
    pub change: String,
}

impl ThemeInputBody {
    fn input(&self) -> ThemeInput {
        ThemeInput::new(
            &self.name,
            &self.keywords.join(","),
            &self.problem,
            &self.insight,
            &self.change,
        )
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ThemeBody {
    pub id: i64,
    pub name: String,
    pub keywords: Vec<String>,
    pub problem: String,
    pub insight: String,
    pub change: String,
    /// Respondents who wrote about it (however many of their answers carry it).
    pub respondents: u64,
}

/// One open answer with its themes.
#[derive(Debug, Serialize, ToSchema)]
pub struct OpenAnswerBody {
    pub response_id: i64,
    pub question_id: String,
    pub text: String,
    /// The ids of its themes.
    pub themes: Vec<i64>,
    /// Themes whose keywords occur in the text and that it does not have yet.
    pub suggested: Vec<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WordBody {
    pub word: String,
    /// How many answers use it.
    pub answers: usize,
}

/// The themes of a survey's open answers.
#[derive(Debug, Serialize, ToSchema)]
pub struct ThemesBody {
    pub survey_id: i64,
    /// Respondents with at least one open answer.
    pub answered: u64,
    /// Respondents with at least one theme on their answers.
    pub coded: u64,
    pub themes: Vec<ThemeBody>,
    /// Every open answer, by question and then in the order the responses finished.
    pub answers: Vec<OpenAnswerBody>,
    /// The words that come back most, for new themes.
    pub words: Vec<WordBody>,
}

/// A theme saved.
#[derive(Debug, Serialize, ToSchema)]
pub struct SavedTheme {
    pub id: i64,
}

/// The themes of one open answer.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AnswerThemes {
    /// The open question the answer belongs to.
    pub question_id: String,
    /// The answer gets exactly these themes (ids); `[]` removes them all.
    pub themes: Vec<i64>,
}

/// Suggestions taken over.
#[derive(Debug, Serialize, ToSchema)]
pub struct TakenOver {
    /// Answers that got a theme.
    pub answers: usize,
}

fn body(board: &ThemeBoard) -> ThemesBody {
    let theme = |(i, t): (usize, &Theme)| ThemeBody {
        id: t.id,
        name: t.input.name.clone(),
        keywords: t.input.keywords.clone(),
        problem: t.input.problem.clone(),
        insight: t.input.insight.clone(),
        change: t.input.change.clone(),
        respondents: board.counts.counts.get(i).copied().unwrap_or(0),
    };
    ThemesBody {
        survey_id: board.survey.id,
        answered: board.counts.answered,
        coded: board.counts.coded,
        themes: board.themes.iter().enumerate().map(theme).collect(),
        answers: board
            .answers
            .iter()
            .map(|a| OpenAnswerBody {
                response_id: a.response_id,
                question_id: a.question_id.to_string(),
                text: a.text.clone(),
                themes: a.themes.clone(),
                suggested: a.suggested.clone(),
            })
            .collect(),
        words: board
            .words
            .iter()
            .map(|w| WordBody {
                word: w.word.clone(),
                answers: w.answers,
            })
            .collect(),
    }
}

/// The problems of a theme at the JSON paths of its fields.
fn refused(lang: Lang, problems: &[FieldError]) -> ApiError {
    ApiError::invalid(lang, "api.error.validation", body_problems(lang, problems))
}

/// The themes, the open answers with their themes and suggestions, and the words that
/// come back most. Open answers are for the manager only.
#[utoipa::path(
    get,
    path = "/api/v1/surveys/{id}/themes",
    operation_id = "getThemes",
    tag = "results",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The survey's id")),
    responses(
        (status = 200, description = "The themes and the open answers", body = ThemesBody),
        (status = 401, description = "No valid API key", body = ErrorBody),
        (status = 404, description = "No such survey", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    _auth: ManagerAuth,
    Path(id): Path<i64>,
) -> ApiResult<Json<ThemesBody>> {
    let board = service::board(&state.db, id, lang, Split::None).await?;
    Ok(Json(body(&board)))
}

/// A new theme; refused with each problem at its JSON path (an empty or taken name, too
/// many keywords, too long a text, more than 50 themes).
#[utoipa::path(
    post,
    path = "/api/v1/surveys/{id}/themes",
    operation_id = "createTheme",
    tag = "results",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The survey's id")),
    request_body = ThemeInputBody,
    responses(
        (status = 201, description = "Made", body = SavedTheme),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 401, description = "No valid API key", body = ErrorBody),
        (status = 404, description = "No such survey", body = ErrorBody),
        (status = 422, description = "Not saved; each problem names its JSON path", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    _auth: ManagerAuth,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ThemeInputBody>,
) -> ApiResult<Response> {
    match service::save_theme(&state.db, id, None, &input.input(), state.now()).await? {
        Ok(theme) => Ok((StatusCode::CREATED, Json(SavedTheme { id: theme })).into_response()),
        Err(problems) => Err(refused(lang, &problems)),
    }
}

/// Change a theme: name, keywords, and the problem, insight and change the reports show.
#[utoipa::path(
    put,
    path = "/api/v1/surveys/{id}/themes/{theme}",
    operation_id = "updateTheme",
    tag = "results",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "The survey's id"),
        ("theme" = i64, Path, description = "The theme's id"),
    ),
    request_body = ThemeInputBody,
    responses(
        (status = 200, description = "Saved", body = SavedTheme),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 401, description = "No valid API key", body = ErrorBody),
        (status = 404, description = "No such survey or theme", body = ErrorBody),
        (status = 422, description = "Not saved; each problem names its JSON path", body = ErrorBody),
    )
)]
pub async fn update(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    _auth: ManagerAuth,
    Path((id, theme)): Path<(i64, i64)>,
    ApiJson(input): ApiJson<ThemeInputBody>,
) -> ApiResult<Json<SavedTheme>> {
    match service::save_theme(&state.db, id, Some(theme), &input.input(), state.now()).await? {
        Ok(theme) => Ok(Json(SavedTheme { id: theme })),
        Err(problems) => Err(refused(lang, &problems)),
    }
}

/// Remove a theme, and it from every answer.
#[utoipa::path(
    delete,
    path = "/api/v1/surveys/{id}/themes/{theme}",
    operation_id = "deleteTheme",
    tag = "results",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "The survey's id"),
        ("theme" = i64, Path, description = "The theme's id"),
    ),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "No valid API key", body = ErrorBody),
        (status = 404, description = "No such survey or theme", body = ErrorBody),
    )
)]
pub async fn delete(
    State(state): State<AppState>,
    _auth: ManagerAuth,
    Path((id, theme)): Path<(i64, i64)>,
) -> ApiResult<StatusCode> {
    service::delete_theme(&state.db, id, theme).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Give one open answer exactly these themes.
#[utoipa::path(
    put,
    path = "/api/v1/surveys/{id}/responses/{response}/themes",
    operation_id = "setAnswerThemes",
    tag = "results",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "The survey's id"),
        ("response" = i64, Path, description = "The response's id"),
    ),
    request_body = AnswerThemes,
    responses(
        (status = 204, description = "Saved"),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 401, description = "No valid API key", body = ErrorBody),
        (status = 404, description = "No such survey, open answer or theme", body = ErrorBody),
    )
)]
pub async fn set_answer(
    State(state): State<AppState>,
    _auth: ManagerAuth,
    Path((id, response)): Path<(i64, i64)>,
    ApiJson(input): ApiJson<AnswerThemes>,
) -> ApiResult<StatusCode> {
    // Only an open answer gets themes: another question is as unknown as a bad id.
    let question = QuestionId::parse(&input.question_id).map_err(|_| WebError::NotFound)?;
    service::code_answer(&state.db, id, response, &question, &input.themes).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Give every open answer without a theme the themes its keywords suggest.
#[utoipa::path(
    post,
    path = "/api/v1/surveys/{id}/themes/suggestions",
    operation_id = "takeOverSuggestions",
    tag = "results",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The survey's id")),
    responses(
        (status = 200, description = "Taken over", body = TakenOver),
        (status = 401, description = "No valid API key", body = ErrorBody),
        (status = 404, description = "No such survey", body = ErrorBody),
    )
)]
pub async fn take_over(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    _auth: ManagerAuth,
    Path(id): Path<i64>,
) -> ApiResult<Json<TakenOver>> {
    let answers = service::accept_suggestions(&state.db, id, lang).await?;
    Ok(Json(TakenOver { answers }))
}
