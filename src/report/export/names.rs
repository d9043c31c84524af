//! Variable names that SPSS, pandas and R all accept: at most 64 ASCII characters,
//! starting with a letter, only letters, digits and `_`, not ending in `_`, not an SPSS
//! keyword, and unique without regard to case (SPSS does not tell `Q1` from `q1`).

use std::collections::HashSet;

/// The longest name SPSS accepts, in bytes (our names are ASCII).
pub const MAX_LEN: usize = 64;

/// Words SPSS reserves: they cannot be variable names.
const RESERVED: [&str; 13] = [
    "ALL", "AND", "BY", "EQ", "GE", "GT", "LE", "LT", "NE", "NOT", "OR", "TO", "WITH",
];

/// A name close to `wanted` that is valid on its own (not yet unique). Question and
/// option ids hold letters, digits and `- _ + .`; klankbord's own question ids start
/// with `_`, which becomes the prefix `kb_`.
pub fn valid(wanted: &str) -> String {
    let (prefix, rest) = match wanted.strip_prefix('_') {
        Some(rest) => ("kb_", rest),
        None => ("", wanted),
    };
    let mut name: String = prefix.to_owned();
    name.extend(
        rest.chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }),
    );
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name.insert(0, 'v');
    }
    name.truncate(MAX_LEN);
    let trimmed = name.trim_end_matches('_').len();
    name.truncate(trimmed);
    if RESERVED.contains(&name.to_ascii_uppercase().as_str()) {
        name.push_str("_v");
    }
    name
}

/// Hands out valid names, each different from all before it (ignoring case).
#[derive(Debug, Default)]
pub struct Names {
    taken: HashSet<String>,
}

impl Names {
    /// A valid, unused name close to `wanted`: `wanted` made valid, or with `_2`, `_3`, …
    /// appended (shortened to fit) when that is taken.
    pub fn claim(&mut self, wanted: &str) -> String {
        let base = valid(wanted);
        let mut name = base.clone();
        let mut n = 1u32;
        while self.taken.contains(&name.to_ascii_lowercase()) {
            n += 1;
            let suffix = format!("_{n}");
            let mut stem = base.clone();
            stem.truncate(MAX_LEN - suffix.len());
            let trimmed = stem.trim_end_matches('_').len();
            stem.truncate(trimmed);
            name = format!("{stem}{suffix}");
        }
        self.taken.insert(name.to_ascii_lowercase());
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn is_valid(name: &str) -> bool {
        (1..=MAX_LEN).contains(&name.len())
            && name.starts_with(|c: char| c.is_ascii_alphabetic())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !name.ends_with('_')
            && !RESERVED.contains(&name.to_ascii_uppercase().as_str())
    }

    #[test]
    fn ids_become_names_researchers_recognise() {
        assert_eq!(valid("werk_nu"), "werk_nu");
        assert_eq!(valid("_eval_clear"), "kb_eval_clear");
        assert_eq!(valid("18-34"), "v18_34");
        assert_eq!(valid("55+"), "v55");
        assert_eq!(valid("a.b-c"), "a_b_c");
        assert_eq!(valid("to"), "to_v");
        assert_eq!(valid("With"), "With_v");
        assert_eq!(valid("___"), "kb");
        assert_eq!(valid("-"), "v");
        assert_eq!(valid(&"x".repeat(80)).len(), MAX_LEN);
    }

    #[test]
    fn a_taken_name_gets_a_number_also_when_only_the_case_differs() {
        let mut names = Names::default();
        assert_eq!(names.claim("weight"), "weight");
        assert_eq!(names.claim("Weight"), "Weight_2");
        assert_eq!(names.claim("weight"), "weight_3");
        let long = "q".repeat(64);
        assert_eq!(names.claim(&long), long);
        let second = names.claim(&long);
        assert_eq!(second, format!("{}_2", "q".repeat(62)));
        assert!(is_valid(&second));
    }

    proptest! {
        #![proptest_config(crate::proptest_config(256))]

        #[test]
        fn every_claimed_name_is_valid_and_unique(
            wanted in proptest::collection::vec("[A-Za-z0-9_+.-]{1,70}", 1..40),
        ) {
            let mut names = Names::default();
            let mut seen = HashSet::new();
            for w in &wanted {
                let name = names.claim(w);
                prop_assert!(is_valid(&name), "{name} from {w}");
                prop_assert!(seen.insert(name.to_ascii_lowercase()), "{name} twice");
            }
        }
    }
}
