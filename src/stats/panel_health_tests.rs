//! Tests of the panel health figures, on hand-computed fixtures.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};

use super::panel_health::*;
use crate::domain::panel::PanelDefinition;

fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 12, 0, 0).unwrap()
}

fn row(id: i64, joined: DateTime<Utc>, withdrawn: Option<DateTime<Utc>>) -> MemberRow {
    MemberRow {
        id,
        joined,
        withdrawn_at: withdrawn,
        background: BTreeMap::from([("rol".to_owned(), "ervaring".to_owned())]),
    }
}

#[test]
fn spans_take_the_first_leaving_and_keep_erased_members() {
    let rows = vec![
        row(1, at(2025, 1, 1), None),
        row(2, at(2025, 1, 1), Some(at(2026, 3, 1))),
    ];
    let events = vec![
        LeaveEvent {
            member_id: 2,
            at: at(2026, 2, 1),
            reason: LeaveReason::Withdrew,
        },
        // Withdrew, then deleted: they left when they withdrew.
        LeaveEvent {
            member_id: 9,
            at: at(2026, 5, 1),
            reason: LeaveReason::Deleted,
        },
        LeaveEvent {
            member_id: 9,
            at: at(2026, 4, 1),
            reason: LeaveReason::Withdrew,
        },
    ];
    let s = spans(&rows, &events);
    assert_eq!(s.len(), 3);
    assert_eq!(s[0].left, None);
    assert_eq!(s[1].left, Some((at(2026, 2, 1), LeaveReason::Withdrew)));
    assert_eq!(s[2].joined, None);
    assert_eq!(s[2].left, Some((at(2026, 4, 1), LeaveReason::Withdrew)));
    assert!(s[2].member_at(at(2020, 1, 1)));
    assert!(!s[2].member_at(at(2026, 4, 2)));
}

#[test]
fn months_count_members_at_the_end_joiners_and_leavers() {
    let now = at(2026, 11, 29);
    let s = spans(
        &[
            row(1, at(2025, 6, 1), None),
            row(2, at(2026, 10, 5), None),
            row(3, at(2026, 11, 2), None),
            row(4, at(2025, 1, 1), Some(at(2026, 10, 20))),
        ],
        &[LeaveEvent {
            member_id: 7,
            at: at(2026, 11, 3),
            reason: LeaveReason::Inactive,
        }],
    );
    let months = monthly(&s, now, 12);
    assert_eq!(months.len(), 12);
    assert_eq!(
        months[0].month,
        NaiveDate::from_ymd_opt(2025, 12, 1).unwrap()
    );
    let oct = &months[10];
    assert_eq!(oct.month, NaiveDate::from_ymd_opt(2026, 10, 1).unwrap());
    // End of October: 1, 2 and the erased 7; 4 withdrew in October.
    assert_eq!((oct.members, oct.joined, oct.withdrew), (3, 1, 1));
    let nov = &months[11];
    // Now: 1, 2, 3; 7 was removed as inactive in November.
    assert_eq!(
        (nov.members, nov.joined, nov.inactive, nov.left()),
        (3, 1, 1, 1)
    );
    // December 2025: 1, 4 and 7.
    assert_eq!(months[0].members, 3);
}

#[test]
fn a_month_starts_at_midnight_on_dutch_clocks() {
    // 23:30 UTC on 31 October is 00:30 on 1 November in Amsterdam.
    let s = spans(
        &[row(
            1,
            Utc.with_ymd_and_hms(2026, 10, 31, 23, 30, 0).unwrap(),
            None,
        )],
        &[],
    );
    let months = monthly(&s, at(2026, 11, 29), 2);
    assert_eq!((months[0].joined, months[1].joined), (0, 1));
    assert_eq!((months[0].members, months[1].members), (0, 1));
}

#[test]
fn invitations_spread_up_to_the_limit() {
    let spread = invitation_spread(&[0, 0, 1, 3, 4, 4, 6], 4);
    assert_eq!(
        spread.rows,
        vec![(0, 2), (1, 1), (2, 0), (3, 1), (4, 2), (5, 0), (6, 1)]
    );
    assert_eq!(
        (spread.members, spread.at_limit, spread.over_limit),
        (7, 2, 1)
    );
    assert_eq!(spread.mean, Some(18.0 / 7.0));
    let none = invitation_spread(&[], 3);
    assert_eq!(none.rows.len(), 4);
    assert_eq!(none.mean, None);
}

#[test]
fn composition_at_earlier_moments() {
    let panel = PanelDefinition::from_json(include_str!("../../panel-schemas/examples/panel.json"))
        .unwrap();
    let naaste = |id, joined| MemberRow {
        id,
        joined,
        withdrawn_at: None,
        background: BTreeMap::from([("rol".to_owned(), "naaste".to_owned())]),
    };
    let now = at(2026, 11, 29);
    let s = spans(
        &[
            row(1, at(2025, 1, 1), None),
            row(2, at(2025, 1, 1), Some(at(2026, 1, 1))),
            naaste(3, at(2026, 8, 1)),
            naaste(4, at(2026, 9, 1)),
        ],
        &[LeaveEvent {
            member_id: 8,
            at: at(2026, 2, 1),
            reason: LeaveReason::Deleted,
        }],
    );
    let trend = composition_trend(&panel, &s, &moments_back(now, &[12, 6]));
    let sizes: Vec<u64> = trend.moments.iter().map(|(_, n)| *n).collect();
    // A year ago: 1 and 2 (the erased 8 has no background); half a year ago: 1;
    // now: 1, 3 and 4.
    assert_eq!(sizes, vec![2, 1, 3]);
    let rol = &trend.variables[0];
    assert_eq!(rol[0].categories[0].percent, 100.0);
    assert_eq!(rol[2].categories[0].percent, 33.3);
    assert_eq!(rol[2].categories[1].count, 2);
    assert_eq!(rol[2].categories[1].target_percent, Some(25.0));
}
