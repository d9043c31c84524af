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
    /// JSON: background variable → allowed categories; `{}` lets every member in.
    pub eligibility: String,
    /// `None`: every eligible member (within the quotas' maximums).
    pub sample_size: Option<i32>,
    /// JSON array of quotas.
    pub quotas: String,
    /// Seed of the sample draw, so the same plan draws the same sample.
    pub seed: i64,
    pub reminder_after_days: Option<i32>,
    pub flash_poll: bool,
    /// When the manager scheduled it (the sample was drawn then).
    pub scheduled_at: Option<DateTimeUtc>,
    pub closed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
