//! Small key-value settings kept in the database (shared by all processes).

use sea_orm::entity::prelude::*;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ConnectionTrait};

use super::entities::setting;
use super::{StoreError, StoreResult};

pub async fn get(db: &impl ConnectionTrait, key: &str) -> StoreResult<Option<String>> {
    Ok(setting::Entity::find_by_id(key)
        .one(db)
        .await?
        .map(|s| s.value))
}

pub async fn set(db: &impl ConnectionTrait, key: &str, value: &str) -> StoreResult<()> {
    match setting::Entity::find_by_id(key).one(db).await? {
        Some(existing) => {
            let mut active: setting::ActiveModel = existing.into();
            active.value = Set(value.to_owned());
            active.update(db).await?;
        }
        None => {
            setting::ActiveModel {
                key: Set(key.to_owned()),
                value: Set(value.to_owned()),
            }
            .insert(db)
            .await?;
        }
    }
    Ok(())
}

/// The value of `key`, stored as `make()` gives it the first time. When two processes
/// create it at once, both get the one that was stored first.
pub async fn get_or_insert(
    db: &impl ConnectionTrait,
    key: &str,
    make: impl FnOnce() -> String,
) -> StoreResult<String> {
    if let Some(value) = get(db, key).await? {
        return Ok(value);
    }
    setting::Entity::insert(setting::ActiveModel {
        key: Set(key.to_owned()),
        value: Set(make()),
    })
    .on_conflict(
        OnConflict::column(setting::Column::Key)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    get(db, key).await?.ok_or(StoreError::NotFound)
}
