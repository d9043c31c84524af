//! `/api/v1/panels/{id}/members` and `/api/v1/members/{id}`: search, view, correct and
//! confirm members. Every view or change is written to the audit log, as on the web
//! pages.

use axum::Json;
use axum::extract::{Path, Query, State};
use chrono::Datelike;

use super::audit::AuditEntry;
use super::error::{ApiError, ApiResult, ErrorBody, field_problems};
use super::extract::{ApiJson, ApiLang};
use super::member_types::{Confirmed, MemberDetail, MemberPage, MemberUpdate};
use crate::domain::member::{MemberStatus, changed_fields};
use crate::domain::panel::PanelDefinition;
use crate::domain::signup;
use crate::i18n::{Lang, tf};
use crate::store::audit::{self, Action};
use crate::store::members::{self, MemberFilter};
use crate::store::panels;
use crate::web::auth::ManagerAuth;
use crate::web::state::AppState;

/// Members per page unless `per_page` says otherwise (as on the web page).
pub const PER_PAGE: u64 = 50;
pub const MAX_PER_PAGE: u64 = 200;

/// How many audit entries a member's detail shows (as on the web page).
const ACCESS_SHOWN: u64 = 20;

fn page_number(lang: Lang, value: &str) -> ApiResult<u64> {
    value
        .parse::<u64>()
        .ok()
        .filter(|n| *n >= 1)
        .ok_or_else(|| ApiError::bad_page(lang))
}

fn page_size(lang: Lang, value: &str) -> ApiResult<u64> {
    value
        .parse::<u64>()
        .ok()
        .filter(|n| (1..=MAX_PER_PAGE).contains(n))
        .ok_or_else(|| {
            let text = tf(lang, "api.query.per_page", &[("max", &MAX_PER_PAGE)]);
            ApiError::query(lang, "per_page", "per_page", text)
        })
}

/// The list's query: `q`, `status`, `page`, `per_page`, `lang` and `bg.<variable>`.
/// Unknown parameters, variables and answers are refused, so a typo never shows
/// everyone. Returns the filter, the page (from 1) and the page size.
fn parse_query(
    lang: Lang,
    panel: &PanelDefinition,
    pairs: &[(String, String)],
) -> ApiResult<(MemberFilter, u64, u64)> {
    let mut filter = MemberFilter::default();
    let (mut page, mut per_page) = (1, PER_PAGE);
    for (name, value) in pairs.iter().filter(|(_, v)| !v.trim().is_empty()) {
        match name.as_str() {
            "q" => filter.query = Some(value.clone()),
            "status" => {
                filter.status = Some(MemberStatus::from_code(value).ok_or_else(|| {
                    let values = MemberStatus::ALL.map(MemberStatus::code).join(", ");
                    let text = tf(lang, "api.query.status", &[("values", &values)]);
                    ApiError::query(lang, name, "status", text)
                })?);
            }
            "page" => page = page_number(lang, value)?,
            "per_page" => per_page = page_size(lang, value)?,
            "lang" => {}
            _ => {
                let Some(var_id) = name.strip_prefix("bg.") else {
                    let text = tf(lang, "api.query.unknown", &[("name", name)]);
                    return Err(ApiError::query(lang, name, "unknown_parameter", text));
                };
                let Some(var) = panel.variable(var_id) else {
                    let text = tf(lang, "api.query.variable", &[("variable", &var_id)]);
                    return Err(ApiError::query(lang, name, "unknown_variable", text));
                };
                if !var.categories.iter().any(|c| c.value.as_str() == value) {
                    let text = tf(
                        lang,
                        "api.query.category",
                        &[("value", value), ("variable", &var_id)],
                    );
                    return Err(ApiError::query(lang, name, "unknown_category", text));
                }
                filter.background.insert(var_id.to_owned(), value.clone());
            }
        }
    }
    Ok((filter, page, per_page))
}

/// Search a panel's members.
///
/// Filters: `q` (part of a name, email address or phone number), `status`, and one
/// `bg.<variable>=<value>` per background variable, e.g. `bg.regio=west`.
#[utoipa::path(
    get,
    path = "/api/v1/panels/{id}/members",
    operation_id = "listMembers",
    tag = "members",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The panel's id"),
        ("q" = Option<String>, Query, description = "Part of a name, email address or phone number"),
        ("status" = Option<String>, Query, description = "`pending`, `active` or `withdrawn`"),
        ("page" = Option<u64>, Query, description = "Page number, from 1", minimum = 1),
        ("per_page" = Option<u64>, Query, description = "Members per page: 1 to 200, default 50", minimum = 1, maximum = 200),
        ("bg.{variable}" = Option<String>, Query, description = "Only members with this answer to a background variable: one parameter per variable, e.g. `bg.regio=west`"),
        ("lang" = Option<String>, Query, description = "Language of error messages: `nl` (default) or `en`"),
    ),
    responses(
        (status = 200, description = "One page of members, ordered by id", body = MemberPage),
        (status = 400, description = "A query parameter is not right", body = ErrorBody),
        (status = 401, description = "No valid API key", body = ErrorBody),
        (status = 404, description = "No such panel", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    auth: ManagerAuth,
    Path(panel_id): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> ApiResult<Json<MemberPage>> {
    let panel = panels::get(&state.db, &panel_id).await?;
    let (filter, page, per_page) = parse_query(lang, &panel, &pairs)?;
    let (rows, total) = members::list(&state.db, &panel_id, &filter, page - 1, per_page).await?;
    audit::record(
        &state.db,
        &auth.actor(),
        Action::ListMembers,
        None,
        Some(&panel_id),
        &format!("{} shown", rows.len()),
        state.now(),
    )
    .await?;
    Ok(Json(MemberPage {
        total,
        page,
        per_page,
        pages: total.div_ceil(per_page),
        members: rows.into_iter().map(Into::into).collect(),
    }))
}

async fn access(state: &AppState, id: i64) -> ApiResult<Vec<AuditEntry>> {
    let (rows, _) = audit::list(&state.db, Some(id), 0, ACCESS_SHOWN).await?;
    Ok(rows.into_iter().map(AuditEntry::from).collect())
}

/// View a member (written to the audit log).
#[utoipa::path(
    get,
    path = "/api/v1/members/{id}",
    operation_id = "getMember",
    tag = "members",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The member's id")),
    responses(
        (status = 200, description = "The member", body = MemberDetail),
        (status = 401, description = "No valid API key", body = ErrorBody),
        (status = 404, description = "No such member", body = ErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    auth: ManagerAuth,
    Path(id): Path<i64>,
) -> ApiResult<Json<MemberDetail>> {
    let m = members::get(&state.db, id).await?;
    let profile = members::profile(&state.db, &m).await?;
    audit::record(
        &state.db,
        &auth.actor(),
        Action::ViewMember,
        Some(id),
        Some(&m.panel_id),
        "profile",
        state.now(),
    )
    .await?;
    let access = access(&state, id).await?;
    Ok(Json(MemberDetail::new(&m, &profile, access, state.now())))
}

/// Correct a member's profile.
///
/// Send every profile field (a field left out becomes empty) and the `version` read.
/// The checks are those of the web form; the member's language stays theirs.
#[utoipa::path(
    put,
    path = "/api/v1/members/{id}",
    operation_id = "updateMember",
    tag = "members",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The member's id")),
    request_body(content = MemberUpdate, content_type = "application/json"),
    responses(
        (status = 200, description = "The changed member", body = MemberDetail),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "No valid API key", body = ErrorBody),
        (status = 404, description = "No such member", body = ErrorBody),
        (status = 409, description = "Someone changed the member since `version` (`conflict`), or the email address or phone number belongs to another member (`duplicate`, with `field`)", body = ErrorBody),
        (status = 415, description = "The body is not sent as JSON", body = ErrorBody),
        (status = 422, description = "Fields that are not right, each with its JSON path", body = ErrorBody),
    )
)]
pub async fn update(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    auth: ManagerAuth,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<MemberUpdate>,
) -> ApiResult<Json<MemberDetail>> {
    let m = members::get(&state.db, id).await?;
    let panel = panels::get(&state.db, &m.panel_id).await?;
    let before = members::profile(&state.db, &m).await?;
    let now = state.now();
    let mut profile = signup::validate_profile(&panel, &body.input(), before.language, now.year())
        .map_err(|errors| {
            ApiError::invalid(lang, "api.error.validation", field_problems(lang, &errors))
        })?;
    profile.language = before.language;
    let updated = members::update_profile(&state.db, id, body.version, &profile, now)
        .await
        .map_err(|e| ApiError::store(lang, e))?;
    audit::record(
        &state.db,
        &auth.actor(),
        Action::ChangeMember,
        Some(id),
        Some(&m.panel_id),
        &changed_fields(&before, &profile),
        now,
    )
    .await?;
    let access = access(&state, id).await?;
    Ok(Json(MemberDetail::new(&updated, &profile, access, now)))
}

/// Confirm a sign-up by hand (a member without email, confirmed by phone).
///
/// Only a pending member changes; the answer says the member's status either way.
#[utoipa::path(
    post,
    path = "/api/v1/members/{id}/confirm",
    operation_id = "confirmMember",
    tag = "members",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The member's id")),
    responses(
        (status = 200, description = "The member's status after confirming", body = Confirmed),
        (status = 401, description = "No valid API key", body = ErrorBody),
        (status = 404, description = "No such member", body = ErrorBody),
    )
)]
pub async fn confirm(
    State(state): State<AppState>,
    auth: ManagerAuth,
    Path(id): Path<i64>,
) -> ApiResult<Json<Confirmed>> {
    let m = members::get(&state.db, id).await?;
    members::confirm(&state.db, id, state.now()).await?;
    audit::record(
        &state.db,
        &auth.actor(),
        Action::ChangeMember,
        Some(id),
        Some(&m.panel_id),
        "confirmed sign-up",
        state.now(),
    )
    .await?;
    let m = members::get(&state.db, id).await?;
    Ok(Json(Confirmed {
        id,
        status: m.status.into(),
        confirmed_at: m.confirmed_at,
    }))
}
