//! Crosstabs: every question's answers split by a grouping of the respondents — a
//! background variable, the way of answering (web, phone, paper) or whether someone
//! else helped. Counts per group; shares are taken of the group's respondents who
//! answered the question. `cross_public` derives what outsiders may see.

use super::summary::{DONT_KNOW, OTHER};
use super::tally::CrossTables;
use crate::domain::questionnaire::{Question, QuestionId, QuestionType};

/// A split of the respondents into groups.
#[derive(Clone, Debug, PartialEq)]
pub struct Grouping {
    /// What the groups are ("Woonsituatie", "Manier van antwoorden").
    pub name: String,
    /// The groups' labels; a respondent's code is an index into them.
    pub labels: Vec<String>,
    /// Each respondent's group, in the order of the responses.
    pub codes: Vec<u32>,
}

/// What a row of a crosstab counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowKind {
    /// An option, scale point or mark.
    Option,
    /// "Weet ik niet".
    DontKnow,
    /// "Iets anders, namelijk".
    Other,
    /// Marks below 6 ("onvoldoende").
    BelowSix,
}

impl RowKind {
    /// The name used in JSON: `option`, `dont_know`, `other`, `below_six`.
    pub fn code(&self) -> &'static str {
        match self {
            RowKind::Option => "option",
            RowKind::DontKnow => "dont_know",
            RowKind::Other => "other",
            RowKind::BelowSix => "below_six",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct CrossRow {
    pub label: String,
    pub kind: RowKind,
    /// Respondents per group.
    pub counts: Vec<u64>,
}

impl CrossRow {
    /// The row's share of each group's base; `None` for an empty group.
    pub fn shares(&self, bases: &[u64]) -> Vec<Option<f64>> {
        self.counts
            .iter()
            .zip(bases)
            .map(|(n, b)| (*b > 0).then(|| *n as f64 / *b as f64))
            .collect()
    }
}

/// One question split by the groups.
#[derive(Clone, Debug, PartialEq)]
pub struct QuestionCross {
    pub id: QuestionId,
    pub text: String,
    pub appended: bool,
    /// Respondents per group who answered the question.
    pub bases: Vec<u64>,
    pub rows: Vec<CrossRow>,
    /// Whether each respondent is in exactly one row (single choice, scale); for
    /// multiple choice and marks below 6 each row stands against its complement.
    pub exclusive: bool,
    /// Marks and numbers: per group the numbers given and their mean.
    pub means: Option<Vec<Option<(u64, f64)>>>,
}

/// Every question (open ones left out) split by one grouping.
#[derive(Clone, Debug, PartialEq)]
pub struct Crosstab {
    pub name: String,
    pub groups: Vec<String>,
    pub questions: Vec<QuestionCross>,
}

struct Cells<'a> {
    tables: &'a CrossTables,
    q: u32,
    groups: u32,
}

impl Cells<'_> {
    fn row(&self, label: &str, kind: RowKind, values: &[String]) -> CrossRow {
        CrossRow {
            label: label.to_owned(),
            kind,
            counts: (0..self.groups)
                .map(|g| {
                    values
                        .iter()
                        .map(|v| {
                            self.tables
                                .counts
                                .get(&(self.q, g, v.clone()))
                                .copied()
                                .unwrap_or(0)
                        })
                        .sum()
                })
                .collect(),
        }
    }

    fn bases(&self) -> Vec<u64> {
        (0..self.groups)
            .map(|g| self.tables.answered.get(&(self.q, g)).copied().unwrap_or(0))
            .collect()
    }

    fn means(&self) -> Vec<Option<(u64, f64)>> {
        (0..self.groups)
            .map(|g| self.tables.means.get(&(self.q, g)).copied())
            .collect()
    }
}

/// The crosstab of `questions` by `grouping`, from its counts (`tally`).
pub(super) fn crosstab(
    tables: &CrossTables,
    questions: &[Question],
    grouping: &Grouping,
) -> Crosstab {
    let groups = u32::try_from(grouping.labels.len()).unwrap_or(u32::MAX);
    let mut out = Vec::new();
    for (qi, question) in questions.iter().enumerate() {
        let cells = Cells {
            tables,
            q: u32::try_from(qi).unwrap_or(u32::MAX),
            groups,
        };
        let one = |label: &str, kind, value: &str| cells.row(label, kind, &[value.to_owned()]);
        let (rows, exclusive, means) = match &question.kind {
            QuestionType::SingleChoice { options, .. } => (
                options
                    .iter()
                    .map(|o| one(&o.label, RowKind::Option, o.value.as_str()))
                    .collect(),
                true,
                None,
            ),
            QuestionType::Scale { labels, dont_know } => {
                let mut rows: Vec<CrossRow> = labels
                    .iter()
                    .enumerate()
                    .map(|(i, l)| one(l, RowKind::Option, &(i + 1).to_string()))
                    .collect();
                if *dont_know {
                    rows.push(one("", RowKind::DontKnow, DONT_KNOW));
                }
                (rows, true, None)
            }
            QuestionType::MultipleChoice { options, other, .. } => {
                let mut rows: Vec<CrossRow> = options
                    .iter()
                    .map(|o| one(&o.label, RowKind::Option, o.value.as_str()))
                    .collect();
                if let Some(o) = other {
                    rows.push(one(&o.label, RowKind::Other, OTHER));
                }
                (rows, false, None)
            }
            QuestionType::Grade { min, max } => {
                let below: Vec<String> = (*min..=(*max).min(5)).map(|g| g.to_string()).collect();
                (
                    vec![cells.row("", RowKind::BelowSix, &below)],
                    false,
                    Some(cells.means()),
                )
            }
            QuestionType::Number { .. } => (Vec::new(), false, Some(cells.means())),
            QuestionType::OpenText { .. } => continue,
        };
        out.push(QuestionCross {
            id: question.id.clone(),
            text: question.text.clone(),
            appended: question.id.is_reserved(),
            bases: cells.bases(),
            rows,
            exclusive,
            means,
        });
    }
    Crosstab {
        name: grouping.name.clone(),
        groups: grouping.labels.clone(),
        questions: out,
    }
}
