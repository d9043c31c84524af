//! Editing one question in the questionnaire editor: its text, help, phone wording,
//! whether it is required, the fields of its type, when it is shown, and (single choice)
//! the background variable whose answer members' profiles already give.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use crate::domain::panel::PanelDefinition;
use crate::domain::questionnaire::edit::{self, KINDS, QuestionDraft};
use crate::domain::questionnaire::{QuestionType, Questionnaire, ShowIf};
use crate::schema_check::Finding;
use crate::service::questionnaires as review;
use crate::store::{panels, questionnaires};
use crate::web::auth::ManagerAuth;
use crate::web::ctx::PageCtx;
use crate::web::error::{WebError, WebResult};
use crate::web::form::{CsrfForm, FormData};
use crate::web::state::AppState;
use crate::web::view::{Choice, FormErrors};

/// Empty rows offered for new options.
const NEW_OPTION_ROWS: usize = 3;

#[derive(Template, WebTemplate)]
#[template(path = "manager/question_editor.html", config = "src/web/askama.toml")]
pub struct QuestionEditorPage {
    pub ctx: PageCtx,
    pub version_id: i64,
    pub index: usize,
    pub draft: QuestionDraft,
    pub types: Vec<Choice>,
    /// Conditions to choose from: always, keep a complex one, or an answer to an earlier
    /// choice question.
    pub conditions: Vec<Choice>,
    /// Background variables a single choice question can be tied to (first: none).
    pub variables: Vec<Choice>,
    pub errors: FormErrors,
    pub problems: Vec<Finding>,
}

impl QuestionEditorPage {
    /// Existing options plus empty rows for new ones.
    fn option_rows(&self) -> Vec<(usize, String, String)> {
        self.draft
            .options
            .iter()
            .map(|(v, l)| (v.clone().unwrap_or_default(), l.clone()))
            .chain(std::iter::repeat_n(
                (String::new(), String::new()),
                NEW_OPTION_ROWS,
            ))
            .enumerate()
            .map(|(i, (v, l))| (i, v, l))
            .collect()
    }
    fn existing_options(&self) -> Vec<(String, String)> {
        self.draft
            .options
            .iter()
            .filter_map(|(v, l)| Some((v.clone()?, l.clone())))
            .collect()
    }
    fn is(&self, kind: &str) -> bool {
        self.draft.kind == kind
    }
    fn is_choice(&self) -> bool {
        self.is("single_choice") || self.is("multiple_choice")
    }
}

fn conditions(ctx: &PageCtx, q: &Questionnaire, index: usize) -> Vec<Choice> {
    let mut out = vec![Choice::new("", ctx.t("editor.question.always"))];
    if let Some(current) = q.questions.get(index)
        && current
            .show_if
            .as_ref()
            .is_some_and(|c| !matches!(c, ShowIf::Equals { .. }))
    {
        out.push(Choice::new("keep", ctx.t("editor.question.keep_condition")));
    }
    for (n, earlier) in q.questions.iter().take(index).enumerate() {
        if let QuestionType::SingleChoice { options, .. }
        | QuestionType::MultipleChoice { options, .. } = &earlier.kind
        {
            for o in options {
                out.push(Choice::new(
                    format!("{}={}", earlier.id, o.value),
                    ctx.tf(
                        "editor.question.condition",
                        &[
                            ("n", &(n + 1)),
                            ("question", &earlier.text),
                            ("answer", &o.label),
                        ],
                    ),
                ));
            }
        }
    }
    out
}

fn variables(ctx: &PageCtx, panel: &PanelDefinition) -> Vec<Choice> {
    let mut out = vec![Choice::new("", ctx.t("editor.question.profile_none"))];
    for v in &panel.background_variables {
        out.push(Choice::new(
            v.id.as_str(),
            ctx.tf2(
                "editor.question.profile_variable",
                "question",
                &v.question,
                "id",
                &v.id,
            ),
        ));
    }
    out
}

fn read_draft(form: &FormData) -> QuestionDraft {
    let mut options = Vec::new();
    for i in 0.. {
        let label_field = format!("option_label_{i}");
        if !form.0.iter().any(|(k, _)| *k == label_field) {
            break;
        }
        let value = form.get(&format!("option_value_{i}")).trim().to_owned();
        options.push((
            (!value.is_empty()).then_some(value),
            form.get(&label_field).to_owned(),
        ));
    }
    QuestionDraft {
        kind: form.get("kind").to_owned(),
        text: form.get("text").to_owned(),
        help: form.get("help").to_owned(),
        phone_text: form.get("phone_text").to_owned(),
        required: form.checked("required"),
        options,
        exclusive: form.get("exclusive").to_owned(),
        max_choices: form.get("max_choices").to_owned(),
        other_label: form.get("other_label").to_owned(),
        min: form.get("min").to_owned(),
        max: form.get("max").to_owned(),
        unit: form.get("unit").to_owned(),
        scale_labels: form.get("scale_labels").to_owned(),
        dont_know: form.checked("dont_know"),
        max_length: form.get("max_length").to_owned(),
        show_if: form.get("show_if").to_owned(),
        profile: form.get("profile").to_owned(),
    }
}

fn page(
    ctx: PageCtx,
    version_id: i64,
    (q, panel): (&Questionnaire, &PanelDefinition),
    index: usize,
    draft: QuestionDraft,
) -> QuestionEditorPage {
    QuestionEditorPage {
        variables: variables(&ctx, panel),
        types: KINDS
            .iter()
            .map(|k| Choice::new(*k, ctx.t(&format!("questionnaire.type.{k}"))))
            .collect(),
        conditions: conditions(&ctx, q, index),
        errors: FormErrors::none(ctx.lang),
        problems: Vec::new(),
        version_id,
        index,
        draft,
        ctx,
    }
}

pub async fn form(
    State(state): State<AppState>,
    ctx: PageCtx,
    _auth: ManagerAuth,
    Path((id, index)): Path<(i64, usize)>,
) -> WebResult<QuestionEditorPage> {
    let version = questionnaires::version(&state.db, id).await?;
    let meta = questionnaires::questionnaire(&state.db, version.questionnaire_id).await?;
    let panel = panels::get(&state.db, &meta.panel_id).await?;
    let q = questionnaires::parsed(&version)?;
    let question = q.questions.get(index).ok_or(WebError::NotFound)?;
    Ok(page(ctx, id, (&q, &panel), index, edit::draft_of(question)))
}

pub async fn submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    auth: ManagerAuth,
    Path((id, index)): Path<(i64, usize)>,
    CsrfForm(form): CsrfForm,
) -> WebResult<Response> {
    let version = questionnaires::version(&state.db, id).await?;
    let meta = questionnaires::questionnaire(&state.db, version.questionnaire_id).await?;
    let panel = panels::get(&state.db, &meta.panel_id).await?;
    let mut q = questionnaires::parsed(&version)?;
    if index >= q.questions.len() {
        return Err(WebError::NotFound);
    }
    let draft = read_draft(&form);
    let lang = ctx.lang;
    if let Err(errors) = edit::apply(&draft, &mut q.questions[index]) {
        let mut p = page(ctx, id, (&q, &panel), index, draft);
        p.errors = FormErrors::new(lang, &errors);
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response());
    }
    // Tied to a variable: the answers become its categories (an unknown variable is
    // reported by the upload check below).
    if let Some(variable) = q.questions[index]
        .kind
        .profile()
        .and_then(|v| panel.variable(v.as_str()))
    {
        edit::tie_options(&mut q.questions[index], variable);
    }
    let bytes = serde_json::to_vec_pretty(&q).map_err(|e| WebError::Internal(e.to_string()))?;
    match review::upload(&state.db, &panel, &bytes, auth.0.id, lang, state.now()).await? {
        Ok(new) => Ok(Redirect::to(&format!(
            "/beheer/vragenlijsten/versies/{}/editor?opgeslagen=1#vraag-{}",
            new.id,
            index + 1
        ))
        .into_response()),
        Err(report) => {
            let mut p = page(ctx, id, (&q, &panel), index, draft);
            p.errors = FormErrors::single(lang, "problems", "editor.refused");
            p.problems = report.problems;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
        }
    }
}
