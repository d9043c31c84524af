//! `/api/v1/panels/{id}/questionnaires` and `/api/v1/questionnaire-versions/{id}`: list
//! questionnaires, upload a file as a new version, view a version with its review, and
//! save an edited file as the next version — the same checks as the manager pages.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;

use super::error::{ApiError, ApiResult, ErrorBody, Problem};
use super::extract::{ApiBody, ApiLang};
use super::questionnaire_types::{
    CreatedVersion, PilotCounts, QuestionnaireSummary, ReviewBody, Version, VersionDetail,
    comments_per_question,
};
use crate::i18n::{Lang, t};
use crate::schema_check::FileReport;
use crate::service::questionnaires::{self as review, EditRefusal};
use crate::store::entities::questionnaire_version;
use crate::store::{panels, questionnaires};
use crate::web::auth::ManagerAuth;
use crate::web::state::AppState;

/// 422 listing every problem that kept a file from being stored (warnings are left to
/// the review of a stored version).
fn refused(lang: Lang, report: &FileReport) -> ApiError {
    let problems = report
        .problems
        .iter()
        .filter(|f| f.severity == crate::domain::questionnaire::Severity::Problem)
        .map(Problem::in_file)
        .collect();
    ApiError::invalid(lang, "api.error.questionnaire_refused", problems)
}

/// 201 with a version just stored and its review.
fn created(
    lang: Lang,
    version: questionnaire_version::Model,
) -> (StatusCode, Json<CreatedVersion>) {
    let review = review::review(&version, &[], lang);
    (
        StatusCode::CREATED,
        Json(CreatedVersion {
            review: ReviewBody::from(&review),
            version: version.into(),
        }),
    )
}

/// List a panel's questionnaires with their versions, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/panels/{id}/questionnaires",
    operation_id = "listQuestionnaires",
    tag = "questionnaires",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The panel's id")),
    responses(
        (status = 200, description = "The panel's questionnaires", body = [QuestionnaireSummary]),
        (status = 401, description = "No valid API key", body = ErrorBody),
        (status = 404, description = "No such panel", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    _auth: ManagerAuth,
    Path(panel_id): Path<String>,
) -> ApiResult<Json<Vec<QuestionnaireSummary>>> {
    panels::get(&state.db, &panel_id).await?;
    let rows = questionnaires::list(&state.db, &panel_id).await?;
    Ok(Json(
        rows.into_iter()
            .map(|(q, vs)| QuestionnaireSummary::new(q, vs))
            .collect(),
    ))
}

/// Upload a questionnaire file (the JSON itself as the body, at most 1 MiB).
///
/// The file is checked as on the manager pages: JSON Schema, structure, the panel's
/// background variables. A file without problems is stored as the next version of the
/// questionnaire with its `id` (a new questionnaire on first upload), and comes back with
/// its review: every finding, plain-language ones included, each with a key to accept
/// it. A file with problems is not stored; each problem names its JSON path, and its
/// line and column where known.
#[utoipa::path(
    post,
    path = "/api/v1/panels/{id}/questionnaires",
    operation_id = "uploadQuestionnaire",
    tag = "questionnaires",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The panel's id")),
    request_body(
        content = Object,
        description = "The questionnaire file, as in `panel-schemas/questionnaire.schema.json`",
        content_type = "application/json"
    ),
    responses(
        (status = 201, description = "Stored as a new version", body = CreatedVersion),
        (status = 401, description = "No valid API key", body = ErrorBody),
        (status = 404, description = "No such panel", body = ErrorBody),
        (status = 409, description = "Another upload of the same questionnaire took the version number; try again", body = ErrorBody),
        (status = 413, description = "The file is larger than 1 MiB", body = ErrorBody),
        (status = 422, description = "Not stored: the file has problems", body = ErrorBody),
    )
)]
pub async fn upload(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    auth: ManagerAuth,
    Path(panel_id): Path<String>,
    ApiBody(bytes): ApiBody,
) -> ApiResult<(StatusCode, Json<CreatedVersion>)> {
    let panel = panels::get(&state.db, &panel_id).await?;
    match review::upload(&state.db, &panel, &bytes, auth.0.id, lang, state.now()).await? {
        Ok(version) => Ok(created(lang, version)),
        Err(report) => Err(refused(lang, &report)),
    }
}

/// View a version: its file, its review (findings, acceptances, readability), the pilot
/// comments per question and how often it was piloted.
#[utoipa::path(
    get,
    path = "/api/v1/questionnaire-versions/{id}",
    operation_id = "getQuestionnaireVersion",
    tag = "questionnaires",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The version's id")),
    responses(
        (status = 200, description = "The version", body = VersionDetail),
        (status = 401, description = "No valid API key", body = ErrorBody),
        (status = 404, description = "No such version", body = ErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    _auth: ManagerAuth,
    Path(id): Path<i64>,
) -> ApiResult<Json<VersionDetail>> {
    let v = questionnaires::version(&state.db, id).await?;
    let q = questionnaires::questionnaire(&state.db, v.questionnaire_id).await?;
    let parsed = review::parsed(&v)?;
    let accepted = questionnaires::acceptances(&state.db, v.id).await?;
    let comments = questionnaires::comments(&state.db, v.id).await?;
    let (started, finished) = questionnaires::pilot_counts(&state.db, v.id).await?;
    let versions = questionnaires::versions(&state.db, q.id).await?;
    Ok(Json(VersionDetail {
        review: ReviewBody::from(&review::review(&v, &accepted, lang)),
        definition: serde_json::from_str(&v.definition).unwrap_or_default(),
        comments: comments_per_question(&parsed, &comments),
        pilots: PilotCounts { started, finished },
        versions: versions.into_iter().map(Version::from).collect(),
        panel_id: q.panel_id,
        slug: q.slug,
        version: v.into(),
    }))
}

/// Save an edited file as the next version of the same questionnaire.
///
/// The file must keep the questionnaire's `id`. This version (published or not) never
/// changes. The same checks as an upload.
#[utoipa::path(
    post,
    path = "/api/v1/questionnaire-versions/{id}/versions",
    operation_id = "editQuestionnaireVersion",
    tag = "questionnaires",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The version the edit starts from")),
    request_body(
        content = Object,
        description = "The edited questionnaire file, with the same `id`",
        content_type = "application/json"
    ),
    responses(
        (status = 201, description = "Stored as a new version", body = CreatedVersion),
        (status = 401, description = "No valid API key", body = ErrorBody),
        (status = 404, description = "No such version", body = ErrorBody),
        (status = 409, description = "Another upload of the same questionnaire took the version number; try again", body = ErrorBody),
        (status = 413, description = "The file is larger than 1 MiB", body = ErrorBody),
        (status = 422, description = "Not stored: another questionnaire `id`, or the file has problems", body = ErrorBody),
    )
)]
pub async fn edit(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    auth: ManagerAuth,
    Path(id): Path<i64>,
    ApiBody(bytes): ApiBody,
) -> ApiResult<(StatusCode, Json<CreatedVersion>)> {
    let v = questionnaires::version(&state.db, id).await?;
    match review::edit(&state.db, &v, &bytes, auth.0.id, lang, state.now()).await? {
        Ok(new) => Ok(created(lang, new)),
        Err(EditRefusal::File(report)) => Err(refused(lang, &report)),
        Err(EditRefusal::OtherQuestionnaire) => {
            let message = t(lang, "questionnaire.edit.other_id");
            Err(ApiError::invalid(
                lang,
                "api.error.questionnaire_refused",
                vec![Problem::new("$.id", "other_id", message)],
            ))
        }
    }
}
