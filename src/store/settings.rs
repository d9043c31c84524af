//! Small key-value settings kept in the database (shared by all processes).

use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::Set, ConnectionTrait};

use super::StoreResult;
use super::entities::setting;

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
