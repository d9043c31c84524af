//! The three reports of a survey, rendered from the templates in the top-level
//! `reports/` folder: for respondents (key results in sentences with their tables, "Wat
//! doen we ermee?", "Wat is er veranderd, en wat niet?"), for the client (aggregate
//! figures and crosstabs by background, small groups hidden, no open answers) and for
//! the manager (everything, charts and open answers included). `klankbord report`
//! writes them with the charts as SVG and the figures as CSV; the manager pages serve
//! the same HTML.

use askama::Template;

use super::results_tables::{ManagerQuestion, manager_question};
use super::results_view::{MemberQuestion, decimal, less_than, member_question, paragraphs};
use super::themes_view::{ThemesReport, manager_themes, public_themes_report};
use crate::domain::grouping::GroupBy;
use crate::i18n::{Lang, Texts};
use crate::service::results::SurveyResults;
use crate::stats::{Crosstab, Public, PublicCrosstab, RowKind, public_crosstab};

const CSS: &str = include_str!("../web/static/klankbord.css");

/// Which report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportKind {
    Respondents,
    Client,
    Manager,
}

impl ReportKind {
    pub const ALL: [ReportKind; 3] = [
        ReportKind::Respondents,
        ReportKind::Client,
        ReportKind::Manager,
    ];

    /// The file name, also the last part of the manager page's address.
    pub fn file(self) -> &'static str {
        match self {
            ReportKind::Respondents => "deelnemers.html",
            ReportKind::Client => "opdrachtgever.html",
            ReportKind::Manager => "beheer.html",
        }
    }

    pub fn from_file(file: &str) -> Option<ReportKind> {
        Self::ALL.into_iter().find(|k| k.file() == file)
    }

    /// The groupings this report splits the results by.
    pub fn groupings(self, results_panel: &crate::domain::panel::PanelDefinition) -> Vec<GroupBy> {
        match self {
            ReportKind::Respondents => Vec::new(),
            ReportKind::Client => results_panel
                .background_variables
                .iter()
                .map(|v| GroupBy::Background(v.id.clone()))
                .collect(),
            ReportKind::Manager => GroupBy::all(results_panel),
        }
    }
}

pub struct ReportLine {
    pub label: String,
    pub cells: Vec<String>,
}

pub struct ReportCrossQuestion {
    pub heading: String,
    pub rows: Vec<ReportLine>,
    pub bases: ReportLine,
}

pub struct ReportCross {
    pub anchor: String,
    pub title: String,
    pub groups: Vec<String>,
    pub questions: Vec<ReportCrossQuestion>,
}

#[derive(Template)]
#[template(path = "respondent-report.html", config = "src/web/askama.toml")]
struct RespondentReport<'a> {
    ctx: Texts,
    css: &'a str,
    title: String,
    intro: String,
    footer: String,
    questions: Vec<MemberQuestion>,
    what_we_do: Vec<String>,
    what_changed: Vec<String>,
    themes: Option<ThemesReport>,
}

#[derive(Template)]
#[template(path = "client-report.html", config = "src/web/askama.toml")]
struct ClientReport<'a> {
    ctx: Texts,
    css: &'a str,
    title: String,
    intro: String,
    footer: String,
    min_cell_size: u32,
    questions: Vec<MemberQuestion>,
    crosstabs: Vec<ReportCross>,
    themes: Option<ThemesReport>,
}

#[derive(Template)]
#[template(path = "manager-report.html", config = "src/web/askama.toml")]
struct ManagerReport<'a> {
    ctx: Texts,
    css: &'a str,
    title: String,
    intro: String,
    footer: String,
    questions: Vec<ManagerQuestion>,
    crosstabs: Vec<ReportCross>,
    what_we_do: Vec<String>,
    what_changed: Vec<String>,
    themes: Option<ThemesReport>,
}

fn row_label(ctx: &Texts, label: &str, kind: RowKind) -> String {
    match kind {
        RowKind::Option | RowKind::Other => label.to_owned(),
        RowKind::DontKnow => ctx.t("results.manager.dont_know").to_owned(),
        RowKind::BelowSix => ctx.t("results.manager.below_six").to_owned(),
    }
}

fn cell(ctx: &Texts, n: u64, share: f64) -> String {
    format!("{n} ({}%)", decimal(ctx.lang, share * 100.0, 1))
}

fn public_cross(ctx: &Texts, i: usize, tab: &PublicCrosstab, k: u32) -> ReportCross {
    let hidden = less_than(ctx, k);
    ReportCross {
        anchor: format!("groep-{i}"),
        title: ctx.tf1("results.cross.by", "name", &tab.name),
        groups: tab.groups.clone(),
        questions: tab
            .questions
            .iter()
            .filter(|q| !q.appended)
            .map(|q| ReportCrossQuestion {
                heading: q.text.clone(),
                rows: q
                    .rows
                    .iter()
                    .map(|r| ReportLine {
                        label: row_label(ctx, &r.label, r.kind),
                        cells: r
                            .cells
                            .iter()
                            .map(|c| {
                                c.shown()
                                    .map_or_else(|| hidden.clone(), |(n, s)| cell(ctx, n, s))
                            })
                            .collect(),
                    })
                    .collect(),
                bases: ReportLine {
                    label: ctx.t("results.cross.base").to_owned(),
                    cells: q
                        .bases
                        .iter()
                        .map(|b| b.shown().map_or_else(|| hidden.clone(), |b| b.to_string()))
                        .collect(),
                },
            })
            .collect(),
    }
}

fn manager_cross(ctx: &Texts, i: usize, tab: &Crosstab) -> ReportCross {
    ReportCross {
        anchor: format!("groep-{i}"),
        title: ctx.tf1("results.cross.by", "name", &tab.name),
        groups: tab.groups.clone(),
        questions: tab
            .questions
            .iter()
            .map(|q| ReportCrossQuestion {
                heading: q.text.clone(),
                rows: q
                    .rows
                    .iter()
                    .map(|r| ReportLine {
                        label: row_label(ctx, &r.label, r.kind),
                        cells: r
                            .counts
                            .iter()
                            .zip(r.shares(&q.bases))
                            .map(|(n, s)| s.map_or_else(|| n.to_string(), |s| cell(ctx, *n, s)))
                            .collect(),
                    })
                    .collect(),
                bases: ReportLine {
                    label: ctx.t("results.cross.base").to_owned(),
                    cells: q.bases.iter().map(u64::to_string).collect(),
                },
            })
            .collect(),
    }
}

fn public_questions(ctx: &Texts, results: &SurveyResults) -> Vec<MemberQuestion> {
    let k = results.min_cell_size();
    results
        .public()
        .questions
        .iter()
        .filter(|q| !q.appended)
        .map(|q| member_question(ctx, k, q))
        .collect()
}

fn intro(ctx: &Texts, results: &SurveyResults) -> String {
    match results.public().respondents {
        Public::Shown(n) => ctx.tf1("results.member.intro", "n", n),
        Public::Hidden => ctx.tf1(
            "results.member.intro_hidden",
            "k",
            less_than(ctx, results.min_cell_size()),
        ),
    }
}

/// The report of `kind` as a whole HTML page. `results` must hold the crosstabs of
/// `kind.groupings()`.
pub fn render(kind: ReportKind, results: &SurveyResults, lang: Lang) -> String {
    let ctx = Texts { lang };
    let k = results.min_cell_size();
    let feedback = results.feedback.as_ref();
    let what_we_do = feedback.map_or_else(Vec::new, |f| paragraphs(&f.what_we_do));
    let what_changed = feedback.map_or_else(Vec::new, |f| paragraphs(&f.what_changed));
    let footer = ctx.tf1("results.member.privacy", "k", k);
    let title = ctx.tf1(
        &format!("report.title.{}", kind.file().trim_end_matches(".html")),
        "title",
        &results.survey.title,
    );
    let rendered = match kind {
        ReportKind::Respondents => RespondentReport {
            css: CSS,
            intro: intro(&ctx, results),
            questions: public_questions(&ctx, results),
            themes: public_themes_report(&ctx, &results.themes, &results.theme_counts, k, false),
            title,
            footer,
            what_we_do,
            what_changed,
            ctx,
        }
        .render(),
        ReportKind::Client => ClientReport {
            css: CSS,
            intro: intro(&ctx, results),
            questions: public_questions(&ctx, results),
            crosstabs: results
                .crosstabs
                .iter()
                .enumerate()
                .map(|(i, (_, tab))| public_cross(&ctx, i + 1, &public_crosstab(tab, k), k))
                .collect(),
            min_cell_size: k,
            themes: public_themes_report(&ctx, &results.themes, &results.theme_counts, k, true),
            title,
            footer,
            ctx,
        }
        .render(),
        ReportKind::Manager => {
            let public = results.public();
            ManagerReport {
                css: CSS,
                intro: ctx.tf2(
                    "results.manager.intro",
                    "n",
                    results.summary.respondents,
                    "k",
                    k,
                ),
                questions: results
                    .summary
                    .questions
                    .iter()
                    .enumerate()
                    .map(|(i, q)| {
                        let p = public.questions.iter().find(|p| p.id == q.id.as_str());
                        manager_question(&ctx, i + 1, q, p)
                    })
                    .collect(),
                crosstabs: results
                    .crosstabs
                    .iter()
                    .enumerate()
                    .map(|(i, (_, tab))| manager_cross(&ctx, i + 1, tab))
                    .collect(),
                themes: manager_themes(&ctx, &results.themes, &results.theme_counts),
                title,
                footer,
                what_we_do,
                what_changed,
                ctx,
            }
            .render()
        }
    };
    rendered.expect("report templates render")
}
