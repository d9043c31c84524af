//! API bearer tokens per manager account; only their hash is stored.

use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::Expr as SqExpr;
use sea_orm::{ActiveValue::Set, ConnectionTrait, QueryFilter, QueryOrder};

use super::entities::api_token;
use super::tokens::{hash_token, new_token};
use super::{StoreError, StoreResult};

/// Prefix that makes klankbord tokens recognisable in secret scanners.
pub const PREFIX: &str = "kb_";

/// Create a token; the returned secret is shown once and never stored.
pub async fn create(
    db: &impl ConnectionTrait,
    manager_id: i64,
    name: &str,
    now: DateTime<Utc>,
) -> StoreResult<(api_token::Model, String)> {
    let secret = format!("{PREFIX}{}", new_token());
    let model = api_token::ActiveModel {
        manager_id: Set(manager_id),
        name: Set(name.to_owned()),
        token_hash: Set(hash_token(&secret)),
        created_at: Set(now),
        revoked_at: Set(None),
        last_used_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(StoreError::from_db)?;
    Ok((model, secret))
}

/// The manager a live token belongs to.
pub async fn authenticate(
    db: &impl ConnectionTrait,
    secret: &str,
    now: DateTime<Utc>,
) -> StoreResult<Option<i64>> {
    let Some(row) = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(hash_token(secret)))
        .filter(api_token::Column::RevokedAt.is_null())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    api_token::Entity::update_many()
        .col_expr(api_token::Column::LastUsedAt, SqExpr::value(now))
        .filter(api_token::Column::Id.eq(row.id))
        .exec(db)
        .await?;
    Ok(Some(row.manager_id))
}

pub async fn list(
    db: &impl ConnectionTrait,
    manager_id: i64,
) -> StoreResult<Vec<api_token::Model>> {
    Ok(api_token::Entity::find()
        .filter(api_token::Column::ManagerId.eq(manager_id))
        .order_by_desc(api_token::Column::CreatedAt)
        .all(db)
        .await?)
}

pub async fn revoke(
    db: &impl ConnectionTrait,
    manager_id: i64,
    id: i64,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let result = api_token::Entity::update_many()
        .col_expr(api_token::Column::RevokedAt, SqExpr::value(now))
        .filter(api_token::Column::Id.eq(id))
        .filter(api_token::Column::ManagerId.eq(manager_id))
        .filter(api_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    if result.rows_affected == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}
