//! The fieldwork texts: plain Dutch, and every message filled in without a leftover
//! placeholder in either language.

use chrono::{DateTime, Utc};

use super::Message;
use super::policy::PolicyRefusal;
use super::quota::QuotaProblem;
use super::sample::{LeftOut, Shortfall, SizeShortfall};
use super::schedule::ScheduleProblem;
use crate::domain::ids::{CategoryValue, VariableId};
use crate::domain::plain_language::{Severity, check_text};
use crate::i18n::{self, Lang};

#[test]
fn fieldwork_texts_are_plain_dutch() {
    let keys = i18n::keys(Lang::Nl).filter(|k| k.starts_with("fieldwork."));
    let mut count = 0;
    for key in keys {
        let report = check_text(i18n::t(Lang::Nl, key));
        assert_eq!(report.count(Severity::Problem), 0, "{key}: {report:?}");
        count += 1;
    }
    assert!(count > 20);
}

fn every_message() -> Vec<Box<dyn Message>> {
    let at: DateTime<Utc> = DateTime::UNIX_EPOCH;
    let (v, c) = (|| "rol".to_owned(), || "naaste".to_owned());
    let (variable, category) = (
        VariableId::parse("rol").unwrap(),
        CategoryValue::parse("naaste").unwrap(),
    );
    let shortfall = |available| Shortfall {
        variable: variable.clone(),
        category: category.clone(),
        needed: 40,
        available,
        picked: 12,
    };
    let mut all: Vec<Box<dyn Message>> = vec![
        Box::new(PolicyRefusal::TooManyThisYear { limit: 10 }),
        Box::new(PolicyRefusal::TooManyFlashPollsThisMonth { limit: 2 }),
        Box::new(PolicyRefusal::TooSoon {
            days: 7,
            earliest: at,
        }),
        Box::new(QuotaProblem::UnknownVariable { variable: v() }),
        Box::new(QuotaProblem::DuplicateVariable { variable: v() }),
        Box::new(QuotaProblem::NoTargets { variable: v() }),
        Box::new(QuotaProblem::UnknownCategory {
            variable: v(),
            category: c(),
        }),
        Box::new(QuotaProblem::Duplicate {
            variable: v(),
            category: c(),
        }),
        Box::new(QuotaProblem::MinAboveMax {
            variable: v(),
            category: c(),
            min: 5,
            max: 3,
        }),
        Box::new(QuotaProblem::TargetOutside {
            variable: v(),
            category: c(),
            min: 1,
            target: 9,
            max: 5,
        }),
        Box::new(QuotaProblem::MinsAboveSize {
            variable: v(),
            total: 21,
            size: 10,
        }),
        Box::new(QuotaProblem::MaxesBelowSize {
            variable: v(),
            total: 5,
            size: 10,
        }),
        Box::new(QuotaProblem::NotEligibleCategory {
            variable: v(),
            category: c(),
            min: 2,
        }),
        Box::new(QuotaProblem::CategoryWithoutQuota {
            variable: v(),
            category: c(),
        }),
        Box::new(shortfall(12)),
        Box::new(shortfall(50)),
        Box::new(SizeShortfall {
            requested: 10,
            available: 5,
            picked: 5,
        }),
        Box::new(SizeShortfall {
            requested: 10,
            available: 50,
            picked: 8,
        }),
        Box::new(ScheduleProblem::SendInPast { send_at: at }),
        Box::new(ScheduleProblem::ClosesBeforeSend {
            send_at: at,
            closes_at: at,
        }),
        Box::new(ScheduleProblem::ReminderZeroDays),
        Box::new(ScheduleProblem::ReminderAfterClosing {
            reminder_at: at,
            closes_at: at,
        }),
        Box::new(ScheduleProblem::RemindersNotAllowed),
    ];
    let left_out = LeftOut {
        not_eligible: 1,
        policy: 2,
        outside_quotas: 3,
        quota_full: 4,
    };
    for line in left_out.lines() {
        all.push(Box::new(line));
    }
    all
}

#[test]
fn every_message_is_filled_in() {
    let messages = every_message();
    let keys: std::collections::BTreeSet<&str> = messages.iter().map(|m| m.key()).collect();
    // `fieldwork.plan.*` are the service's plan problems and `fieldwork.skip.*` reasons
    // stored on skipped invitations: texts, but not messages of this module.
    let defined = i18n::keys(Lang::Nl)
        .filter(|k| k.starts_with("fieldwork."))
        .filter(|k| !k.starts_with("fieldwork.plan.") && !k.starts_with("fieldwork.skip."))
        .count();
    assert_eq!(
        keys.len(),
        defined,
        "a fieldwork text without a message, or the reverse"
    );
    for m in &messages {
        for lang in Lang::ALL {
            let text = m.message(lang);
            assert!(
                !text.contains('{') && !text.contains('…'),
                "{}: {text}",
                m.key()
            );
        }
    }
    assert_eq!(
        messages[14].message(Lang::Nl),
        "rol = naaste: nodig 40, beschikbaar 12."
    );
}
