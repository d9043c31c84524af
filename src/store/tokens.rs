//! Single-use, expiring member tokens (confirm sign-up, log in). Only the SHA-256 of a
//! token is stored; the token itself travels in the member's email.

use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::StringLen;
use sea_orm::{ActiveValue::Set, ConnectionTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::entities::member_token;
use super::{StoreError, StoreResult};

#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum TokenPurpose {
    /// Confirms a sign-up (double opt-in).
    #[sea_orm(string_value = "confirm")]
    Confirm,
    /// Logs a member in.
    #[sea_orm(string_value = "login")]
    Login,
}

impl TokenPurpose {
    pub fn lifetime(self) -> Duration {
        match self {
            TokenPurpose::Confirm => Duration::days(7),
            TokenPurpose::Login => Duration::minutes(30),
        }
    }
}

/// 32 random bytes as 64 hex characters.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Why a token was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenRejection {
    Unknown,
    Used,
    Expired,
}

/// Create a token for a member; returns the token to put in the email.
pub async fn issue(
    db: &impl ConnectionTrait,
    member_id: i64,
    purpose: TokenPurpose,
    now: DateTime<Utc>,
) -> StoreResult<String> {
    let token = new_token();
    member_token::ActiveModel {
        member_id: Set(member_id),
        purpose: Set(purpose),
        token_hash: Set(hash_token(&token)),
        created_at: Set(now),
        expires_at: Set(now + purpose.lifetime()),
        used_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(StoreError::from_db)?;
    Ok(token)
}

/// Use a token once. The update only succeeds while the token is unused, so two
/// simultaneous clicks cannot both log in.
pub async fn redeem(
    db: &impl ConnectionTrait,
    token: &str,
    purpose: TokenPurpose,
    now: DateTime<Utc>,
) -> StoreResult<Result<i64, TokenRejection>> {
    let hash = hash_token(token);
    let Some(row) = member_token::Entity::find()
        .filter(member_token::Column::TokenHash.eq(&hash))
        .filter(member_token::Column::Purpose.eq(purpose))
        .one(db)
        .await?
    else {
        return Ok(Err(TokenRejection::Unknown));
    };
    if row.used_at.is_some() {
        return Ok(Err(TokenRejection::Used));
    }
    if row.expires_at <= now {
        return Ok(Err(TokenRejection::Expired));
    }
    let updated = member_token::Entity::update_many()
        .col_expr(member_token::Column::UsedAt, Expr::value(now))
        .filter(member_token::Column::Id.eq(row.id))
        .filter(member_token::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    if updated.rows_affected == 0 {
        return Ok(Err(TokenRejection::Used));
    }
    Ok(Ok(row.member_id))
}

/// Look a token up without using it (to show a confirmation button).
pub async fn peek(
    db: &impl ConnectionTrait,
    token: &str,
    purpose: TokenPurpose,
    now: DateTime<Utc>,
) -> StoreResult<Result<i64, TokenRejection>> {
    let row = member_token::Entity::find()
        .filter(member_token::Column::TokenHash.eq(hash_token(token)))
        .filter(member_token::Column::Purpose.eq(purpose))
        .one(db)
        .await?;
    Ok(match row {
        None => Err(TokenRejection::Unknown),
        Some(row) if row.used_at.is_some() => Err(TokenRejection::Used),
        Some(row) if row.expires_at <= now => Err(TokenRejection::Expired),
        Some(row) => Ok(row.member_id),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hashes_stable() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_eq!(hash_token(&a), hash_token(&a));
        assert_ne!(hash_token(&a), a);
    }
}
