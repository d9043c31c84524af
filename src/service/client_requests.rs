//! Requests from outside organisations: taking one in, and moving it through review,
//! decision, fieldwork and the end. Every change is checked by the domain (no skipped
//! or backward steps, a decision with its checklist and quote or reason), logged with
//! who made it, and emailed to the client's contact person — all in one transaction.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::DatabaseConnection;

use crate::domain::client_request::{self as domain, RequestForm, Transition};
use crate::domain::compensation::Money;
use crate::domain::signup::FieldError;
use crate::i18n::{Lang, tf};
use crate::mail::compose;
use crate::store::entities::client_request;
use crate::store::outbox::{self, NewMail};
use crate::store::{self, StoreError, client_requests as store_requests, panels, responses};

/// Who acts, for the log: `manager:3`.
pub fn manager_actor(manager_id: i64) -> String {
    domain::RequestActor::Manager(manager_id).code()
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
    if r.state == domain::RequestState::Accepted
        && let Some(q) = r.quote_cents
    {
        detail.push(tf(
            lang,
            "mail.request.quote",
            &[("amount", &Money::from_cents(q).format_nl())],
        ));
    }
    if r.state == domain::RequestState::Declined
        && let Some(reason) = &r.decline_reason
    {
        detail.push(tf(lang, "mail.request.reason", &[("reason", reason)]));
    }
    let mail = compose::request_state(lang, &panel, &person.name, &r.topic, r.state.code(), detail);
    outbox::enqueue(
        db,
        NewMail {
            idempotency_key: format!("request:{}:{}", r.id, r.state.code()),
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
    let from = current.state;
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
