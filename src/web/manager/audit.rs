//! The audit log, for panel admins: who viewed or changed whose personal data, when.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use serde::Deserialize;

use crate::store::audit;
use crate::store::entities::audit as audit_entity;
use crate::web::auth::ManagerAuth;
use crate::web::ctx::PageCtx;
use crate::web::error::WebResult;
use crate::web::state::AppState;
use crate::web::view::datetime;

pub const PER_PAGE: u64 = 100;

#[derive(Template, WebTemplate)]
#[template(path = "manager/audit.html", config = "src/web/askama.toml")]
pub struct AuditPage {
    pub ctx: PageCtx,
    pub rows: Vec<audit_entity::Model>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    pub member: Option<i64>,
}

impl AuditPage {
    fn when(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        datetime(at)
    }
    fn member_query(&self) -> String {
        self.member.map(|m| format!("lid={m}&")).unwrap_or_default()
    }
}

#[derive(Deserialize)]
pub struct AuditQuery {
    lid: Option<i64>,
    page: Option<u64>,
}

pub async fn page(
    State(state): State<AppState>,
    ctx: PageCtx,
    auth: ManagerAuth,
    Query(q): Query<AuditQuery>,
) -> WebResult<AuditPage> {
    auth.require_admin()?;
    let page = q.page.unwrap_or(0);
    let (rows, total) = audit::list(&state.db, q.lid, page, PER_PAGE).await?;
    Ok(AuditPage {
        ctx,
        rows,
        total,
        page,
        pages: total.div_ceil(PER_PAGE),
        member: q.lid,
    })
}
