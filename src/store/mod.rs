//! Persistence: sea-orm entities and named queries over `&impl ConnectionTrait`.
//! SQLite file by default, PostgreSQL through `DATABASE_URL`.

use std::time::Duration;

use migrations::MigratorTrait;
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    DbErr, SqlErr, SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use tokio::sync::{Mutex, MutexGuard};

pub mod api_tokens;
pub mod audit;
pub mod client_requests;
pub mod client_tokens;
pub mod compensation;
pub mod contact_summary;
pub mod entities;
pub mod fieldwork;
pub mod frame;
pub mod jobs;
pub mod managers;
pub mod members;
pub mod outbox;
pub mod panel_health;
pub mod panels;
pub mod phone;
pub mod purge;
pub mod quality;
pub mod questionnaires;
pub mod rate_limit;
pub mod responses;
pub mod results;
pub mod sessions;
pub mod settings;
pub mod themes;
pub mod tokens;

/// The store layer's error.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// Someone else changed the row since it was read.
    #[error("changed by someone else")]
    Conflict,
    /// A unique value (email, phone, …) is already taken; names the field.
    #[error("duplicate {0}")]
    Duplicate(&'static str),
    #[error("stored data is not valid: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Db(#[from] DbErr),
}

impl StoreError {
    /// Map a unique-constraint violation to the field it concerns; the one place that
    /// knows how constraint names relate to fields.
    pub fn from_db(err: DbErr) -> StoreError {
        if let Some(SqlErr::UniqueConstraintViolation(message)) = err.sql_err() {
            for field in ["email", "phone", "token", "idempotency_key", "name"] {
                if message.contains(field) {
                    return StoreError::Duplicate(match field {
                        "email" => "email",
                        "phone" => "phone",
                        "token" => "token",
                        "idempotency_key" => "idempotency_key",
                        _ => "name",
                    });
                }
            }
            return StoreError::Duplicate("unknown");
        }
        StoreError::Db(err)
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Open the database: on SQLite with WAL, foreign keys and secure delete (erased data is
/// overwritten in the file, not left in free pages).
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .sqlx_logging(false)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(30));
    if url.starts_with("sqlite:") {
        options
            .max_connections(8)
            .min_connections(1)
            .map_sqlx_sqlite_opts(|opts| {
                opts.create_if_missing(true)
                    .journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                    .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(10))
                    .pragma("secure_delete", "ON")
                    // Pages read through a mapping and a larger cache, not one read()
                    // call per page: the sampler reads whole indexes of a big panel.
                    .pragma("mmap_size", "268435456")
                    .pragma("cache_size", "-32768")
            });
    } else {
        options.max_connections(20).min_connections(1);
    }
    Database::connect(options).await
}

/// SQLite lets one connection write at a time. A second writer waits in SQLite's busy
/// handler, which sleeps 1, 2, 5, 10… ms while keeping its pooled connection, so under
/// load writers pile up asleep and readers run out of connections. The busy writes of
/// this process (answering) queue here instead, first come first served.
static SQLITE_WRITER: Mutex<()> = Mutex::const_new(());

/// This process's turn to write to a SQLite database, held until dropped; `None` on
/// PostgreSQL, whose row locks need no queue. Take it before using the pool and never
/// while holding a connection (a transaction) or the turn itself, or two tasks can wait
/// for each other.
pub async fn write_turn(db: &DatabaseConnection) -> Option<MutexGuard<'static, ()>> {
    match db.get_database_backend() {
        DbBackend::Sqlite => Some(SQLITE_WRITER.lock().await),
        _ => None,
    }
}

/// Begin a transaction that will write. On SQLite it takes the write lock at once
/// (`BEGIN IMMEDIATE`): a transaction that reads first and writes later could otherwise
/// fail when another connection wrote in between.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

/// Bring the schema up to date.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    migrations::Migrator::up(db, None).await
}

/// After erasing personal data on SQLite, move the write-ahead log into the main file and
/// truncate it, so no copy of the erased pages stays behind in `-wal`.
pub async fn flush_erasure(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    if db.get_database_backend() == DbBackend::Sqlite {
        db.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
            .await?;
    }
    Ok(())
}
