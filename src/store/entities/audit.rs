use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub at: DateTimeUtc,
    pub manager_id: Option<i64>,
    /// Who acted, as shown to admins (a manager's name, "lid", "systeem").
    pub actor: String,
    pub action: String,
    pub member_id: Option<i64>,
    pub panel_id: Option<String>,
    /// What was seen or changed: field names, never the values.
    pub detail: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
