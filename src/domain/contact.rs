//! Contact details as parsed values: email addresses and phone numbers, with the
//! normalised forms used to find duplicates.

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ContactError {
    #[error("not a valid email address")]
    BadEmail,
    #[error("not a valid phone number")]
    BadPhone,
}

/// An email address as the member typed it (trimmed), known to be well-formed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(raw: &str) -> Result<Self, ContactError> {
        let value = raw.trim();
        let (local, domain) = value.rsplit_once('@').ok_or(ContactError::BadEmail)?;
        let ok = !local.is_empty()
            && local.len() <= 64
            && value.len() <= 254
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '.' || c == '-')
            && !local.contains('@')
            && !value.chars().any(|c| c.is_whitespace() || c.is_control())
            && !value.contains(['<', '>', ',', ';', '"', '(', ')', '[', ']', '\\']);
        if ok {
            Ok(Self(value.to_owned()))
        } else {
            Err(ContactError::BadEmail)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Lower case: the form used to find duplicates.
    pub fn normalized(&self) -> String {
        self.0.to_lowercase()
    }
}

impl TryFrom<String> for EmailAddress {
    type Error = ContactError;
    fn try_from(value: String) -> Result<Self, ContactError> {
        Self::parse(&value)
    }
}

impl From<EmailAddress> for String {
    fn from(value: EmailAddress) -> String {
        value.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A phone number as typed, known to hold a plausible Dutch or international number.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhoneNumber {
    display: String,
    normalized: String,
}

impl PhoneNumber {
    pub fn parse(raw: &str) -> Result<Self, ContactError> {
        let display = raw.trim();
        if display.is_empty()
            || !display
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '(' | ')' | '.'))
            || display.chars().skip(1).any(|c| c == '+')
        {
            return Err(ContactError::BadPhone);
        }
        let digits: String = display.chars().filter(char::is_ascii_digit).collect();
        let normalized = if display.starts_with('+') {
            format!("+{digits}")
        } else if let Some(rest) = digits.strip_prefix("00") {
            format!("+{rest}")
        } else if let Some(rest) = digits.strip_prefix('0') {
            if digits.len() != 10 {
                return Err(ContactError::BadPhone);
            }
            format!("+31{rest}")
        } else {
            return Err(ContactError::BadPhone);
        };
        let count = normalized.len() - 1;
        if !(8..=15).contains(&count) || (normalized.starts_with("+31") && count != 11) {
            return Err(ContactError::BadPhone);
        }
        Ok(Self {
            display: display.to_owned(),
            normalized,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.display
    }

    /// E.164 form (`+31612345678`): the form used to find duplicates.
    pub fn normalized(&self) -> &str {
        &self.normalized
    }
}

impl TryFrom<String> for PhoneNumber {
    type Error = ContactError;
    fn try_from(value: String) -> Result<Self, ContactError> {
        Self::parse(&value)
    }
}

impl From<PhoneNumber> for String {
    fn from(value: PhoneNumber) -> String {
        value.display
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn emails() {
        assert!(EmailAddress::parse("  Anna@Voorbeeld.nl ").is_ok());
        assert_eq!(
            EmailAddress::parse("Anna@Voorbeeld.nl")
                .unwrap()
                .normalized(),
            "anna@voorbeeld.nl"
        );
        for bad in [
            "",
            "anna",
            "anna@",
            "@x.nl",
            "an na@x.nl",
            "a@x",
            "a@x..nl",
            "a<b>@x.nl",
        ] {
            assert_eq!(
                EmailAddress::parse(bad),
                Err(ContactError::BadEmail),
                "{bad}"
            );
        }
    }

    #[test]
    fn phones_normalise_to_e164() {
        let cases = [
            ("06-12345678", "+31612345678"),
            ("06 1234 5678", "+31612345678"),
            ("+31 6 12345678", "+31612345678"),
            ("0031612345678", "+31612345678"),
            ("(020) 123 45 67", "+31201234567"),
            ("+32 470 12 34 56", "+32470123456"),
        ];
        for (raw, norm) in cases {
            assert_eq!(PhoneNumber::parse(raw).unwrap().normalized(), norm, "{raw}");
        }
        for bad in [
            "",
            "12345",
            "06-1234",
            "06-12345678x",
            "+31 6 1234",
            "6+1234567",
        ] {
            assert_eq!(
                PhoneNumber::parse(bad),
                Err(ContactError::BadPhone),
                "{bad}"
            );
        }
    }

    proptest! {
        #![proptest_config(crate::proptest_config(256))]
        #[test]
        fn any_valid_email_round_trips(local in "[a-z0-9._%+-]{1,20}", domain in "[a-z0-9-]{1,20}\\.[a-z]{2,6}") {
            let raw = format!("{local}@{domain}");
            let email = EmailAddress::parse(&raw).unwrap();
            prop_assert_eq!(email.as_str(), raw.as_str());
        }

        #[test]
        fn parse_never_panics(s in ".*") {
            let _ = EmailAddress::parse(&s);
            let _ = PhoneNumber::parse(&s);
        }
    }
}
