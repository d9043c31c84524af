use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "pilot_sessions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub version_id: i64,
    /// The pilot link used, or none for a manager's own preview.
    pub link_id: Option<i64>,
    pub manager_id: Option<i64>,
    /// SHA-256 of the browser's pilot cookie.
    pub token_hash: String,
    /// The pilot answers as JSON; never counted in results.
    pub answers: String,
    pub started_at: DateTimeUtc,
    pub finished_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
