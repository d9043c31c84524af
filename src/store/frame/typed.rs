//! The frame read as typed rows, for PostgreSQL (and any database without a faster way).

use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{Expr as SqExpr, Query, SelectStatement, SimpleExpr};
use sea_orm::{ConnectionTrait, DbErr, ExprTrait, QueryOrder, QuerySelect, Select};

use super::{FrameRow, Window};
use crate::domain::fieldwork::PastInvitation;
use crate::domain::member::MemberStatus;
use crate::domain::response::InvitationStatus;
use crate::store::StoreResult;
use crate::store::entities::{contact_summary, invitation, member};

/// The panel's members with their summaries' histories, by id.
pub(super) async fn rows(
    db: &impl ConnectionTrait,
    panel_id: &str,
    window: &Window,
) -> StoreResult<Vec<FrameRow>> {
    let summaries = contact_summary::Entity::find()
        .select_only()
        .column(contact_summary::Column::MemberId)
        .column(contact_summary::Column::History)
        .filter(contact_summary::Column::History.ne(""))
        .filter(contact_summary::Column::MemberId.in_subquery(panel_members(panel_id)))
        .order_by_asc(contact_summary::Column::MemberId)
        .into_tuple::<(i64, String)>()
        .all(db);
    let (mut rows, summaries) = tokio::try_join!(members(db, panel_id), summaries)?;
    for (member_id, history) in summaries {
        if let Ok(at) = rows.binary_search_by_key(&member_id, |r| r.id) {
            rows[at].history = window.history(member_id, &history)?;
        }
    }
    Ok(rows)
}

/// The panel's members, by id, and the invitations of the panel's members that count in
/// `window`, read from the invitations themselves.
pub(super) async fn rows_and_invitations(
    db: &impl ConnectionTrait,
    panel_id: &str,
    window: &Window,
) -> StoreResult<(Vec<FrameRow>, Vec<(i64, PastInvitation)>)> {
    let invitations = history_query(panel_id, window)
        .select_only()
        .column(invitation::Column::MemberId)
        .column_as(moment(), "moment")
        .column(invitation::Column::FlashPoll)
        .into_tuple::<(i64, Option<DateTime<Utc>>, bool)>()
        .all(db);
    let (rows, invitations) = tokio::try_join!(members(db, panel_id), invitations)?;
    let invitations = invitations
        .into_iter()
        .filter_map(|(member_id, moment, flash_poll)| {
            Some((
                member_id,
                PastInvitation {
                    sent_at: moment?,
                    flash_poll,
                },
            ))
        })
        .collect();
    Ok((rows, invitations))
}

/// The panel's members who may be invited, by id, without history.
async fn members(db: &impl ConnectionTrait, panel_id: &str) -> Result<Vec<FrameRow>, DbErr> {
    let background = SqExpr::cust(
        "(SELECT string_agg(b.variable || '=' || b.value, ';') FROM member_background b \
         WHERE b.member_id = members.id)",
    );
    let members = member::Entity::find()
        .select_only()
        .column(member::Column::Id)
        .column(member::Column::ContactWishes)
        .column_as(background, "background")
        .filter(member::Column::PanelId.eq(panel_id))
        .filter(member::Column::Status.eq(MemberStatus::Active))
        .filter(member::Column::WithdrawnAt.is_null())
        .order_by_asc(member::Column::Id)
        .into_tuple::<(i64, Option<String>, Option<String>)>()
        .all(db)
        .await?;
    Ok(members
        .into_iter()
        .map(|(id, wishes, background)| FrameRow {
            id,
            wishes: wishes.as_deref().and_then(|w| serde_json::from_str(w).ok()),
            background: background.unwrap_or_default(),
            history: Vec::new(),
        })
        .collect())
}

/// The ids of the panel's members, as a subquery.
fn panel_members(panel_id: &str) -> SelectStatement {
    Query::select()
        .column(member::Column::Id)
        .from(member::Entity)
        .and_where(member::Column::PanelId.eq(panel_id))
        .to_owned()
}

/// When an invitation counts: when it was sent, or is planned to be.
fn moment() -> SimpleExpr {
    SqExpr::col(invitation::Column::SentAt).if_null(SqExpr::col(invitation::Column::PlannedAt))
}

/// The invitations of the panel's members that count in `window`.
fn history_query(panel_id: &str, window: &Window) -> Select<invitation::Entity> {
    let mut query = invitation::Entity::find()
        .filter(
            invitation::Column::Status.is_in([InvitationStatus::Planned, InvitationStatus::Sent]),
        )
        .filter(invitation::Column::MemberId.in_subquery(panel_members(panel_id)))
        .filter(moment().gte(window.from))
        .filter(moment().lte(window.to));
    if let Some(survey_id) = window.except_survey {
        query = query.filter(invitation::Column::SurveyId.ne(survey_id));
    }
    query
}
