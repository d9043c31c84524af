//! Identifier newtypes from panel and questionnaire files: short machine names that
//! appear in URLs, CSV headers and JSON paths, so their alphabet is restricted.

use std::borrow::Borrow;
use std::fmt;

use serde::{Deserialize, Serialize};

/// Why an identifier was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("must not be empty")]
    Empty,
    #[error("is longer than 64 characters")]
    TooLong,
    #[error("may only hold letters, digits and - _ + .")]
    BadCharacter,
}

fn check(value: &str) -> Result<(), IdError> {
    if value.is_empty() {
        return Err(IdError::Empty);
    }
    if value.chars().count() > 64 {
        return Err(IdError::TooLong);
    }
    if !value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+' | '.'))
    {
        return Err(IdError::BadCharacter);
    }
    Ok(())
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub fn parse(value: &str) -> Result<Self, IdError> {
                check(value)?;
                Ok(Self(value.to_owned()))
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        impl TryFrom<String> for $name {
            type Error = IdError;
            fn try_from(value: String) -> Result<Self, IdError> {
                check(&value)?;
                Ok(Self(value))
            }
        }
        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }
        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

id_type!(
    /// A panel's id, e.g. `ggz-panel`.
    PanelId
);
id_type!(
    /// A background variable's id, e.g. `leeftijd`.
    VariableId
);
id_type!(
    /// A category value of a background variable, e.g. `55+`.
    CategoryValue
);

id_type!(
    /// A questionnaire's id, e.g. `betaald-werk-2026`.
    QuestionnaireId
);
id_type!(
    /// A question's id, e.g. `werk_nu`. Ids starting with `_` are reserved for the
    /// questions klankbord appends itself (closing remarks, evaluation).
    QuestionId
);
id_type!(
    /// The stored value of an answer option, e.g. `ja`.
    OptionValue
);

impl QuestionId {
    /// Whether this id is reserved for klankbord's own appended questions.
    pub fn is_reserved(&self) -> bool {
        self.0.starts_with('_')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_reference_ids_and_refuses_others() {
        for ok in ["ggz-panel", "55+", "18-34", "regulier_werk"] {
            assert!(CategoryValue::parse(ok).is_ok(), "{ok}");
        }
        assert_eq!(PanelId::parse(""), Err(IdError::Empty));
        assert_eq!(PanelId::parse("a b"), Err(IdError::BadCharacter));
        assert_eq!(PanelId::parse("<script>"), Err(IdError::BadCharacter));
        assert_eq!(PanelId::parse(&"x".repeat(65)), Err(IdError::TooLong));
    }
}
