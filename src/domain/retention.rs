//! How long data is kept: the cut-off moments the purge works with, from the panel's
//! retention settings and the fixed periods for technical data.

use chrono::{DateTime, Duration, Months, Utc};

use super::panel::Retention;

/// Unconfirmed sign-ups are removed after this many days.
pub const PENDING_SIGNUP_DAYS: i64 = 7;
/// Sent email is kept this long (for questions about delivery), then removed.
pub const SENT_MAIL_DAYS: i64 = 30;
/// The audit log is kept this many months.
pub const AUDIT_MONTHS: u32 = 24;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cutoffs {
    /// Members neither taking part nor updating their profile since then are removed.
    pub inactive_before: DateTime<Utc>,
    /// Answers given before then are removed.
    pub responses_before: DateTime<Utc>,
    pub pending_before: DateTime<Utc>,
    pub sent_mail_before: DateTime<Utc>,
    pub audit_before: DateTime<Utc>,
}

fn months_back(now: DateTime<Utc>, months: u32) -> DateTime<Utc> {
    now.checked_sub_months(Months::new(months))
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// Audit entries before this moment are removed (the same for every panel).
pub fn audit_before(now: DateTime<Utc>) -> DateTime<Utc> {
    months_back(now, AUDIT_MONTHS)
}

/// Sent mail before this moment is removed (the same for every panel).
pub fn sent_mail_before(now: DateTime<Utc>) -> DateTime<Utc> {
    now - Duration::days(SENT_MAIL_DAYS)
}

pub fn cutoffs(retention: &Retention, now: DateTime<Utc>) -> Cutoffs {
    Cutoffs {
        inactive_before: months_back(now, retention.inactive_member_months),
        responses_before: months_back(now, retention.response_months),
        pending_before: now - Duration::days(PENDING_SIGNUP_DAYS),
        sent_mail_before: sent_mail_before(now),
        audit_before: audit_before(now),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn months_are_calendar_months() {
        let now = Utc.with_ymd_and_hms(2026, 3, 31, 0, 0, 0).unwrap();
        let c = cutoffs(
            &Retention {
                inactive_member_months: 24,
                response_months: 1,
            },
            now,
        );
        assert_eq!(
            c.inactive_before,
            Utc.with_ymd_and_hms(2024, 3, 31, 0, 0, 0).unwrap()
        );
        // 31 March minus one month clamps to the end of February.
        assert_eq!(
            c.responses_before,
            Utc.with_ymd_and_hms(2026, 2, 28, 0, 0, 0).unwrap()
        );
    }
}
