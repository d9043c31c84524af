//! Splits a text into sentences and words, the units every check and the score count.
//! Knows Dutch abbreviations (`bijv.`, `d.w.z.`), numbers (`1.000`, `€ 5,50`), list lines
//! after a colon, and texts without a final stop (option labels).

use super::TextStats;
use super::syllables::syllables;

/// A sentence: its byte range in the text and its words.
#[derive(Clone, Debug)]
pub(crate) struct Sentence<'a> {
    pub start: usize,
    pub end: usize,
    pub words: Vec<Word<'a>>,
}

/// A word: letters and digits, with inner hyphens, dots and apostrophes (`re-integratie`,
/// `1.000`, `zo'n`) but without surrounding punctuation.
#[derive(Clone, Debug)]
pub(crate) struct Word<'a> {
    /// The word as written.
    pub text: &'a str,
    /// Byte offset in the whole text.
    pub start: usize,
    pub end: usize,
    pub lower: String,
    pub syllables: usize,
    /// Punctuation between this word and the next one ends a clause (`, ; : / ( ) –`).
    pub clause_break_after: bool,
}

/// Abbreviations whose full stop does not end a sentence (lowercase, without final stop).
const ABBREVIATIONS: &[&str] = &[
    "a.s", "a.u.b", "afd", "art", "blz", "bv", "bijv", "c.q", "ca", "d.m.v", "d.w.z", "dhr", "dr",
    "drs", "e.a", "e.d", "e.v", "enz", "etc", "evt", "excl", "gem", "i.o.m", "i.p.v", "i.v.m",
    "incl", "ing", "ir", "jl", "jr", "m.b.t", "m.u.v", "max", "min", "mr", "mevr", "mw", "n.a.v",
    "n.v.t", "nl", "nr", "o.a", "o.b.v", "o.v.v", "ong", "p.p", "pag", "prof", "resp", "s.v.p",
    "sr", "st", "t.a.v", "t/m", "tel", "v.a", "vlg", "vs", "z.s.m", "zgn",
];

/// Abbreviations that often close a list, and so a sentence when a capital follows.
const CLOSING_ABBREVIATIONS: &[&str] = &["e.a", "e.d", "e.v", "enz", "etc"];

/// The text's sentences, in order; sentences without words are left out.
pub(crate) fn split(text: &str) -> Vec<Sentence<'_>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut sentences = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        if matches!(c, '.' | '?' | '!' | '…') {
            let mut j = i;
            while j < chars.len() && matches!(chars[j].1, '.' | '?' | '!' | '…') {
                j += 1;
            }
            let run_end = j;
            while j < chars.len() && is_closer(chars[j].1) {
                j += 1;
            }
            let end = chars.get(j).map_or(text.len(), |&(b, _)| b);
            if ends_sentence(text, &chars, start, i, run_end, j) {
                push(text, &mut sentences, start, end);
                start = end;
            }
            i = j.max(i + 1);
            continue;
        }
        if c == '\n' && line_break_ends_sentence(text, at) {
            push(text, &mut sentences, start, at);
            start = at + 1;
        }
        i += 1;
    }
    push(text, &mut sentences, start, text.len());
    sentences
}

/// Counts over a text's sentences.
pub(crate) fn stats(sentences: &[Sentence<'_>]) -> TextStats {
    TextStats {
        sentences: sentences.len(),
        words: sentences.iter().map(|s| s.words.len()).sum(),
        syllables: sentences
            .iter()
            .flat_map(|s| &s.words)
            .map(|w| w.syllables)
            .sum(),
    }
}

fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | '’' | '”' | '»' | ')' | ']')
}

/// Whether the stop run `chars[i..run_end]` (closers up to `after`) ends the sentence
/// that began at byte `start`.
fn ends_sentence(
    text: &str,
    chars: &[(usize, char)],
    start: usize,
    i: usize,
    run_end: usize,
    after: usize,
) -> bool {
    // A stop inside a token (1.000, panel@voorbeeld.nl, ja?nee) ends nothing.
    if after < chars.len() && !chars[after].1.is_whitespace() {
        return false;
    }
    let next_is_capital = next_word_starts_with_capital(chars, after);
    let single_stop = run_end == i + 1 && chars[i].1 == '.';
    if !single_stop {
        // Ellipsis mid-sentence ("ik weet het niet… misschien") goes on in lower case.
        let ellipsis = chars[i..run_end]
            .iter()
            .all(|&(_, c)| matches!(c, '.' | '…'));
        return !ellipsis || after == chars.len() || next_is_capital;
    }
    let token_start = text[..chars[i].0]
        .char_indices()
        .rev()
        .find(|&(_, c)| c.is_whitespace() || c == '(')
        .map_or(0, |(p, c)| p + c.len_utf8())
        .max(start);
    let token = text[token_start..chars[i].0]
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    if ABBREVIATIONS.contains(&token.as_str()) {
        return CLOSING_ABBREVIATIONS.contains(&token.as_str()) && next_is_capital;
    }
    let mut token_chars = token.chars();
    if let (Some(c), None) = (token_chars.next(), token_chars.next()) {
        // An initial: "H. Jansen".
        if c.is_alphabetic() {
            return false;
        }
    }
    // A list number at the start of a sentence: "1. Lees de brief."
    let is_number = !token.is_empty() && token.chars().all(|c| c.is_ascii_digit());
    !(is_number && text[start..token_start].trim().is_empty())
}

fn next_word_starts_with_capital(chars: &[(usize, char)], from: usize) -> bool {
    chars[from..]
        .iter()
        .map(|&(_, c)| c)
        .find(|c| !c.is_whitespace() && !matches!(c, '"' | '\'' | '‘' | '“' | '(' | '«'))
        .is_some_and(char::is_uppercase)
}

/// A line break ends a sentence before a blank line or a capital, after a colon (a list
/// follows), before a list item and after a line not ending in a word; otherwise it is a
/// space inside a wrapped sentence.
fn line_break_ends_sentence(text: &str, at: usize) -> bool {
    let before = text[..at].trim_end();
    let next_line = text[at + 1..].lines().next().unwrap_or("");
    let next = next_line.trim_start();
    before.ends_with(':')
        || next.is_empty()
        || next.starts_with(['-', '*', '•', '–', '·'])
        || starts_with_list_number(next)
        || next.starts_with(char::is_uppercase)
        || !before.ends_with(|c: char| c.is_alphanumeric() || c == ',')
}

fn starts_with_list_number(line: &str) -> bool {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    digits > 0 && line[digits..].starts_with(['.', ')'])
}

fn push<'a>(text: &'a str, sentences: &mut Vec<Sentence<'a>>, start: usize, end: usize) {
    if start >= end {
        return;
    }
    let words = words(text, start, end);
    if !words.is_empty() {
        sentences.push(Sentence { start, end, words });
    }
}

/// The words of `text[start..end]`.
fn words(text: &str, start: usize, end: usize) -> Vec<Word<'_>> {
    let mut words: Vec<Word<'_>> = Vec::new();
    let mut gap_breaks = false;
    let mut offset = start;
    for raw in text[start..end].split_inclusive(char::is_whitespace) {
        let raw_start = offset;
        offset += raw.len();
        let token = raw.trim_end();
        let Some(first) = token.find(char::is_alphanumeric) else {
            gap_breaks |= token.contains([',', ';', ':', '/', '(', ')', '-', '–', '—']);
            continue;
        };
        let last = token
            .char_indices()
            .rev()
            .find(|&(_, c)| c.is_alphanumeric())
            .map_or(first, |(p, c)| p + c.len_utf8());
        let (lead, body, tail) = (&token[..first], &token[first..last], &token[last..]);
        if words.is_empty() && is_list_marker(token) {
            continue;
        }
        if let Some(previous) = words.last_mut() {
            previous.clause_break_after |= gap_breaks || lead.contains(['(', '/', '–', '—']);
        }
        gap_breaks = false;
        let word_start = raw_start + first;
        words.push(Word {
            text: body,
            start: word_start,
            end: word_start + body.len(),
            lower: body.to_lowercase(),
            syllables: syllables(body),
            clause_break_after: tail.contains([',', ';', ':', '/', '(', ')']),
        });
    }
    words
}

/// `1.`, `2)`, `a)` at the start of a sentence number a list; they are not words.
fn is_list_marker(token: &str) -> bool {
    let Some(body) = token.strip_suffix(['.', ')']) else {
        return false;
    };
    let digits = !body.is_empty() && body.len() <= 2 && body.chars().all(|c| c.is_ascii_digit());
    let letter =
        body.len() == 1 && body.chars().all(|c| c.is_ascii_lowercase()) && token.ends_with(')');
    digits || letter
}
