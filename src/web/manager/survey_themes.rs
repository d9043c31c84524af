//! `/beheer/enquetes/{survey}/themas`: the guide's step 6 for open answers. The manager
//! makes themes (from words that come back, or their own), gives each open answer its
//! themes (keyword suggestions marked, and taken over at once on request), sees how many
//! respondents wrote about each theme per group, and writes per theme the underlying
//! problem, the core insight and what should change (`/themas/{id}`); those go into the
//! reports.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::domain::grouping::GroupBy;
use crate::domain::questionnaire::QuestionId;
use crate::domain::themes::ThemeInput;
use crate::report::results_view::{count_of, grouping_label};
use crate::service::themes::{self as service, Split, ThemeBoard};
use crate::stats::public_themes;
use crate::web::auth::ManagerAuth;
use crate::web::ctx::PageCtx;
use crate::web::error::{WebError, WebResult};
use crate::web::form::CsrfForm;
use crate::web::state::AppState;
use crate::web::view::FormErrors;

/// Open answers per page.
const PER_PAGE: usize = 25;

pub struct Choice {
    pub key: String,
    pub label: String,
    pub selected: bool,
}

pub struct Cell {
    pub text: String,
    /// Outsiders do not see this figure.
    pub small: bool,
}

pub struct ThemeRow {
    pub id: i64,
    pub name: String,
    pub keywords: String,
    pub count: Cell,
    /// Problem, insight and change all written.
    pub written: bool,
    pub groups: Vec<Cell>,
}

pub struct Check {
    pub id: i64,
    pub name: String,
    pub checked: bool,
    pub suggested: bool,
}

pub struct AnswerView {
    pub anchor: String,
    pub response_id: i64,
    pub question_id: String,
    pub question: String,
    pub text: String,
    pub checks: Vec<Check>,
}

#[derive(Template, WebTemplate)]
#[template(path = "manager/survey_themes.html", config = "src/web/askama.toml")]
pub struct ThemesPage {
    pub ctx: PageCtx,
    pub survey_id: i64,
    pub title: String,
    pub min_cell_size: u32,
    pub notice: Option<String>,
    pub errors: FormErrors,
    pub new_name: String,
    pub new_keywords: String,
    pub answered: u64,
    pub coded: u64,
    pub themes: Vec<ThemeRow>,
    pub words: Vec<(String, usize)>,
    pub by_choices: Vec<Choice>,
    pub by_key: String,
    pub by_name: String,
    pub groups: Vec<String>,
    pub bases: Vec<Cell>,
    pub question_choices: Vec<Choice>,
    pub question: String,
    pub uncoded_only: bool,
    /// Answers without a theme that have a suggestion.
    pub pending: usize,
    pub answers: Vec<AnswerView>,
    /// Answers matching the filter, before paging.
    pub matching: usize,
    pub page: usize,
    pub pages: usize,
}

impl ThemesPage {
    fn heading(&self) -> String {
        self.ctx.tf1("themes.title", "title", &self.title)
    }
    /// Names the filter and page, so each state has its own title.
    fn page_title(&self) -> String {
        let mut parts = vec![self.heading()];
        if self.uncoded_only {
            parts.push(self.ctx.t("themes.answers.uncoded_only").to_owned());
        }
        if let Some(q) = self
            .question_choices
            .iter()
            .find(|c| c.selected && !c.key.is_empty())
        {
            parts.push(q.label.clone());
        }
        if self.pages > 1 {
            parts.push(self.ctx.tf2(
                "themes.answers.page",
                "page",
                self.page,
                "pages",
                self.pages,
            ));
        }
        self.errors.title(&self.ctx.lang, &parts.join(" – "))
    }
    /// The page's address with the current filter, for paging and for going back.
    fn filter_query(&self) -> String {
        let mut q = format!("per={}", self.by_key);
        if !self.question.is_empty() {
            q.push_str(&format!("&vraag={}", self.question));
        }
        if self.uncoded_only {
            q.push_str("&toon=ongecodeerd");
        }
        q
    }
}

#[derive(Deserialize, Default)]
pub struct Params {
    #[serde(default)]
    per: String,
    #[serde(default)]
    vraag: String,
    #[serde(default)]
    toon: String,
    #[serde(default)]
    pagina: Option<usize>,
    #[serde(default)]
    klaar: String,
    #[serde(default)]
    n: Option<usize>,
}

fn count_text(ctx: &PageCtx, n: u64, base: u64) -> String {
    count_of(ctx.lang, n, base)
}

fn by_label(ctx: &PageCtx, board: &ThemeBoard, by: &GroupBy) -> String {
    grouping_label(&ctx.texts(), &board.panel, by)
}

struct Form {
    name: String,
    keywords: String,
    errors: FormErrors,
}

fn themes_page(
    ctx: PageCtx,
    board: &ThemeBoard,
    params: &Params,
    form: Form,
    notice: Option<String>,
) -> ThemesPage {
    let k = board.panel.reporting.min_cell_size;
    // The page always asks for a split.
    let unsplit = GroupBy::Mode;
    let by = board.by.as_ref().unwrap_or(&unsplit);
    let public = public_themes(&board.counts, k);
    let split = board.counts.splits.first();
    let themes = board
        .themes
        .iter()
        .enumerate()
        .map(|(i, t)| ThemeRow {
            id: t.id,
            name: t.input.name.clone(),
            keywords: t.input.keywords_text(),
            count: Cell {
                text: count_text(&ctx, board.counts.counts[i], board.counts.answered),
                small: public.themes[i].n.shown().is_none(),
            },
            written: !t.input.problem.is_empty()
                && !t.input.insight.is_empty()
                && !t.input.change.is_empty(),
            groups: split
                .map(|s| {
                    s.counts[i]
                        .iter()
                        .zip(&s.bases)
                        .zip(&public.themes[i].groups[0])
                        .map(|((&n, &b), p)| Cell {
                            text: count_text(&ctx, n, b),
                            small: p.shown().is_none(),
                        })
                        .collect()
                })
                .unwrap_or_default(),
        })
        .collect();
    let bases = split
        .map(|s| {
            s.bases
                .iter()
                .zip(&public.bases[0])
                .map(|(&b, p)| Cell {
                    text: b.to_string(),
                    small: p.shown().is_none(),
                })
                .collect()
        })
        .unwrap_or_default();
    let question_text = |id: &QuestionId| {
        board
            .questions
            .iter()
            .find(|q| &q.id == id)
            .map_or_else(|| id.to_string(), |q| q.text.clone())
    };
    let mut question_choices = vec![Choice {
        key: String::new(),
        label: ctx.t("themes.answers.all_questions").to_owned(),
        selected: params.vraag.is_empty(),
    }];
    question_choices.extend(board.questions.iter().map(|q| Choice {
        key: q.id.to_string(),
        label: q.text.clone(),
        selected: params.vraag == q.id.as_str(),
    }));
    let uncoded_only = params.toon == "ongecodeerd";
    let matching: Vec<_> = board
        .answers
        .iter()
        .filter(|a| params.vraag.is_empty() || a.question_id.as_str() == params.vraag)
        .filter(|a| !uncoded_only || a.themes.is_empty())
        .collect();
    let pages = matching.len().div_ceil(PER_PAGE).max(1);
    let page = params.pagina.unwrap_or(1).clamp(1, pages);
    let answers = matching
        .iter()
        .skip((page - 1) * PER_PAGE)
        .take(PER_PAGE)
        .map(|a| AnswerView {
            anchor: format!("antwoord-{}-{}", a.response_id, a.question_id),
            response_id: a.response_id,
            question_id: a.question_id.to_string(),
            question: question_text(&a.question_id),
            text: a.text.clone(),
            checks: board
                .themes
                .iter()
                .map(|t| Check {
                    id: t.id,
                    name: t.input.name.clone(),
                    checked: a.themes.contains(&t.id),
                    suggested: a.suggested.contains(&t.id),
                })
                .collect(),
        })
        .collect();
    let by_choices = GroupBy::all(&board.panel)
        .iter()
        .map(|g| Choice {
            key: g.key(),
            label: by_label(&ctx, board, g),
            selected: g == by,
        })
        .collect();
    ThemesPage {
        survey_id: board.survey.id,
        title: board.survey.title.clone(),
        min_cell_size: k,
        notice,
        errors: form.errors,
        new_name: form.name,
        new_keywords: form.keywords,
        answered: board.counts.answered,
        coded: board.counts.coded,
        themes,
        words: board
            .words
            .iter()
            .map(|w| (w.word.clone(), w.answers))
            .collect(),
        by_choices,
        by_key: by.key(),
        by_name: by_label(&ctx, board, by),
        groups: split.map(|s| s.groups.clone()).unwrap_or_default(),
        bases,
        question_choices,
        question: params.vraag.clone(),
        uncoded_only,
        pending: board
            .answers
            .iter()
            .filter(|a| a.themes.is_empty() && !a.suggested.is_empty())
            .count(),
        answers,
        matching: matching.len(),
        page,
        pages,
        ctx,
    }
}

pub async fn page(
    State(state): State<AppState>,
    ctx: PageCtx,
    _auth: ManagerAuth,
    Path(survey_id): Path<i64>,
    Query(params): Query<Params>,
) -> WebResult<ThemesPage> {
    let board = service::board(&state.db, survey_id, ctx.lang, Split::By(&params.per)).await?;
    let notice = match params.klaar.as_str() {
        "toegevoegd" => Some(ctx.t("themes.done.added").to_owned()),
        "opgeslagen" => Some(ctx.t("themes.done.saved").to_owned()),
        "verwijderd" => Some(ctx.t("themes.done.deleted").to_owned()),
        "gecodeerd" => Some(ctx.t("themes.done.coded").to_owned()),
        "voorstellen" => Some(ctx.tf1("themes.done.accepted", "n", params.n.unwrap_or(0))),
        _ => None,
    };
    let form = Form {
        name: String::new(),
        keywords: String::new(),
        errors: FormErrors::none(ctx.lang),
    };
    Ok(themes_page(ctx, &board, &params, form, notice))
}

/// A new theme, from the form or from a suggested word.
pub async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    _auth: ManagerAuth,
    Path(survey_id): Path<i64>,
    CsrfForm(form): CsrfForm,
) -> WebResult<Response> {
    let input = ThemeInput::new(form.get("name"), form.get("keywords"), "", "", "");
    match service::save_theme(&state.db, survey_id, None, &input, state.now()).await? {
        Ok(_) => Ok(Redirect::to(&format!(
            "/beheer/enquetes/{survey_id}/themas?klaar=toegevoegd#themas"
        ))
        .into_response()),
        Err(problems) => {
            let board = service::board(&state.db, survey_id, ctx.lang, Split::By("")).await?;
            let form = Form {
                name: form.get("name").to_owned(),
                keywords: form.get("keywords").to_owned(),
                errors: FormErrors::new(ctx.lang, &problems),
            };
            let page = themes_page(ctx, &board, &Params::default(), form, None);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

/// Give one answer its themes; back to the same place in the list.
pub async fn code(
    State(state): State<AppState>,
    _ctx: PageCtx,
    _auth: ManagerAuth,
    Path(survey_id): Path<i64>,
    CsrfForm(form): CsrfForm,
) -> WebResult<Response> {
    let response_id: i64 = form
        .get("response")
        .parse()
        .map_err(|_| WebError::BadRequest("error.bad_request"))?;
    let question = QuestionId::parse(form.get("question"))
        .map_err(|_| WebError::BadRequest("error.bad_request"))?;
    let themes: Vec<i64> = form
        .get_all("theme")
        .iter()
        .map(|t| t.parse())
        .collect::<Result<_, _>>()
        .map_err(|_| WebError::BadRequest("error.bad_request"))?;
    service::code_answer(&state.db, survey_id, response_id, &question, &themes).await?;
    let back = form.get("back");
    // Only this page's own filter goes back into the address.
    let back = if back
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "=&_-".contains(c))
    {
        back
    } else {
        ""
    };
    Ok(Redirect::to(&format!(
        "/beheer/enquetes/{survey_id}/themas?{back}&klaar=gecodeerd#antwoord-{response_id}-{question}"
    ))
    .into_response())
}

/// Take over every suggestion for answers without a theme.
pub async fn accept(
    State(state): State<AppState>,
    ctx: PageCtx,
    _auth: ManagerAuth,
    Path(survey_id): Path<i64>,
    CsrfForm(_form): CsrfForm,
) -> WebResult<Response> {
    let n = service::accept_suggestions(&state.db, survey_id, ctx.lang).await?;
    Ok(Redirect::to(&format!(
        "/beheer/enquetes/{survey_id}/themas?klaar=voorstellen&n={n}#antwoorden"
    ))
    .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "manager/survey_theme.html", config = "src/web/askama.toml")]
pub struct ThemePage {
    pub ctx: PageCtx,
    pub survey_id: i64,
    pub theme_id: i64,
    /// The name as stored, for the heading.
    pub stored_name: String,
    pub input: ThemeInput,
    pub keywords: String,
    pub respondents: u64,
    pub answered: u64,
    pub errors: FormErrors,
}

impl ThemePage {
    fn heading(&self) -> String {
        self.ctx.tf1("themes.edit.title", "name", &self.stored_name)
    }
    fn page_title(&self) -> String {
        self.errors.title(&self.ctx.lang, &self.heading())
    }
}

async fn theme_page(
    state: &AppState,
    ctx: PageCtx,
    survey_id: i64,
    theme_id: i64,
    input: Option<(ThemeInput, String)>,
    errors: FormErrors,
) -> WebResult<ThemePage> {
    let board = service::board(&state.db, survey_id, ctx.lang, Split::None).await?;
    let index = board
        .themes
        .iter()
        .position(|t| t.id == theme_id)
        .ok_or(WebError::NotFound)?;
    let (input, keywords) = input.unwrap_or_else(|| {
        let input = board.themes[index].input.clone();
        let keywords = input.keywords_text();
        (input, keywords)
    });
    Ok(ThemePage {
        survey_id,
        theme_id,
        stored_name: board.themes[index].input.name.clone(),
        input,
        keywords,
        respondents: board.counts.counts[index],
        answered: board.counts.answered,
        errors,
        ctx,
    })
}

pub async fn edit_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    _auth: ManagerAuth,
    Path((survey_id, theme_id)): Path<(i64, i64)>,
) -> WebResult<ThemePage> {
    let errors = FormErrors::none(ctx.lang);
    theme_page(&state, ctx, survey_id, theme_id, None, errors).await
}

pub async fn edit_submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    _auth: ManagerAuth,
    Path((survey_id, theme_id)): Path<(i64, i64)>,
    CsrfForm(form): CsrfForm,
) -> WebResult<Response> {
    let input = ThemeInput::new(
        form.get("name"),
        form.get("keywords"),
        form.get("problem"),
        form.get("insight"),
        form.get("change"),
    );
    match service::save_theme(&state.db, survey_id, Some(theme_id), &input, state.now()).await? {
        Ok(_) => Ok(Redirect::to(&format!(
            "/beheer/enquetes/{survey_id}/themas?klaar=opgeslagen#themas"
        ))
        .into_response()),
        Err(problems) => {
            let errors = FormErrors::new(ctx.lang, &problems);
            // What was typed stays, the name too.
            let typed = ThemeInput {
                name: form.get("name").to_owned(),
                ..input
            };
            let keywords = form.get("keywords").to_owned();
            let page = theme_page(
                &state,
                ctx,
                survey_id,
                theme_id,
                Some((typed, keywords)),
                errors,
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

pub async fn delete(
    State(state): State<AppState>,
    _ctx: PageCtx,
    _auth: ManagerAuth,
    Path((survey_id, theme_id)): Path<(i64, i64)>,
    CsrfForm(_form): CsrfForm,
) -> WebResult<Response> {
    service::delete_theme(&state.db, survey_id, theme_id).await?;
    Ok(Redirect::to(&format!(
        "/beheer/enquetes/{survey_id}/themas?klaar=verwijderd#themas"
    ))
    .into_response())
}
