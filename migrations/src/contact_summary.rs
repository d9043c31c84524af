//! The SQL that writes the per-member contact summary (`contact_summary`), shared by the
//! migration that creates and fills the table and by the store that keeps it up to date.

use sea_orm_migration::sea_orm::DbBackend;

/// Days of contact history a summary keeps, counted back from when it was written: a
/// year for the yearly limit (and its 367-day margin), and another so a draft whose send
/// time is up to a year old still draws from the summary.
pub const KEEP_DAYS: i64 = 732;

/// An `INSERT … SELECT … ON CONFLICT` statement that (re)writes the summary of every
/// member `m` (of `members m`) that `members_where` selects: `kept_since` (an SQL
/// expression, a timestamp) and `history`, the member's invitations that count for the
/// contact policy (planned or sent) at or after `kept_since`, ordered by moment, as
/// `survey@moment` or `survey@moment!` (a flash poll) joined by commas. The moment is
/// `sent_at`, or `planned_at` while planned, in RFC 3339: on SQLite as stored, on
/// PostgreSQL in UTC with microseconds.
pub fn upsert(backend: DbBackend, members_where: &str, kept_since: &str) -> String {
    let moment = "coalesce(i.sent_at, i.planned_at)";
    let (aggregate, text) = match backend {
        DbBackend::Postgres => (
            "string_agg",
            format!(
                "i.survey_id::text || '@' || to_char({moment} AT TIME ZONE 'UTC', \
                 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"')"
            ),
        ),
        _ => ("group_concat", format!("i.survey_id || '@' || {moment}")),
    };
    format!(
        "INSERT INTO contact_summary (member_id, kept_since, history) \
         SELECT m.id, {kept_since}, coalesce((SELECT {aggregate}({text} \
         || CASE WHEN i.flash_poll THEN '!' ELSE '' END, ',' ORDER BY {moment}) \
         FROM invitations i WHERE i.member_id = m.id AND i.status IN ('planned', 'sent') \
         AND {moment} >= {kept_since}), '') \
         FROM members m WHERE {members_where} \
         ON CONFLICT (member_id) DO UPDATE SET kept_since = excluded.kept_since, \
         history = excluded.history"
    )
}
