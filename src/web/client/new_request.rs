//! `/opdrachtgever/aanvragen/nieuw`: an organisation asks the panel to run a survey —
//! the request form (topic, purpose, what the results are for, the target group on the
//! panel's background questions, completes, timing, budget, contact person), checked as
//! the API checks it; a form with problems comes back with each at its field and
//! nothing stored. Needs a key that may send requests.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::ClientSession;
use crate::domain::client_access::Scope;
use crate::domain::client_request::RequestForm;
use crate::domain::fieldwork::ZONE;
use crate::domain::panel::PanelDefinition;
use crate::service::clients;
use crate::store::panels;
use crate::web::ctx::PageCtx;
use crate::web::error::WebResult;
use crate::web::form::{CsrfForm, FormData};
use crate::web::state::AppState;
use crate::web::view::FormErrors;

#[derive(Template, WebTemplate)]
#[template(path = "client/new_request.html", config = "src/web/askama.toml")]
pub struct NewRequestPage {
    pub ctx: PageCtx,
    pub panel: PanelDefinition,
    pub errors: FormErrors,
    pub form: RequestForm,
}

impl NewRequestPage {
    fn title(&self) -> String {
        self.errors
            .title(&self.ctx.lang, self.ctx.t("portal.new.title"))
    }
    /// The checkbox value of a category: `variable:category`.
    fn target_value(&self, variable: &str, category: &str) -> String {
        format!("{variable}:{category}")
    }
    fn targeted(&self, variable: &str, category: &str) -> bool {
        self.form
            .target
            .iter()
            .any(|(v, c)| v == variable && c == category)
    }
}

fn read_form(form: &FormData, client_name: &str) -> RequestForm {
    RequestForm {
        client: client_name.to_owned(),
        contact_name: form.get("contact_name").to_owned(),
        contact_email: form.get("contact_email").to_owned(),
        topic: form.get("topic").to_owned(),
        purpose: form.get("purpose").to_owned(),
        use_of_results: form.get("use_of_results").to_owned(),
        target: form
            .get_all("target")
            .into_iter()
            .map(|t| match t.split_once(':') {
                Some((v, c)) => (v.to_owned(), c.to_owned()),
                None => (t.to_owned(), String::new()),
            })
            .collect(),
        completes: form.get("completes").to_owned(),
        start_on: form.get("start_on").to_owned(),
        end_on: form.get("end_on").to_owned(),
        budget: form.get("budget").to_owned(),
    }
}

pub async fn form(
    State(state): State<AppState>,
    ctx: PageCtx,
    session: ClientSession,
) -> WebResult<NewRequestPage> {
    session.require(Scope::RequestsWrite)?;
    let panel = panels::get(&state.db, &session.client.panel_id).await?;
    Ok(NewRequestPage {
        errors: FormErrors::none(ctx.lang),
        ctx,
        panel,
        form: RequestForm::default(),
    })
}

pub async fn submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    session: ClientSession,
    CsrfForm(data): CsrfForm,
) -> WebResult<Response> {
    session.require(Scope::RequestsWrite)?;
    let form = read_form(&data, &session.client.name);
    let now = state.now();
    let today = now.with_timezone(&ZONE).date_naive();
    match clients::submit(&state.db, &session.client, form.clone(), today, now).await? {
        Ok(saved) => {
            let to = format!("/opdrachtgever/aanvragen/{}?verstuurd=1", saved.id);
            Ok(Redirect::to(&to).into_response())
        }
        Err(problems) => {
            let panel = panels::get(&state.db, &session.client.panel_id).await?;
            let page = NewRequestPage {
                errors: FormErrors::new(ctx.lang, &problems),
                ctx,
                panel,
                form,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}
