//! Indexes that let the sampler read a panel of a million members quickly: each
//! member's background and contact history straight from an index in member order,
//! without visiting the table rows.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("ix_member_background_frame")
                    .table("member_background")
                    .col("member_id")
                    .col("variable")
                    .col("value")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_invitations_frame")
                    .table("invitations")
                    .col("member_id")
                    .col("status")
                    .col("sent_at")
                    .col("planned_at")
                    .col("flash_poll")
                    .col("survey_id")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table) in [
            ("ix_invitations_frame", "invitations"),
            ("ix_member_background_frame", "member_background"),
        ] {
            manager
                .drop_index(Index::drop().name(name).table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
