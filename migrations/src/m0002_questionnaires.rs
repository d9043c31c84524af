//! Questionnaires with immutable versions, accepted findings, and pilot testing (links,
//! sessions with their answers kept apart, comments per question).

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
                    .table("questionnaires")
                    .col(big_pk_auto("id"))
                    .col(string("panel_id"))
                    .col(string("slug"))
                    .col(ts("created_at"))
                    .foreign_key(
                        &mut ForeignKey::create()
                            .from("questionnaires", "panel_id")
                            .to("panels", "id")
                            .to_owned(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_questionnaires_slug")
                    .table("questionnaires")
                    .col("panel_id")
                    .col("slug")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("questionnaire_versions")
                    .col(big_pk_auto("id"))
                    .col(big_integer("questionnaire_id"))
                    .col(integer("version"))
                    .col(text("definition"))
                    .col(string("title"))
                    .col(string("kind"))
                    .col(big_integer_null("created_by"))
                    .col(ts("created_at"))
                    .col(ts_null("published_at"))
                    .col(big_integer_null("published_by"))
                    .foreign_key(&mut fk(
                        "questionnaire_versions",
                        "questionnaire_id",
                        "questionnaires",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_questionnaire_versions")
                    .table("questionnaire_versions")
                    .col("questionnaire_id")
                    .col("version")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("finding_acceptances")
                    .col(big_pk_auto("id"))
                    .col(big_integer("version_id"))
                    .col(string("finding_key"))
                    .col(big_integer("manager_id"))
                    .col(text_null("reason"))
                    .col(ts("accepted_at"))
                    .foreign_key(&mut fk(
                        "finding_acceptances",
                        "version_id",
                        "questionnaire_versions",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_finding_acceptances")
                    .table("finding_acceptances")
                    .col("version_id")
                    .col("finding_key")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("pilot_links")
                    .col(big_pk_auto("id"))
                    .col(big_integer("version_id"))
                    .col(string("label"))
                    .col(string_uniq("token_hash"))
                    .col(big_integer_null("created_by"))
                    .col(ts("created_at"))
                    .col(ts("expires_at"))
                    .col(ts_null("revoked_at"))
                    .foreign_key(&mut fk(
                        "pilot_links",
                        "version_id",
                        "questionnaire_versions",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("pilot_sessions")
                    .col(big_pk_auto("id"))
                    .col(big_integer("version_id"))
                    .col(big_integer_null("link_id"))
                    .col(big_integer_null("manager_id"))
                    .col(string_uniq("token_hash"))
                    .col(text("answers"))
                    .col(ts("started_at"))
                    .col(ts_null("finished_at"))
                    .foreign_key(&mut fk(
                        "pilot_sessions",
                        "version_id",
                        "questionnaire_versions",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("pilot_comments")
                    .col(big_pk_auto("id"))
                    .col(big_integer("version_id"))
                    .col(big_integer("session_id"))
                    .col(string("question_id"))
                    .col(text("comment"))
                    .col(ts("created_at"))
                    .foreign_key(&mut fk(
                        "pilot_comments",
                        "version_id",
                        "questionnaire_versions",
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "pilot_comments",
                        "session_id",
                        "pilot_sessions",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "pilot_comments",
            "pilot_sessions",
            "pilot_links",
            "finding_acceptances",
            "questionnaire_versions",
            "questionnaires",
        ] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
