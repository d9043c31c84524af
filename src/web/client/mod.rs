//! The clients' portal under `/opdrachtgever`: an outside organisation logs in with the
//! API key the panel manager gave it (a key that may read requests), and sees its own
//! requests with their history and, once a survey run for one has closed, its report —
//! the client's report with small groups hidden, never names, contact data or open
//! answers. The session belongs to the key: revoking the key logs the client out.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::header::SET_COOKIE;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use super::cookies;
use super::ctx::PageCtx;
use super::error::{WebError, WebResult};
use super::form::CsrfForm;
use super::state::AppState;
use super::view::{FormErrors, datetime};
use crate::domain::client_access::{Scope, Scopes};
use crate::domain::compensation::Money;
use crate::report::documents::ReportKind;
use crate::service::clients;
use crate::store::entities::{client, client_request, client_request_event};
use crate::store::sessions::{self, CLIENT_SESSION, Owner};
use crate::store::{StoreError, client_requests, client_tokens};

mod new_request;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/opdrachtgever", get(home))
        .route("/opdrachtgever/inloggen", get(login_form).post(login))
        .route("/opdrachtgever/uitloggen", post(logout))
        .route(
            "/opdrachtgever/aanvragen/nieuw",
            get(new_request::form).post(new_request::submit),
        )
        .route("/opdrachtgever/aanvragen/{id}", get(request))
        .route("/opdrachtgever/aanvragen/{id}/rapport", get(report))
}

/// The organisation logged in to the portal, with what its key may do.
pub struct ClientSession {
    pub client: client::Model,
    pub scopes: Scopes,
}

impl FromRequestParts<AppState> for ClientSession {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        let token = cookies::get(&parts.headers, cookies::CLIENT_SESSION)
            .ok_or(WebError::ClientLoginRequired)?;
        let Some(Owner::Client(key)) = sessions::find(&state.db, &token, state.now()).await? else {
            return Err(WebError::ClientLoginRequired);
        };
        let (client, scopes) = client_tokens::live(&state.db, key)
            .await?
            .ok_or(WebError::ClientLoginRequired)?;
        Ok(ClientSession { client, scopes })
    }
}

impl ClientSession {
    fn require(&self, scope: Scope) -> WebResult<()> {
        if self.scopes.allows(scope) {
            Ok(())
        } else {
            Err(WebError::Forbidden)
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "client/login.html", config = "src/web/askama.toml")]
pub struct LoginPage {
    pub ctx: PageCtx,
    pub errors: FormErrors,
}

pub async fn login_form(ctx: PageCtx) -> LoginPage {
    LoginPage {
        errors: FormErrors::none(ctx.lang),
        ctx,
    }
}

pub async fn login(
    State(state): State<AppState>,
    ctx: PageCtx,
    CsrfForm(form): CsrfForm,
) -> WebResult<Response> {
    let secret = form.get("key").trim().to_owned();
    let refuse = |ctx: PageCtx, key: &'static str, status: StatusCode| {
        let errors = FormErrors::single(ctx.lang, "key", key);
        Ok((status, LoginPage { ctx, errors }).into_response())
    };
    if secret.is_empty() {
        return refuse(ctx, "portal.login.empty", StatusCode::UNPROCESSABLE_ENTITY);
    }
    let Some((key_id, _, scopes)) = client_tokens::find(&state.db, &secret).await? else {
        return refuse(ctx, "portal.login.wrong", StatusCode::UNAUTHORIZED);
    };
    if !scopes.allows(Scope::RequestsRead) {
        return refuse(ctx, "portal.login.no_scope", StatusCode::FORBIDDEN);
    }
    let token = sessions::create(&state.db, Owner::Client(key_id), state.now()).await?;
    let cookie = cookies::set(
        cookies::CLIENT_SESSION,
        &token,
        Some(CLIENT_SESSION.num_seconds()),
        state.config.secure_cookies(),
    );
    Ok(([(SET_COOKIE, cookie)], Redirect::to("/opdrachtgever")).into_response())
}

pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    CsrfForm(_): CsrfForm,
) -> WebResult<Response> {
    if let Some(token) = cookies::get(&headers, cookies::CLIENT_SESSION) {
        sessions::delete(&state.db, &token).await?;
    }
    let cookie = cookies::set(
        cookies::CLIENT_SESSION,
        "",
        Some(0),
        state.config.secure_cookies(),
    );
    Ok((
        [(SET_COOKIE, cookie)],
        Redirect::to("/opdrachtgever/inloggen"),
    )
        .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "client/home.html", config = "src/web/askama.toml")]
pub struct HomePage {
    pub ctx: PageCtx,
    pub client: client::Model,
    pub requests: Vec<client_request::Model>,
    /// The key may send new requests.
    pub may_write: bool,
}

impl HomePage {
    fn when(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        datetime(at)
    }
}

pub async fn home(
    State(state): State<AppState>,
    ctx: PageCtx,
    session: ClientSession,
) -> WebResult<HomePage> {
    session.require(Scope::RequestsRead)?;
    let requests = clients::requests(&state.db, &session.client)
        .await?
        .into_iter()
        .map(|(r, _)| r)
        .collect();
    Ok(HomePage {
        ctx,
        may_write: session.scopes.allows(Scope::RequestsWrite),
        client: session.client,
        requests,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "client/request.html", config = "src/web/askama.toml")]
pub struct RequestPage {
    pub ctx: PageCtx,
    pub client: client::Model,
    pub request: client_request::Model,
    pub events: Vec<client_request_event::Model>,
    /// The report can be opened (the key may read reports, and the fieldwork closed).
    pub report: bool,
    /// The fieldwork closed, but the key may not read reports.
    pub report_needs_scope: bool,
    /// Just sent through the form.
    pub sent: bool,
}

impl RequestPage {
    fn when(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        datetime(at)
    }
    fn money(&self, cents: &i64) -> String {
        Money::from_cents(*cents).format_nl()
    }
}

/// One of the organisation's requests; another's is "not found".
async fn own_request(
    state: &AppState,
    session: &ClientSession,
    id: i64,
) -> WebResult<client_request::Model> {
    match clients::request(&state.db, session.client.id, id).await {
        Ok(r) => Ok(r),
        Err(StoreError::NotFound) => Err(WebError::NotFound),
        Err(e) => Err(e.into()),
    }
}

pub async fn request(
    State(state): State<AppState>,
    ctx: PageCtx,
    session: ClientSession,
    Path(id): Path<i64>,
    axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> WebResult<RequestPage> {
    session.require(Scope::RequestsRead)?;
    let request = own_request(&state, &session, id).await?;
    let events = client_requests::events(&state.db, id).await?;
    let ready = clients::closed_survey(&state.db, &request).await?.is_some();
    let may = session.scopes.allows(Scope::ReportsRead);
    Ok(RequestPage {
        ctx,
        client: session.client,
        request,
        events,
        report: ready && may,
        report_needs_scope: ready && !may,
        sent: q.contains_key("verstuurd"),
    })
}

/// The client's report of the survey run for the request, as a whole page.
pub async fn report(
    State(state): State<AppState>,
    ctx: PageCtx,
    session: ClientSession,
    Path(id): Path<i64>,
) -> WebResult<Response> {
    session.require(Scope::ReportsRead)?;
    let request = own_request(&state, &session, id).await?;
    let survey = clients::closed_survey(&state.db, &request)
        .await?
        .ok_or(WebError::NotFound)?;
    let (_, html) =
        crate::service::results::report(&state.db, survey.id, ReportKind::Client, ctx.lang).await?;
    Ok(Html(html).into_response())
}
