use sea_orm::entity::prelude::*;

/// A member's contact history in one row, for the sampler (see `store::contact_summary`).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "contact_summary")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub member_id: i64,
    /// Invitations before this moment were left out when the row was written.
    pub kept_since: DateTimeUtc,
    /// The invitations that count for the contact policy, `survey@moment` or
    /// `survey@moment!` (a flash poll), joined by commas.
    pub history: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
