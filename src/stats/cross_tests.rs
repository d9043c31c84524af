//! Crosstabs of the eight-response fixture, worked out by hand, and their suppression:
//! hand-worked tables and properties over random tables (no shown small count, no
//! hidden count that follows from any published row, column or base total).

use proptest::prelude::*;

use super::cross_public::{hidden_table, public_question_cross};
use super::crosstab::{Crosstab, Grouping, QuestionCross, RowKind};
use super::summary::{Figures, analyse};
use super::summary_tests::fixture;
use super::suppress::Public;
use crate::domain::questionnaire::parse_questionnaire;

const EXAMPLE: &str = include_str!("../../panel-schemas/examples/questionnaire.json");

fn grouped() -> (super::summary::SurveySummary, Crosstab) {
    let q = parse_questionnaire(EXAMPLE.as_bytes()).unwrap();
    let grouping = Grouping {
        name: "Groep".into(),
        labels: vec!["a".into(), "b".into()],
        codes: vec![0, 0, 1, 1, 0, 1, 0, 1],
    };
    let (summary, mut tabs) = analyse(&q.questions, &fixture(), None, &[grouping], None).unwrap();
    (summary, tabs.remove(0))
}

fn question<'a>(c: &'a Crosstab, id: &str) -> &'a QuestionCross {
    c.questions.iter().find(|q| q.id.as_str() == id).unwrap()
}

fn counts(q: &QuestionCross) -> Vec<Vec<u64>> {
    q.rows.iter().map(|r| r.counts.clone()).collect()
}

#[test]
fn choices_and_scales_are_split_by_group() {
    let (_, tab) = grouped();
    assert_eq!(tab.groups, ["a", "b"]);
    // Group a = responses 1, 2, 5, 7; group b = 3, 4, 6, 8.
    let werk = question(&tab, "werk_nu");
    assert!(werk.exclusive);
    assert_eq!(werk.bases, [4, 4]);
    assert_eq!(counts(werk), [[3, 2], [1, 2]]);
    assert_eq!(werk.rows[0].shares(&werk.bases), [Some(0.75), Some(0.5)]);

    // Scale with "weet ik niet": a = 4, 5, 4, dk; b = dk, 2, 1 (the 8th left it empty).
    let eens = question(&tab, "eens_zeker");
    assert_eq!(eens.bases, [4, 3]);
    assert_eq!(
        counts(eens),
        [[0, 1], [0, 1], [0, 0], [2, 0], [1, 0], [1, 1]]
    );
    assert_eq!(eens.rows.last().unwrap().kind, RowKind::DontKnow);
    // Open questions have no crosstab.
    assert!(tab.questions.iter().all(|q| q.id.as_str() != "wat_beter"));
}

#[test]
fn marks_give_means_and_below_six_per_group() {
    let (_, tab) = grouped();
    // a: 7, 8, 6 → mean 7, none below 6; b: 5, 4 → mean 4.5, both below 6.
    let cijfer = question(&tab, "cijfer_steun");
    assert!(!cijfer.exclusive);
    assert_eq!(cijfer.bases, [3, 2]);
    assert_eq!(cijfer.rows.len(), 1);
    assert_eq!(cijfer.rows[0].kind, RowKind::BelowSix);
    assert_eq!(cijfer.rows[0].counts, [0, 2]);
    assert_eq!(
        cijfer.means.as_ref().unwrap(),
        &[Some((3, 7.0)), Some((2, 4.5))]
    );
}

#[test]
fn the_groups_add_up_to_the_whole() {
    let (summary, tab) = grouped();
    for q in &tab.questions {
        let whole = summary.questions.iter().find(|s| s.id == q.id).unwrap();
        assert_eq!(q.bases.iter().sum::<u64>(), whole.answered, "{}", q.id);
        let totals: Vec<u64> = q.rows.iter().map(|r| r.counts.iter().sum()).collect();
        match &whole.figures {
            Figures::Choice(c) => {
                let mut all: Vec<u64> = c.options.iter().map(|c| c.n).collect();
                all.extend(c.dont_know.as_ref().map(|c| c.n));
                assert_eq!(totals, all, "{}", q.id);
            }
            Figures::Multiple(m) => {
                let mut all: Vec<u64> = m.options.iter().map(|c| c.n).collect();
                all.extend(m.other.as_ref().map(|c| c.n));
                assert_eq!(totals, all, "{}", q.id);
            }
            Figures::Grade(g) => assert_eq!(totals, [g.below_six.n]),
            Figures::Number(_) => assert!(totals.is_empty()),
            Figures::Open(_) => panic!("open questions have no crosstab"),
        }
    }
}

#[test]
fn a_small_cell_takes_complements_in_its_row_and_column() {
    // 3 is small. Row 2 then loses 25 (its smallest other count), column 1 loses 25
    // in row 3, and column 0, now with one hidden count, loses 20. Every line then has
    // two hidden counts of together at least ten.
    let rows = vec![vec![40, 30, 20], vec![25, 3, 30], vec![20, 25, 15]];
    let (cells, bases) = hidden_table(&rows, &[85, 58, 65], 10);
    assert_eq!(
        cells,
        [
            [false, false, false],
            [true, true, false],
            [true, true, false]
        ]
    );
    assert_eq!(bases, [false, false, false]);
}

#[test]
fn a_small_group_is_hidden_whole_with_a_complementary_group() {
    let rows = vec![vec![30, 0, 25], vec![20, 4, 15]];
    let (cells, bases) = hidden_table(&rows, &[50, 4, 40], 10);
    // The group of 4 is hidden; its base follows from the total unless another goes.
    assert_eq!(bases, [false, true, true]);
    assert_eq!(cells, [[false, true, true], [false, true, true]]);
}

#[test]
fn outsiders_see_no_group_below_ten() {
    let (_, tab) = grouped();
    let public = public_question_cross(question(&tab, "werk_nu"), 10);
    assert_eq!(public.bases, [Public::Hidden, Public::Hidden]);
    assert!(
        public
            .rows
            .iter()
            .all(|r| r.cells.iter().all(|c| *c == Public::Hidden))
    );
    // With k = 1 everything shows, shares of each group's own base.
    let public = public_question_cross(question(&tab, "werk_nu"), 1);
    assert_eq!(public.bases, [Public::Shown(4), Public::Shown(4)]);
    assert_eq!(public.rows[0].cells[0], Public::Shown((3, 0.75)));
    assert_eq!(public.rows[1].cells[1], Public::Shown((2, 0.5)));
    // With k = 2 the groups of four show, but the single "nee" of group a is hidden,
    // and then a complement in its row and in each column: a 2 x 2 table goes whole.
    let public = public_question_cross(question(&tab, "werk_nu"), 2);
    assert_eq!(public.bases, [Public::Shown(4), Public::Shown(4)]);
    assert!(
        public
            .rows
            .iter()
            .all(|r| r.cells.iter().all(|c| *c == Public::Hidden))
    );
    // Means: shown per group at k = 2; at k = 3 the group of two is hidden, and so is
    // group a, or its mean and base would give away group b's.
    let cijfer = question(&tab, "cijfer_steun");
    let shown = public_question_cross(cijfer, 2).means.unwrap();
    assert_eq!(shown, [Public::Shown(7.0), Public::Shown(4.5)]);
    let hidden = public_question_cross(cijfer, 3).means.unwrap();
    assert_eq!(hidden, [Public::Hidden, Public::Hidden]);
}

/// A line whose total is published: nothing hidden, or at least two hidden counts that
/// together are no small group (or the whole line hidden when its total is small).
fn line_is_safe(values: &[u64], hidden: &[bool], k: u64) -> bool {
    let m = hidden.iter().filter(|h| **h).count();
    let sum: u64 = values
        .iter()
        .zip(hidden)
        .filter(|(_, h)| **h)
        .map(|(v, _)| v)
        .sum();
    m == 0 || (m >= 2 && (sum >= k || m == values.len()))
}

proptest! {
    #![proptest_config(crate::proptest_config(256))]
    #[test]
    fn no_crosstab_cell_is_shown_small_or_recoverable(
        table in (1usize..5, 2usize..5).prop_flat_map(|(r, g)| {
            prop::collection::vec(
                prop::collection::vec(prop_oneof![0u64..4, 0u64..30, 0u64..100], g),
                r,
            )
        }),
        k in 1u64..15,
    ) {
        let groups = table[0].len();
        let bases: Vec<u64> = (0..groups).map(|g| table.iter().map(|r| r[g]).sum()).collect();
        let (cells, base_hidden) = hidden_table(&table, &bases, k);
        for (g, &b) in bases.iter().enumerate() {
            prop_assert!(base_hidden[g] || b == 0 || b >= k, "base {b} shown");
            for (r, row) in table.iter().enumerate() {
                let n = row[g];
                if !cells[r][g] {
                    prop_assert!(!base_hidden[g], "a cell of a hidden group is shown");
                    prop_assert!(n == 0 || n >= k, "cell {n} shown with k {k}");
                }
            }
        }
        prop_assert!(line_is_safe(&bases, &base_hidden, k), "bases {bases:?} {base_hidden:?}");
        for (row, hidden) in table.iter().zip(&cells) {
            prop_assert!(line_is_safe(row, hidden, k), "row {row:?} {hidden:?}");
        }
        for g in (0..groups).filter(|&g| !base_hidden[g]) {
            let column: Vec<u64> = table.iter().map(|r| r[g]).collect();
            let hidden: Vec<bool> = cells.iter().map(|r| r[g]).collect();
            prop_assert!(line_is_safe(&column, &hidden, k), "column {column:?} {hidden:?}");
        }
    }
}
