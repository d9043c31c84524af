//! `/beheer/opdrachtgevers/{client}`: an outside organisation — its contact persons,
//! its requests, and its API keys: make one with the scopes it needs (the key is shown
//! this once; only its hash is kept) or revoke one (it stops working at once). Both
//! are in the audit log.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::domain::client_access::{Scope, Scopes};
use crate::domain::signup::FieldError;
use crate::service::clients::{self as service, requests};
use crate::store::entities::{client, client_contact, client_request, client_token};
use crate::store::{StoreError, client_requests as store_requests, client_tokens};
use crate::web::auth::ManagerAuth;
use crate::web::ctx::PageCtx;
use crate::web::error::{WebError, WebResult};
use crate::web::form::CsrfForm;
use crate::web::state::AppState;
use crate::web::view::{FormErrors, datetime, opt_datetime};

/// The form field of a scope's checkbox: `scope_requests_read`.
fn scope_field(s: Scope) -> String {
    format!("scope_{}", s.slug())
}

/// The longest key name (as for managers' keys).
const MAX_NAME: usize = 100;

/// A key just made: its name and secret, shown once.
pub struct Created {
    pub name: String,
    pub secret: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "manager/client.html", config = "src/web/askama.toml")]
pub struct ClientPage {
    pub ctx: PageCtx,
    pub client: client::Model,
    pub contacts: Vec<client_contact::Model>,
    pub requests: Vec<client_request::Model>,
    pub tokens: Vec<client_token::Model>,
    pub errors: FormErrors,
    pub created: Option<Created>,
    pub revoked: bool,
    /// The new-key form as typed.
    pub key_name: String,
    pub ticked: Vec<Scope>,
}

impl ClientPage {
    fn heading(&self) -> String {
        self.ctx.tf1("clients.title", "client", &self.client.name)
    }
    fn page_title(&self) -> String {
        let base = if self.created.is_some() {
            format!(
                "{} – {}",
                self.heading(),
                self.ctx.t("clients.created_title")
            )
        } else if self.revoked {
            format!(
                "{} – {}",
                self.heading(),
                self.ctx.t("clients.revoked_title")
            )
        } else {
            self.heading()
        };
        self.errors.title(&self.ctx.lang, &base)
    }
    fn when(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        datetime(at)
    }
    fn when_opt(&self, at: &Option<chrono::DateTime<chrono::Utc>>) -> String {
        opt_datetime(at)
    }
    fn scopes(&self) -> [Scope; 3] {
        Scope::ALL
    }
    fn scope_label(&self, s: &Scope) -> &'static str {
        self.ctx.t(&format!("clients.scope.{}", s.slug()))
    }
    fn field(&self, s: &Scope) -> String {
        scope_field(*s)
    }
    fn is_ticked(&self, s: &Scope) -> bool {
        self.ticked.contains(s)
    }
    fn token_scopes(&self, t: &client_token::Model) -> String {
        Scopes::from_stored(&t.scopes)
            .iter()
            .map(|s| self.scope_label(&s))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[allow(clippy::too_many_arguments)]
async fn render(
    state: &AppState,
    ctx: PageCtx,
    client_id: i64,
    errors: FormErrors,
    created: Option<Created>,
    revoked: bool,
    name: String,
    ticked: Vec<Scope>,
) -> WebResult<ClientPage> {
    let client = store_requests::client(&state.db, client_id).await?;
    let contacts = store_requests::contacts(&state.db, client_id).await?;
    let requests = requests(&state.db, &client)
        .await?
        .into_iter()
        .map(|(r, _)| r)
        .collect();
    let tokens = client_tokens::list(&state.db, client_id).await?;
    Ok(ClientPage {
        ctx,
        client,
        contacts,
        requests,
        tokens,
        errors,
        created,
        revoked,
        key_name: name,
        ticked,
    })
}

#[derive(Deserialize)]
pub struct PageQuery {
    ingetrokken: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    ctx: PageCtx,
    _auth: ManagerAuth,
    Path(id): Path<i64>,
    Query(q): Query<PageQuery>,
) -> WebResult<ClientPage> {
    let errors = FormErrors::none(ctx.lang);
    let ticked = vec![Scope::RequestsRead, Scope::ReportsRead];
    let revoked = q.ingetrokken.is_some();
    render(
        &state,
        ctx,
        id,
        errors,
        None,
        revoked,
        String::new(),
        ticked,
    )
    .await
}

pub async fn create_token(
    State(state): State<AppState>,
    ctx: PageCtx,
    auth: ManagerAuth,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm,
) -> WebResult<Response> {
    let client = store_requests::client(&state.db, id).await?;
    let name = form.get("name").trim().to_owned();
    let ticked: Vec<Scope> = Scope::ALL
        .into_iter()
        .filter(|s| form.checked(&scope_field(*s)))
        .collect();
    let mut problems = Vec::new();
    if !(1..=MAX_NAME).contains(&name.chars().count()) {
        problems.push(FieldError::new("name", "clients.error.name"));
    }
    let scopes = Scopes::parse(ticked.iter().map(|s| s.code()));
    if scopes.is_err() {
        problems.push(FieldError::new("scopes", "clients.error.scopes"));
    }
    let (Ok(scopes), true) = (scopes, problems.is_empty()) else {
        let errors = FormErrors::new(ctx.lang, &problems);
        let page = render(&state, ctx, id, errors, None, false, name, ticked).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let (_, secret) = service::create_token(
        &state.db,
        &client,
        &name,
        &scopes,
        &auth.actor(),
        state.now(),
    )
    .await?;
    let created = Some(Created {
        name: name.clone(),
        secret,
    });
    let errors = FormErrors::none(ctx.lang);
    let page = render(
        &state,
        ctx,
        id,
        errors,
        created,
        false,
        String::new(),
        ticked,
    )
    .await?;
    Ok((StatusCode::CREATED, page).into_response())
}

pub async fn revoke_token(
    State(state): State<AppState>,
    auth: ManagerAuth,
    Path((id, token)): Path<(i64, i64)>,
    CsrfForm(_): CsrfForm,
) -> WebResult<Redirect> {
    let client = store_requests::client(&state.db, id).await?;
    match service::revoke_token(&state.db, &client, token, &auth.actor(), state.now()).await {
        Ok(()) => Ok(Redirect::to(&format!(
            "/beheer/opdrachtgevers/{id}?ingetrokken=1#sleutels"
        ))),
        Err(StoreError::NotFound) => Err(WebError::NotFound),
        Err(e) => Err(e.into()),
    }
}
