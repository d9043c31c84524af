//! Panels, members with consent and background variables, tokens, manager accounts,
//! sessions, API tokens, rate limits, the audit log, the mail outbox and settings.

use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{fk, ts, ts_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn index(
    table: &'static str,
    name: &'static str,
    columns: &[&'static str],
    unique: bool,
) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(name).table(table);
    for column in columns {
        stmt.col(*column);
    }
    if unique {
        stmt.unique();
    }
    stmt.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("panels")
                    .col(string("id").primary_key())
                    .col(string("name"))
                    .col(text("definition"))
                    .col(ts("created_at"))
                    .col(ts("updated_at"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("members")
                    .col(big_pk_auto("id"))
                    .col(string("panel_id"))
                    .col(string_uniq("pseudonym"))
                    .col(string("status"))
                    .col(text_null("name"))
                    .col(text_null("email"))
                    .col(string_null("email_norm"))
                    .col(text_null("phone"))
                    .col(string_null("phone_norm"))
                    .col(text_null("address"))
                    .col(string("contact_preference"))
                    .col(integer_null("birth_year"))
                    .col(string("language"))
                    .col(string("source"))
                    .col(string("consent_version"))
                    .col(ts("consent_at"))
                    .col(boolean("health_consent"))
                    .col(ts_null("health_consent_at"))
                    .col(boolean("keep_answers_anonymous"))
                    .col(text_null("supporter_name"))
                    .col(text_null("supporter_relation"))
                    .col(text_null("supporter_contact"))
                    .col(boolean("large_text"))
                    .col(boolean("high_contrast"))
                    .col(boolean("calm_layout"))
                    .col(ts_null("confirmed_at"))
                    .col(ts_null("withdrawn_at"))
                    .col(ts("profile_updated_at"))
                    .col(ts_null("last_participated_at"))
                    .col(ts("created_at"))
                    .col(integer("version"))
                    .foreign_key(&mut fk(
                        "members",
                        "panel_id",
                        "panels",
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "members",
                "ux_members_email",
                &["panel_id", "email_norm"],
                true,
            ))
            .await?;
        manager
            .create_index(index(
                "members",
                "ux_members_phone",
                &["panel_id", "phone_norm"],
                true,
            ))
            .await?;
        manager
            .create_index(index(
                "members",
                "ix_members_status",
                &["panel_id", "status"],
                false,
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("member_background")
                    .col(big_integer("member_id"))
                    .col(string("variable"))
                    .col(string("value"))
                    .primary_key(Index::create().col("member_id").col("variable"))
                    .foreign_key(&mut fk(
                        "member_background",
                        "member_id",
                        "members",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "member_background",
                "ix_member_background_value",
                &["variable", "value"],
                false,
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("consent_events")
                    .col(big_pk_auto("id"))
                    .col(big_integer("member_id"))
                    .col(string("kind"))
                    .col(string("action"))
                    .col(string("consent_version"))
                    .col(ts("at"))
                    .foreign_key(&mut fk(
                        "consent_events",
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
                    .table("member_tokens")
                    .col(big_pk_auto("id"))
                    .col(big_integer("member_id"))
                    .col(string("purpose"))
                    .col(string_uniq("token_hash"))
                    .col(ts("created_at"))
                    .col(ts("expires_at"))
                    .col(ts_null("used_at"))
                    .foreign_key(&mut fk(
                        "member_tokens",
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
                    .table("managers")
                    .col(big_pk_auto("id"))
                    .col(string_uniq("email"))
                    .col(string("name"))
                    .col(text("password_hash"))
                    .col(string("role"))
                    .col(ts("created_at"))
                    .col(ts_null("disabled_at"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("sessions")
                    .col(string("token_hash").primary_key())
                    .col(big_integer_null("manager_id"))
                    .col(big_integer_null("member_id"))
                    .col(ts("created_at"))
                    .col(ts("expires_at"))
                    .foreign_key(&mut fk(
                        "sessions",
                        "manager_id",
                        "managers",
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "sessions",
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
                    .table("api_tokens")
                    .col(big_pk_auto("id"))
                    .col(big_integer("manager_id"))
                    .col(string("name"))
                    .col(string_uniq("token_hash"))
                    .col(ts("created_at"))
                    .col(ts_null("revoked_at"))
                    .col(ts_null("last_used_at"))
                    .foreign_key(&mut fk(
                        "api_tokens",
                        "manager_id",
                        "managers",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("rate_limits")
                    .col(string("key").primary_key())
                    .col(ts("window_start"))
                    .col(integer("count"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("audit_log")
                    .col(big_pk_auto("id"))
                    .col(ts("at"))
                    .col(big_integer_null("manager_id"))
                    .col(string("actor"))
                    .col(string("action"))
                    .col(big_integer_null("member_id"))
                    .col(string_null("panel_id"))
                    .col(text("detail"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("audit_log", "ix_audit_member", &["member_id"], false))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("outbox")
                    .col(big_pk_auto("id"))
                    .col(string_uniq("idempotency_key"))
                    .col(big_integer_null("member_id"))
                    .col(text("recipient"))
                    .col(text("subject"))
                    .col(text("body_text"))
                    .col(text("body_html"))
                    .col(text_null("headers"))
                    .col(string("status"))
                    .col(integer("attempts"))
                    .col(ts("next_attempt_at"))
                    .col(ts_null("locked_until"))
                    .col(text_null("last_error"))
                    .col(ts("created_at"))
                    .col(ts_null("sent_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "outbox",
                "ix_outbox_due",
                &["status", "next_attempt_at"],
                false,
            ))
            .await?;
        manager
            .create_index(index("outbox", "ix_outbox_member", &["member_id"], false))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("settings")
                    .col(string("key").primary_key())
                    .col(text("value"))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "settings",
            "outbox",
            "audit_log",
            "rate_limits",
            "api_tokens",
            "sessions",
            "managers",
            "member_tokens",
            "consent_events",
            "member_background",
            "members",
            "panels",
        ] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
