//! Durable jobs: an invitation wave, a reminder round, a closing, the nightly purge.
//! A job is claimed with a lease by a conditional update, so exactly one process runs it;
//! a process that dies mid-job leaves the lease to run out and another one takes over.

use chrono::{DateTime, Duration, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{Expr as SqExpr, OnConflict, StringLen};
use sea_orm::{ActiveValue::Set, Condition, ConnectionTrait, ExprTrait, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};

use super::StoreResult;
use super::entities::job;

#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    /// Send a survey's planned invitations.
    #[sea_orm(string_value = "wave")]
    Wave,
    /// Remind those who did not finish.
    #[sea_orm(string_value = "reminder")]
    Reminder,
    /// Close a survey.
    #[sea_orm(string_value = "close")]
    Close,
    /// Remove data past the panels' retention.
    #[sea_orm(string_value = "purge")]
    Purge,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    #[sea_orm(string_value = "pending")]
    Pending,
    #[sea_orm(string_value = "done")]
    Done,
    /// Given up after too many errors; shown to the manager.
    #[sea_orm(string_value = "failed")]
    Failed,
    /// Not to run (the survey was paused or closed first).
    #[sea_orm(string_value = "cancelled")]
    Cancelled,
}

/// Most attempts before a job that keeps failing is marked failed.
pub const MAX_ATTEMPTS: i32 = 5;

/// Plan a job; a job with the same key is planned once (the first one stays).
pub async fn plan(
    db: &impl ConnectionTrait,
    key: &str,
    kind: JobKind,
    survey_id: Option<i64>,
    run_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    job::Entity::insert(job::ActiveModel {
        key: Set(key.to_owned()),
        kind: Set(kind),
        survey_id: Set(survey_id),
        run_at: Set(run_at),
        status: Set(JobStatus::Pending),
        locked_until: Set(None),
        locked_by: Set(None),
        attempts: Set(0),
        last_error: Set(None),
        created_at: Set(now),
        finished_at: Set(None),
        ..Default::default()
    })
    .on_conflict(OnConflict::column(job::Column::Key).do_nothing().to_owned())
    .exec_without_returning(db)
    .await?;
    Ok(())
}

fn free(now: DateTime<Utc>) -> Condition {
    Condition::any()
        .add(job::Column::LockedUntil.is_null())
        .add(job::Column::LockedUntil.lt(now))
}

/// Claim one due job for `worker` until `now + lease`: the job is ours only if our
/// conditional update changed its row.
pub async fn claim(
    db: &impl ConnectionTrait,
    worker: &str,
    now: DateTime<Utc>,
    lease: Duration,
) -> StoreResult<Option<job::Model>> {
    let candidates: Vec<i64> = job::Entity::find()
        .select_only()
        .column(job::Column::Id)
        .filter(job::Column::Status.eq(JobStatus::Pending))
        .filter(job::Column::RunAt.lte(now))
        .filter(free(now))
        .order_by_asc(job::Column::RunAt)
        .order_by_asc(job::Column::Id)
        .limit(10)
        .into_tuple()
        .all(db)
        .await?;
    for id in candidates {
        let result = job::Entity::update_many()
            .col_expr(job::Column::LockedUntil, SqExpr::value(now + lease))
            .col_expr(job::Column::LockedBy, SqExpr::value(worker))
            .col_expr(
                job::Column::Attempts,
                SqExpr::col(job::Column::Attempts).add(1),
            )
            .filter(job::Column::Id.eq(id))
            .filter(job::Column::Status.eq(JobStatus::Pending))
            .filter(free(now))
            .exec(db)
            .await?;
        if result.rows_affected == 1 {
            return Ok(job::Entity::find_by_id(id).one(db).await?);
        }
    }
    Ok(None)
}

/// Extend our lease; false when it is no longer ours (it ran out and another process
/// took the job): then stop working on it.
pub async fn extend(
    db: &impl ConnectionTrait,
    id: i64,
    worker: &str,
    until: DateTime<Utc>,
) -> StoreResult<bool> {
    let result = job::Entity::update_many()
        .col_expr(job::Column::LockedUntil, SqExpr::value(until))
        .filter(job::Column::Id.eq(id))
        .filter(job::Column::LockedBy.eq(worker))
        .filter(job::Column::Status.eq(JobStatus::Pending))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// How a run of a job ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Done,
    /// Run again at this moment (quiet hours, members not yet allowed).
    Later(DateTime<Utc>),
    Cancelled,
    /// Failed this time; retried with backoff until [`MAX_ATTEMPTS`].
    Error(String),
}

/// Record how our run ended and release the lease.
pub async fn finish(
    db: &impl ConnectionTrait,
    job: &job::Model,
    worker: &str,
    outcome: Outcome,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let mut update = job::Entity::update_many()
        .col_expr(
            job::Column::LockedUntil,
            SqExpr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(job::Column::LockedBy, SqExpr::value(Option::<String>::None));
    update = match outcome {
        Outcome::Done => update
            .col_expr(job::Column::Status, SqExpr::value(JobStatus::Done))
            .col_expr(job::Column::FinishedAt, SqExpr::value(now)),
        Outcome::Cancelled => update
            .col_expr(job::Column::Status, SqExpr::value(JobStatus::Cancelled))
            .col_expr(job::Column::FinishedAt, SqExpr::value(now)),
        Outcome::Later(at) => update
            .col_expr(job::Column::RunAt, SqExpr::value(at))
            .col_expr(job::Column::Attempts, SqExpr::value(0)),
        Outcome::Error(error) => {
            let give_up = job.attempts >= MAX_ATTEMPTS;
            let backoff = Duration::seconds(30 * 2i64.pow(job.attempts.clamp(0, 10) as u32));
            let update = update
                .col_expr(
                    job::Column::LastError,
                    SqExpr::value(error.chars().take(500).collect::<String>()),
                )
                .col_expr(job::Column::RunAt, SqExpr::value(now + backoff));
            if give_up {
                update
                    .col_expr(job::Column::Status, SqExpr::value(JobStatus::Failed))
                    .col_expr(job::Column::FinishedAt, SqExpr::value(now))
            } else {
                update
            }
        }
    };
    update
        .filter(job::Column::Id.eq(job.id))
        .filter(job::Column::LockedBy.eq(worker))
        .exec(db)
        .await?;
    Ok(())
}

/// Cancel a survey's pending jobs of `kind` (pausing cancels the wave and reminders).
pub async fn cancel_for_survey(
    db: &impl ConnectionTrait,
    survey_id: i64,
    kinds: &[JobKind],
    now: DateTime<Utc>,
) -> StoreResult<u64> {
    let result = job::Entity::update_many()
        .col_expr(job::Column::Status, SqExpr::value(JobStatus::Cancelled))
        .col_expr(job::Column::FinishedAt, SqExpr::value(now))
        .filter(job::Column::SurveyId.eq(survey_id))
        .filter(job::Column::Kind.is_in(kinds.iter().copied()))
        .filter(job::Column::Status.eq(JobStatus::Pending))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// Put a cancelled job of a survey back to run at `run_at` (resuming after a pause), or
/// plan it when it never existed.
pub async fn replan(
    db: &impl ConnectionTrait,
    key: &str,
    kind: JobKind,
    survey_id: i64,
    run_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    job::Entity::update_many()
        .col_expr(job::Column::Status, SqExpr::value(JobStatus::Pending))
        .col_expr(job::Column::RunAt, SqExpr::value(run_at))
        .col_expr(job::Column::Attempts, SqExpr::value(0))
        .col_expr(
            job::Column::FinishedAt,
            SqExpr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(job::Column::Key.eq(key))
        .filter(job::Column::Status.eq(JobStatus::Cancelled))
        .exec(db)
        .await?;
    plan(db, key, kind, Some(survey_id), run_at, now).await
}

/// A survey's jobs, for the dashboard.
pub async fn for_survey(db: &impl ConnectionTrait, survey_id: i64) -> StoreResult<Vec<job::Model>> {
    Ok(job::Entity::find()
        .filter(job::Column::SurveyId.eq(survey_id))
        .order_by_asc(job::Column::RunAt)
        .all(db)
        .await?)
}

/// Jobs that gave up, for the manager.
pub async fn failed(db: &impl ConnectionTrait) -> StoreResult<Vec<job::Model>> {
    Ok(job::Entity::find()
        .filter(job::Column::Status.eq(JobStatus::Failed))
        .order_by_desc(job::Column::Id)
        .limit(100)
        .all(db)
        .await?)
}
