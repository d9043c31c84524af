//! Answering as a member: the link from an invitation (valid for that invitation only)
//! or "Mijn vragenlijsten" after logging in. Answers are saved on every page, so the
//! member can stop and come back through the same link until the survey closes.
//! Questions tied to a background variable the member's profile holds are not asked:
//! their answers come from the profile and are stored with the response.

use std::sync::Arc;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::StatusCode;
use axum::http::header::SET_COOKIE;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use chrono::{DateTime, Utc};

use super::answer::pages::{Sheet, member_flow, quick_target, resume_target, routes, sheet_param};
use super::auth::MemberAuth;
use super::cookies;
use super::ctx::{PageCtx, current_member};
use super::error::{WebError, WebResult};
use super::pages::MessagePage;
use super::pilot::IntroPage;
use super::state::AppState;
use super::view::datetime;
use crate::domain::questionnaire::OptionValue;
use crate::domain::questionnaire::flow::{Answers, Flow};
use crate::domain::questionnaire::quick::quick_query;
use crate::domain::questionnaire::{QuestionId, Questionnaire};
use crate::domain::response::{Mode, Proxy, ResponseStatus, SurveyStatus};
use crate::store::entities::{invitation, member, response, survey};
use crate::store::{StoreError, members, responses};

mod results;

pub use results::member_results_page;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/uitnodiging/{token}", get(open_link))
        .route("/vragenlijst/{invitation}/resultaten", get(results::page))
        .route("/mijn-vragenlijsten", get(my_questionnaires))
        .route("/vragenlijst/{invitation}", get(intro))
        .route("/vragenlijst/{invitation}/snel", get(quick))
        .route(
            "/vragenlijst/{invitation}/weergave",
            get(display_form).post(display_submit),
        )
        .merge(routes::<MemberSheet>("/vragenlijst/{invitation}"))
}

fn cookie_name(invitation: i64) -> String {
    format!("kb_inv_{invitation}")
}

/// Why a survey cannot be answered now.
enum Closed {
    NotYet,
    Paused,
    Over,
}

fn closed(survey: &survey::Model, now: DateTime<Utc>) -> Option<Closed> {
    match survey.status {
        SurveyStatus::Closed => Some(Closed::Over),
        SurveyStatus::Paused => Some(Closed::Paused),
        SurveyStatus::Draft | SurveyStatus::Scheduled => Some(Closed::NotYet),
        SurveyStatus::Open if now >= survey.closes_at => Some(Closed::Over),
        SurveyStatus::Open if now < survey.opens_at => Some(Closed::NotYet),
        SurveyStatus::Open => None,
    }
}

fn closed_page(ctx: PageCtx, why: Closed) -> Response {
    let text = match why {
        Closed::NotYet => "respond.closed.not_yet",
        Closed::Paused => "respond.closed.paused",
        Closed::Over => "respond.closed.over",
    };
    (
        StatusCode::GONE,
        MessagePage::keys(
            ctx,
            "respond.closed.title",
            &[text, "respond.closed.thanks"],
        ),
    )
        .into_response()
}

fn unknown_link(ctx: PageCtx) -> Response {
    (
        StatusCode::NOT_FOUND,
        MessagePage::keys(
            ctx,
            "respond.unknown.title",
            &["respond.unknown.text", "respond.unknown.help"],
        ),
    )
        .into_response()
}

/// `GET /uitnodiging/{token}`: the link in the invitation. It only shows the start
/// page (mail scanners follow links); the browser keeps the token in a cookie for
/// this invitation, so the pages after it carry no token in their address.
async fn open_link(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
    Query(query): Query<QuickQuery>,
) -> WebResult<Response> {
    let Some(inv) = responses::invitation_by_token(&state.db, &token).await? else {
        return Ok(unknown_link(ctx));
    };
    responses::mark_opened(&state.db, inv.id, state.now()).await?;
    let cookie = cookies::set(
        &cookie_name(inv.id),
        &token,
        Some(90 * 24 * 3600),
        state.config.secure_cookies(),
    );
    // Only a well-formed option value goes into the address (it ends up in a header).
    let choice = query.keuze.filter(|v| OptionValue::parse(v).is_ok());
    let target = match choice {
        Some(value) => format!("/vragenlijst/{}/snel{}", inv.id, quick_query(&value)),
        None => format!("/vragenlijst/{}", inv.id),
    };
    Ok(([(SET_COOKIE, cookie)], Redirect::to(&target)).into_response())
}

/// The option a flash poll's quick link in the invitation chose.
#[derive(serde::Deserialize)]
struct QuickQuery {
    keuze: Option<String>,
}

/// `GET /vragenlijst/{invitation}/snel?keuze=…`: a quick link, after the link's cookie is
/// set. It leads to the question with that option chosen; nothing is stored on a GET.
/// A choice that does not apply (answered already, not an option) opens the start page.
async fn quick(sheet: MemberSheet, Query(query): Query<QuickQuery>) -> Redirect {
    let target = query
        .keuze
        .and_then(|value| quick_target(&sheet, &value))
        .unwrap_or_else(|| sheet.base());
    Redirect::to(&target)
}

/// The member whose invitation link this browser holds, on the answering pages of that
/// invitation (for their display preferences).
pub async fn invited_member(
    state: &AppState,
    parts: &Parts,
) -> Result<Option<member::Model>, WebError> {
    let Some(id) = parts
        .uri
        .path()
        .strip_prefix("/vragenlijst/")
        .and_then(|rest| rest.split('/').next())
        .and_then(|id| id.parse::<i64>().ok())
    else {
        return Ok(None);
    };
    // The answering pages read the sheet first and leave its member here.
    if let Some(LinkMember(m)) = parts.extensions.get::<LinkMember>() {
        return Ok(Some(m.clone()));
    }
    let Some(token) = cookies::get(&parts.headers, &cookie_name(id)) else {
        return Ok(None);
    };
    let Ok(invitation) = responses::invitation(&state.db, id).await else {
        return Ok(None);
    };
    if !responses::link_opens(&state.db, &invitation, &token).await? {
        return Ok(None);
    }
    Ok(members::get(&state.db, invitation.member_id).await.ok())
}

/// Whether this browser may open the invitation's pages: it holds the invitation's link
/// (or a reminder's), or the invited member is logged in.
async fn may_open(
    state: &AppState,
    parts: &Parts,
    invitation: &invitation::Model,
) -> Result<bool, WebError> {
    Ok(opened_by(state, parts, invitation).await?.is_some())
}

/// How this browser may open the invitation's pages: `Some(true)` through the link,
/// `Some(false)` as the logged-in member, `None` not at all.
async fn opened_by(
    state: &AppState,
    parts: &Parts,
    invitation: &invitation::Model,
) -> Result<Option<bool>, WebError> {
    if let Some(token) = cookies::get(&parts.headers, &cookie_name(invitation.id))
        && responses::link_opens(&state.db, invitation, &token).await?
    {
        return Ok(Some(true));
    }
    let member = current_member(state, parts).await?;
    Ok(member
        .is_some_and(|m| m.id == invitation.member_id)
        .then_some(false))
}

/// The member whose invitation link opened this request's sheet, kept in the request
/// so the page context need not look them up again.
#[derive(Clone)]
struct LinkMember(member::Model);

/// A member's answers to one survey, reached through their invitation.
pub struct MemberSheet {
    invitation: invitation::Model,
    survey: survey::Model,
    member: member::Model,
    response: Option<response::Model>,
    questionnaire: Arc<Questionnaire>,
    flow: Flow,
    answers: Answers,
    /// Answers settled from the profile (or pruned) when the sheet was read, not yet
    /// stored: written with the next save, the choice of who answers, or sending.
    pending: Vec<QuestionId>,
    /// The member sent their answers and the results are published.
    results_published: bool,
}

impl MemberSheet {
    async fn response_id(&mut self, state: &AppState) -> WebResult<i64> {
        if let Some(r) = &self.response {
            return Ok(r.id);
        }
        let r = responses::start_response(
            &state.db,
            &self.survey,
            &self.member.pseudonym,
            Mode::Web,
            None,
            state.now(),
        )
        .await?;
        let id = r.id;
        self.response = Some(r);
        Ok(id)
    }

    /// Store the answers settled from the profile, if any.
    async fn store_pending(&mut self, state: &AppState) -> WebResult<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        self.save(state, Vec::new()).await
    }

    fn finished(&self) -> bool {
        self.response
            .as_ref()
            .is_some_and(|r| r.status == ResponseStatus::Finished)
    }
}

fn already_sent(e: StoreError) -> WebError {
    match e {
        StoreError::Conflict => WebError::Conflict("respond.already_sent"),
        other => other.into(),
    }
}

impl Sheet for MemberSheet {
    fn base(&self) -> String {
        format!("/vragenlijst/{}", self.invitation.id)
    }
    fn questionnaire(&self) -> &Questionnaire {
        &self.questionnaire
    }
    fn flow(&self) -> &Flow {
        &self.flow
    }
    fn answers(&self) -> &Answers {
        &self.answers
    }
    fn answers_mut(&mut self) -> &mut Answers {
        &mut self.answers
    }
    fn pilot(&self) -> bool {
        false
    }
    fn proxy(&self) -> Option<Proxy> {
        self.response.as_ref().and_then(|r| r.proxy)
    }
    fn supporter(&self) -> Option<String> {
        self.member.supporter_name.clone()
    }
    async fn save(&mut self, state: &AppState, mut changed: Vec<QuestionId>) -> WebResult<()> {
        let id = self.response_id(state).await?;
        changed.append(&mut self.pending);
        responses::save_answers(&state.db, id, &self.answers, &changed, state.now())
            .await
            .map_err(already_sent)
    }
    async fn set_proxy(&mut self, state: &AppState, proxy: Proxy) -> WebResult<()> {
        let id = self.response_id(state).await?;
        responses::set_proxy(&state.db, id, proxy, state.now()).await?;
        self.store_pending(state).await
    }
    async fn finish(&mut self, state: &AppState) -> WebResult<()> {
        self.store_pending(state).await?;
        let id = self.response_id(state).await?;
        crate::service::compensation::finish_response(
            &state.db,
            id,
            &state.config.base_url,
            state.now(),
        )
        .await?;
        Ok(())
    }
    fn done_page(&self, ctx: PageCtx) -> Response {
        let mut page = MessagePage::keys(ctx, "respond.done.title", &[]);
        page.paragraphs = vec![
            page.ctx.t("respond.done.saved").to_owned(),
            page.ctx.tf1(
                "respond.done.use",
                "use",
                &self.questionnaire.use_of_results,
            ),
        ];
        if self.results_published {
            page.paragraphs
                .push(page.ctx.t("results.member.ready").to_owned());
            let href = format!("{}/resultaten", self.base());
            return page.with_link(&href, "results.member.link").into_response();
        }
        page.paragraphs.push(page.ctx.tf1(
            "respond.done.when",
            "date",
            datetime(&self.survey.closes_at),
        ));
        page.link = Some((
            "/mijn-vragenlijsten".to_owned(),
            page.ctx.t("respond.my.title").to_owned(),
        ));
        page.into_response()
    }
}

impl FromRequestParts<AppState> for MemberSheet {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let (id, lang) = sheet_param(parts, state, "invitation").await?;
        let fail = |e: StoreError| WebError::from(e).into_response();
        let invitation = responses::invitation(&state.db, id).await.map_err(fail)?;
        let Some(by_link) = opened_by(state, parts, &invitation)
            .await
            .map_err(IntoResponse::into_response)?
        else {
            return Err(WebError::LoginRequired { manager: false }.into_response());
        };
        let member = members::get(&state.db, invitation.member_id)
            .await
            .map_err(fail)?;
        if by_link {
            parts.extensions.insert(LinkMember(member.clone()));
        }
        let survey = responses::survey(&state.db, invitation.survey_id)
            .await
            .map_err(fail)?;
        let response = responses::response_for(&state.db, survey.id, &member.pseudonym)
            .await
            .map_err(fail)?;
        // The version answered is the one the response started with.
        let version_id = response
            .as_ref()
            .map_or(survey.version_id, |r| r.version_id);
        let questionnaire = state
            .published
            .get(&state.db, version_id)
            .await
            .map_err(fail)?;
        let mut answers = match &response {
            Some(r) => responses::answers(&state.db, r.id).await.map_err(fail)?,
            None => Answers::new(),
        };
        let flow = member_flow(state, &questionnaire, member.id, lang)
            .await
            .map_err(fail)?;
        let sent = response
            .as_ref()
            .is_some_and(|r| r.status == ResponseStatus::Finished);
        // A sent response stays exactly as it was sent.
        let pending = if sent {
            Vec::new()
        } else {
            flow.settle(&mut answers)
        };
        let results_published = sent
            && crate::service::results::is_published(&state.db, survey.id)
                .await
                .map_err(fail)?;
        let sheet = MemberSheet {
            results_published,
            invitation,
            survey,
            member,
            response,
            questionnaire,
            flow,
            answers,
            pending,
        };
        let path = parts.uri.path();
        // A returned paper questionnaire or a phone interview being typed in by staff
        // is not also filled in through the link.
        if !sheet.finished()
            && let Some(r) = &sheet.response
            && r.entered_by.is_some()
        {
            let ctx = PageCtx::bare(
                lang,
                crate::web::ctx::help_contact(state, Some(&sheet.survey.panel_id)).await,
            );
            let page = MessagePage::keys(ctx, "respond.by_staff.title", &["respond.by_staff.text"]);
            return Err((StatusCode::CONFLICT, page).into_response());
        }
        if sheet.finished() && !path.ends_with("/klaar") {
            return Err(Redirect::to(&format!("{}/klaar", sheet.base())).into_response());
        }
        if !sheet.finished()
            && let Some(why) = closed(&sheet.survey, state.now())
        {
            let ctx = PageCtx::bare(
                lang,
                crate::web::ctx::help_contact(state, Some(&sheet.survey.panel_id)).await,
            );
            return Err(closed_page(ctx, why));
        }
        if !sheet.finished()
            && crate::service::fieldwork::quota_full(&state.db, &sheet.survey, &sheet.member)
                .await
                .map_err(fail)?
        {
            let ctx = PageCtx::bare(
                lang,
                crate::web::ctx::help_contact(state, Some(&sheet.survey.panel_id)).await,
            );
            let page = MessagePage::keys(
                ctx,
                "respond.quota_full.title",
                &["respond.quota_full.text", "respond.quota_full.kept"],
            );
            return Err(page.into_response());
        }
        Ok(sheet)
    }
}

/// `GET /vragenlijst/{invitation}`: what the questionnaire is about, then start or
/// continue where the member was.
async fn intro(sheet: MemberSheet, ctx: PageCtx) -> IntroPage {
    IntroPage {
        start: resume_target(&sheet),
        resume: sheet
            .answers
            .keys()
            .any(|id| !sheet.flow.from_profile(id.as_str()))
            || sheet.proxy().is_some(),
        pilot: false,
        q: Arc::unwrap_or_clone(sheet.questionnaire),
        ctx,
    }
}

/// One row of "Mijn vragenlijsten".
pub struct MyRow {
    pub invitation_id: i64,
    pub title: String,
    pub closes_at: String,
    pub state: &'static str,
    pub open: bool,
    /// Sent, and the results are published.
    pub results: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "member/my_questionnaires.html", config = "src/web/askama.toml")]
pub struct MyPage {
    pub ctx: PageCtx,
    pub rows: Vec<MyRow>,
}

async fn my_questionnaires(
    State(state): State<AppState>,
    ctx: PageCtx,
    MemberAuth(m): MemberAuth,
) -> WebResult<MyPage> {
    let now = state.now();
    let mut rows = Vec::new();
    for (inv, survey) in responses::member_invitations(&state.db, m.id).await? {
        let response = responses::response_for(&state.db, survey.id, &m.pseudonym).await?;
        let finished = response
            .as_ref()
            .is_some_and(|r| r.status == ResponseStatus::Finished);
        let (state_key, open) = match (finished, closed(&survey, now), response.is_some()) {
            (true, _, _) => ("respond.my.sent", false),
            (false, Some(_), _) => ("respond.my.closed", false),
            (false, None, true) => ("respond.my.started", true),
            (false, None, false) => ("respond.my.new", true),
        };
        let results =
            finished && crate::service::results::is_published(&state.db, survey.id).await?;
        rows.push(MyRow {
            results,
            invitation_id: inv.id,
            title: survey.title,
            closes_at: datetime(&survey.closes_at),
            state: ctx.t(state_key),
            open,
        });
    }
    Ok(MyPage { ctx, rows })
}

#[derive(Template, WebTemplate)]
#[template(path = "member/display.html", config = "src/web/askama.toml")]
pub struct DisplayPage {
    pub ctx: PageCtx,
    pub action: String,
    pub back: String,
}

/// `GET /vragenlijst/{invitation}/weergave`: larger text, high contrast, calm layout,
/// stored in the member's profile, reachable from every answering page.
async fn display_form(sheet: MemberSheet, ctx: PageCtx) -> DisplayPage {
    let base = sheet.base();
    DisplayPage {
        ctx,
        action: format!("{base}/weergave"),
        back: base,
    }
}

async fn display_submit(
    State(state): State<AppState>,
    sheet: MemberSheet,
    super::form::CsrfForm(form): super::form::CsrfForm,
) -> WebResult<Redirect> {
    let prefs = crate::domain::member::DisplayPreferences {
        large_text: form.checked("large_text"),
        high_contrast: form.checked("high_contrast"),
        calm_layout: form.checked("calm_layout"),
    };
    members::set_preferences(&state.db, sheet.member.id, prefs).await?;
    Ok(Redirect::to(&sheet.base()))
}
