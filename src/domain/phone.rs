//! Phone fallback rules: call outcomes as AAPOR-style dispositions, the limit on
//! attempts per member and survey, and the order of an interviewer's call list
//! (appointments that are due first, then calls spread over the parts of the day).

use chrono::{DateTime, Timelike, Utc};
use sea_orm::sea_query::StringLen;
use sea_orm::{DeriveActiveEnum, EnumIter};
use serde::{Deserialize, Serialize};

use super::fieldwork::ZONE;

/// The attempts per member per survey when the panel file names no other number.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 5;

/// How a call ended.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(24))")]
#[serde(rename_all = "snake_case")]
pub enum Disposition {
    #[sea_orm(string_value = "complete")]
    Complete,
    #[sea_orm(string_value = "partial")]
    Partial,
    #[sea_orm(string_value = "refusal")]
    Refusal,
    #[sea_orm(string_value = "break_off")]
    BreakOff,
    #[sea_orm(string_value = "no_answer")]
    NoAnswer,
    #[sea_orm(string_value = "busy")]
    Busy,
    #[sea_orm(string_value = "answering_machine")]
    AnsweringMachine,
    #[sea_orm(string_value = "wrong_number")]
    WrongNumber,
    #[sea_orm(string_value = "appointment")]
    Appointment,
    #[sea_orm(string_value = "not_eligible")]
    NotEligible,
    #[sea_orm(string_value = "other")]
    Other,
}

impl Disposition {
    pub const ALL: &'static [Disposition] = &[
        Disposition::Complete,
        Disposition::Partial,
        Disposition::Refusal,
        Disposition::BreakOff,
        Disposition::NoAnswer,
        Disposition::Busy,
        Disposition::AnsweringMachine,
        Disposition::WrongNumber,
        Disposition::Appointment,
        Disposition::NotEligible,
        Disposition::Other,
    ];

    /// What an interviewer records by hand: "complete" is recorded when the phone
    /// interview is sent.
    pub const RECORDED: &'static [Disposition] = &[
        Disposition::NoAnswer,
        Disposition::Busy,
        Disposition::AnsweringMachine,
        Disposition::Appointment,
        Disposition::Partial,
        Disposition::BreakOff,
        Disposition::Refusal,
        Disposition::WrongNumber,
        Disposition::NotEligible,
        Disposition::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Disposition::Complete => "complete",
            Disposition::Partial => "partial",
            Disposition::Refusal => "refusal",
            Disposition::BreakOff => "break_off",
            Disposition::NoAnswer => "no_answer",
            Disposition::Busy => "busy",
            Disposition::AnsweringMachine => "answering_machine",
            Disposition::WrongNumber => "wrong_number",
            Disposition::Appointment => "appointment",
            Disposition::NotEligible => "not_eligible",
            Disposition::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|d| d.code() == code)
    }

    /// The AAPOR final disposition code this outcome maps to (Standard Definitions,
    /// telephone surveys): 1.1 complete, 1.2 partial, 2.11 refusal, 2.12 break-off, 3.x
    /// unknown eligibility, 4.x not eligible.
    pub fn aapor(self) -> &'static str {
        match self {
            Disposition::Complete => "1.1",
            Disposition::Partial => "1.2",
            Disposition::Refusal => "2.11",
            Disposition::BreakOff => "2.12",
            Disposition::Appointment => "2.21",
            Disposition::AnsweringMachine => "2.22",
            Disposition::Other => "2.30",
            Disposition::NoAnswer => "3.13",
            Disposition::Busy => "3.12",
            Disposition::WrongNumber => "4.20",
            Disposition::NotEligible => "4.70",
        }
    }

    /// No further calls after this outcome.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Disposition::Complete
                | Disposition::Refusal
                | Disposition::WrongNumber
                | Disposition::NotEligible
        )
    }

    pub fn i18n_key(self) -> String {
        format!("phone.outcome.{}", self.code())
    }
}

/// A part of the day on Dutch clocks: calls are spread over them, so a member who is
/// out every morning is tried in the afternoon or evening too.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum DayPart {
    Morning,
    Afternoon,
    Evening,
}

impl DayPart {
    pub fn of(at: DateTime<Utc>) -> DayPart {
        match at.with_timezone(&ZONE).hour() {
            0..12 => DayPart::Morning,
            12..17 => DayPart::Afternoon,
            _ => DayPart::Evening,
        }
    }
}

/// One earlier call to a member for a survey.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attempt {
    pub at: DateTime<Utc>,
    pub disposition: Disposition,
    pub appointment_at: Option<DateTime<Utc>>,
}

/// Why another attempt may not be recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AttemptRefusal {
    #[error("the maximum number of attempts was reached")]
    LimitReached { max: u32 },
    #[error("the call list entry is closed by a final outcome")]
    Closed,
}

impl AttemptRefusal {
    pub fn i18n_key(self) -> &'static str {
        match self {
            AttemptRefusal::LimitReached { .. } => "phone.refused.limit",
            AttemptRefusal::Closed => "phone.refused.closed",
        }
    }
}

/// Where a member stands on the call list of one survey.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum EntryState {
    /// An appointment whose time has come: call now.
    AppointmentDue,
    /// Never called.
    New,
    /// Called before, to be tried again.
    Retry,
    /// An appointment later on.
    AppointmentLater,
    /// A final outcome, or the limit reached.
    Done,
}

/// The call history of one member for one survey, oldest first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct History {
    pub attempts: Vec<Attempt>,
}

impl History {
    /// Attempts that count against the limit: every call made (an appointment made
    /// during a call counts; so does a call that reached nobody).
    pub fn count(&self) -> u32 {
        u32::try_from(self.attempts.len()).unwrap_or(u32::MAX)
    }

    fn last(&self) -> Option<&Attempt> {
        self.attempts.last()
    }

    /// May another attempt be recorded, with at most `max` per member and survey?
    pub fn check(&self, max: u32) -> Result<(), AttemptRefusal> {
        if self.last().is_some_and(|a| a.disposition.is_final()) {
            return Err(AttemptRefusal::Closed);
        }
        if self.count() >= max {
            return Err(AttemptRefusal::LimitReached { max });
        }
        Ok(())
    }

    /// The appointment the last call made, if any.
    pub fn appointment(&self) -> Option<DateTime<Utc>> {
        self.last()
            .filter(|a| a.disposition == Disposition::Appointment)
            .and_then(|a| a.appointment_at)
    }

    pub fn state(&self, max: u32, now: DateTime<Utc>) -> EntryState {
        if self.check(max).is_err() {
            return EntryState::Done;
        }
        match self.appointment() {
            Some(at) if at <= now => EntryState::AppointmentDue,
            Some(_) => EntryState::AppointmentLater,
            None if self.attempts.is_empty() => EntryState::New,
            None => EntryState::Retry,
        }
    }

    /// Was this member already tried in the part of the day `now` is in?
    fn tried_in(&self, part: DayPart) -> bool {
        self.attempts.iter().any(|a| DayPart::of(a.at) == part)
    }

    /// The sort key of the call list at `now`: due appointments first (earliest first),
    /// then members never called, then those to try again — first those not yet tried
    /// in this part of the day, then fewer attempts, then longest ago — then later
    /// appointments, then the ones that are done.
    pub fn order_key(&self, max: u32, now: DateTime<Utc>) -> OrderKey {
        let state = self.state(max, now);
        let part = DayPart::of(now);
        let (when, spread) = match state {
            EntryState::AppointmentDue | EntryState::AppointmentLater => (
                self.appointment().map(|t| t.timestamp()).unwrap_or(0),
                false,
            ),
            EntryState::Retry => (
                self.last().map(|a| a.at.timestamp()).unwrap_or(0),
                self.tried_in(part),
            ),
            EntryState::New | EntryState::Done => (0, false),
        };
        OrderKey {
            state,
            spread,
            attempts: self.count(),
            when,
        }
    }
}

/// Compares call list entries: smaller comes first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct OrderKey {
    state: EntryState,
    /// Already tried in this part of the day.
    spread: bool,
    attempts: u32,
    when: i64,
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;

    /// 10:00 Dutch winter time.
    fn morning() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap()
    }

    fn attempt(at: DateTime<Utc>, d: Disposition) -> Attempt {
        Attempt {
            at,
            disposition: d,
            appointment_at: None,
        }
    }

    #[test]
    fn the_limit_and_final_outcomes_stop_further_attempts() {
        let mut h = History::default();
        for i in 0..5 {
            assert_eq!(h.check(5), Ok(()));
            h.attempts.push(attempt(
                morning() + Duration::hours(i),
                Disposition::NoAnswer,
            ));
        }
        assert_eq!(h.check(5), Err(AttemptRefusal::LimitReached { max: 5 }));
        let refused = History {
            attempts: vec![attempt(morning(), Disposition::Refusal)],
        };
        assert_eq!(refused.check(5), Err(AttemptRefusal::Closed));
        assert_eq!(refused.state(5, morning()), EntryState::Done);
    }

    #[test]
    fn a_due_appointment_comes_first_and_a_later_one_last() {
        let now = morning();
        let appointment = |at| History {
            attempts: vec![Attempt {
                at: now - Duration::days(1),
                disposition: Disposition::Appointment,
                appointment_at: Some(at),
            }],
        };
        let due = appointment(now - Duration::minutes(5));
        let later = appointment(now + Duration::hours(4));
        let new = History::default();
        let retry = History {
            attempts: vec![attempt(now - Duration::days(1), Disposition::Busy)],
        };
        let mut keys = [
            ("later", later.order_key(5, now)),
            ("retry", retry.order_key(5, now)),
            ("new", new.order_key(5, now)),
            ("due", due.order_key(5, now)),
        ];
        keys.sort_by_key(|(_, k)| *k);
        let order: Vec<&str> = keys.iter().map(|(n, _)| *n).collect();
        assert_eq!(order, ["due", "new", "retry", "later"]);
        // Four hours on, the later appointment is due and goes to the top.
        let then = now + Duration::hours(4);
        assert!(later.order_key(5, then) < new.order_key(5, then));
    }

    #[test]
    fn retries_are_spread_over_the_parts_of_the_day() {
        let now = morning() + Duration::days(1);
        let tried_mornings = History {
            attempts: vec![attempt(morning(), Disposition::NoAnswer)],
        };
        let tried_evening = History {
            attempts: vec![attempt(
                morning() + Duration::hours(10),
                Disposition::NoAnswer,
            )],
        };
        assert!(tried_evening.order_key(5, now) < tried_mornings.order_key(5, now));
        assert_eq!(DayPart::of(morning()), DayPart::Morning);
        assert_eq!(
            DayPart::of(morning() + Duration::hours(10)),
            DayPart::Evening
        );
    }

    #[test]
    fn every_outcome_has_a_code_that_reads_back() {
        for d in Disposition::ALL {
            assert_eq!(Disposition::from_code(d.code()), Some(*d));
        }
    }
}
