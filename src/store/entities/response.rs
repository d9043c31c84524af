use sea_orm::entity::prelude::*;

use crate::domain::response::{Mode, Proxy, ResponseStatus};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "responses")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub survey_id: i64,
    /// The questionnaire version answered.
    pub version_id: i64,
    /// The member's pseudonym: answers are kept apart from contact data.
    pub respondent: String,
    pub mode: Mode,
    pub proxy: Option<Proxy>,
    pub status: ResponseStatus,
    /// The manager who typed in a paper questionnaire, or the interviewer.
    pub entered_by: Option<i64>,
    pub started_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub finished_at: Option<DateTimeUtc>,
    /// Bumped on every change, so two tabs cannot overwrite each other unnoticed.
    pub revision: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
