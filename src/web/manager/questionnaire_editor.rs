//! The questionnaire editor: the general texts, each question's fields, adding, moving
//! and removing questions, and starting a new questionnaire, all without writing JSON.
//! Every save is checked like an upload and becomes a new version; a save with
//! problems is refused with the problems shown and nothing stored.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::domain::panel::PanelDefinition;
use crate::domain::questionnaire::edit::{self, KINDS, QuestionDraft};
use crate::domain::questionnaire::{Kind, Question, Questionnaire};
use crate::domain::signup::FieldError;
use crate::i18n::Lang;
use crate::schema_check::Finding;
use crate::service::questionnaires as review;
use crate::store::entities::questionnaire_version;
use crate::store::{panels, questionnaires};
use crate::web::auth::ManagerAuth;
use crate::web::ctx::PageCtx;
use crate::web::error::{WebError, WebResult};
use crate::web::form::{CsrfForm, FormData};
use crate::web::state::AppState;
use crate::web::view::{Choice, FormErrors};

/// What a save produced: a new version, or the reasons it was refused.
enum Saved {
    Version(questionnaire_version::Model),
    Refused(Vec<Finding>),
}

async fn save(
    state: &AppState,
    panel: &PanelDefinition,
    q: &Questionnaire,
    manager_id: i64,
    lang: Lang,
) -> WebResult<Saved> {
    let bytes = serde_json::to_vec_pretty(q).map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(
        match review::upload(&state.db, panel, &bytes, manager_id, lang, state.now()).await? {
            Ok(version) => Saved::Version(version),
            Err(report) => Saved::Refused(report.problems),
        },
    )
}

struct Loaded {
    panel: PanelDefinition,
    version: questionnaire_version::Model,
    parsed: Questionnaire,
}

async fn load(state: &AppState, id: i64) -> WebResult<Loaded> {
    let version = questionnaires::version(&state.db, id).await?;
    let q = questionnaires::questionnaire(&state.db, version.questionnaire_id).await?;
    let panel = panels::get(&state.db, &q.panel_id).await?;
    let parsed = questionnaires::parsed(&version)?;
    Ok(Loaded {
        panel,
        version,
        parsed,
    })
}

/// The general texts and settings as form fields.
#[derive(Clone, Debug, Default)]
pub struct GeneralForm {
    pub id: String,
    pub kind: String,
    pub title: String,
    pub purpose: String,
    pub use_of_results: String,
    pub estimated_minutes: String,
    pub closes_after_days: String,
    pub contact: String,
    pub closing_remarks: bool,
    pub evaluation: bool,
    pub one_page: bool,
}

impl GeneralForm {
    fn of(q: &Questionnaire) -> Self {
        Self {
            id: q.id.to_string(),
            kind: q.kind.code().to_owned(),
            title: q.title.clone(),
            purpose: q.purpose.clone(),
            use_of_results: q.use_of_results.clone(),
            estimated_minutes: q.estimated_minutes.to_string(),
            closes_after_days: q.closes_after_days.to_string(),
            contact: q.contact.clone(),
            closing_remarks: q.closing_remarks,
            evaluation: q.evaluation,
            one_page: q.one_page,
        }
    }

    pub fn read(form: &FormData) -> Self {
        Self {
            id: form.get("id").trim().to_owned(),
            kind: form.get("kind").to_owned(),
            title: form.get("title").trim().to_owned(),
            purpose: form.get("purpose").trim().to_owned(),
            use_of_results: form.get("use_of_results").trim().to_owned(),
            estimated_minutes: form.get("estimated_minutes").trim().to_owned(),
            closes_after_days: form.get("closes_after_days").trim().to_owned(),
            contact: form.get("contact").trim().to_owned(),
            closing_remarks: form.checked("closing_remarks"),
            evaluation: form.checked("evaluation"),
            one_page: form.checked("one_page"),
        }
    }

    /// Apply to `q`; field errors name the form fields.
    pub fn apply(&self, q: &mut Questionnaire) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        for (field, value) in [
            ("title", &self.title),
            ("purpose", &self.purpose),
            ("use_of_results", &self.use_of_results),
            ("contact", &self.contact),
        ] {
            if value.is_empty() {
                errors.push(FieldError::new(field, "editor.error.required"));
            }
        }
        let minutes = self
            .estimated_minutes
            .parse::<u32>()
            .ok()
            .filter(|m| *m > 0);
        if minutes.is_none() {
            errors.push(FieldError::new(
                "estimated_minutes",
                "editor.error.positive",
            ));
        }
        let days = self
            .closes_after_days
            .parse::<u32>()
            .ok()
            .filter(|d| *d > 0);
        if days.is_none() {
            errors.push(FieldError::new(
                "closes_after_days",
                "editor.error.positive",
            ));
        }
        let kind = match self.kind.as_str() {
            "vragenlijst" => Kind::Questionnaire,
            "flitspeiling" => Kind::FlashPoll,
            "evaluatie" => Kind::Evaluation,
            _ => {
                errors.push(FieldError::new("kind", "editor.error.kind"));
                Kind::Questionnaire
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        q.kind = kind;
        q.title = self.title.clone();
        q.purpose = self.purpose.clone();
        q.use_of_results = self.use_of_results.clone();
        q.estimated_minutes = minutes.unwrap_or(1);
        q.closes_after_days = days.unwrap_or(1);
        q.contact = self.contact.clone();
        q.closing_remarks = self.closing_remarks;
        q.evaluation = self.evaluation;
        q.one_page = self.one_page;
        Ok(())
    }
}

fn kind_choices(ctx: &PageCtx) -> Vec<Choice> {
    ["vragenlijst", "flitspeiling", "evaluatie"]
        .iter()
        .map(|k| Choice::new(*k, ctx.t(&format!("questionnaire.kind.{k}"))))
        .collect()
}

fn type_choices(ctx: &PageCtx) -> Vec<Choice> {
    KINDS
        .iter()
        .map(|k| Choice::new(*k, ctx.t(&format!("questionnaire.type.{k}"))))
        .collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "manager/editor.html", config = "src/web/askama.toml")]
pub struct EditorPage {
    pub ctx: PageCtx,
    pub version: questionnaire_version::Model,
    pub parsed: Questionnaire,
    pub general: GeneralForm,
    pub kinds: Vec<Choice>,
    pub types: Vec<Choice>,
    pub errors: FormErrors,
    pub problems: Vec<Finding>,
    pub notice: Option<String>,
}

impl EditorPage {
    fn type_name(&self, q: &Question) -> &'static str {
        self.ctx.t(&format!("questionnaire.type.{}", q.kind.code()))
    }
}

fn editor_page(
    ctx: PageCtx,
    loaded: Loaded,
    general: GeneralForm,
    errors: FormErrors,
    problems: Vec<Finding>,
) -> EditorPage {
    EditorPage {
        kinds: kind_choices(&ctx),
        types: type_choices(&ctx),
        version: loaded.version,
        parsed: loaded.parsed,
        general,
        errors,
        problems,
        notice: None,
        ctx,
    }
}

#[derive(Deserialize, Default)]
pub struct NoticeQuery {
    opgeslagen: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    ctx: PageCtx,
    _auth: ManagerAuth,
    Path(id): Path<i64>,
    Query(q): Query<NoticeQuery>,
) -> WebResult<EditorPage> {
    let loaded = load(&state, id).await?;
    let general = GeneralForm::of(&loaded.parsed);
    let errors = FormErrors::none(ctx.lang);
    let mut page = editor_page(ctx, loaded, general, errors, Vec::new());
    if q.opgeslagen.is_some() {
        page.notice = Some(
            page.ctx
                .tf1("editor.saved", "version", page.version.version),
        );
    }
    Ok(page)
}

fn saved_redirect(version: &questionnaire_version::Model, anchor: &str) -> Response {
    Redirect::to(&format!(
        "/beheer/vragenlijsten/versies/{}/editor?opgeslagen=1{anchor}",
        version.id
    ))
    .into_response()
}

/// Apply a change to the questionnaire and save it as a new version.
async fn change_and_save(
    state: &AppState,
    ctx: PageCtx,
    auth: &ManagerAuth,
    id: i64,
    anchor: &str,
    change: impl FnOnce(&mut Questionnaire) -> bool,
) -> WebResult<Response> {
    let mut loaded = load(state, id).await?;
    if !change(&mut loaded.parsed) {
        return Err(WebError::BadRequest("error.bad_request"));
    }
    match save(state, &loaded.panel, &loaded.parsed, auth.0.id, ctx.lang).await? {
        Saved::Version(v) => Ok(saved_redirect(&v, anchor)),
        Saved::Refused(problems) => {
            let fresh = load(state, id).await?;
            let general = GeneralForm::of(&fresh.parsed);
            let errors = FormErrors::single(ctx.lang, "problems", "editor.refused");
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                editor_page(ctx, fresh, general, errors, problems),
            )
                .into_response())
        }
    }
}

pub async fn save_general(
    State(state): State<AppState>,
    ctx: PageCtx,
    auth: ManagerAuth,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm,
) -> WebResult<Response> {
    let general = GeneralForm::read(&form);
    let mut loaded = load(&state, id).await?;
    if let Err(errors) = general.apply(&mut loaded.parsed) {
        let errors = FormErrors::new(ctx.lang, &errors);
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            editor_page(ctx, loaded, general, errors, Vec::new()),
        )
            .into_response());
    }
    match save(&state, &loaded.panel, &loaded.parsed, auth.0.id, ctx.lang).await? {
        Saved::Version(v) => Ok(saved_redirect(&v, "")),
        Saved::Refused(problems) => {
            let errors = FormErrors::single(ctx.lang, "problems", "editor.refused");
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                editor_page(ctx, loaded, general, errors, problems),
            )
                .into_response())
        }
    }
}

pub async fn add(
    State(state): State<AppState>,
    ctx: PageCtx,
    auth: ManagerAuth,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm,
) -> WebResult<Response> {
    let kind = form.get("kind").to_owned();
    let text = form.get("text").trim().to_owned();
    let mut loaded = load(&state, id).await?;
    let draft = starter_draft(&kind, &text, ctx.lang);
    if let Err(errors) = edit::add_question(&mut loaded.parsed, &draft) {
        let general = GeneralForm::of(&loaded.parsed);
        let errors = FormErrors::new(
            ctx.lang,
            &errors
                .into_iter()
                .map(|e| FieldError::new(format!("new_{}", e.field), e.key))
                .collect::<Vec<_>>(),
        );
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            editor_page(ctx, loaded, general, errors, Vec::new()),
        )
            .into_response());
    }
    let index = loaded.parsed.questions.len() - 1;
    match save(&state, &loaded.panel, &loaded.parsed, auth.0.id, ctx.lang).await? {
        Saved::Version(v) => Ok(Redirect::to(&format!(
            "/beheer/vragenlijsten/versies/{}/editor/vraag/{index}",
            v.id
        ))
        .into_response()),
        Saved::Refused(problems) => {
            let fresh = load(&state, id).await?;
            let general = GeneralForm::of(&fresh.parsed);
            let errors = FormErrors::single(ctx.lang, "problems", "editor.refused");
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                editor_page(ctx, fresh, general, errors, problems),
            )
                .into_response())
        }
    }
}

/// A new question starts with sensible options, which the manager then edits.
fn starter_draft(kind: &str, text: &str, lang: Lang) -> QuestionDraft {
    let t = |key: &str| crate::i18n::t(lang, key).to_owned();
    let mut draft = QuestionDraft {
        kind: kind.to_owned(),
        text: text.to_owned(),
        ..Default::default()
    };
    match kind {
        "single_choice" | "multiple_choice" => {
            draft.options = vec![(None, t("common.yes")), (None, t("common.no"))];
        }
        "scale" => draft.scale_labels = t("editor.starter.scale"),
        _ => {}
    }
    draft
}

pub async fn move_up(
    State(state): State<AppState>,
    ctx: PageCtx,
    auth: ManagerAuth,
    Path((id, index)): Path<(i64, usize)>,
    CsrfForm(_): CsrfForm,
) -> WebResult<Response> {
    change_and_save(&state, ctx, &auth, id, "#vragen", |q| {
        edit::move_question(q, index, true)
    })
    .await
}

pub async fn move_down(
    State(state): State<AppState>,
    ctx: PageCtx,
    auth: ManagerAuth,
    Path((id, index)): Path<(i64, usize)>,
    CsrfForm(_): CsrfForm,
) -> WebResult<Response> {
    change_and_save(&state, ctx, &auth, id, "#vragen", |q| {
        edit::move_question(q, index, false)
    })
    .await
}

pub async fn remove(
    State(state): State<AppState>,
    ctx: PageCtx,
    auth: ManagerAuth,
    Path((id, index)): Path<(i64, usize)>,
    CsrfForm(_): CsrfForm,
) -> WebResult<Response> {
    change_and_save(&state, ctx, &auth, id, "#vragen", |q| {
        edit::remove_question(q, index)
    })
    .await
}
