//! The compensation ledger's queries: entries, the member's choice and declared other
//! allowances, and the yearly limits (a confirmed row, else the figures klankbord ships).

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};

use super::StoreResult;
use super::entities::{allowance_limit, compensation_choice, compensation_entry, member_allowance};
use crate::domain::compensation::{
    AllowanceLimits, Choice, EntryKind, LimitCheck, Money, ReceivedSoFar, shipped_limits,
};

/// The limits of a year and whether they may be used for payments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum YearLimits {
    /// A manager confirmed them (`confirmed_by` is `None` once that account is gone).
    Confirmed {
        limits: AllowanceLimits,
        confirmed_by: Option<i64>,
        confirmed_at: Option<DateTime<Utc>>,
    },
    /// Shipped with klankbord from the Belastingdienst's published figures.
    Shipped(AllowanceLimits),
    /// Nothing known: a manager must confirm figures before the first payment.
    Unconfirmed,
}

impl YearLimits {
    /// The figures a payment may be checked against.
    pub fn usable(&self) -> Option<&AllowanceLimits> {
        match self {
            YearLimits::Confirmed { limits, .. } | YearLimits::Shipped(limits) => Some(limits),
            YearLimits::Unconfirmed => None,
        }
    }
}

fn limits_from(row: allowance_limit::Model) -> AllowanceLimits {
    AllowanceLimits {
        year: row.year,
        per_hour_21_plus: Money::from_cents(row.per_hour_21_plus_cents),
        per_hour_under_21: Money::from_cents(row.per_hour_under_21_cents),
        per_month: Money::from_cents(row.per_month_cents),
        per_year: Money::from_cents(row.per_year_cents),
        source: row.source,
    }
}

pub async fn limits(db: &impl ConnectionTrait, year: i32) -> StoreResult<YearLimits> {
    if let Some(row) = allowance_limit::Entity::find_by_id(year).one(db).await? {
        let (confirmed_by, confirmed_at) = (row.confirmed_by, row.confirmed_at);
        return Ok(YearLimits::Confirmed {
            limits: limits_from(row),
            confirmed_by,
            confirmed_at,
        });
    }
    Ok(shipped_limits(year).map_or(YearLimits::Unconfirmed, YearLimits::Shipped))
}

/// A manager confirms (or corrects) the figures of a year.
pub async fn confirm_limits(
    db: &impl ConnectionTrait,
    limits: &AllowanceLimits,
    manager_id: i64,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    use allowance_limit::Column as C;
    allowance_limit::Entity::insert(allowance_limit::ActiveModel {
        year: Set(limits.year),
        per_hour_21_plus_cents: Set(limits.per_hour_21_plus.cents()),
        per_hour_under_21_cents: Set(limits.per_hour_under_21.cents()),
        per_month_cents: Set(limits.per_month.cents()),
        per_year_cents: Set(limits.per_year.cents()),
        source: Set(limits.source.clone()),
        confirmed_by: Set(Some(manager_id)),
        confirmed_at: Set(Some(now)),
    })
    .on_conflict(
        OnConflict::column(C::Year)
            .update_columns([
                C::PerHour21PlusCents,
                C::PerHourUnder21Cents,
                C::PerMonthCents,
                C::PerYearCents,
                C::Source,
                C::ConfirmedBy,
                C::ConfirmedAt,
            ])
            .to_owned(),
    )
    .exec(db)
    .await?;
    Ok(())
}

pub async fn choice(db: &impl ConnectionTrait, member_id: i64) -> StoreResult<Choice> {
    Ok(compensation_choice::Entity::find_by_id(member_id)
        .one(db)
        .await?
        .map_or(Choice::default(), |row| row.choice))
}

pub async fn set_choice(
    db: &impl ConnectionTrait,
    member_id: i64,
    choice: Choice,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    use compensation_choice::Column as C;
    compensation_choice::Entity::insert(compensation_choice::ActiveModel {
        member_id: Set(member_id),
        choice: Set(choice),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(C::MemberId)
            .update_columns([C::Choice, C::UpdatedAt])
            .to_owned(),
    )
    .exec(db)
    .await?;
    Ok(())
}

/// Other volunteer allowances the member declared for the year (zero if none).
pub async fn declared(db: &impl ConnectionTrait, member_id: i64, year: i32) -> StoreResult<Money> {
    Ok(member_allowance::Entity::find_by_id((member_id, year))
        .one(db)
        .await?
        .map_or(Money::ZERO, |row| Money::from_cents(row.declared_cents)))
}

pub async fn set_declared(
    db: &impl ConnectionTrait,
    member_id: i64,
    year: i32,
    amount: Money,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    use member_allowance::Column as C;
    member_allowance::Entity::insert(member_allowance::ActiveModel {
        member_id: Set(member_id),
        year: Set(year),
        declared_cents: Set(amount.cents()),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([C::MemberId, C::Year])
            .update_columns([C::DeclaredCents, C::UpdatedAt])
            .to_owned(),
    )
    .exec(db)
    .await?;
    Ok(())
}

/// What the member received from this panel's ledger in the year and month, plus what
/// they declared from elsewhere for the year.
pub async fn received_so_far(
    db: &impl ConnectionTrait,
    member_id: i64,
    year: i32,
    month: i32,
) -> StoreResult<ReceivedSoFar> {
    let entries = compensation_entry::Entity::find()
        .filter(compensation_entry::Column::MemberId.eq(member_id))
        .filter(compensation_entry::Column::Year.eq(year))
        .all(db)
        .await?;
    let mut so_far = ReceivedSoFar {
        declared_other: declared(db, member_id, year).await?,
        ..ReceivedSoFar::default()
    };
    for e in entries.iter().filter(|e| e.kind.counts_towards_limits()) {
        let amount = Money::from_cents(e.amount_cents);
        so_far.this_year = so_far.this_year.saturating_add(amount);
        if e.month == month {
            so_far.this_month = so_far.this_month.saturating_add(amount);
        }
    }
    Ok(so_far)
}

/// A ledger entry to write.
#[derive(Clone, Debug)]
pub struct NewEntry {
    pub panel_id: String,
    pub member_id: i64,
    pub survey_id: i64,
    pub response_id: i64,
    pub survey_title: String,
    pub kind: EntryKind,
    pub offered: Money,
    pub amount: Money,
    pub year: i32,
    pub month: i32,
    pub check: LimitCheck,
}

pub async fn insert_entry(
    db: &impl ConnectionTrait,
    entry: NewEntry,
    now: DateTime<Utc>,
) -> StoreResult<compensation_entry::Model> {
    let (month_over, year_over) = match entry.check {
        LimitCheck::Crosses {
            month_over,
            year_over,
        } => (month_over, year_over),
        _ => (None, None),
    };
    let row = compensation_entry::Entity::insert(compensation_entry::ActiveModel {
        panel_id: Set(entry.panel_id),
        member_id: Set(Some(entry.member_id)),
        survey_id: Set(Some(entry.survey_id)),
        response_id: Set(Some(entry.response_id)),
        survey_title: Set(entry.survey_title),
        kind: Set(entry.kind),
        offered_cents: Set(entry.offered.cents()),
        amount_cents: Set(entry.amount.cents()),
        year: Set(entry.year),
        month: Set(entry.month),
        flagged: Set(entry.check.is_flagged()),
        unconfirmed: Set(entry.check == LimitCheck::Unconfirmed),
        month_over_cents: Set(month_over.map(Money::cents)),
        year_over_cents: Set(year_over.map(Money::cents)),
        created_at: Set(now),
        ..Default::default()
    })
    .exec_with_returning(db)
    .await?;
    Ok(row)
}

/// A member's entries, newest first.
pub async fn entries_for_member(
    db: &impl ConnectionTrait,
    member_id: i64,
) -> StoreResult<Vec<compensation_entry::Model>> {
    Ok(compensation_entry::Entity::find()
        .filter(compensation_entry::Column::MemberId.eq(member_id))
        .order_by_desc(compensation_entry::Column::CreatedAt)
        .order_by_desc(compensation_entry::Column::Id)
        .all(db)
        .await?)
}

/// A panel's entries, oldest first (the payout order).
pub async fn entries_for_panel(
    db: &impl ConnectionTrait,
    panel_id: &str,
) -> StoreResult<Vec<compensation_entry::Model>> {
    Ok(compensation_entry::Entity::find()
        .filter(compensation_entry::Column::PanelId.eq(panel_id))
        .order_by_asc(compensation_entry::Column::CreatedAt)
        .order_by_asc(compensation_entry::Column::Id)
        .all(db)
        .await?)
}

/// The member's ledger for their own data download: choice, declarations and entries,
/// amounts as exact decimals.
pub async fn export(db: &impl ConnectionTrait, member_id: i64) -> StoreResult<serde_json::Value> {
    let declared: Vec<serde_json::Value> = member_allowance::Entity::find()
        .filter(member_allowance::Column::MemberId.eq(member_id))
        .order_by_asc(member_allowance::Column::Year)
        .all(db)
        .await?
        .into_iter()
        .map(|d| {
            serde_json::json!({
                "year": d.year,
                "amount": Money::from_cents(d.declared_cents).to_string(),
            })
        })
        .collect();
    let entries: Vec<serde_json::Value> = entries_for_member(db, member_id)
        .await?
        .into_iter()
        .map(|e| {
            serde_json::json!({
                "survey": e.survey_title,
                "kind": e.kind,
                "amount": Money::from_cents(e.amount_cents).to_string(),
                "at": e.created_at,
                "over_limit": e.flagged && !e.unconfirmed,
            })
        })
        .collect();
    Ok(serde_json::json!({
        "choice": choice(db, member_id).await?,
        "other_allowances_declared": declared,
        "entries": entries,
    }))
}
