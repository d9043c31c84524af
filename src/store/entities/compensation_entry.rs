use sea_orm::entity::prelude::*;

use crate::domain::compensation::EntryKind;

/// One line of the compensation ledger: what a member got for a finished survey.
/// `member_id` is NULL once the member was erased (the payment record stays, unnamed).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "compensation_entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub panel_id: String,
    pub member_id: Option<i64>,
    pub survey_id: Option<i64>,
    pub response_id: Option<i64>,
    pub survey_title: String,
    pub kind: EntryKind,
    /// What the survey offered, in cents.
    pub offered_cents: i64,
    /// What the entry gives after the member's choice, in cents.
    pub amount_cents: i64,
    pub year: i32,
    pub month: i32,
    /// Crossed a limit or was paid in a year whose figures nobody confirmed.
    pub flagged: bool,
    pub unconfirmed: bool,
    pub month_over_cents: Option<i64>,
    pub year_over_cents: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
