//! The frame a sample is drawn from, read fast enough for a panel of a million members
//! with a year of contact history: one row per member, with the background as one text
//! (`rol=ervaring;regio=west;…`; many members share one, so the sampler parses each
//! distinct text once) and the contact history from the member's contact summary (one
//! text per member, `store::contact_summary`), not from millions of invitations. On
//! SQLite both are handed over a thousand members to a row: handing over one row at a
//! time is what costs there.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{Expr as SqExpr, Query, SimpleExpr};
use sea_orm::{
    ConnectionTrait, DbBackend, DbErr, ExprTrait, QueryOrder, QuerySelect, Select, Statement,
};

use super::contact_summary;
use super::entities::{contact_summary as summary_entity, invitation, member};
use super::{StoreError, StoreResult};
use crate::domain::fieldwork::{Background, MemberLimits, PastInvitation};
use crate::domain::ids::{CategoryValue, VariableId};
use crate::domain::member::MemberStatus;
use crate::domain::response::InvitationStatus;

/// A member as the database hands them to the sampler.
#[derive(Clone, Debug, PartialEq)]
pub struct FrameRow {
    pub id: i64,
    pub wishes: Option<MemberLimits>,
    /// `variable=value` pairs joined by `;`, in no particular order.
    pub background: String,
    /// Other invitations, sent or planned, sorted by moment.
    pub history: Vec<PastInvitation>,
}

/// A background from its text; pairs that are not valid ids are left out.
pub fn parse_background(text: &str) -> Background {
    text.split(';')
        .filter_map(|pair| pair.split_once('='))
        .filter_map(|(v, c)| Some((VariableId::parse(v).ok()?, CategoryValue::parse(c).ok()?)))
        .collect()
}

/// Every member of the panel who may be invited at all (active, consenting), by id, with
/// the invitations that count for the contact policy between `from` and `to` (a year
/// either side). Invitations to `except_survey` do not count. The same members and
/// invitations as [`super::fieldwork::frame_members`].
///
/// The invitations come from the members' contact summaries (one row each), unless a
/// summary was written too late to hold the first year of the window (a draft whose
/// send time is long past); then from the invitations themselves.
pub async fn frame_rows(
    db: &impl ConnectionTrait,
    panel_id: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    except_survey: Option<i64>,
) -> StoreResult<Vec<FrameRow>> {
    let window = Window::new(from, to, except_survey);
    let covered = contact_summary::kept_since_latest(db)
        .await?
        .is_none_or(|kept_since| kept_since <= window.from);
    if !covered {
        return frame_rows_from_invitations(db, panel_id, from, to, except_survey).await;
    }
    // Members and summaries are read at once, on two connections; the summaries are
    // read into histories while SQLite is still busy with the members.
    let members = async {
        Ok::<_, StoreError>(if db.get_database_backend() == DbBackend::Sqlite {
            sqlite_members(db, panel_id).await?
        } else {
            typed_members(db, panel_id).await?
        })
    };
    let (members, histories) = tokio::try_join!(members, summaries(db, panel_id, &window))?;
    let mut rows = rows_of(members);
    // Both are in member order; summaries of other panels' members are not in `rows`.
    let mut at = 0;
    for (member_id, history) in histories {
        while at < rows.len() && rows[at].id < member_id {
            at += 1;
        }
        if let Some(row) = rows.get_mut(at).filter(|row| row.id == member_id) {
            row.history = history;
        }
    }
    Ok(rows)
}

/// The members' contact summaries (of all panels on SQLite: the caller keeps its own),
/// each read into the invitations that count in `window`, sorted; in member order.
async fn summaries(
    db: &impl ConnectionTrait,
    panel_id: &str,
    window: &Window,
) -> StoreResult<Vec<(i64, Vec<PastInvitation>)>> {
    let mut out = Vec::new();
    let mut add = |member_id: i64, text: &str| -> StoreResult<()> {
        let mut history = Vec::new();
        window.read_summary(member_id, text, &mut history)?;
        history.sort_by_key(|h| h.sent_at);
        out.push((member_id, history));
        Ok(())
    };
    if db.get_database_backend() == DbBackend::Sqlite {
        for text in sqlite_summary_texts(db).await? {
            let bad = || StoreError::Corrupt(format!("summary text {:?}", text.get(..80)));
            let (ids, histories) = text.split_once('|').ok_or_else(bad)?;
            let mut histories = histories.split(';');
            for id in ids.split(',') {
                let id = id.parse().map_err(|_| bad())?;
                add(id, histories.next().ok_or_else(bad)?)?;
            }
        }
    } else {
        let typed: Vec<(i64, String)> = summary_entity::Entity::find()
            .select_only()
            .column(summary_entity::Column::MemberId)
            .column(summary_entity::Column::History)
            .filter(summary_entity::Column::History.ne(""))
            .filter(summary_entity::Column::MemberId.in_subquery(panel_members(panel_id)))
            .order_by_asc(summary_entity::Column::MemberId)
            .into_tuple()
            .all(db)
            .await?;
        for (id, history) in &typed {
            add(*id, history)?;
        }
    }
    out.sort_unstable_by_key(|(id, _)| *id);
    Ok(out)
}

/// The same as [`frame_rows`], with the history read from the invitations themselves.
pub async fn frame_rows_from_invitations(
    db: &impl ConnectionTrait,
    panel_id: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    except_survey: Option<i64>,
) -> StoreResult<Vec<FrameRow>> {
    let backend = db.get_database_backend();
    // Members and history are read at once, on two connections.
    let (members, history) = if backend == DbBackend::Sqlite {
        let (members, texts) = tokio::try_join!(
            sqlite_members(db, panel_id),
            sqlite_history_texts(db, from, to, except_survey)
        )?;
        (members, History::Texts(texts))
    } else {
        let typed = history_query(panel_id, from, to, except_survey)
            .select_only()
            .column(invitation::Column::MemberId)
            .column_as(moment(), "moment")
            .column(invitation::Column::FlashPoll)
            .into_tuple::<(i64, Option<DateTime<Utc>>, bool)>()
            .all(db);
        let (members, typed) = tokio::try_join!(typed_members(db, panel_id), typed)?;
        (members, History::Typed(typed))
    };
    let mut rows = rows_of(members);
    match history {
        History::Texts(texts) => {
            for (member_id, text) in texts {
                // Invitations of other panels' members are not in `rows`.
                let Some(row) = find(&mut rows, member_id) else {
                    continue;
                };
                for item in text.split(',') {
                    let (moment, flash_poll) = match item.strip_suffix('!') {
                        Some(moment) => (moment, true),
                        None => (item, false),
                    };
                    let sent_at = parse_moment(moment).ok_or_else(|| {
                        StoreError::Corrupt(format!(
                            "invitation moment {moment:?} of member {member_id}"
                        ))
                    })?;
                    row.history.push(PastInvitation {
                        sent_at,
                        flash_poll,
                    });
                }
            }
        }
        History::Typed(typed) => {
            for (member_id, moment, flash_poll) in typed {
                if let (Some(row), Some(sent_at)) = (find(&mut rows, member_id), moment) {
                    row.history.push(PastInvitation {
                        sent_at,
                        flash_poll,
                    });
                }
            }
        }
    }
    for row in &mut rows {
        row.history.sort_by_key(|h| h.sent_at);
    }
    Ok(rows)
}

/// Which invitations count for a frame: those between `from` and `to`, other than the
/// ones to `except_survey`.
struct Window {
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    except_survey: Option<i64>,
}

impl Window {
    /// The window of a fieldwork period: a year either side (367 days, generously).
    fn new(from: DateTime<Utc>, to: DateTime<Utc>, except_survey: Option<i64>) -> Window {
        Window {
            from: from - Duration::days(367),
            to: to + Duration::days(367),
            except_survey,
        }
    }

    /// Add the invitations of a summary's `history` (`survey@moment` or
    /// `survey@moment!`, joined by commas) that count in this window.
    fn read_summary(
        &self,
        member_id: i64,
        history: &str,
        out: &mut Vec<PastInvitation>,
    ) -> StoreResult<()> {
        for item in history.split(',').filter(|item| !item.is_empty()) {
            let corrupt =
                || StoreError::Corrupt(format!("summary item {item:?} of member {member_id}"));
            let (survey, moment) = item.split_once('@').ok_or_else(corrupt)?;
            let survey: i64 = survey.parse().map_err(|_| corrupt())?;
            if Some(survey) == self.except_survey {
                continue;
            }
            let (moment, flash_poll) = match moment.strip_suffix('!') {
                Some(moment) => (moment, true),
                None => (moment, false),
            };
            let sent_at = parse_moment(moment).ok_or_else(corrupt)?;
            if self.from <= sent_at && sent_at <= self.to {
                out.push(PastInvitation {
                    sent_at,
                    flash_poll,
                });
            }
        }
        Ok(())
    }
}

/// The history as the database handed it over.
enum History {
    /// Per member, `moment` or `moment!` (a flash poll) joined by commas.
    Texts(Vec<(i64, String)>),
    Typed(Vec<(i64, Option<DateTime<Utc>>, bool)>),
}

/// A member as read: id, contact wishes, background text.
type MemberLine = (i64, Option<String>, Option<String>);

fn rows_of(members: Vec<MemberLine>) -> Vec<FrameRow> {
    members
        .into_iter()
        .map(|(id, wishes, background)| FrameRow {
            id,
            wishes: wishes.as_deref().and_then(|w| serde_json::from_str(w).ok()),
            background: background.unwrap_or_default(),
            history: Vec::new(),
        })
        .collect()
}

/// The ids of the panel's members, as a subquery.
fn panel_members(panel_id: &str) -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(member::Column::Id)
        .from(member::Entity)
        .and_where(member::Column::PanelId.eq(panel_id))
        .to_owned()
}

/// On PostgreSQL, the panel's members typed, by id.
async fn typed_members(
    db: &impl ConnectionTrait,
    panel_id: &str,
) -> Result<Vec<MemberLine>, DbErr> {
    let background = SqExpr::cust(
        "(SELECT string_agg(b.variable || '=' || b.value, ';') FROM member_background b \
         WHERE b.member_id = members.id)",
    );
    member::Entity::find()
        .select_only()
        .column(member::Column::Id)
        .column(member::Column::ContactWishes)
        .column_as(background, "background")
        .filter(member::Column::PanelId.eq(panel_id))
        .filter(member::Column::Status.eq(MemberStatus::Active))
        .filter(member::Column::WithdrawnAt.is_null())
        .order_by_asc(member::Column::Id)
        .into_tuple::<MemberLine>()
        .all(db)
        .await
}

/// Members per text SQLite hands over: a million one-row-at-a-time hand-overs cost
/// seconds, a thousand long texts next to nothing.
const BUCKET: i64 = 1024;

/// On SQLite, one text per [`BUCKET`] of consecutive ids `id` of `table`: the scalar
/// subquery `per_bucket` over the rows with `id >= lo AND id < hi` (written `{range}`).
/// Each bucket is read straight from the table or an index in id order; grouping by
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
    let mut texts = Vec::new();
    for row in db
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            sql,
            values,
        ))
        .await?
    {
        // Empty buckets give NULL.
        if let Some(text) = row.try_get_by_index::<Option<String>>(0)? {
            texts.push(text);
        }
    }
    Ok(texts)
}

/// On SQLite, the panel's members with their wishes and background, in id order. The
/// members and the backgrounds are read at once, on two connections, each bucket as
/// lists that follow one another (`ids|…|…`): SQLite joins lists far faster than it
/// builds a text per row.
async fn sqlite_members(
    db: &impl ConnectionTrait,
    panel_id: &str,
) -> Result<Vec<MemberLine>, DbErr> {
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
    let bad = |text: &str| DbErr::Type(format!("frame text {:?}", text.get(..80)));
    let mut out: Vec<MemberLine> = Vec::new();
    for text in &members {
        let mut parts = text.splitn(3, '|');
        let (Some(ids), Some(wishes_ids), Some(wishes)) =
            (parts.next(), parts.next(), parts.next())
        else {
            return Err(bad(text));
        };
        let first = out.len();
        for id in ids.split(',') {
            out.push((id.parse().map_err(|_| bad(text))?, None, None));
        }
        let mut wishes = wishes.split('\n');
        for id in wishes_ids.split(',').filter(|id| !id.is_empty()) {
            let id: i64 = id.parse().map_err(|_| bad(text))?;
            let at = out[first..].partition_point(|m| m.0 < id) + first;
            match (out.get_mut(at), wishes.next()) {
                (Some(m), Some(w)) if m.0 == id => m.1 = Some(w.to_owned()),
                _ => return Err(bad(text)),
            }
        }
    }
    out.sort_unstable_by_key(|m| m.0);
    // Backgrounds, in member order too, as `variable=value` joined by `;`; those of
    // members not in the frame are passed over.
    let mut at = 0;
    for text in &backgrounds {
        let mut parts = text.splitn(3, '|');
        let (Some(ids), Some(variables), Some(values)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(bad(text));
        };
        let (mut variables, mut values) = (variables.split(','), values.split(','));
        for id in ids.split(',') {
            let id: i64 = id.parse().map_err(|_| bad(text))?;
            let (Some(variable), Some(value)) = (variables.next(), values.next()) else {
                return Err(bad(text));
            };
            while at < out.len() && out[at].0 < id {
                at += 1;
            }
            if let Some(m) = out.get_mut(at).filter(|m| m.0 == id) {
                let background = m.2.get_or_insert_with(String::new);
                if !background.is_empty() {
                    background.push(';');
                }
                background.push_str(variable);
                background.push('=');
                background.push_str(value);
            }
        }
    }
    Ok(out)
}

/// On SQLite, every member's contact summary (all panels': the caller keeps its own), in
/// member order, read straight from the table (the member id is its row id), each
/// bucket as `ids|history;history;…`.
async fn sqlite_summary_texts(db: &impl ConnectionTrait) -> Result<Vec<String>, DbErr> {
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

/// On SQLite, every member's counting invitations as one text (`moment` or `moment!`
/// for a flash poll, joined by commas), read in member order straight from
/// `ix_invitations_frame` (SQLite would otherwise look each member up in turn), and
/// handed over as `member text` lines, [`BUCKET`] members to a row. All panels'
/// members: the caller keeps its own.
async fn sqlite_history_texts(
    db: &impl ConnectionTrait,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    except_survey: Option<i64>,
) -> Result<Vec<(i64, String)>, DbErr> {
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
        (from - Duration::days(367)).into(),
        (to + Duration::days(367)).into(),
        except_survey.into(),
    ];
    let mut histories = Vec::new();
    for row in db
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            sql,
            values,
        ))
        .await?
    {
        let text: String = row.try_get_by_index(0)?;
        for line in text.lines() {
            let Some((id, history)) = line.split_once(' ') else {
                return Err(DbErr::Type(format!("history line {line:?}")));
            };
            let id = id
                .parse()
                .map_err(|_| DbErr::Type(format!("history line {line:?}")))?;
            histories.push((id, history.to_owned()));
        }
    }
    Ok(histories)
}

/// When an invitation counts: when it was sent, or is planned to be.
fn moment() -> SimpleExpr {
    SqExpr::col(invitation::Column::SentAt).if_null(SqExpr::col(invitation::Column::PlannedAt))
}

/// The invitations of the panel's members that count between `from` and `to`.
fn history_query(
    panel_id: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    except_survey: Option<i64>,
) -> Select<invitation::Entity> {
    let mut query = invitation::Entity::find()
        .filter(
            invitation::Column::Status.is_in([InvitationStatus::Planned, InvitationStatus::Sent]),
        )
        .filter(invitation::Column::MemberId.in_subquery(panel_members(panel_id)))
        .filter(moment().gte(from - Duration::days(367)))
        .filter(moment().lte(to + Duration::days(367)));
    if let Some(survey_id) = except_survey {
        query = query.filter(invitation::Column::SurveyId.ne(survey_id));
    }
    query
}

/// The row of a member in rows sorted by id.
fn find(rows: &mut [FrameRow], member_id: i64) -> Option<&mut FrameRow> {
    let at = rows.binary_search_by_key(&member_id, |r| r.id).ok()?;
    rows.get_mut(at)
}

/// A moment as SQLite keeps it (`2026-11-29T10:00:00.123+00:00`, as sqlx writes it).
/// The usual UTC form is read by hand, a million times faster than a general parser
/// matters here; anything else goes through chrono's RFC 3339 parser.
pub fn parse_moment(text: &str) -> Option<DateTime<Utc>> {
    fast_utc(text).or_else(|| {
        DateTime::parse_from_rfc3339(text)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    })
}

fn fast_utc(text: &str) -> Option<DateTime<Utc>> {
    let body = text.strip_suffix("+00:00")?;
    let b = body.as_bytes();
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        b.get(range)?.iter().try_fold(0u32, |n, d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let nanos = match b.get(19) {
        None => 0,
        Some(b'.') => {
            let digits = &b[20..];
            if digits.is_empty() || digits.len() > 9 || !digits.iter().all(u8::is_ascii_digit) {
                return None;
            }
            let value = number(20..b.len())?;
            value * 10u32.pow(9 - digits.len() as u32)
        }
        Some(_) => return None,
    };
    if b[16] != b':' {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(number(0..4)? as i32, number(5..7)?, number(8..10)?)?;
    let time = date.and_hms_nano_opt(number(11..13)?, number(14..16)?, number(17..19)?, nanos)?;
    Some(time.and_utc())
}

#[cfg(test)]
mod tests {
    use chrono::{SecondsFormat, TimeZone, Timelike};

    use super::*;

    #[test]
    fn moments_read_as_sqlx_writes_them() {
        let whole = Utc.with_ymd_and_hms(2026, 2, 28, 23, 59, 59).unwrap();
        for at in [
            whole,
            whole.with_nanosecond(123_000_000).unwrap(),
            whole.with_nanosecond(7).unwrap(),
        ] {
            let text = at.to_rfc3339_opts(SecondsFormat::AutoSi, false);
            assert_eq!(fast_utc(&text), Some(at), "{text}");
            assert_eq!(parse_moment(&text), Some(at));
        }
        // Other offsets and forms go through chrono.
        assert_eq!(fast_utc("2026-03-01T00:59:59+01:00"), None);
        assert_eq!(parse_moment("2026-03-01T00:59:59+01:00"), Some(whole));
        assert_eq!(parse_moment("gisteren"), None);
        assert_eq!(fast_utc("2026-02-30T10:00:00+00:00"), None);
    }

    #[test]
    fn backgrounds_read_from_their_text() {
        let b = parse_background("regio=west;rol=ervaring;kapot");
        assert_eq!(b.len(), 2);
        assert_eq!(b.get("regio").map(|c| c.as_str()), Some("west"));
        assert!(parse_background("").is_empty());
    }
}
