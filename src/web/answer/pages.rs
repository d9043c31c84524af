//! The answering pages, the same for every way in (pilot preview, invitation link,
//! logged-in member): who answers, one question per page or all on one page, the check
//! page and the end. What differs — where answers are kept, what the end says — is the
//! [`Sheet`] the page works on.

use std::collections::HashMap;
use std::future::Future;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;

use super::{
    CheckRow, Control, QuestionView, ScriptView, check_rows, profile_rows, read_input, view,
    view_with_answer,
};
use crate::domain::questionnaire::flow::{Answers, Flow};
use crate::domain::questionnaire::quick::quick_query;
use crate::domain::questionnaire::{AnswerInput, QuestionId, Questionnaire};
use crate::domain::response::Proxy;
use crate::web::ctx::PageCtx;
use crate::web::error::{WebError, WebResult};
use crate::web::form::CsrfForm;
use crate::web::pages::MessagePage;
use crate::web::state::AppState;
use crate::web::view::{Choice, FieldMsg, FormErrors};

/// One person's answers to one questionnaire, wherever they are kept.
pub trait Sheet: Sized + Send + Sync + 'static {
    /// The path the pages live under (`/voorbeeld/12`, `/vragenlijst/34`).
    fn base(&self) -> String;
    fn questionnaire(&self) -> &Questionnaire;
    fn flow(&self) -> &Flow;
    fn answers(&self) -> &Answers;
    fn answers_mut(&mut self) -> &mut Answers;
    /// A pilot: answers do not count, testers may comment.
    fn pilot(&self) -> bool;
    fn proxy(&self) -> Option<Proxy>;
    /// The supporter named in the member's profile, if any.
    fn supporter(&self) -> Option<String>;
    /// Keep the answers; `changed` lists the questions whose answer changed or went.
    fn save(
        &mut self,
        state: &AppState,
        changed: Vec<QuestionId>,
    ) -> impl Future<Output = WebResult<()>> + Send;
    fn set_proxy(
        &mut self,
        state: &AppState,
        proxy: Proxy,
    ) -> impl Future<Output = WebResult<()>> + Send;
    fn finish(&mut self, state: &AppState) -> impl Future<Output = WebResult<()>> + Send;
    /// Number every question as on paper (1, 2, 3 … over all questions, shown or not),
    /// so whoever types in a paper questionnaire finds each one.
    fn numbered(&self) -> bool {
        false
    }
    /// The i18n key of a word put before the questionnaire's title in page titles, so
    /// a pilot or a paper entry is never mistaken for a member's own answers.
    fn label(&self) -> Option<&'static str> {
        None
    }
    /// Show each question's phone script (what to read aloud, instructions): the
    /// interviewer's view of a phone interview.
    fn script(&self) -> bool {
        false
    }
    /// A line above every page saying whose answers these are (for someone typing them
    /// in for a member).
    fn notice(&self, _ctx: &PageCtx) -> Option<String> {
        None
    }
    /// A tester's remark at a question (pilots only).
    fn comment(
        &self,
        _state: &AppState,
        _question: &str,
        _text: &str,
    ) -> impl Future<Output = WebResult<()>> + Send {
        async { Ok(()) }
    }
    /// The page after sending.
    fn done_page(&self, ctx: PageCtx) -> Response;
}

/// The questionnaire's title, after the sheet's label if it has one.
pub fn heading<S: Sheet>(sheet: &S, ctx: &PageCtx) -> String {
    match sheet.label() {
        Some(key) => format!("{}: {}", ctx.t(key), sheet.questionnaire().title),
        None => sheet.questionnaire().title.clone(),
    }
}

/// The numeric path parameter `name` of a sheet's address (`/vragenlijst/{invitation}`),
/// with the visitor's language; a missing or malformed one is "not found".
pub async fn sheet_param(
    parts: &mut axum::http::request::Parts,
    state: &AppState,
    name: &str,
) -> Result<(i64, crate::i18n::Lang), Response> {
    let Path(params) = Path::<Vec<(String, String)>>::from_request_parts(parts, state)
        .await
        .map_err(|_| WebError::NotFound.into_response())?;
    let id = params
        .iter()
        .find(|(k, _)| k == name)
        .and_then(|(_, v)| v.parse().ok())
        .ok_or_else(|| WebError::NotFound.into_response())?;
    let lang = parts
        .extensions
        .get::<crate::i18n::Lang>()
        .copied()
        .unwrap_or_default();
    Ok((id, lang))
}

/// The routing of `questionnaire` for one member: questions tied to a background
/// variable their profile holds are answered from the profile.
pub async fn member_flow(
    state: &AppState,
    questionnaire: &Questionnaire,
    member_id: i64,
    lang: crate::i18n::Lang,
) -> Result<Flow, crate::store::StoreError> {
    let flow = Flow::new(questionnaire, lang);
    if !flow.uses_profile() {
        return Ok(flow);
    }
    let background = crate::store::members::background(&state.db, member_id).await?;
    Ok(flow.with_profile(&background))
}

/// The answering routes under `prefix` (which holds the sheet's own path parameter).
pub fn routes<S>(prefix: &str) -> Router<AppState>
where
    S: Sheet + FromRequestParts<AppState, Rejection = Response>,
{
    Router::new()
        .route(
            &format!("{prefix}/wie"),
            get(proxy_page::<S>).post(proxy_submit::<S>),
        )
        .route(
            &format!("{prefix}/vraag/{{question}}"),
            get(question_page::<S>).post(question_submit::<S>),
        )
        .route(
            &format!("{prefix}/alle"),
            get(all_page::<S>).post(all_submit::<S>),
        )
        .route(
            &format!("{prefix}/controleren"),
            get(check_page::<S>).post(finish::<S>),
        )
        .route(&format!("{prefix}/klaar"), get(done::<S>))
}

/// Where "start" or "continue" leads: who answers first, then the first question
/// without an answer, or the check page when all are answered.
pub fn resume_target(sheet: &impl Sheet) -> String {
    let base = sheet.base();
    if sheet.proxy().is_none() {
        return format!("{base}/wie");
    }
    if sheet.questionnaire().one_page {
        return format!("{base}/alle");
    }
    let answers = sheet.answers();
    let next = sheet
        .flow()
        .asked(answers)
        .into_iter()
        .find(|q| !answers.contains_key(q.id.as_str()));
    match next {
        Some(q) => format!("{base}/vraag/{}", q.id),
        None => format!("{base}/controleren"),
    }
}

fn first_page(sheet: &impl Sheet) -> String {
    let base = sheet.base();
    if sheet.questionnaire().one_page {
        return format!("{base}/alle");
    }
    match sheet.flow().first(sheet.answers()) {
        Some(q) => format!("{base}/vraag/{}", q.id),
        None => format!("{base}/controleren"),
    }
}

/// Where a flash poll's quick link leads: "who answers" first when that was not asked
/// yet (carrying the choice), else the first page with the option chosen. `None` when
/// the choice does not apply: not an option of the quick question, or it was answered.
pub fn quick_target(sheet: &impl Sheet, value: &str) -> Option<String> {
    if sheet.proxy().is_none() {
        quick_applies(sheet, value)?;
        return Some(format!("{}/wie{}", sheet.base(), quick_query(value)));
    }
    quick_first_page(sheet, value)
}

/// The first page with the quick link's option chosen, when the choice applies.
fn quick_first_page(sheet: &impl Sheet, value: &str) -> Option<String> {
    quick_applies(sheet, value)?;
    Some(format!("{}{}", first_page(sheet), quick_query(value)))
}

fn quick_applies(sheet: &impl Sheet, value: &str) -> Option<()> {
    let (question, _) = sheet.questionnaire().quick_choice(value)?;
    (!sheet.answers().contains_key(question.id.as_str())).then_some(())
}

/// The input a quick link chose for question `id` with the sentence that says so, while
/// the question has no stored answer.
fn quick_input(
    sheet: &impl Sheet,
    ctx: &PageCtx,
    id: &str,
    value: Option<&str>,
) -> Option<(AnswerInput, String)> {
    let (question, option) = sheet.questionnaire().quick_choice(value?)?;
    if question.id.as_str() != id || sheet.answers().contains_key(id) {
        return None;
    }
    let said = ctx.tf1("answering.quick_chosen", "answer", &option.label);
    Some((AnswerInput::one(option.value.as_str()), said))
}

#[derive(Template, WebTemplate)]
#[template(path = "answer/proxy.html", config = "src/web/askama.toml")]
pub struct ProxyPage {
    pub ctx: PageCtx,
    pub title: String,
    pub base: String,
    pub pilot: bool,
    pub options: Vec<Choice>,
    pub selected: String,
    pub supporter: Option<String>,
    pub errors: FormErrors,
    pub notice: Option<String>,
    /// A quick link's choice, carried to the first question.
    pub keuze: Option<String>,
}

fn proxy_view<S: Sheet>(sheet: &S, ctx: PageCtx, errors: FormErrors) -> ProxyPage {
    ProxyPage {
        title: heading(sheet, &ctx),
        base: sheet.base(),
        pilot: sheet.pilot(),
        options: Proxy::ALL
            .iter()
            .map(|p| Choice::new(p.code(), ctx.t(p.i18n_key())))
            .collect(),
        selected: sheet
            .proxy()
            .map(|p| p.code().to_owned())
            .unwrap_or_default(),
        supporter: sheet.supporter(),
        errors,
        notice: sheet.notice(&ctx),
        keuze: None,
        ctx,
    }
}

async fn proxy_page<S: Sheet>(sheet: S, ctx: PageCtx, Query(query): Query<PageQuery>) -> ProxyPage {
    let errors = FormErrors::none(ctx.lang);
    let mut page = proxy_view(&sheet, ctx, errors);
    page.keuze = query
        .keuze
        .filter(|v| sheet.questionnaire().quick_choice(v).is_some());
    page
}

async fn proxy_submit<S: Sheet>(
    State(state): State<AppState>,
    mut sheet: S,
    ctx: PageCtx,
    CsrfForm(form): CsrfForm,
) -> WebResult<Response> {
    let Some(proxy) = Proxy::from_code(form.get("proxy")) else {
        let errors = FormErrors::single(ctx.lang, "proxy", "answering.proxy.choose");
        let mut page = proxy_view(&sheet, ctx, errors);
        let keuze = form.get("keuze");
        page.keuze = sheet
            .questionnaire()
            .quick_choice(keuze)
            .map(|_| keuze.to_owned());
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    sheet.set_proxy(&state, proxy).await?;
    let target = quick_first_page(&sheet, form.get("keuze")).unwrap_or_else(|| first_page(&sheet));
    Ok(Redirect::to(&target).into_response())
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
    pub notice: Option<String>,
    /// For pilot testers: members whose profile holds this answer are not asked.
    pub profile_note: Option<String>,
}

/// The query of a question page: `terug` returns to the check page after saving;
/// `keuze` is the option a flash poll's quick link chose (shown chosen, not stored).
#[derive(Deserialize, Default)]
pub struct PageQuery {
    terug: Option<String>,
    keuze: Option<String>,
}

fn question_id(params: &HashMap<String, String>) -> WebResult<String> {
    params.get("question").cloned().ok_or(WebError::NotFound)
}

fn errors_for(ctx: &PageCtx, q: &QuestionView) -> FormErrors {
    let mut errors = FormErrors::none(ctx.lang);
    if let Some(message) = &q.error {
        errors.list.push(FieldMsg {
            field: q.id.clone(),
            anchor: q.first_input(),
            message: message.clone(),
        });
    }
    errors
}

fn question_view<S: Sheet>(
    sheet: &S,
    ctx: PageCtx,
    id: &str,
    mut q: QuestionView,
    back_to_check: bool,
) -> WebResult<QuestionPage> {
    if sheet.script() {
        q.script = sheet
            .flow()
            .question(id)
            .map(|qq| ScriptView::of(qq, ctx.lang));
    }
    let base = sheet.base();
    let progress = sheet
        .flow()
        .progress(id, sheet.answers(), ctx.lang)
        .ok_or(WebError::NotFound)?;
    let back = if back_to_check {
        format!("{base}/controleren")
    } else {
        match sheet.flow().previous_before(id, sheet.answers()) {
            Some(prev) => format!("{base}/vraag/{}", prev.id),
            None => format!("{base}/wie"),
        }
    };
    let suffix = if back_to_check {
        "?terug=controleren"
    } else {
        ""
    };
    let tied = sheet
        .flow()
        .question(id)
        .and_then(|q| q.kind.profile())
        .is_some();
    Ok(QuestionPage {
        profile_note: (sheet.pilot() && tied).then(|| ctx.t("pilot.profile_note").to_owned()),
        title: heading(sheet, &ctx),
        progress,
        action: format!("{base}/vraag/{id}{suffix}"),
        back,
        pilot: sheet.pilot(),
        comment: String::new(),
        errors: errors_for(&ctx, &q),
        notice: sheet.notice(&ctx),
        ctx,
        q,
    })
}

/// The kind page for a question that is not asked with the answers given so far.
fn stale<S: Sheet>(sheet: &S, ctx: PageCtx) -> Response {
    let page = MessagePage::keys(ctx, "answering.stale.title", &["answering.stale.text"])
        .with_link(
            &format!("{}/controleren", sheet.base()),
            "answering.stale.link",
        );
    (StatusCode::CONFLICT, page).into_response()
}

async fn question_page<S: Sheet>(
    sheet: S,
    ctx: PageCtx,
    Path(params): Path<HashMap<String, String>>,
    Query(query): Query<PageQuery>,
) -> WebResult<Response> {
    let id = question_id(&params)?;
    let question = sheet.flow().question(&id).ok_or(WebError::NotFound)?;
    if !sheet.flow().accepts(&id, sheet.answers()) {
        return Ok(Redirect::to(&format!("{}/controleren", sheet.base())).into_response());
    }
    let quick = quick_input(&sheet, &ctx, &id, query.keuze.as_deref());
    let view = match &quick {
        Some((input, _)) => view(question, input, None, ctx.lang),
        None => view_with_answer(question, sheet.answers(), ctx.lang),
    };
    let mut page = question_view(&sheet, ctx, &id, view, query.terug.is_some())?;
    if let Some((_, said)) = quick {
        page.notice = Some(said);
    }
    Ok(page.into_response())
}

async fn question_submit<S: Sheet>(
    State(state): State<AppState>,
    mut sheet: S,
    ctx: PageCtx,
    Path(params): Path<HashMap<String, String>>,
    Query(query): Query<PageQuery>,
    CsrfForm(form): CsrfForm,
) -> WebResult<Response> {
    let id = question_id(&params)?;
    let lang = ctx.lang;
    let input = read_input(&form, None);
    let comment = form.get("comment").trim().to_owned();
    if sheet.pilot() && !comment.is_empty() {
        sheet.comment(&state, &id, &comment).await?;
    }
    let flow = sheet.flow().clone();
    let before = sheet.answers().clone();
    match flow.record(&id, &input, sheet.answers_mut()) {
        Ok(mut pruned) => {
            if before.get(id.as_str()) != sheet.answers().get(id.as_str()) {
                pruned.push(QuestionId::parse(&id).map_err(|_| WebError::NotFound)?);
            }
            sheet.save(&state, pruned).await?;
            let next = if query.terug.is_some() {
                None
            } else {
                flow.next_after(&id, sheet.answers())
                    .map(|q| q.id.to_string())
            };
            let target = match next {
                Some(next) => format!("{}/vraag/{next}", sheet.base()),
                None => format!("{}/controleren", sheet.base()),
            };
            Ok(Redirect::to(&target).into_response())
        }
        Err(error) => {
            let question = flow.question(&id).ok_or(WebError::NotFound)?;
            if !flow.accepts(&id, sheet.answers()) {
                return Ok(stale(&sheet, ctx));
            }
            let view = view(question, &input, Some(error.message(lang)), lang);
            let mut page = question_view(&sheet, ctx, &id, view, query.terug.is_some())?;
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
    pub notice: Option<String>,
}

/// The views of all questions for the page with all of them (except those answered from
/// the member's profile), numbered when the sheet asks for it.
fn all_views<S: Sheet>(
    sheet: &S,
    mut view_of: impl FnMut(&crate::domain::questionnaire::Question) -> QuestionView,
) -> Vec<QuestionView> {
    sheet
        .flow()
        .questions()
        .iter()
        .enumerate()
        .filter(|(_, q)| !sheet.flow().from_profile(q.id.as_str()))
        .map(|(i, q)| {
            let mut v = view_of(q).on_shared_page();
            if sheet.script() {
                v.script = Some(ScriptView::of(q, sheet.questionnaire().language));
            }
            if sheet.numbered() {
                v.number = Some(i + 1);
            }
            v
        })
        .collect()
}

async fn all_page<S: Sheet>(sheet: S, ctx: PageCtx, Query(query): Query<PageQuery>) -> AllPage {
    let mut said = None;
    let questions = all_views(&sheet, |q| {
        match quick_input(&sheet, &ctx, q.id.as_str(), query.keuze.as_deref()) {
            Some((input, sentence)) => {
                said = Some(sentence);
                view(q, &input, None, ctx.lang)
            }
            None => view_with_answer(q, sheet.answers(), ctx.lang),
        }
    });
    AllPage {
        title: heading(&sheet, &ctx),
        errors: FormErrors::none(ctx.lang),
        action: format!("{}/alle", sheet.base()),
        back: format!("{}/wie", sheet.base()),
        pilot: sheet.pilot(),
        notice: said.or_else(|| sheet.notice(&ctx)),
        ctx,
        questions,
    }
}

/// All questions at once: recorded in order, so routing sees earlier answers first;
/// answers to questions that end up hidden are not kept.
async fn all_submit<S: Sheet>(
    State(state): State<AppState>,
    mut sheet: S,
    ctx: PageCtx,
    CsrfForm(form): CsrfForm,
) -> WebResult<Response> {
    let lang = ctx.lang;
    let flow = sheet.flow().clone();
    let before = sheet.answers().clone();
    let mut messages = HashMap::new();
    for question in flow.questions() {
        let id = question.id.as_str();
        if !flow.accepts(id, sheet.answers()) {
            continue;
        }
        let input = read_input(&form, Some(id));
        if let Err(e) = flow.record(id, &input, sheet.answers_mut()) {
            messages.insert(id.to_owned(), e.message(lang));
        }
    }
    flow.settle(sheet.answers_mut());
    let views = all_views(&sheet, |q| {
        let id = q.id.as_str();
        view(
            q,
            &read_input(&form, Some(id)),
            messages.get(id).cloned(),
            lang,
        )
    });
    let mut errors = FormErrors::none(lang);
    for v in views.iter().filter(|v| v.error.is_some()) {
        errors.list.push(FieldMsg {
            field: v.id.clone(),
            anchor: v.first_input(),
            message: v.error.clone().unwrap_or_default(),
        });
    }
    let changed: Vec<QuestionId> = flow
        .questions()
        .iter()
        .map(|q| q.id.clone())
        .filter(|id| before.get(id.as_str()) != sheet.answers().get(id.as_str()))
        .collect();
    sheet.save(&state, changed).await?;
    if errors.is_empty() {
        return Ok(Redirect::to(&format!("{}/controleren", sheet.base())).into_response());
    }
    let page = AllPage {
        title: heading(&sheet, &ctx),
        action: format!("{}/alle", sheet.base()),
        back: format!("{}/wie", sheet.base()),
        pilot: sheet.pilot(),
        notice: sheet.notice(&ctx),
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
    /// Answers taken from the member's profile: shown, without a change link.
    pub profile_rows: Vec<CheckRow>,
    pub base: String,
    pub one_page: bool,
    pub errors: FormErrors,
    pub pilot: bool,
    pub proxy: Option<String>,
    pub notice: Option<String>,
}

fn check_view<S: Sheet>(sheet: &S, ctx: PageCtx, errors: FormErrors) -> CheckPage {
    let mut rows = check_rows(sheet.flow(), sheet.answers(), ctx.lang);
    if sheet.numbered() {
        let questions = sheet.flow().questions();
        for row in &mut rows {
            if let Some(i) = questions.iter().position(|q| q.id.as_str() == row.id) {
                row.number = i + 1;
            }
        }
    }
    CheckPage {
        title: heading(sheet, &ctx),
        rows,
        profile_rows: profile_rows(sheet.flow(), sheet.answers(), ctx.lang),
        base: sheet.base(),
        one_page: sheet.questionnaire().one_page,
        pilot: sheet.pilot(),
        proxy: sheet.proxy().map(|p| ctx.t(p.i18n_key()).to_owned()),
        notice: sheet.notice(&ctx),
        errors,
        ctx,
    }
}

async fn check_page<S: Sheet>(sheet: S, ctx: PageCtx) -> CheckPage {
    let errors = FormErrors::none(ctx.lang);
    check_view(&sheet, ctx, errors)
}

async fn finish<S: Sheet>(
    State(state): State<AppState>,
    mut sheet: S,
    ctx: PageCtx,
    CsrfForm(_): CsrfForm,
) -> WebResult<Response> {
    if let Some(missing) = sheet.flow().first_unanswered_required(sheet.answers()) {
        let mut errors = FormErrors::none(ctx.lang);
        errors.list.push(FieldMsg {
            field: missing.id.to_string(),
            anchor: format!("c-{}", missing.id),
            message: ctx.tf1("answering.check.missing", "question", &missing.text),
        });
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            check_view(&sheet, ctx, errors),
        )
            .into_response());
    }
    sheet.finish(&state).await?;
    Ok(Redirect::to(&format!("{}/klaar", sheet.base())).into_response())
}

async fn done<S: Sheet>(sheet: S, ctx: PageCtx) -> Response {
    sheet.done_page(ctx)
}
