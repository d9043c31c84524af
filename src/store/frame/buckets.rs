//! The bucket texts SQLite hands the frame over in (`sqlite`), split again: members
//! with their wishes, backgrounds as `variable=value` pairs, contact summaries. Each
//! distinct wishes text, background and history is kept, and parsed, once.

use std::collections::HashMap;

use foldhash::fast::RandomState;

use super::text::Fields;
use super::{CompactFrame, CompactMember, Window};
use crate::domain::fieldwork::{MemberLimits, PastInvitation};
use crate::store::{StoreError, StoreResult};

/// A map keyed by texts that are hashed a million times: a fast hash (the keys come
/// from our own database).
pub(super) type Known<K> = HashMap<K, u32, RandomState>;

pub(super) fn corrupt(what: &str, text: &str) -> StoreError {
    StoreError::Corrupt(format!("{what} {:?}", text.get(..80).unwrap_or(text)))
}

/// Add the members of a bucket text `ids|ids with wishes|wishes`, each distinct wishes
/// text read once (`known`).
pub(super) fn read_members(
    text: &str,
    frame: &mut CompactFrame,
    known: &mut Known<String>,
) -> StoreResult<()> {
    let bad = || corrupt("member text", text);
    let mut parts = text.splitn(3, '|');
    let (Some(ids), Some(wishes_ids), Some(wishes)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(bad());
    };
    let first = frame.members.len();
    for id in Fields::new(ids, b',') {
        frame
            .members
            .push(CompactMember::bare(id.parse().map_err(|_| bad())?));
    }
    let bucket = &mut frame.members[first..];
    let mut wishes = wishes.split('\n');
    for id in Fields::new(wishes_ids, b',').filter(|id| !id.is_empty()) {
        let id: i64 = id.parse().map_err(|_| bad())?;
        let text = wishes.next().ok_or_else(bad)?;
        let index = match known.get(text) {
            Some(index) => *index,
            None => {
                frame
                    .wishes
                    .push(serde_json::from_str::<MemberLimits>(text).ok());
                let index = (frame.wishes.len() - 1) as u32;
                known.insert(text.to_owned(), index);
                index
            }
        };
        let at = bucket.partition_point(|m| m.id < id);
        match bucket.get_mut(at) {
            Some(m) if m.id == id => m.wishes = index,
            _ => return Err(bad()),
        }
    }
    Ok(())
}

/// Members' backgrounds as read, each distinct one kept once: a member's pairs are
/// joined (`variable=value;…`) in one buffer and looked up among those already known.
pub(super) struct Backgrounds {
    /// The first is the empty one.
    pub(super) texts: Vec<String>,
    known: Known<String>,
    /// Member id and background, in member order.
    pub(super) members: Vec<(i64, u32)>,
    /// The member whose pairs are in `text`.
    member: Option<i64>,
    text: String,
}

impl Default for Backgrounds {
    fn default() -> Self {
        Backgrounds {
            texts: vec![String::new()],
            known: Known::from_iter([(String::new(), 0)]),
            members: Vec::new(),
            member: None,
            text: String::new(),
        }
    }
}

impl Backgrounds {
    /// Read a bucket text `member ids|variables|values`, in member order.
    pub(super) fn read(&mut self, bucket: &str) -> StoreResult<()> {
        let bad = || corrupt("background text", bucket);
        let mut parts = bucket.splitn(3, '|');
        let (Some(ids), Some(variables), Some(values)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        let (mut variables, mut values) = (Fields::new(variables, b','), Fields::new(values, b','));
        for id in Fields::new(ids, b',') {
            let id: i64 = id.parse().map_err(|_| bad())?;
            let (Some(variable), Some(value)) = (variables.next(), values.next()) else {
                return Err(bad());
            };
            if self.member == Some(id) {
                self.text.push(';');
            } else {
                self.finish();
                self.member = Some(id);
            }
            self.text.push_str(variable);
            self.text.push('=');
            self.text.push_str(value);
        }
        Ok(())
    }

    /// Keep the background of the member read last.
    pub(super) fn finish(&mut self) {
        let Some(member) = self.member.take() else {
            return;
        };
        let index = match self.known.get(self.text.as_str()) {
            Some(index) => *index,
            None => {
                self.texts.push(self.text.clone());
                let index = (self.texts.len() - 1) as u32;
                self.known.insert(self.text.clone(), index);
                index
            }
        };
        self.members.push((member, index));
        self.text.clear();
    }
}

/// Members' histories as read from their summaries, each distinct summary read once.
pub(super) struct Histories<'w> {
    window: &'w Window,
    /// Histories that count in the window; the first is the empty one.
    pub(super) histories: Vec<Vec<PastInvitation>>,
    known: Known<String>,
    /// Member id and history, in member order.
    pub(super) members: Vec<(i64, u32)>,
}

impl<'w> Histories<'w> {
    pub(super) fn new(window: &'w Window) -> Histories<'w> {
        Histories {
            window,
            histories: vec![Vec::new()],
            known: Known::default(),
            members: Vec::new(),
        }
    }

    /// Read a bucket text `ids|history;history;…`, in member order.
    pub(super) fn read(&mut self, text: &str) -> StoreResult<()> {
        let bad = || corrupt("summary text", text);
        let (ids, histories) = text.split_once('|').ok_or_else(bad)?;
        let mut histories = histories.split(';');
        for id in Fields::new(ids, b',') {
            let id: i64 = id.parse().map_err(|_| bad())?;
            let history = histories.next().ok_or_else(bad)?;
            let index = match self.known.get(history) {
                Some(index) => *index,
                None => {
                    self.histories.push(self.window.history(id, history)?);
                    let index = (self.histories.len() - 1) as u32;
                    self.known.insert(history.to_owned(), index);
                    index
                }
            };
            self.members.push((id, index));
        }
        Ok(())
    }
}

/// Give each of the frame's members their entry in `found` (both in member order);
/// entries of members not in the frame are passed over.
pub(super) fn merge(
    members: &mut [CompactMember],
    mut found: Vec<(i64, u32)>,
    set: impl Fn(&mut CompactMember, u32),
) {
    if !found.is_sorted_by_key(|(id, _)| *id) {
        found.sort_unstable_by_key(|(id, _)| *id);
    }
    let mut at = 0;
    for (id, value) in found {
        while at < members.len() && members[at].id < id {
            at += 1;
        }
        if let Some(m) = members.get_mut(at).filter(|m| m.id == id) {
            set(m, value);
        }
    }
}
#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;

    #[test]
    fn bucket_texts_read_into_shared_parts() {
        let mut frame = CompactFrame::new();
        let mut known = Known::default();
        let wishes = "{\"max_invitations_per_year\":3}";
        read_members(
            &format!("1,2,4|2,4|{wishes}\n{wishes}"),
            &mut frame,
            &mut known,
        )
        .unwrap();
        read_members("1030|1030|kapot", &mut frame, &mut known).unwrap();
        let ids: Vec<i64> = frame.members.iter().map(|m| m.id).collect();
        assert_eq!(ids, [1, 2, 4, 1030]);
        let wishes: Vec<u32> = frame.members.iter().map(|m| m.wishes).collect();
        // One text read once; a text that does not read is no wishes.
        assert_eq!(wishes, [0, 1, 1, 2]);
        assert_eq!(frame.wishes[1].unwrap().max_invitations_per_year, Some(3));
        assert_eq!(frame.wishes[2], None);
        assert!(read_members("1,x||", &mut CompactFrame::new(), &mut known).is_err());

        // Member 3 is not in the frame; 4 has no background.
        let mut backgrounds = Backgrounds::default();
        backgrounds
            .read("1,1,2,2,3|regio,rol,regio,rol,rol|west,naaste,west,naaste,ervaring")
            .unwrap();
        backgrounds.read("1030|rol|ervaring").unwrap();
        backgrounds.finish();
        assert_eq!(backgrounds.texts.len(), 3);
        frame.backgrounds = backgrounds.texts;
        merge(&mut frame.members, backgrounds.members, |m, b| {
            m.background = b
        });
        let of: Vec<&str> = frame
            .members
            .iter()
            .map(|m| frame.backgrounds[m.background as usize].as_str())
            .collect();
        assert_eq!(
            of,
            [
                "regio=west;rol=naaste",
                "regio=west;rol=naaste",
                "",
                "rol=ervaring"
            ]
        );

        let from = Utc.with_ymd_and_hms(2026, 6, 1, 0, 0, 0).unwrap();
        let window = Window::new(from, from, Some(9));
        let history = "5@2026-03-01T09:00:00+00:00,9@2026-05-01T09:00:00+00:00";
        let mut histories = Histories::new(&window);
        histories.read(&format!("2,3|{history};{history}")).unwrap();
        assert_eq!(histories.members, [(2, 1), (3, 1)]);
        assert_eq!(histories.histories[1].len(), 1, "survey 9 does not count");
    }
}
