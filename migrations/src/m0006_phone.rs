//! Phone fallback: which interviewer calls which invitation, a counter that lets only one
//! of two interviewers record an outcome at once, each call attempt with its outcome
//! (AAPOR-style disposition) and appointment, and the member's preferred call times.

use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{add_column as add, fk, ts, ts_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add(manager, "invitations", big_integer_null("interviewer_id")).await?;
        add(
            manager,
            "invitations",
            integer("call_seq").default(0).to_owned(),
        )
        .await?;
        add(manager, "members", text_null("call_times")).await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_invitations_interviewer")
                    .table("invitations")
                    .col("interviewer_id")
                    .col("survey_id")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("call_attempts")
                    .col(big_pk_auto("id"))
                    .col(big_integer("invitation_id"))
                    .col(big_integer("survey_id"))
                    .col(big_integer_null("interviewer_id"))
                    .col(ts("at"))
                    .col(string("disposition"))
                    .col(text_null("note"))
                    .col(ts_null("appointment_at"))
                    .foreign_key(&mut fk(
                        "call_attempts",
                        "invitation_id",
                        "invitations",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_call_attempts_invitation")
                    .table("call_attempts")
                    .col("invitation_id")
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("call_attempts").if_exists().to_owned())
            .await
    }
}
