//! `/beheer/enquetes/{survey}/uitsplitsing?per=…`: every question's answers split by a
//! background variable, by the way of answering or by whether someone helped. The
//! manager sees every count, with the cells outsiders will not see marked; with
//! `weergave=publiek` the page shows the tables exactly as outsiders get them
//! (small groups and their complements hidden).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use serde::Deserialize;

use crate::domain::grouping::GroupBy;
use crate::report::results_view::grouping_label;
use crate::report::results_view::{count_of, decimal};
use crate::service::results as service;
use crate::stats::{Public, PublicQuestionCross, QuestionCross, RowKind, public_crosstab};
use crate::store::{panels, responses};
use crate::web::auth::ManagerAuth;
use crate::web::ctx::PageCtx;
use crate::web::error::WebResult;
use crate::web::state::AppState;

pub struct Cell {
    pub text: String,
    /// Outsiders do not see this figure.
    pub small: bool,
}

pub struct CrossLine {
    pub label: String,
    pub cells: Vec<Cell>,
}

pub struct CrossQuestion {
    pub anchor: String,
    pub heading: String,
    pub caption: String,
    pub rows: Vec<CrossLine>,
    pub bases: CrossLine,
    pub means: Option<CrossLine>,
    pub note: &'static str,
}

pub struct Choice {
    pub key: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "manager/survey_crosstabs.html", config = "src/web/askama.toml")]
pub struct CrosstabPage {
    pub ctx: PageCtx,
    pub survey_id: i64,
    pub title: String,
    pub respondents: u64,
    pub min_cell_size: u32,
    pub choices: Vec<Choice>,
    pub public: bool,
    pub by_name: String,
    pub groups: Vec<String>,
    pub questions: Vec<CrossQuestion>,
}

impl CrosstabPage {
    fn heading(&self) -> String {
        self.ctx.tf1("results.cross.title", "title", &self.title)
    }
    /// Names the grouping and the view, so each choice has its own title.
    fn page_title(&self) -> String {
        let by = self.ctx.tf1("results.cross.by", "name", &self.by_name);
        let view = if self.public {
            self.ctx.t("results.cross.public_short")
        } else {
            self.ctx.t("results.cross.manager_short")
        };
        format!("{by} ({view}) – {}", self.heading())
    }
}

#[derive(Deserialize, Default)]
pub struct Params {
    #[serde(default)]
    per: String,
    #[serde(default)]
    weergave: String,
}

fn row_label(ctx: &PageCtx, label: &str, kind: RowKind) -> String {
    match kind {
        RowKind::Option | RowKind::Other => label.to_owned(),
        RowKind::DontKnow => ctx.t("results.manager.dont_know").to_owned(),
        RowKind::BelowSix => ctx.t("results.manager.below_six").to_owned(),
    }
}

fn count_text(ctx: &PageCtx, n: u64, base: u64) -> String {
    count_of(ctx.lang, n, base)
}

fn hidden_text(ctx: &PageCtx, k: u32) -> String {
    ctx.tf1("results.member.less_than", "k", k)
}

fn question_view(
    ctx: &PageCtx,
    number: usize,
    q: &QuestionCross,
    p: &PublicQuestionCross,
    public: bool,
    k: u32,
) -> CrossQuestion {
    let show = |shown: Option<String>, manager: String| match (public, shown) {
        (true, Some(text)) => Cell { text, small: false },
        (true, None) => Cell {
            text: hidden_text(ctx, k),
            small: false,
        },
        (false, shown) => Cell {
            text: manager,
            small: shown.is_none(),
        },
    };
    let rows = q
        .rows
        .iter()
        .zip(&p.rows)
        .map(|(row, prow)| CrossLine {
            label: row_label(ctx, &row.label, row.kind),
            cells: row
                .counts
                .iter()
                .zip(&prow.cells)
                .zip(&q.bases)
                .map(|((&n, cell), &base)| {
                    let shown = cell.shown().map(|(n, _)| count_text(ctx, n, base));
                    show(shown, count_text(ctx, n, base))
                })
                .collect(),
        })
        .collect();
    let bases = CrossLine {
        label: ctx.t("results.cross.base").to_owned(),
        cells: q
            .bases
            .iter()
            .zip(&p.bases)
            .map(|(b, pb)| show(pb.shown().map(|b| b.to_string()), b.to_string()))
            .collect(),
    };
    let means = q
        .means
        .as_ref()
        .zip(p.means.as_ref())
        .map(|(means, pm)| CrossLine {
            label: ctx.t("results.manager.mean").to_owned(),
            cells: means
                .iter()
                .zip(pm)
                .map(|(m, pm)| {
                    let manager =
                        m.map_or_else(|| "–".to_owned(), |(_, v)| decimal(ctx.lang, v, 1));
                    let shown = match pm {
                        Public::Shown(v) => Some(decimal(ctx.lang, *v, 1)),
                        Public::Hidden if m.is_none() => Some("–".to_owned()),
                        Public::Hidden => None,
                    };
                    show(shown, manager)
                })
                .collect(),
        });
    CrossQuestion {
        anchor: format!("vraag-{number}"),
        heading: ctx.tf2("results.manager.question", "n", number, "text", &q.text),
        caption: ctx.tf1("results.cross.caption", "n", number),
        rows,
        bases,
        means,
        note: if q.exclusive {
            "results.cross.note_exclusive"
        } else {
            "results.cross.note_multiple"
        },
    }
}

pub async fn page(
    State(state): State<AppState>,
    ctx: PageCtx,
    _auth: ManagerAuth,
    Path(survey_id): Path<i64>,
    Query(params): Query<Params>,
) -> WebResult<CrosstabPage> {
    let survey = responses::survey(&state.db, survey_id).await?;
    let panel = panels::get(&state.db, &survey.panel_id).await?;
    let all = GroupBy::all(&panel);
    let by = GroupBy::parse(&params.per, &panel).unwrap_or(GroupBy::Mode);
    let results =
        service::load_with(&state.db, survey_id, ctx.lang, std::slice::from_ref(&by)).await?;
    let k = results.min_cell_size();
    let public = params.weergave == "publiek";
    let choices = all
        .iter()
        .map(|g| Choice {
            key: g.key(),
            label: grouping_label(&ctx.texts(), &results.panel, g),
            selected: *g == by,
        })
        .collect();
    let (_, tab) = &results.crosstabs[0];
    let outside = public_crosstab(tab, k);
    let questions = tab
        .questions
        .iter()
        .zip(&outside.questions)
        .map(|(q, p)| {
            let number = results
                .summary
                .questions
                .iter()
                .position(|s| s.id == q.id)
                .map_or(0, |i| i + 1);
            question_view(&ctx, number, q, p, public, k)
        })
        .collect();
    Ok(CrosstabPage {
        survey_id,
        title: results.survey.title.clone(),
        respondents: results.summary.respondents,
        min_cell_size: k,
        choices,
        public,
        by_name: tab.name.clone(),
        groups: tab.groups.clone(),
        questions,
        ctx,
    })
}
