//! Feedback to respondents: per survey what the manager wrote under "Wat doen we
//! ermee?" and "Wat is er veranderd, en wat niet?", and whether (since when) the results
//! are published for the respondents.

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
                    .table("survey_feedback")
                    .col(big_integer("survey_id").primary_key())
                    .col(text("what_we_do").default("").to_owned())
                    .col(text("what_changed").default("").to_owned())
                    .col(ts_null("published_at"))
                    .col(big_integer_null("updated_by"))
                    .col(ts("updated_at"))
                    .foreign_key(&mut fk(
                        "survey_feedback",
                        "survey_id",
                        "surveys",
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "survey_feedback",
                        "updated_by",
                        "managers",
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table("survey_feedback")
                    .if_exists()
                    .to_owned(),
            )
            .await
    }
}
