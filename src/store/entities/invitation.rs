use sea_orm::entity::prelude::*;

use crate::domain::response::{Channel, InvitationStatus};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "invitations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub survey_id: i64,
    pub member_id: i64,
    /// SHA-256 of the link token; the link works for this invitation only.
    pub token_hash: String,
    pub channel: Channel,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
    pub opened_at: Option<DateTimeUtc>,
    pub status: InvitationStatus,
    /// When it is planned to go out (counts for the contact policy while planned).
    pub planned_at: Option<DateTimeUtc>,
    pub flash_poll: bool,
    /// Why it was not sent: an i18n key (`invitation_skip.*`, `fieldwork.policy.*`).
    pub skip_reason: Option<String>,
    pub reminders_sent: i32,
    pub last_reminder_at: Option<DateTimeUtc>,
    /// The interviewer whose call list holds this invitation (phone channel).
    pub interviewer_id: Option<i64>,
    /// Raised with every call outcome recorded: of two interviewers saving at once,
    /// the one whose count is stale is refused.
    pub call_seq: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
