//! API tokens for outside organisations (*opdrachtgevers*): each belongs to one client,
//! carries the scopes it may use (space-separated, e.g. `requests:read reports:read`),
//! is stored only as a hash, and stops working the moment it is revoked.

use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{fk, ts, ts_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("client_tokens")
                    .col(big_pk_auto("id"))
                    .col(big_integer("client_id"))
                    .col(string("name"))
                    .col(string("token_hash"))
                    .col(string("scopes"))
                    .col(string("created_by"))
                    .col(ts("created_at"))
                    .col(ts_null("revoked_at"))
                    .col(ts_null("last_used_at"))
                    .foreign_key(&mut fk(
                        "client_tokens",
                        "client_id",
                        "clients",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_client_tokens_hash")
                    .table("client_tokens")
                    .col("token_hash")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_client_tokens_client")
                    .table("client_tokens")
                    .col("client_id")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("client_tokens").if_exists().to_owned())
            .await
    }
}
