//! Suppression: hand-worked distributions, the public view of the reference fixture,
//! and properties over random distributions: no shown count of 1 to k - 1, and no hidden
//! count that follows from the published total.

use proptest::prelude::*;

use super::summary_tests::summary;
use super::suppress::{Public, PublicFigures, hidden_cells, public};

#[test]
fn small_counts_are_hidden_with_a_complement() {
    // One small count: the next smallest goes too, so 3 cannot be worked out from 45.
    assert_eq!(hidden_cells(&[30, 12, 3], 10), [false, true, true]);
    // Two small counts that together are still a small group: a third goes.
    assert_eq!(hidden_cells(&[40, 20, 3, 2], 10), [false, true, true, true]);
    // Two small counts that together make a group of ten: enough.
    assert_eq!(hidden_cells(&[40, 6, 4], 10), [false, true, true]);
    // Nothing small: all shown, zeros too.
    assert_eq!(hidden_cells(&[40, 10, 0], 10), [false, false, false]);
    // A zero is no complement while a count of people is left.
    assert_eq!(hidden_cells(&[0, 25, 4, 0], 10), [false, true, true, false]);
    // A base below k: everything hidden, zeros included.
    assert_eq!(hidden_cells(&[7, 0], 10), [true, true]);
    assert_eq!(hidden_cells(&[], 10), Vec::<bool>::new());
    // k = 1 hides nothing.
    assert_eq!(hidden_cells(&[1, 0, 2], 1), [false, false, false]);
}

#[test]
fn the_fixture_is_hidden_for_outsiders_below_ten() {
    let full = summary(None);
    let outside = public(&full, 10);
    // Eight respondents: below ten, so no count, share or mean is shown, and no open
    // answer is there at all.
    assert_eq!(outside.respondents, Public::Hidden);
    assert!(outside.questions.iter().all(|q| q.id != "wat_beter"));
    for q in &outside.questions {
        assert_eq!(q.answered, Public::Hidden, "{}", q.id);
        match &q.figures {
            PublicFigures::Choice { options, dont_know } => {
                assert!(
                    options
                        .iter()
                        .chain(dont_know)
                        .all(|c| c.n == Public::Hidden && c.share == Public::Hidden)
                );
            }
            PublicFigures::Grade { mean, median, .. } => {
                assert_eq!((*mean, *median), (Public::Hidden, Public::Hidden));
            }
            PublicFigures::Number { mean, .. } => assert_eq!(*mean, Public::Hidden),
            PublicFigures::Multiple { options, .. } => {
                assert!(options.iter().all(|c| c.n == Public::Hidden));
            }
        }
    }
}

#[test]
fn with_a_smaller_threshold_only_small_groups_go() {
    let outside = public(&summary(None), 3);
    assert_eq!(outside.respondents, Public::Shown(8));
    let werk = outside
        .questions
        .iter()
        .find(|q| q.id == "werk_nu")
        .unwrap();
    let PublicFigures::Choice { options, .. } = &werk.figures else {
        panic!("choice")
    };
    assert_eq!(options[0].n, Public::Shown(5));
    assert_eq!(options[0].share, Public::Shown(0.625));
    // effect_leven: 3 beter, 1 gelijk, 1 slechter: the two ones hide, and together (2)
    // they are below 3, so "beter" goes as well.
    let effect = outside
        .questions
        .iter()
        .find(|q| q.id == "effect_leven")
        .unwrap();
    let PublicFigures::Choice { options, .. } = &effect.figures else {
        panic!("choice")
    };
    assert!(options.iter().all(|c| c.n == Public::Hidden));
    // Marks: five people, so mean and median show; single marks do not (the marks
    // nobody gave stay 0); 2 of 5 below six is hidden, as are the 3 above (a pair).
    let grade = outside
        .questions
        .iter()
        .find(|q| q.id == "cijfer_steun")
        .unwrap();
    let PublicFigures::Grade {
        marks,
        mean,
        below_six,
        ..
    } = &grade.figures
    else {
        panic!("grade")
    };
    assert_eq!(*mean, Public::Shown(6.0));
    let shown: Vec<Option<u64>> = marks.iter().map(|m| m.n.shown()).collect();
    let nobody = Some(0);
    assert_eq!(
        shown,
        [
            nobody, nobody, nobody, None, None, None, None, None, nobody, nobody
        ]
    );
    assert_eq!(below_six.n, Public::Hidden);
    // Four numbers: mean shown at k = 3, hidden at k = 5.
    let hours = |k| {
        let outside = public(&summary(None), k);
        let q = outside
            .questions
            .iter()
            .find(|q| q.id == "uren_week")
            .cloned()
            .unwrap();
        match q.figures {
            PublicFigures::Number { mean, .. } => mean,
            _ => panic!("number"),
        }
    };
    assert_eq!(hours(3), Public::Shown(27.0));
    assert_eq!(hours(5), Public::Hidden);
}

proptest! {
    #![proptest_config(crate::proptest_config(256))]
    #[test]
    fn no_small_count_is_shown_or_recoverable(
        counts in prop::collection::vec(prop_oneof![0u64..4, 0u64..30, 0u64..200], 0..8),
        k in 1u64..15,
    ) {
        let hidden = hidden_cells(&counts, k);
        let total: u64 = counts.iter().sum();
        prop_assert_eq!(hidden.len(), counts.len());
        for (n, h) in counts.iter().zip(&hidden) {
            // Published counts are never a small group.
            if !h {
                prop_assert!(*n == 0 || *n >= k || total < k);
                prop_assert!(total >= k, "a base below k shows nothing");
            }
        }
        let shown_sum: u64 = counts.iter().zip(&hidden).filter(|(_, h)| !**h).map(|(n, _)| n).sum();
        let hidden_n = hidden.iter().filter(|h| **h).count();
        if total >= k && hidden_n > 0 {
            // Total minus the shown counts never pins down one hidden count...
            prop_assert!(hidden_n >= 2);
            // ...and what it does give, the hidden counts together, is no small group.
            prop_assert!(total - shown_sum >= k);
        }
        // Counts of k or more are only hidden as a complement: never more than needed
        // when nothing small is there.
        if counts.iter().all(|n| *n == 0 || *n >= k) && total >= k {
            prop_assert_eq!(hidden_n, 0);
        }
    }
}
