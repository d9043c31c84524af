//! What an outside organisation (*opdrachtgever*) reaches, by API token: its own
//! requests, new requests, and the aggregate results of the surveys run for it — the
//! public view with every small count hidden, never identities, contact data or open
//! answers. Another client's request is "not found", never "forbidden": a client does
//! not learn which requests exist.
//!
//! The manager side: tokens for a client (hashed, scoped, revocable), in the audit log.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use super::results::{self, ResultsError};
use crate::domain::client_access::Scopes;
use crate::domain::client_request::{RequestActor, RequestForm, RequestState};
use crate::domain::response::SurveyStatus;
use crate::domain::signup::FieldError;
use crate::i18n::Lang;
use crate::report::documents::ReportKind;
use crate::stats::{self, PublicCrosstab, PublicSurvey};
use crate::store::audit::{self, Action, Actor};
use crate::store::entities::{client, client_request, client_request_event, client_token, survey};
use crate::store::{self, StoreError, client_requests, client_tokens, panels, responses};

/// Who acts, for the request log: `client:7`.
pub fn client_actor(client_id: i64) -> String {
    RequestActor::Client(client_id).code()
}

/// One of the client's requests, or `NotFound` (also for another client's).
pub async fn request(
    db: &impl ConnectionTrait,
    client_id: i64,
    request_id: i64,
) -> Result<client_request::Model, StoreError> {
    match client_requests::get(db, request_id).await {
        Ok(r) if r.client_id == client_id => Ok(r),
        Ok(_) | Err(StoreError::NotFound) => Err(StoreError::NotFound),
        Err(e) => Err(e),
    }
}

/// The client's requests, newest first, each with its changes of state.
pub async fn requests(
    db: &impl ConnectionTrait,
    client: &client::Model,
) -> Result<Vec<(client_request::Model, Vec<client_request_event::Model>)>, StoreError> {
    let mut out = Vec::new();
    for r in client_requests::of_client(db, client.id).await? {
        let events = client_requests::events(db, r.id).await?;
        out.push((r, events));
    }
    Ok(out)
}

/// A new request from the client; the form's client is the token's client, whatever
/// the caller wrote. The problems when it cannot be stored (nothing is stored then).
pub async fn submit(
    db: &DatabaseConnection,
    client: &client::Model,
    form: RequestForm,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Result<client_request::Model, Vec<FieldError>>, StoreError> {
    let form = RequestForm {
        client: client.name.clone(),
        ..form
    };
    super::client_requests::submit(
        db,
        &client.panel_id,
        &form,
        &client_actor(client.id),
        today,
        now,
    )
    .await
}

/// Why a request has no report yet.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// No survey was run for it, or its fieldwork has not closed.
    #[error("no results yet")]
    NotReady,
    #[error(transparent)]
    Results(#[from] ResultsError),
}

impl From<StoreError> for ReportError {
    fn from(e: StoreError) -> Self {
        ReportError::Results(ResultsError::Store(e))
    }
}

/// The aggregate results of the survey run for a request, as outsiders see them.
#[derive(Clone, Debug)]
pub struct ClientReport {
    pub request_id: i64,
    pub survey_id: i64,
    pub survey_title: String,
    pub min_cell_size: u32,
    /// The panel's own closing and evaluation questions are left out.
    pub survey: PublicSurvey,
    /// Split by each background variable.
    pub crosstabs: Vec<PublicCrosstab>,
    /// Respondents with an open answer: the base of the themes' shares.
    pub open_answered: stats::Public<u64>,
    /// The themes the manager found in the open answers, those at least
    /// `min_cell_size` respondents wrote about (`stats::themes_shown`).
    pub themes: Vec<ClientTheme>,
}

/// A theme of the open answers as the client sees it: the manager's texts and how many
/// wrote about it, never the answers themselves.
#[derive(Clone, Debug)]
pub struct ClientTheme {
    pub theme: super::themes::Theme,
    /// Respondents who wrote about it and their share of `open_answered`, or hidden.
    pub respondents: stats::Public<(u64, f64)>,
}

/// The survey run for the request, once its fieldwork has closed: then its report can
/// be fetched.
pub async fn closed_survey(
    db: &impl ConnectionTrait,
    r: &client_request::Model,
) -> Result<Option<survey::Model>, StoreError> {
    let running = matches!(r.state, RequestState::Fieldwork | RequestState::Done);
    let Some(survey_id) = r.survey_id.filter(|_| running) else {
        return Ok(None);
    };
    let survey = responses::survey(db, survey_id).await?;
    Ok(Some(survey).filter(|s| s.status == SurveyStatus::Closed))
}

/// The report of one of the client's requests: only once the survey run for it has
/// closed; small counts hidden as on every page outside the manager's own.
pub async fn report(
    db: &impl ConnectionTrait,
    client_id: i64,
    request_id: i64,
    lang: Lang,
) -> Result<ClientReport, ReportError> {
    let r = request(db, client_id, request_id).await?;
    let Some(survey) = closed_survey(db, &r).await? else {
        return Err(ReportError::NotReady);
    };
    let survey_id = survey.id;
    let panel = panels::get(db, &survey.panel_id).await?;
    let groupings = ReportKind::Client.groupings(&panel);
    let results = results::load_with(db, survey_id, lang, &groupings).await?;
    let min = results.min_cell_size();
    let mut public = results.public();
    public.questions.retain(|q| !q.appended);
    let crosstabs = results
        .crosstabs
        .iter()
        .map(|(_, c)| {
            let mut p = stats::public_crosstab(c, min);
            p.questions.retain(|q| !q.appended);
            p
        })
        .collect();
    let counts = stats::public_themes(&results.theme_counts, min);
    let themes = stats::themes_shown(&results.theme_counts, min)
        .into_iter()
        .filter_map(|i| {
            Some(ClientTheme {
                theme: results.themes.get(i)?.clone(),
                respondents: counts.themes.get(i)?.n,
            })
        })
        .collect();
    Ok(ClientReport {
        request_id,
        survey_id,
        survey_title: results.questionnaire.title.clone(),
        min_cell_size: min,
        survey: public,
        crosstabs,
        open_answered: counts.answered,
        themes,
    })
}

/// A new token for the client (the secret is returned once), in the audit log.
pub async fn create_token(
    db: &DatabaseConnection,
    client: &client::Model,
    name: &str,
    scopes: &Scopes,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(client_token::Model, String), StoreError> {
    let _turn = store::write_turn(db).await;
    let txn = store::begin_write(db).await?;
    let created_by = match actor.manager_id {
        Some(id) => super::client_requests::manager_actor(id),
        None => actor.label.clone(),
    };
    let made = client_tokens::create(&txn, client.id, name, scopes, &created_by, now).await?;
    let detail = format!(
        "client {} token {} ({})",
        client.id,
        made.0.id,
        scopes.stored()
    );
    let panel = Some(client.panel_id.as_str());
    audit::record(
        &txn,
        actor,
        Action::CreateClientToken,
        None,
        panel,
        &detail,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(made)
}

/// Revoke one of the client's tokens at once, in the audit log.
pub async fn revoke_token(
    db: &DatabaseConnection,
    client: &client::Model,
    token_id: i64,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let _turn = store::write_turn(db).await;
    let txn = store::begin_write(db).await?;
    client_tokens::revoke(&txn, client.id, token_id, now).await?;
    let detail = format!("client {} token {token_id}", client.id);
    let panel = Some(client.panel_id.as_str());
    audit::record(
        &txn,
        actor,
        Action::RevokeClientToken,
        None,
        panel,
        &detail,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
