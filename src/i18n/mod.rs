//! All user-facing text, one TOML file per language (`nl.toml`, `en.toml`), looked up by
//! dotted key. Dutch is the default; English is the second language.

use std::collections::HashMap;
use std::fmt;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

/// A language the product speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Nl,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Nl, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    /// Parse a language code; anything unknown is `None`.
    pub fn from_code(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "nl" => Some(Lang::Nl),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

type Table = HashMap<String, String>;

fn flatten(prefix: &str, value: toml::Value, out: &mut Table) {
    match value {
        toml::Value::Table(table) => {
            for (key, value) in table {
                let key = if prefix.is_empty() {
                    key
                } else {
                    format!("{prefix}.{key}")
                };
                flatten(&key, value, out);
            }
        }
        toml::Value::String(text) => {
            out.insert(prefix.to_owned(), text);
        }
        other => panic!("i18n key {prefix} must be a string, found {other}"),
    }
}

fn load(source: &str) -> Table {
    let value: toml::Value = toml::from_str(source).expect("language file is valid TOML");
    let mut table = Table::new();
    flatten("", value, &mut table);
    table
}

static NL: LazyLock<Table> = LazyLock::new(|| load(include_str!("nl.toml")));
static EN: LazyLock<Table> = LazyLock::new(|| load(include_str!("en.toml")));

fn table(lang: Lang) -> &'static Table {
    match lang {
        Lang::Nl => &NL,
        Lang::En => &EN,
    }
}

/// Shown where a text is missing (the completeness tests keep this from happening).
const MISSING: &str = "…";

/// The text for `key`, falling back to Dutch.
pub fn t(lang: Lang, key: &str) -> &'static str {
    table(lang)
        .get(key)
        .or_else(|| NL.get(key))
        .map(String::as_str)
        .unwrap_or_else(|| {
            tracing::warn!(key, "missing text");
            MISSING
        })
}

/// The text for `key` with `{name}` placeholders filled in.
pub fn tf(lang: Lang, key: &str, args: &[(&str, &dyn fmt::Display)]) -> String {
    let mut text = t(lang, key).to_owned();
    for (name, value) in args {
        text = text.replace(&format!("{{{name}}}"), &value.to_string());
    }
    text
}

/// Every key of a language, for completeness checks.
pub fn keys(lang: Lang) -> impl Iterator<Item = &'static str> {
    table(lang).keys().map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn both_languages_have_the_same_keys() {
        let nl: BTreeSet<_> = keys(Lang::Nl).collect();
        let en: BTreeSet<_> = keys(Lang::En).collect();
        let only_nl: Vec<_> = nl.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&nl).collect();
        assert!(only_nl.is_empty(), "missing in en.toml: {only_nl:?}");
        assert!(only_en.is_empty(), "missing in nl.toml: {only_en:?}");
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(tf(Lang::Nl, "test.placeholder", &[("n", &3)]), "Vraag 3");
    }

    /// Every `"namespace.key"` literal in the sources and templates whose namespace is a
    /// text namespace must be a text (or the start of texts looked up with a suffix).
    #[test]
    fn every_key_used_in_the_code_exists() {
        let nl: BTreeSet<&str> = keys(Lang::Nl).collect();
        let namespaces: BTreeSet<&str> = nl.iter().filter_map(|k| k.split('.').next()).collect();
        let mut missing = Vec::new();
        let mut stack = vec![std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src"
        ))];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                if !matches!(
                    path.extension().and_then(|e| e.to_str()),
                    Some("rs" | "html" | "txt")
                ) {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                for literal in text.split('"').skip(1).step_by(2) {
                    let parts: Vec<&str> = literal.split('.').collect();
                    let plain = parts.len() >= 2
                        && parts.iter().all(|p| {
                            !p.is_empty()
                                && p.chars().all(|c| {
                                    c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'
                                })
                        });
                    let file = [
                        "html", "json", "txt", "svg", "csv", "eml", "toml", "rs", "tsv",
                    ]
                    .contains(parts.last().unwrap_or(&""));
                    let prefix = format!("{literal}.");
                    let known = nl.contains(literal) || nl.iter().any(|k| k.starts_with(&prefix));
                    if plain && !file && namespaces.contains(parts[0]) && !known {
                        missing.push(format!("{}: {literal}", path.display()));
                    }
                }
            }
        }
        assert!(
            missing.is_empty(),
            "texts missing from nl.toml: {missing:#?}"
        );
    }
}

/// Texts in one language, with the helpers pages use (`PageCtx` has the same), for
/// code that renders outside a request: emails and reports.
#[derive(Clone, Copy, Debug)]
pub struct Texts {
    pub lang: Lang,
}

impl Texts {
    pub fn t(&self, key: &str) -> &'static str {
        t(self.lang, key)
    }

    pub fn tf(&self, key: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
        tf(self.lang, key, args)
    }

    pub fn tf1(&self, key: &str, name: &str, value: impl std::fmt::Display) -> String {
        tf(self.lang, key, &[(name, &value)])
    }

    pub fn tf2(
        &self,
        key: &str,
        n1: &str,
        v1: impl std::fmt::Display,
        n2: &str,
        v2: impl std::fmt::Display,
    ) -> String {
        tf(self.lang, key, &[(n1, &v1), (n2, &v2)])
    }
}
