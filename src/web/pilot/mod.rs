//! `/voorbeeld/{version}`: a questionnaire exactly as members will see it, for the
//! manager and for outsiders with a pilot link. Pilot answers are kept apart (in the
//! pilot session) and never counted; a tester can leave a comment at each question.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::StatusCode;
use axum::http::header::SET_COOKIE;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::{Deserialize, Serialize};

use super::answer::pages::{Sheet, resume_target, routes, sheet_param};
use super::cookies;
use super::ctx::{PageCtx, current_manager};
use super::error::{WebError, WebResult};
use super::pages::MessagePage;
use super::state::AppState;
use crate::domain::questionnaire::flow::{Answers, Flow};
use crate::domain::questionnaire::{QuestionId, Questionnaire};
use crate::domain::response::Proxy;
use crate::store::entities::{pilot_session, questionnaire_version};
use crate::store::questionnaires;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/voorbeeld/{version}", get(intro))
        .merge(routes::<Pilot>("/voorbeeld/{version}"))
}

fn cookie_name(version: i64) -> String {
    format!("kb_pilot_{version}")
}

/// What a pilot session keeps: who answers and the answers.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct PilotState {
    #[serde(default)]
    proxy: Option<Proxy>,
    #[serde(default)]
    answers: Answers,
}

/// A pilot session the browser already has for this version.
pub struct Pilot {
    session: pilot_session::Model,
    version: questionnaire_version::Model,
    questionnaire: Questionnaire,
    flow: Flow,
    state: PilotState,
}

impl Pilot {
    async fn store(&self, state: &AppState) -> WebResult<()> {
        let json =
            serde_json::to_string(&self.state).map_err(|e| WebError::Internal(e.to_string()))?;
        questionnaires::save_pilot_answers(&state.db, self.session.id, &json).await?;
        Ok(())
    }
}

impl Sheet for Pilot {
    fn base(&self) -> String {
        format!("/voorbeeld/{}", self.version.id)
    }
    fn questionnaire(&self) -> &Questionnaire {
        &self.questionnaire
    }
    fn flow(&self) -> &Flow {
        &self.flow
    }
    fn answers(&self) -> &Answers {
        &self.state.answers
    }
    fn answers_mut(&mut self) -> &mut Answers {
        &mut self.state.answers
    }
    fn label(&self) -> Option<&'static str> {
        Some("pilot.label")
    }
    fn pilot(&self) -> bool {
        true
    }
    fn proxy(&self) -> Option<Proxy> {
        self.state.proxy
    }
    fn supporter(&self) -> Option<String> {
        None
    }
    async fn save(&mut self, state: &AppState, _changed: Vec<QuestionId>) -> WebResult<()> {
        self.store(state).await
    }
    async fn set_proxy(&mut self, state: &AppState, proxy: Proxy) -> WebResult<()> {
        self.state.proxy = Some(proxy);
        self.store(state).await
    }
    async fn finish(&mut self, state: &AppState) -> WebResult<()> {
        questionnaires::finish_pilot_session(&state.db, self.session.id, state.now()).await?;
        Ok(())
    }
    async fn comment(&self, state: &AppState, question: &str, text: &str) -> WebResult<()> {
        questionnaires::add_comment(
            &state.db,
            self.version.id,
            self.session.id,
            question,
            text,
            state.now(),
        )
        .await?;
        Ok(())
    }
    fn done_page(&self, ctx: PageCtx) -> Response {
        MessagePage::keys(
            ctx,
            "pilot.done.title",
            &["pilot.done.text", "pilot.done.comments"],
        )
        .into_response()
    }
}

impl FromRequestParts<AppState> for Pilot {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let (version_id, lang) = sheet_param(parts, state, "version").await?;
        let intro = || Redirect::to(&format!("/voorbeeld/{version_id}")).into_response();
        let token = cookies::get(&parts.headers, &cookie_name(version_id)).ok_or_else(intro)?;
        let fail = |e: crate::store::StoreError| WebError::from(e).into_response();
        let session = questionnaires::pilot_session(&state.db, version_id, &token, state.now())
            .await
            .map_err(fail)?
            .ok_or_else(intro)?;
        let version = questionnaires::version(&state.db, version_id)
            .await
            .map_err(fail)?;
        let questionnaire = questionnaires::parsed(&version).map_err(fail)?;
        let pilot_state: PilotState = serde_json::from_str(&session.answers).unwrap_or_default();
        let flow = Flow::new(&questionnaire, lang);
        Ok(Pilot {
            session,
            version,
            questionnaire,
            flow,
            state: pilot_state,
        })
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "answer/intro.html", config = "src/web/askama.toml")]
pub struct IntroPage {
    pub ctx: PageCtx,
    pub q: Questionnaire,
    pub start: String,
    pub pilot: bool,
    /// Answers were given before: the link says "continue".
    pub resume: bool,
}

#[derive(Deserialize)]
pub struct IntroQuery {
    toegang: Option<String>,
}

/// The entry: a pilot link (`?toegang=`) or a logged-in manager starts a pilot session.
async fn intro(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(version_id): Path<i64>,
    Query(q): Query<IntroQuery>,
    request: axum::extract::Request,
) -> WebResult<Response> {
    let now = state.now();
    let version = questionnaires::version(&state.db, version_id).await?;
    let (parts, _) = request.into_parts();
    let secure = state.config.secure_cookies();
    let closed = || {
        (
            StatusCode::FORBIDDEN,
            MessagePage::keys(
                ctx.clone(),
                "pilot.link_invalid.title",
                &["pilot.link_invalid.text"],
            ),
        )
            .into_response()
    };
    if let Some(token) = q.toegang {
        let Some(link) =
            questionnaires::pilot_link_by_token(&state.db, version_id, &token, now).await?
        else {
            return Ok(closed());
        };
        let session =
            questionnaires::start_pilot_session(&state.db, version_id, Some(link.id), None, now)
                .await?;
        let cookie = cookies::set(
            &cookie_name(version_id),
            &session,
            Some(30 * 24 * 3600),
            secure,
        );
        // Drop the token from the address bar.
        return Ok((
            [(SET_COOKIE, cookie)],
            Redirect::to(&format!("/voorbeeld/{version_id}")),
        )
            .into_response());
    }
    let existing = match cookies::get(&parts.headers, &cookie_name(version_id)) {
        Some(token) => questionnaires::pilot_session(&state.db, version_id, &token, now).await?,
        None => None,
    };
    let questionnaire = questionnaires::parsed(&version)?;
    let (start, resume, set_cookie) = match existing {
        Some(session) => {
            let pilot_state: PilotState =
                serde_json::from_str(&session.answers).unwrap_or_default();
            let resume = !pilot_state.answers.is_empty();
            let sheet = Pilot {
                flow: Flow::new(&questionnaire, ctx.lang),
                questionnaire: questionnaire.clone(),
                version,
                session,
                state: pilot_state,
            };
            (resume_target(&sheet), resume, None)
        }
        None => match current_manager(&state, &parts).await? {
            Some(manager) => {
                let token = questionnaires::start_pilot_session(
                    &state.db,
                    version_id,
                    None,
                    Some(manager.id),
                    now,
                )
                .await?;
                (
                    format!("/voorbeeld/{version_id}/wie"),
                    false,
                    Some(cookies::set(&cookie_name(version_id), &token, None, secure)),
                )
            }
            None => return Ok(closed()),
        },
    };
    let page = IntroPage {
        ctx,
        q: questionnaire,
        start,
        pilot: true,
        resume,
    };
    Ok(match set_cookie {
        Some(cookie) => ([(SET_COOKIE, cookie)], page).into_response(),
        None => page.into_response(),
    })
}
