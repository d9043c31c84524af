//! Building and running the server: connect and migrate the database, bind the
//! listener, start the outbox worker, serve until the shutdown future completes.

use std::future::Future;
use std::sync::Arc;

use sea_orm::DatabaseConnection;
use tokio::net::TcpListener;
use tokio::sync::Notify;

use crate::clock::SharedClock;
use crate::config::Config;
use crate::mail::{self, Transport};
use crate::store;
use crate::web::{self, AppState};

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot open the database: {0}")]
    Database(#[from] sea_orm::DbErr),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: String,
        source: std::io::Error,
    },
    #[error("mail: {0}")]
    Mail(#[from] mail::MailError),
}

pub struct App {
    listener: TcpListener,
    state: AppState,
    transport: Transport,
}

impl App {
    /// Connect, migrate and bind. Port 0 in `config.addr` picks a free port.
    pub async fn build(config: Config, clock: SharedClock) -> Result<App, StartError> {
        let db = store::connect(config.database_url.expose()).await?;
        store::migrate(&db).await?;
        Self::with_db(config, clock, db).await
    }

    pub async fn with_db(
        mut config: Config,
        clock: SharedClock,
        db: DatabaseConnection,
    ) -> Result<App, StartError> {
        let listener = TcpListener::bind(config.addr)
            .await
            .map_err(|source| StartError::Bind {
                addr: config.addr.to_string(),
                source,
            })?;
        // A base URL on port 0 means "wherever we ended up listening".
        if let Some(prefix) = config.base_url.strip_suffix(":0")
            && let Ok(addr) = listener.local_addr()
        {
            config.base_url = format!("{prefix}:{}", addr.port());
        }
        let transport = Transport::from_config(&config)?;
        let state = AppState {
            db,
            config: Arc::new(config),
            clock,
            mail_waker: Arc::new(Notify::new()),
            published: Default::default(),
        };
        Ok(App {
            listener,
            state,
            transport,
        })
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// A job runner on this app's database and clock (tests drive it by hand).
    pub fn job_runner(&self) -> crate::jobs::Runner {
        crate::jobs::Runner::new(
            self.state.db.clone(),
            self.state.config.base_url.clone(),
            self.state.clock.clone(),
            self.state.mail_waker.clone(),
            chrono::Duration::seconds(self.state.config.lease_secs as i64),
        )
    }

    /// Serve until `shutdown` completes; in-flight requests finish first.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let (stop_workers, stopped) = tokio::sync::watch::channel(false);
        let worker = self.state.config.run_workers.then(|| {
            tokio::spawn(mail::run_worker(
                self.state.db.clone(),
                self.transport.clone(),
                self.state.config.mail_from.clone(),
                self.state.clock.clone(),
                self.state.mail_waker.clone(),
                chrono::Duration::seconds(self.state.config.lease_secs as i64),
                stopped,
            ))
        });
        let scheduler = if self.state.config.run_workers {
            match crate::jobs::start(
                self.job_runner(),
                std::time::Duration::from_secs(self.state.config.job_tick_secs),
            )
            .await
            {
                Ok(scheduler) => Some(scheduler),
                Err(e) => {
                    tracing::error!(error = %e, "cannot start the job scheduler");
                    None
                }
            }
        } else {
            None
        };
        let router = web::router(self.state.clone());
        let result = axum::serve(self.listener, router)
            .with_graceful_shutdown(shutdown)
            .await;
        if let Some(mut scheduler) = scheduler {
            let _ = scheduler.shutdown().await;
        }
        let _ = stop_workers.send(true);
        if let Some(worker) = worker {
            let _ = worker.await;
        }
        result
    }
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut sig) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            sig.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}
