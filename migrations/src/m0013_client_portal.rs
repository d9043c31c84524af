//! The clients' portal: a session may belong to an outside organisation, by the API key
//! it logged in with (so revoking the key ends the session at once).

use sea_orm_migration::{prelude::*, schema::*};

use crate::util::add_column;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_column(manager, "sessions", big_integer_null("client_token_id")).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("sessions")
                    .drop_column("client_token_id")
                    .to_owned(),
            )
            .await
    }
}
