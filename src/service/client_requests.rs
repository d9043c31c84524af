//! Requests from outside organisations: taking one in, and moving it through review,
//! decision, fieldwork and the end. Every change is checked by the domain (no skipped
//! or backward steps, a decision with its checklist and quote or reason), logged with
//! who made it, and emailed to the client's contact person — all in one transaction.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::DatabaseConnection;

use crate::domain::client_request::{self as domain, RequestForm, Transition};
use crate::domain::signup::FieldError;
use crate::i18n::{Lang, tf};
use crate::mail::compose;
use crate::store::entities::client_request;
use crate::store::outbox::{self, NewMail};
use crate::store::{self, StoreError, client_requests as store_requests, panels, responses};

/// Who acts, for the log: `manager:3`.
pub fn manager_actor(manager_id: i64) -> String {
    format!("manager:{manager_id}")
}

/// Money in euro cents as Dutch text: "€ 2.500,00".
pub fn euros(cents: i64) -> String {
    let whole = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(c);
    }
    format!("€ {grouped},{:02}", (cents % 100).abs())
}

async fn notify(
    db: &impl sea_orm::ConnectionTrait,
    r: &client_request::Model,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let (client, person) = store_requests::client_of(db, r).await?;
    let panel = panels::get(db, &client.panel_id).await?;
    let lang = Lang::Nl;
    let mut detail = Vec::new();
    if r.state == domain::RequestState::Accepted.code()
        && let Some(q) = r.quote_cents
    {
        detail.push(tf(lang, "mail.request.quote", &[("amount", &euros(q))]));
    }
    if r.state == domain::RequestState::Declined.code()
        && let Some(reason) = &r.decline_reason
    {
        detail.push(tf(lang, "mail.request.reason", &[("reason", reason)]));
    }
    let mail = compose::request_state(lang, &panel, &person.name, &r.topic, &r.state, detail);
    outbox::enqueue(
        db,
        NewMail {
            idempotency_key: format!("request:{}:{}", r.id, r.state),
            member_id: None,
            recipient: person.email.clone(),
            subject: mail.subject,
            body_text: mail.text,
            body_html: mail.html,
            headers: Vec::new(),
        },
        now,
    )
    .await
}

/// Take in a request for the panel; the problems with the form when it cannot be
/// stored (nothing is stored then).
pub async fn submit(
    db: &DatabaseConnection,
    panel_id: &str,
    form: &RequestForm,
    actor: &str,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Result<client_request::Model, Vec<FieldError>>, StoreError> {
    let panel = panels::get(db, panel_id).await?;
    let request = match form.parse(&panel, today) {
        Ok(r) => r,
        Err(problems) => return Ok(Err(problems)),
    };
    let _turn = store::write_turn(db).await;
    let txn = store::begin_write(db).await?;
    let saved = store_requests::create(&txn, panel_id, &request, actor, now).await?;
    notify(&txn, &saved, now).await?;
    txn.commit().await?;
    Ok(Ok(saved))
}

/// Move a request on; the problems when the step is not allowed (nothing changes then).
pub async fn transition(
    db: &DatabaseConnection,
    request_id: i64,
    transition: &Transition,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<Result<client_request::Model, Vec<FieldError>>, StoreError> {
    let _turn = store::write_turn(db).await;
    let txn = store::begin_write(db).await?;
    let current = store_requests::get(&txn, request_id).await?;
    let from = store_requests::state(&current)?;
    let mut problems = domain::check(from, transition);
    if let Transition::StartFieldwork { survey_id } = transition
        && problems.is_empty()
    {
        // The survey must be on the client's panel.
        let (client, _) = store_requests::client_of(&txn, &current).await?;
        let survey = responses::survey(&txn, *survey_id).await;
        if !matches!(survey, Ok(s) if s.panel_id == client.panel_id) {
            problems.push(FieldError::new("survey", "requests.error.survey"));
        }
    }
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    let saved = store_requests::apply(&txn, request_id, from, transition, actor, now).await?;
    notify(&txn, &saved, now).await?;
    txn.commit().await?;
    Ok(Ok(saved))
}

#[cfg(test)]
mod tests {
    use super::euros;

    #[test]
    fn amounts_in_dutch() {
        assert_eq!(euros(250_000), "€ 2.500,00");
        assert_eq!(euros(5), "€ 0,05");
        assert_eq!(euros(123_456_789), "€ 1.234.567,89");
        assert_eq!(euros(99_900), "€ 999,00");
    }
}
