//! Turning what a person typed (sign-up form, profile form, import row) into a valid
//! profile, or into field errors that name the field and the reason.

use std::collections::BTreeMap;

use serde::Serialize;

use super::contact::{EmailAddress, PhoneNumber};
use super::ids::{CategoryValue, VariableId};
use super::member::{ContactPreference, Profile, Supporter};
use super::panel::PanelDefinition;
use crate::i18n::Lang;

/// One field that is not right, with the i18n key of the reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The form field name (`email`, `bg_leeftijd`, …).
    pub field: String,
    pub key: &'static str,
}

impl FieldError {
    pub fn new(field: impl Into<String>, key: &'static str) -> Self {
        Self {
            field: field.into(),
            key,
        }
    }
}

/// Raw profile fields as strings, straight from a form or a file.
#[derive(Clone, Debug, Default)]
pub struct ProfileInput {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub address: String,
    pub contact_preference: String,
    pub birth_year: String,
    pub supporter_name: String,
    pub supporter_relation: String,
    pub supporter_contact: String,
    /// Background answers by variable id; empty means "not answered".
    pub background: BTreeMap<String, String>,
}

/// Where members come from; kept to judge recruitment channels.
pub const SOURCES: [&str; 7] = [
    "website",
    "nieuwsbrief",
    "zorgverlener",
    "via_iemand",
    "sociale_media",
    "anders",
    "import",
];

#[derive(Clone, Debug, Default)]
pub struct SignupInput {
    pub profile: ProfileInput,
    pub consent_panel: bool,
    pub consent_health: bool,
    pub keep_answers_anonymous: bool,
    pub source: String,
}

/// A valid sign-up, ready to store.
#[derive(Clone, Debug, PartialEq)]
pub struct NewMember {
    pub profile: Profile,
    pub consent_version: String,
    pub keep_answers_anonymous: bool,
    pub source: String,
}

#[derive(Clone, Debug, PartialEq)]
pub enum SignupError {
    Invalid(Vec<FieldError>),
    /// Below the panel's minimum age: refused kindly, not as a form error.
    TooYoung {
        min_age: u8,
    },
}

const MAX_TEXT: usize = 200;

fn optional(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

/// Check a profile against the panel. `current_year` decides the age.
pub fn validate_profile(
    panel: &PanelDefinition,
    input: &ProfileInput,
    lang: Lang,
    current_year: i32,
) -> Result<Profile, Vec<FieldError>> {
    let mut errors = Vec::new();
    let name = optional(&input.name);
    let address = optional(&input.address);
    for (field, value) in [
        ("name", &name),
        ("address", &address),
        ("supporter_name", &optional(&input.supporter_name)),
        ("supporter_relation", &optional(&input.supporter_relation)),
        ("supporter_contact", &optional(&input.supporter_contact)),
    ] {
        if value.as_ref().is_some_and(|v| v.chars().count() > MAX_TEXT) {
            errors.push(FieldError::new(field, "form.error.too_long"));
        }
    }
    let email = match optional(&input.email) {
        None => None,
        Some(raw) => match EmailAddress::parse(&raw) {
            Ok(email) => Some(email),
            Err(_) => {
                errors.push(FieldError::new("email", "form.error.email"));
                None
            }
        },
    };
    let phone = match optional(&input.phone) {
        None => None,
        Some(raw) => match PhoneNumber::parse(&raw) {
            Ok(phone) => Some(phone),
            Err(_) => {
                errors.push(FieldError::new("phone", "form.error.phone"));
                None
            }
        },
    };
    let email_given = !input.email.trim().is_empty();
    let phone_given = !input.phone.trim().is_empty();
    if !email_given && !phone_given {
        errors.push(FieldError::new("email", "form.error.email_or_phone"));
    }
    let contact_preference = ContactPreference::parse(&input.contact_preference);
    match contact_preference {
        None => errors.push(FieldError::new(
            "contact_preference",
            "form.error.contact_preference",
        )),
        Some(ContactPreference::Email) if !email_given => {
            errors.push(FieldError::new("email", "form.error.email_needed"))
        }
        Some(ContactPreference::Phone) if !phone_given => {
            errors.push(FieldError::new("phone", "form.error.phone_needed"))
        }
        Some(ContactPreference::Post) if address.is_none() => {
            errors.push(FieldError::new("address", "form.error.address_needed"))
        }
        Some(_) => {}
    }
    let birth_year = match input.birth_year.trim() {
        "" => {
            errors.push(FieldError::new("birth_year", "form.error.birth_year"));
            None
        }
        raw => match raw.parse::<i32>() {
            Ok(year) if (current_year - 120..=current_year).contains(&year) => Some(year),
            _ => {
                errors.push(FieldError::new("birth_year", "form.error.birth_year"));
                None
            }
        },
    };
    let supporter = match optional(&input.supporter_name) {
        Some(name) => Some(Supporter {
            name,
            relation: optional(&input.supporter_relation),
            contact: optional(&input.supporter_contact),
        }),
        None => {
            if optional(&input.supporter_relation).is_some()
                || optional(&input.supporter_contact).is_some()
            {
                errors.push(FieldError::new(
                    "supporter_name",
                    "form.error.supporter_name",
                ));
            }
            None
        }
    };
    let mut background = BTreeMap::new();
    for (var_id, raw) in &input.background {
        let raw = raw.trim();
        if raw.is_empty() {
            continue;
        }
        let field = format!("bg_{var_id}");
        let Some(var) = panel.variable(var_id) else {
            errors.push(FieldError::new(field, "form.error.unknown_variable"));
            continue;
        };
        match var.categories.iter().find(|c| c.value.as_str() == raw) {
            Some(cat) => {
                background.insert(var.id.clone(), cat.value.clone());
            }
            None => errors.push(FieldError::new(field, "form.error.unknown_category")),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Profile {
        name,
        email,
        phone,
        address,
        contact_preference: contact_preference.expect("checked above"),
        birth_year,
        language: lang,
        supporter,
        background,
    })
}

/// Check a sign-up: the profile plus consent and age.
pub fn validate_signup(
    panel: &PanelDefinition,
    input: &SignupInput,
    lang: Lang,
    current_year: i32,
) -> Result<NewMember, SignupError> {
    let mut errors = match validate_profile(panel, &input.profile, lang, current_year) {
        Ok(profile) => {
            if let Some(year) = profile.birth_year
                && current_year - year < i32::from(panel.min_age)
            {
                return Err(SignupError::TooYoung {
                    min_age: panel.min_age,
                });
            }
            if input.consent_panel
                && input.consent_health
                && SOURCES.contains(&input.source.as_str())
            {
                return Ok(NewMember {
                    profile,
                    consent_version: panel.consent_version.clone(),
                    keep_answers_anonymous: input.keep_answers_anonymous,
                    source: input.source.clone(),
                });
            }
            Vec::new()
        }
        Err(errors) => errors,
    };
    if !input.consent_panel {
        errors.push(FieldError::new("consent_panel", "form.error.consent_panel"));
    }
    if !input.consent_health {
        errors.push(FieldError::new(
            "consent_health",
            "form.error.consent_health",
        ));
    }
    if !SOURCES.contains(&input.source.as_str()) {
        errors.push(FieldError::new("source", "form.error.source"));
    }
    Err(SignupError::Invalid(errors))
}

/// The background answers as plain strings, for forms.
pub fn background_strings(
    background: &BTreeMap<VariableId, CategoryValue>,
) -> BTreeMap<String, String> {
    background
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn panel() -> PanelDefinition {
        PanelDefinition::from_json(include_str!("../../panel-schemas/examples/panel.json")).unwrap()
    }

    fn good() -> SignupInput {
        SignupInput {
            profile: ProfileInput {
                email: "anna@voorbeeld.nl".into(),
                contact_preference: "email".into(),
                birth_year: "1980".into(),
                background: [("rol".to_owned(), "ervaring".to_owned())].into(),
                ..Default::default()
            },
            consent_panel: true,
            consent_health: true,
            keep_answers_anonymous: true,
            source: "website".into(),
        }
    }

    #[test]
    fn a_good_signup_is_accepted() {
        let member = validate_signup(&panel(), &good(), Lang::Nl, 2026).unwrap();
        assert_eq!(member.profile.background.len(), 1);
        assert_eq!(member.consent_version, "1");
    }

    #[test]
    fn too_young_is_refused_kindly() {
        let mut input = good();
        input.profile.birth_year = "2010".into();
        assert_eq!(
            validate_signup(&panel(), &input, Lang::Nl, 2026),
            Err(SignupError::TooYoung { min_age: 18 })
        );
    }

    #[test]
    fn every_bad_field_is_named() {
        let mut input = good();
        input.profile.email = "geen-email".into();
        input.profile.contact_preference = "post".into();
        input
            .profile
            .background
            .insert("regio".into(), "mars".into());
        input.consent_health = false;
        let Err(SignupError::Invalid(errors)) = validate_signup(&panel(), &input, Lang::Nl, 2026)
        else {
            panic!("expected errors")
        };
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["email", "address", "bg_regio", "consent_health"]);
    }

    #[test]
    fn phone_only_is_fine_when_phone_is_preferred() {
        let mut input = good();
        input.profile.email = String::new();
        input.profile.phone = "06-12345678".into();
        input.profile.contact_preference = "phone".into();
        assert!(validate_signup(&panel(), &input, Lang::Nl, 2026).is_ok());
        input.profile.contact_preference = "email".into();
        assert!(validate_signup(&panel(), &input, Lang::Nl, 2026).is_err());
    }
}
