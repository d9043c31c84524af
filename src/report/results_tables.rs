//! The manager's view of each question's figures: a table with counts, percentages and
//! 95% intervals (small groups marked, as respondents will not see them), key figures
//! for marks and numbers, an SVG bar chart for choice questions and marks, and the open
//! answers.

use crate::i18n::Texts;
use crate::report::chart::{Bar, ChartText, share_bars};
use crate::report::results_view::decimal;
use crate::stats::{
    Count, Figures, Interval, Moments, Public, PublicFigures, PublicQuestion, QuestionSummary,
};

/// One line of a question's table.
pub struct FigureRow {
    pub label: String,
    pub count: u64,
    pub percent: String,
    pub interval: String,
    /// Respondents will see "minder dan k" here.
    pub small: bool,
    /// Don't-know and no-answer: shown apart from the options.
    pub apart: bool,
    /// The weighted percentage and its interval, when the figures are weighted.
    pub weighted: Option<(String, String)>,
}

/// A key figure (mean, median, …) as label and value.
pub struct StatRow {
    pub label: String,
    pub value: String,
}

pub struct ManagerQuestion {
    /// The table has weighted columns.
    pub weighted: bool,
    pub anchor: String,
    pub number: usize,
    pub text: String,
    pub appended: bool,
    /// "Gesteld aan 8 mensen. 7 gaven antwoord, 1 niet."
    pub reach: String,
    /// What the percentages are shares of.
    pub base_note: String,
    pub rows: Vec<FigureRow>,
    pub stats: Vec<StatRow>,
    /// The key figures rest on fewer than k people: respondents do not see them.
    pub stats_small: bool,
    pub chart: Option<String>,
    /// Open answers (manager only); `None` for other questions.
    pub open: Option<Vec<String>>,
}

fn percent(ctx: &Texts, share: Option<f64>) -> String {
    share.map_or_else(
        || "–".to_owned(),
        |s| format!("{}%", decimal(ctx.lang, s * 100.0, 1)),
    )
}

fn interval_pct(ctx: &Texts, i: Option<Interval>) -> String {
    i.map_or_else(
        || "–".to_owned(),
        |i| {
            format!(
                "{}–{}%",
                decimal(ctx.lang, i.low * 100.0, 1),
                decimal(ctx.lang, i.high * 100.0, 1)
            )
        },
    )
}

fn figure_row(ctx: &Texts, c: &Count, public_n: Option<Public<u64>>) -> FigureRow {
    FigureRow {
        label: c.label.clone(),
        count: c.n,
        percent: percent(ctx, c.share),
        interval: interval_pct(ctx, c.interval),
        small: public_n == Some(Public::Hidden),
        apart: false,
        weighted: c.weighted.as_ref().map(|w| {
            (
                percent(ctx, Some(w.share)),
                interval_pct(ctx, Some(w.interval)),
            )
        }),
    }
}

fn apart(mut row: FigureRow, label: &str) -> FigureRow {
    row.label = label.to_owned();
    row.apart = true;
    row
}

fn moment_rows(ctx: &Texts, m: &Moments) -> Vec<StatRow> {
    let d = |v: f64| decimal(ctx.lang, v, 1);
    let mut rows = vec![
        (ctx.t("results.manager.n"), m.n.to_string()),
        (ctx.t("results.manager.mean"), d(m.mean)),
        (
            ctx.t("results.manager.mean_ci"),
            m.interval
                .map_or_else(|| "–".to_owned(), |i| format!("{}–{}", d(i.low), d(i.high))),
        ),
        (ctx.t("results.manager.median"), d(m.median)),
        (ctx.t("results.manager.q1"), d(m.q1)),
        (ctx.t("results.manager.q3"), d(m.q3)),
        (ctx.t("results.manager.min"), d(m.min)),
        (ctx.t("results.manager.max"), d(m.max)),
    ];
    if let Some(sd) = m.sd {
        rows.push((ctx.t("results.manager.sd"), d(sd)));
    }
    rows.into_iter()
        .map(|(label, value)| StatRow {
            label: label.to_owned(),
            value,
        })
        .collect()
}

fn chart(title: &str, rows: &[FigureRow], shares: &[Option<f64>]) -> Option<String> {
    let bars: Vec<Bar> = rows
        .iter()
        .zip(shares)
        .filter_map(|(r, s)| {
            Some(Bar {
                label: r.label.clone(),
                value: (*s)? * 100.0,
                target: None,
            })
        })
        .collect();
    if bars.is_empty() {
        return None;
    }
    let description = rows
        .iter()
        .map(|r| format!("{}: {}", r.label, r.percent))
        .collect::<Vec<_>>()
        .join("; ");
    Some(share_bars(
        &bars,
        &ChartText {
            title,
            description: &description,
            now_label: "",
            target_label: "",
        },
    ))
}

/// The manager's view of one question; `public` is what respondents see of it.
pub fn manager_question(
    ctx: &Texts,
    number: usize,
    q: &QuestionSummary,
    public: Option<&PublicQuestion>,
) -> ManagerQuestion {
    let mut rows = Vec::new();
    let mut stats = Vec::new();
    let mut stats_small = false;
    let mut shares = Vec::new();
    let mut open = None;
    let answered = q.answered;
    let mut base_note = ctx.tf1("results.manager.base_choice", "n", answered);
    let pf = public.map(|p| &p.figures);
    match (&q.figures, pf) {
        (Figures::Choice(c), pf) => {
            let (po, pdk) = match pf {
                Some(PublicFigures::Choice { options, dont_know }) => {
                    (Some(options), dont_know.as_ref())
                }
                _ => (None, None),
            };
            for (i, o) in c.options.iter().enumerate() {
                rows.push(figure_row(ctx, o, po.and_then(|p| p.get(i)).map(|p| p.n)));
                shares.push(o.share);
            }
            if let Some(dk) = &c.dont_know {
                base_note = ctx.tf1("results.manager.base_choice_dk", "n", answered);
                let row = figure_row(ctx, dk, pdk.map(|p| p.n));
                rows.push(apart(row, ctx.t("results.manager.dont_know")));
                shares.push(dk.share);
            }
        }
        (Figures::Multiple(m), pf) => {
            base_note = ctx.tf1("results.manager.base_multiple", "n", answered);
            let (po, pother) = match pf {
                Some(PublicFigures::Multiple { options, other }) => (Some(options), other.as_ref()),
                _ => (None, None),
            };
            for (i, o) in m.options.iter().enumerate() {
                rows.push(figure_row(ctx, o, po.and_then(|p| p.get(i)).map(|p| p.n)));
                shares.push(o.share);
            }
            if let Some(other) = &m.other {
                rows.push(figure_row(ctx, other, pother.map(|p| p.n)));
                shares.push(other.share);
            }
        }
        (Figures::Grade(g), pf) => {
            let (pm, plow, pmean) = match pf {
                Some(PublicFigures::Grade {
                    marks,
                    below_six,
                    mean,
                    ..
                }) => (Some(marks), Some(below_six), Some(*mean)),
                _ => (None, None, None),
            };
            for (i, mark) in g.marks.iter().enumerate() {
                let mut row = figure_row(ctx, mark, pm.and_then(|p| p.get(i)).map(|p| p.n));
                row.label = ctx.tf1("results.manager.mark", "mark", &mark.label);
                rows.push(row);
                shares.push(mark.share);
            }
            let low = figure_row(ctx, &g.below_six, plow.map(|p| p.n));
            rows.push(apart(low, ctx.t("results.manager.below_six")));
            shares.push(None);
            if let Some(m) = &g.moments {
                stats = moment_rows(ctx, m);
                stats_small = pmean == Some(Public::Hidden);
            }
        }
        (Figures::Number(n), pf) => {
            base_note = match &n.unit {
                Some(unit) => ctx.tf1("results.manager.unit", "unit", unit),
                None => String::new(),
            };
            if let Some(m) = &n.moments {
                stats = moment_rows(ctx, m);
                stats_small = matches!(
                    pf,
                    Some(PublicFigures::Number {
                        mean: Public::Hidden,
                        ..
                    })
                );
            }
        }
        (Figures::Open(texts), _) => {
            base_note = ctx.t("results.manager.open_note").to_owned();
            open = Some(texts.clone());
        }
    }
    let chart = if rows.is_empty() || answered == 0 {
        None
    } else {
        chart(&q.text, &rows, &shares)
    };
    if !matches!(q.figures, Figures::Open(_) | Figures::Number(_)) {
        let weighted = rows
            .iter()
            .any(|r| r.weighted.is_some())
            .then(|| ("–".to_owned(), "–".to_owned()));
        rows.push(FigureRow {
            label: ctx.t("results.manager.no_answer").to_owned(),
            count: q.no_answer,
            percent: "–".to_owned(),
            interval: "–".to_owned(),
            small: false,
            apart: true,
            weighted,
        });
    }
    ManagerQuestion {
        weighted: rows.iter().any(|r| r.weighted.is_some()),
        anchor: format!("v-{}", q.id),
        number,
        text: q.text.clone(),
        appended: q.appended,
        reach: ctx.tf(
            "results.manager.reach",
            &[
                ("asked", &q.asked),
                ("answered", &q.answered),
                ("none", &q.no_answer),
            ],
        ),
        base_note,
        rows,
        stats,
        stats_small,
        chart,
        open,
    }
}
