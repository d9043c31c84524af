//! Outside organisations (*opdrachtgevers*) and their requests to run a survey on the
//! panel: the organisation, its contact persons, each request with what it asks for
//! (topic, purpose, use of the results, target group, completes, timing, budget), its
//! state, the manager's decision (mission checklist, quote or reason, the survey made
//! for it), and every change of state with who made it.

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
                    .table("clients")
                    .col(big_pk_auto("id"))
                    .col(string("panel_id"))
                    .col(string("name"))
                    .col(ts("created_at"))
                    .foreign_key(&mut fk(
                        "clients",
                        "panel_id",
                        "panels",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_clients_panel_name")
                    .table("clients")
                    .col("panel_id")
                    .col("name")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("client_contacts")
                    .col(big_pk_auto("id"))
                    .col(big_integer("client_id"))
                    .col(string("name"))
                    .col(string("email"))
                    .col(ts("created_at"))
                    .foreign_key(&mut fk(
                        "client_contacts",
                        "client_id",
                        "clients",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("client_requests")
                    .col(big_pk_auto("id"))
                    .col(big_integer("client_id"))
                    .col(big_integer("contact_id"))
                    .col(string("topic"))
                    .col(text("purpose"))
                    .col(text("use_of_results"))
                    .col(text("eligibility"))
                    .col(integer("completes"))
                    .col(date("start_on"))
                    .col(date("end_on"))
                    .col(big_integer("budget_cents"))
                    .col(string("state"))
                    .col(boolean("fits_mission").default(false).to_owned())
                    .col(boolean("no_harm").default(false).to_owned())
                    .col(boolean("results_shared").default(false).to_owned())
                    .col(big_integer_null("quote_cents"))
                    .col(text_null("decline_reason"))
                    .col(big_integer_null("survey_id"))
                    .col(ts("created_at"))
                    .col(ts("updated_at"))
                    .foreign_key(&mut fk(
                        "client_requests",
                        "client_id",
                        "clients",
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "client_requests",
                        "contact_id",
                        "client_contacts",
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "client_requests",
                        "survey_id",
                        "surveys",
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_client_requests_client")
                    .table("client_requests")
                    .col("client_id")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("client_request_events")
                    .col(big_pk_auto("id"))
                    .col(big_integer("request_id"))
                    .col(string_null("from_state"))
                    .col(string("to_state"))
                    .col(string("actor"))
                    .col(text("note").default("").to_owned())
                    .col(ts("at"))
                    .foreign_key(&mut fk(
                        "client_request_events",
                        "request_id",
                        "client_requests",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_client_request_events_request")
                    .table("client_request_events")
                    .col("request_id")
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "client_request_events",
            "client_requests",
            "client_contacts",
            "clients",
        ] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
