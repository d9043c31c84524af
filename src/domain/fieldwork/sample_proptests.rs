//! Properties of the sampler: maximums hold, minimums and targets are met where supply
//! allows, the same seed gives the same sample whatever the order, only eligible and
//! invitable members are picked, and the report adds up.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;

use super::quota::Quota;
use super::sample::*;
use super::test_support::{Candidate, frame};
use crate::domain::ids::{CategoryValue, VariableId};
use crate::domain::questionnaire::Eligibility;

fn var(i: usize) -> VariableId {
    VariableId::parse(&format!("v{i}")).unwrap()
}

fn cat(i: usize) -> CategoryValue {
    CategoryValue::parse(&format!("c{i}")).unwrap()
}

/// A random survey: how many categories each variable has, the members (background,
/// invitable), eligibility on `v0` and quotas (some categories without one).
#[derive(Clone, Debug)]
struct Case {
    backgrounds: Vec<Background>,
    invitable: Vec<bool>,
    eligibility: Eligibility,
    quotas: Vec<Quota>,
    size: Size,
    seed: u64,
}

fn case() -> impl Strategy<Value = Case> {
    prop::collection::vec(1usize..=4, 0..=3)
        .prop_flat_map(|widths| {
            let member = widths
                .iter()
                .map(|&w| prop::option::weighted(0.95, 0..w))
                .collect::<Vec<_>>();
            let quota = widths
                .iter()
                .map(|&w| {
                    prop::collection::vec(
                        prop::option::weighted(0.9, (0u32..12, 0u32..12, 0u32..12)),
                        w,
                    )
                })
                .collect::<Vec<_>>();
            (
                Just(widths),
                prop::collection::vec((member, prop::bool::weighted(0.8)), 0..120),
                quota,
                prop::option::of(prop::collection::btree_set(0usize..4, 0..3)),
                prop_oneof![Just(Size::All), (0u32..100).prop_map(Size::N)],
                any::<u64>(),
            )
        })
        .prop_map(|(widths, members, quotas, eligible_v0, size, seed)| {
            let backgrounds = members
                .iter()
                .map(|(answers, _)| {
                    answers
                        .iter()
                        .enumerate()
                        .filter_map(|(v, a)| a.map(|c| (var(v), cat(c))))
                        .collect()
                })
                .collect();
            let mut eligibility = Eligibility::new();
            if let (Some(allowed), true) = (eligible_v0, !widths.is_empty()) {
                eligibility.insert(var(0), allowed.into_iter().map(cat).collect());
            }
            let quotas = quotas
                .iter()
                .enumerate()
                .flat_map(|(v, per)| {
                    per.iter().enumerate().filter_map(move |(c, q)| {
                        q.map(|(a, b, d)| {
                            let mut sorted = [a, b, d];
                            sorted.sort_unstable();
                            Quota {
                                variable: var(v),
                                category: cat(c),
                                min: sorted[0],
                                target: sorted[1],
                                max: sorted[2],
                            }
                        })
                    })
                })
                .collect();
            Case {
                backgrounds,
                invitable: members.iter().map(|(_, i)| *i).collect(),
                eligibility,
                quotas,
                size,
                seed,
            }
        })
}

fn candidates(case: &Case) -> Vec<Candidate<'_>> {
    case.backgrounds
        .iter()
        .zip(&case.invitable)
        .enumerate()
        .map(|(i, (background, invitable))| Candidate {
            // Not in order, so the sampler has to sort.
            member_id: (i as i64 * 7919) % 1009,
            background,
            invitable: *invitable,
        })
        .collect()
}

fn quota_of(quotas: &[Quota], variable: &VariableId, value: &CategoryValue) -> Option<usize> {
    quotas
        .iter()
        .position(|q| &q.variable == variable && &q.category == value)
}

/// Could this member be picked: eligible, invitable, a quota for every quota variable.
fn pickable(case: &Case, c: &Candidate) -> bool {
    let variables: BTreeSet<&VariableId> = case.quotas.iter().map(|q| &q.variable).collect();
    c.invitable
        && eligible(&case.eligibility, c.background)
        && variables.iter().all(|v| {
            c.background
                .get(*v)
                .is_some_and(|value| quota_of(&case.quotas, v, value).is_some())
        })
}

proptest! {
    #![proptest_config(crate::proptest_config(400))]

    #[test]
    fn the_sample_keeps_every_rule(case in case()) {
        let all = candidates(&case);
        let out = draw(&frame(&all), &case.eligibility, &case.quotas, case.size, case.seed);
        let by_id: BTreeMap<i64, &Candidate> = all.iter().map(|c| (c.member_id, c)).collect();

        // Sorted, each member once, only pickable members (d).
        prop_assert!(out.picked.windows(2).all(|w| w[0] < w[1]));
        for id in &out.picked {
            prop_assert!(pickable(&case, by_id[id]));
        }
        let pool: Vec<&Candidate> = by_id.values().copied().filter(|c| pickable(&case, c)).collect();
        if let Size::N(n) = case.size {
            prop_assert!(out.picked.len() <= n as usize);
        }

        // Counts per quota, recounted: no maximum passed (a), the report is right (f).
        for (i, q) in case.quotas.iter().enumerate() {
            let in_q = |c: &&Candidate| c.background.get(&q.variable) == Some(&q.category);
            let picked = out.picked.iter().map(|id| by_id[id]).filter(in_q).count() as u32;
            let available = pool.iter().copied().filter(in_q).count() as u32;
            let r = &out.per_category[i];
            prop_assert!(picked <= q.max);
            prop_assert_eq!(r.picked, picked);
            prop_assert_eq!(r.available, available);
        }
        let short: Vec<(u32, u32, u32)> = out
            .per_category
            .iter()
            .filter(|r| r.picked < r.quota_min)
            .map(|r| (r.quota_min, r.available, r.picked))
            .collect();
        let reported: Vec<(u32, u32, u32)> =
            out.shortfalls.iter().map(|s| (s.needed, s.available, s.picked)).collect();
        prop_assert_eq!(short, reported);

        // Everyone is accounted for, once.
        let l = out.left_out;
        prop_assert_eq!(
            (l.not_eligible + l.policy + l.outside_quotas) as usize + pool.len(),
            by_id.len()
        );
        let requested = match case.size { Size::All => pool.len() as u32, Size::N(n) => n };
        prop_assert_eq!(out.size_shortfall.is_some(), (out.picked.len() as u32) < requested);

        // Without quotas the sample is simply as large as it can be (e).
        if case.quotas.is_empty() {
            prop_assert_eq!(out.picked.len(), pool.len().min(requested as usize));
        }

        // The same seed, the members in another order: the same outcome (c).
        let mut reversed = all.clone();
        reversed.reverse();
        let again = draw(&frame(&reversed), &case.eligibility, &case.quotas, case.size, case.seed);
        prop_assert_eq!(&again, &out);
    }

    /// One quota variable: every minimum is met when the category has enough members
    /// and the minimums fit in the sample; the sample then fills up to the maximums.
    #[test]
    fn one_variable_meets_every_minimum_supply_allows(
        supply in prop::collection::vec(0usize..40, 1..5),
        bounds in prop::collection::vec((0u32..15, 0u32..15, 0u32..15), 4),
        extra in 0u32..40,
        seed in any::<u64>(),
    ) {
        let quotas: Vec<Quota> = supply
            .iter()
            .enumerate()
            .map(|(c, _)| {
                let mut b = [bounds[c].0, bounds[c].1, bounds[c].2];
                b.sort_unstable();
                Quota { variable: var(0), category: cat(c), min: b[0], target: b[1], max: b[2] }
            })
            .collect();
        let backgrounds: Vec<Background> =
            (0..supply.len()).map(|c| [(var(0), cat(c))].into()).collect();
        let all: Vec<Candidate> = supply
            .iter()
            .enumerate()
            .flat_map(|(c, &s)| (0..s).map(move |_| c))
            .enumerate()
            .map(|(id, c)| Candidate { member_id: id as i64, background: &backgrounds[c], invitable: true })
            .collect();
        let n = quotas.iter().map(|q| q.min).sum::<u32>() + extra;
        let out = draw(&frame(&all), &Eligibility::new(), &quotas, Size::N(n), seed);
        for (r, &s) in out.per_category.iter().zip(&supply) {
            prop_assert_eq!(r.picked >= r.quota_min, s as u32 >= r.quota_min, "{:?}", r);
        }
        let room: u32 = quotas.iter().zip(&supply).map(|(q, &s)| q.max.min(s as u32)).sum();
        prop_assert_eq!(out.picked.len() as u32, n.min(room));
    }

    /// When every combination of categories has at least n members, every category gets
    /// exactly its target (b: "within one member of the quotas").
    #[test]
    fn ample_supply_hits_every_target(
        widths in prop::collection::vec(1usize..=4, 1..=3),
        n in 0u32..40,
        cuts in prop::collection::vec(prop::collection::vec(0u32..=40, 3), 3),
        slack in prop::collection::vec((0u32..5, 0u32..5), 12),
        seed in any::<u64>(),
    ) {
        // Targets per variable: split n at (sorted) cut points.
        let mut quotas = Vec::new();
        for (v, &w) in widths.iter().enumerate() {
            let mut points: Vec<u32> = cuts[v][..w - 1].iter().map(|c| c.min(&n)).copied().collect();
            points.sort_unstable();
            points.insert(0, 0);
            points.push(n);
            for c in 0..w {
                let target = points[c + 1] - points[c];
                let (below, above) = slack[v * 4 + c];
                quotas.push(Quota {
                    variable: var(v),
                    category: cat(c),
                    min: target.saturating_sub(below),
                    target,
                    max: target + above,
                });
            }
        }
        // Every combination, n members each (at least one).
        let mut cells: Vec<Vec<usize>> = vec![vec![]];
        for &w in &widths {
            cells = cells
                .into_iter()
                .flat_map(|cell| (0..w).map(move |c| [cell.clone(), vec![c]].concat()))
                .collect();
        }
        let backgrounds: Vec<Background> = cells
            .iter()
            .map(|cell| cell.iter().enumerate().map(|(v, &c)| (var(v), cat(c))).collect())
            .collect();
        let copies = n.max(1) as usize;
        let all: Vec<Candidate> = backgrounds
            .iter()
            .flat_map(|b| std::iter::repeat_n(b, copies))
            .enumerate()
            .map(|(id, background)| Candidate { member_id: id as i64, background, invitable: true })
            .collect();
        let out = draw(&frame(&all), &Eligibility::new(), &quotas, Size::N(n), seed);
        prop_assert_eq!(out.picked.len() as u32, n);
        for r in &out.per_category {
            prop_assert_eq!(r.picked, r.quota_target, "{:?}", r);
        }
        prop_assert!(out.shortfalls.is_empty());
    }
}
