//! The frame a sample is drawn from, read fast enough for a panel of a million members
//! with a year of contact history: each member with their background, their own contact
//! wishes and the contact history from their contact summary (`store::contact_summary`),
//! not from millions of invitations. Members share backgrounds, wishes and histories, so
//! the frame keeps each distinct one once ([`CompactFrame`]).
//!
//! SQLite has its own way of reading it (`sqlite`): handing over a row at a time is what
//! costs there. PostgreSQL reads typed rows (`typed`). Both read on several pooled
//! connections at once, so these functions take the pool, not a transaction.

mod buckets;
mod compact;
mod sqlite;
mod text;
mod typed;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{DatabaseConnection, DbBackend};

pub use self::compact::{CompactFrame, CompactMember};
use self::text::{SummaryItem, summary_items};
pub use self::text::{parse_background, parse_moment};
use super::contact_summary;
use super::{StoreError, StoreResult};
use crate::domain::fieldwork::{MemberLimits, PastInvitation};

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

/// Every member of the panel who may be invited at all (active, consenting), by id, with
/// the invitations that count for the contact policy between `from` and `to` (a year
/// either side). Invitations to `except_survey` do not count. The same members and
/// invitations as [`super::fieldwork::frame_members`].
///
/// The invitations come from the members' contact summaries (one row each), unless a
/// summary was written too late to hold the first year of the window (a draft whose
/// send time is long past); then from the invitations themselves.
pub async fn read(
    db: &DatabaseConnection,
    panel_id: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    except_survey: Option<i64>,
) -> StoreResult<CompactFrame> {
    let window = Window::new(from, to, except_survey);
    let covered = contact_summary::kept_since_latest(db)
        .await?
        .is_none_or(|kept_since| kept_since <= window.from);
    if !covered {
        let rows = frame_rows_from_invitations(db, panel_id, from, to, except_survey).await?;
        return Ok(CompactFrame::from_rows(rows));
    }
    if db.get_database_backend() == DbBackend::Sqlite {
        sqlite::read(db, panel_id, &window).await
    } else {
        Ok(CompactFrame::from_rows(
            typed::rows(db, panel_id, &window).await?,
        ))
    }
}

/// As [`read`], one row per member.
pub async fn frame_rows(
    db: &DatabaseConnection,
    panel_id: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    except_survey: Option<i64>,
) -> StoreResult<Vec<FrameRow>> {
    Ok(read(db, panel_id, from, to, except_survey).await?.rows())
}

/// The same as [`frame_rows`], with the history read from the invitations themselves.
pub async fn frame_rows_from_invitations(
    db: &DatabaseConnection,
    panel_id: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    except_survey: Option<i64>,
) -> StoreResult<Vec<FrameRow>> {
    let window = Window::new(from, to, except_survey);
    let (mut rows, history) = if db.get_database_backend() == DbBackend::Sqlite {
        sqlite::rows_and_invitations(db, panel_id, &window).await?
    } else {
        typed::rows_and_invitations(db, panel_id, &window).await?
    };
    // Invitations of other panels' members are not in `rows`.
    for (member_id, invitation) in history {
        if let Ok(at) = rows.binary_search_by_key(&member_id, |r| r.id) {
            rows[at].history.push(invitation);
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

    /// The invitations of a summary's `history` that count in this window, sorted.
    fn history(&self, member_id: i64, history: &str) -> StoreResult<Vec<PastInvitation>> {
        let mut out = Vec::new();
        for item in summary_items(history) {
            let item = item.map_err(|item| {
                StoreError::Corrupt(format!("summary item {item:?} of member {member_id}"))
            })?;
            if self.counts(&item) {
                out.push(PastInvitation {
                    sent_at: item.sent_at,
                    flash_poll: item.flash_poll,
                });
            }
        }
        out.sort_by_key(|h| h.sent_at);
        Ok(out)
    }

    fn counts(&self, item: &SummaryItem) -> bool {
        Some(item.survey) != self.except_survey
            && self.from <= item.sent_at
            && item.sent_at <= self.to
    }
}
