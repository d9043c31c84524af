//! Fixed-window rate limits kept in the database, so every process sees the same count.

use chrono::{DateTime, Duration, Utc};
use sea_orm::ExprTrait;
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{Expr as SqExpr, OnConflict};
use sea_orm::{ActiveValue::Set, ConnectionTrait, QueryFilter};

use super::StoreResult;
use super::entities::rate_limit;
use super::tokens::hash_token;

/// Count one attempt for `key` and say whether it is still within `max` per `window`.
/// The key is hashed, so no email address ends up in this table.
pub async fn hit(
    db: &impl ConnectionTrait,
    key: &str,
    max: i32,
    window: Duration,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let key = hash_token(key);
    // Start a new window when the old one is over.
    rate_limit::Entity::delete_many()
        .filter(rate_limit::Column::Key.eq(&key))
        .filter(rate_limit::Column::WindowStart.lte(now - window))
        .exec(db)
        .await?;
    rate_limit::Entity::insert(rate_limit::ActiveModel {
        key: Set(key.clone()),
        window_start: Set(now),
        count: Set(1),
    })
    .on_conflict(
        OnConflict::column(rate_limit::Column::Key)
            .value(
                rate_limit::Column::Count,
                SqExpr::col((rate_limit::Entity, rate_limit::Column::Count)).add(1),
            )
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    let row = rate_limit::Entity::find_by_id(key).one(db).await?;
    Ok(row.is_some_and(|r| r.count <= max))
}

/// Forget the attempts for `key` (after a successful login).
pub async fn reset(db: &impl ConnectionTrait, key: &str) -> StoreResult<()> {
    rate_limit::Entity::delete_by_id(hash_token(key))
        .exec(db)
        .await?;
    Ok(())
}
