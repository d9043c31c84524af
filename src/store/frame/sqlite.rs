//! The frame read on SQLite. Handing over a million rows one at a time costs seconds
//! there, so SQLite joins each [`BUCKET`] of consecutive members into one text per
//! table (members, backgrounds, contact summaries), read on three connections at once;
//! here those texts are split again, each distinct wishes text and history parsed once.

use std::collections::HashMap;

use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement};

use super::text::parse_moment;
use super::{CompactFrame, CompactMember, Window};
use crate::domain::fieldwork::{MemberLimits, PastInvitation};
use crate::domain::member::MemberStatus;
use crate::domain::response::InvitationStatus;
use crate::store::{StoreError, StoreResult};

/// Members per text SQLite hands over: a million one-row-at-a-time hand-overs cost
/// seconds, a thousand long texts next to nothing.
const BUCKET: i64 = 1024;

/// The panel's members who may be invited, with their summaries' histories that count
/// in `window`. Each history is parsed while SQLite still reads the members.
pub(super) async fn read(
    db: &impl ConnectionTrait,
    panel_id: &str,
    window: &Window,
) -> StoreResult<CompactFrame> {
    let histories = async {
        let texts = summary_texts(db).await?;
        Histories::read(&texts, window)
    };
    let (mut frame, histories) = tokio::try_join!(members(db, panel_id), histories)?;
    frame.histories = histories.histories;
    // Both are in member order; summaries of other panels' members are not in the frame.
    let mut at = 0;
    for (member_id, history) in histories.members {
        while at < frame.members.len() && frame.members[at].id < member_id {
            at += 1;
        }
        if let Some(m) = frame.members.get_mut(at).filter(|m| m.id == member_id) {
            m.history = history;
        }
    }
    Ok(frame)
}

/// The panel's members, by id, and the invitations of all members that count in
/// `window`, read from the invitations themselves.
pub(super) async fn rows_and_invitations(
    db: &impl ConnectionTrait,
    panel_id: &str,
    window: &Window,
) -> StoreResult<(Vec<super::FrameRow>, Vec<(i64, PastInvitation)>)> {
    let (frame, invitations) = tokio::try_join!(members(db, panel_id), invitations(db, window))?;
    Ok((frame.rows(), invitations))
}

/// One text per [`BUCKET`] of consecutive ids `id` of `table`: the scalar subquery
/// `per_bucket` over the rows with `id >= lo AND id < hi` (written `{range}`). Each
/// bucket is read straight from the table or an index in id order; grouping by
/// `id / BUCKET` would sort every row (spilling to temporary files) first.
async fn bucket_texts(
    db: &impl ConnectionTrait,
    table: &str,
    id: &str,
    per_bucket: &str,
    values: Vec<sea_orm::Value>,
) -> Result<Vec<String>, DbErr> {
    let range = format!("{id} >= k.n * {BUCKET} AND {id} < (k.n + 1) * {BUCKET}");
    let sql = format!(
        "WITH RECURSIVE k(n) AS (SELECT (SELECT min({id}) FROM {table}) / {BUCKET} \
         UNION ALL SELECT n + 1 FROM k WHERE n < (SELECT max({id}) FROM {table}) / {BUCKET}) \
         SELECT ({}) FROM k",
        per_bucket.replace("{range}", &range)
    );
    let statement = Statement::from_sql_and_values(DbBackend::Sqlite, sql, values);
    let mut texts = Vec::new();
    for row in db.query_all_raw(statement).await? {
        // Empty buckets give NULL.
        if let Some(text) = row.try_get_by_index::<Option<String>>(0)? {
            texts.push(text);
        }
    }
    Ok(texts)
}

fn corrupt(what: &str, text: &str) -> StoreError {
    StoreError::Corrupt(format!("{what} {:?}", text.get(..80).unwrap_or(text)))
}

/// The panel's members who may be invited, with their wishes and background, in id
/// order, without history. The members and the backgrounds are read at once, on two
/// connections, each bucket as lists that follow one another (`ids|…|…`): SQLite joins
/// lists far faster than it builds a text per row.
async fn members(db: &impl ConnectionTrait, panel_id: &str) -> StoreResult<CompactFrame> {
    let members = bucket_texts(
        db,
        "members",
        "id",
        "SELECT group_concat(id) || '|' || coalesce(group_concat(CASE WHEN contact_wishes \
         IS NOT NULL THEN id END), '') || '|' || coalesce(group_concat(contact_wishes, \
         char(10)), '') FROM members NOT INDEXED WHERE {range} AND panel_id = ? \
         AND status = ? AND withdrawn_at IS NULL",
        vec![panel_id.into(), MemberStatus::Active.code().into()],
    );
    let backgrounds = bucket_texts(
        db,
        "member_background",
        "member_id",
        "SELECT group_concat(member_id) || '|' || group_concat(variable) || '|' \
         || group_concat(value) FROM member_background \
         INDEXED BY ix_member_background_frame WHERE {range}",
        Vec::new(),
    );
    let (members, backgrounds) = tokio::try_join!(members, backgrounds)?;
    let mut frame = CompactFrame::new();
    read_members(&members, &mut frame)?;
    read_backgrounds(&backgrounds, &mut frame)?;
    Ok(frame)
}

/// Add the members of bucket texts `ids|ids with wishes|wishes` (the wishes joined by
/// line ends), each distinct wishes text read once.
fn read_members(texts: &[String], frame: &mut CompactFrame) -> StoreResult<()> {
    let mut known: HashMap<&str, u32> = HashMap::new();
    for text in texts {
        let bad = || corrupt("member text", text);
        let mut parts = text.splitn(3, '|');
        let (Some(ids), Some(wishes_ids), Some(wishes)) =
            (parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        let first = frame.members.len();
        for id in ids.split(',') {
            frame
                .members
                .push(CompactMember::bare(id.parse().map_err(|_| bad())?));
        }
        let bucket = &mut frame.members[first..];
        let mut wishes = wishes.split('\n');
        for id in wishes_ids.split(',').filter(|id| !id.is_empty()) {
            let id: i64 = id.parse().map_err(|_| bad())?;
            let text = wishes.next().ok_or_else(bad)?;
            let index = *known.entry(text).or_insert_with(|| {
                let limits = serde_json::from_str::<MemberLimits>(text).ok();
                frame.wishes.push(limits);
                (frame.wishes.len() - 1) as u32
            });
            let at = bucket.partition_point(|m| m.id < id);
            match bucket.get_mut(at) {
                Some(m) if m.id == id => m.wishes = index,
                _ => return Err(bad()),
            }
        }
    }
    if !frame.members.is_sorted_by_key(|m| m.id) {
        frame.members.sort_unstable_by_key(|m| m.id);
    }
    Ok(())
}

/// Give the frame's members their backgrounds from bucket texts
/// `member ids|variables|values`, in member order; those of members not in the frame
/// are passed over. Each member's pairs are joined (`variable=value;…`) in one buffer
/// and looked up among the backgrounds already known.
fn read_backgrounds(texts: &[String], frame: &mut CompactFrame) -> StoreResult<()> {
    let mut known: HashMap<String, u32> = HashMap::new();
    let mut text = String::new();
    let mut member: Option<i64> = None;
    let mut at = 0;
    let mut finish = |member: i64, text: &mut String, frame: &mut CompactFrame| {
        while at < frame.members.len() && frame.members[at].id < member {
            at += 1;
        }
        if let Some(m) = frame.members.get_mut(at).filter(|m| m.id == member) {
            m.background = match known.get(text.as_str()) {
                Some(index) => *index,
                None => {
                    frame.backgrounds.push(text.clone());
                    let index = (frame.backgrounds.len() - 1) as u32;
                    known.insert(text.clone(), index);
                    index
                }
            };
        }
        text.clear();
    };
    for bucket in texts {
        let bad = || corrupt("background text", bucket);
        let mut parts = bucket.splitn(3, '|');
        let (Some(ids), Some(variables), Some(values)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        let (mut variables, mut values) = (variables.split(','), values.split(','));
        for id in ids.split(',') {
            let id: i64 = id.parse().map_err(|_| bad())?;
            let (Some(variable), Some(value)) = (variables.next(), values.next()) else {
                return Err(bad());
            };
            if member != Some(id) {
                if let Some(previous) = member.replace(id) {
                    finish(previous, &mut text, frame);
                }
            } else {
                text.push(';');
            }
            text.push_str(variable);
            text.push('=');
            text.push_str(value);
        }
    }
    if let Some(last) = member {
        finish(last, &mut text, frame);
    }
    Ok(())
}

/// Every member's contact summary (all panels': the caller keeps its own), in member
/// order, read straight from the table (the member id is its row id), each bucket as
/// `ids|history;history;…`.
async fn summary_texts(db: &impl ConnectionTrait) -> Result<Vec<String>, DbErr> {
    bucket_texts(
        db,
        "contact_summary",
        "member_id",
        "SELECT group_concat(member_id) || '|' || group_concat(history, ';') \
         FROM contact_summary WHERE {range} AND history <> ''",
        Vec::new(),
    )
    .await
}

/// Members' histories as read from their summaries, each distinct summary read once.
struct Histories {
    /// Histories that count in the window; the first is the empty one.
    histories: Vec<Vec<PastInvitation>>,
    /// Member id and history, in member order.
    members: Vec<(i64, u32)>,
}

impl Histories {
    fn read(texts: &[String], window: &Window) -> StoreResult<Histories> {
        let mut out = Histories {
            histories: vec![Vec::new()],
            members: Vec::new(),
        };
        let mut known: HashMap<&str, u32> = HashMap::new();
        for text in texts {
            let bad = || corrupt("summary text", text);
            let (ids, histories) = text.split_once('|').ok_or_else(bad)?;
            let mut histories = histories.split(';');
            for id in ids.split(',') {
                let id: i64 = id.parse().map_err(|_| bad())?;
                let history = histories.next().ok_or_else(bad)?;
                let index = match known.get(history) {
                    Some(index) => *index,
                    None => {
                        out.histories.push(window.history(id, history)?);
                        let index = (out.histories.len() - 1) as u32;
                        known.insert(history, index);
                        index
                    }
                };
                out.members.push((id, index));
            }
        }
        out.members.sort_unstable_by_key(|(id, _)| *id);
        Ok(out)
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
        let members = [
            "1,2,4|2,4|{\"max_invitations_per_year\":3}\n{\"max_invitations_per_year\":3}"
                .to_owned(),
            "1030|1030|kapot".to_owned(),
        ];
        read_members(&members, &mut frame).unwrap();
        let ids: Vec<i64> = frame.members.iter().map(|m| m.id).collect();
        assert_eq!(ids, [1, 2, 4, 1030]);
        let wishes: Vec<u32> = frame.members.iter().map(|m| m.wishes).collect();
        // One text read once; a text that does not read is no wishes.
        assert_eq!(wishes, [0, 1, 1, 2]);
        assert_eq!(frame.wishes[1].unwrap().max_invitations_per_year, Some(3));
        assert_eq!(frame.wishes[2], None);

        // Member 3 is not in the frame; 4 has no background.
        let backgrounds = [
            "1,1,2,2,3|regio,rol,regio,rol,rol|west,naaste,west,naaste,ervaring".to_owned(),
            "1030|rol|ervaring".to_owned(),
        ];
        read_backgrounds(&backgrounds, &mut frame).unwrap();
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
        assert_eq!(frame.backgrounds.len(), 3);

        let from = Utc.with_ymd_and_hms(2026, 6, 1, 0, 0, 0).unwrap();
        let window = Window::new(from, from, Some(9));
        let summaries = ["2,3|5@2026-03-01T09:00:00+00:00,9@2026-05-01T09:00:00+00:00;5@2026-03-01T09:00:00+00:00,9@2026-05-01T09:00:00+00:00".to_owned()];
        let read = Histories::read(&summaries, &window).unwrap();
        assert_eq!(read.members, [(2, 1), (3, 1)]);
        assert_eq!(read.histories[1].len(), 1, "survey 9 does not count");
        assert!(read_members(&["1,x||".to_owned()], &mut CompactFrame::new()).is_err());
    }
}
