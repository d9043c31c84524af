//! Helpers the fieldwork tests share.

use chrono::{DateTime, Utc};

use super::quota::Quota;
use super::sample::{Background, Frame};
use crate::domain::ids::{CategoryValue, VariableId};

pub(super) fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

pub(super) fn var(id: &str) -> VariableId {
    VariableId::parse(id).unwrap()
}

pub(super) fn cat(value: &str) -> CategoryValue {
    CategoryValue::parse(value).unwrap()
}

pub(super) fn quota(variable: &str, category: &str, min: u32, target: u32, max: u32) -> Quota {
    Quota {
        variable: var(variable),
        category: cat(category),
        min,
        target,
        max,
    }
}

/// A member as a test writes one down.
#[derive(Clone, Copy, Debug)]
pub(super) struct Candidate<'a> {
    pub member_id: i64,
    pub background: &'a Background,
    pub invitable: bool,
}

pub(super) fn frame(candidates: &[Candidate]) -> Frame {
    let mut frame = Frame::new();
    for c in candidates {
        frame.push(c.member_id, c.background, c.invitable);
    }
    frame
}
