//! Panel health: members active, new and leaving per month; how many invitations each
//! member got in the past 12 months against the contact policy; the composition against
//! the targets now and some months ago. No SQL and no HTTP: the store hands in the rows.
//!
//! A member's membership is a span from joining (confirming) to leaving (withdrawing
//! consent, deleting the account, or removal as inactive). Erased members leave no row:
//! only their leaving is known (from the audit log), so they count as members at every
//! moment before they left. Backgrounds are today's answers; erased members have none,
//! so the composition of an earlier moment is that of the members who are still known.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, Months, NaiveDate, TimeZone, Utc};

use crate::domain::composition::{VariableComposition, composition};
use crate::domain::fieldwork::ZONE;
use crate::domain::panel::PanelDefinition;

/// Why a member left the panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum LeaveReason {
    /// Withdrew their consent (their data may still be there).
    Withdrew,
    /// Deleted their account.
    Deleted,
    /// Removed by the retention job after too long without taking part.
    Inactive,
}

/// A member row as the store reads it (pending sign-ups left out).
#[derive(Clone, Debug, PartialEq)]
pub struct MemberRow {
    pub id: i64,
    /// When they became a member (confirmed, or joined when that is unknown).
    pub joined: DateTime<Utc>,
    /// When they withdrew consent, when they did.
    pub withdrawn_at: Option<DateTime<Utc>>,
    /// Background variable → category.
    pub background: BTreeMap<String, String>,
}

/// A leaving recorded in the audit log; the member row may be gone.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LeaveEvent {
    pub member_id: i64,
    pub at: DateTime<Utc>,
    pub reason: LeaveReason,
}

/// One membership: from joining to leaving.
#[derive(Clone, Debug, PartialEq)]
pub struct MemberSpan {
    /// `None`: unknown (an erased member), before any moment asked about.
    pub joined: Option<DateTime<Utc>>,
    pub left: Option<(DateTime<Utc>, LeaveReason)>,
    pub background: BTreeMap<String, String>,
}

impl MemberSpan {
    /// Whether they were a member at `at`.
    pub fn member_at(&self, at: DateTime<Utc>) -> bool {
        self.joined.is_none_or(|j| j <= at) && self.left.is_none_or(|(l, _)| l > at)
    }
}

/// Each member's span: the rows that are still there, and the erased members known from
/// their leaving. A member leaves at their first leaving (a withdrawal before the
/// deletion counts, not the deletion).
pub fn spans(rows: &[MemberRow], events: &[LeaveEvent]) -> Vec<MemberSpan> {
    let mut first: HashMap<i64, (DateTime<Utc>, LeaveReason)> = HashMap::new();
    for e in events {
        let entry = first.entry(e.member_id).or_insert((e.at, e.reason));
        if (e.at, e.reason) < *entry {
            *entry = (e.at, e.reason);
        }
    }
    let mut out: Vec<MemberSpan> = rows
        .iter()
        .map(|r| {
            let own = r.withdrawn_at.map(|at| (at, LeaveReason::Withdrew));
            let left = match (own, first.remove(&r.id)) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            MemberSpan {
                joined: Some(r.joined),
                left,
                background: r.background.clone(),
            }
        })
        .collect();
    let mut erased: Vec<_> = first.into_iter().collect();
    erased.sort_by_key(|(id, _)| *id);
    out.extend(erased.into_iter().map(|(_, left)| MemberSpan {
        joined: None,
        left: Some(left),
        background: BTreeMap::new(),
    }));
    out
}

/// One calendar month (Dutch clocks): members at its end, who joined and who left.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MonthRow {
    /// The first day of the month.
    pub month: NaiveDate,
    /// Members at the end of the month (now, for the current month).
    pub members: u64,
    pub joined: u64,
    pub withdrew: u64,
    pub deleted: u64,
    pub inactive: u64,
}

impl MonthRow {
    pub fn left(&self) -> u64 {
        self.withdrew + self.deleted + self.inactive
    }
}

/// Midnight on the first of a month, on Dutch clocks (never in a clock change).
fn month_start(month: NaiveDate) -> DateTime<Utc> {
    ZONE.with_ymd_and_hms(month.year(), month.month(), 1, 0, 0, 0)
        .earliest()
        .map_or(DateTime::<Utc>::MIN_UTC, |t| t.with_timezone(&Utc))
}

/// The last `count` calendar months up to and including the one `now` is in, oldest
/// first.
pub fn monthly(spans: &[MemberSpan], now: DateTime<Utc>, count: u32) -> Vec<MonthRow> {
    let local = now.with_timezone(&ZONE).date_naive();
    let current = NaiveDate::from_ymd_opt(local.year(), local.month(), 1).unwrap_or(local);
    (0..count)
        .rev()
        .filter_map(|back| current.checked_sub_months(Months::new(back)))
        .map(|month| {
            let start = month_start(month);
            let end = month
                .checked_add_months(Months::new(1))
                .map_or(DateTime::<Utc>::MAX_UTC, month_start);
            let within = |t: DateTime<Utc>| start <= t && t < end;
            let mut row = MonthRow {
                month,
                members: 0,
                joined: 0,
                withdrew: 0,
                deleted: 0,
                inactive: 0,
            };
            // The month's last moment, or now for the current month.
            let counted_at = if end > now {
                now
            } else {
                end - chrono::Duration::nanoseconds(1)
            };
            for s in spans {
                if s.member_at(counted_at) {
                    row.members += 1;
                }
                if s.joined.is_some_and(within) {
                    row.joined += 1;
                }
                match s.left {
                    Some((at, reason)) if within(at) => match reason {
                        LeaveReason::Withdrew => row.withdrew += 1,
                        LeaveReason::Deleted => row.deleted += 1,
                        LeaveReason::Inactive => row.inactive += 1,
                    },
                    _ => {}
                }
            }
            row
        })
        .collect()
}

/// How many invitations members got in the past 12 months, against the panel's yearly
/// limit.
#[derive(Clone, Debug, PartialEq)]
pub struct InvitationSpread {
    /// `(invitations, members)` for every number from 0 up to the limit or the highest
    /// number, whichever is larger.
    pub rows: Vec<(u32, u64)>,
    pub limit: u32,
    pub members: u64,
    /// Members with exactly the limit: they cannot be invited until one expires.
    pub at_limit: u64,
    pub over_limit: u64,
    /// Invitations per member, on average; `None` without members.
    pub mean: Option<f64>,
}

/// `counts` holds each member's number of invitations (zeros included).
pub fn invitation_spread(counts: &[u32], limit: u32) -> InvitationSpread {
    let top = counts.iter().copied().max().unwrap_or(0).max(limit);
    let mut per = vec![0u64; top as usize + 1];
    for &c in counts {
        per[c as usize] += 1;
    }
    let total: u64 = counts.iter().map(|&c| u64::from(c)).sum();
    let members = counts.len() as u64;
    InvitationSpread {
        rows: per
            .into_iter()
            .enumerate()
            .map(|(n, m)| (n as u32, m))
            .collect(),
        limit,
        members,
        at_limit: counts.iter().filter(|&&c| c == limit).count() as u64,
        over_limit: counts.iter().filter(|&&c| c > limit).count() as u64,
        mean: (members > 0).then(|| total as f64 / members as f64),
    }
}

/// The composition against the targets at several moments.
#[derive(Clone, Debug, PartialEq)]
pub struct CompositionTrend {
    /// The moments, oldest first, with the number of members then.
    pub moments: Vec<(DateTime<Utc>, u64)>,
    /// One per background variable: its composition at each moment, in that order.
    pub variables: Vec<Vec<VariableComposition>>,
}

/// The composition of the members at each of `moments` (oldest first).
pub fn composition_trend(
    panel: &PanelDefinition,
    spans: &[MemberSpan],
    moments: &[DateTime<Utc>],
) -> CompositionTrend {
    let mut per_moment = Vec::new();
    let mut sizes = Vec::new();
    for &at in moments {
        let mut counts: BTreeMap<(String, String), u64> = BTreeMap::new();
        let mut members = 0u64;
        for s in spans.iter().filter(|s| s.member_at(at)) {
            // Erased members have no background left: not counted at all.
            if s.joined.is_none() {
                continue;
            }
            members += 1;
            for (variable, value) in &s.background {
                *counts.entry((variable.clone(), value.clone())).or_default() += 1;
            }
        }
        per_moment.push(composition(panel, &counts, members));
        sizes.push((at, members));
    }
    let variables = (0..panel.background_variables.len())
        .map(|v| per_moment.iter().map(|m| m[v].clone()).collect())
        .collect();
    CompositionTrend {
        moments: sizes,
        variables,
    }
}

/// Now and `months` back, each: `[now - 12 months, now - 6 months, now]` for `[12, 6]`.
pub fn moments_back(now: DateTime<Utc>, months: &[u32]) -> Vec<DateTime<Utc>> {
    months
        .iter()
        .filter_map(|&m| now.checked_sub_months(Months::new(m)))
        .chain([now])
        .collect()
}
