use sea_orm::entity::prelude::*;

/// What the manager tells the respondents about a survey's results.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "survey_feedback")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub survey_id: i64,
    /// "Wat doen we ermee?"
    pub what_we_do: String,
    /// "Wat is er veranderd, en wat niet?"
    pub what_changed: String,
    /// Since when respondents can see the results; `None`: not (or no longer) published.
    pub published_at: Option<DateTimeUtc>,
    pub updated_by: Option<i64>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
