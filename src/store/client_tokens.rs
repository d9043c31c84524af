//! API tokens of outside organisations; only their hash is stored, and a revoked token
//! opens nothing from that moment on (every call looks the token up).

use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::Expr as SqExpr;
use sea_orm::{ActiveValue::Set, ConnectionTrait, QueryFilter, QueryOrder};

use super::entities::{client, client_token};
use super::tokens::{hash_token, new_token};
use super::{StoreError, StoreResult};
use crate::domain::client_access::Scopes;

/// Prefix that makes client tokens recognisable (and different from managers' `kb_`).
pub const PREFIX: &str = "kbc_";

/// Create a token for the client; the returned secret is shown once and never stored.
pub async fn create(
    db: &impl ConnectionTrait,
    client_id: i64,
    name: &str,
    scopes: &Scopes,
    actor: &str,
    now: DateTime<Utc>,
) -> StoreResult<(client_token::Model, String)> {
    let secret = format!("{PREFIX}{}", new_token());
    let model = client_token::ActiveModel {
        client_id: Set(client_id),
        name: Set(name.to_owned()),
        token_hash: Set(hash_token(&secret)),
        scopes: Set(scopes.stored()),
        created_by: Set(actor.to_owned()),
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

/// A live (not revoked) token's id, client and scopes.
async fn with_client(
    db: &impl ConnectionTrait,
    row: Option<client_token::Model>,
) -> StoreResult<Option<(i64, client::Model, Scopes)>> {
    let Some(row) = row.filter(|r| r.revoked_at.is_none()) else {
        return Ok(None);
    };
    let c = client::Entity::find_by_id(row.client_id).one(db).await?;
    Ok(c.map(|c| (row.id, c, Scopes::from_stored(&row.scopes))))
}

/// The client and scopes of a live token, by its id.
pub async fn live(
    db: &impl ConnectionTrait,
    token_id: i64,
) -> StoreResult<Option<(client::Model, Scopes)>> {
    let row = client_token::Entity::find_by_id(token_id).one(db).await?;
    Ok(with_client(db, row).await?.map(|(_, c, s)| (c, s)))
}

/// The id, client and scopes of a live token, by its secret, without noting its use.
pub async fn find(
    db: &impl ConnectionTrait,
    secret: &str,
) -> StoreResult<Option<(i64, client::Model, Scopes)>> {
    if !secret.starts_with(PREFIX) {
        return Ok(None);
    }
    let row = client_token::Entity::find()
        .filter(client_token::Column::TokenHash.eq(hash_token(secret)))
        .one(db)
        .await?;
    with_client(db, row).await
}

/// The client and scopes of a live token, noting its use.
pub async fn authenticate(
    db: &impl ConnectionTrait,
    secret: &str,
    now: DateTime<Utc>,
) -> StoreResult<Option<(client::Model, Scopes)>> {
    let Some((id, c, scopes)) = find(db, secret).await? else {
        return Ok(None);
    };
    client_token::Entity::update_many()
        .col_expr(client_token::Column::LastUsedAt, SqExpr::value(now))
        .filter(client_token::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(Some((c, scopes)))
}

/// The client's tokens, newest first, revoked ones too.
pub async fn list(
    db: &impl ConnectionTrait,
    client_id: i64,
) -> StoreResult<Vec<client_token::Model>> {
    Ok(client_token::Entity::find()
        .filter(client_token::Column::ClientId.eq(client_id))
        .order_by_desc(client_token::Column::CreatedAt)
        .order_by_desc(client_token::Column::Id)
        .all(db)
        .await?)
}

/// Revoke one of the client's tokens; `NotFound` when it is not theirs or already revoked.
pub async fn revoke(
    db: &impl ConnectionTrait,
    client_id: i64,
    id: i64,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let result = client_token::Entity::update_many()
        .col_expr(client_token::Column::RevokedAt, SqExpr::value(now))
        .filter(client_token::Column::Id.eq(id))
        .filter(client_token::Column::ClientId.eq(client_id))
        .filter(client_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    if result.rows_affected == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}
