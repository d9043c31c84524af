use sea_orm::entity::prelude::*;

use crate::domain::client_request::RequestState;

/// A client's request to run a survey, with the manager's decision.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "client_requests")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub client_id: i64,
    pub contact_id: i64,
    pub topic: String,
    pub purpose: String,
    pub use_of_results: String,
    /// The target group as JSON (`{"rol": ["ervaring"]}`).
    pub eligibility: String,
    pub completes: i32,
    pub start_on: Date,
    pub end_on: Date,
    pub budget_cents: i64,
    pub state: RequestState,
    pub fits_mission: bool,
    pub no_harm: bool,
    pub results_shared: bool,
    pub quote_cents: Option<i64>,
    pub decline_reason: Option<String>,
    pub survey_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
