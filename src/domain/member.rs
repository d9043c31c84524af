//! Members: their states, how they want to be contacted, their supporter and display
//! preferences, and the profile a member keeps up to date.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::StringLen;
use sea_orm::{DeriveActiveEnum, EnumIter};
use serde::{Deserialize, Serialize};

use super::contact::{EmailAddress, PhoneNumber};
use super::ids::{CategoryValue, VariableId};
use crate::i18n::Lang;

/// Where a member stands in the panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum MemberStatus {
    /// Signed up, has not yet confirmed the email link.
    #[sea_orm(string_value = "pending")]
    Pending,
    /// Confirmed and consenting: may be invited.
    #[sea_orm(string_value = "active")]
    Active,
    /// Withdrew consent: never invited again.
    #[sea_orm(string_value = "withdrawn")]
    Withdrawn,
}

impl MemberStatus {
    pub const ALL: [MemberStatus; 3] = [Self::Pending, Self::Active, Self::Withdrawn];

    pub fn code(self) -> &'static str {
        match self {
            MemberStatus::Pending => "pending",
            MemberStatus::Active => "active",
            MemberStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn i18n_key(self) -> &'static str {
        match self {
            MemberStatus::Pending => "member.status.pending",
            MemberStatus::Active => "member.status.active",
            MemberStatus::Withdrawn => "member.status.withdrawn",
        }
    }
}

/// The way a member prefers to be contacted.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum ContactPreference {
    #[sea_orm(string_value = "email")]
    Email,
    #[sea_orm(string_value = "phone")]
    Phone,
    #[sea_orm(string_value = "post")]
    Post,
}

impl ContactPreference {
    pub const ALL: [ContactPreference; 3] = [Self::Email, Self::Phone, Self::Post];

    pub fn code(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Phone => "phone",
            Self::Post => "post",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code.trim())
    }

    pub fn i18n_key(self) -> &'static str {
        match self {
            Self::Email => "member.contact.email",
            Self::Phone => "member.contact.phone",
            Self::Post => "member.contact.post",
        }
    }
}

/// Someone who may help the member answer (a relative or carer).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Supporter {
    pub name: String,
    pub relation: Option<String>,
    pub contact: Option<String>,
}

/// How pages are shown to this member.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisplayPreferences {
    pub large_text: bool,
    pub high_contrast: bool,
    pub calm_layout: bool,
}

/// What a member tells us about themselves; everything they can correct.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Profile {
    pub name: Option<String>,
    pub email: Option<EmailAddress>,
    pub phone: Option<PhoneNumber>,
    pub address: Option<String>,
    pub contact_preference: ContactPreference,
    pub birth_year: Option<i32>,
    pub language: Lang,
    pub supporter: Option<Supporter>,
    pub background: BTreeMap<VariableId, CategoryValue>,
}

/// A member counts as active when they took part or updated their profile in the last
/// 12 months.
pub fn is_active(
    last_participated_at: Option<DateTime<Utc>>,
    profile_updated_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> bool {
    let since = now - Duration::days(365);
    profile_updated_at >= since || last_participated_at.is_some_and(|at| at >= since)
}

/// Which fields a change touched, for the audit log (names, never values).
pub fn changed_fields(before: &Profile, after: &Profile) -> String {
    let mut fields = Vec::new();
    if before.name != after.name {
        fields.push("name");
    }
    if before.email != after.email {
        fields.push("email");
    }
    if before.phone != after.phone {
        fields.push("phone");
    }
    if before.address != after.address {
        fields.push("address");
    }
    if before.contact_preference != after.contact_preference {
        fields.push("contact_preference");
    }
    if before.birth_year != after.birth_year {
        fields.push("birth_year");
    }
    if before.supporter != after.supporter {
        fields.push("supporter");
    }
    if before.background != after.background {
        fields.push("background");
    }
    if fields.is_empty() {
        "nothing".to_owned()
    } else {
        fields.join(", ")
    }
}

/// Kinds of consent a member gives and can withdraw.
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum ConsentKind {
    /// Taking part in the panel: being invited, answers stored under a pseudonym.
    #[sea_orm(string_value = "panel")]
    Panel,
    /// Processing of health data (GDPR art. 9).
    #[sea_orm(string_value = "health")]
    Health,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum ConsentAction {
    #[sea_orm(string_value = "given")]
    Given,
    #[sea_orm(string_value = "withdrawn")]
    Withdrawn,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn active_means_taking_part_or_updating_within_a_year() {
        let now = Utc.with_ymd_and_hms(2026, 11, 29, 12, 0, 0).unwrap();
        let old = now - Duration::days(400);
        let recent = now - Duration::days(30);
        assert!(is_active(None, recent, now));
        assert!(is_active(Some(recent), old, now));
        assert!(!is_active(Some(old), old, now));
        assert!(!is_active(None, old, now));
    }
}
