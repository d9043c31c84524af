//! Fieldwork rules, pure: who may be invited when (contact policy, quiet hours), which
//! members a survey goes to (eligibility, quotas, a seeded stratified sample), when a
//! response stratum is full, and whether a schedule makes sense. No I/O: the store reads
//! members and contact history, calls these functions, and enforces the result under
//! concurrency in the database.
//!
//! Every refusal, problem and report line carries an i18n key under `fieldwork.*` and the
//! values for its placeholders ([`Message`]); the sentences live in `nl.toml`/`en.toml`.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::i18n::{Lang, tf};

mod outcome;
pub mod policy;
pub mod quiet;
pub mod quota;
pub mod sample;
pub mod schedule;

#[cfg(test)]
mod policy_tests;
#[cfg(test)]
mod quota_tests;
#[cfg(test)]
mod sample_proptests;
#[cfg(test)]
mod sample_tests;
#[cfg(test)]
mod test_support;
#[cfg(test)]
mod texts_tests;

pub use policy::{
    Limits, MemberLimits, PastInvitation, PolicyRefusal, allowed_during, check, effective,
    may_remind, next_allowed,
};
pub use quiet::{QuietHoursError, QuietWindow, in_quiet_hours, next_send_moment};
pub use quota::{Counts, Quota, QuotaProblem, check_quotas, default_quotas, stratum_full};
pub use sample::{
    Background, BackgroundIndex, CategoryReport, Frame, LeftOut, LeftOutLine, LeftOutReason,
    SampleOutcome, Shortfall, Size, SizeShortfall, draw, eligible,
};
pub use schedule::{Closing, Schedule, ScheduleProblem};

/// The time zone of the panels' members: calendar months, days and quiet hours are
/// counted on Dutch clocks.
pub const ZONE: Tz = chrono_tz::Europe::Amsterdam;

/// Something to tell a manager: an i18n key and the values for its `{placeholders}`.
pub trait Message {
    /// The key in `nl.toml`/`en.toml`, under `fieldwork.`.
    fn key(&self) -> &'static str;

    /// The values for the text's `{placeholders}`.
    fn args(&self) -> Vec<(&'static str, String)>;

    /// The text in `lang`, with the placeholders filled in.
    fn message(&self, lang: Lang) -> String {
        let args = self.args();
        let args: Vec<(&str, &dyn std::fmt::Display)> = args
            .iter()
            .map(|(name, value)| (*name, value as &dyn std::fmt::Display))
            .collect();
        tf(lang, self.key(), &args)
    }
}

/// A moment as a Dutch reader expects it in a message: `03-04-2026 14:00`.
fn shown(at: DateTime<Utc>) -> String {
    at.with_timezone(&ZONE).format("%d-%m-%Y %H:%M").to_string()
}
