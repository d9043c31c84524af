//! `/api/v1/audit`: the audit log for admins — who viewed or changed whose personal
//! data, when. Newest first, as on the web page.

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::error::{ApiError, ApiResult, ErrorBody};
use super::extract::{ApiLang, ApiQuery};
use crate::store::audit;
use crate::store::entities::audit as audit_entity;
use crate::web::auth::ManagerAuth;
use crate::web::state::AppState;

/// Entries per page (as on the web page).
pub const PER_PAGE: u64 = 100;

/// One entry of the audit log.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    /// The manager who acted, if a manager did.
    pub manager_id: Option<i64>,
    /// Who acted, as shown to admins: a manager's name, `lid` or `systeem`.
    pub actor: String,
    /// `view_member`, `change_member`, `list_members`, `export_member`,
    /// `import_members`, `withdraw_consent` or `erase_member`.
    pub action: String,
    pub member_id: Option<i64>,
    pub panel_id: Option<String>,
    /// Which data: field names or counts, never values.
    pub detail: String,
}

impl From<audit_entity::Model> for AuditEntry {
    fn from(m: audit_entity::Model) -> Self {
        Self {
            id: m.id,
            at: m.at,
            manager_id: m.manager_id,
            actor: m.actor,
            action: m.action,
            member_id: m.member_id,
            panel_id: m.panel_id,
            detail: m.detail,
        }
    }
}

/// One page of the audit log.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPage {
    pub total: u64,
    /// This page, from 1.
    pub page: u64,
    pub per_page: u64,
    pub pages: u64,
    pub entries: Vec<AuditEntry>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only the entries about this member.
    member_id: Option<i64>,
    /// Page number, from 1 (100 entries a page).
    #[param(minimum = 1)]
    page: Option<u64>,
    /// Language of error messages: `nl` (default) or `en`.
    #[allow(dead_code)] // read by `ctx::prepare`
    lang: Option<String>,
}

/// Read the audit log (admins only).
#[utoipa::path(
    get,
    path = "/api/v1/audit",
    operation_id = "listAudit",
    tag = "audit",
    security(("bearer" = [])),
    params(AuditQuery),
    responses(
        (status = 200, description = "One page of the audit log, newest first", body = AuditPage),
        (status = 400, description = "A query parameter is not right", body = ErrorBody),
        (status = 401, description = "No valid API key", body = ErrorBody),
        (status = 403, description = "Only admins may read the audit log", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    auth: ManagerAuth,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> ApiResult<Json<AuditPage>> {
    auth.require_admin()?;
    let page = q.page.unwrap_or(1);
    if page == 0 {
        return Err(ApiError::bad_page(lang));
    }
    let (rows, total) = audit::list(&state.db, q.member_id, page - 1, PER_PAGE).await?;
    Ok(Json(AuditPage {
        total,
        page,
        per_page: PER_PAGE,
        pages: total.div_ceil(PER_PAGE),
        entries: rows.into_iter().map(AuditEntry::from).collect(),
    }))
}
