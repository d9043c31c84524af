//! The job runner. tokio-cron-scheduler ticks every few seconds; each tick claims due jobs
//! from the database with a lease and runs them: invitation waves, reminder rounds,
//! closings and the nightly purge. A job's lease is extended between batches; a process
//! that dies leaves the lease to run out, and any process continues the job from what the
//! database says is still to do.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use sea_orm::DatabaseConnection;
use tokio::sync::{Mutex, Notify};
use tokio_cron_scheduler::{Job, JobScheduler, JobSchedulerError};

use crate::clock::SharedClock;
use crate::domain::fieldwork::ZONE;
use crate::service::fieldwork::{self, Heartbeat, Next, Sender};
use crate::store::entities::job;
use crate::store::jobs::{self, JobKind, Outcome};
use crate::store::{StoreError, StoreResult};

/// Runs due jobs; one per process.
#[derive(Clone)]
pub struct Runner {
    sender: Sender,
    clock: SharedClock,
    worker: String,
    mail_waker: Arc<Notify>,
    /// How long a claimed job is ours without a heartbeat.
    lease: Duration,
    /// One tick at a time in this process.
    busy: Arc<Mutex<()>>,
}

struct Lease<'a> {
    runner: &'a Runner,
    job_id: i64,
}

impl Heartbeat for Lease<'_> {
    async fn beat(&self) -> StoreResult<bool> {
        // Wake the mail worker too: the batch just queued mail.
        self.runner.mail_waker.notify_one();
        let until = self.runner.clock.now() + self.runner.lease;
        jobs::extend(
            &self.runner.sender.db,
            self.job_id,
            &self.runner.worker,
            until,
        )
        .await
    }
}

impl Runner {
    pub fn new(
        db: DatabaseConnection,
        base_url: String,
        clock: SharedClock,
        mail_waker: Arc<Notify>,
        lease: Duration,
    ) -> Self {
        Runner {
            sender: Sender { db, base_url },
            clock,
            worker: format!("{}-{}", std::process::id(), uuid::Uuid::new_v4()),
            mail_waker,
            lease,
            busy: Arc::new(Mutex::new(())),
        }
    }

    /// Run every job that is due now, one after the other; returns how many ran.
    pub async fn run_due(&self) -> StoreResult<usize> {
        let Ok(_guard) = self.busy.try_lock() else {
            return Ok(0);
        };
        let mut ran = 0;
        while let Some(job) =
            jobs::claim(&self.sender.db, &self.worker, self.clock.now(), self.lease).await?
        {
            let outcome = match self.run(&job).await {
                Ok(Next::Done) => Outcome::Done,
                Ok(Next::Cancelled) => Outcome::Cancelled,
                Ok(Next::Later(at)) => Outcome::Later(at),
                Err(e) => {
                    tracing::error!(job = job.id, kind = ?job.kind, error = %e, "job failed");
                    Outcome::Error(e.to_string())
                }
            };
            jobs::finish(
                &self.sender.db,
                &job,
                &self.worker,
                outcome,
                self.clock.now(),
            )
            .await?;
            self.mail_waker.notify_one();
            ran += 1;
        }
        Ok(ran)
    }

    async fn run(&self, job: &job::Model) -> StoreResult<Next> {
        let clock = &*self.clock;
        let lease = Lease {
            runner: self,
            job_id: job.id,
        };
        let survey = || {
            job.survey_id
                .ok_or_else(|| StoreError::Corrupt(format!("job {} has no survey", job.id)))
        };
        tracing::info!(job = job.id, kind = ?job.kind, "running job");
        match job.kind {
            JobKind::Wave => fieldwork::run_wave(&self.sender, survey()?, clock, &lease).await,
            JobKind::Reminder => {
                fieldwork::run_reminders(&self.sender, survey()?, clock, &lease).await
            }
            JobKind::Close => fieldwork::run_close(&self.sender, survey()?, clock.now()).await,
            JobKind::Purge => {
                let report = crate::store::purge::purge(&self.sender.db, clock.now()).await?;
                tracing::info!(?report, "nightly purge");
                plan_purge(&self.sender.db, clock.now()).await?;
                Ok(Next::Done)
            }
        }
    }
}

/// The next night's purge at 03:00 on Dutch clocks; planned once per night.
pub async fn plan_purge(db: &DatabaseConnection, now: DateTime<Utc>) -> StoreResult<()> {
    let today = now.with_timezone(&ZONE).date_naive();
    let three = NaiveTime::from_hms_opt(3, 0, 0).expect("03:00 exists");
    let at = [today, today + Duration::days(1)]
        .into_iter()
        .filter_map(|day| ZONE.from_local_datetime(&day.and_time(three)).earliest())
        .map(|t| t.with_timezone(&Utc))
        .find(|t| *t > now)
        .unwrap_or(now + Duration::days(1));
    let key = format!("purge:{}", at.with_timezone(&ZONE).date_naive());
    jobs::plan(db, &key, JobKind::Purge, None, at, now).await
}

/// Start the scheduler: a tick every `every` runs what is due.
pub async fn start(runner: Runner, every: StdDuration) -> Result<JobScheduler, JobSchedulerError> {
    if let Err(e) = plan_purge(&runner.sender.db, runner.clock.now()).await {
        tracing::error!(error = %e, "cannot plan the nightly purge");
    }
    let scheduler = JobScheduler::new().await?;
    scheduler
        .add(Job::new_repeated_async(every, move |_id, _scheduler| {
            let runner = runner.clone();
            Box::pin(async move {
                if let Err(e) = runner.run_due().await {
                    tracing::error!(error = %e, "job runner");
                }
            })
        })?)
        .await?;
    scheduler.start().await?;
    Ok(scheduler)
}
