//! Drawing a survey's sample: the eligible members the contact policy lets in, spread
//! over the quotas' categories, chosen at random but reproducibly from a seed.
//!
//! The members come in a [`Frame`], which keeps each distinct background once (a panel
//! with four background questions has a few hundred), so a million members cost 16 bytes
//! each and every background is looked at once.
//!
//! The method, O(N) over the frame plus O(N log N) when it is not in member-id order:
//! 1. Order by member id, so the store's row order does not matter.
//! 2. Sort out who can be picked: eligible, invitable, and with a quota for their
//!    category of every quota variable. The others are counted per reason.
//! 3. Walk those members in a random order (Fisher–Yates from a `StdRng` seeded with
//!    `seed`, shuffled only as far as the walk gets) in passes. A pass takes a member when
//!    every one of their categories is below the pass's cap, and never beyond the size.
//!    Pass a: minimums first, the tightest category (fewest members to spare) first:
//!    members of a category below its minimum, capped at the targets. Pass b: the same,
//!    capped at the maximums, for minimums still not met. Pass c: fill up, capped at the
//!    targets. Pass d: fill up, capped at the maximums.
//!
//! So no maximum is ever passed. When every combination of categories has at least `n`
//! members to pick from and each variable's targets add up to `n`, passes a and c hit
//! every minimum and every target exactly: a member seen while all their categories were
//! below target was taken, categories only fill up, so while a target is open the
//! combination of open categories still has members ahead. With fewer members the passes
//! get as close as the walk allows, and the report says per category what was needed and
//! what there was. The walk takes members as they come, so within the quotas the sample
//! keeps the panel's own mix of categories rather than one the method makes up.
//!
//! The same seed and frame give the same sample with the same `rand` version (`StdRng`
//! may change between major versions: store the version with the seed).

use std::collections::{BTreeMap, HashMap};

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde::{Deserialize, Serialize};

pub use super::outcome::{
    CategoryReport, LeftOut, LeftOutLine, LeftOutReason, SampleOutcome, Shortfall, SizeShortfall,
};
use super::quota::Quota;
use crate::domain::ids::{CategoryValue, VariableId};
use crate::domain::questionnaire::Eligibility;

/// A member's answers to the background questions.
pub type Background = BTreeMap<VariableId, CategoryValue>;

/// How many members to invite.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Size {
    /// Every member who can be picked, within the quotas' maximums.
    All,
    N(u32),
}

/// Does the member meet the eligibility? Every listed variable must be answered with one
/// of its listed categories; an unanswered variable, or an empty list, lets no one in.
pub fn eligible(eligibility: &Eligibility, background: &Background) -> bool {
    eligibility.iter().all(|(variable, allowed)| {
        background
            .get(variable)
            .is_some_and(|v| allowed.contains(v))
    })
}

/// The members a sample is drawn from.
#[derive(Clone, Debug, Default)]
pub struct Frame {
    backgrounds: Vec<Background>,
    known: HashMap<Background, u32>,
    members: Vec<Member>,
}

/// A background as numbered by one [`Frame`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BackgroundIndex(u32);

#[derive(Clone, Copy, Debug)]
struct Member {
    id: i64,
    background: u32,
    invitable: bool,
}

impl Frame {
    pub fn new() -> Self {
        Self::default()
    }

    /// Add a member. `invitable`: the contact policy and their own wishes allow an
    /// invitation during the fieldwork (see [`super::allowed_during`]). A member added
    /// twice counts once, as first added.
    pub fn push(&mut self, member_id: i64, background: &Background, invitable: bool) {
        let index = self.background_index(background);
        self.push_indexed(member_id, index, invitable);
    }

    /// The frame's number for a background, for [`Frame::push_indexed`]: a caller that
    /// meets the same background many times looks it up once.
    pub fn background_index(&mut self, background: &Background) -> BackgroundIndex {
        let index = match self.known.get(background) {
            Some(index) => *index,
            None => {
                let index =
                    u32::try_from(self.backgrounds.len()).expect("fewer than 2³² backgrounds");
                self.backgrounds.push(background.clone());
                self.known.insert(background.clone(), index);
                index
            }
        };
        BackgroundIndex(index)
    }

    /// As [`Frame::push`], with a background numbered by this frame.
    pub fn push_indexed(&mut self, member_id: i64, background: BackgroundIndex, invitable: bool) {
        self.members.push(Member {
            id: member_id,
            background: background.0,
            invitable,
        });
    }

    pub fn len(&self) -> usize {
        self.members.len()
    }

    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }
}

/// No quota for this variable's answer.
const NONE: u32 = u32::MAX;

/// Per distinct background: eligible or not, and the quota index of its answer to each
/// quota variable (or [`NONE`]).
struct Placement {
    width: usize,
    eligible: Vec<bool>,
    slots: Vec<u32>,
}

impl Placement {
    fn new(backgrounds: &[Background], eligibility: &Eligibility, quotas: &[Quota]) -> Self {
        // The quota variables in order of first appearance, with their categories; a
        // second quota for one category is a mistake check_quotas reports, the first counts.
        let mut variables: Vec<(&VariableId, Vec<(&CategoryValue, u32)>)> = Vec::new();
        for (i, q) in quotas.iter().enumerate() {
            let at = match variables.iter().position(|(v, _)| *v == &q.variable) {
                Some(at) => at,
                None => {
                    variables.push((&q.variable, Vec::new()));
                    variables.len() - 1
                }
            };
            if !variables[at].1.iter().any(|(c, _)| *c == &q.category) {
                variables[at].1.push((&q.category, i as u32));
            }
        }
        let mut slots = Vec::with_capacity(backgrounds.len() * variables.len());
        for background in backgrounds {
            slots.extend(variables.iter().map(|(variable, categories)| {
                background
                    .get(*variable)
                    .and_then(|value| categories.iter().find(|(c, _)| *c == value))
                    .map_or(NONE, |(_, i)| *i)
            }));
        }
        Placement {
            width: variables.len(),
            eligible: backgrounds
                .iter()
                .map(|b| eligible(eligibility, b))
                .collect(),
            slots,
        }
    }

    fn of(&self, background: u32) -> &[u32] {
        let at = background as usize * self.width;
        &self.slots[at..at + self.width]
    }
}

/// The members who can be picked, walked in a lazily shuffled order.
struct Walk<'p> {
    placement: &'p Placement,
    /// Member ids and backgrounds of the pool, in member-id order.
    ids: Vec<i64>,
    backgrounds: Vec<u32>,
    /// Pool positions; `order[..shuffled]` is already in its random order.
    order: Vec<u32>,
    shuffled: usize,
    rng: StdRng,
    picked: Vec<bool>,
    counts: Vec<u32>,
    total: u32,
    n: u32,
}

impl Walk<'_> {
    /// The pool position walked `i`th.
    fn at(&mut self, i: usize) -> usize {
        let len = self.order.len() as u32;
        while self.shuffled <= i {
            let j = self.rng.random_range(self.shuffled as u32..len) as usize;
            self.order.swap(self.shuffled, j);
            self.shuffled += 1;
        }
        self.order[i] as usize
    }

    fn categories(&self, pos: usize) -> &[u32] {
        self.placement.of(self.backgrounds[pos])
    }

    fn fits(&self, pos: usize, cap: &[u32]) -> bool {
        !self.picked[pos]
            && self
                .categories(pos)
                .iter()
                .all(|&q| self.counts[q as usize] < cap[q as usize])
    }

    fn take(&mut self, pos: usize) {
        self.picked[pos] = true;
        self.total += 1;
        for &q in self.placement.of(self.backgrounds[pos]) {
            self.counts[q as usize] += 1;
        }
    }

    /// Passes a and b: categories below their minimum, in the order given.
    fn minimums(&mut self, order: &[usize], mins: &[u32], cap: &[u32]) {
        for &q in order {
            let mut i = 0;
            while i < self.ids.len() && self.counts[q] < mins[q] && self.total < self.n {
                let pos = self.at(i);
                if self.categories(pos).contains(&(q as u32)) && self.fits(pos, cap) {
                    self.take(pos);
                }
                i += 1;
            }
        }
    }

    /// Passes c and d.
    fn fill(&mut self, cap: &[u32]) {
        let mut i = 0;
        while i < self.ids.len() && self.total < self.n {
            let pos = self.at(i);
            if self.fits(pos, cap) {
                self.take(pos);
            }
            i += 1;
        }
    }
}

/// Draw the sample; see the module documentation for the method. `quotas` should have
/// passed [`super::check_quotas`].
pub fn draw(
    frame: &Frame,
    eligibility: &Eligibility,
    quotas: &[Quota],
    size: Size,
    seed: u64,
) -> SampleOutcome {
    let placement = Placement::new(&frame.backgrounds, eligibility, quotas);
    let mut members = std::borrow::Cow::Borrowed(&frame.members[..]);
    if !members.is_sorted_by_key(|m| m.id) {
        members.to_mut().sort_by_key(|m| m.id);
    }

    let mut eligible_count = vec![0u32; quotas.len()];
    let mut available = vec![0u32; quotas.len()];
    let mut left_out = LeftOut::default();
    let (mut ids, mut backgrounds) = (Vec::new(), Vec::new());
    let mut last = None;
    for member in members.iter() {
        if last.replace(member.id) == Some(member.id) {
            continue;
        }
        if !placement.eligible[member.background as usize] {
            left_out.not_eligible += 1;
            continue;
        }
        let slots = placement.of(member.background);
        for &q in slots.iter().filter(|q| **q != NONE) {
            eligible_count[q as usize] += 1;
        }
        if !member.invitable {
            left_out.policy += 1;
        } else if slots.contains(&NONE) {
            left_out.outside_quotas += 1;
        } else {
            for &q in slots {
                available[q as usize] += 1;
            }
            ids.push(member.id);
            backgrounds.push(member.background);
        }
    }

    let pool = u32::try_from(ids.len()).expect("fewer than 2³² members");
    let requested = match size {
        Size::All => pool,
        Size::N(n) => n,
    };
    let mut walk = Walk {
        placement: &placement,
        order: (0..pool).collect(),
        shuffled: 0,
        rng: StdRng::seed_from_u64(seed),
        picked: vec![false; ids.len()],
        ids,
        backgrounds,
        counts: vec![0; quotas.len()],
        total: 0,
        n: requested.min(pool),
    };
    let mins: Vec<u32> = quotas.iter().map(|q| q.min).collect();
    let targets: Vec<u32> = quotas.iter().map(|q| q.target).collect();
    let maxes: Vec<u32> = quotas.iter().map(|q| q.max).collect();
    let mut tightest: Vec<usize> = (0..quotas.len()).filter(|&q| mins[q] > 0).collect();
    tightest.sort_by_key(|&q| (available[q].saturating_sub(mins[q]), q));
    walk.minimums(&tightest, &mins, &targets);
    walk.minimums(&tightest, &mins, &maxes);
    walk.fill(&targets);
    walk.fill(&maxes);

    let total = walk.total;
    // Walked members are the only ones that can be picked.
    let mut picked: Vec<i64> = walk.order[..walk.shuffled]
        .iter()
        .filter(|&&pos| walk.picked[pos as usize])
        .map(|&pos| walk.ids[pos as usize])
        .collect();
    picked.sort_unstable();
    if total < requested.min(pool) {
        left_out.quota_full = pool - total;
    }
    let per_category: Vec<CategoryReport> = quotas
        .iter()
        .enumerate()
        .map(|(q, quota)| CategoryReport {
            variable: quota.variable.clone(),
            category: quota.category.clone(),
            quota_min: quota.min,
            quota_target: quota.target,
            quota_max: quota.max,
            eligible: eligible_count[q],
            available: available[q],
            picked: walk.counts[q],
        })
        .collect();
    let shortfalls = per_category
        .iter()
        .filter(|r| r.picked < r.quota_min)
        .map(|r| Shortfall {
            variable: r.variable.clone(),
            category: r.category.clone(),
            needed: r.quota_min,
            available: r.available,
            picked: r.picked,
        })
        .collect();
    SampleOutcome {
        picked,
        per_category,
        shortfalls,
        size_shortfall: (total < requested).then_some(SizeShortfall {
            requested,
            available: pool,
            picked: total,
        }),
        left_out,
    }
}
