use sea_orm::entity::prelude::*;

/// The volunteer-allowance limits of a calendar year as a manager confirmed them.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "allowance_limits")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub year: i32,
    pub per_hour_21_plus_cents: i64,
    pub per_hour_under_21_cents: i64,
    pub per_month_cents: i64,
    pub per_year_cents: i64,
    pub source: String,
    pub confirmed_by: Option<i64>,
    pub confirmed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
