//! Retention: remove what is older than the panel's retention periods allow.

use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::{Condition, QueryFilter, QuerySelect};
use serde::Serialize;

use super::entities::{audit, member, member_token, outbox, session};
use super::{StoreResult, members, panels};
use crate::domain::member::MemberStatus;
use crate::domain::retention::{self, cutoffs};

/// What a purge removed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PurgeReport {
    pub inactive_members: u64,
    pub unconfirmed_signups: u64,
    pub responses: u64,
    pub sent_mail: u64,
    pub expired_tokens: u64,
    pub expired_sessions: u64,
    pub audit_entries: u64,
}

pub async fn purge(
    db: &sea_orm::DatabaseConnection,
    now: DateTime<Utc>,
) -> StoreResult<PurgeReport> {
    let mut report = PurgeReport::default();
    for panel in panels::list(db).await? {
        let cut = cutoffs(&panel.retention, now);
        // Inactive: no participation and no profile update since the cut-off.
        let inactive: Vec<i64> = member::Entity::find()
            .select_only()
            .column(member::Column::Id)
            .filter(member::Column::PanelId.eq(panel.id.as_str()))
            .filter(member::Column::ProfileUpdatedAt.lt(cut.inactive_before))
            .filter(
                Condition::any()
                    .add(member::Column::LastParticipatedAt.is_null())
                    .add(member::Column::LastParticipatedAt.lt(cut.inactive_before)),
            )
            .into_tuple()
            .all(db)
            .await?;
        for id in inactive {
            members::erase(db, id).await?;
            // Kept so the panel's health still counts them as leaving.
            super::audit::record(
                db,
                &super::audit::Actor::system(),
                super::audit::Action::EraseMember,
                Some(id),
                Some(panel.id.as_str()),
                super::panel_health::INACTIVE_DETAIL,
                now,
            )
            .await?;
            report.inactive_members += 1;
        }
        let pending: Vec<i64> = member::Entity::find()
            .select_only()
            .column(member::Column::Id)
            .filter(member::Column::PanelId.eq(panel.id.as_str()))
            .filter(member::Column::Status.eq(MemberStatus::Pending))
            .filter(member::Column::CreatedAt.lt(cut.pending_before))
            .into_tuple()
            .all(db)
            .await?;
        for id in pending {
            members::erase(db, id).await?;
            report.unconfirmed_signups += 1;
        }
        report.responses +=
            super::responses::purge_before(db, panel.id.as_str(), cut.responses_before).await?;
    }
    report.audit_entries = audit::Entity::delete_many()
        .filter(audit::Column::At.lt(retention::audit_before(now)))
        .exec(db)
        .await?
        .rows_affected;
    report.sent_mail = outbox::Entity::delete_many()
        .filter(outbox::Column::SentAt.lt(retention::sent_mail_before(now)))
        .exec(db)
        .await?
        .rows_affected;
    report.expired_tokens = member_token::Entity::delete_many()
        .filter(
            Condition::any()
                .add(member_token::Column::ExpiresAt.lt(now))
                .add(member_token::Column::UsedAt.is_not_null()),
        )
        .exec(db)
        .await?
        .rows_affected;
    report.expired_sessions = session::Entity::delete_many()
        .filter(session::Column::ExpiresAt.lt(now))
        .exec(db)
        .await?
        .rows_affected;
    super::flush_erasure(db).await?;
    Ok(report)
}
