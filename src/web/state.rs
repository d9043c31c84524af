//! What every handler can reach: the database, configuration, clock and mail wake-up.

use std::sync::Arc;

use sea_orm::DatabaseConnection;
use tokio::sync::Notify;

use crate::clock::SharedClock;
use crate::config::Config;
use crate::store::questionnaires::PublishedCache;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub config: Arc<Config>,
    pub clock: SharedClock,
    /// Wakes the outbox worker when a message was queued.
    pub mail_waker: Arc<Notify>,
    /// Published questionnaire versions, parsed once.
    pub published: Arc<PublishedCache>,
}

impl AppState {
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }
}
