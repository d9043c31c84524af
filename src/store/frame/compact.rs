//! The frame as read, with what members share kept once: a million members have a few
//! hundred distinct backgrounds, a handful of distinct wishes and a few thousand distinct
//! contact histories, so whoever uses the frame parses and checks each of those once.

use std::collections::HashMap;
use std::hash::Hash;

use super::FrameRow;
use crate::domain::fieldwork::{MemberLimits, PastInvitation};

/// The members of a frame, each pointing at their background, wishes and history.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CompactFrame {
    /// Background texts (`variable=value` joined by `;`); the first is the empty one.
    pub backgrounds: Vec<String>,
    /// Contact wishes; the first is `None`, none of their own.
    pub wishes: Vec<Option<MemberLimits>>,
    /// Histories, each sorted by moment; the first is the empty one.
    pub histories: Vec<Vec<PastInvitation>>,
    /// In member-id order.
    pub members: Vec<CompactMember>,
}

/// A member of a [`CompactFrame`], by their indexes into its lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CompactMember {
    pub id: i64,
    pub background: u32,
    pub wishes: u32,
    pub history: u32,
}

impl CompactMember {
    /// A member without background, wishes or history (yet).
    pub fn bare(id: i64) -> CompactMember {
        CompactMember {
            id,
            background: 0,
            wishes: 0,
            history: 0,
        }
    }
}

impl CompactFrame {
    /// A frame without members, holding the empty background, wishes and history.
    pub fn new() -> CompactFrame {
        CompactFrame {
            backgrounds: vec![String::new()],
            wishes: vec![None],
            histories: vec![Vec::new()],
            members: Vec::new(),
        }
    }

    /// The same members, each sharing what is equal.
    pub fn from_rows(rows: Vec<FrameRow>) -> CompactFrame {
        let mut frame = CompactFrame::new();
        let mut backgrounds = Index::of(&frame.backgrounds);
        let mut wishes = Index::of(&frame.wishes);
        let mut histories = Index::of(&frame.histories);
        for row in rows {
            frame.members.push(CompactMember {
                id: row.id,
                background: backgrounds.add(&mut frame.backgrounds, row.background),
                wishes: wishes.add(&mut frame.wishes, row.wishes),
                history: histories.add(&mut frame.histories, row.history),
            });
        }
        frame
    }

    /// One row per member.
    pub fn rows(&self) -> Vec<FrameRow> {
        self.members
            .iter()
            .map(|m| FrameRow {
                id: m.id,
                wishes: self.wishes[m.wishes as usize],
                background: self.backgrounds[m.background as usize].clone(),
                history: self.histories[m.history as usize].clone(),
            })
            .collect()
    }
}

/// Where each distinct value already is in a list.
struct Index<T>(HashMap<T, u32>);

impl<T: Clone + Eq + Hash> Index<T> {
    fn of(list: &[T]) -> Index<T> {
        Index(list.iter().cloned().zip(0..).collect())
    }

    fn add(&mut self, list: &mut Vec<T>, value: T) -> u32 {
        *self.0.entry(value).or_insert_with_key(|value| {
            list.push(value.clone());
            u32::try_from(list.len() - 1).expect("fewer than 2³² distinct values")
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;

    #[test]
    fn rows_share_what_is_equal_and_come_back_the_same() {
        let at = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
        let history = vec![PastInvitation {
            sent_at: at,
            flash_poll: false,
        }];
        let row = |id, background: &str, history: &Vec<PastInvitation>| FrameRow {
            id,
            wishes: None,
            background: background.to_owned(),
            history: history.clone(),
        };
        let rows = vec![
            row(1, "rol=naaste", &history),
            row(2, "rol=naaste", &Vec::new()),
            row(3, "", &history),
        ];
        let frame = CompactFrame::from_rows(rows.clone());
        assert_eq!(frame.backgrounds, ["", "rol=naaste"]);
        assert_eq!(frame.histories.len(), 2);
        assert_eq!(frame.wishes, [None]);
        assert_eq!(frame.rows(), rows);
    }
}
