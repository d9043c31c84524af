//! Starting a new questionnaire in the editor: the general texts and a first question.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use crate::domain::ids::QuestionnaireId;
use crate::domain::panel::PanelDefinition;
use crate::domain::questionnaire::edit::{self, KINDS, QuestionDraft};
use crate::domain::questionnaire::{Kind, Questionnaire};
use crate::domain::signup::FieldError;
use crate::schema_check::Finding;
use crate::service::questionnaires as review;
use crate::store::panels;
use crate::web::auth::ManagerAuth;
use crate::web::ctx::PageCtx;
use crate::web::error::{WebError, WebResult};
use crate::web::form::CsrfForm;
use crate::web::manager::questionnaire_editor::GeneralForm;
use crate::web::state::AppState;
use crate::web::view::{Choice, FormErrors};

#[derive(Template, WebTemplate)]
#[template(
    path = "manager/questionnaire_new.html",
    config = "src/web/askama.toml"
)]
pub struct NewPage {
    pub ctx: PageCtx,
    pub panel: PanelDefinition,
    pub general: GeneralForm,
    pub kinds: Vec<Choice>,
    pub types: Vec<Choice>,
    pub first_kind: String,
    pub first_text: String,
    pub errors: FormErrors,
    pub problems: Vec<Finding>,
}

fn new_page(ctx: PageCtx, panel: PanelDefinition, general: GeneralForm) -> NewPage {
    NewPage {
        kinds: ["vragenlijst", "flitspeiling", "evaluatie"]
            .iter()
            .map(|k| Choice::new(*k, ctx.t(&format!("questionnaire.kind.{k}"))))
            .collect(),
        types: KINDS
            .iter()
            .map(|k| Choice::new(*k, ctx.t(&format!("questionnaire.type.{k}"))))
            .collect(),
        first_kind: "single_choice".to_owned(),
        first_text: String::new(),
        errors: FormErrors::none(ctx.lang),
        problems: Vec::new(),
        ctx,
        panel,
        general,
    }
}

pub async fn form(
    State(state): State<AppState>,
    ctx: PageCtx,
    _auth: ManagerAuth,
    Path(panel_id): Path<String>,
) -> WebResult<NewPage> {
    let panel = panels::get(&state.db, &panel_id).await?;
    let general = GeneralForm {
        kind: "vragenlijst".to_owned(),
        estimated_minutes: "5".to_owned(),
        closes_after_days: "21".to_owned(),
        contact: panel.contact.clone(),
        closing_remarks: true,
        evaluation: true,
        ..Default::default()
    };
    Ok(new_page(ctx, panel, general))
}

pub async fn submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    auth: ManagerAuth,
    Path(panel_id): Path<String>,
    CsrfForm(form): CsrfForm,
) -> WebResult<Response> {
    let panel = panels::get(&state.db, &panel_id).await?;
    let general = GeneralForm::read(&form);
    let lang = ctx.lang;
    let first_kind = form.get("first_kind").to_owned();
    let first_text = form.get("first_text").trim().to_owned();
    let mut errors: Vec<FieldError> = Vec::new();
    let id = QuestionnaireId::parse(&general.id);
    if id.is_err() {
        errors.push(FieldError::new("id", "editor.error.id"));
    }
    let mut q = Questionnaire {
        schema: None,
        id: id.unwrap_or_else(|_| QuestionnaireId::parse("nieuw").expect("valid id")),
        kind: Kind::Questionnaire,
        language: lang,
        title: String::new(),
        purpose: String::new(),
        use_of_results: String::new(),
        estimated_minutes: 1,
        closes_after_days: 1,
        compensation: None,
        contact: String::new(),
        eligibility: Default::default(),
        questions: Vec::new(),
        closing_remarks: true,
        evaluation: true,
        one_page: false,
    };
    if let Err(e) = general.apply(&mut q) {
        errors.extend(e);
    }
    let mut draft = QuestionDraft {
        kind: first_kind.clone(),
        text: first_text.clone(),
        ..Default::default()
    };
    if matches!(first_kind.as_str(), "single_choice" | "multiple_choice") {
        draft.options = vec![
            (None, ctx.t("common.yes").to_owned()),
            (None, ctx.t("common.no").to_owned()),
        ];
    } else if first_kind == "scale" {
        draft.scale_labels = ctx.t("editor.starter.scale").to_owned();
    }
    if let Err(e) = edit::add_question(&mut q, &draft) {
        errors.extend(
            e.into_iter()
                .map(|e| FieldError::new(format!("first_{}", e.field), e.key)),
        );
    }
    let refuse = |ctx: PageCtx, panel, general, errors: FormErrors, problems| {
        let mut page = new_page(ctx, panel, general);
        page.first_kind = first_kind.clone();
        page.first_text = first_text.clone();
        page.errors = errors;
        page.problems = problems;
        (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
    };
    if !errors.is_empty() {
        return Ok(refuse(
            ctx,
            panel,
            general,
            FormErrors::new(lang, &errors),
            Vec::new(),
        ));
    }
    if crate::store::questionnaires::list(&state.db, panel.id.as_str())
        .await?
        .iter()
        .any(|(existing, _)| existing.slug == q.id.as_str())
    {
        return Ok(refuse(
            ctx,
            panel,
            general,
            FormErrors::single(lang, "id", "editor.error.id_taken"),
            Vec::new(),
        ));
    }
    let bytes = serde_json::to_vec_pretty(&q).map_err(|e| WebError::Internal(e.to_string()))?;
    match review::upload(&state.db, &panel, &bytes, auth.0.id, lang, state.now()).await? {
        Ok(v) => Ok(Redirect::to(&format!(
            "/beheer/vragenlijsten/versies/{}/editor/vraag/0",
            v.id
        ))
        .into_response()),
        Err(report) => Ok(refuse(
            ctx,
            panel,
            general,
            FormErrors::single(lang, "problems", "editor.refused"),
            report.problems,
        )),
    }
}
