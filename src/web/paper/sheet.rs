//! `/beheer/papier/{response}`: a manager types in a returned paper questionnaire on the
//! shared answering pages: who filled it in, all questions on one page (numbered as on
//! paper), the check page and "Ingevoerd". Answers are checked exactly as on the web.
//!
//! Two things differ from the member's own copy of the questionnaire: everything is on
//! one page, and no question is required, because a question left blank on paper can only
//! be entered as blank.

use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};

use crate::domain::questionnaire::flow::{Answers, Flow};
use crate::domain::questionnaire::{QuestionId, Questionnaire};
use crate::domain::response::{Mode, Proxy, ResponseStatus, SurveyStatus};
use crate::store::entities::{member, response, survey};
use crate::store::{StoreError, members, questionnaires, responses};
use crate::web::answer::pages::{Sheet, sheet_param};
use crate::web::ctx::{PageCtx, current_manager};
use crate::web::error::{WebError, WebResult};
use crate::web::pages::MessagePage;
use crate::web::state::AppState;

/// A paper response being typed in by a manager.
pub struct PaperSheet {
    response: response::Model,
    survey: survey::Model,
    /// `None` once the member has left the panel and their data is gone.
    member: Option<member::Model>,
    questionnaire: Questionnaire,
    flow: Flow,
    answers: Answers,
}

impl PaperSheet {
    /// Where a manager enters the next paper questionnaire of this survey.
    pub fn entry_page(&self) -> String {
        super::entry_path(self.survey.id)
    }

    fn member_label(&self, ctx: &PageCtx) -> String {
        match &self.member {
            Some(m) => ctx.tf2(
                "paper.entry.member",
                "name",
                m.name.as_deref().unwrap_or("–"),
                "id",
                m.id,
            ),
            None => ctx.t("paper.sheet.unknown_member").to_owned(),
        }
    }
}

fn not_sent(e: StoreError) -> WebError {
    match e {
        StoreError::Conflict => WebError::Conflict("paper.sheet.already_finished"),
        other => other.into(),
    }
}

impl Sheet for PaperSheet {
    fn base(&self) -> String {
        format!("/beheer/papier/{}", self.response.id)
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
    fn label(&self) -> Option<&'static str> {
        Some("paper.sheet.label")
    }
    fn pilot(&self) -> bool {
        false
    }
    fn proxy(&self) -> Option<Proxy> {
        self.response.proxy
    }
    /// The proxy question is answered as written on paper; the profile's supporter is
    /// not suggested.
    fn supporter(&self) -> Option<String> {
        None
    }
    fn numbered(&self) -> bool {
        true
    }
    fn notice(&self, ctx: &PageCtx) -> Option<String> {
        Some(ctx.tf1("paper.sheet.notice", "member", self.member_label(ctx)))
    }
    async fn save(&mut self, state: &AppState, changed: Vec<QuestionId>) -> WebResult<()> {
        responses::save_answers(
            &state.db,
            self.response.id,
            &self.answers,
            &changed,
            state.now(),
        )
        .await
        .map_err(not_sent)
    }
    async fn set_proxy(&mut self, state: &AppState, proxy: Proxy) -> WebResult<()> {
        responses::set_proxy(&state.db, self.response.id, proxy, state.now()).await?;
        self.response.proxy = Some(proxy);
        Ok(())
    }
    async fn finish(&mut self, state: &AppState) -> WebResult<()> {
        crate::service::compensation::finish_response(
            &state.db,
            self.response.id,
            &state.config.base_url,
            state.now(),
        )
        .await?;
        Ok(())
    }
    fn done_page(&self, ctx: PageCtx) -> Response {
        let mut page = MessagePage::keys(ctx, "paper.done.title", &[]);
        page.paragraphs =
            vec![
                page.ctx
                    .tf1("paper.done.text", "member", self.member_label(&page.ctx)),
            ];
        page.link = Some((self.entry_page(), page.ctx.t("paper.done.next").to_owned()));
        page.into_response()
    }
}

impl FromRequestParts<AppState> for PaperSheet {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        // Managers only: anyone else goes to the manager login.
        if current_manager(state, parts)
            .await
            .map_err(IntoResponse::into_response)?
            .is_none()
        {
            return Err(WebError::LoginRequired { manager: true }.into_response());
        }
        let (id, lang) = sheet_param(parts, state, "response").await?;
        let fail = |e: StoreError| WebError::from(e).into_response();
        let response = responses::response(&state.db, id).await.map_err(fail)?;
        // Answers given on the web or by phone are never typed over here.
        if response.mode != Mode::Paper {
            return Err(WebError::NotFound.into_response());
        }
        let survey = responses::survey(&state.db, response.survey_id)
            .await
            .map_err(fail)?;
        let member = members::by_pseudonym(&state.db, &response.respondent)
            .await
            .map_err(fail)?;
        let version = questionnaires::version(&state.db, response.version_id)
            .await
            .map_err(fail)?;
        let mut questionnaire = questionnaires::parsed(&version).map_err(fail)?;
        questionnaire.one_page = true;
        for q in &mut questionnaire.questions {
            q.required = false;
        }
        let answers = responses::answers(&state.db, response.id)
            .await
            .map_err(fail)?;
        let flow = Flow::new(&questionnaire, lang);
        let finished = response.status == ResponseStatus::Finished;
        let sheet = PaperSheet {
            response,
            survey,
            member,
            questionnaire,
            flow,
            answers,
        };
        if finished && !parts.uri.path().ends_with("/klaar") {
            return Err(Redirect::to(&format!("{}/klaar", sheet.base())).into_response());
        }
        if !finished && sheet.survey.status == SurveyStatus::Closed {
            let ctx = PageCtx::from_request_parts(parts, state)
                .await
                .map_err(IntoResponse::into_response)?;
            let page = MessagePage::keys(ctx, "paper.closed.title", &["paper.entry.closed"]);
            return Err((StatusCode::GONE, page).into_response());
        }
        Ok(sheet)
    }
}

/// `GET /beheer/papier/{response}`: the start of an entry is choosing the member, so the
/// "back" link of the first page leads there.
pub async fn start(sheet: PaperSheet) -> Redirect {
    Redirect::to(&sheet.entry_page())
}
