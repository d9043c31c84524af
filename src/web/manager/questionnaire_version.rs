//! One questionnaire version under review: its questions with the findings and pilot
//! comments next to each, accepting findings, publishing, editing into a new version,
//! and pilot links for outsiders.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::domain::panel::PanelDefinition;
use crate::domain::questionnaire::{Question, QuestionType, Questionnaire, Severity};
use crate::schema_check::Finding;
use crate::service::questionnaires::{
    self as review, EditRefusal, PublishRefusal, Review, ReviewItem,
};
use crate::store::entities::{pilot_comment, pilot_link, questionnaire, questionnaire_version};
use crate::store::{panels, questionnaires};
use crate::web::auth::ManagerAuth;
use crate::web::ctx::PageCtx;
use crate::web::error::{WebError, WebResult};
use crate::web::form::CsrfForm;
use crate::web::state::AppState;
use crate::web::view::{FieldMsg, FormErrors, datetime, opt_datetime};

/// A question with what the review found about it.
pub struct QuestionView<'a> {
    pub number: usize,
    pub question: &'a Question,
    pub findings: Vec<&'a ReviewItem>,
    pub comments: Vec<&'a pilot_comment::Model>,
}

#[derive(Template, WebTemplate)]
#[template(
    path = "manager/questionnaire_version.html",
    config = "src/web/askama.toml"
)]
pub struct VersionPage {
    pub ctx: PageCtx,
    pub panel: PanelDefinition,
    pub q: questionnaire::Model,
    pub v: questionnaire_version::Model,
    pub parsed: Questionnaire,
    pub review: Review,
    pub versions: Vec<questionnaire_version::Model>,
    pub links: Vec<pilot_link::Model>,
    pub comments: Vec<pilot_comment::Model>,
    pub pilots: (u64, u64),
    pub errors: FormErrors,
    pub problems: Vec<Finding>,
    pub json: String,
    pub notice: Option<String>,
    pub new_link: Option<String>,
}

impl VersionPage {
    fn questions(&self) -> Vec<QuestionView<'_>> {
        self.parsed
            .questions
            .iter()
            .enumerate()
            .map(|(i, question)| QuestionView {
                number: i + 1,
                question,
                findings: self.review.for_question(i),
                comments: self
                    .comments
                    .iter()
                    .filter(|c| c.question_id == question.id.as_str())
                    .collect(),
            })
            .collect()
    }
    fn general_comments(&self) -> Vec<&pilot_comment::Model> {
        self.comments
            .iter()
            .filter(|c| {
                !self
                    .parsed
                    .questions
                    .iter()
                    .any(|q| q.id.as_str() == c.question_id)
            })
            .collect()
    }
    fn severity(&self, item: &ReviewItem) -> &'static str {
        match item.severity {
            Severity::Problem => self.ctx.t("b1.severity.problem"),
            Severity::Warning => self.ctx.t("b1.severity.warning"),
        }
    }
    fn type_name(&self, q: &Question) -> &'static str {
        self.ctx.t(&format!("questionnaire.type.{}", q.kind.code()))
    }
    fn options(&self, q: &Question) -> Vec<String> {
        match &q.kind {
            QuestionType::SingleChoice { options, .. }
            | QuestionType::MultipleChoice { options, .. } => {
                options.iter().map(|o| o.label.clone()).collect()
            }
            QuestionType::Scale { labels, .. } => labels.clone(),
            QuestionType::Grade { min, max } => vec![format!("{min} – {max}")],
            QuestionType::Number { min, max, unit } => vec![format!(
                "{} – {} {}",
                min.map(|m| m.to_string()).unwrap_or_default(),
                max.map(|m| m.to_string()).unwrap_or_default(),
                unit.clone().unwrap_or_default()
            )],
            QuestionType::OpenText { .. } => Vec::new(),
        }
    }
    fn when(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        datetime(at)
    }
    fn when_opt(&self, at: &Option<chrono::DateTime<chrono::Utc>>) -> String {
        opt_datetime(at)
    }
    fn score(&self) -> String {
        match &self.review.readability {
            Some(r) => {
                let band = self.ctx.t(r.band.message_key());
                let mut text = self.ctx.tf2(
                    "b1.score",
                    "score",
                    format!("{:.1}", r.flesch_douma).replace('.', ","),
                    "band",
                    band,
                );
                text.push(' ');
                text.push_str(self.ctx.t(if r.b1_or_easier {
                    "b1.score_b1"
                } else {
                    "b1.score_harder"
                }));
                text
            }
            None => self.ctx.tf1(
                "b1.score_too_short",
                "min",
                crate::domain::plain_language::MIN_WORDS_FOR_SCORE,
            ),
        }
    }
    fn kind_name(&self) -> &'static str {
        self.ctx.t(&format!("questionnaire.kind.{}", self.v.kind))
    }
    fn is_published(&self) -> bool {
        self.v.published_at.is_some()
    }
    fn is_problem(&self, f: &Finding) -> bool {
        f.severity == Severity::Problem
    }
}

#[derive(Deserialize, Default)]
pub struct VersionQuery {
    melding: Option<String>,
}

async fn load(state: &AppState, ctx: PageCtx, id: i64) -> WebResult<VersionPage> {
    let v = questionnaires::version(&state.db, id).await?;
    let q = questionnaires::questionnaire(&state.db, v.questionnaire_id).await?;
    let panel = panels::get(&state.db, &q.panel_id).await?;
    let parsed = review::parsed(&v)?;
    let accepted = questionnaires::acceptances(&state.db, v.id).await?;
    let review = review::review(&v, &accepted, ctx.lang);
    Ok(VersionPage {
        versions: questionnaires::versions(&state.db, q.id).await?,
        links: questionnaires::pilot_links(&state.db, v.id).await?,
        comments: questionnaires::comments(&state.db, v.id).await?,
        pilots: questionnaires::pilot_counts(&state.db, v.id).await?,
        json: pretty(&v.definition),
        errors: FormErrors::none(ctx.lang),
        problems: Vec::new(),
        notice: None,
        new_link: None,
        ctx,
        panel,
        q,
        v,
        parsed,
        review,
    })
}

fn pretty(json: &str) -> String {
    serde_json::from_str::<serde_json::Value>(json)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| json.to_owned())
}

pub async fn page(
    State(state): State<AppState>,
    ctx: PageCtx,
    _auth: ManagerAuth,
    Path(id): Path<i64>,
    Query(q): Query<VersionQuery>,
) -> WebResult<VersionPage> {
    let mut page = load(&state, ctx, id).await?;
    page.notice = q.melding.as_deref().and_then(|m| match m {
        "geaccepteerd" => Some(
            page.ctx
                .t("questionnaire.review.accepted_notice")
                .to_owned(),
        ),
        "gepubliceerd" => Some(
            page.ctx
                .t("questionnaire.review.published_notice")
                .to_owned(),
        ),
        "ingetrokken" => Some(page.ctx.t("questionnaire.pilot.revoked_notice").to_owned()),
        _ => None,
    });
    Ok(page)
}

pub async fn accept(
    State(state): State<AppState>,
    ctx: PageCtx,
    auth: ManagerAuth,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm,
) -> WebResult<Response> {
    let v = questionnaires::version(&state.db, id).await?;
    let keys = form.get_all("key");
    if keys.is_empty() {
        let mut page = load(&state, ctx, id).await?;
        page.errors = FormErrors::single(page.ctx.lang, "findings", "questionnaire.review.choose");
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let reason = Some(form.get("reason").trim()).filter(|r| !r.is_empty());
    review::accept(
        &state.db,
        &v,
        &keys,
        auth.0.id,
        reason,
        ctx.lang,
        state.now(),
    )
    .await?;
    Ok(Redirect::to(&format!(
        "/beheer/vragenlijsten/versies/{id}?melding=geaccepteerd#bevindingen"
    ))
    .into_response())
}

pub async fn publish(
    State(state): State<AppState>,
    ctx: PageCtx,
    auth: ManagerAuth,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm,
) -> WebResult<Response> {
    let v = questionnaires::version(&state.db, id).await?;
    match review::publish(&state.db, &v, auth.0.id, ctx.lang, state.now()).await? {
        Ok(()) => Ok(Redirect::to(&format!(
            "/beheer/vragenlijsten/versies/{id}?melding=gepubliceerd"
        ))
        .into_response()),
        Err(refusal) => {
            let mut page = load(&state, ctx, id).await?;
            let lang = page.ctx.lang;
            page.errors =
                FormErrors::single(lang, "publish", "questionnaire.review.cannot_publish");
            match (refusal, page.errors.list.first_mut()) {
                (PublishRefusal::OpenFindings(n), Some(first)) => {
                    first.message = page.ctx.tf1("questionnaire.review.open_findings", "n", n);
                }
                (PublishRefusal::PanelMismatch(problems), Some(first)) => {
                    first.message = page.ctx.t("questionnaire.review.panel_mismatch").to_owned();
                    let (field, anchor) = (first.field.clone(), first.anchor.clone());
                    page.errors
                        .list
                        .extend(problems.into_iter().map(|p| FieldMsg {
                            field: field.clone(),
                            anchor: anchor.clone(),
                            message: format!("{}: {}", p.path, p.message),
                        }));
                }
                _ => {}
            }
            Ok((StatusCode::CONFLICT, page).into_response())
        }
    }
}

/// Save an edited file as a new version of the same questionnaire.
pub async fn edit(
    State(state): State<AppState>,
    ctx: PageCtx,
    auth: ManagerAuth,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm,
) -> WebResult<Response> {
    let v = questionnaires::version(&state.db, id).await?;
    let json = form.get("json").to_owned();
    let lang = ctx.lang;
    let edited = review::edit(&state.db, &v, json.as_bytes(), auth.0.id, lang, state.now()).await?;
    let (key, problems) = match edited {
        Ok(new) => {
            return Ok(
                Redirect::to(&format!("/beheer/vragenlijsten/versies/{}", new.id)).into_response(),
            );
        }
        Err(EditRefusal::OtherQuestionnaire) => ("questionnaire.edit.other_id", Vec::new()),
        Err(EditRefusal::File(report)) => ("questionnaire.upload.refused", report.problems),
    };
    let mut page = load(&state, ctx, id).await?;
    page.errors = FormErrors::single(lang, "json", key);
    page.problems = problems;
    page.json = json;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

pub async fn create_pilot_link(
    State(state): State<AppState>,
    ctx: PageCtx,
    auth: ManagerAuth,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm,
) -> WebResult<Response> {
    let lang = ctx.lang;
    let Some(label) = review::pilot_label(form.get("label")) else {
        let mut page = load(&state, ctx, id).await?;
        page.errors = FormErrors::single(lang, "label", "questionnaire.pilot.label_needed");
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let (_, url) = review::create_pilot_link(
        &state.db,
        &state.config.base_url,
        id,
        label,
        auth.0.id,
        state.now(),
    )
    .await?;
    let mut page = load(&state, ctx, id).await?;
    page.new_link = Some(url);
    Ok(page.into_response())
}

pub async fn revoke_pilot_link(
    State(state): State<AppState>,
    _auth: ManagerAuth,
    Path(link_id): Path<i64>,
    CsrfForm(_): CsrfForm,
) -> WebResult<Redirect> {
    let link = questionnaires::revoke_pilot_link(&state.db, link_id, state.now()).await?;
    Ok(Redirect::to(&format!(
        "/beheer/vragenlijsten/versies/{}?melding=ingetrokken",
        link.version_id
    )))
}

/// Versions of a questionnaire are reached through the questionnaire id too.
pub async fn latest(
    State(state): State<AppState>,
    _auth: ManagerAuth,
    Path(id): Path<i64>,
) -> WebResult<Redirect> {
    let versions = questionnaires::versions(&state.db, id).await?;
    let latest = versions.first().ok_or(WebError::NotFound)?;
    Ok(Redirect::to(&format!(
        "/beheer/vragenlijsten/versies/{}",
        latest.id
    )))
}
