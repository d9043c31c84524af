//! A summary of each member's contact history, one row per member, so the sampler reads
//! a million members without walking millions of invitations: the invitations that count
//! for the contact policy, kept up to date in every transaction that plans, sends or
//! skips one (the sending itself still checks the invitations). Filled here from the
//! invitations already there.

use sea_orm_migration::sea_orm::DbBackend;
use sea_orm_migration::{prelude::*, schema::*};

use crate::contact_summary::{KEEP_DAYS, upsert};
use crate::util::{fk, ts};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("contact_summary")
                    // On SQLite the member's id is the row id: read in member order
                    // without an index.
                    .col(big_integer("member_id").primary_key())
                    // Invitations before this moment were left out when it was written.
                    .col(ts("kept_since"))
                    .col(text("history"))
                    .foreign_key(&mut fk(
                        "contact_summary",
                        "member_id",
                        "members",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_contact_summary_kept_since")
                    .table("contact_summary")
                    .col("kept_since")
                    .to_owned(),
            )
            .await?;
        let backend = manager.get_database_backend();
        let kept_since = match backend {
            DbBackend::Postgres => format!("(now() - interval '{KEEP_DAYS} days')"),
            // As sqlx writes a moment, so it compares as text with the stored ones.
            _ => format!("strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now', '-{KEEP_DAYS} days')"),
        };
        manager
            .get_connection()
            .execute_unprepared(&upsert(backend, "true", &kept_since))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table("contact_summary")
                    .if_exists()
                    .to_owned(),
            )
            .await
    }
}
