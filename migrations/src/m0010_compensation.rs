//! The compensation ledger: an entry per finished survey with a compensation, the
//! member's standing choice, the other volunteer allowances a member declared per year,
//! and the volunteer-allowance limits per calendar year as a manager confirmed them.
//!
//! Erasure: the choice and declarations are personal data and go with the member
//! (cascade). A ledger entry is also a payment record finance may have to keep, so
//! erasing the member sets its `member_id` to NULL: what is left (date, survey, kind,
//! amount) no longer names anyone. Amounts are whole euro cents in BIGINT columns.

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
                    .table("compensation_entries")
                    .col(big_pk_auto("id"))
                    .col(string("panel_id"))
                    .col(big_integer_null("member_id"))
                    .col(big_integer_null("survey_id"))
                    .col(big_integer_null("response_id"))
                    .col(string("survey_title"))
                    .col(string("kind"))
                    .col(big_integer("offered_cents"))
                    .col(big_integer("amount_cents"))
                    .col(integer("year"))
                    .col(integer("month"))
                    .col(boolean("flagged").default(false).to_owned())
                    .col(boolean("unconfirmed").default(false).to_owned())
                    .col(big_integer_null("month_over_cents"))
                    .col(big_integer_null("year_over_cents"))
                    .col(ts("created_at"))
                    .foreign_key(&mut fk(
                        "compensation_entries",
                        "panel_id",
                        "panels",
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "compensation_entries",
                        "member_id",
                        "members",
                        ForeignKeyAction::SetNull,
                    ))
                    .foreign_key(&mut fk(
                        "compensation_entries",
                        "survey_id",
                        "surveys",
                        ForeignKeyAction::SetNull,
                    ))
                    .foreign_key(&mut fk(
                        "compensation_entries",
                        "response_id",
                        "responses",
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            ("ix_compensation_entries_member", &["member_id", "year"][..]),
            ("ix_compensation_entries_panel", &["panel_id", "year"][..]),
        ] {
            let mut index = Index::create();
            index.name(name).table("compensation_entries");
            for col in cols {
                index.col(*col);
            }
            manager.create_index(index.to_owned()).await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("ux_compensation_entries_response")
                    .table("compensation_entries")
                    .col("response_id")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("allowance_limits")
                    .col(integer("year").primary_key())
                    .col(big_integer("per_hour_21_plus_cents"))
                    .col(big_integer("per_hour_under_21_cents"))
                    .col(big_integer("per_month_cents"))
                    .col(big_integer("per_year_cents"))
                    .col(text("source"))
                    .col(big_integer_null("confirmed_by"))
                    .col(ts_null("confirmed_at"))
                    .foreign_key(&mut fk(
                        "allowance_limits",
                        "confirmed_by",
                        "managers",
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("member_allowances")
                    .col(big_integer("member_id"))
                    .col(integer("year"))
                    .col(big_integer("declared_cents"))
                    .col(ts("updated_at"))
                    .primary_key(Index::create().col("member_id").col("year"))
                    .foreign_key(&mut fk(
                        "member_allowances",
                        "member_id",
                        "members",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("compensation_choices")
                    .col(big_integer("member_id").primary_key())
                    .col(string("choice"))
                    .col(ts("updated_at"))
                    .foreign_key(&mut fk(
                        "compensation_choices",
                        "member_id",
                        "members",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "compensation_choices",
            "member_allowances",
            "allowance_limits",
            "compensation_entries",
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
