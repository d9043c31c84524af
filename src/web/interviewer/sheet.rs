//! `/bellen/interview/{response}`: the phone interview on the shared answering pages, in
//! script mode — each question with what to read aloud and the interviewer's
//! instructions — with the same validation and routing as on the web. The response has
//! mode phone and names the interviewer; sending it records the call as complete.

use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};

use super::first_name;
use crate::domain::questionnaire::flow::{Answers, Flow};
use crate::domain::questionnaire::{QuestionId, Questionnaire};
use crate::domain::response::{Mode, Proxy, ResponseStatus, SurveyStatus};
use crate::store::audit::{self, Action, Actor};
use crate::store::entities::{member, response, survey};
use crate::store::{StoreError, members, questionnaires, responses};
use crate::web::answer::pages::{Sheet, member_flow, sheet_param};
use crate::web::ctx::{PageCtx, current_staff};
use crate::web::error::{WebError, WebResult};
use crate::web::pages::MessagePage;
use crate::web::state::AppState;

/// A phone interview being held by an interviewer.
pub struct PhoneSheet {
    response: response::Model,
    survey: survey::Model,
    member: member::Model,
    invitation_id: i64,
    interviewer_id: i64,
    questionnaire: Questionnaire,
    flow: Flow,
    answers: Answers,
    /// Answers settled from the profile, stored with the next save.
    pending: Vec<QuestionId>,
}

impl PhoneSheet {
    fn queue(&self) -> String {
        format!("/bellen/enquetes/{}", self.survey.id)
    }
}

fn already_sent(e: StoreError) -> WebError {
    match e {
        StoreError::Conflict => WebError::Conflict("respond.already_sent"),
        other => other.into(),
    }
}

impl Sheet for PhoneSheet {
    fn base(&self) -> String {
        format!("/bellen/interview/{}", self.response.id)
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
    fn label(&self) -> Option<&'static str> {
        Some("phone.sheet.label")
    }
    fn script(&self) -> bool {
        true
    }
    fn proxy(&self) -> Option<Proxy> {
        self.response.proxy
    }
    fn supporter(&self) -> Option<String> {
        self.member.supporter_name.clone()
    }
    fn notice(&self, ctx: &PageCtx) -> Option<String> {
        Some(ctx.tf1(
            "phone.sheet.notice",
            "name",
            first_name(self.member.name.as_deref()),
        ))
    }
    async fn save(&mut self, state: &AppState, mut changed: Vec<QuestionId>) -> WebResult<()> {
        changed.append(&mut self.pending);
        responses::save_answers(
            &state.db,
            self.response.id,
            &self.answers,
            &changed,
            state.now(),
        )
        .await
        .map_err(already_sent)
    }
    async fn set_proxy(&mut self, state: &AppState, proxy: Proxy) -> WebResult<()> {
        responses::set_proxy(&state.db, self.response.id, proxy, state.now()).await?;
        self.response.proxy = Some(proxy);
        if !self.pending.is_empty() {
            self.save(state, Vec::new()).await?;
        }
        Ok(())
    }
    async fn finish(&mut self, state: &AppState) -> WebResult<()> {
        if !self.pending.is_empty() {
            self.save(state, Vec::new()).await?;
        }
        crate::service::compensation::finish_response(
            &state.db,
            self.response.id,
            &state.config.base_url,
            state.now(),
        )
        .await?;
        crate::service::phone::interview_sent(
            &state.db,
            self.invitation_id,
            self.interviewer_id,
            state.now(),
        )
        .await
        .map_err(|e| match e {
            crate::service::phone::PhoneError::Store(e) => WebError::Store(e),
            other => WebError::Internal(other.to_string()),
        })
    }
    fn done_page(&self, ctx: PageCtx) -> Response {
        let mut page = MessagePage::keys(ctx, "phone.sheet.done_title", &[]);
        page.paragraphs = vec![page.ctx.tf1(
            "phone.sheet.done_text",
            "name",
            first_name(self.member.name.as_deref()),
        )];
        page.link = Some((self.queue(), page.ctx.t("phone.entry.back").to_owned()));
        page.into_response()
    }
}

impl FromRequestParts<AppState> for PhoneSheet {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let fail = |e: StoreError| WebError::from(e).into_response();
        let interviewer = match current_staff(state, parts)
            .await
            .map_err(IntoResponse::into_response)?
        {
            Some(m) if m.role == crate::store::managers::ManagerRole::Interviewer => m,
            Some(_) => return Err(WebError::Forbidden.into_response()),
            None => return Err(WebError::LoginRequired { manager: true }.into_response()),
        };
        let (id, lang) = sheet_param(parts, state, "response").await?;
        let response = responses::response(&state.db, id).await.map_err(fail)?;
        if response.mode != Mode::Phone {
            return Err(WebError::NotFound.into_response());
        }
        let survey = responses::survey(&state.db, response.survey_id)
            .await
            .map_err(fail)?;
        // Only the interviewer who holds the interview; anyone else is refused and logged.
        if response.entered_by != Some(interviewer.id) {
            audit::record(
                &state.db,
                &Actor::manager(interviewer.id, &interviewer.name),
                Action::RefusedAccess,
                None,
                Some(&survey.panel_id),
                &format!("phone interview {} of survey {}", response.id, survey.id),
                state.now(),
            )
            .await
            .map_err(fail)?;
            return Err(WebError::Forbidden.into_response());
        }
        let member = members::by_pseudonym(&state.db, &response.respondent)
            .await
            .map_err(fail)?
            .ok_or_else(|| WebError::NotFound.into_response())?;
        let invitation = responses::invitation_for(&state.db, survey.id, member.id)
            .await
            .map_err(fail)?
            .ok_or_else(|| WebError::NotFound.into_response())?;
        let version = questionnaires::version(&state.db, response.version_id)
            .await
            .map_err(fail)?;
        let questionnaire = questionnaires::parsed(&version).map_err(fail)?;
        let mut answers = responses::answers(&state.db, response.id)
            .await
            .map_err(fail)?;
        let flow = member_flow(state, &questionnaire, member.id, lang)
            .await
            .map_err(fail)?;
        let finished = response.status == ResponseStatus::Finished;
        let pending = if finished {
            Vec::new()
        } else {
            flow.settle(&mut answers)
        };
        let sheet = PhoneSheet {
            invitation_id: invitation.id,
            interviewer_id: interviewer.id,
            response,
            survey,
            member,
            questionnaire,
            flow,
            answers,
            pending,
        };
        if finished && !parts.uri.path().ends_with("/klaar") {
            return Err(Redirect::to(&format!("{}/klaar", sheet.base())).into_response());
        }
        if !finished && sheet.survey.status == SurveyStatus::Closed {
            let ctx = PageCtx::from_request_parts(parts, state)
                .await
                .map_err(IntoResponse::into_response)?;
            let page = MessagePage::keys(ctx, "respond.closed.title", &["respond.closed.over"]);
            return Err((StatusCode::GONE, page).into_response());
        }
        Ok(sheet)
    }
}

/// `GET /bellen/interview/{response}`: on to who answers, then the questions.
pub async fn start(sheet: PhoneSheet) -> Redirect {
    Redirect::to(&format!("{}/wie", sheet.base()))
}
