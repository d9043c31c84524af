//! `/beheer/enquetes/{survey}/rapport/{file}`: the survey's reports (for respondents,
//! for the client, for the manager) as whole pages, the same HTML `klankbord report`
//! writes.

use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};

use crate::report::documents::ReportKind;
use crate::service::results as service;
use crate::web::auth::ManagerAuth;
use crate::web::ctx::PageCtx;
use crate::web::error::{WebError, WebResult};
use crate::web::state::AppState;

pub async fn page(
    State(state): State<AppState>,
    ctx: PageCtx,
    _auth: ManagerAuth,
    Path((survey_id, file)): Path<(i64, String)>,
) -> WebResult<Response> {
    let kind = ReportKind::from_file(&file).ok_or(WebError::NotFound)?;
    let (_, html) = service::report(&state.db, survey_id, kind, ctx.lang).await?;
    Ok(Html(html).into_response())
}
