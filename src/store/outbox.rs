//! The mail outbox: a message row is written in the same transaction as the business
//! change that causes it; a worker claims due rows with a lease, sends and marks them.

use chrono::{DateTime, Duration, Utc};
use sea_orm::ExprTrait;
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::StringLen;
use sea_orm::sea_query::{Expr as SqExpr, OnConflict};
use sea_orm::{ActiveValue::Set, Condition, ConnectionTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};

use super::StoreResult;
use super::entities::outbox;

#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum OutboxStatus {
    #[sea_orm(string_value = "pending")]
    Pending,
    #[sea_orm(string_value = "sent")]
    Sent,
    /// Given up: shown to the manager.
    #[sea_orm(string_value = "failed")]
    Failed,
}

/// A message ready to queue.
#[derive(Clone, Debug, PartialEq)]
pub struct NewMail {
    /// Unique per message, e.g. `confirm:42:…`; queuing the same key twice sends once.
    pub idempotency_key: String,
    pub member_id: Option<i64>,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub headers: Vec<(String, String)>,
}

/// Queue a message; a second message with the same idempotency key is ignored.
pub async fn enqueue(
    db: &impl ConnectionTrait,
    mail: NewMail,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let headers = (!mail.headers.is_empty())
        .then(|| serde_json::to_string(&mail.headers).expect("headers serialise"));
    outbox::Entity::insert(outbox::ActiveModel {
        idempotency_key: Set(mail.idempotency_key),
        member_id: Set(mail.member_id),
        recipient: Set(mail.recipient),
        subject: Set(mail.subject),
        body_text: Set(mail.body_text),
        body_html: Set(mail.body_html),
        headers: Set(headers),
        status: Set(OutboxStatus::Pending),
        attempts: Set(0),
        next_attempt_at: Set(now),
        locked_until: Set(None),
        last_error: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::column(outbox::Column::IdempotencyKey)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Claim up to `limit` due messages for `lease`, in one statement. A row is ours only
/// if our conditional update changed it (a second worker's update finds it locked and
/// leaves it), so two workers never send the same message.
pub async fn claim_due(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    lease: Duration,
    limit: u64,
) -> StoreResult<Vec<outbox::Model>> {
    let free = Condition::any()
        .add(outbox::Column::LockedUntil.is_null())
        .add(outbox::Column::LockedUntil.lt(now));
    let candidates = sea_orm::sea_query::Query::select()
        .column(outbox::Column::Id)
        .from(outbox::Entity)
        .and_where(outbox::Column::Status.eq(OutboxStatus::Pending))
        .and_where(outbox::Column::NextAttemptAt.lte(now))
        .cond_where(free.clone())
        .order_by(outbox::Column::Id, sea_orm::Order::Asc)
        .limit(limit)
        .to_owned();
    let mut claimed = outbox::Entity::update_many()
        .col_expr(outbox::Column::LockedUntil, SqExpr::value(now + lease))
        .filter(outbox::Column::Id.in_subquery(candidates))
        .filter(outbox::Column::Status.eq(OutboxStatus::Pending))
        .filter(free)
        .exec_with_returning(db)
        .await?;
    claimed.sort_by_key(|row| row.id);
    Ok(claimed)
}

pub async fn mark_sent(db: &impl ConnectionTrait, id: i64, now: DateTime<Utc>) -> StoreResult<()> {
    mark_sent_many(db, &[id], now).await
}

/// Mark these messages sent, in one statement.
pub async fn mark_sent_many(
    db: &impl ConnectionTrait,
    ids: &[i64],
    now: DateTime<Utc>,
) -> StoreResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, SqExpr::value(OutboxStatus::Sent))
        .col_expr(outbox::Column::SentAt, SqExpr::value(now))
        .col_expr(
            outbox::Column::LockedUntil,
            SqExpr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(
            outbox::Column::Attempts,
            SqExpr::col(outbox::Column::Attempts).add(1),
        )
        .filter(outbox::Column::Id.is_in(ids.iter().copied()))
        .exec(db)
        .await?;
    Ok(())
}

/// Most attempts before a message is marked failed.
pub const MAX_ATTEMPTS: i32 = 8;

/// Record a failed attempt: retry later with exponential backoff, or give up when the
/// error is permanent or the attempts are used up.
pub async fn mark_attempt_failed(
    db: &impl ConnectionTrait,
    row: &outbox::Model,
    error: &str,
    permanent: bool,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let attempts = row.attempts + 1;
    let give_up = permanent || attempts >= MAX_ATTEMPTS;
    let backoff = Duration::seconds(30 * 2i64.pow(attempts.clamp(0, 12) as u32));
    outbox::Entity::update_many()
        .col_expr(
            outbox::Column::Status,
            SqExpr::value(if give_up {
                OutboxStatus::Failed
            } else {
                OutboxStatus::Pending
            }),
        )
        .col_expr(outbox::Column::Attempts, SqExpr::value(attempts))
        .col_expr(outbox::Column::NextAttemptAt, SqExpr::value(now + backoff))
        .col_expr(
            outbox::Column::LockedUntil,
            SqExpr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(
            outbox::Column::LastError,
            SqExpr::value(error.chars().take(500).collect::<String>()),
        )
        .filter(outbox::Column::Id.eq(row.id))
        .exec(db)
        .await?;
    Ok(())
}

/// Messages that could not be delivered, for the manager.
pub async fn failed(db: &impl ConnectionTrait) -> StoreResult<Vec<outbox::Model>> {
    Ok(outbox::Entity::find()
        .filter(outbox::Column::Status.eq(OutboxStatus::Failed))
        .order_by_desc(outbox::Column::Id)
        .limit(200)
        .all(db)
        .await?)
}

/// Failed and still pending messages whose key starts with `prefix` (a survey's).
pub async fn counts_with_prefix(
    db: &impl ConnectionTrait,
    prefix: &str,
) -> StoreResult<(u64, u64)> {
    let rows: Vec<(OutboxStatus, i64)> = outbox::Entity::find()
        .select_only()
        .column(outbox::Column::Status)
        .column_as(outbox::Column::Id.count(), "n")
        .filter(outbox::Column::IdempotencyKey.starts_with(prefix))
        .group_by(outbox::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    let count = |status| {
        rows.iter()
            .filter(|(s, _)| *s == status)
            .map(|(_, n)| u64::try_from(*n).unwrap_or(0))
            .sum()
    };
    Ok((count(OutboxStatus::Failed), count(OutboxStatus::Pending)))
}

/// Failed messages whose key starts with `prefix`, newest first.
pub async fn failed_with_prefix(
    db: &impl ConnectionTrait,
    prefix: &str,
) -> StoreResult<Vec<outbox::Model>> {
    Ok(outbox::Entity::find()
        .filter(outbox::Column::Status.eq(OutboxStatus::Failed))
        .filter(outbox::Column::IdempotencyKey.starts_with(prefix))
        .order_by_desc(outbox::Column::Id)
        .limit(100)
        .all(db)
        .await?)
}
