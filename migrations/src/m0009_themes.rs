//! Open answers coded with themes (the guide's step 6): per survey the manager's themes
//! with their keywords, the underlying problem, the core insight and what should
//! change; and which answers (response and question) carry which themes. Codes go with
//! their response: erasing or purging the response removes them.

use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{fk, ts};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("survey_themes")
                    .col(big_pk_auto("id"))
                    .col(big_integer("survey_id"))
                    .col(string("name"))
                    .col(text("keywords").default("").to_owned())
                    .col(text("problem").default("").to_owned())
                    .col(text("insight").default("").to_owned())
                    .col(text("change").default("").to_owned())
                    .col(ts("created_at"))
                    .col(ts("updated_at"))
                    .foreign_key(&mut fk(
                        "survey_themes",
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
                    .name("ix_survey_themes_survey")
                    .table("survey_themes")
                    .col("survey_id")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("answer_themes")
                    .col(big_integer("response_id"))
                    .col(string("question_id"))
                    .col(big_integer("theme_id"))
                    .primary_key(
                        Index::create()
                            .col("response_id")
                            .col("question_id")
                            .col("theme_id"),
                    )
                    .foreign_key(&mut fk(
                        "answer_themes",
                        "response_id",
                        "responses",
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "answer_themes",
                        "theme_id",
                        "survey_themes",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_answer_themes_theme")
                    .table("answer_themes")
                    .col("theme_id")
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["answer_themes", "survey_themes"] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
