//! Quiet hours: the part of the day (on the panel's clocks, Europe/Amsterdam in practice)
//! when no invitation or reminder goes out, e.g. 21:00 to 08:00.
//!
//! The window is read from the wall clock: `from` is the first quiet minute, `to` the
//! first minute that is not quiet; `from > to` crosses midnight; `from == to` means no
//! quiet hours. Only the wall-clock time counts: on the day clocks go forward a quiet
//! period that should end inside the skipped hour ends when the clock jumps; on the day
//! clocks go back the repeated hour is judged by its wall-clock time each time it passes.

use std::str::FromStr;

use chrono::{DateTime, Duration, NaiveTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;

use crate::domain::panel::{QuietHours, parse_hhmm};

/// Why a panel file's quiet hours cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum QuietHoursError {
    #[error("quiet hours time {0:?} is not HH:MM")]
    BadTime(String),
    #[error("unknown time zone {0:?}")]
    UnknownZone(String),
}

/// Quiet hours, parsed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QuietWindow {
    from: NaiveTime,
    to: NaiveTime,
    zone: Tz,
}

impl QuietWindow {
    pub fn parse(quiet: &QuietHours) -> Result<Self, QuietHoursError> {
        let time = |value: &str| {
            parse_hhmm(value)
                .and_then(|minutes| NaiveTime::from_hms_opt(minutes / 60, minutes % 60, 0))
                .ok_or_else(|| QuietHoursError::BadTime(value.to_owned()))
        };
        Ok(Self {
            from: time(&quiet.from)?,
            to: time(&quiet.to)?,
            zone: Tz::from_str(&quiet.timezone)
                .map_err(|_| QuietHoursError::UnknownZone(quiet.timezone.clone()))?,
        })
    }

    fn quiet_at(&self, time: NaiveTime) -> bool {
        if self.from <= self.to {
            self.from <= time && time < self.to
        } else {
            time >= self.from || time < self.to
        }
    }
}

/// Is `at` within the quiet hours?
pub fn in_quiet_hours(window: &QuietWindow, at: DateTime<Utc>) -> bool {
    window.quiet_at(at.with_timezone(&window.zone).time())
}

/// The first moment at or after `at` outside the quiet hours.
pub fn next_send_moment(window: &QuietWindow, at: DateTime<Utc>) -> DateTime<Utc> {
    if !in_quiet_hours(window, at) {
        return at;
    }
    // A quiet period ends when the wall clock reaches `to` (today or tomorrow; when it
    // shows `to` twice, at either), or when the clock is switched out of the window.
    let today = at.with_timezone(&window.zone).date_naive();
    let ends = (0..3)
        .filter_map(|days| today.checked_add_signed(Duration::days(days)))
        .flat_map(|date| {
            let mapped = window.zone.from_local_datetime(&date.and_time(window.to));
            mapped.earliest().into_iter().chain(mapped.latest())
        })
        .map(|t| t.with_timezone(&Utc));
    ends.chain(switches(window.zone, at, at + Duration::days(3)))
        .filter(|end| *end >= at && !in_quiet_hours(window, *end))
        .min()
        .unwrap_or(at)
}

/// The moments in `[from, to)` when the zone's clocks are switched, to the second.
fn switches(zone: Tz, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<DateTime<Utc>> {
    let offset = |second: i64| {
        DateTime::from_timestamp(second, 0)
            .map(|t| zone.offset_from_utc_datetime(&t.naive_utc()).fix())
    };
    let mut found = Vec::new();
    let mut t = from.timestamp();
    while t < to.timestamp() {
        let (mut before, mut after) = (t, t + 3600);
        if offset(before) != offset(after) {
            // The offset changes somewhere in (before, after]: halve down to a second.
            while after - before > 1 {
                let mid = before + (after - before) / 2;
                if offset(mid) == offset(before) {
                    before = mid;
                } else {
                    after = mid;
                }
            }
            found.extend(DateTime::from_timestamp(after, 0));
        }
        t += 3600;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fieldwork::test_support::utc;
    use proptest::prelude::*;

    fn window(from: &str, to: &str) -> QuietWindow {
        QuietWindow::parse(&QuietHours {
            from: from.into(),
            to: to.into(),
            timezone: "Europe/Amsterdam".into(),
        })
        .unwrap()
    }

    #[test]
    fn bad_times_and_zones_are_refused() {
        let bad = |from: &str, zone: &str| {
            QuietWindow::parse(&QuietHours {
                from: from.into(),
                to: "08:00".into(),
                timezone: zone.into(),
            })
        };
        assert_eq!(
            bad("9:00", "Europe/Amsterdam"),
            Err(QuietHoursError::BadTime("9:00".into()))
        );
        assert_eq!(
            bad("21:00", "Europe/Amsterdamm"),
            Err(QuietHoursError::UnknownZone("Europe/Amsterdamm".into()))
        );
    }

    #[test]
    fn window_across_midnight_in_winter_and_summer() {
        let w = window("21:00", "08:00");
        // Winter: UTC+1. 19:59Z is 20:59 local, 20:00Z is 21:00 local.
        assert!(!in_quiet_hours(&w, utc("2026-01-15T19:59:00Z")));
        assert!(in_quiet_hours(&w, utc("2026-01-15T20:00:00Z")));
        assert!(in_quiet_hours(&w, utc("2026-01-16T06:59:59Z")));
        assert!(!in_quiet_hours(&w, utc("2026-01-16T07:00:00Z")));
        // Summer: UTC+2.
        assert!(in_quiet_hours(&w, utc("2026-07-15T19:00:00Z")));
        assert!(!in_quiet_hours(&w, utc("2026-07-16T06:00:00Z")));
        assert_eq!(
            next_send_moment(&w, utc("2026-07-15T19:30:00Z")),
            utc("2026-07-16T06:00:00Z")
        );
        assert_eq!(
            next_send_moment(&w, utc("2026-01-16T03:00:00Z")),
            utc("2026-01-16T07:00:00Z")
        );
        let outside = utc("2026-01-16T12:34:56Z");
        assert_eq!(next_send_moment(&w, outside), outside);
    }

    #[test]
    fn window_within_a_day_and_empty_window() {
        let w = window("12:00", "13:30");
        assert!(in_quiet_hours(&w, utc("2026-01-15T11:00:00Z")));
        assert_eq!(
            next_send_moment(&w, utc("2026-01-15T11:10:00Z")),
            utc("2026-01-15T12:30:00Z")
        );
        assert!(!in_quiet_hours(
            &window("08:00", "08:00"),
            utc("2026-01-15T07:00:00Z")
        ));
    }

    #[test]
    fn night_before_clocks_go_forward() {
        // Sunday 29 March 2026: 02:00 CET becomes 03:00 CEST. 08:00 CEST is 06:00Z.
        let w = window("21:00", "08:00");
        assert_eq!(
            next_send_moment(&w, utc("2026-03-28T21:00:00Z")),
            utc("2026-03-29T06:00:00Z")
        );
        assert!(in_quiet_hours(&w, utc("2026-03-29T05:59:00Z")));
        // A quiet period ending at 02:30, which does not exist that night, ends at the
        // jump: 03:00 CEST, 01:00Z.
        let w = window("21:00", "02:30");
        assert_eq!(
            next_send_moment(&w, utc("2026-03-28T23:00:00Z")),
            utc("2026-03-29T01:00:00Z")
        );
        // Only 02:00-02:20 is not quiet, and that night it does not exist: the next
        // moment is 02:00 a day later.
        let w = window("02:20", "02:00");
        assert_eq!(
            next_send_moment(&w, utc("2026-03-28T01:20:00Z")),
            utc("2026-03-30T00:00:00Z")
        );
        // Only 02:00-03:01 is not quiet: the jump from 02:00 to 03:00 is the moment.
        let w = window("03:01", "02:00");
        assert_eq!(
            next_send_moment(&w, utc("2026-03-29T00:01:00Z")),
            utc("2026-03-29T01:00:00Z")
        );
    }

    #[test]
    fn night_before_clocks_go_back() {
        // Sunday 25 October 2026: 03:00 CEST becomes 02:00 CET. 08:00 CET is 07:00Z.
        let w = window("21:00", "08:00");
        assert_eq!(
            next_send_moment(&w, utc("2026-10-24T19:00:00Z")),
            utc("2026-10-25T07:00:00Z")
        );
        // A quiet period ending at 02:30 ends at the first 02:30 (00:30Z); the repeated
        // hour's 02:00-02:30 (01:00Z-01:30Z) is quiet again, and ends at the second 02:30.
        let w = window("21:00", "02:30");
        assert_eq!(
            next_send_moment(&w, utc("2026-10-24T22:00:00Z")),
            utc("2026-10-25T00:30:00Z")
        );
        assert!(!in_quiet_hours(&w, utc("2026-10-25T00:45:00Z")));
        assert!(in_quiet_hours(&w, utc("2026-10-25T01:10:00Z")));
        assert_eq!(
            next_send_moment(&w, utc("2026-10-25T01:10:00Z")),
            utc("2026-10-25T01:30:00Z")
        );
    }

    #[test]
    fn clocks_going_back_can_end_a_quiet_period() {
        // 02:30-03:00 is quiet; at 03:00 CEST (01:00Z) the clock shows 02:00 CET again,
        // which is not quiet.
        let w = window("02:30", "03:00");
        assert!(in_quiet_hours(&w, utc("2026-10-25T00:45:00Z")));
        assert_eq!(
            next_send_moment(&w, utc("2026-10-25T00:45:00Z")),
            utc("2026-10-25T01:00:00Z")
        );
    }

    proptest! {
        #![proptest_config(crate::proptest_config(200))]

        /// The moment found is at or after `at`, not quiet, and every minute before it
        /// is quiet.
        #[test]
        fn next_send_moment_is_the_first_moment_outside(
            from in 0u32..1440,
            to in 0u32..1440,
            // Minutes after 2026-01-01: any in the year, or within two days of the
            // switches on 29 March (day 87) and 25 October (day 297).
            minute in prop_oneof![
                0i64..525_600,
                (86 * 1440i64)..(89 * 1440),
                (296 * 1440i64)..(299 * 1440),
            ],
        ) {
            let hhmm = |m: u32| format!("{:02}:{:02}", m / 60, m % 60);
            let w = window(&hhmm(from), &hhmm(to));
            let at = utc("2026-01-01T00:00:00Z") + Duration::minutes(minute);
            let next = next_send_moment(&w, at);
            prop_assert!(next >= at);
            prop_assert!(!in_quiet_hours(&w, next));
            // Within a day, or two when a switch skips the only send time of a day.
            prop_assert!(next - at <= Duration::hours(50));
            let mut t = at;
            while t < next {
                prop_assert!(in_quiet_hours(&w, t), "{t} is not quiet but {next} was found");
                t += Duration::minutes(1);
            }
        }
    }
}
