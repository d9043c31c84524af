use sea_orm::entity::prelude::*;

use crate::store::jobs::{JobKind, JobStatus};

/// A durable job: claimed with a lease, so exactly one process runs it at a time.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "jobs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Unique: planning the same job twice plans it once (`wave:12`, `purge:2026-11-30`).
    pub key: String,
    pub kind: JobKind,
    pub survey_id: Option<i64>,
    pub run_at: DateTimeUtc,
    pub status: JobStatus,
    pub locked_until: Option<DateTimeUtc>,
    pub locked_by: Option<String>,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
    pub finished_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
