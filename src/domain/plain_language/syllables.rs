//! Syllable counting for Dutch: Liang hyphenation patterns (TeX `hyph-nl`, the 1996
//! spelling) find the syllable breaks, Dutch vowel groups find what they leave joined.
//!
//! The patterns never split off a one-letter syllable: not at the word's edges (`idee`,
//! `olie`, `mooie` come back whole), nor inside a compound (`rijks-over-heid`), nor a
//! vowel pair (`dia-gno-se`). So each piece counts its vowel groups, at least one. Vowel
//! groups alone would miss breaks inside diphthong-looking pairs (`mu-se-um`), which the
//! patterns do find. English loanwords are counted the Dutch way (`coach` 2).

use std::sync::LazyLock;

use hyphenation::{Hyphenator, Language, Load, Standard};

/// The `dictionaries/nl.standard.bincode` file of the hyphenation 0.8.4 crate, copied
/// unchanged (67 KB), so the build needs neither `embed_all` (all languages, ~3 MB) nor
/// `build_dictionaries`. Patterns: hyph-utf8 `hyph-nl` (nehyph96, Piet Tutelaers, 1996),
/// LaTeX Project Public License.
static DUTCH_PATTERNS: &[u8] = include_bytes!("hyph-nl-1996.standard.bincode");

/// `None` only if the embedded file is broken; a unit test guards that, and counting
/// then falls back to vowel groups instead of failing.
static DUTCH: LazyLock<Option<Standard>> =
    LazyLock::new(|| Standard::from_reader(Language::Dutch, &mut &DUTCH_PATTERNS[..]).ok());

/// Whether the Dutch dictionary loaded (for tests).
#[cfg(test)]
pub(crate) fn dictionary_loaded() -> bool {
    DUTCH.is_some()
}

/// Syllables in a word. A hyphenated word counts its parts; a word of digits or without
/// any vowel (`2026`, `nl`) counts 1; a string without letters or digits counts 0.
pub fn syllables(word: &str) -> usize {
    let total: usize = word
        .split(|c: char| !c.is_alphabetic())
        .filter(|run| !run.is_empty())
        .map(run_syllables)
        .sum();
    if total == 0 && word.chars().any(char::is_alphanumeric) {
        1
    } else {
        total
    }
}

/// Syllables in a run of letters: per hyphenation piece, its vowel groups (at least one).
fn run_syllables(run: &str) -> usize {
    let lower = run.to_lowercase();
    let chars: Vec<char> = lower.chars().collect();
    // Patterns are for Latin script; very long runs are not words.
    let hyphenator = match DUTCH.as_ref() {
        Some(h) if chars.len() <= 64 && chars.iter().all(|&c| is_latin_letter(c)) => h,
        _ => return nuclei(&chars),
    };
    if nuclei(&chars) == 0 {
        return 0;
    }
    hyphenator
        .hyphenate(&lower)
        .into_iter()
        .segments()
        .map(|piece| nuclei(&piece.chars().collect::<Vec<_>>()).max(1))
        .sum()
}

/// Dutch vowel groups that are one sound, longest first.
const CLUSTERS: &[&[char]] = &[
    &['a', 'a', 'i'],
    &['o', 'o', 'i'],
    &['o', 'e', 'i'],
    &['e', 'e', 'u'],
    &['i', 'e', 'u'],
    &['e', 'a', 'u'],
    &['a', 'a'],
    &['e', 'e'],
    &['o', 'o'],
    &['u', 'u'],
    &['i', 'e'],
    &['o', 'e'],
    &['e', 'u'],
    &['e', 'i'],
    &['i', 'j'],
    &['u', 'i'],
    &['o', 'u'],
    &['a', 'u'],
    &['a', 'i'],
];

/// The number of vowel groups in a lowercase word. A diaeresis (`ë`, `ï`) always starts a
/// new group; `y` before a vowel and `u` after `q` are consonants.
fn nuclei(chars: &[char]) -> usize {
    let mut found = 0;
    let mut i = 0;
    while i < chars.len() {
        if !is_vowel_at(chars, i) {
            i += 1;
            continue;
        }
        let rest = &chars[i..];
        let len = CLUSTERS
            .iter()
            .find(|cluster| {
                cluster.len() <= rest.len()
                    && cluster
                        .iter()
                        .zip(rest)
                        .enumerate()
                        .all(|(k, (&c, &here))| base(here) == c && (k == 0 || !has_diaeresis(here)))
            })
            .map_or(1, |cluster| cluster.len());
        found += 1;
        i += len;
    }
    found
}

fn is_vowel_at(chars: &[char], i: usize) -> bool {
    match base(chars[i]) {
        'a' | 'e' | 'i' | 'o' => true,
        'u' => !(i > 0 && chars[i - 1] == 'q'),
        'y' => !chars
            .get(i + 1)
            .is_some_and(|&next| "aeiou".contains(base(next))),
        'ĳ' => true,
        _ => false,
    }
}

/// The letter without its accent.
fn base(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ä' => 'a',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' => 'o',
        'ú' | 'ù' | 'û' | 'ü' => 'u',
        'ÿ' => 'y',
        other => other,
    }
}

fn has_diaeresis(c: char) -> bool {
    matches!(c, 'ä' | 'ë' | 'ï' | 'ö' | 'ü' | 'ÿ')
}

fn is_latin_letter(c: char) -> bool {
    c.is_ascii_lowercase() || (('\u{e0}'..='\u{ff}').contains(&c) && c != '÷')
}
