//! What the benchmarks share: a fresh SQLite database in a temporary folder, a loopback
//! SMTP sink, synthetic responses, and figures (rates, percentiles) printed the same way.
// Each benchmark uses only part of this module.
#![allow(dead_code)]

pub mod data;
pub mod headline;
pub mod responses;
pub mod smtp_sink;
pub mod timing;

use std::path::Path;
use std::time::Duration;

use sea_orm::DatabaseConnection;

/// A new SQLite database in `dir`, opened as the server opens it and migrated.
pub async fn database(dir: &Path) -> (String, DatabaseConnection) {
    let url = format!("sqlite://{}?mode=rwc", dir.join("klankbord.db").display());
    let db = klankbord::store::connect(&url)
        .await
        .expect("open the database");
    klankbord::store::migrate(&db).await.expect("migrate");
    (url, db)
}

/// Durations, to read percentiles from.
#[derive(Default)]
pub struct Samples(Vec<Duration>);

impl Samples {
    pub fn push(&mut self, d: Duration) {
        self.0.push(d);
    }

    pub fn extend(&mut self, other: Samples) {
        self.0.extend(other.0);
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The `p`th percentile (0–100), nearest rank.
    pub fn percentile(&mut self, p: f64) -> Duration {
        if self.0.is_empty() {
            return Duration::ZERO;
        }
        self.0.sort_unstable();
        let rank = ((p / 100.0) * self.0.len() as f64).ceil() as usize;
        self.0[rank.clamp(1, self.0.len()) - 1]
    }

    /// "p50 0.81 ms · p90 … · p99 … · max …"
    pub fn summary(&mut self) -> String {
        format!(
            "p50 {} · p90 {} · p99 {} · max {}",
            ms(self.percentile(50.0)),
            ms(self.percentile(90.0)),
            ms(self.percentile(99.0)),
            ms(self.percentile(100.0)),
        )
    }
}

pub fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// One result line: what, the figure, the target and whether it was met.
pub fn figure(what: &str, value: String, target: &str, met: bool) {
    let verdict = if met { "met" } else { "MISSED" };
    println!("  {what:<44} {value:>14}   target {target:<10} {verdict}");
}
