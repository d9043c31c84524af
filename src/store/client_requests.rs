//! Clients, their contact persons and their requests, with every change of state.

use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::Expr as SqExpr;
use sea_orm::{ActiveValue::Set, ConnectionTrait, QueryFilter, QueryOrder, UpdateMany};

use super::entities::{client, client_contact, client_request, client_request_event};
use super::{StoreError, StoreResult};
use crate::domain::client_request::{
    MissionChecklist, NewRequest, RequestState, Transition, eligibility_json,
};

/// The client of this name on the panel, made when new.
pub async fn client_named(
    db: &impl ConnectionTrait,
    panel_id: &str,
    name: &str,
    now: DateTime<Utc>,
) -> StoreResult<client::Model> {
    let found = client::Entity::find()
        .filter(client::Column::PanelId.eq(panel_id))
        .filter(client::Column::Name.eq(name))
        .one(db)
        .await?;
    if let Some(c) = found {
        return Ok(c);
    }
    Ok(client::ActiveModel {
        panel_id: Set(panel_id.to_owned()),
        name: Set(name.to_owned()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// The client's contact person with this email address (any case), made when new.
async fn contact(
    db: &impl ConnectionTrait,
    client_id: i64,
    name: &str,
    email: &str,
    now: DateTime<Utc>,
) -> StoreResult<client_contact::Model> {
    let found = client_contact::Entity::find()
        .filter(client_contact::Column::ClientId.eq(client_id))
        .filter(client_contact::Column::Email.eq(email.to_lowercase()))
        .one(db)
        .await?;
    if let Some(c) = found {
        return Ok(c);
    }
    Ok(client_contact::ActiveModel {
        client_id: Set(client_id),
        name: Set(name.to_owned()),
        email: Set(email.to_lowercase()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

async fn log(
    db: &impl ConnectionTrait,
    request_id: i64,
    from: Option<RequestState>,
    to: RequestState,
    actor: &str,
    note: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    client_request_event::ActiveModel {
        request_id: Set(request_id),
        from_state: Set(from),
        to_state: Set(to),
        actor: Set(actor.to_owned()),
        note: Set(note.to_owned()),
        at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Store a new request (state "aangevraagd") with its client and contact person, and
/// log it. Call inside a transaction.
pub async fn create(
    db: &impl ConnectionTrait,
    panel_id: &str,
    r: &NewRequest,
    actor: &str,
    now: DateTime<Utc>,
) -> StoreResult<client_request::Model> {
    let c = client_named(db, panel_id, &r.client, now).await?;
    let person = contact(db, c.id, &r.contact_name, r.contact_email.as_str(), now).await?;
    let saved = client_request::ActiveModel {
        client_id: Set(c.id),
        contact_id: Set(person.id),
        topic: Set(r.topic.clone()),
        purpose: Set(r.purpose.clone()),
        use_of_results: Set(r.use_of_results.clone()),
        eligibility: Set(eligibility_json(&r.eligibility)),
        completes: Set(i32::try_from(r.completes).unwrap_or(i32::MAX)),
        start_on: Set(r.start_on),
        end_on: Set(r.end_on),
        budget_cents: Set(r.budget_cents),
        state: Set(RequestState::Requested),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    log(db, saved.id, None, RequestState::Requested, actor, "", now).await?;
    Ok(saved)
}

pub async fn get(db: &impl ConnectionTrait, id: i64) -> StoreResult<client_request::Model> {
    client_request::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)
}

pub async fn client_of(
    db: &impl ConnectionTrait,
    r: &client_request::Model,
) -> StoreResult<(client::Model, client_contact::Model)> {
    let c = client::Entity::find_by_id(r.client_id)
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    let person = client_contact::Entity::find_by_id(r.contact_id)
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok((c, person))
}

/// One client.
pub async fn client(db: &impl ConnectionTrait, id: i64) -> StoreResult<client::Model> {
    client::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)
}

/// A panel's clients by name.
pub async fn clients(db: &impl ConnectionTrait, panel_id: &str) -> StoreResult<Vec<client::Model>> {
    Ok(client::Entity::find()
        .filter(client::Column::PanelId.eq(panel_id))
        .order_by_asc(client::Column::Name)
        .all(db)
        .await?)
}

/// A client's contact persons, in the order they were added.
pub async fn contacts(
    db: &impl ConnectionTrait,
    client_id: i64,
) -> StoreResult<Vec<client_contact::Model>> {
    Ok(client_contact::Entity::find()
        .filter(client_contact::Column::ClientId.eq(client_id))
        .order_by_asc(client_contact::Column::Id)
        .all(db)
        .await?)
}

/// A panel's requests, newest first, with their client.
pub async fn list(
    db: &impl ConnectionTrait,
    panel_id: &str,
) -> StoreResult<Vec<(client_request::Model, client::Model)>> {
    let clients = client::Entity::find()
        .filter(client::Column::PanelId.eq(panel_id))
        .all(db)
        .await?;
    let ids: Vec<i64> = clients.iter().map(|c| c.id).collect();
    let requests = client_request::Entity::find()
        .filter(client_request::Column::ClientId.is_in(ids))
        .order_by_desc(client_request::Column::CreatedAt)
        .order_by_desc(client_request::Column::Id)
        .all(db)
        .await?;
    Ok(requests
        .into_iter()
        .filter_map(|r| {
            let c = clients.iter().find(|c| c.id == r.client_id)?.clone();
            Some((r, c))
        })
        .collect())
}

/// One client's requests, newest first.
pub async fn of_client(
    db: &impl ConnectionTrait,
    client_id: i64,
) -> StoreResult<Vec<client_request::Model>> {
    Ok(client_request::Entity::find()
        .filter(client_request::Column::ClientId.eq(client_id))
        .order_by_desc(client_request::Column::CreatedAt)
        .order_by_desc(client_request::Column::Id)
        .all(db)
        .await?)
}

/// Every change of the request's state, oldest first.
pub async fn events(
    db: &impl ConnectionTrait,
    request_id: i64,
) -> StoreResult<Vec<client_request_event::Model>> {
    Ok(client_request_event::Entity::find()
        .filter(client_request_event::Column::RequestId.eq(request_id))
        .order_by_asc(client_request_event::Column::Id)
        .all(db)
        .await?)
}

/// The decision's checklist into the update.
fn with_checklist(
    update: UpdateMany<client_request::Entity>,
    c: &MissionChecklist,
) -> UpdateMany<client_request::Entity> {
    use client_request::Column;
    update
        .col_expr(Column::FitsMission, SqExpr::value(c.fits_mission))
        .col_expr(Column::NoHarm, SqExpr::value(c.no_harm))
        .col_expr(Column::ResultsShared, SqExpr::value(c.results_shared))
}

/// Make the change, only if the request is still in `from` (else `Conflict`: someone
/// else changed it first), and log it. The domain checked the change itself.
pub async fn apply(
    db: &impl ConnectionTrait,
    request_id: i64,
    from: RequestState,
    transition: &Transition,
    actor: &str,
    now: DateTime<Utc>,
) -> StoreResult<client_request::Model> {
    use client_request::Column;
    let to = transition.target();
    let mut update = client_request::Entity::update_many()
        .col_expr(Column::State, SqExpr::value(to))
        .col_expr(Column::UpdatedAt, SqExpr::value(now));
    let mut note = String::new();
    match transition {
        Transition::Accept {
            checklist,
            quote_cents,
        } => {
            update = with_checklist(update, checklist)
                .col_expr(Column::QuoteCents, SqExpr::value(*quote_cents));
            note = format!("quote {quote_cents} cents");
        }
        Transition::Decline { checklist, reason } => {
            let reason = reason.trim().to_owned();
            update = with_checklist(update, checklist)
                .col_expr(Column::DeclineReason, SqExpr::value(reason.clone()));
            note = reason;
        }
        Transition::StartFieldwork { survey_id } => {
            update = update.col_expr(Column::SurveyId, SqExpr::value(*survey_id));
            note = format!("survey {survey_id}");
        }
        Transition::StartReview | Transition::Finish => {}
    }
    let done = update
        .filter(Column::Id.eq(request_id))
        .filter(Column::State.eq(from))
        .exec(db)
        .await?;
    if done.rows_affected != 1 {
        return Err(StoreError::Conflict);
    }
    log(db, request_id, Some(from), to, actor, &note, now).await?;
    get(db, request_id).await
}
