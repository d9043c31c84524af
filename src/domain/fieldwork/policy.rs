//! The contact policy as a rule: may this member get an invitation at this moment, given
//! the panel's limits, their own stricter wishes and the invitations they already have.
//!
//! How the limits are counted:
//! - **Per year** is a rolling 12 months, calendar-aware: an invitation sent at `t` counts
//!   until the same date and time a year later (UTC; 29 February counts until 1 March). A new invitation is allowed when, at every moment of the 12 months it
//!   will count, no more than the limit count at once. For past invitations only this is
//!   "fewer than the limit in the 12 months before"; invitations already planned after
//!   the moment count too, so planning one survey never breaks another one's room.
//! - **Flash polls per month** count calendar months on Dutch clocks (Europe/Amsterdam).
//! - **Days between invitations** are periods of 24 hours, before and after any other
//!   invitation, flash polls included.
//! - Flash polls are invitations: they count for the year and for the days between.

use std::borrow::Cow;

use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use super::{Message, ZONE, shown};
use crate::domain::panel::ContactPolicy;

/// A member's own, stricter wishes. `None`: the panel's rule applies. A wish that is
/// looser than the panel's rule has no effect.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MemberLimits {
    pub max_invitations_per_year: Option<u32>,
    pub max_flash_polls_per_month: Option<u32>,
    pub min_days_between_invitations: Option<u32>,
    pub max_reminders_per_invitation: Option<u32>,
}

/// The limits that hold for one member: the stricter of the panel's and their own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    pub max_invitations_per_year: u32,
    pub max_flash_polls_per_month: u32,
    pub min_days_between_invitations: u32,
    pub max_reminders_per_invitation: u32,
}

/// The stricter of each limit.
pub fn effective(panel: &ContactPolicy, member: Option<&MemberLimits>) -> Limits {
    let own = member.copied().unwrap_or_default();
    let lower = |panel: u32, own: Option<u32>| own.map_or(panel, |own| own.min(panel));
    Limits {
        max_invitations_per_year: lower(
            panel.max_invitations_per_year,
            own.max_invitations_per_year,
        ),
        max_flash_polls_per_month: lower(
            panel.max_flash_polls_per_month,
            own.max_flash_polls_per_month,
        ),
        min_days_between_invitations: own
            .min_days_between_invitations
            .map_or(panel.min_days_between_invitations, |own| {
                own.max(panel.min_days_between_invitations)
            }),
        max_reminders_per_invitation: lower(
            panel.max_reminders_per_invitation,
            own.max_reminders_per_invitation,
        ),
    }
}

/// An invitation a member has had, or is already planned to get.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PastInvitation {
    pub sent_at: DateTime<Utc>,
    pub flash_poll: bool,
}

/// Why a member may not be invited at a moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum PolicyRefusal {
    /// More than `limit` invitations would count within 12 months.
    TooManyThisYear { limit: u32 },
    /// The calendar month already has `limit` flash polls for this member.
    TooManyFlashPollsThisMonth { limit: u32 },
    /// Another invitation is less than `days` days away. `earliest` is the first moment
    /// this rule allows again (the other rules may still say no then).
    TooSoon { days: u32, earliest: DateTime<Utc> },
}

impl Message for PolicyRefusal {
    fn key(&self) -> &'static str {
        match self {
            PolicyRefusal::TooManyThisYear { .. } => "fieldwork.policy.too_many_this_year",
            PolicyRefusal::TooManyFlashPollsThisMonth { .. } => {
                "fieldwork.policy.too_many_flash_polls"
            }
            PolicyRefusal::TooSoon { .. } => "fieldwork.policy.too_soon",
        }
    }

    fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            PolicyRefusal::TooManyThisYear { limit }
            | PolicyRefusal::TooManyFlashPollsThisMonth { limit } => {
                vec![("limit", limit.to_string())]
            }
            PolicyRefusal::TooSoon { days, earliest } => {
                vec![("days", days.to_string()), ("date", shown(*earliest))]
            }
        }
    }
}

/// Until when an invitation sent at `at` counts for the yearly limit: the same date and
/// time a year later, and for 29 February the 1st of March. (Clamping to 28 February, as
/// `checked_add_months` does, would let a later invitation stop counting earlier.)
fn year_end(at: DateTime<Utc>) -> DateTime<Utc> {
    // A year is 366 days when the 29 February of the year of the next end of February
    // exists (for 29 February itself that gives 1 March). Counting days instead of
    // rebuilding the date keeps this cheap: it runs for every member of a panel.
    let date = at.date_naive();
    let leap_day_year = if date.month() <= 2 {
        date.year()
    } else {
        date.year() + 1
    };
    let days = if NaiveDate::from_ymd_opt(leap_day_year, 2, 29).is_some() {
        366
    } else {
        365
    };
    at.checked_add_signed(Duration::days(days))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// How many of the sorted `history` no longer count at `u` (`year_end(h) <= u`). Those
/// form a prefix, as `year_end` is monotone; a year is 365 or 366 days, so only entries
/// in the day between `u - 366 days` and `u - 365 days` need a closer look.
fn expired(history: &[PastInvitation], u: DateTime<Utc>) -> usize {
    let surely = history.partition_point(|h| h.sent_at <= u - Duration::days(366));
    let maybe = history[surely..]
        .iter()
        .take_while(|h| h.sent_at <= u - Duration::days(365) && year_end(h.sent_at) <= u)
        .count();
    surely + maybe
}

/// The calendar month (Dutch clocks) around `at`, as `[start, end)` in UTC.
fn month_of(at: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
    let local = at.with_timezone(&ZONE);
    let first = NaiveDate::from_ymd_opt(local.year(), local.month(), 1).expect("day 1 exists");
    let next = first + Months::new(1);
    (local_midnight(first), local_midnight(next))
}

/// Midnight at the start of `date` on Dutch clocks. Dutch clocks change at 02:00 and
/// 03:00, so midnight always exists once.
fn local_midnight(date: NaiveDate) -> DateTime<Utc> {
    let naive = date.and_hms_opt(0, 0, 0).expect("midnight exists");
    ZONE.from_local_datetime(&naive)
        .earliest()
        .map_or_else(|| naive.and_utc(), |t| t.with_timezone(&Utc))
}

/// The history sorted by moment; borrowed when it already is (the store reads it sorted).
fn sorted(history: &[PastInvitation]) -> Cow<'_, [PastInvitation]> {
    if history.is_sorted_by_key(|h| h.sent_at) {
        Cow::Borrowed(history)
    } else {
        let mut owned = history.to_vec();
        owned.sort_by_key(|h| h.sent_at);
        Cow::Owned(owned)
    }
}

/// May the member get an invitation at `at`? `history` holds their other invitations,
/// sent or planned, in any order. Checks the year, then the month, then the days between.
pub fn check(
    limits: &Limits,
    history: &[PastInvitation],
    at: DateTime<Utc>,
    flash_poll: bool,
) -> Result<(), PolicyRefusal> {
    check_sorted(limits, &sorted(history), at, flash_poll)
}

fn check_sorted(
    limits: &Limits,
    history: &[PastInvitation],
    at: DateTime<Utc>,
    flash_poll: bool,
) -> Result<(), PolicyRefusal> {
    // Year: the new invitation counts during [at, year_end(at)). The number counting at
    // once only rises at another invitation's moment, so it is enough to look at `at`
    // and at the invitations within that period.
    let limit = limits.max_invitations_per_year;
    let counting_at =
        |u: DateTime<Utc>| history.partition_point(|h| h.sent_at <= u) - expired(history, u);
    let until = year_end(at);
    let first_after = history.partition_point(|h| h.sent_at <= at);
    let busiest = history[first_after..]
        .iter()
        .take_while(|h| h.sent_at < until)
        .map(|h| counting_at(h.sent_at))
        .fold(counting_at(at), usize::max);
    if busiest + 1 > limit as usize {
        return Err(PolicyRefusal::TooManyThisYear { limit });
    }

    if flash_poll {
        let limit = limits.max_flash_polls_per_month;
        let (start, end) = month_of(at);
        let from = history.partition_point(|h| h.sent_at < start);
        let to = history.partition_point(|h| h.sent_at < end);
        let count = history[from..to].iter().filter(|h| h.flash_poll).count();
        if count + 1 > limit as usize {
            return Err(PolicyRefusal::TooManyFlashPollsThisMonth { limit });
        }
    }

    let days = limits.min_days_between_invitations;
    if days > 0 {
        let gap = Duration::days(i64::from(days));
        let from = history.partition_point(|h| h.sent_at <= at - gap);
        let to = history.partition_point(|h| h.sent_at < at + gap);
        if let Some(last) = history[from..to].last() {
            return Err(PolicyRefusal::TooSoon {
                days,
                earliest: last.sent_at + gap,
            });
        }
    }
    Ok(())
}

/// The first moment at or after `from` when [`check`] allows an invitation; `None` when
/// a limit is 0, so never.
///
/// The moments the rules refuse form intervals that end at another invitation plus the
/// days between, at another invitation plus 12 months, or at the start of a calendar
/// month; so the answer is `from` or one of those ends.
pub fn next_allowed(
    limits: &Limits,
    history: &[PastInvitation],
    from: DateTime<Utc>,
    flash_poll: bool,
) -> Option<DateTime<Utc>> {
    if never(limits, flash_poll) {
        return None;
    }
    let history = sorted(history);
    if check_sorted(limits, &history, from, flash_poll).is_ok() {
        return Some(from);
    }
    let mut ends: Vec<DateTime<Utc>> = history
        .iter()
        .flat_map(|h| refusal_ends(limits, h, flash_poll))
        .flatten()
        .filter(|end| *end > from)
        .collect();
    ends.sort_unstable();
    ends.dedup();
    ends.into_iter()
        .find(|at| check_sorted(limits, &history, *at, flash_poll).is_ok())
}

/// Could the member be invited at some moment in `[from, to]`? The sampler leaves out
/// members for whom the answer is no. The same search as [`next_allowed`], without
/// allocating when the history is sorted: it runs for every member of a panel.
pub fn allowed_during(
    limits: &Limits,
    history: &[PastInvitation],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    flash_poll: bool,
) -> bool {
    if never(limits, flash_poll) || from > to {
        return false;
    }
    let history = sorted(history);
    let allowed = |at: DateTime<Utc>| check_sorted(limits, &history, at, flash_poll).is_ok();
    allowed(from)
        || history.iter().any(|h| {
            refusal_ends(limits, h, flash_poll)
                .into_iter()
                .flatten()
                .any(|end| from < end && end <= to && allowed(end))
        })
}

fn never(limits: &Limits, flash_poll: bool) -> bool {
    limits.max_invitations_per_year == 0 || (flash_poll && limits.max_flash_polls_per_month == 0)
}

/// Where refusals because of invitation `h` can end.
fn refusal_ends(
    limits: &Limits,
    h: &PastInvitation,
    flash_poll: bool,
) -> [Option<DateTime<Utc>>; 3] {
    let gap = Duration::days(i64::from(limits.min_days_between_invitations));
    let month_end = (flash_poll && h.flash_poll).then(|| month_of(h.sent_at).1);
    [Some(h.sent_at + gap), Some(year_end(h.sent_at)), month_end]
}

/// May another reminder go out for an invitation that has had `reminders_sent`?
pub fn may_remind(limits: &Limits, reminders_sent: u32) -> bool {
    reminders_sent < limits.max_reminders_per_invitation
}
