//! The outbox worker: claims due messages with a lease, sends them, and marks each sent
//! or failed (with backoff), so a crash never loses a message and sends again at most
//! those that were on their way.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::Duration;
use sea_orm::DatabaseConnection;
use tokio::sync::{Notify, watch};
use tokio::task::JoinSet;

use super::{MailError, Transport, build_message};
use crate::clock::SharedClock;
use crate::store::{StoreError, outbox};

/// How long a claimed message is ours before another worker may take it.
pub const DEFAULT_LEASE: Duration = Duration::minutes(5);

/// Send every due message once; returns how many were sent.
pub async fn send_due(
    db: &DatabaseConnection,
    transport: &Transport,
    from: &str,
    clock: &SharedClock,
) -> Result<usize, crate::store::StoreError> {
    send_due_leased(db, transport, from, clock, DEFAULT_LEASE).await
}

/// Messages on their way at once. Each SMTP exchange mostly waits for the server's
/// replies (and lettre 0.11 leaves Nagle's algorithm on, so every message also waits
/// ~40 ms for a delayed ACK): one after the other, a worker sends about 20 a second.
/// Kept below Postfix's default limit of 50 connections from one client.
pub const PARALLEL_SENDS: usize = 48;

/// As [`send_due`], claiming messages for `lease`. Up to [`PARALLEL_SENDS`] go out at
/// once; more are claimed as they finish, and each is marked as soon as its server
/// answered (together with those that finished at the same time), so a crash leaves at
/// most those in flight to be sent again.
pub async fn send_due_leased(
    db: &DatabaseConnection,
    transport: &Transport,
    from: &str,
    clock: &SharedClock,
    lease: Duration,
) -> Result<usize, crate::store::StoreError> {
    let mut sent = 0;
    let mut in_flight = JoinSet::new();
    let mut drained = false;
    loop {
        if !drained && in_flight.len() <= PARALLEL_SENDS / 2 {
            let room = (PARALLEL_SENDS - in_flight.len()) as u64;
            let batch = outbox::claim_due(db, clock.now(), lease, room).await?;
            drained = batch.is_empty();
            for row in batch {
                let (transport, from) = (transport.clone(), from.to_owned());
                in_flight.spawn(async move {
                    let result = match build_message(&from, &row) {
                        Ok(message) => transport.send(message).await,
                        Err(e) => Err(e),
                    };
                    (row, result)
                });
            }
        }
        let Some(first) = in_flight.join_next().await else {
            return Ok(sent);
        };
        // Whatever else finished meanwhile is marked with it, in one statement.
        let mut finished = vec![first];
        while let Some(more) = in_flight.try_join_next() {
            finished.push(more);
        }
        let mut delivered = Vec::with_capacity(finished.len());
        for done in finished {
            let (row, result) = done.map_err(|e| StoreError::Corrupt(format!("mail task: {e}")))?;
            match result {
                Ok(()) => delivered.push(row.id),
                Err(e) => {
                    let permanent = matches!(e, MailError::Permanent(_) | MailError::Build(_));
                    // The error text may hold the address; keep it out of the log.
                    tracing::warn!(outbox_id = row.id, permanent, "mail not sent");
                    outbox::mark_attempt_failed(db, &row, &e.to_string(), permanent, clock.now())
                        .await?;
                }
            }
        }
        outbox::mark_sent_many(db, &delivered, clock.now()).await?;
        sent += delivered.len();
    }
}

/// Run until `stop` is notified: send what is due, then wait for a wake-up or a tick.
pub async fn run_worker(
    db: DatabaseConnection,
    transport: Transport,
    from: String,
    clock: SharedClock,
    waker: Arc<Notify>,
    lease: Duration,
    mut stop: watch::Receiver<bool>,
) {
    while !*stop.borrow() {
        if let Err(e) = send_due_leased(&db, &transport, &from, &clock, lease).await {
            tracing::error!(error = %e, "outbox worker");
        }
        tokio::select! {
            _ = waker.notified() => {}
            _ = tokio::time::sleep(StdDuration::from_secs(5)) => {}
            _ = stop.changed() => {}
        }
    }
}
