//! The compensation ledger's flows: finishing a response records the survey's
//! compensation for the member in the same transaction (honouring their choice,
//! checked against the year's limits, with a notice queued in the outbox when a limit
//! is crossed), and the payout file for the finance department.

use chrono::{DateTime, Datelike, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use crate::domain::compensation::{
    Choice, EntryKind, HourlyExcess, LimitCheck, Money, check_payment, entry_for,
    hourly_excess as domain_hourly_excess,
};
use crate::domain::fieldwork::ZONE;
use crate::domain::member::MemberStatus;
use crate::domain::questionnaire::Questionnaire;
use crate::i18n::Lang;
use crate::mail::compose::{self, AllowanceNoticeText};
use crate::store::compensation::{self as ledger, NewEntry};
use crate::store::entities::{compensation_entry, response};
use crate::store::outbox::{self, NewMail};
use crate::store::{StoreResult, members, panels, questionnaires, responses};

/// The member's compensation page, linked from the notice.
pub const MEMBER_PAGE: &str = "/mijn-gegevens/vergoedingen";

/// Finish a response; when this call finished it and the survey offers a compensation,
/// write the member's ledger entry in the same transaction.
pub async fn finish_response(
    db: &DatabaseConnection,
    response_id: i64,
    base_url: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let turn = crate::store::write_turn(db).await;
    let txn = crate::store::begin_write(db).await?;
    if let Some(r) = responses::finish_in(&txn, response_id, now).await? {
        record(&txn, &r, base_url, now).await?;
    }
    txn.commit().await?;
    drop(turn);
    Ok(())
}

/// Whether the questionnaire's compensation, for the minutes it says it takes, comes to
/// more per hour than the volunteer-allowance limit of the year it is paid in (`at`).
/// Only money and gift cards count; `None` too when that year has no figures.
pub async fn hourly_excess(
    db: &impl ConnectionTrait,
    questionnaire: &Questionnaire,
    at: DateTime<Utc>,
) -> StoreResult<Option<(Money, u32, HourlyExcess)>> {
    let Some(offer) = &questionnaire.compensation else {
        return Ok(None);
    };
    let amount = Money::from(offer.amount_eur);
    let (kind, _) = entry_for(offer.kind, amount, Choice::Accept);
    if !kind.counts_towards_limits() {
        return Ok(None);
    }
    let (year, _) = year_month(at);
    let limits = ledger::limits(db, year).await?;
    let minutes = questionnaire.estimated_minutes;
    Ok(limits
        .usable()
        .and_then(|l| domain_hourly_excess(l, amount, minutes))
        .map(|e| (amount, minutes, e)))
}

/// The calendar year and month of a moment, as in the Netherlands.
pub fn year_month(at: DateTime<Utc>) -> (i32, i32) {
    let local = at.with_timezone(&ZONE);
    (local.year(), local.month() as i32)
}

/// Record the ledger entry for a just-finished response, if it earns one.
async fn record(
    db: &impl ConnectionTrait,
    r: &response::Model,
    base_url: &str,
    now: DateTime<Utc>,
) -> StoreResult<Option<compensation_entry::Model>> {
    let survey = responses::survey(db, r.survey_id).await?;
    let version = questionnaires::version(db, survey.version_id).await?;
    let Some(offer) = questionnaires::parsed(&version)?.compensation else {
        return Ok(None);
    };
    let Some(member) = members::by_pseudonym(db, &r.respondent).await? else {
        return Ok(None);
    };
    let offered = Money::from(offer.amount_eur);
    let choice = ledger::choice(db, member.id).await?;
    let (kind, amount) = entry_for(offer.kind, offered, choice);
    let (year, month) = year_month(now);
    // `finish_in` already updated the member's row in this transaction: on PostgreSQL
    // that row lock makes two finishes of one member wait for each other, so the sums
    // below include the other's entry (SQLite writes one transaction at a time anyway).
    let check = if kind.counts_towards_limits() {
        let limits = ledger::limits(db, year).await?;
        let so_far = ledger::received_so_far(db, member.id, year, month).await?;
        check_payment(limits.usable(), so_far, amount)
    } else {
        LimitCheck::Within
    };
    let entry = ledger::insert_entry(
        db,
        NewEntry {
            panel_id: survey.panel_id.clone(),
            member_id: member.id,
            survey_id: survey.id,
            response_id: r.id,
            survey_title: survey.title.clone(),
            kind,
            offered,
            amount,
            year,
            month,
            check,
        },
        now,
    )
    .await?;
    if let LimitCheck::Crosses {
        month_over,
        year_over,
    } = check
        && let Some(email) = member
            .email
            .clone()
            .filter(|_| member.status == MemberStatus::Active)
    {
        let lang = Lang::from_code(&member.language).unwrap_or(Lang::Nl);
        let panel = panels::get(db, &survey.panel_id).await?;
        let mail = compose::allowance_notice(
            lang,
            &panel,
            member.name.as_deref(),
            &AllowanceNoticeText {
                survey_title: survey.title.clone(),
                amount: amount.format_nl(),
                month_over: month_over.map(Money::format_nl),
                year_over: year_over.map(Money::format_nl),
                link: format!("{base_url}{MEMBER_PAGE}"),
            },
        );
        outbox::enqueue(
            db,
            NewMail {
                idempotency_key: format!("compensation:{}:notice", entry.id),
                member_id: Some(member.id),
                recipient: email,
                subject: mail.subject,
                body_text: mail.text,
                body_html: mail.html,
                headers: Vec::new(),
            },
            now,
        )
        .await?;
    }
    Ok(Some(entry))
}

/// The payout file for finance: one row per entry that costs money (money, gift
/// cards and donations), amounts as exact decimals (`5.50`). Erased members' rows stay without a name.
pub async fn payout_csv(db: &impl ConnectionTrait, panel_id: &str) -> StoreResult<(String, usize)> {
    let entries = ledger::entries_for_panel(db, panel_id).await?;
    let mut out = csv::Writer::from_writer(Vec::new());
    let write = |out: &mut csv::Writer<Vec<u8>>, row: &[String]| {
        out.write_record(row)
            .map_err(|e| crate::store::StoreError::Corrupt(e.to_string()))
    };
    write(
        &mut out,
        &[
            "boeking",
            "datum",
            "lidnummer",
            "naam",
            "e-mail",
            "vragenlijst",
            "soort",
            "bedrag",
            "gemarkeerd",
        ]
        .map(str::to_owned),
    )?;
    let mut rows = 0;
    for e in entries.iter().filter(|e| e.kind != EntryKind::None) {
        let member = match e.member_id {
            Some(id) => Some(members::get(db, id).await?),
            None => None,
        };
        let kind = match e.kind {
            EntryKind::Money => "geld",
            EntryKind::GiftCard => "cadeaukaart",
            EntryKind::Donation => "donatie",
            EntryKind::None => "geen",
        };
        write(
            &mut out,
            &[
                e.id.to_string(),
                e.created_at
                    .with_timezone(&ZONE)
                    .format("%Y-%m-%d")
                    .to_string(),
                e.member_id.map(|id| id.to_string()).unwrap_or_default(),
                member
                    .as_ref()
                    .and_then(|m| m.name.clone())
                    .unwrap_or_default(),
                member
                    .as_ref()
                    .and_then(|m| m.email.clone())
                    .unwrap_or_default(),
                e.survey_title.clone(),
                kind.to_owned(),
                Money::from_cents(e.amount_cents).to_string(),
                if e.flagged { "ja" } else { "nee" }.to_owned(),
            ],
        )?;
        rows += 1;
    }
    let bytes = out
        .into_inner()
        .map_err(|e| crate::store::StoreError::Corrupt(e.to_string()))?;
    Ok((String::from_utf8_lossy(&bytes).into_owned(), rows))
}
