use sea_orm::entity::prelude::*;

/// A theme the manager codes a survey's open answers with.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "survey_themes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub survey_id: i64,
    pub name: String,
    /// Lower-case keywords separated by ", ".
    pub keywords: String,
    /// The underlying problem.
    pub problem: String,
    /// The core insight.
    pub insight: String,
    /// What should change.
    pub change: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
