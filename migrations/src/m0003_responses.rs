//! Surveys (a published questionnaire version sent to a panel), invitations with their
//! single-purpose links, and responses with their answers. Responses carry the member's
//! pseudonym, not the member: answers are kept apart from contact data.

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
                    .table("surveys")
                    .col(big_pk_auto("id"))
                    .col(string("panel_id"))
                    .col(big_integer("version_id"))
                    .col(string("title"))
                    .col(string("status"))
                    .col(ts("opens_at"))
                    .col(ts("closes_at"))
                    .col(big_integer_null("created_by"))
                    .col(ts("created_at"))
                    .foreign_key(&mut fk(
                        "surveys",
                        "version_id",
                        "questionnaire_versions",
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("invitations")
                    .col(big_pk_auto("id"))
                    .col(big_integer("survey_id"))
                    .col(big_integer("member_id"))
                    .col(string_uniq("token_hash"))
                    .col(string("channel"))
                    .col(ts("created_at"))
                    .col(ts_null("sent_at"))
                    .col(ts_null("opened_at"))
                    .foreign_key(&mut fk(
                        "invitations",
                        "survey_id",
                        "surveys",
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "invitations",
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
                    .name("ux_invitations_member")
                    .table("invitations")
                    .col("survey_id")
                    .col("member_id")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("responses")
                    .col(big_pk_auto("id"))
                    .col(big_integer("survey_id"))
                    .col(big_integer("version_id"))
                    .col(string("respondent"))
                    .col(string("mode"))
                    .col(string_null("proxy"))
                    .col(string("status"))
                    .col(big_integer_null("entered_by"))
                    .col(ts("started_at"))
                    .col(ts("updated_at"))
                    .col(ts_null("finished_at"))
                    .col(integer("revision"))
                    .foreign_key(&mut fk(
                        "responses",
                        "survey_id",
                        "surveys",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_responses_respondent")
                    .table("responses")
                    .col("survey_id")
                    .col("respondent")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("answers")
                    .col(big_integer("response_id"))
                    .col(string("question_id"))
                    .col(text("value"))
                    .col(ts("answered_at"))
                    .primary_key(Index::create().col("response_id").col("question_id"))
                    .foreign_key(&mut fk(
                        "answers",
                        "response_id",
                        "responses",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["answers", "responses", "invitations", "surveys"] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
