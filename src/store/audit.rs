//! The audit log: every view or change of a member's personal data by a manager.

use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::{
    ActiveValue::Set, ConnectionTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::StoreResult;
use super::entities::audit;

/// Who did something.
#[derive(Clone, Debug)]
pub struct Actor {
    pub manager_id: Option<i64>,
    pub label: String,
}

impl Actor {
    pub fn manager(id: i64, name: &str) -> Self {
        Self {
            manager_id: Some(id),
            label: name.to_owned(),
        }
    }
    pub fn member() -> Self {
        Self {
            manager_id: None,
            label: "lid".to_owned(),
        }
    }
    pub fn system() -> Self {
        Self {
            manager_id: None,
            label: "systeem".to_owned(),
        }
    }
}

/// What happened to personal data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    ViewMember,
    ChangeMember,
    ListMembers,
    ExportMember,
    ImportMembers,
    WithdrawConsent,
    EraseMember,
    /// A manager typed in a member's returned paper questionnaire.
    EnterPaperResponse,
    /// A manager downloaded a survey's call list (names and phone numbers).
    ExportCallList,
    /// A manager downloaded a survey's print run (names and addresses).
    ExportPrintRun,
    /// Someone opened a member they may not see (an interviewer outside their list).
    RefusedAccess,
    /// A manager downloaded a survey's call log.
    ExportCallLog,
    /// A manager downloaded a survey's responses for research (CSV, XLSX, SPSS, codebook).
    ExportResponses,
    /// A manager downloaded a panel's compensation payout file (names and amounts).
    ExportPayout,
    /// A manager gave an outside organisation an API token.
    CreateClientToken,
    /// A manager revoked an outside organisation's API token.
    RevokeClientToken,
}

impl Action {
    pub fn code(self) -> &'static str {
        match self {
            Action::ViewMember => "view_member",
            Action::ChangeMember => "change_member",
            Action::ListMembers => "list_members",
            Action::ExportMember => "export_member",
            Action::ImportMembers => "import_members",
            Action::WithdrawConsent => "withdraw_consent",
            Action::EraseMember => "erase_member",
            Action::EnterPaperResponse => "enter_paper_response",
            Action::ExportCallList => "export_call_list",
            Action::ExportPrintRun => "export_print_run",
            Action::RefusedAccess => "refused_access",
            Action::ExportCallLog => "export_call_log",
            Action::ExportResponses => "export_responses",
            Action::ExportPayout => "export_payout",
            Action::CreateClientToken => "create_client_token",
            Action::RevokeClientToken => "revoke_client_token",
        }
    }
}

/// Record an entry. `detail` names fields or counts, never personal values.
pub async fn record(
    db: &impl ConnectionTrait,
    actor: &Actor,
    action: Action,
    member_id: Option<i64>,
    panel_id: Option<&str>,
    detail: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    audit::ActiveModel {
        at: Set(now),
        manager_id: Set(actor.manager_id),
        actor: Set(actor.label.clone()),
        action: Set(action.code().to_owned()),
        member_id: Set(member_id),
        panel_id: Set(panel_id.map(str::to_owned)),
        detail: Set(detail.to_owned()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Newest first, optionally for one member.
pub async fn list(
    db: &impl ConnectionTrait,
    member_id: Option<i64>,
    page: u64,
    per_page: u64,
) -> StoreResult<(Vec<audit::Model>, u64)> {
    let mut query = audit::Entity::find().order_by_desc(audit::Column::Id);
    if let Some(id) = member_id {
        query = query.filter(audit::Column::MemberId.eq(id));
    }
    let total = query.clone().count(db).await?;
    let rows = query
        .offset(Ord::min(page.saturating_mul(per_page), i64::MAX as u64))
        .limit(per_page)
        .all(db)
        .await?;
    Ok((rows, total))
}
