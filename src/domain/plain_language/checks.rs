//! Word- and sentence-level checks: long sentences, long words, jargon and unexplained
//! abbreviations, driven by the word lists.

use std::collections::HashSet;

use super::sentences::{Sentence, Word};
use super::syllables::syllables;
use super::wordlists::{JargonEntry, Variant, WordLists, is_all_caps, lists};
use super::{
    Finding, FindingKind, LONG_WORD_SYLLABLES, SENTENCE_PROBLEM_WORDS, SENTENCE_WARNING_WORDS,
    Severity, Span,
};

/// A term this short matches whole words only, never inside a compound
/// (`nader` is not jargon in `benaderen`).
const MIN_COMPOUND_TERM_CHARS: usize = 6;

/// Endings stripped before looking a word up in the common-word list.
const INFLECTIONS: &[&str] = &["'s", "s", "e", "en", "n", "er", "ere", "ste", "sten"];

/// Runs the checks of this file over every sentence, in text order.
pub(crate) fn run(text: &str, sentences: &[Sentence<'_>]) -> Vec<Finding> {
    let lists = lists();
    let mut findings = Vec::new();
    let mut abbreviations_seen = HashSet::new();
    for sentence in sentences {
        long_sentence(text, sentence, &mut findings);
        let exact_jargon = jargon(
            text,
            sentence,
            lists,
            &mut abbreviations_seen,
            &mut findings,
        );
        long_words(text, sentence, &exact_jargon, lists, &mut findings);
    }
    findings
}

fn long_sentence(text: &str, sentence: &Sentence<'_>, findings: &mut Vec<Finding>) {
    let words = sentence.words.len();
    if words <= SENTENCE_WARNING_WORDS {
        return;
    }
    let severity = if words > SENTENCE_PROBLEM_WORDS {
        Severity::Problem
    } else {
        Severity::Warning
    };
    let raw = &text[sentence.start..sentence.end];
    let span = Span {
        start: sentence.start + (raw.len() - raw.trim_start().len()),
        end: sentence.start + raw.trim_end().len(),
    };
    findings.push(Finding::new(
        FindingKind::LongSentence { words },
        severity,
        text,
        span,
        None,
    ));
}

/// Reports jargon and abbreviations; returns the indices of words that *are* a listed
/// term (not just contain one), which the long-word check then leaves alone.
fn jargon(
    text: &str,
    sentence: &Sentence<'_>,
    lists: &WordLists,
    abbreviations_seen: &mut HashSet<usize>,
    findings: &mut Vec<Finding>,
) -> HashSet<usize> {
    let words = &sentence.words;
    // Phrases first, longest first; a word belongs to at most one phrase.
    let mut phrases: Vec<(usize, usize, &JargonEntry)> = Vec::new();
    for entry in &lists.jargon {
        for phrase in entry.variants.iter().filter_map(|v| match v {
            Variant::Phrase(p) => Some(p),
            Variant::Word(_) => None,
        }) {
            for start in 0..(words.len() + 1).saturating_sub(phrase.len()) {
                let window = &words[start..start + phrase.len()];
                if window.iter().zip(phrase).all(|(w, p)| w.lower == *p) {
                    phrases.push((start, phrase.len(), entry));
                }
            }
        }
    }
    phrases.sort_by_key(|&(start, len, _)| (std::cmp::Reverse(len), start));
    let mut covered = HashSet::new();
    for (start, len, entry) in phrases {
        if (start..start + len).any(|i| covered.contains(&i)) {
            continue;
        }
        covered.extend(start..start + len);
        let span = Span {
            start: words[start].start,
            end: words[start + len - 1].end,
        };
        findings.push(jargon_finding(text, entry, span));
    }
    let mut exact = HashSet::new();
    for (index, word) in words.iter().enumerate() {
        if covered.contains(&index)
            || lists.not_jargon.contains(&word.lower)
            || is_address(&word.lower)
        {
            continue;
        }
        for (entry_index, entry) in lists.jargon.iter().enumerate() {
            if entry.abbreviation
                && is_abbreviation_of(word, entry)
                && abbreviations_seen.insert(entry_index)
                && !explained(text, word, entry)
            {
                findings.push(Finding::new(
                    FindingKind::UnexplainedAbbreviation {
                        abbreviation: entry.term.clone(),
                        explanation: entry.alternative.clone(),
                    },
                    Severity::Problem,
                    text,
                    word_span(word),
                    Some(entry.alternative.clone()),
                ));
            }
        }
        let mut matches: Vec<(usize, usize, bool, &JargonEntry)> = lists
            .jargon
            .iter()
            .filter(|entry| !entry.abbreviation)
            .flat_map(|entry| {
                entry.variants.iter().filter_map(move |v| match v {
                    Variant::Word(term) => {
                        find_in_word(&word.lower, term).map(|(s, e, x)| (s, e, x, entry))
                    }
                    Variant::Phrase(_) => None,
                })
            })
            .collect();
        // Longest match first; a shorter term inside it (participatie in
        // Participatiewet) is not reported again.
        matches.sort_by_key(|&(s, e, _, _)| (std::cmp::Reverse(e - s), s));
        let mut taken: Vec<(usize, usize)> = Vec::new();
        let mut reported: HashSet<&str> = HashSet::new();
        for (s, e, is_exact, entry) in matches {
            if taken.iter().any(|&(ts, te)| s < te && ts < e) || !reported.insert(&entry.term) {
                continue;
            }
            taken.push((s, e));
            if is_exact {
                exact.insert(index);
            }
            findings.push(jargon_finding(text, entry, word_span(word)));
        }
    }
    exact
}

fn jargon_finding(text: &str, entry: &JargonEntry, span: Span) -> Finding {
    Finding::new(
        FindingKind::Jargon {
            term: entry.term.clone(),
            alternative: entry.alternative.clone(),
        },
        Severity::Problem,
        text,
        span,
        Some(entry.alternative.clone()),
    )
}

/// Where a lowercase term occurs in a lowercase word: the whole word, or a part of a
/// compound (`re-integratievoorzieningen`, `uitkeringsbeschikking`). Returns the byte
/// range and whether the whole word is the term.
fn find_in_word(word: &str, term: &str) -> Option<(usize, usize, bool)> {
    if word == term {
        return Some((0, word.len(), true));
    }
    if term.chars().count() < MIN_COMPOUND_TERM_CHARS {
        return None;
    }
    let letters = |s: &str| s.chars().filter(|c| c.is_alphabetic()).count();
    word.match_indices(term).find_map(|(at, _)| {
        let before = &word[..at];
        let after = &word[at + term.len()..];
        let left = before.is_empty() || before.ends_with('-') || letters(before) >= 3;
        let right = after.is_empty() || after.starts_with('-') || letters(after) >= 4;
        (left && right).then_some((at, at + term.len(), false))
    })
}

/// The word, or one of its hyphen-joined parts (`WW-uitkering`), is the abbreviation,
/// in the exact case listed.
fn is_abbreviation_of(word: &Word<'_>, entry: &JargonEntry) -> bool {
    entry.variants.iter().any(|v| match v {
        Variant::Word(form) => word.text == form || word.text.split('-').any(|part| part == form),
        Variant::Phrase(_) => false,
    })
}

/// An abbreviation is explained by parentheses right after it (`UWV (de organisatie …)`),
/// by standing in parentheses itself after the full name (`… gegevensbescherming (AVG)`),
/// or by its spelled-out form earlier in the text.
fn explained(text: &str, word: &Word<'_>, entry: &JargonEntry) -> bool {
    let after = text[word.end..].trim_start();
    let before = text[..word.start].trim_end();
    after.starts_with('(')
        || (before.ends_with('(') && after.starts_with(')'))
        || entry
            .spelled_out
            .as_ref()
            .is_some_and(|full| before.to_lowercase().contains(full.as_str()))
}

fn long_words(
    text: &str,
    sentence: &Sentence<'_>,
    exact_jargon: &HashSet<usize>,
    lists: &WordLists,
    findings: &mut Vec<Finding>,
) {
    for (index, word) in sentence.words.iter().enumerate() {
        let proper_noun = index > 0 && word.text.starts_with(char::is_uppercase);
        let not_a_word = word
            .text
            .chars()
            .any(|c| !(c.is_alphabetic() || c == '-' || c == '\'' || c == '’'));
        if word.syllables < LONG_WORD_SYLLABLES
            || exact_jargon.contains(&index)
            || proper_noun
            || not_a_word
            || is_all_caps(word.text)
            || is_common(&word.lower, lists)
        {
            continue;
        }
        findings.push(Finding::new(
            FindingKind::LongWord {
                syllables: word.syllables,
            },
            Severity::Warning,
            text,
            word_span(word),
            None,
        ));
    }
}

/// On the common-word list, an inflected form of a listed or short word
/// (`uitkeringen`, `belangrijkste`), the `on-` form of one (`onmogelijk`), or a
/// hyphenated word whose parts all are.
fn is_common(lower: &str, lists: &WordLists) -> bool {
    if lower.contains('-') {
        return lower.split('-').all(|part| {
            part.is_empty() || syllables(part) < LONG_WORD_SYLLABLES || is_common(part, lists)
        });
    }
    let known = |base: &str| {
        base.chars().count() >= 3
            && (lists.common.contains(base) || syllables(base) < LONG_WORD_SYLLABLES)
    };
    lists.common.contains(lower)
        || lower.strip_prefix("on").is_some_and(known)
        || INFLECTIONS
            .iter()
            .any(|ending| lower.strip_suffix(ending).is_some_and(known))
}

/// A web or e-mail address: its parts are no words to judge.
fn is_address(lower: &str) -> bool {
    lower.contains("://") || lower.contains('@') || lower.starts_with("www.")
}

fn word_span(word: &Word<'_>) -> Span {
    Span {
        start: word.start,
        end: word.end,
    }
}
