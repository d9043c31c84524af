//! The themes of the open answers as the reports show them: per theme how many people
//! wrote about it (a sentence), the underlying problem, the core insight and what should
//! change, and a table per group. Outsiders (respondents, client) get the counts of
//! `stats::public_themes` and only themes at least `min_cell_size` people wrote about;
//! the manager gets every count. Open answers themselves never get here.

use super::results_view::{count_of, decimal, paragraphs};
use crate::i18n::Texts;
use crate::service::themes::Theme;
use crate::stats::{Public, ThemeCounts, ThemeSplit, public_themes, themes_shown};

pub struct ThemeSection {
    pub anchor: String,
    pub name: String,
    pub sentence: String,
    pub problem: Vec<String>,
    pub insight: Vec<String>,
    pub change: Vec<String>,
}

pub struct ThemeLine {
    pub label: String,
    pub cells: Vec<String>,
}

pub struct ThemeTable {
    pub anchor: String,
    pub caption: String,
    pub groups: Vec<String>,
    pub rows: Vec<ThemeLine>,
    pub bases: ThemeLine,
}

pub struct ThemesReport {
    pub intro: String,
    pub themes: Vec<ThemeSection>,
    /// The note that themes fewer than `min_cell_size` people wrote about were left out.
    pub left_out: Option<String>,
    pub tables: Vec<ThemeTable>,
}

fn count_sentence(ctx: &Texts, theme: &str, n: u64, answered: u64) -> String {
    let pct = if answered > 0 {
        decimal(ctx.lang, n as f64 / answered as f64 * 100.0, 0)
    } else {
        "0".to_owned()
    };
    ctx.tf(
        "themes.report.theme_count",
        &[
            ("n", &n),
            ("answered", &answered),
            ("pct", &pct),
            ("theme", &format!("‘{theme}’")),
        ],
    )
}

fn section(i: usize, theme: &Theme, sentence: String) -> ThemeSection {
    ThemeSection {
        anchor: format!("thema-{}", i + 1),
        name: theme.input.name.clone(),
        sentence,
        problem: paragraphs(&theme.input.problem),
        insight: paragraphs(&theme.input.insight),
        change: paragraphs(&theme.input.change),
    }
}

/// The table of split `s` with its rows and bases as they will be shown.
fn table(
    ctx: &Texts,
    s: usize,
    split: &ThemeSplit,
    rows: Vec<ThemeLine>,
    bases: Vec<String>,
) -> ThemeTable {
    ThemeTable {
        anchor: format!("thema-groep-{}", s + 1),
        caption: ctx.tf1("themes.report.caption", "name", &split.name),
        groups: split.groups.clone(),
        rows,
        bases: ThemeLine {
            label: ctx.t("themes.list.bases").to_owned(),
            cells: bases,
        },
    }
}

/// Everything, for the manager's report; `None` without themes.
pub fn manager_themes(ctx: &Texts, themes: &[Theme], counts: &ThemeCounts) -> Option<ThemesReport> {
    if themes.is_empty() {
        return None;
    }
    let sections = themes
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let sentence = count_sentence(ctx, &t.input.name, counts.counts[i], counts.answered);
            section(i, t, sentence)
        })
        .collect();
    let tables = counts
        .splits
        .iter()
        .enumerate()
        .map(|(s, split)| {
            let rows = themes
                .iter()
                .zip(&split.counts)
                .map(|(t, row)| ThemeLine {
                    label: t.input.name.clone(),
                    cells: row
                        .iter()
                        .zip(&split.bases)
                        .map(|(&n, &b)| count_of(ctx.lang, n, b))
                        .collect(),
                })
                .collect();
            let bases = split.bases.iter().map(u64::to_string).collect();
            table(ctx, s, split, rows, bases)
        })
        .collect();
    Some(ThemesReport {
        intro: ctx.tf1("themes.report.intro", "n", counts.answered),
        themes: sections,
        left_out: None,
        tables,
    })
}

/// For outsiders: only themes at least `k` people wrote about, counts as
/// `public_themes` allows; tables per group when `with_tables`. `None` without themes.
pub fn public_themes_report(
    ctx: &Texts,
    themes: &[Theme],
    counts: &ThemeCounts,
    k: u32,
    with_tables: bool,
) -> Option<ThemesReport> {
    if themes.is_empty() {
        return None;
    }
    let public = public_themes(counts, k);
    let hidden = ctx.tf1("results.member.less_than", "k", k);
    let shown = themes_shown(counts, k);
    let intro = match public.answered {
        Public::Shown(n) => ctx.tf1("themes.report.intro", "n", n),
        Public::Hidden => ctx.tf1("themes.report.intro_hidden", "k", k),
    };
    let sections = shown
        .iter()
        .map(|&i| {
            let t = &themes[i];
            let sentence = match public.themes[i].n {
                Public::Shown((n, _)) => count_sentence(ctx, &t.input.name, n, counts.answered),
                Public::Hidden => ctx.tf(
                    "themes.report.theme_hidden",
                    &[("k", &k), ("theme", &format!("‘{}’", t.input.name))],
                ),
            };
            section(i, t, sentence)
        })
        .collect();
    let tables = if with_tables && !shown.is_empty() {
        counts
            .splits
            .iter()
            .enumerate()
            .map(|(s, split)| {
                let rows = shown
                    .iter()
                    .map(|&i| ThemeLine {
                        label: themes[i].input.name.clone(),
                        cells: public.themes[i].groups[s]
                            .iter()
                            .zip(&split.bases)
                            .map(|(c, &b)| {
                                c.shown().map_or_else(
                                    || hidden.clone(),
                                    |(n, _)| count_of(ctx.lang, n, b),
                                )
                            })
                            .collect(),
                    })
                    .collect();
                let bases = public.bases[s]
                    .iter()
                    .map(|b| b.shown().map_or_else(|| hidden.clone(), |b| b.to_string()))
                    .collect();
                table(ctx, s, split, rows, bases)
            })
            .collect()
    } else {
        Vec::new()
    };
    Some(ThemesReport {
        intro,
        left_out: (shown.len() < themes.len()).then(|| ctx.tf1("themes.report.left_out", "k", k)),
        themes: sections,
        tables,
    })
}
