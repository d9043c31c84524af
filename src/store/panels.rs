//! Panels and their definitions (the panel file, stored as JSON).

use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::Set, ConnectionTrait, QueryOrder};

use super::entities::panel;
use super::{StoreError, StoreResult};
use crate::domain::panel::PanelDefinition;

/// Store a panel definition, replacing an earlier one with the same id.
pub async fn upsert(
    db: &impl ConnectionTrait,
    definition: &PanelDefinition,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let json = serde_json::to_string(definition).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    match panel::Entity::find_by_id(definition.id.as_str())
        .one(db)
        .await?
    {
        Some(existing) => {
            let mut active: panel::ActiveModel = existing.into();
            active.name = Set(definition.name.clone());
            active.definition = Set(json);
            active.updated_at = Set(now);
            active.update(db).await?;
        }
        None => {
            panel::ActiveModel {
                id: Set(definition.id.to_string()),
                name: Set(definition.name.clone()),
                definition: Set(json),
                created_at: Set(now),
                updated_at: Set(now),
            }
            .insert(db)
            .await?;
        }
    }
    Ok(())
}

fn parse(row: &panel::Model) -> StoreResult<PanelDefinition> {
    serde_json::from_str(&row.definition)
        .map_err(|e| StoreError::Corrupt(format!("panel {}: {e}", row.id)))
}

pub async fn get(db: &impl ConnectionTrait, id: &str) -> StoreResult<PanelDefinition> {
    let row = panel::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    parse(&row)
}

pub async fn list(db: &impl ConnectionTrait) -> StoreResult<Vec<PanelDefinition>> {
    panel::Entity::find()
        .order_by_asc(panel::Column::Id)
        .all(db)
        .await?
        .iter()
        .map(parse)
        .collect()
}
