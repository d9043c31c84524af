//! `GET /beheer/vragenlijsten/versies/{id}/telefoonscript`: the phone script of a
//! questionnaire version on paper, for interviewers who work from paper: how to open the
//! call, who answers, then every question numbered with its routing in words, what to
//! read aloud, the options with boxes to tick and the instructions, and how to close.
//! Managers and interviewers may print it.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;

use super::print::{PrintAnswer, PrintQuestion, print_question};
use crate::domain::questionnaire::Questionnaire;
use crate::domain::questionnaire::flow::Flow;
use crate::domain::response::Proxy;
use crate::i18n::{self, Lang};
use crate::store::managers::ManagerRole;
use crate::web::answer::ScriptView;
use crate::web::ctx::{PageCtx, current_staff};
use crate::web::error::{WebError, WebResult};
use crate::web::state::AppState;

/// Who prints the script: a manager, or an interviewer working from paper.
pub enum Staff {
    Manager,
    Interviewer,
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        match current_staff(state, parts).await? {
            Some(m) if m.role == ManagerRole::Interviewer => Ok(Staff::Interviewer),
            Some(_) => Ok(Staff::Manager),
            None => Err(WebError::LoginRequired { manager: true }),
        }
    }
}

pub struct ScriptQuestion {
    pub print: PrintQuestion,
    pub script: ScriptView,
}

#[derive(Template, WebTemplate)]
#[template(path = "paper/phone_script.html", config = "src/web/askama.toml")]
pub struct PhoneScriptPage {
    pub ctx: PageCtx,
    pub lang: Lang,
    pub back: String,
    pub q: Questionnaire,
    pub questions: Vec<ScriptQuestion>,
    pub proxy: Vec<String>,
    pub organisation: String,
}

impl PhoneScriptPage {
    fn t(&self, key: &str) -> &'static str {
        i18n::t(self.lang, key)
    }

    fn t1(&self, key: &str, name: &str, value: impl std::fmt::Display) -> String {
        i18n::tf(self.lang, key, &[(name, &value)])
    }
}

pub async fn page(
    State(state): State<AppState>,
    ctx: PageCtx,
    staff: Staff,
    Path(id): Path<i64>,
) -> WebResult<PhoneScriptPage> {
    let (version, panel, q) = super::print::printable(&state, id).await?;
    // Read aloud in the questionnaire's language, whatever the interviewer reads.
    let lang = q.language;
    let flow = Flow::new(&q, lang);
    let all = flow.questions();
    let questions = all
        .iter()
        .enumerate()
        .map(|(i, question)| ScriptQuestion {
            print: print_question(question, i + 1, all, lang),
            script: ScriptView::of(question, lang),
        })
        .collect();
    let back = match staff {
        Staff::Manager => format!("/beheer/vragenlijsten/versies/{}", version.id),
        Staff::Interviewer => "/bellen".to_owned(),
    };
    Ok(PhoneScriptPage {
        ctx,
        lang,
        back,
        questions,
        proxy: Proxy::ALL
            .iter()
            .map(|p| i18n::t(lang, p.i18n_key()).to_owned())
            .collect(),
        organisation: panel.organisation,
        q,
    })
}
