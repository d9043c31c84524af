//! Each member's contact history in one row (`contact_summary`), which the sampler reads
//! instead of millions of invitations. Written again from the member's invitations in
//! the same transaction as every change to an invitation that counts for the contact
//! policy. Whoever writes a member's summary holds their send lock first, so on
//! PostgreSQL it is computed after any other writer of that member has committed.

use chrono::{DateTime, Duration, Utc};
use migrations::contact_summary::{KEEP_DAYS, upsert};
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::Expr as SqExpr;
use sea_orm::{ConnectionTrait, DbBackend, ExprTrait, QuerySelect, Statement};

use super::StoreResult;
use super::entities::{contact_summary, member};

/// How far back a summary keeps invitations, from the moment it is written.
pub const KEEP: Duration = Duration::days(KEEP_DAYS);

/// Members per statement.
const CHUNK: usize = 500;

/// Write these members' summaries again. The caller holds their send locks
/// (`fieldwork::lock_member`, or [`lock`]).
pub async fn refresh(
    db: &impl ConnectionTrait,
    member_ids: &[i64],
    now: DateTime<Utc>,
) -> StoreResult<()> {
    for chunk in member_ids.chunks(CHUNK) {
        refresh_where(db, &format!("m.id IN ({})", list(chunk)), now).await?;
    }
    Ok(())
}

/// Write again the summary of the member each of these invitations belongs to. The
/// caller holds their send locks.
pub async fn refresh_for_invitations(
    db: &impl ConnectionTrait,
    invitation_ids: &[i64],
    now: DateTime<Utc>,
) -> StoreResult<()> {
    for chunk in invitation_ids.chunks(CHUNK) {
        let members = format!(
            "m.id IN (SELECT member_id FROM invitations WHERE id IN ({}))",
            list(chunk)
        );
        refresh_where(db, &members, now).await?;
    }
    Ok(())
}

/// Take these members' send locks (as `fieldwork::lock_member` does for one), in member
/// order, then write their summaries again.
pub async fn lock_and_refresh(
    db: &impl ConnectionTrait,
    member_ids: &[i64],
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let mut ids = member_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    lock(db, &ids).await?;
    refresh(db, &ids, now).await
}

/// Take these members' send locks for the rest of the transaction.
pub async fn lock(db: &impl ConnectionTrait, member_ids: &[i64]) -> StoreResult<()> {
    for chunk in member_ids.chunks(CHUNK) {
        member::Entity::update_many()
            .col_expr(
                member::Column::ContactSeq,
                SqExpr::col(member::Column::ContactSeq).add(1),
            )
            .filter(member::Column::Id.is_in(chunk.iter().copied()))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Write every member's summary again, from the invitations (after loading them in
/// bulk, outside the store).
pub async fn rebuild(db: &impl ConnectionTrait, now: DateTime<Utc>) -> StoreResult<()> {
    refresh_where(db, "true", now).await
}

/// The latest moment from which any summary holds the invitations: the summaries hold
/// every counting invitation at or after it. `None` when there are no summaries.
pub async fn kept_since_latest(db: &impl ConnectionTrait) -> StoreResult<Option<DateTime<Utc>>> {
    let latest: Option<Option<DateTime<Utc>>> = contact_summary::Entity::find()
        .select_only()
        .column_as(contact_summary::Column::KeptSince.max(), "latest")
        .into_tuple()
        .one(db)
        .await?;
    Ok(latest.flatten())
}

async fn refresh_where(
    db: &impl ConnectionTrait,
    members_where: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let backend = db.get_database_backend();
    let kept_since = match backend {
        DbBackend::Postgres => "$1",
        _ => "?1",
    };
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        upsert(backend, members_where, kept_since),
        [(now - KEEP).into()],
    ))
    .await?;
    Ok(())
}

fn list(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}
