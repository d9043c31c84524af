//! `/beheer/panels/{panel}/opdrachten`: requests from outside organisations and the
//! organisations themselves; `/beheer/opdrachten/{id}`: one request with its history and
//! the one next step its state allows — take into review, accept (the mission checklist
//! and a quote) or decline (with the reason), start the fieldwork on a survey of the
//! panel, finish. A refused step shows the form again with why; nothing changes then.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use crate::domain::client_request::{
    MissionChecklist, RequestActor, Transition, eligibility_from_json, one_line, organisation_name,
};
use crate::domain::compensation::Money;
use crate::domain::panel::PanelDefinition;
use crate::domain::signup::FieldError;
use crate::service::client_requests::{manager_actor, transition};
use crate::store::entities::{
    client, client_contact, client_request, client_request_event, survey,
};
use crate::store::{self, StoreError, client_requests as store_requests, panels, responses};
use crate::web::auth::ManagerAuth;
use crate::web::ctx::PageCtx;
use crate::web::error::WebResult;
use crate::web::form::{CsrfForm, FormData};
use crate::web::state::AppState;
use crate::web::view::{FormErrors, datetime};

pub struct RequestRow {
    pub request: client_request::Model,
    pub client: client::Model,
}

#[derive(Template, WebTemplate)]
#[template(path = "manager/client_requests.html", config = "src/web/askama.toml")]
pub struct RequestsPage {
    pub ctx: PageCtx,
    pub panel: PanelDefinition,
    pub rows: Vec<RequestRow>,
    pub clients: Vec<client::Model>,
    pub errors: FormErrors,
    pub new_client: String,
}

impl RequestsPage {
    fn heading(&self) -> String {
        self.ctx
            .tf1("requests.manager.title", "panel", &self.panel.name)
    }
    fn page_title(&self) -> String {
        self.errors.title(&self.ctx.lang, &self.heading())
    }
    fn when(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        datetime(at)
    }
}

async fn render_list(
    state: &AppState,
    ctx: PageCtx,
    panel_id: &str,
    errors: FormErrors,
    new_client: String,
) -> WebResult<RequestsPage> {
    let panel = panels::get(&state.db, panel_id).await?;
    let rows = store_requests::list(&state.db, panel_id)
        .await?
        .into_iter()
        .map(|(request, client)| RequestRow { request, client })
        .collect();
    let clients = store_requests::clients(&state.db, panel_id).await?;
    Ok(RequestsPage {
        ctx,
        panel,
        rows,
        clients,
        errors,
        new_client,
    })
}

pub async fn list(
    State(state): State<AppState>,
    ctx: PageCtx,
    _auth: ManagerAuth,
    Path(panel_id): Path<String>,
) -> WebResult<RequestsPage> {
    let errors = FormErrors::none(ctx.lang);
    render_list(&state, ctx, &panel_id, errors, String::new()).await
}

/// Add an organisation (before its first request: to give it an API key).
pub async fn new_client(
    State(state): State<AppState>,
    ctx: PageCtx,
    _auth: ManagerAuth,
    Path(panel_id): Path<String>,
    CsrfForm(form): CsrfForm,
) -> WebResult<Response> {
    panels::get(&state.db, &panel_id).await?;
    let name = match organisation_name(form.get("name")) {
        Ok(name) => name,
        Err(key) => {
            let errors = FormErrors::single(ctx.lang, "name", key);
            let typed = one_line(form.get("name"));
            let page = render_list(&state, ctx, &panel_id, errors, typed).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let _turn = store::write_turn(&state.db).await;
    let made = store_requests::client_named(&state.db, &panel_id, &name, state.now()).await?;
    Ok(Redirect::to(&format!("/beheer/opdrachtgevers/{}", made.id)).into_response())
}

/// What the decision forms hold as typed.
#[derive(Default)]
pub struct StepInput {
    pub fits_mission: bool,
    pub no_harm: bool,
    pub results_shared: bool,
    pub quote: String,
    pub reason: String,
    pub survey: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "manager/client_request.html", config = "src/web/askama.toml")]
pub struct RequestPage {
    pub ctx: PageCtx,
    pub request: client_request::Model,
    pub client: client::Model,
    pub contact: client_contact::Model,
    pub panel: PanelDefinition,
    /// Target group as "question: answer, answer".
    pub target: Vec<(String, String)>,
    pub events: Vec<client_request_event::Model>,
    pub surveys: Vec<survey::Model>,
    pub errors: FormErrors,
    pub input: StepInput,
    pub saved: bool,
}

impl RequestPage {
    fn heading(&self) -> String {
        self.ctx.tf1(
            "requests.manager.request_title",
            "topic",
            &self.request.topic,
        )
    }
    fn page_title(&self) -> String {
        let base = if self.saved {
            format!(
                "{} – {}",
                self.heading(),
                self.ctx.t("requests.manager.saved")
            )
        } else {
            self.heading()
        };
        self.errors.title(&self.ctx.lang, &base)
    }
    fn when(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        datetime(at)
    }
    fn money(&self, cents: &i64) -> String {
        Money::from_cents(*cents).format_nl()
    }
    fn can(&self, to: &str) -> bool {
        self.request.state.next().iter().any(|s| s.code() == to)
    }
    fn actor(&self, code: &str) -> String {
        match RequestActor::parse(code) {
            Some(RequestActor::Manager(id)) => {
                self.ctx.tf1("requests.manager.by_manager", "id", id)
            }
            Some(RequestActor::Client(_)) => self.ctx.t("requests.manager.by_client").to_owned(),
            None => code.to_owned(),
        }
    }
    fn survey_selected(&self, id: &i64) -> bool {
        self.input.survey == id.to_string()
    }
}

async fn render_request(
    state: &AppState,
    ctx: PageCtx,
    id: i64,
    errors: FormErrors,
    input: StepInput,
    saved: bool,
) -> WebResult<RequestPage> {
    let request = store_requests::get(&state.db, id).await?;
    let (client, contact) = store_requests::client_of(&state.db, &request).await?;
    let panel = panels::get(&state.db, &client.panel_id).await?;
    let target = eligibility_from_json(&request.eligibility)
        .unwrap_or_default()
        .iter()
        .map(|(var, cats)| {
            let v = panel.variable(var.as_str());
            let question = v.map_or_else(|| var.to_string(), |v| v.question.clone());
            let answers = cats
                .iter()
                .map(|c| {
                    v.and_then(|v| v.categories.iter().find(|k| &k.value == c))
                        .map_or_else(|| c.to_string(), |k| k.label.clone())
                })
                .collect::<Vec<_>>()
                .join(", ");
            (question, answers)
        })
        .collect();
    let events = store_requests::events(&state.db, id).await?;
    let surveys = responses::surveys(&state.db, &client.panel_id).await?;
    Ok(RequestPage {
        ctx,
        request,
        client,
        contact,
        panel,
        target,
        events,
        surveys,
        errors,
        input,
        saved,
    })
}

pub async fn detail(
    State(state): State<AppState>,
    ctx: PageCtx,
    _auth: ManagerAuth,
    Path(id): Path<i64>,
    axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> WebResult<RequestPage> {
    let errors = FormErrors::none(ctx.lang);
    let saved = q.contains_key("opgeslagen");
    render_request(&state, ctx, id, errors, StepInput::default(), saved).await
}

fn checklist(form: &FormData) -> MissionChecklist {
    MissionChecklist {
        fits_mission: form.checked("fits_mission"),
        no_harm: form.checked("no_harm"),
        results_shared: form.checked("results_shared"),
    }
}

/// The step the form asks for, or the field's problem.
fn parse_step(form: &FormData) -> Result<Transition, FieldError> {
    match form.get("stap") {
        "beoordelen" => Ok(Transition::StartReview),
        "accepteren" => {
            let quote =
                Money::parse(form.get("quote")).map_err(|e| FieldError::new("quote", e.key()))?;
            Ok(Transition::Accept {
                checklist: checklist(form),
                quote_cents: quote.cents(),
            })
        }
        "afwijzen" => Ok(Transition::Decline {
            checklist: checklist(form),
            reason: form.get("reason").to_owned(),
        }),
        "veldwerk" => form
            .get("survey")
            .parse()
            .map(|survey_id| Transition::StartFieldwork { survey_id })
            .map_err(|_| FieldError::new("survey", "requests.error.survey")),
        "afronden" => Ok(Transition::Finish),
        _ => Err(FieldError::new("state", "requests.error.step")),
    }
}

pub async fn step(
    State(state): State<AppState>,
    ctx: PageCtx,
    auth: ManagerAuth,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm,
) -> WebResult<Response> {
    let problems = match parse_step(&form) {
        Ok(t) => {
            match transition(&state.db, id, &t, &manager_actor(auth.0.id), state.now()).await {
                Ok(Ok(_)) => {
                    let to = format!("/beheer/opdrachten/{id}?opgeslagen=1");
                    return Ok(Redirect::to(&to).into_response());
                }
                Ok(Err(problems)) => problems,
                Err(StoreError::Conflict) => {
                    vec![FieldError::new("state", "requests.error.changed")]
                }
                Err(e) => return Err(e.into()),
            }
        }
        Err(problem) => vec![problem],
    };
    let input = StepInput {
        fits_mission: form.checked("fits_mission"),
        no_harm: form.checked("no_harm"),
        results_shared: form.checked("results_shared"),
        quote: form.get("quote").to_owned(),
        reason: form.get("reason").to_owned(),
        survey: form.get("survey").to_owned(),
    };
    let errors = FormErrors::new(ctx.lang, &problems);
    let page = render_request(&state, ctx, id, errors, input, false).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}
