//! Hand-computed cases for each contact-policy rule, and properties of `next_allowed`.

use chrono::Duration;
use proptest::prelude::*;

use super::policy::*;
use super::test_support::utc;
use super::{Message, ZONE};
use crate::domain::panel::{ContactPolicy, QuietHours};
use crate::i18n::Lang;

fn sent(s: &str) -> PastInvitation {
    PastInvitation {
        sent_at: utc(s),
        flash_poll: false,
    }
}

fn flash(s: &str) -> PastInvitation {
    PastInvitation {
        sent_at: utc(s),
        flash_poll: true,
    }
}

fn limits(per_year: u32, flash_per_month: u32, days: u32) -> Limits {
    Limits {
        max_invitations_per_year: per_year,
        max_flash_polls_per_month: flash_per_month,
        min_days_between_invitations: days,
        max_reminders_per_invitation: 1,
    }
}

#[test]
fn the_stricter_limit_holds() {
    let panel = ContactPolicy {
        max_invitations_per_year: 10,
        max_flash_polls_per_month: 2,
        min_days_between_invitations: 7,
        max_reminders_per_invitation: 1,
        quiet_hours: QuietHours {
            from: "21:00".into(),
            to: "08:00".into(),
            timezone: "Europe/Amsterdam".into(),
        },
        max_call_attempts: 5,
    };
    assert_eq!(effective(&panel, None), limits(10, 2, 7));
    let own = MemberLimits {
        max_invitations_per_year: Some(4),
        max_flash_polls_per_month: None,
        min_days_between_invitations: Some(3),
        max_reminders_per_invitation: Some(0),
    };
    let mut expected = limits(4, 2, 7);
    expected.max_reminders_per_invitation = 0;
    assert_eq!(effective(&panel, Some(&own)), expected);
    let looser = MemberLimits {
        max_invitations_per_year: Some(20),
        min_days_between_invitations: Some(14),
        ..MemberLimits::default()
    };
    assert_eq!(effective(&panel, Some(&looser)), limits(10, 2, 14));
}

#[test]
fn at_most_so_many_in_twelve_months() {
    let l = limits(3, 2, 0);
    let history = [
        sent("2026-01-10T09:00:00Z"),
        sent("2026-05-01T09:00:00Z"),
        sent("2026-09-01T09:00:00Z"),
    ];
    let refused = Err(PolicyRefusal::TooManyThisYear { limit: 3 });
    assert_eq!(
        check(&l, &history, utc("2026-12-01T09:00:00Z"), false),
        refused
    );
    // The January invitation counts until the same moment a year later.
    assert_eq!(
        check(&l, &history, utc("2027-01-10T08:59:59Z"), false),
        refused
    );
    assert_eq!(
        check(&l, &history, utc("2027-01-10T09:00:00Z"), false),
        Ok(())
    );
    assert_eq!(
        next_allowed(&l, &history, utc("2026-12-01T09:00:00Z"), false),
        Some(utc("2027-01-10T09:00:00Z"))
    );
    // Two are fine.
    assert_eq!(
        check(&l, &history[..2], utc("2026-12-01T09:00:00Z"), false),
        Ok(())
    );
}

#[test]
fn an_invitation_on_29_february_counts_until_1_march() {
    let l = limits(1, 2, 0);
    let history = [sent("2028-02-29T10:00:00Z")];
    let refused = Err(PolicyRefusal::TooManyThisYear { limit: 1 });
    assert_eq!(
        check(&l, &history, utc("2029-02-28T23:00:00Z"), false),
        refused
    );
    assert_eq!(
        check(&l, &history, utc("2029-03-01T09:59:00Z"), false),
        refused
    );
    assert_eq!(
        check(&l, &history, utc("2029-03-01T10:00:00Z"), false),
        Ok(())
    );
}

#[test]
fn planned_invitations_count_too() {
    let l = limits(2, 2, 0);
    let history = [sent("2026-03-01T09:00:00Z"), sent("2027-01-15T09:00:00Z")];
    let refused = Err(PolicyRefusal::TooManyThisYear { limit: 2 });
    // In June 2026 only one was sent, but on 15 January 2027 three would count.
    assert_eq!(
        check(&l, &history, utc("2026-06-01T09:00:00Z"), false),
        refused
    );
    assert_eq!(
        check(&l, &history, utc("2025-01-01T09:00:00Z"), false),
        Ok(())
    );
    assert_eq!(
        next_allowed(&l, &history, utc("2026-06-01T09:00:00Z"), false),
        Some(utc("2027-03-01T09:00:00Z"))
    );
}

#[test]
fn flash_polls_per_dutch_calendar_month() {
    let l = limits(10, 2, 0);
    let history = [
        flash("2026-03-02T09:00:00Z"),
        flash("2026-03-20T09:00:00Z"),
        sent("2026-03-25T09:00:00Z"),
    ];
    let refused = Err(PolicyRefusal::TooManyFlashPollsThisMonth { limit: 2 });
    // 31 March 21:00Z is 23:00 in Amsterdam (summer time): still March.
    assert_eq!(
        check(&l, &history, utc("2026-03-31T21:00:00Z"), true),
        refused
    );
    // 22:00Z is midnight: April.
    assert_eq!(
        check(&l, &history, utc("2026-03-31T22:00:00Z"), true),
        Ok(())
    );
    // A questionnaire is no flash poll.
    assert_eq!(
        check(&l, &history, utc("2026-03-31T21:00:00Z"), false),
        Ok(())
    );
    assert_eq!(
        next_allowed(&l, &history, utc("2026-03-28T09:00:00Z"), true),
        Some(utc("2026-03-31T22:00:00Z"))
    );
    // A flash poll sent on 31 January at 23:30 Dutch time (22:30Z) counts for January.
    let history = [flash("2026-01-31T22:30:00Z"), flash("2026-01-05T10:00:00Z")];
    assert_eq!(
        check(&l, &history, utc("2026-01-31T22:45:00Z"), true),
        refused
    );
    assert_eq!(
        check(&l, &history, utc("2026-01-31T23:00:00Z"), true),
        Ok(())
    );
}

#[test]
fn days_between_invitations_before_and_after() {
    let l = limits(10, 2, 7);
    let history = [sent("2026-03-01T10:00:00Z")];
    assert_eq!(
        check(&l, &history, utc("2026-03-05T10:00:00Z"), false),
        Err(PolicyRefusal::TooSoon {
            days: 7,
            earliest: utc("2026-03-08T10:00:00Z")
        })
    );
    assert_eq!(
        check(&l, &history, utc("2026-03-08T10:00:00Z"), false),
        Ok(())
    );
    assert_eq!(
        check(&l, &history, utc("2026-02-22T10:00:00Z"), false),
        Ok(())
    );
    assert!(check(&l, &history, utc("2026-02-22T10:00:01Z"), false).is_err());
    // A planned one on 10 March: no room between them.
    let history = [sent("2026-03-10T10:00:00Z"), sent("2026-03-01T10:00:00Z")];
    assert_eq!(
        check(&l, &history, utc("2026-03-05T10:00:00Z"), false),
        Err(PolicyRefusal::TooSoon {
            days: 7,
            earliest: utc("2026-03-17T10:00:00Z")
        })
    );
    let from = utc("2026-03-05T10:00:00Z");
    assert_eq!(
        next_allowed(&l, &history, from, false),
        Some(utc("2026-03-17T10:00:00Z"))
    );
    assert!(!allowed_during(
        &l,
        &history,
        from,
        utc("2026-03-17T09:59:59Z"),
        false
    ));
    assert!(allowed_during(
        &l,
        &history,
        from,
        utc("2026-03-17T10:00:00Z"),
        false
    ));
}

#[test]
fn a_limit_of_zero_means_never() {
    let now = utc("2026-03-05T10:00:00Z");
    let later = now + Duration::days(400);
    assert_eq!(
        check(&limits(0, 2, 0), &[], now, false),
        Err(PolicyRefusal::TooManyThisYear { limit: 0 })
    );
    assert_eq!(next_allowed(&limits(0, 2, 0), &[], now, false), None);
    assert!(!allowed_during(&limits(0, 2, 0), &[], now, later, false));
    assert_eq!(next_allowed(&limits(5, 0, 0), &[], now, true), None);
    assert_eq!(next_allowed(&limits(5, 0, 0), &[], now, false), Some(now));
}

#[test]
fn reminders_up_to_the_limit() {
    let l = limits(10, 2, 7);
    assert!(may_remind(&l, 0));
    assert!(!may_remind(&l, 1));
    let none = Limits {
        max_reminders_per_invitation: 0,
        ..l
    };
    assert!(!may_remind(&none, 0));
}

#[test]
fn refusals_read_as_dutch_and_english() {
    let refusal = PolicyRefusal::TooSoon {
        days: 7,
        earliest: utc("2026-03-08T10:00:00Z"),
    };
    assert_eq!(
        refusal.message(Lang::Nl),
        "Tussen twee uitnodigingen zitten minstens 7 dagen. Dit lid kan weer een \
         uitnodiging krijgen vanaf 08-03-2026 11:00."
    );
    assert!(refusal.message(Lang::En).contains("at least 7 days"));
}

/// Every rule, checked the slow way on a whole set of invitations.
fn valid(l: &Limits, set: &[PastInvitation]) -> bool {
    use chrono::Datelike;
    let gap = Duration::days(i64::from(l.min_days_between_invitations));
    for (i, a) in set.iter().enumerate() {
        for b in &set[i + 1..] {
            if (a.sent_at - b.sent_at).abs() < gap {
                return false;
            }
        }
        let local = a.sent_at.with_timezone(&ZONE);
        let same_month = set
            .iter()
            .filter(|b| {
                let other = b.sent_at.with_timezone(&ZONE);
                b.flash_poll && other.year() == local.year() && other.month() == local.month()
            })
            .count();
        if a.flash_poll && same_month > l.max_flash_polls_per_month as usize {
            return false;
        }
        // Invitations counting at the moment of `a`.
        let counting = set
            .iter()
            .filter(|b| {
                let end = b
                    .sent_at
                    .with_year(b.sent_at.year() + 1)
                    .unwrap_or_else(|| {
                        (b.sent_at + Duration::days(1))
                            .with_year(b.sent_at.year() + 1)
                            .unwrap()
                    });
                b.sent_at <= a.sent_at && a.sent_at < end
            })
            .count();
        if counting > l.max_invitations_per_year as usize {
            return false;
        }
    }
    true
}

fn invitation() -> impl Strategy<Value = PastInvitation> {
    // Whole hours over three years from 2026, so rule boundaries fall on whole hours.
    (0i64..3 * 365 * 24, any::<bool>()).prop_map(|(hours, flash_poll)| PastInvitation {
        sent_at: utc("2026-01-01T00:00:00Z") + Duration::hours(hours),
        flash_poll,
    })
}

proptest! {
    #![proptest_config(crate::proptest_config(300))]

    /// Adding only what `check` allows keeps a set of invitations within every rule,
    /// whatever order they come in (planned ones included).
    #[test]
    fn check_keeps_every_rule(
        wanted in prop::collection::vec(invitation(), 0..40),
        per_year in 0u32..6,
        per_month in 0u32..3,
        days in 0u32..20,
    ) {
        let l = limits(per_year, per_month, days);
        let mut set: Vec<PastInvitation> = Vec::new();
        for w in wanted {
            if check(&l, &set, w.sent_at, w.flash_poll).is_ok() {
                set.push(w);
                prop_assert!(valid(&l, &set), "{set:?}");
            }
        }
    }

}

proptest! {
    // Each case walks up to a year hour by hour.
    #![proptest_config(crate::proptest_config(64))]

    /// `next_allowed` finds a moment `check` allows, and no earlier whole hour is allowed.
    #[test]
    fn next_allowed_is_the_first_allowed_moment(
        history in prop::collection::vec(invitation(), 0..12),
        from in invitation(),
        per_year in 1u32..5,
        days in 0u32..20,
    ) {
        let l = limits(per_year, 1, days);
        let found = next_allowed(&l, &history, from.sent_at, from.flash_poll);
        let found = found.expect("limits above 0 always allow at some time");
        prop_assert!(found >= from.sent_at);
        prop_assert_eq!(check(&l, &history, found, from.flash_poll), Ok(()));
        for days in [0, 3, 10, 40, 200] {
            let to = from.sent_at + Duration::days(days);
            prop_assert_eq!(
                allowed_during(&l, &history, from.sent_at, to, from.flash_poll),
                found <= to
            );
        }
        let mut t = from.sent_at;
        while t < found {
            prop_assert!(check(&l, &history, t, from.flash_poll).is_err(), "{t} allowed before {found}");
            t += Duration::hours(1);
        }
    }
}
