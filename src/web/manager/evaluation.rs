//! `/beheer/panels/{panel}/evaluatie`: the process evaluation — per evaluation question
//! a table with a row per survey and one per quarter (shares per answer, or the average
//! mark, with the base), and for the choice questions a bar chart of the share giving
//! the answer that matters most, per survey.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};

use super::composition::pct;
use crate::domain::panel::PanelDefinition;
use crate::report::chart::{Bar, ChartText, share_bars};
use crate::service::panel_health::process_evaluation;
use crate::stats::evaluation::{EvaluationRow, EvaluationTable, Period, SurveyRef};
use crate::web::auth::ManagerAuth;
use crate::web::ctx::PageCtx;
use crate::web::error::WebResult;
use crate::web::state::AppState;
use crate::web::view::date;

/// Per choice question, the answer the chart follows over time.
const FOLLOWED: [(&str, &str); 4] = [
    ("_eval_clear", "ja"),
    ("_eval_length", "te_lang"),
    ("_eval_results", "ja"),
    ("_eval_again", "ja"),
];

/// One row, ready to show.
pub struct RowView {
    pub label: String,
    /// The survey's date; empty for a quarter.
    pub date: String,
    pub base: u64,
    /// "75,0% (3)" per option, or the average mark.
    pub cells: Vec<String>,
}

pub struct TableView {
    pub id: String,
    pub text: String,
    /// Column headings after the base: the options, or "average mark".
    pub columns: Vec<String>,
    pub surveys: Vec<RowView>,
    pub quarters: Vec<RowView>,
    /// An SVG bar chart with its text alternative, for the choice questions.
    pub chart: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "manager/evaluation.html", config = "src/web/askama.toml")]
pub struct EvaluationPage {
    pub ctx: PageCtx,
    pub panel: PanelDefinition,
    pub tables: Vec<TableView>,
    /// Surveys with evaluation answers.
    pub surveys: usize,
}

fn row_view(ctx: &PageCtx, row: &EvaluationRow, mark: bool) -> RowView {
    let (label, date) = match &row.period {
        Period::Survey(s) => (s.title.clone(), date(&s.date)),
        Period::Quarter(q) => (
            ctx.tf2("evaluation.quarter", "year", q.year, "q", q.quarter),
            String::new(),
        ),
    };
    let cells = if mark {
        vec![row.mean.map_or_else(|| "–".to_owned(), |m| pct(ctx, m))]
    } else {
        row.counts
            .iter()
            .zip(&row.shares)
            .map(|(count, share)| match share {
                Some(s) => format!("{}% ({count})", pct(ctx, s * 100.0)),
                None => "–".to_owned(),
            })
            .collect()
    };
    RowView {
        label,
        date,
        base: row.base,
        cells,
    }
}

fn chart(ctx: &PageCtx, table: &EvaluationTable) -> Option<String> {
    let (_, value) = FOLLOWED
        .iter()
        .find(|(id, _)| *id == table.question.as_str())?;
    let index = table.options.iter().position(|(v, _)| v == value)?;
    let answer = &table.options[index].1;
    // Per survey with answers: the survey and the share giving the followed answer.
    let followed: Vec<(&SurveyRef, f64)> = table
        .per_survey
        .iter()
        .filter_map(|row| match &row.period {
            Period::Survey(s) => Some((s, row.shares.get(index).copied().flatten()? * 100.0)),
            Period::Quarter(_) => None,
        })
        .collect();
    if followed.is_empty() {
        return None;
    }
    // Surveys of one questionnaire share the start of their title: the bars carry the
    // closing date, the text alternative and the table the titles too.
    let bars: Vec<Bar> = followed
        .iter()
        .map(|(s, share)| Bar {
            label: date(&s.date),
            value: *share,
            target: None,
        })
        .collect();
    let description = followed
        .iter()
        .map(|(s, share)| format!("{} ({}): {}%", s.title, date(&s.date), pct(ctx, *share)))
        .collect::<Vec<_>>()
        .join("; ");
    let title = ctx.tf2(
        "evaluation.chart_title",
        "question",
        &table.text,
        "answer",
        answer,
    );
    Some(share_bars(
        &bars,
        &ChartText {
            title: &title,
            description: &description,
            now_label: "",
            target_label: "",
        },
    ))
}

fn view(ctx: &PageCtx, table: &EvaluationTable) -> TableView {
    let mark = table.options.is_empty();
    let columns = if mark {
        vec![ctx.t("evaluation.mean_mark").to_owned()]
    } else {
        table
            .options
            .iter()
            .map(|(_, label)| label.clone())
            .collect()
    };
    TableView {
        id: table.question.as_str().trim_start_matches('_').to_owned(),
        text: table.text.clone(),
        columns,
        surveys: table
            .per_survey
            .iter()
            .map(|r| row_view(ctx, r, mark))
            .collect(),
        quarters: table
            .per_quarter
            .iter()
            .map(|r| row_view(ctx, r, mark))
            .collect(),
        chart: chart(ctx, table),
    }
}

pub async fn page(
    State(state): State<AppState>,
    ctx: PageCtx,
    _auth: ManagerAuth,
    Path(panel_id): Path<String>,
) -> WebResult<EvaluationPage> {
    let e = process_evaluation(&state.db, &panel_id, ctx.lang).await?;
    let surveys = e.tables.first().map_or(0, |t| t.per_survey.len());
    let tables = e.tables.iter().map(|t| view(&ctx, t)).collect();
    Ok(EvaluationPage {
        ctx,
        panel: e.panel,
        tables,
        surveys,
    })
}
