use sea_orm::entity::prelude::*;

use crate::domain::response::SurveyStatus;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "surveys")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub panel_id: String,
    /// The published questionnaire version members answer.
    pub version_id: i64,
    pub title: String,
    pub status: SurveyStatus,
    pub opens_at: DateTimeUtc,
    /// After this moment links show a kind "closed" page.
    pub closes_at: DateTimeUtc,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
