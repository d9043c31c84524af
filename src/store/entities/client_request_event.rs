use sea_orm::entity::prelude::*;

use crate::domain::client_request::RequestState;

/// One change of a request's state: from, to, who and why.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "client_request_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub request_id: i64,
    /// `None` for the request coming in.
    pub from_state: Option<RequestState>,
    pub to_state: RequestState,
    /// "manager:3", "client:7".
    pub actor: String,
    pub note: String,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
