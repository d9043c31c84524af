//! Panel manager accounts with argon2id password hashes.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash};
use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::StringLen;
use sea_orm::{ActiveValue::Set, ConnectionTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};

use super::entities::manager;
use super::{StoreError, StoreResult};

#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum ManagerRole {
    /// May also read the audit log and manage accounts.
    #[sea_orm(string_value = "admin")]
    Admin,
    #[sea_orm(string_value = "manager")]
    Manager,
    /// Phones members on the call lists assigned to them; sees nothing else.
    #[sea_orm(string_value = "interviewer")]
    Interviewer,
}

/// Hash a password with argon2id (CPU heavy: call from a blocking task).
pub fn hash_password(password: &str) -> String {
    Argon2::default()
        .hash_password(password.as_bytes())
        .expect("argon2 with default parameters cannot fail")
        .to_string()
}

/// Check a password against a stored hash (CPU heavy: call from a blocking task).
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

pub async fn create(
    db: &impl ConnectionTrait,
    email: &str,
    name: &str,
    password: &str,
    role: ManagerRole,
    now: DateTime<Utc>,
) -> StoreResult<manager::Model> {
    let password = password.to_owned();
    let hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    manager::ActiveModel {
        email: Set(email.trim().to_lowercase()),
        name: Set(name.to_owned()),
        password_hash: Set(hash),
        role: Set(role),
        created_at: Set(now),
        disabled_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(StoreError::from_db)
}

/// The manager with this email and password, if any. Takes as long for an unknown
/// email as for a wrong password.
pub async fn authenticate(
    db: &impl ConnectionTrait,
    email: &str,
    password: &str,
) -> StoreResult<Option<manager::Model>> {
    let found = manager::Entity::find()
        .filter(manager::Column::Email.eq(email.trim().to_lowercase()))
        .filter(manager::Column::DisabledAt.is_null())
        .one(db)
        .await?;
    static DUMMY: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| hash_password("not a real password"));
    let hash = found
        .as_ref()
        .map(|m| m.password_hash.clone())
        .unwrap_or_else(|| DUMMY.clone());
    let password = password.to_owned();
    let ok = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    Ok(found.filter(|_| ok))
}

pub async fn get(db: &impl ConnectionTrait, id: i64) -> StoreResult<manager::Model> {
    manager::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)
}

pub async fn list(db: &impl ConnectionTrait) -> StoreResult<Vec<manager::Model>> {
    Ok(manager::Entity::find()
        .order_by_asc(manager::Column::Email)
        .all(db)
        .await?)
}

pub async fn count(db: &impl ConnectionTrait) -> StoreResult<u64> {
    Ok(manager::Entity::find().count(db).await?)
}
