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
use serde::Deserialize;

use super::answer::{
    CheckRow, Control, QuestionView, check_rows, read_input, view, view_with_answer,
};
use super::cookies;
use super::ctx::{PageCtx, current_manager};
use super::error::{WebError, WebResult};
use super::form::CsrfForm;
use super::pages::MessagePage;
use super::state::AppState;
use super::view::FormErrors;
use crate::domain::questionnaire::Questionnaire;
use crate::domain::questionnaire::flow::{Answers, Flow};
use crate::store::entities::{pilot_session, questionnaire_version};
use crate::store::questionnaires;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/voorbeeld/{version}", get(intro))
        .route(
            "/voorbeeld/{version}/vraag/{question}",
            get(question_page).post(question_submit),
        )
        .route("/voorbeeld/{version}/alle", get(all_page).post(all_submit))
        .route(
            "/voorbeeld/{version}/controleren",
            get(check_page).post(finish),
        )
        .route("/voorbeeld/{version}/klaar", get(done))
}

fn cookie_name(version: i64) -> String {
    format!("kb_pilot_{version}")
}

/// A pilot session the browser already has for this version.
struct Pilot {
    session: pilot_session::Model,
    version: questionnaire_version::Model,
    questionnaire: Questionnaire,
    flow: Flow,
    answers: Answers,
}

impl Pilot {
    fn base(&self) -> String {
        format!("/voorbeeld/{}", self.version.id)
    }

    async fn save(&self, state: &AppState) -> WebResult<()> {
        let json =
            serde_json::to_string(&self.answers).map_err(|e| WebError::Internal(e.to_string()))?;
        questionnaires::save_pilot_answers(&state.db, self.session.id, &json).await?;
        Ok(())
    }
}

impl FromRequestParts<AppState> for Pilot {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let Path(params) = Path::<Vec<(String, String)>>::from_request_parts(parts, state)
            .await
            .map_err(|_| WebError::NotFound.into_response())?;
        let version_id: i64 = params
            .iter()
            .find(|(k, _)| k == "version")
            .and_then(|(_, v)| v.parse().ok())
            .ok_or_else(|| WebError::NotFound.into_response())?;
        let intro = Redirect::to(&format!("/voorbeeld/{version_id}")).into_response();
        let token = cookies::get(&parts.headers, &cookie_name(version_id)).ok_or(intro)?;
        let lang = parts
            .extensions
            .get::<crate::i18n::Lang>()
            .copied()
            .unwrap_or_default();
        let session = questionnaires::pilot_session(&state.db, version_id, &token, state.now())
            .await
            .map_err(|e| WebError::from(e).into_response())?
            .ok_or_else(|| Redirect::to(&format!("/voorbeeld/{version_id}")).into_response())?;
        let version = questionnaires::version(&state.db, version_id)
            .await
            .map_err(|e| WebError::from(e).into_response())?;
        let questionnaire =
            questionnaires::parsed(&version).map_err(|e| WebError::from(e).into_response())?;
        let answers: Answers = serde_json::from_str(&session.answers).unwrap_or_default();
        let flow = Flow::new(&questionnaire, lang);
        Ok(Pilot {
            session,
            version,
            questionnaire,
            flow,
            answers,
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
    headers: axum::http::HeaderMap,
    request: axum::extract::Request,
) -> WebResult<Response> {
    let now = state.now();
    let version = questionnaires::version(&state.db, version_id).await?;
    let (parts, _) = request.into_parts();
    let secure = state.config.secure_cookies();
    if let Some(token) = q.toegang {
        let Some(link) =
            questionnaires::pilot_link_by_token(&state.db, version_id, &token, now).await?
        else {
            return Ok((
                StatusCode::FORBIDDEN,
                MessagePage::keys(
                    ctx,
                    "pilot.link_invalid.title",
                    &["pilot.link_invalid.text"],
                ),
            )
                .into_response());
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
    let existing = match cookies::get(&headers, &cookie_name(version_id)) {
        Some(token) => questionnaires::pilot_session(&state.db, version_id, &token, now).await?,
        None => None,
    };
    let mut set_cookie = None;
    if existing.is_none() {
        match current_manager(&state, &parts).await? {
            Some(manager) => {
                let token = questionnaires::start_pilot_session(
                    &state.db,
                    version_id,
                    None,
                    Some(manager.id),
                    now,
                )
                .await?;
                set_cookie = Some(cookies::set(&cookie_name(version_id), &token, None, secure));
            }
            None => {
                return Ok((
                    StatusCode::FORBIDDEN,
                    MessagePage::keys(
                        ctx,
                        "pilot.link_invalid.title",
                        &["pilot.link_invalid.text"],
                    ),
                )
                    .into_response());
            }
        }
    }
    let questionnaire = questionnaires::parsed(&version)?;
    let start = if questionnaire.one_page {
        format!("/voorbeeld/{version_id}/alle")
    } else {
        let flow = Flow::new(&questionnaire, ctx.lang);
        let first = flow.first(&Answers::new()).ok_or(WebError::NotFound)?;
        format!("/voorbeeld/{version_id}/vraag/{}", first.id)
    };
    let page = IntroPage {
        ctx,
        q: questionnaire,
        start,
        pilot: true,
    };
    Ok(match set_cookie {
        Some(cookie) => ([(SET_COOKIE, cookie)], page).into_response(),
        None => page.into_response(),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "answer/page.html", config = "src/web/askama.toml")]
pub struct QuestionPage {
    pub ctx: PageCtx,
    pub title: String,
    pub progress: String,
    pub q: QuestionView,
    pub errors: FormErrors,
    pub action: String,
    pub back: String,
    pub pilot: bool,
    pub comment: String,
}

#[derive(Deserialize, Default)]
pub struct QuestionQuery {
    terug: Option<String>,
}

fn question_page_view(
    pilot: &Pilot,
    ctx: PageCtx,
    id: &str,
    q: QuestionView,
    back_to_check: bool,
) -> WebResult<QuestionPage> {
    let base = pilot.base();
    let progress = pilot
        .flow
        .progress(id, &pilot.answers, ctx.lang)
        .ok_or(WebError::NotFound)?;
    let back = if back_to_check {
        format!("{base}/controleren")
    } else {
        match pilot.flow.previous_before(id, &pilot.answers) {
            Some(prev) => format!("{base}/vraag/{}", prev.id),
            None => base.clone(),
        }
    };
    let suffix = if back_to_check {
        "?terug=controleren"
    } else {
        ""
    };
    let errors = match &q.error {
        Some(message) => {
            let mut errors = FormErrors::none(ctx.lang);
            errors.list.push(crate::web::view::FieldMsg {
                field: q.id.clone(),
                anchor: q.first_input(),
                message: message.clone(),
            });
            errors
        }
        None => FormErrors::none(ctx.lang),
    };
    Ok(QuestionPage {
        title: pilot.questionnaire.title.clone(),
        progress,
        action: format!("{base}/vraag/{id}{suffix}"),
        back,
        pilot: true,
        comment: String::new(),
        errors,
        ctx,
        q,
    })
}

async fn question_page(
    pilot: Pilot,
    ctx: PageCtx,
    Path((_, id)): Path<(i64, String)>,
    Query(query): Query<QuestionQuery>,
) -> WebResult<Response> {
    let Some(question) = pilot.flow.question(&id) else {
        return Err(WebError::NotFound);
    };
    if !pilot.flow.accepts(&id, &pilot.answers) {
        // Hidden by earlier answers: go on to where the member is.
        return Ok(Redirect::to(&format!("{}/controleren", pilot.base())).into_response());
    }
    let view = view_with_answer(question, &pilot.answers, ctx.lang);
    Ok(question_page_view(&pilot, ctx, &id, view, query.terug.is_some())?.into_response())
}

async fn question_submit(
    State(state): State<AppState>,
    mut pilot: Pilot,
    ctx: PageCtx,
    Path((_, id)): Path<(i64, String)>,
    Query(query): Query<QuestionQuery>,
    CsrfForm(form): CsrfForm,
) -> WebResult<Response> {
    let lang = ctx.lang;
    let input = read_input(&form, None);
    let comment = form.get("comment").trim().to_owned();
    if !comment.is_empty() {
        questionnaires::add_comment(
            &state.db,
            pilot.version.id,
            pilot.session.id,
            &id,
            &comment,
            state.now(),
        )
        .await?;
    }
    match pilot.flow.record(&id, &input, &mut pilot.answers) {
        Ok(_) => {
            pilot.save(&state).await?;
            let next = if query.terug.is_some() {
                None
            } else {
                pilot
                    .flow
                    .next_after(&id, &pilot.answers)
                    .map(|q| q.id.to_string())
            };
            let target = match next {
                Some(next) => format!("{}/vraag/{next}", pilot.base()),
                None => format!("{}/controleren", pilot.base()),
            };
            Ok(Redirect::to(&target).into_response())
        }
        Err(error) => {
            let Some(question) = pilot.flow.question(&id) else {
                return Err(WebError::NotFound);
            };
            if !pilot.flow.accepts(&id, &pilot.answers) {
                // A stale or forged form for a question that is not asked now.
                let page =
                    MessagePage::keys(ctx, "answering.stale.title", &["answering.stale.text"])
                        .with_link(
                            &format!("{}/controleren", pilot.base()),
                            "answering.stale.link",
                        );
                return Ok((StatusCode::CONFLICT, page).into_response());
            }
            let view = view(question, &input, Some(error.message(lang)), lang);
            let mut page = question_page_view(&pilot, ctx, &id, view, query.terug.is_some())?;
            page.comment = comment;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "answer/all.html", config = "src/web/askama.toml")]
pub struct AllPage {
    pub ctx: PageCtx,
    pub title: String,
    pub questions: Vec<QuestionView>,
    pub errors: FormErrors,
    pub action: String,
    pub back: String,
    pub pilot: bool,
}

async fn all_page(pilot: Pilot, ctx: PageCtx) -> WebResult<AllPage> {
    let questions = pilot
        .flow
        .questions()
        .iter()
        .map(|q| view_with_answer(q, &pilot.answers, ctx.lang).on_shared_page())
        .collect();
    Ok(AllPage {
        title: pilot.questionnaire.title.clone(),
        errors: FormErrors::none(ctx.lang),
        action: format!("{}/alle", pilot.base()),
        back: pilot.base(),
        pilot: true,
        ctx,
        questions,
    })
}

/// All questions at once: recorded in order, so routing sees earlier answers first;
/// answers to questions that end up hidden are not kept.
async fn all_submit(
    State(state): State<AppState>,
    mut pilot: Pilot,
    ctx: PageCtx,
    CsrfForm(form): CsrfForm,
) -> WebResult<Response> {
    let lang = ctx.lang;
    let mut views = Vec::new();
    let mut errors = FormErrors::none(lang);
    let questions: Vec<_> = pilot.flow.questions().to_vec();
    for question in &questions {
        let id = question.id.as_str();
        let input = read_input(&form, Some(id));
        if !pilot.flow.accepts(id, &pilot.answers) {
            views.push(view(question, &input, None, lang).on_shared_page());
            continue;
        }
        let error = pilot
            .flow
            .record(id, &input, &mut pilot.answers)
            .err()
            .map(|e| e.message(lang));
        let v = view(question, &input, error.clone(), lang).on_shared_page();
        if let Some(message) = error {
            errors.list.push(crate::web::view::FieldMsg {
                field: id.to_owned(),
                anchor: v.first_input(),
                message,
            });
        }
        views.push(v);
    }
    pilot.flow.prune(&mut pilot.answers);
    pilot.save(&state).await?;
    if errors.is_empty() {
        return Ok(Redirect::to(&format!("{}/controleren", pilot.base())).into_response());
    }
    let page = AllPage {
        title: pilot.questionnaire.title.clone(),
        action: format!("{}/alle", pilot.base()),
        back: pilot.base(),
        pilot: true,
        errors,
        ctx,
        questions: views,
    };
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "answer/check.html", config = "src/web/askama.toml")]
pub struct CheckPage {
    pub ctx: PageCtx,
    pub title: String,
    pub rows: Vec<CheckRow>,
    pub base: String,
    pub one_page: bool,
    pub errors: FormErrors,
    pub pilot: bool,
}

fn check_view(pilot: &Pilot, ctx: PageCtx, errors: FormErrors) -> CheckPage {
    CheckPage {
        title: pilot.questionnaire.title.clone(),
        rows: check_rows(&pilot.flow, &pilot.answers, ctx.lang),
        base: pilot.base(),
        one_page: pilot.questionnaire.one_page,
        pilot: true,
        errors,
        ctx,
    }
}

async fn check_page(pilot: Pilot, ctx: PageCtx) -> CheckPage {
    let errors = FormErrors::none(ctx.lang);
    check_view(&pilot, ctx, errors)
}

async fn finish(
    State(state): State<AppState>,
    pilot: Pilot,
    ctx: PageCtx,
    CsrfForm(_): CsrfForm,
) -> WebResult<Response> {
    if let Some(missing) = pilot.flow.first_unanswered_required(&pilot.answers) {
        let mut errors = FormErrors::none(ctx.lang);
        errors.list.push(crate::web::view::FieldMsg {
            field: missing.id.to_string(),
            anchor: format!("c-{}", missing.id),
            message: ctx.tf1("answering.check.missing", "question", &missing.text),
        });
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            check_view(&pilot, ctx, errors),
        )
            .into_response());
    }
    questionnaires::finish_pilot_session(&state.db, pilot.session.id, state.now()).await?;
    Ok(Redirect::to(&format!("{}/klaar", pilot.base())).into_response())
}

async fn done(pilot: Pilot, ctx: PageCtx) -> MessagePage {
    let _ = pilot.session.finished_at;
    MessagePage::keys(
        ctx,
        "pilot.done.title",
        &["pilot.done.text", "pilot.done.comments"],
    )
}
