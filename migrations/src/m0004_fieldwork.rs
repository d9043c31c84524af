//! Fieldwork: a survey's plan (eligibility, size, quotas, seed, reminders), the state of
//! each invitation (planned, sent, skipped) with its reminders and extra links, each
//! member's own contact wishes and the row lock that serialises sending to one member,
//! and durable jobs claimed with a lease.

use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{add_column as add, fk, ts, ts_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add(
            manager,
            "surveys",
            text("eligibility").default("{}").to_owned(),
        )
        .await?;
        add(manager, "surveys", integer_null("sample_size")).await?;
        add(manager, "surveys", text("quotas").default("[]").to_owned()).await?;
        add(
            manager,
            "surveys",
            big_integer("seed").default(0).to_owned(),
        )
        .await?;
        add(manager, "surveys", integer_null("reminder_after_days")).await?;
        add(
            manager,
            "surveys",
            boolean("flash_poll").default(false).to_owned(),
        )
        .await?;
        add(manager, "surveys", ts_null("scheduled_at")).await?;
        add(manager, "surveys", ts_null("closed_at")).await?;

        add(
            manager,
            "invitations",
            string("status").default("sent").to_owned(),
        )
        .await?;
        add(manager, "invitations", ts_null("planned_at")).await?;
        add(
            manager,
            "invitations",
            boolean("flash_poll").default(false).to_owned(),
        )
        .await?;
        add(manager, "invitations", string_null("skip_reason")).await?;
        add(
            manager,
            "invitations",
            integer("reminders_sent").default(0).to_owned(),
        )
        .await?;
        add(manager, "invitations", ts_null("last_reminder_at")).await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_invitations_member_sent")
                    .table("invitations")
                    .col("member_id")
                    .col("sent_at")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_invitations_survey_status")
                    .table("invitations")
                    .col("survey_id")
                    .col("status")
                    .to_owned(),
            )
            .await?;

        // Further links to the same invitation (each reminder carries a new one; the
        // first link keeps working). Only the hash is stored.
        manager
            .create_table(
                Table::create()
                    .table("invitation_links")
                    .col(string("token_hash").primary_key())
                    .col(big_integer("invitation_id"))
                    .col(ts("created_at"))
                    .foreign_key(&mut fk(
                        "invitation_links",
                        "invitation_id",
                        "invitations",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;

        // The member's own, stricter contact wishes (JSON), and a counter every send
        // to the member updates first: the row lock that serialises sends.
        add(manager, "members", text_null("contact_wishes")).await?;
        add(
            manager,
            "members",
            big_integer("contact_seq").default(0).to_owned(),
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table("jobs")
                    .col(big_pk_auto("id"))
                    .col(string_uniq("key"))
                    .col(string("kind"))
                    .col(big_integer_null("survey_id"))
                    .col(ts("run_at"))
                    .col(string("status"))
                    .col(ts_null("locked_until"))
                    .col(string_null("locked_by"))
                    .col(integer("attempts").default(0))
                    .col(text_null("last_error"))
                    .col(ts("created_at"))
                    .col(ts_null("finished_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_jobs_due")
                    .table("jobs")
                    .col("status")
                    .col("run_at")
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["jobs", "invitation_links"] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
