//! Crosstabs as outsiders see them. A crosstab publishes more totals than a single
//! distribution: every group's base (column total), every row's total over the groups
//! (the question's own figures) and the sum of the bases. So the rule of `suppress` is
//! applied to every line of the table, again and again until nothing changes:
//!
//! - a group whose base is below `min_cell_size` is hidden whole, zeros too;
//! - a count of 1 to k - 1 is hidden;
//! - in every line with a published total (each row across the groups, each shown
//!   group's column, the row of bases) a lone hidden count, or hidden counts that
//!   together are fewer than k, get the smallest shown count of that line hidden too.
//!
//! Rows that are not exclusive (a multiple choice option, marks below 6) are judged
//! against their complement in each group ("did not choose"), like `public_share`.
//! Means of a group are shown only when the group is shown and its numbers reach k.

use super::crosstab::{CrossRow, Crosstab, QuestionCross, RowKind};
use super::suppress::Public;

/// One cell as outsiders see it: the count and its share of the group's base.
#[derive(Clone, Debug, PartialEq)]
pub struct PublicCrossRow {
    pub label: String,
    pub kind: RowKind,
    pub cells: Vec<Public<(u64, f64)>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PublicQuestionCross {
    pub id: String,
    pub text: String,
    pub appended: bool,
    pub bases: Vec<Public<u64>>,
    pub rows: Vec<PublicCrossRow>,
    pub means: Option<Vec<Public<f64>>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PublicCrosstab {
    pub name: String,
    pub groups: Vec<String>,
    pub questions: Vec<PublicQuestionCross>,
}

/// Hide more cells of one line (whose total is published) while a lone hidden count,
/// or hidden counts summing to fewer than `k`, could be worked out. Returns whether a
/// cell was added.
fn complete_line(values: &[u64], hidden: &mut [&mut bool], k: u64) -> bool {
    let (m, sum) = values
        .iter()
        .zip(hidden.iter())
        .filter(|(_, h)| ***h)
        .fold((0usize, 0u64), |(m, s), (n, _)| (m + 1, s + n));
    if m == 0 || (m >= 2 && sum >= k) {
        return false;
    }
    let next = (0..values.len())
        .filter(|&i| !*hidden[i])
        .min_by_key(|&i| (values[i] == 0, values[i], i));
    match next {
        Some(i) => {
            *hidden[i] = true;
            true
        }
        None => false,
    }
}

/// Which cells of an exclusive table (`rows[r][g]`, each group's column summing to its
/// base) and which bases to hide.
pub fn hidden_table(rows: &[Vec<u64>], bases: &[u64], k: u64) -> (Vec<Vec<bool>>, Vec<bool>) {
    let groups = bases.len();
    let mut base_hidden: Vec<bool> = bases.iter().map(|&b| b > 0 && b < k).collect();
    if bases.iter().sum::<u64>() < k {
        base_hidden = vec![true; groups];
    }
    let mut cells: Vec<Vec<bool>> = rows
        .iter()
        .map(|row| row.iter().map(|&n| n > 0 && n < k).collect())
        .collect();
    loop {
        let mut changed = false;
        // The row of bases, its total published.
        {
            let mut line: Vec<&mut bool> = base_hidden.iter_mut().collect();
            changed |= complete_line(bases, &mut line, k);
        }
        for g in 0..groups {
            if base_hidden[g] {
                for row in cells.iter_mut() {
                    changed |= !row[g];
                    row[g] = true;
                }
            }
        }
        for (r, row) in rows.iter().enumerate() {
            let mut line: Vec<&mut bool> = cells[r].iter_mut().collect();
            changed |= complete_line(row, &mut line, k);
        }
        for g in (0..groups).filter(|&g| !base_hidden[g]) {
            let column: Vec<u64> = rows.iter().map(|row| row[g]).collect();
            let mut line: Vec<&mut bool> = cells.iter_mut().map(|row| &mut row[g]).collect();
            changed |= complete_line(&column, &mut line, k);
        }
        if !changed {
            return (cells, base_hidden);
        }
    }
}

/// Which cells of a non-exclusive row to hide: the row against its complement in each
/// group, with the same bases.
pub(crate) fn hidden_row(row: &[u64], bases: &[u64], base_hidden: &[bool], k: u64) -> Vec<bool> {
    let rest: Vec<u64> = row
        .iter()
        .zip(bases)
        .map(|(n, b)| b.saturating_sub(*n))
        .collect();
    let (cells, _) = hidden_table(&[row.to_vec(), rest], bases, k);
    cells[0]
        .iter()
        .zip(base_hidden)
        .map(|(c, b)| *c || *b)
        .collect()
}

fn public_row(row: &CrossRow, hidden: &[bool], bases: &[u64]) -> PublicCrossRow {
    PublicCrossRow {
        label: row.label.clone(),
        kind: row.kind,
        cells: row
            .counts
            .iter()
            .zip(hidden)
            .zip(bases)
            .map(|((&n, &h), &b)| {
                if h || b == 0 {
                    Public::Hidden
                } else {
                    Public::Shown((n, n as f64 / b as f64))
                }
            })
            .collect(),
    }
}

/// One question's crosstab for outsiders.
pub fn public_question_cross(q: &QuestionCross, min_cell_size: u32) -> PublicQuestionCross {
    let k = u64::from(min_cell_size);
    let exclusive_rows: Vec<Vec<u64>> = if q.exclusive {
        q.rows.iter().map(|r| r.counts.clone()).collect()
    } else {
        Vec::new()
    };
    let (exclusive_hidden, base_hidden) = hidden_table(&exclusive_rows, &q.bases, k);
    let rows = q
        .rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let hidden = if q.exclusive {
                exclusive_hidden[i].clone()
            } else {
                hidden_row(&row.counts, &q.bases, &base_hidden, k)
            };
            public_row(row, &hidden, &q.bases)
        })
        .collect();
    let means = q.means.as_ref().map(|means| {
        means
            .iter()
            .zip(&base_hidden)
            .map(|(m, &hidden)| match m {
                Some((n, mean)) if !hidden && *n >= k => Public::Shown(*mean),
                _ => Public::Hidden,
            })
            .collect()
    });
    PublicQuestionCross {
        id: q.id.to_string(),
        text: q.text.clone(),
        appended: q.appended,
        bases: q
            .bases
            .iter()
            .zip(&base_hidden)
            .map(|(&b, &h)| if h { Public::Hidden } else { Public::Shown(b) })
            .collect(),
        rows,
        means,
    }
}

/// A crosstab for outsiders.
pub fn public_crosstab(c: &Crosstab, min_cell_size: u32) -> PublicCrosstab {
    PublicCrosstab {
        name: c.name.clone(),
        groups: c.groups.clone(),
        questions: c
            .questions
            .iter()
            .map(|q| public_question_cross(q, min_cell_size))
            .collect(),
    }
}
