//! The word lists behind the checks, read once from the data files next to this module.
//! The files are for editors; their headers explain the format. A bad line is skipped
//! (and reported by [`errors`], which a unit test keeps empty), never a panic.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

const COMMON_WORDS: &str = include_str!("common_words.txt");
const JARGON: &str = include_str!("jargon.tsv");
const ACTIVE_VOICE: &str = include_str!("active_voice.tsv");

/// A line of a word list that could not be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum WordListError {
    #[error("{file}:{line}: expected {expected}")]
    Format {
        file: &'static str,
        line: usize,
        expected: &'static str,
    },
    #[error("{file}:{line}: `{entry}` is already listed")]
    Duplicate {
        file: &'static str,
        line: usize,
        entry: String,
    },
}

/// How a jargon entry is written in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Variant {
    /// One word: lowercase, or as written for an abbreviation (matched case-sensitively).
    Word(String),
    /// Several words, lowercase, matched in sequence within a sentence.
    Phrase(Vec<String>),
}

/// One line of `jargon.tsv`.
#[derive(Clone, Debug)]
pub(crate) struct JargonEntry {
    /// The first form, as written in the list.
    pub term: String,
    pub variants: Vec<Variant>,
    pub alternative: String,
    /// All capitals (`UWV`, `WMO|Wmo`): a finding only when unexplained in the text.
    pub abbreviation: bool,
    /// For an abbreviation: the spelled-out form, lowercase; using it earlier explains it.
    pub spelled_out: Option<String>,
}

/// All lists, parsed.
#[derive(Debug, Default)]
pub(crate) struct WordLists {
    pub common: HashSet<String>,
    pub jargon: Vec<JargonEntry>,
    /// Words that contain a jargon term but are not jargon (`indiening`).
    pub not_jargon: HashSet<String>,
    /// Past participle → active rewrite.
    pub active: HashMap<String, String>,
    pub errors: Vec<WordListError>,
}

static LISTS: LazyLock<WordLists> = LazyLock::new(|| parse(COMMON_WORDS, JARGON, ACTIVE_VOICE));

/// The parsed lists.
pub(crate) fn lists() -> &'static WordLists {
    &LISTS
}

/// Lines of the embedded files that were skipped (for tests).
#[cfg(test)]
pub(crate) fn errors() -> &'static [WordListError] {
    &LISTS.errors
}

/// Non-empty, non-comment lines with their 1-based numbers.
fn data_lines(source: &str) -> impl Iterator<Item = (usize, &str)> {
    source
        .lines()
        .enumerate()
        .map(|(i, line)| (i + 1, line.trim_end_matches('\r')))
        .filter(|(_, line)| !line.trim().is_empty() && !line.trim_start().starts_with('#'))
}

pub(crate) fn parse(common: &str, jargon: &str, active: &str) -> WordLists {
    let mut lists = WordLists::default();
    for (line, word) in data_lines(common) {
        let word = word.trim().to_lowercase();
        if !lists.common.insert(word.clone()) {
            lists.errors.push(WordListError::Duplicate {
                file: "common_words.txt",
                line,
                entry: word,
            });
        }
    }
    let mut seen = HashSet::new();
    for (line, text) in data_lines(jargon) {
        if let Some(word) = text.trim().strip_prefix('!') {
            lists.not_jargon.insert(word.trim().to_lowercase());
            continue;
        }
        match jargon_entry(text) {
            Some(entry) if seen.insert(entry.term.clone()) => lists.jargon.push(entry),
            Some(entry) => lists.errors.push(WordListError::Duplicate {
                file: "jargon.tsv",
                line,
                entry: entry.term,
            }),
            None => lists.errors.push(WordListError::Format {
                file: "jargon.tsv",
                line,
                expected: "term<TAB>alternative[<TAB>note]",
            }),
        }
    }
    for (line, text) in data_lines(active) {
        match text.split('\t').map(str::trim).collect::<Vec<_>>()[..] {
            [participle, rewrite] if !participle.is_empty() && !rewrite.is_empty() => {
                let participle = participle.to_lowercase();
                if lists
                    .active
                    .insert(participle.clone(), rewrite.to_owned())
                    .is_some()
                {
                    lists.errors.push(WordListError::Duplicate {
                        file: "active_voice.tsv",
                        line,
                        entry: participle,
                    });
                }
            }
            _ => lists.errors.push(WordListError::Format {
                file: "active_voice.tsv",
                line,
                expected: "participle<TAB>active rewrite",
            }),
        }
    }
    lists
}

fn jargon_entry(line: &str) -> Option<JargonEntry> {
    let columns: Vec<&str> = line.split('\t').map(str::trim).collect();
    let (term, alternative, note) = match columns[..] {
        [term, alternative] => (term, alternative, ""),
        [term, alternative, note] => (term, alternative, note),
        _ => return None,
    };
    let forms: Vec<&str> = term.split('|').map(str::trim).collect();
    if alternative.is_empty() || forms.iter().any(|f| f.is_empty()) {
        return None;
    }
    let abbreviation = is_all_caps(forms[0]);
    let variants = forms
        .iter()
        .map(|form| {
            if form.contains(' ') {
                Variant::Phrase(form.split_whitespace().map(str::to_lowercase).collect())
            } else if abbreviation {
                Variant::Word((*form).to_owned())
            } else {
                Variant::Word(form.trim_end_matches('.').to_lowercase())
            }
        })
        .collect();
    Some(JargonEntry {
        term: forms[0].to_owned(),
        variants,
        alternative: alternative.to_owned(),
        abbreviation,
        spelled_out: (abbreviation && !note.is_empty()).then(|| note.to_lowercase()),
    })
}

/// Two or more letters, all capitals (digits allowed): `UWV`, `AOW`, `WW`.
pub(crate) fn is_all_caps(word: &str) -> bool {
    word.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && word.chars().all(|c| c.is_uppercase() || c.is_ascii_digit())
}
