//! The member resources as the API shows and takes them: plain serde types, converted
//! from and into the domain's.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::audit::AuditEntry;
use crate::domain::member::{self, ContactPreference, MemberStatus, Profile};
use crate::domain::signup::{ProfileInput, background_strings};
use crate::store::entities::member as member_entity;

/// Where a member stands: `pending` (sign-up not confirmed), `active`, `withdrawn`.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = MemberStatus)]
pub enum StatusApi {
    Pending,
    Active,
    Withdrawn,
}

impl From<MemberStatus> for StatusApi {
    fn from(s: MemberStatus) -> Self {
        match s {
            MemberStatus::Pending => Self::Pending,
            MemberStatus::Active => Self::Active,
            MemberStatus::Withdrawn => Self::Withdrawn,
        }
    }
}

/// How the member prefers to be contacted.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = ContactPreference)]
pub enum ContactApi {
    Email,
    Phone,
    Post,
}

impl From<ContactPreference> for ContactApi {
    fn from(p: ContactPreference) -> Self {
        match p {
            ContactPreference::Email => Self::Email,
            ContactPreference::Phone => Self::Phone,
            ContactPreference::Post => Self::Post,
        }
    }
}

impl ContactApi {
    fn code(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Phone => "phone",
            Self::Post => "post",
        }
    }
}

/// Someone who helps the member answer (a relative or carer).
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Supporter {
    pub name: String,
    /// Who this person is to the member.
    #[serde(default)]
    pub relation: Option<String>,
    /// Phone or email of this person.
    #[serde(default)]
    pub contact: Option<String>,
}

/// What a member tells about themselves; everything a manager can correct.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct MemberProfile {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub contact_preference: ContactApi,
    pub birth_year: Option<i32>,
    pub supporter: Option<Supporter>,
    /// Answer (category value) per background variable id.
    pub background: BTreeMap<String, String>,
}

impl From<&Profile> for MemberProfile {
    fn from(p: &Profile) -> Self {
        Self {
            name: p.name.clone(),
            email: p.email.as_ref().map(ToString::to_string),
            phone: p.phone.as_ref().map(ToString::to_string),
            address: p.address.clone(),
            contact_preference: p.contact_preference.into(),
            birth_year: p.birth_year,
            supporter: p.supporter.as_ref().map(|s| Supporter {
                name: s.name.clone(),
                relation: s.relation.clone(),
                contact: s.contact.clone(),
            }),
            background: background_strings(&p.background),
        }
    }
}

/// A member in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberSummary {
    pub id: i64,
    pub status: StatusApi,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub contact_preference: ContactApi,
    pub signed_up_at: DateTime<Utc>,
    pub version: i32,
}

impl From<member_entity::Model> for MemberSummary {
    fn from(m: member_entity::Model) -> Self {
        Self {
            id: m.id,
            status: m.status.into(),
            name: m.name,
            email: m.email,
            phone: m.phone,
            contact_preference: m.contact_preference.into(),
            signed_up_at: m.created_at,
            version: m.version,
        }
    }
}

/// One page of a panel's members.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberPage {
    /// How many members match the filters.
    pub total: u64,
    /// This page, from 1.
    pub page: u64,
    pub per_page: u64,
    pub pages: u64,
    pub members: Vec<MemberSummary>,
}

/// What the member consented to, and when.
#[derive(Debug, Serialize, ToSchema)]
pub struct Consent {
    /// Version of the consent text agreed to.
    pub version: String,
    pub given_at: DateTime<Utc>,
    /// Explicit consent for health data (GDPR art. 9).
    pub health_data: bool,
    pub health_data_given_at: Option<DateTime<Utc>>,
    /// Answers may stay, without name, when the member leaves.
    pub keep_answers_anonymous: bool,
}

/// Everything a manager sees of a member.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberDetail {
    pub id: i64,
    pub panel_id: String,
    pub status: StatusApi,
    /// Send this back when changing the member: a change based on an older version
    /// is refused with 409.
    pub version: i32,
    pub profile: MemberProfile,
    /// The language the member reads: `nl` or `en`.
    pub language: String,
    /// How the member heard of the panel.
    pub source: String,
    pub consent: Consent,
    pub signed_up_at: DateTime<Utc>,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub profile_updated_at: DateTime<Utc>,
    pub last_participated_at: Option<DateTime<Utc>>,
    /// Took part or updated the profile in the last 12 months.
    pub active: bool,
    /// The latest 20 views and changes of this member's data by managers.
    pub access: Vec<AuditEntry>,
}

impl MemberDetail {
    pub fn new(
        m: &member_entity::Model,
        profile: &Profile,
        access: Vec<AuditEntry>,
        now: DateTime<Utc>,
    ) -> Self {
        Self {
            id: m.id,
            panel_id: m.panel_id.clone(),
            status: m.status.into(),
            version: m.version,
            profile: profile.into(),
            language: m.language.clone(),
            source: m.source.clone(),
            consent: Consent {
                version: m.consent_version.clone(),
                given_at: m.consent_at,
                health_data: m.health_consent,
                health_data_given_at: m.health_consent_at,
                keep_answers_anonymous: m.keep_answers_anonymous,
            },
            signed_up_at: m.created_at,
            confirmed_at: m.confirmed_at,
            withdrawn_at: m.withdrawn_at,
            profile_updated_at: m.profile_updated_at,
            last_participated_at: m.last_participated_at,
            active: member::is_active(m.last_participated_at, m.profile_updated_at, now),
            access,
        }
    }
}

/// A member's corrected profile: every field of the profile (left out means empty) and
/// the `version` it was read at.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberUpdate {
    /// The `version` from the member as read; refused with 409 when someone changed
    /// the member since.
    pub version: i32,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    pub contact_preference: ContactApi,
    #[serde(default)]
    pub birth_year: Option<i32>,
    #[serde(default)]
    pub supporter: Option<Supporter>,
    /// Answer (category value) per background variable id; a variable left out is
    /// "not answered".
    #[serde(default)]
    pub background: BTreeMap<String, String>,
}

impl MemberUpdate {
    /// The fields as raw input, for the same validation as the web form.
    pub fn input(&self) -> ProfileInput {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let supporter = self.supporter.as_ref();
        ProfileInput {
            name: text(&self.name),
            email: text(&self.email),
            phone: text(&self.phone),
            address: text(&self.address),
            contact_preference: self.contact_preference.code().to_owned(),
            birth_year: self.birth_year.map(|y| y.to_string()).unwrap_or_default(),
            supporter_name: supporter.map(|s| s.name.clone()).unwrap_or_default(),
            supporter_relation: supporter
                .and_then(|s| s.relation.clone())
                .unwrap_or_default(),
            supporter_contact: supporter
                .and_then(|s| s.contact.clone())
                .unwrap_or_default(),
            background: self.background.clone(),
        }
    }
}

/// A member's state after a confirmation.
#[derive(Debug, Serialize, ToSchema)]
pub struct Confirmed {
    pub id: i64,
    pub status: StatusApi,
    pub confirmed_at: Option<DateTime<Utc>>,
}
