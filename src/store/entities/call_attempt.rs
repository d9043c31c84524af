use sea_orm::entity::prelude::*;

use crate::domain::phone::Disposition;

/// One call to a member about a survey, with how it ended.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "call_attempts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub invitation_id: i64,
    pub survey_id: i64,
    /// `None` once the interviewer's account is gone.
    pub interviewer_id: Option<i64>,
    pub at: DateTimeUtc,
    pub disposition: Disposition,
    /// The interviewer's note; no health data ("bel na vieren").
    pub note: Option<String>,
    /// For an appointment: when to call back.
    pub appointment_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
