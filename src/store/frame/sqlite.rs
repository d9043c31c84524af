//! The frame read on SQLite. Handing over a million rows one at a time costs seconds
//! there, so SQLite joins each [`BUCKET`] of consecutive members into one text per
//! table (members, backgrounds, contact summaries), streamed from three connections at
//! once and split again as each arrives, while SQLite works on the next ones. Each
//! distinct wishes text, background and history is kept and parsed once.

use std::collections::HashMap;

use foldhash::fast::RandomState;
use futures_util::TryStreamExt;
use sea_orm::sqlx::{self, Row};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, RuntimeErr, Statement};

use super::text::{Fields, parse_moment};
use super::{CompactFrame, CompactMember, Window};
use crate::domain::fieldwork::{MemberLimits, PastInvitation};
use crate::domain::member::MemberStatus;
use crate::domain::response::InvitationStatus;
use crate::store::{StoreError, StoreResult};

/// Members per text SQLite hands over: a million one-row-at-a-time hand-overs cost
/// seconds, a thousand long texts next to nothing.
const BUCKET: i64 = 1024;

/// A map keyed by texts that are hashed a million times: a fast hash (the keys come
/// from our own database).
type Known<K> = HashMap<K, u32, RandomState>;

/// Per bucket of the panel's members who may be invited: `ids|ids with wishes|wishes`
/// (the wishes joined by line ends).
const MEMBERS: &str = "SELECT group_concat(id) || '|' || coalesce(group_concat(CASE WHEN \
    contact_wishes IS NOT NULL THEN id END), '') || '|' || coalesce(group_concat(\
    contact_wishes, char(10)), '') FROM members NOT INDEXED WHERE {range} AND panel_id = ?1 \
    AND status = ?2 AND withdrawn_at IS NULL";

/// Per bucket of members (of all panels): `member ids|variables|values`, a pair each.
const BACKGROUNDS: &str = "SELECT group_concat(member_id) || '|' || group_concat(variable) \
    || '|' || group_concat(value) FROM member_background \
    INDEXED BY ix_member_background_frame WHERE {range}";

/// Per bucket of members (of all panels) with a history: `ids|history;history;…`, read
/// straight from the table (the member id is its row id).
const SUMMARIES: &str = "SELECT group_concat(member_id) || '|' || group_concat(history, ';') \
    FROM contact_summary WHERE {range} AND history <> ''";

/// The panel's members who may be invited, with their summaries' histories that count
/// in `window`.
pub(super) async fn read(
    db: &DatabaseConnection,
    panel_id: &str,
    window: &Window,
) -> StoreResult<CompactFrame> {
    let mut histories = Histories::new(window);
    let summaries = each_bucket(db, "contact_summary", "member_id", SUMMARIES, &[], |text| {
        histories.read(text)
    });
    let (mut frame, ()) = tokio::try_join!(members(db, panel_id), summaries)?;
    frame.histories = histories.histories;
    merge(&mut frame.members, histories.members, |m, history| {
        m.history = history
    });
    Ok(frame)
}

/// The panel's members, by id, and the invitations of all members that count in
/// `window`, read from the invitations themselves.
pub(super) async fn rows_and_invitations(
    db: &DatabaseConnection,
    panel_id: &str,
    window: &Window,
) -> StoreResult<(Vec<super::FrameRow>, Vec<(i64, PastInvitation)>)> {
    let (frame, invitations) = tokio::try_join!(members(db, panel_id), invitations(db, window))?;
    Ok((frame.rows(), invitations))
}

/// Hand `read` one text per [`BUCKET`] of consecutive ids `id` of `table`, as SQLite
/// makes them: the scalar subquery `per_bucket` over the rows with `id >= lo AND id <
/// hi` (written `{range}`). Each bucket is read straight from the table or an index in
/// id order; grouping by `id / BUCKET` would sort every row (spilling to temporary
/// files) first.
async fn each_bucket(
    db: &DatabaseConnection,
    table: &str,
    id: &str,
    per_bucket: &str,
    values: &[&str],
    mut read: impl FnMut(&str) -> StoreResult<()>,
) -> StoreResult<()> {
    let range = format!("{id} >= k.n * {BUCKET} AND {id} < (k.n + 1) * {BUCKET}");
    let sql = format!(
        "WITH RECURSIVE k(n) AS (SELECT (SELECT min({id}) FROM {table}) / {BUCKET} \
         UNION ALL SELECT n + 1 FROM k WHERE n < (SELECT max({id}) FROM {table}) / {BUCKET}) \
         SELECT ({}) FROM k",
        per_bucket.replace("{range}", &range)
    );
    // The SQL is made of the constants above; values are bound.
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    for value in values {
        query = query.bind(*value);
    }
    let mut rows = query.fetch(db.get_sqlite_connection_pool());
    while let Some(row) = rows.try_next().await.map_err(query_error)? {
        // Empty buckets give NULL.
        let text: Option<&str> = row.try_get(0).map_err(query_error)?;
        if let Some(text) = text {
            read(text)?;
        }
    }
    Ok(())
}

fn query_error(error: sqlx::Error) -> DbErr {
    DbErr::Query(RuntimeErr::SqlxError(error.into()))
}

fn corrupt(what: &str, text: &str) -> StoreError {
    StoreError::Corrupt(format!("{what} {:?}", text.get(..80).unwrap_or(text)))
}

/// The panel's members who may be invited, with their wishes and background, in id
/// order, without history. Members and backgrounds are read at once.
async fn members(db: &DatabaseConnection, panel_id: &str) -> StoreResult<CompactFrame> {
    let mut frame = CompactFrame::new();
    let mut wishes = Known::default();
    let values = [panel_id, MemberStatus::Active.code()];
    let members = each_bucket(db, "members", "id", MEMBERS, &values, |text| {
        read_members(text, &mut frame, &mut wishes)
    });
    let mut backgrounds = Backgrounds::default();
    let of_members = each_bucket(
        db,
        "member_background",
        "member_id",
        BACKGROUNDS,
        &[],
        |text| backgrounds.read(text),
    );
    tokio::try_join!(members, of_members)?;
    if !frame.members.is_sorted_by_key(|m| m.id) {
        frame.members.sort_unstable_by_key(|m| m.id);
    }
    backgrounds.finish();
    frame.backgrounds = backgrounds.texts;
    merge(&mut frame.members, backgrounds.members, |m, background| {
        m.background = background
    });
    Ok(frame)
}

/// Add the members of a bucket text `ids|ids with wishes|wishes`, each distinct wishes
/// text read once (`known`).
fn read_members(
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
struct Backgrounds {
    /// The first is the empty one.
    texts: Vec<String>,
    known: Known<String>,
    /// Member id and background, in member order.
    members: Vec<(i64, u32)>,
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
    fn read(&mut self, bucket: &str) -> StoreResult<()> {
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
    fn finish(&mut self) {
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
struct Histories<'w> {
    window: &'w Window,
    /// Histories that count in the window; the first is the empty one.
    histories: Vec<Vec<PastInvitation>>,
    known: Known<String>,
    /// Member id and history, in member order.
    members: Vec<(i64, u32)>,
}

impl<'w> Histories<'w> {
    fn new(window: &'w Window) -> Histories<'w> {
        Histories {
            window,
            histories: vec![Vec::new()],
            known: Known::default(),
            members: Vec::new(),
        }
    }

    /// Read a bucket text `ids|history;history;…`, in member order.
    fn read(&mut self, text: &str) -> StoreResult<()> {
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
fn merge(
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

/// Every member's invitations that count in `window` (all panels': the caller keeps its
/// own), read in member order straight from `ix_invitations_frame` (SQLite would
/// otherwise look each member up in turn), each member's as one text (`moment` or
/// `moment!` for a flash poll, joined by commas), handed over as `member text` lines,
/// [`BUCKET`] members to a row.
async fn invitations(
    db: &impl ConnectionTrait,
    window: &Window,
) -> StoreResult<Vec<(i64, PastInvitation)>> {
    let sql = format!(
        "SELECT group_concat(member_id || ' ' || history, char(10)) FROM ( \
         SELECT member_id, group_concat(coalesce(sent_at, planned_at) \
         || CASE WHEN flash_poll THEN '!' ELSE '' END, ',') AS history \
         FROM invitations INDEXED BY ix_invitations_frame \
         WHERE status IN (?, ?) AND coalesce(sent_at, planned_at) >= ? \
         AND coalesce(sent_at, planned_at) <= ? AND survey_id IS NOT ? \
         GROUP BY member_id) GROUP BY member_id / {BUCKET}"
    );
    let values: Vec<sea_orm::Value> = vec![
        InvitationStatus::Planned.code().into(),
        InvitationStatus::Sent.code().into(),
        window.from.into(),
        window.to.into(),
        window.except_survey.into(),
    ];
    let mut out = Vec::new();
    let statement = Statement::from_sql_and_values(DbBackend::Sqlite, sql, values);
    for row in db.query_all_raw(statement).await? {
        let text: String = row.try_get_by_index(0)?;
        for line in text.lines() {
            let bad = || corrupt("history line", line);
            let (id, history) = line.split_once(' ').ok_or_else(bad)?;
            let member_id: i64 = id.parse().map_err(|_| bad())?;
            for item in history.split(',') {
                let (moment, flash_poll) = match item.strip_suffix('!') {
                    Some(moment) => (moment, true),
                    None => (item, false),
                };
                let sent_at = parse_moment(moment).ok_or_else(|| {
                    StoreError::Corrupt(format!(
                        "invitation moment {moment:?} of member {member_id}"
                    ))
                })?;
                out.push((
                    member_id,
                    PastInvitation {
                        sent_at,
                        flash_poll,
                    },
                ));
            }
        }
    }
    Ok(out)
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
