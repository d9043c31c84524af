//! Configuration: built-in defaults, overridden by `KLANKBORD_*` / `DATABASE_URL`
//! environment variables and command-line flags. Secrets are wrapped so `Debug` never
//! prints them.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;

/// A value that must not appear in logs.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://klankbord.db?mode=rwc";
pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";

#[derive(Clone, Debug)]
pub struct Config {
    /// sqlite://… or postgres://…
    pub database_url: Secret,
    pub addr: SocketAddr,
    /// smtp://, smtps:// or smtp://…?tls=required; unset: write mail to `outbox_dir`.
    pub smtp_url: Option<Secret>,
    /// The address members reach the server at, used in links in emails.
    pub base_url: String,
    /// Folder for the file outbox.
    pub outbox_dir: PathBuf,
    /// Sender address of all email.
    pub mail_from: String,
    /// Run background workers (outbox). Off only in tests that drive them by hand.
    pub run_workers: bool,
    /// Seconds between runs of the job scheduler.
    pub job_tick_secs: u64,
    /// Seconds a claimed job or message stays with one process without news from it;
    /// after a crash another process takes over after this long.
    pub lease_secs: u64,
}

impl Config {
    /// Defaults for running on this machine without any setup.
    pub fn local_defaults() -> Self {
        let addr: SocketAddr = DEFAULT_ADDR.parse().expect("valid default address");
        Self {
            database_url: Secret::new(DEFAULT_DATABASE_URL),
            addr,
            smtp_url: None,
            base_url: format!("http://{addr}"),
            outbox_dir: PathBuf::from("outbox"),
            mail_from: "klankbord <noreply@klankbord.local>".to_owned(),
            run_workers: true,
            job_tick_secs: 5,
            lease_secs: 120,
        }
    }

    /// Cookies get the Secure flag when members reach us over https.
    pub fn secure_cookies(&self) -> bool {
        self.base_url.starts_with("https://")
    }

    pub fn is_sqlite(&self) -> bool {
        self.database_url.expose().starts_with("sqlite:")
    }
}
