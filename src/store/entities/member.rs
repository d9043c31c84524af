use sea_orm::entity::prelude::*;

use crate::domain::member::{ContactPreference, MemberStatus};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "members")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub panel_id: String,
    pub pseudonym: String,
    pub status: MemberStatus,
    pub name: Option<String>,
    pub email: Option<String>,
    pub email_norm: Option<String>,
    pub phone: Option<String>,
    pub phone_norm: Option<String>,
    pub address: Option<String>,
    pub contact_preference: ContactPreference,
    pub birth_year: Option<i32>,
    pub language: String,
    pub source: String,
    pub consent_version: String,
    pub consent_at: DateTimeUtc,
    pub health_consent: bool,
    pub health_consent_at: Option<DateTimeUtc>,
    pub keep_answers_anonymous: bool,
    pub supporter_name: Option<String>,
    pub supporter_relation: Option<String>,
    pub supporter_contact: Option<String>,
    pub large_text: bool,
    pub high_contrast: bool,
    pub calm_layout: bool,
    pub confirmed_at: Option<DateTimeUtc>,
    pub withdrawn_at: Option<DateTimeUtc>,
    pub profile_updated_at: DateTimeUtc,
    pub last_participated_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    /// Bumped on every change; an update naming an older version is refused.
    pub version: i32,
    /// The member's own, stricter contact wishes (JSON `MemberLimits`).
    pub contact_wishes: Option<String>,
    /// Bumped first by every send to the member: the row lock that serialises sends.
    pub contact_seq: i64,
    /// When the member likes to be called, in their own words ("liefst 's middags").
    pub call_times: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::member_background::Entity")]
    Background,
}

impl Related<super::member_background::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Background.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
