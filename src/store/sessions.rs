//! Login sessions for managers, members and outside organisations (by the API key they
//! logged in with), as rows keyed by the hash of the cookie.

use chrono::{DateTime, Duration, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::Set, ConnectionTrait, QueryFilter};

use super::StoreResult;
use super::entities::session;
use super::tokens::{hash_token, new_token};

pub const MANAGER_SESSION: Duration = Duration::hours(8);
pub const MEMBER_SESSION: Duration = Duration::hours(12);
pub const CLIENT_SESSION: Duration = Duration::hours(8);

/// Who a session belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Owner {
    Manager(i64),
    Member(i64),
    /// An outside organisation, by the id of the API key it logged in with: revoking
    /// the key ends the session.
    Client(i64),
}

/// Start a session; returns the cookie value.
pub async fn create(
    db: &impl ConnectionTrait,
    owner: Owner,
    now: DateTime<Utc>,
) -> StoreResult<String> {
    let token = new_token();
    let (manager_id, member_id, client_token_id, ttl) = match owner {
        Owner::Manager(id) => (Some(id), None, None, MANAGER_SESSION),
        Owner::Member(id) => (None, Some(id), None, MEMBER_SESSION),
        Owner::Client(id) => (None, None, Some(id), CLIENT_SESSION),
    };
    session::ActiveModel {
        token_hash: Set(hash_token(&token)),
        manager_id: Set(manager_id),
        member_id: Set(member_id),
        client_token_id: Set(client_token_id),
        created_at: Set(now),
        expires_at: Set(now + ttl),
    }
    .insert(db)
    .await?;
    Ok(token)
}

pub async fn find(
    db: &impl ConnectionTrait,
    token: &str,
    now: DateTime<Utc>,
) -> StoreResult<Option<Owner>> {
    let row = session::Entity::find_by_id(hash_token(token))
        .filter(session::Column::ExpiresAt.gt(now))
        .one(db)
        .await?;
    Ok(
        row.and_then(|s| match (s.manager_id, s.member_id, s.client_token_id) {
            (Some(id), _, _) => Some(Owner::Manager(id)),
            (None, Some(id), _) => Some(Owner::Member(id)),
            (None, None, Some(id)) => Some(Owner::Client(id)),
            (None, None, None) => None,
        }),
    )
}

pub async fn delete(db: &impl ConnectionTrait, token: &str) -> StoreResult<()> {
    session::Entity::delete_by_id(hash_token(token))
        .exec(db)
        .await?;
    Ok(())
}
