use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "sessions")]
pub struct Model {
    /// SHA-256 of the cookie value.
    #[sea_orm(primary_key, auto_increment = false)]
    pub token_hash: String,
    pub manager_id: Option<i64>,
    pub member_id: Option<i64>,
    /// The API key an outside organisation logged in to its portal with.
    pub client_token_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
