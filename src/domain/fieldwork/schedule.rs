//! A survey's schedule: when the invitations go out, when a reminder follows, when the
//! survey closes; and the mistakes a manager can make planning one.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use super::{Message, ZONE, shown};

/// When a survey closes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Closing {
    At(DateTime<Utc>),
    /// At the end of the `n`th day after the send day, on Dutch clocks: sent on a
    /// Monday with 14 days, members can answer all of Monday two weeks later. A deadline
    /// at the end of a day is the one members can remember.
    AfterDays(u32),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    pub send_at: DateTime<Utc>,
    /// A reminder to those who have not finished, this many days after their invitation.
    pub reminder_after_days: Option<u32>,
    pub closing: Closing,
}

/// A planning mistake.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ScheduleProblem {
    SendInPast {
        send_at: DateTime<Utc>,
    },
    ClosesBeforeSend {
        send_at: DateTime<Utc>,
        closes_at: DateTime<Utc>,
    },
    ReminderZeroDays,
    ReminderAfterClosing {
        reminder_at: DateTime<Utc>,
        closes_at: DateTime<Utc>,
    },
    /// The panel's contact policy allows no reminders.
    RemindersNotAllowed,
}

impl Message for ScheduleProblem {
    fn key(&self) -> &'static str {
        match self {
            ScheduleProblem::SendInPast { .. } => "fieldwork.schedule.send_in_past",
            ScheduleProblem::ClosesBeforeSend { .. } => "fieldwork.schedule.closes_before_send",
            ScheduleProblem::ReminderZeroDays => "fieldwork.schedule.reminder_zero_days",
            ScheduleProblem::ReminderAfterClosing { .. } => {
                "fieldwork.schedule.reminder_after_closing"
            }
            ScheduleProblem::RemindersNotAllowed => "fieldwork.schedule.reminders_not_allowed",
        }
    }

    fn args(&self) -> Vec<(&'static str, String)> {
        match *self {
            ScheduleProblem::SendInPast { send_at } => vec![("send_at", shown(send_at))],
            ScheduleProblem::ClosesBeforeSend { send_at, closes_at } => {
                vec![("send_at", shown(send_at)), ("closes_at", shown(closes_at))]
            }
            ScheduleProblem::ReminderAfterClosing {
                reminder_at,
                closes_at,
            } => vec![
                ("reminder_at", shown(reminder_at)),
                ("closes_at", shown(closes_at)),
            ],
            ScheduleProblem::ReminderZeroDays | ScheduleProblem::RemindersNotAllowed => vec![],
        }
    }
}

impl Schedule {
    /// The moment the survey closes.
    pub fn closes_at(&self) -> DateTime<Utc> {
        match self.closing {
            Closing::At(at) => at,
            Closing::AfterDays(days) => {
                let send_day = self.send_at.with_timezone(&ZONE).date_naive();
                let day_after = send_day
                    .checked_add_signed(Duration::days(i64::from(days) + 1))
                    .unwrap_or(NaiveDate::MAX);
                let midnight = day_after.and_hms_opt(0, 0, 0).expect("midnight exists");
                // Dutch clocks change at 02:00 and 03:00: midnight always exists once.
                ZONE.from_local_datetime(&midnight)
                    .earliest()
                    .map_or_else(|| midnight.and_utc(), |t| t.with_timezone(&Utc))
            }
        }
    }

    /// When the reminder goes to members invited at the planned send time.
    pub fn reminder_at(&self) -> Option<DateTime<Utc>> {
        self.reminder_after_days
            .map(|days| self.send_at + Duration::days(i64::from(days)))
    }

    /// Every mistake in the schedule, judged at `now`. `max_reminders` is the panel's
    /// `max_reminders_per_invitation`. "Send now" is `send_at == now`.
    pub fn validate(
        &self,
        now: DateTime<Utc>,
        max_reminders: u32,
    ) -> Result<(), Vec<ScheduleProblem>> {
        let mut problems = Vec::new();
        let closes_at = self.closes_at();
        if self.send_at < now {
            problems.push(ScheduleProblem::SendInPast {
                send_at: self.send_at,
            });
        }
        if closes_at <= self.send_at {
            problems.push(ScheduleProblem::ClosesBeforeSend {
                send_at: self.send_at,
                closes_at,
            });
        }
        if let Some(days) = self.reminder_after_days {
            if max_reminders == 0 {
                problems.push(ScheduleProblem::RemindersNotAllowed);
            }
            if days == 0 {
                problems.push(ScheduleProblem::ReminderZeroDays);
            } else if let Some(reminder_at) = self.reminder_at()
                && reminder_at >= closes_at
                && closes_at > self.send_at
            {
                problems.push(ScheduleProblem::ReminderAfterClosing {
                    reminder_at,
                    closes_at,
                });
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fieldwork::test_support::utc;

    fn schedule(send: &str, reminder: Option<u32>, closing: Closing) -> Schedule {
        Schedule {
            send_at: utc(send),
            reminder_after_days: reminder,
            closing,
        }
    }

    #[test]
    fn closing_after_days_is_the_end_of_a_dutch_day() {
        // Sent Monday 16 March 2026 10:00 CET; 14 days: all of Monday 30 March, which
        // is summer time, so until 22:00Z.
        let s = schedule("2026-03-16T09:00:00Z", None, Closing::AfterDays(14));
        assert_eq!(s.closes_at(), utc("2026-03-30T22:00:00Z"));
        // Sent at 00:30 Dutch time (23:30Z the day before) counts from the Dutch day.
        let s = schedule("2026-01-04T23:30:00Z", None, Closing::AfterDays(0));
        assert_eq!(s.closes_at(), utc("2026-01-05T23:00:00Z"));
    }

    #[test]
    fn a_good_schedule_passes() {
        let now = utc("2026-03-01T12:00:00Z");
        let s = schedule("2026-03-16T09:00:00Z", Some(7), Closing::AfterDays(14));
        assert_eq!(s.validate(now, 1), Ok(()));
        let send_now = schedule("2026-03-01T12:00:00Z", None, Closing::AfterDays(14));
        assert_eq!(send_now.validate(now, 1), Ok(()));
    }

    #[test]
    fn every_mistake_is_reported() {
        let now = utc("2026-03-01T12:00:00Z");
        let s = schedule(
            "2026-02-28T09:00:00Z",
            Some(0),
            Closing::At(utc("2026-02-27T09:00:00Z")),
        );
        assert_eq!(
            s.validate(now, 0),
            Err(vec![
                ScheduleProblem::SendInPast {
                    send_at: utc("2026-02-28T09:00:00Z")
                },
                ScheduleProblem::ClosesBeforeSend {
                    send_at: utc("2026-02-28T09:00:00Z"),
                    closes_at: utc("2026-02-27T09:00:00Z")
                },
                ScheduleProblem::RemindersNotAllowed,
                ScheduleProblem::ReminderZeroDays,
            ])
        );
        let late = schedule(
            "2026-03-02T09:00:00Z",
            Some(10),
            Closing::At(utc("2026-03-12T09:00:00Z")),
        );
        let problems = late.validate(now, 1).unwrap_err();
        assert_eq!(
            problems,
            vec![ScheduleProblem::ReminderAfterClosing {
                reminder_at: utc("2026-03-12T09:00:00Z"),
                closes_at: utc("2026-03-12T09:00:00Z")
            }]
        );
        assert_eq!(
            problems[0].args(),
            vec![
                ("reminder_at", "12-03-2026 10:00".to_owned()),
                ("closes_at", "12-03-2026 10:00".to_owned())
            ]
        );
    }
}
