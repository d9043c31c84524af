//! Open answers counted per theme (the guide's step 6b, "herken patronen"): how many
//! respondents wrote about each theme — a respondent counts once per theme, however many
//! of their answers carry it — of those who gave an open answer at all, overall and per
//! group. Themes overlap (an answer can have several), so each theme is judged like a
//! multiple-choice option: against the respondents who did not write about it.

use super::cross_public::{hidden_row, hidden_table};
use super::crosstab::Grouping;
use super::suppress::{Public, hidden_cells};

/// One respondent's open answers: whether there was any, and the themes (indexes into
/// the survey's themes) on them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RespondentThemes {
    pub answered: bool,
    pub themes: Vec<usize>,
}

/// One theme's respondents per group.
#[derive(Clone, Debug, PartialEq)]
pub struct ThemeSplit {
    pub name: String,
    pub groups: Vec<String>,
    /// Respondents with an open answer, per group.
    pub bases: Vec<u64>,
    /// Per theme, respondents per group.
    pub counts: Vec<Vec<u64>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ThemeCounts {
    /// Respondents with at least one open answer.
    pub answered: u64,
    /// Respondents with at least one theme on their answers.
    pub coded: u64,
    /// Per theme (in the survey's order), its respondents.
    pub counts: Vec<u64>,
    /// Per grouping asked for, the same split by group.
    pub splits: Vec<ThemeSplit>,
}

impl ThemeCounts {
    /// Each theme's share of the respondents with an open answer; `None` when nobody
    /// gave one.
    pub fn share(&self, theme: usize) -> Option<f64> {
        (self.answered > 0).then(|| self.counts[theme] as f64 / self.answered as f64)
    }
}

/// The themes outsiders see, by position: those at least `min_cell_size` respondents
/// wrote about. A theme fewer wrote about is left out whole, name and texts too: its
/// texts could point to the few who wrote about it.
pub fn themes_shown(c: &ThemeCounts, min_cell_size: u32) -> Vec<usize> {
    (0..c.counts.len())
        .filter(|&i| c.counts[i] >= u64::from(min_cell_size))
        .collect()
}

/// Count `themes` themes over `respondents` (in the order of the responses, as the
/// groupings' codes are). Theme indexes out of range are ignored.
pub fn count_themes(
    themes: usize,
    respondents: &[RespondentThemes],
    groupings: &[Grouping],
) -> ThemeCounts {
    let mut counts = vec![0u64; themes];
    let mut splits: Vec<ThemeSplit> = groupings
        .iter()
        .map(|g| ThemeSplit {
            name: g.name.clone(),
            groups: g.labels.clone(),
            bases: vec![0; g.labels.len()],
            counts: vec![vec![0; g.labels.len()]; themes],
        })
        .collect();
    let (mut answered, mut coded) = (0, 0);
    for (i, r) in respondents.iter().enumerate() {
        if !r.answered {
            continue;
        }
        answered += 1;
        let mut own: Vec<usize> = r.themes.iter().copied().filter(|t| *t < themes).collect();
        own.sort_unstable();
        own.dedup();
        if !own.is_empty() {
            coded += 1;
        }
        for t in &own {
            counts[*t] += 1;
        }
        for (split, grouping) in splits.iter_mut().zip(groupings) {
            let Some(g) = grouping.codes.get(i).map(|c| *c as usize) else {
                continue;
            };
            if g >= split.bases.len() {
                continue;
            }
            split.bases[g] += 1;
            for t in &own {
                split.counts[*t][g] += 1;
            }
        }
    }
    ThemeCounts {
        answered,
        coded,
        counts,
        splits,
    }
}

/// A count and its share of the group, or hidden.
pub type PublicCell = Public<(u64, f64)>;

/// A theme's figures as outsiders see them.
#[derive(Clone, Debug, PartialEq)]
pub struct PublicTheme {
    /// Respondents and their share of those with an open answer.
    pub n: PublicCell,
    /// Per group of each split, in the order of `ThemeCounts::splits`.
    pub groups: Vec<Vec<PublicCell>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PublicThemeCounts {
    pub answered: Public<u64>,
    pub themes: Vec<PublicTheme>,
    /// Per split, the groups' bases.
    pub bases: Vec<Vec<Public<u64>>>,
}

/// The theme counts outside the manager's own view: a theme's count is hidden when it,
/// or the count of those who did not write about it, is below `min_cell_size` (either
/// follows from the other and the published base); per group the same, with groups
/// below `min_cell_size` hidden whole.
pub fn public_themes(c: &ThemeCounts, min_cell_size: u32) -> PublicThemeCounts {
    let k = u64::from(min_cell_size);
    let answered = if c.answered >= k {
        Public::Shown(c.answered)
    } else {
        Public::Hidden
    };
    let mut bases = Vec::new();
    // Per split, per theme, per group.
    let mut per_split: Vec<Vec<Vec<PublicCell>>> = Vec::new();
    for split in &c.splits {
        let (_, base_hidden) = hidden_table(&[], &split.bases, k);
        let hidden_base = |g: usize| {
            base_hidden[g] || split.bases[g] < k || split.bases[g] == 0 || c.answered < k
        };
        bases.push(
            (0..split.bases.len())
                .map(|g| {
                    if hidden_base(g) {
                        Public::Hidden
                    } else {
                        Public::Shown(split.bases[g])
                    }
                })
                .collect(),
        );
        let hidden_bases: Vec<bool> = (0..split.bases.len()).map(hidden_base).collect();
        per_split.push(
            split
                .counts
                .iter()
                .map(|row| {
                    let hidden = hidden_row(row, &split.bases, &hidden_bases, k);
                    row.iter()
                        .zip(&split.bases)
                        .zip(hidden)
                        .map(|((&n, &b), h)| {
                            if h || b == 0 {
                                Public::Hidden
                            } else {
                                Public::Shown((n, n as f64 / b as f64))
                            }
                        })
                        .collect()
                })
                .collect(),
        );
    }
    let themes = c
        .counts
        .iter()
        .enumerate()
        .map(|(t, &n)| {
            let rest = c.answered.saturating_sub(n);
            let hidden = hidden_cells(&[n, rest], k)[0] || c.answered < k;
            PublicTheme {
                n: if hidden {
                    Public::Hidden
                } else {
                    Public::Shown((n, n as f64 / c.answered as f64))
                },
                groups: per_split.iter().map(|s| s[t].clone()).collect(),
            }
        })
        .collect();
    PublicThemeCounts {
        answered,
        themes,
        bases,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(answered: bool, themes: &[usize]) -> RespondentThemes {
        RespondentThemes {
            answered,
            themes: themes.to_vec(),
        }
    }

    #[test]
    fn a_respondent_counts_once_per_theme() {
        let people = [
            r(true, &[0, 1, 0]),
            r(true, &[1]),
            r(true, &[]),
            r(false, &[]),
            r(true, &[7]),
        ];
        let grouping = Grouping {
            name: "Rol".into(),
            labels: vec!["ervaring".into(), "naaste".into()],
            codes: vec![0, 1, 1, 0, 0],
        };
        let c = count_themes(2, &people, &[grouping]);
        assert_eq!(c.answered, 4);
        assert_eq!(c.coded, 2);
        assert_eq!(c.counts, [1, 2]);
        assert_eq!(c.share(1), Some(0.5));
        let s = &c.splits[0];
        assert_eq!(s.bases, [2, 2]);
        assert_eq!(s.counts, [vec![1, 0], vec![1, 1]]);
        let none = count_themes(1, &[], &[]);
        assert_eq!(none.share(0), None);
    }

    #[test]
    fn small_theme_counts_and_their_complements_are_hidden() {
        // 60 respondents with an open answer. Theme 0: every second one (30); theme 1:
        // 4 (below 10); theme 2: 55, so only 5 did not write about it (hidden too).
        let people: Vec<RespondentThemes> = (0..60)
            .map(|i| {
                let mut t = Vec::new();
                if i % 2 == 0 {
                    t.push(0);
                }
                if i < 4 {
                    t.push(1);
                }
                if i < 55 {
                    t.push(2);
                }
                r(true, &t)
            })
            .collect();
        let halves = Grouping {
            name: "Helft".into(),
            labels: vec!["a".into(), "b".into()],
            codes: (0..60).map(|i| u32::from(i >= 30)).collect(),
        };
        // Groups of 25, 30 and 5: the 5 are hidden, and so the 25 (their sum is known).
        let thirds = Grouping {
            name: "Groep".into(),
            labels: vec!["x".into(), "y".into(), "z".into()],
            codes: (0..60)
                .map(|i| {
                    if i < 5 {
                        2
                    } else if i < 30 {
                        0
                    } else {
                        1
                    }
                })
                .collect(),
        };
        let c = count_themes(3, &people, &[halves, thirds]);
        assert_eq!(c.counts, [30, 4, 55]);
        let p = public_themes(&c, 10);
        assert_eq!(p.answered, Public::Shown(60));
        assert_eq!(p.themes[0].n, Public::Shown((30, 0.5)));
        assert_eq!(p.themes[1].n, Public::Hidden);
        assert_eq!(p.themes[2].n, Public::Hidden);
        assert_eq!(p.bases[0], [Public::Shown(30), Public::Shown(30)]);
        assert_eq!(
            p.themes[0].groups[0],
            [Public::Shown((15, 0.5)), Public::Shown((15, 0.5))]
        );
        // 4 and 0: the lone small count would follow from the theme's total.
        assert_eq!(p.themes[1].groups[0], [Public::Hidden, Public::Hidden]);
        // 30 of 30 and 25 of 30: the 5 who did not are hidden, and with them the rest.
        assert_eq!(p.themes[2].groups[0], [Public::Hidden, Public::Hidden]);
        assert_eq!(
            p.bases[1],
            [Public::Hidden, Public::Shown(30), Public::Hidden]
        );
        assert_eq!(
            p.themes[0].groups[1],
            [Public::Hidden, Public::Shown((15, 0.5)), Public::Hidden]
        );
        // Fewer than 10 with an open answer: nothing is shown.
        let few = count_themes(1, &people[..9], &[]);
        let p = public_themes(&few, 10);
        assert_eq!(p.answered, Public::Hidden);
        assert_eq!(p.themes[0].n, Public::Hidden);
    }
}
