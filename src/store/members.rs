//! Members: sign-up, confirmation, profile changes with optimistic locking, consent
//! withdrawal, erasure, search and the counts behind the composition table.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sea_orm::ExprTrait;
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{Expr as SqExpr, Query};
use sea_orm::{
    ActiveValue::Set, Condition, ConnectionTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde_json::json;

use super::entities::{
    audit, consent_event, member, member_background, member_token, outbox, session,
};
use super::{StoreError, StoreResult};
use crate::domain::contact::{EmailAddress, PhoneNumber};
use crate::domain::ids::{CategoryValue, VariableId};
use crate::domain::member::{
    ConsentAction, ConsentKind, DisplayPreferences, MemberStatus, Profile, Supporter,
};
use crate::domain::signup::NewMember;
use crate::i18n::Lang;

/// Insert a new member with background answers and consent records, in one transaction.
pub async fn insert(
    db: &sea_orm::DatabaseConnection,
    panel_id: &str,
    new: &NewMember,
    status: MemberStatus,
    now: DateTime<Utc>,
) -> StoreResult<member::Model> {
    let txn = super::begin_write(db).await?;
    let model = insert_in(&txn, panel_id, new, status, now).await?;
    txn.commit().await?;
    Ok(model)
}

/// As [`insert`], inside a transaction the caller holds (the import uses one for all rows).
pub async fn insert_in(
    txn: &impl ConnectionTrait,
    panel_id: &str,
    new: &NewMember,
    status: MemberStatus,
    now: DateTime<Utc>,
) -> StoreResult<member::Model> {
    let p = &new.profile;
    let supporter = p.supporter.clone().unwrap_or_default();
    let model = member::ActiveModel {
        panel_id: Set(panel_id.to_owned()),
        pseudonym: Set(uuid::Uuid::new_v4().to_string()),
        status: Set(status),
        name: Set(p.name.clone()),
        email: Set(p.email.as_ref().map(|e| e.as_str().to_owned())),
        email_norm: Set(p.email.as_ref().map(EmailAddress::normalized)),
        phone: Set(p.phone.as_ref().map(|x| x.as_str().to_owned())),
        phone_norm: Set(p.phone.as_ref().map(|x| x.normalized().to_owned())),
        address: Set(p.address.clone()),
        contact_preference: Set(p.contact_preference),
        birth_year: Set(p.birth_year),
        language: Set(p.language.code().to_owned()),
        source: Set(new.source.clone()),
        consent_version: Set(new.consent_version.clone()),
        consent_at: Set(now),
        health_consent: Set(true),
        health_consent_at: Set(Some(now)),
        keep_answers_anonymous: Set(new.keep_answers_anonymous),
        supporter_name: Set(p.supporter.as_ref().map(|_| supporter.name.clone())),
        supporter_relation: Set(supporter.relation.clone()),
        supporter_contact: Set(supporter.contact.clone()),
        large_text: Set(false),
        high_contrast: Set(false),
        calm_layout: Set(false),
        confirmed_at: Set((status == MemberStatus::Active).then_some(now)),
        withdrawn_at: Set(None),
        profile_updated_at: Set(now),
        last_participated_at: Set(None),
        created_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(txn)
    .await
    .map_err(StoreError::from_db)?;
    write_background(txn, model.id, &p.background).await?;
    for kind in [ConsentKind::Panel, ConsentKind::Health] {
        record_consent(
            txn,
            model.id,
            kind,
            ConsentAction::Given,
            &new.consent_version,
            now,
        )
        .await?;
    }
    Ok(model)
}

async fn write_background(
    db: &impl ConnectionTrait,
    member_id: i64,
    background: &BTreeMap<VariableId, CategoryValue>,
) -> StoreResult<()> {
    member_background::Entity::delete_many()
        .filter(member_background::Column::MemberId.eq(member_id))
        .exec(db)
        .await?;
    if background.is_empty() {
        return Ok(());
    }
    member_background::Entity::insert_many(background.iter().map(|(var, value)| {
        member_background::ActiveModel {
            member_id: Set(member_id),
            variable: Set(var.to_string()),
            value: Set(value.to_string()),
        }
    }))
    .exec(db)
    .await?;
    Ok(())
}

async fn record_consent(
    db: &impl ConnectionTrait,
    member_id: i64,
    kind: ConsentKind,
    action: ConsentAction,
    version: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    consent_event::ActiveModel {
        member_id: Set(member_id),
        kind: Set(kind),
        action: Set(action),
        consent_version: Set(version.to_owned()),
        at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn get(db: &impl ConnectionTrait, id: i64) -> StoreResult<member::Model> {
    member::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)
}

/// The member behind a pseudonym, while the member exists.
pub async fn by_pseudonym(
    db: &impl ConnectionTrait,
    pseudonym: &str,
) -> StoreResult<Option<member::Model>> {
    Ok(member::Entity::find()
        .filter(member::Column::Pseudonym.eq(pseudonym))
        .one(db)
        .await?)
}

pub async fn find_by_email(
    db: &impl ConnectionTrait,
    panel_id: &str,
    email: &EmailAddress,
) -> StoreResult<Option<member::Model>> {
    Ok(member::Entity::find()
        .filter(member::Column::PanelId.eq(panel_id))
        .filter(member::Column::EmailNorm.eq(email.normalized()))
        .one(db)
        .await?)
}

pub async fn background(
    db: &impl ConnectionTrait,
    member_id: i64,
) -> StoreResult<BTreeMap<VariableId, CategoryValue>> {
    let rows = member_background::Entity::find()
        .filter(member_background::Column::MemberId.eq(member_id))
        .all(db)
        .await?;
    rows.into_iter()
        .map(|row| {
            let var = VariableId::parse(&row.variable)
                .map_err(|e| StoreError::Corrupt(format!("variable: {e}")))?;
            let value = CategoryValue::parse(&row.value)
                .map_err(|e| StoreError::Corrupt(format!("category: {e}")))?;
            Ok((var, value))
        })
        .collect()
}

/// The stored profile as a domain value.
pub async fn profile(db: &impl ConnectionTrait, m: &member::Model) -> StoreResult<Profile> {
    let corrupt = |what: &str| StoreError::Corrupt(format!("member {}: {what}", m.id));
    Ok(Profile {
        name: m.name.clone(),
        email: m
            .email
            .as_deref()
            .map(EmailAddress::parse)
            .transpose()
            .map_err(|_| corrupt("email"))?,
        phone: m
            .phone
            .as_deref()
            .map(PhoneNumber::parse)
            .transpose()
            .map_err(|_| corrupt("phone"))?,
        address: m.address.clone(),
        contact_preference: m.contact_preference,
        birth_year: m.birth_year,
        language: Lang::from_code(&m.language).unwrap_or_default(),
        supporter: m.supporter_name.clone().map(|name| Supporter {
            name,
            relation: m.supporter_relation.clone(),
            contact: m.supporter_contact.clone(),
        }),
        background: background(db, m.id).await?,
    })
}

pub fn preferences(m: &member::Model) -> DisplayPreferences {
    DisplayPreferences {
        large_text: m.large_text,
        high_contrast: m.high_contrast,
        calm_layout: m.calm_layout,
    }
}

/// Double opt-in: a pending member becomes active.
pub async fn confirm(db: &impl ConnectionTrait, id: i64, now: DateTime<Utc>) -> StoreResult<()> {
    member::Entity::update_many()
        .col_expr(member::Column::Status, SqExpr::value(MemberStatus::Active))
        .col_expr(member::Column::ConfirmedAt, SqExpr::value(now))
        .filter(member::Column::Id.eq(id))
        .filter(member::Column::Status.eq(MemberStatus::Pending))
        .exec(db)
        .await?;
    Ok(())
}

/// Claim the row for a change: bumps the version only if nobody changed it since
/// `expected_version` was read. Returns `Conflict` otherwise.
async fn bump_version(
    db: &impl ConnectionTrait,
    id: i64,
    expected_version: i32,
) -> StoreResult<()> {
    let result = member::Entity::update_many()
        .col_expr(
            member::Column::Version,
            SqExpr::col(member::Column::Version).add(1),
        )
        .filter(member::Column::Id.eq(id))
        .filter(member::Column::Version.eq(expected_version))
        .exec(db)
        .await?;
    if result.rows_affected == 0 {
        return match member::Entity::find_by_id(id).one(db).await? {
            None => Err(StoreError::NotFound),
            Some(_) => Err(StoreError::Conflict),
        };
    }
    Ok(())
}

/// Replace a member's profile, if `expected_version` is still current.
pub async fn update_profile(
    db: &sea_orm::DatabaseConnection,
    id: i64,
    expected_version: i32,
    profile: &Profile,
    now: DateTime<Utc>,
) -> StoreResult<member::Model> {
    let txn = super::begin_write(db).await?;
    bump_version(&txn, id, expected_version).await?;
    let supporter = profile.supporter.clone();
    member::Entity::update_many()
        .col_expr(member::Column::Name, SqExpr::value(profile.name.clone()))
        .col_expr(
            member::Column::Email,
            SqExpr::value(profile.email.as_ref().map(|e| e.as_str().to_owned())),
        )
        .col_expr(
            member::Column::EmailNorm,
            SqExpr::value(profile.email.as_ref().map(EmailAddress::normalized)),
        )
        .col_expr(
            member::Column::Phone,
            SqExpr::value(profile.phone.as_ref().map(|p| p.as_str().to_owned())),
        )
        .col_expr(
            member::Column::PhoneNorm,
            SqExpr::value(profile.phone.as_ref().map(|p| p.normalized().to_owned())),
        )
        .col_expr(
            member::Column::Address,
            SqExpr::value(profile.address.clone()),
        )
        .col_expr(
            member::Column::ContactPreference,
            SqExpr::value(profile.contact_preference),
        )
        .col_expr(member::Column::BirthYear, SqExpr::value(profile.birth_year))
        .col_expr(
            member::Column::Language,
            SqExpr::value(profile.language.code()),
        )
        .col_expr(
            member::Column::SupporterName,
            SqExpr::value(supporter.as_ref().map(|s| s.name.clone())),
        )
        .col_expr(
            member::Column::SupporterRelation,
            SqExpr::value(supporter.as_ref().and_then(|s| s.relation.clone())),
        )
        .col_expr(
            member::Column::SupporterContact,
            SqExpr::value(supporter.as_ref().and_then(|s| s.contact.clone())),
        )
        .col_expr(member::Column::ProfileUpdatedAt, SqExpr::value(now))
        .filter(member::Column::Id.eq(id))
        .exec(&txn)
        .await
        .map_err(StoreError::from_db)?;
    write_background(&txn, id, &profile.background).await?;
    let model = get(&txn, id).await?;
    txn.commit().await?;
    Ok(model)
}

pub async fn set_preferences(
    db: &impl ConnectionTrait,
    id: i64,
    prefs: DisplayPreferences,
) -> StoreResult<()> {
    member::Entity::update_many()
        .col_expr(member::Column::LargeText, SqExpr::value(prefs.large_text))
        .col_expr(
            member::Column::HighContrast,
            SqExpr::value(prefs.high_contrast),
        )
        .col_expr(member::Column::CalmLayout, SqExpr::value(prefs.calm_layout))
        .filter(member::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// When the member likes to be called, in their own words; blank clears it.
pub async fn set_call_times(
    db: &impl ConnectionTrait,
    id: i64,
    times: Option<&str>,
) -> StoreResult<()> {
    member::Entity::update_many()
        .col_expr(
            member::Column::CallTimes,
            SqExpr::value(times.map(str::to_owned)),
        )
        .filter(member::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Change whether answers may stay (without a name) when the member leaves.
pub async fn set_keep_answers(db: &impl ConnectionTrait, id: i64, keep: bool) -> StoreResult<()> {
    member::Entity::update_many()
        .col_expr(member::Column::KeepAnswersAnonymous, SqExpr::value(keep))
        .filter(member::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Withdraw consent: the member is never invited again; data stays until they delete
/// their account or the retention period ends.
pub async fn withdraw(
    db: &sea_orm::DatabaseConnection,
    id: i64,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let txn = super::begin_write(db).await?;
    let m = get(&txn, id).await?;
    if m.status != MemberStatus::Withdrawn {
        member::Entity::update_many()
            .col_expr(
                member::Column::Status,
                SqExpr::value(MemberStatus::Withdrawn),
            )
            .col_expr(member::Column::WithdrawnAt, SqExpr::value(now))
            .col_expr(
                member::Column::Version,
                SqExpr::col(member::Column::Version).add(1),
            )
            .filter(member::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        for kind in [ConsentKind::Panel, ConsentKind::Health] {
            record_consent(
                &txn,
                id,
                kind,
                ConsentAction::Withdrawn,
                &m.consent_version,
                now,
            )
            .await?;
        }
        // Mail not yet sent to them is not sent any more.
        outbox::Entity::delete_many()
            .filter(outbox::Column::MemberId.eq(id))
            .filter(outbox::Column::SentAt.is_null())
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Erase a member: contact data, background, consent records, tokens, sessions and
/// mail are deleted. Answers are keyed by pseudonym only, so once the member row is gone
/// they can no longer be tied to the person.
pub async fn erase(db: &sea_orm::DatabaseConnection, id: i64) -> StoreResult<()> {
    let txn = super::begin_write(db).await?;
    let m = get(&txn, id).await?;
    // Answers stay, under a pseudonym nobody can trace back any more, only when the
    // member allowed that.
    if !m.keep_answers_anonymous {
        super::responses::erase_for(&txn, &m.pseudonym).await?;
    }
    outbox::Entity::delete_many()
        .filter(outbox::Column::MemberId.eq(id))
        .exec(&txn)
        .await?;
    member_token::Entity::delete_many()
        .filter(member_token::Column::MemberId.eq(id))
        .exec(&txn)
        .await?;
    session::Entity::delete_many()
        .filter(session::Column::MemberId.eq(id))
        .exec(&txn)
        .await?;
    consent_event::Entity::delete_many()
        .filter(consent_event::Column::MemberId.eq(id))
        .exec(&txn)
        .await?;
    member_background::Entity::delete_many()
        .filter(member_background::Column::MemberId.eq(id))
        .exec(&txn)
        .await?;
    member::Entity::delete_by_id(id).exec(&txn).await?;
    txn.commit().await?;
    Ok(())
}

/// Search and filters for the member list.
#[derive(Clone, Debug, Default)]
pub struct MemberFilter {
    /// Part of a name, email address or phone number.
    pub query: Option<String>,
    pub status: Option<MemberStatus>,
    pub background: BTreeMap<String, String>,
}

/// Members whose name, email address or phone number contains `q` (not empty).
pub(super) fn text_match(q: &str) -> Condition {
    let pattern = format!("%{}%", q.to_lowercase().replace(['%', '_'], ""));
    let digits: String = q.chars().filter(char::is_ascii_digit).collect();
    let mut any = Condition::any()
        .add(
            SqExpr::expr(sea_orm::sea_query::Func::lower(SqExpr::col(
                member::Column::Name,
            )))
            .like(&pattern),
        )
        .add(member::Column::EmailNorm.like(&pattern));
    if digits.len() >= 3 {
        any = any
            .add(member::Column::PhoneNorm.like(format!("%{}%", digits.trim_start_matches('0'))));
    }
    any
}

fn filter_condition(panel_id: &str, filter: &MemberFilter) -> Condition {
    let mut cond = Condition::all().add(member::Column::PanelId.eq(panel_id));
    if let Some(status) = filter.status {
        cond = cond.add(member::Column::Status.eq(status));
    }
    if let Some(q) = filter
        .query
        .as_deref()
        .map(str::trim)
        .filter(|q| !q.is_empty())
    {
        cond = cond.add(text_match(q));
    }
    for (var, value) in &filter.background {
        if value.is_empty() {
            continue;
        }
        cond = cond.add(
            member::Column::Id.in_subquery(
                Query::select()
                    .column(member_background::Column::MemberId)
                    .from(member_background::Entity)
                    .and_where(member_background::Column::Variable.eq(var.as_str()))
                    .and_where(member_background::Column::Value.eq(value.as_str()))
                    .to_owned(),
            ),
        );
    }
    cond
}

/// One page of members matching the filter, and the total number that match.
pub async fn list(
    db: &impl ConnectionTrait,
    panel_id: &str,
    filter: &MemberFilter,
    page: u64,
    per_page: u64,
) -> StoreResult<(Vec<member::Model>, u64)> {
    let query = member::Entity::find()
        .filter(filter_condition(panel_id, filter))
        .order_by_asc(member::Column::Id);
    let total = query.clone().count(db).await?;
    let rows = query
        .offset(Ord::min(page.saturating_mul(per_page), i64::MAX as u64))
        .limit(per_page)
        .all(db)
        .await?;
    Ok((rows, total))
}

/// Number of active members and, per (variable, category), how many of them gave it.
pub async fn composition_counts(
    db: &impl ConnectionTrait,
    panel_id: &str,
) -> StoreResult<(u64, BTreeMap<(String, String), u64>)> {
    let members = member::Entity::find()
        .filter(member::Column::PanelId.eq(panel_id))
        .filter(member::Column::Status.eq(MemberStatus::Active))
        .count(db)
        .await?;
    let rows: Vec<(String, String, i64)> = member_background::Entity::find()
        .select_only()
        .column(member_background::Column::Variable)
        .column(member_background::Column::Value)
        .column_as(member_background::Column::MemberId.count(), "n")
        .inner_join(member::Entity)
        .filter(member::Column::PanelId.eq(panel_id))
        .filter(member::Column::Status.eq(MemberStatus::Active))
        .group_by(member_background::Column::Variable)
        .group_by(member_background::Column::Value)
        .into_tuple()
        .all(db)
        .await?;
    let counts = rows
        .into_iter()
        .map(|(var, value, n)| ((var, value), u64::try_from(n).unwrap_or(0)))
        .collect();
    Ok((members, counts))
}

/// `(member, variable, category)` for every background answer of the panel's members
/// whose status is one of `statuses`.
pub async fn background_rows(
    db: &impl ConnectionTrait,
    panel_id: &str,
    statuses: &[MemberStatus],
) -> StoreResult<Vec<(i64, String, String)>> {
    Ok(member_background::Entity::find()
        .select_only()
        .column(member_background::Column::MemberId)
        .column(member_background::Column::Variable)
        .column(member_background::Column::Value)
        .inner_join(member::Entity)
        .filter(member::Column::PanelId.eq(panel_id))
        .filter(member::Column::Status.is_in(statuses.iter().copied()))
        .into_tuple()
        .all(db)
        .await?)
}

/// The normalised emails and phone numbers already in a panel, to find duplicates.
pub async fn existing_contacts(
    db: &impl ConnectionTrait,
    panel_id: &str,
) -> StoreResult<(Vec<String>, Vec<String>)> {
    let rows: Vec<(Option<String>, Option<String>)> = member::Entity::find()
        .select_only()
        .column(member::Column::EmailNorm)
        .column(member::Column::PhoneNorm)
        .filter(member::Column::PanelId.eq(panel_id))
        .into_tuple()
        .all(db)
        .await?;
    let emails = rows.iter().filter_map(|(e, _)| e.clone()).collect();
    let phones = rows.into_iter().filter_map(|(_, p)| p).collect();
    Ok((emails, phones))
}

/// Everything klankbord holds about a member, for "Mijn gegevens" and the JSON download.
pub async fn export(db: &impl ConnectionTrait, id: i64) -> StoreResult<serde_json::Value> {
    let m = get(db, id).await?;
    let background = background(db, id).await?;
    let consents = consent_event::Entity::find()
        .filter(consent_event::Column::MemberId.eq(id))
        .order_by_asc(consent_event::Column::At)
        .all(db)
        .await?;
    let access = audit::Entity::find()
        .filter(audit::Column::MemberId.eq(id))
        .order_by_asc(audit::Column::At)
        .all(db)
        .await?;
    let mut invitations = Vec::new();
    for inv in super::entities::invitation::Entity::find()
        .filter(super::entities::invitation::Column::MemberId.eq(id))
        .order_by_asc(super::entities::invitation::Column::Id)
        .all(db)
        .await?
    {
        let title = super::entities::survey::Entity::find_by_id(inv.survey_id)
            .one(db)
            .await?
            .map(|s| s.title);
        invitations.push(json!({
            "survey": title,
            "status": inv.status,
            "channel": inv.channel,
            "planned_at": inv.planned_at,
            "sent_at": inv.sent_at,
            "opened_at": inv.opened_at,
            "reminders": inv.reminders_sent,
        }));
    }
    let compensation = super::compensation::export(db, id).await?;
    Ok(json!({
        "panel": m.panel_id,
        "pseudonym": m.pseudonym,
        "contact_wishes": m.contact_wishes.as_deref().and_then(|w| serde_json::from_str::<serde_json::Value>(w).ok()),
        "invitations": invitations,
        "compensation": compensation,
        "status": m.status,
        "name": m.name,
        "email": m.email,
        "phone": m.phone,
        "address": m.address,
        "contact_preference": m.contact_preference,
        "call_times": m.call_times,
        "birth_year": m.birth_year,
        "language": m.language,
        "source": m.source,
        "background": background.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<BTreeMap<_, _>>(),
        "supporter": m.supporter_name.as_ref().map(|name| json!({
            "name": name,
            "relation": m.supporter_relation,
            "contact": m.supporter_contact,
        })),
        "display_preferences": preferences(&m),
        "consent": {
            "version": m.consent_version,
            "given_at": m.consent_at,
            "health_data": m.health_consent,
            "health_data_given_at": m.health_consent_at,
            "keep_answers_anonymous_after_leaving": m.keep_answers_anonymous,
            "history": consents.iter().map(|c| json!({
                "kind": c.kind, "action": c.action, "version": c.consent_version, "at": c.at,
            })).collect::<Vec<_>>(),
        },
        "signed_up_at": m.created_at,
        "confirmed_at": m.confirmed_at,
        "withdrawn_at": m.withdrawn_at,
        "profile_updated_at": m.profile_updated_at,
        "last_participated_at": m.last_participated_at,
        "viewed_or_changed_by_managers": access.iter().map(|a| json!({
            "at": a.at, "by": a.actor, "action": a.action, "detail": a.detail,
        })).collect::<Vec<_>>(),
    }))
}
