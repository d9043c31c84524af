//! `klankbord report SURVEY --out DIR`: the three reports as HTML, the manager's charts
//! as SVG files and the figures as CSV — `cijfers.csv` as outsiders may see them (small
//! groups empty and marked), `beheer-cijfers.csv` with every count, for the manager.

use std::path::{Path, PathBuf};

use sea_orm::ConnectionTrait;

use super::documents::ReportKind;
use super::results_tables::manager_question;
use crate::i18n::{Lang, Texts};
use crate::service::results::{self, SurveyResults};
use crate::stats::{Figures, Public, PublicFigures};

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Results(#[from] results::ResultsError),
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("csv: {0}")]
    Csv(#[from] csv::Error),
}

fn write(path: PathBuf, bytes: &[u8]) -> Result<PathBuf, ReportError> {
    std::fs::write(&path, bytes).map_err(|source| ReportError::Io {
        path: path.clone(),
        source,
    })?;
    Ok(path)
}

/// One CSV line per counted answer: question, answer, count and percentage.
fn figures_csv(results: &SurveyResults, public: bool) -> Result<Vec<u8>, ReportError> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record([
        "question_id",
        "question",
        "answer",
        "count",
        "percent",
        "hidden",
    ])?;
    if public {
        for q in &results.public().questions {
            let cells = match &q.figures {
                PublicFigures::Choice { options, dont_know } => {
                    options.iter().chain(dont_know).collect::<Vec<_>>()
                }
                PublicFigures::Multiple { options, other } => options.iter().chain(other).collect(),
                PublicFigures::Grade { marks, .. } => marks.iter().collect(),
                PublicFigures::Number { .. } => Vec::new(),
            };
            for c in cells {
                let (n, pct, hidden) = match (c.n, c.share) {
                    (Public::Shown(n), Public::Shown(s)) => {
                        (n.to_string(), format!("{:.1}", s * 100.0), "0")
                    }
                    (Public::Shown(n), Public::Hidden) => (n.to_string(), String::new(), "0"),
                    _ => (String::new(), String::new(), "1"),
                };
                out.write_record([q.id.as_str(), &q.text, &c.label, &n, &pct, hidden])?;
            }
        }
    } else {
        for q in &results.summary.questions {
            let cells = match &q.figures {
                Figures::Choice(c) => c.options.iter().chain(&c.dont_know).collect::<Vec<_>>(),
                Figures::Multiple(m) => m.options.iter().chain(&m.other).collect(),
                Figures::Grade(g) => g.marks.iter().collect(),
                Figures::Number(_) | Figures::Open(_) => Vec::new(),
            };
            for c in cells {
                let pct = c
                    .share
                    .map_or_else(String::new, |s| format!("{:.1}", s * 100.0));
                out.write_record([
                    q.id.as_str(),
                    &q.text,
                    &c.label,
                    &c.n.to_string(),
                    &pct,
                    "0",
                ])?;
            }
        }
    }
    out.into_inner()
        .map_err(|e| ReportError::Csv(csv::Error::from(e.into_error())))
}

/// Write every report of the survey into `dir` (created when missing); the files
/// written.
pub async fn write_reports(
    db: &impl ConnectionTrait,
    survey_id: i64,
    dir: &Path,
    lang: Lang,
) -> Result<Vec<PathBuf>, ReportError> {
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| ReportError::Io { path, source }
    };
    let charts = dir.join("beheer-grafieken");
    std::fs::create_dir_all(&charts).map_err(io(&charts))?;
    let mut written = Vec::new();
    for kind in ReportKind::ALL {
        let (results, html) = results::report(db, survey_id, kind, lang).await?;
        written.push(write(dir.join(kind.file()), html.as_bytes())?);
        if kind == ReportKind::Manager {
            let ctx = Texts { lang };
            let public = results.public();
            for (i, q) in results.summary.questions.iter().enumerate() {
                let p = public.questions.iter().find(|p| p.id == q.id.as_str());
                if let Some(svg) = manager_question(&ctx, i + 1, q, p).chart {
                    let path = charts.join(format!("vraag-{}.svg", i + 1));
                    written.push(write(path, svg.as_bytes())?);
                }
            }
            written.push(write(
                dir.join("beheer-cijfers.csv"),
                &figures_csv(&results, false)?,
            )?);
            written.push(write(
                dir.join("cijfers.csv"),
                &figures_csv(&results, true)?,
            )?);
        }
    }
    Ok(written)
}
