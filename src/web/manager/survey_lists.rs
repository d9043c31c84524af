//! The call list (members who prefer phone: name and number) and the print run (members
//! who prefer post: name and address) of a survey as CSV. These are personal data: every
//! download is recorded in the audit log.

use axum::extract::{Path, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};

use crate::domain::response::Channel;
use crate::i18n::t;
use crate::service::fieldwork as service;
use crate::store::responses;
use crate::web::auth::ManagerAuth;
use crate::web::ctx::PageCtx;
use crate::web::error::{WebError, WebResult};
use crate::web::state::AppState;

pub async fn call_list(
    State(state): State<AppState>,
    ctx: PageCtx,
    auth: ManagerAuth,
    Path(survey_id): Path<i64>,
) -> WebResult<Response> {
    list(&state, &ctx, &auth, survey_id, Channel::Phone).await
}

pub async fn print_run(
    State(state): State<AppState>,
    ctx: PageCtx,
    auth: ManagerAuth,
    Path(survey_id): Path<i64>,
) -> WebResult<Response> {
    list(&state, &ctx, &auth, survey_id, Channel::Post).await
}

/// A cell a spreadsheet will not run as a formula (shared with the research exports).
pub(super) use crate::report::export::csv::spreadsheet_safe as cell;

async fn list(
    state: &AppState,
    ctx: &PageCtx,
    auth: &ManagerAuth,
    survey_id: i64,
    channel: Channel,
) -> WebResult<Response> {
    let s = responses::survey(&state.db, survey_id).await?;
    let rows =
        service::contact_list(&state.db, &auth.actor(), &s, channel, "CSV", state.now()).await?;
    let (file, contact_key) = match channel {
        Channel::Phone => ("belijst", "survey.lists.phone"),
        _ => ("drukwerk", "survey.lists.address"),
    };
    let lang = ctx.lang;
    let internal = |e: csv::Error| WebError::Internal(e.to_string());
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record([
            t(lang, "survey.lists.member"),
            t(lang, "survey.lists.name"),
            t(lang, contact_key),
        ])
        .map_err(internal)?;
    for m in &rows {
        let contact = match channel {
            Channel::Phone => m.phone.as_deref(),
            _ => m.address.as_deref(),
        };
        writer
            .write_record([
                m.id.to_string(),
                cell(m.name.as_deref().unwrap_or("")),
                cell(contact.unwrap_or("")),
            ])
            .map_err(internal)?;
    }
    let body = writer
        .into_inner()
        .map_err(|e| WebError::Internal(e.to_string()))?;
    Ok((
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}-enquete-{}.csv\"", s.id),
            ),
        ],
        body,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn formulas_are_defused_but_phone_numbers_are_kept() {
        assert_eq!(cell("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(cell("@x"), "'@x");
        assert_eq!(cell("-2+3"), "'-2+3");
        assert_eq!(cell("+31 6 12345678"), "+31 6 12345678");
        assert_eq!(cell("Anna de Vries"), "Anna de Vries");
    }
}
