//! The outbox worker: claims due messages with a lease, sends them, and marks each sent
//! or failed (with backoff), so a crash never loses or doubles a message.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::Duration;
use sea_orm::DatabaseConnection;
use tokio::sync::{Notify, watch};

use super::{MailError, Transport, build_message};
use crate::clock::SharedClock;
use crate::store::outbox;

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

/// As [`send_due`], claiming messages for `lease`. One message at a time, each marked
/// sent as soon as the server took it: a crash in between is the only way a message
/// goes twice, so that moment is kept as short as it can be.
pub async fn send_due_leased(
    db: &DatabaseConnection,
    transport: &Transport,
    from: &str,
    clock: &SharedClock,
    lease: Duration,
) -> Result<usize, crate::store::StoreError> {
    let mut sent = 0;
    loop {
        let batch = outbox::claim_due(db, clock.now(), lease, 50).await?;
        if batch.is_empty() {
            return Ok(sent);
        }
        for row in batch {
            let result = match build_message(from, &row) {
                Ok(message) => transport.send(message).await,
                Err(e) => Err(e),
            };
            match result {
                Ok(()) => {
                    outbox::mark_sent(db, row.id, clock.now()).await?;
                    sent += 1;
                }
                Err(e) => {
                    let permanent = matches!(e, MailError::Permanent(_) | MailError::Build(_));
                    // The error text may hold the address; keep it out of the log.
                    tracing::warn!(outbox_id = row.id, permanent, "mail not sent");
                    outbox::mark_attempt_failed(db, &row, &e.to_string(), permanent, clock.now())
                        .await?;
                }
            }
        }
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
