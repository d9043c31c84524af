//! What an outside organisation's API token may do. A token carries a set of scopes;
//! every client operation names the one it needs, and a token without it is refused.
//! Whatever the scopes, a client only ever reaches its own requests, and only
//! aggregate figures (no identities, contact data or open answers).

use std::collections::BTreeSet;
use std::fmt;

/// One thing a client token may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    /// See the client's own requests and their history.
    RequestsRead,
    /// Send new requests.
    RequestsWrite,
    /// Read the aggregate results of the client's own surveys.
    ReportsRead,
}

impl Scope {
    pub const ALL: [Scope; 3] = [
        Scope::RequestsRead,
        Scope::RequestsWrite,
        Scope::ReportsRead,
    ];

    /// The name used in the API and stored with the token.
    pub fn code(self) -> &'static str {
        match self {
            Scope::RequestsRead => "requests:read",
            Scope::RequestsWrite => "requests:write",
            Scope::ReportsRead => "reports:read",
        }
    }

    /// The code as a name for form fields and text keys: `requests_read`.
    pub fn slug(self) -> &'static str {
        match self {
            Scope::RequestsRead => "requests_read",
            Scope::RequestsWrite => "requests_write",
            Scope::ReportsRead => "reports_read",
        }
    }

    pub fn from_code(code: &str) -> Option<Scope> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A token's scopes: at least one, each once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scopes(BTreeSet<Scope>);

/// Why a list of scopes is not a token's scopes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScopesError {
    Empty,
    Unknown(String),
}

impl Scopes {
    /// Scopes from their codes; unknown codes are refused, repeats count once.
    pub fn parse<'a>(codes: impl IntoIterator<Item = &'a str>) -> Result<Scopes, ScopesError> {
        let mut set = BTreeSet::new();
        for code in codes {
            let code = code.trim();
            if code.is_empty() {
                continue;
            }
            set.insert(
                Scope::from_code(code).ok_or_else(|| ScopesError::Unknown(code.to_owned()))?,
            );
        }
        if set.is_empty() {
            return Err(ScopesError::Empty);
        }
        Ok(Scopes(set))
    }

    /// Scopes as stored: codes separated by spaces. Unknown codes (from a later version)
    /// are left out rather than granted.
    pub fn from_stored(text: &str) -> Scopes {
        Scopes(
            text.split_whitespace()
                .filter_map(Scope::from_code)
                .collect(),
        )
    }

    pub fn stored(&self) -> String {
        self.iter().map(Scope::code).collect::<Vec<_>>().join(" ")
    }

    pub fn allows(&self, scope: Scope) -> bool {
        self.0.contains(&scope)
    }

    pub fn iter(&self) -> impl Iterator<Item = Scope> + '_ {
        self.0.iter().copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_parse_and_store_in_a_fixed_order() {
        let s = Scopes::parse(["reports:read", "requests:read", "reports:read"]).unwrap();
        assert_eq!(s.stored(), "requests:read reports:read");
        assert!(s.allows(Scope::ReportsRead));
        assert!(!s.allows(Scope::RequestsWrite));
        assert_eq!(Scopes::from_stored(&s.stored()), s);
    }

    #[test]
    fn unknown_and_empty_scopes_are_refused() {
        assert_eq!(
            Scopes::parse(["requests:read", "members:read"]),
            Err(ScopesError::Unknown("members:read".into()))
        );
        assert_eq!(Scopes::parse([" ", ""]), Err(ScopesError::Empty));
    }

    #[test]
    fn stored_text_never_grants_an_unknown_scope() {
        let s = Scopes::from_stored("requests:read admin");
        assert_eq!(s.iter().collect::<Vec<_>>(), vec![Scope::RequestsRead]);
    }
}
