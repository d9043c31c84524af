//! The frame read on SQLite. Handing over a million rows one at a time costs seconds
//! there, so SQLite joins each [`BUCKET`] of consecutive members into one text per
//! table (members, backgrounds, contact summaries), streamed from three connections at
//! once and split again as each arrives (`buckets`), while SQLite works on the next
//! ones.

use futures_util::TryStreamExt;
use sea_orm::sqlx::{self, Row};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, RuntimeErr, Statement};

use super::buckets::{Backgrounds, Histories, Known, corrupt, merge, read_members};
use super::text::parse_moment;
use super::{CompactFrame, Window};
use crate::domain::fieldwork::PastInvitation;
use crate::domain::member::MemberStatus;
use crate::domain::response::InvitationStatus;
use crate::store::{StoreError, StoreResult};

/// Members per text SQLite hands over: a million one-row-at-a-time hand-overs cost
/// seconds, a thousand long texts next to nothing.
const BUCKET: i64 = 1024;

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
