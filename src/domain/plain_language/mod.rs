//! Plain-language (B1) check for Dutch questionnaire texts: long sentences, long words,
//! jargon, unexplained abbreviations, passive voice, double negatives and a Flesch–Douma score.
//!
//! Pure domain code: no I/O. The word lists are data files next to this module
//! (`common_words.txt`, `jargon.tsv`, `active_voice.tsv`), embedded at build time, so
//! editors change them without touching code. Messages for people live in the i18n
//! files under the `b1.*` keys: a [`Finding`] carries its key ([`Finding::message_key`]) and
//! the parameters (the fields of its [`FindingKind`] plus `excerpt`), never a sentence.
//!
//! [`Finding::suggestion`] holds only *data*: Dutch replacement text for the questionnaire
//! (a jargon alternative, an abbreviation's explanation, an active rewrite of a known
//! passive verb, the positive form of `niet on…`). Generic advice ("make two sentences",
//! "say who does it") is part of the message behind the key, in the reader's UI language.
//!
//! Checks are heuristics that err on the side of silence for problems: a false
//! problem would block a good questionnaire, a missed one only costs a warning's worth.

mod checks;
mod grammar;
mod readability;
mod sentences;
mod syllables;
mod wordlists;

#[cfg(test)]
mod tests;

use serde::Serialize;

pub use readability::{Band, MIN_WORDS_FOR_SCORE, Readability, flesch_douma};
pub use syllables::syllables;

/// A sentence with more words than this gets a [`Severity::Warning`].
pub const SENTENCE_WARNING_WORDS: usize = 15;
/// A sentence with more words than this gets a [`Severity::Problem`].
pub const SENTENCE_PROBLEM_WORDS: usize = 20;
/// Words with at least this many syllables are long, unless they are common.
pub const LONG_WORD_SYLLABLES: usize = 4;

/// Where a checked text sits in its questionnaire.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TextRef {
    /// JSON-path-like location, e.g. `questions[2].help` or `questions[0].options[1].label`.
    pub field: String,
}

impl From<String> for TextRef {
    fn from(field: String) -> Self {
        TextRef { field }
    }
}

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth a look; the text may stay as it is.
    Warning,
    /// Not B1: rewrite before the questionnaire goes out.
    Problem,
}

/// What a finding is about, with the facts its message needs.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FindingKind {
    /// A sentence over [`SENTENCE_WARNING_WORDS`] words.
    LongSentence {
        /// Words in the sentence.
        words: usize,
    },
    /// A word of [`LONG_WORD_SYLLABLES`] or more syllables that is not on the common-word list.
    LongWord {
        /// Syllables in the word.
        syllables: usize,
    },
    /// A word or phrase from the jargon list.
    Jargon {
        /// The listed term (the word found may be a compound or form of it: see `excerpt`).
        term: String,
        /// The plain alternative from the list.
        alternative: String,
    },
    /// An abbreviation from the list, used without explanation in this text.
    UnexplainedAbbreviation {
        /// The abbreviation as listed.
        abbreviation: String,
        /// A plain explanation to add.
        explanation: String,
    },
    /// `wordt/worden/werd/werden/is/zijn/was/waren` with a past participle.
    PassiveVoice,
    /// Two negations in one clause (`niet … geen`, `niet onmogelijk`).
    DoubleNegative,
}

impl FindingKind {
    /// The i18n key of the message for this kind; its parameters are this kind's fields
    /// and the finding's `excerpt`.
    pub fn message_key(&self) -> &'static str {
        match self {
            FindingKind::LongSentence { .. } => "b1.long_sentence",
            FindingKind::LongWord { .. } => "b1.long_word",
            FindingKind::Jargon { .. } => "b1.jargon",
            FindingKind::UnexplainedAbbreviation { .. } => "b1.unexplained_abbreviation",
            FindingKind::PassiveVoice => "b1.passive_voice",
            FindingKind::DoubleNegative => "b1.double_negative",
        }
    }
}

/// Byte range of a finding's excerpt in the checked text, for highlighting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// One thing in a text that is not plain language.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    /// What was found.
    pub kind: FindingKind,
    /// How serious it is.
    pub severity: Severity,
    /// The word, phrase or sentence as it stands in the text.
    pub excerpt: String,
    /// Where the excerpt is in the text.
    pub span: Span,
    /// Dutch replacement text from the word lists, where there is one (see the module doc).
    pub suggestion: Option<String>,
    /// The i18n key of the message (same as [`FindingKind::message_key`]).
    pub message_key: &'static str,
}

impl Finding {
    /// The parameters of the message behind [`Finding::message_key`], by name: `excerpt`
    /// and the fields of [`FindingKind`]. With the main crate's i18n:
    /// `tf(lang, f.message_key, &params.iter().map(|(k, v)| (*k, v as &dyn Display)).collect::<Vec<_>>())`.
    pub fn message_params(&self) -> Vec<(&'static str, String)> {
        let mut params = vec![("excerpt", self.excerpt.clone())];
        match &self.kind {
            FindingKind::LongSentence { words } => params.push(("words", words.to_string())),
            FindingKind::LongWord { syllables } => {
                params.push(("syllables", syllables.to_string()));
            }
            FindingKind::Jargon { term, alternative } => {
                params.push(("term", term.clone()));
                params.push(("alternative", alternative.clone()));
            }
            FindingKind::UnexplainedAbbreviation {
                abbreviation,
                explanation,
            } => {
                params.push(("abbreviation", abbreviation.clone()));
                params.push(("explanation", explanation.clone()));
            }
            FindingKind::PassiveVoice | FindingKind::DoubleNegative => {}
        }
        params
    }

    fn new(
        kind: FindingKind,
        severity: Severity,
        text: &str,
        span: Span,
        suggestion: Option<String>,
    ) -> Self {
        let message_key = kind.message_key();
        Finding {
            kind,
            severity,
            excerpt: text
                .get(span.start..span.end)
                .unwrap_or_default()
                .to_owned(),
            span,
            suggestion,
            message_key,
        }
    }
}

/// Counts the readability score is computed from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct TextStats {
    /// Sentences with at least one word (a label without a full stop counts as one).
    pub sentences: usize,
    /// Words; a hyphenated word is one word, punctuation is not a word.
    pub words: usize,
    /// Syllables of all words (see [`syllables`]).
    pub syllables: usize,
}

impl std::ops::Add for TextStats {
    type Output = TextStats;

    fn add(self, other: TextStats) -> TextStats {
        TextStats {
            sentences: self.sentences + other.sentences,
            words: self.words + other.words,
            syllables: self.syllables + other.syllables,
        }
    }
}

/// The check of one text.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TextReport {
    /// Findings in the order they occur in the text.
    pub findings: Vec<Finding>,
    /// Counts behind the score.
    pub stats: TextStats,
    /// Flesch–Douma score; `None` below [`MIN_WORDS_FOR_SCORE`] words.
    pub score: Option<Readability>,
}

impl TextReport {
    /// How many findings have this severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }
}

/// One text of a questionnaire with its check.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CheckedText {
    /// Where the text is.
    #[serde(flatten)]
    pub at: TextRef,
    /// What the check found.
    #[serde(flatten)]
    pub report: TextReport,
}

/// The check of a whole questionnaire.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// Every text, in the order given.
    pub texts: Vec<CheckedText>,
    /// Counts over all texts together.
    pub stats: TextStats,
    /// Score over all texts together; `None` below [`MIN_WORDS_FOR_SCORE`] words in total.
    pub score: Option<Readability>,
}

impl Report {
    /// All findings with the text they are in.
    pub fn findings(&self) -> impl Iterator<Item = (&TextRef, &Finding)> {
        self.texts
            .iter()
            .flat_map(|t| t.report.findings.iter().map(move |f| (&t.at, f)))
    }

    /// How many findings have this severity, over all texts.
    pub fn count(&self, severity: Severity) -> usize {
        self.texts.iter().map(|t| t.report.count(severity)).sum()
    }

    /// Whether any text has a [`Severity::Problem`].
    pub fn has_problems(&self) -> bool {
        self.count(Severity::Problem) > 0
    }
}

/// Checks one text: findings, counts and (for texts long enough) a readability score.
pub fn check_text(text: &str) -> TextReport {
    let sentences = sentences::split(text);
    let stats = sentences::stats(&sentences);
    let mut findings = checks::run(text, &sentences);
    findings.extend(grammar::run(text, &sentences));
    // Stable sort: findings at the same place keep the order the checks produced.
    findings.sort_by_key(|f| f.span);
    TextReport {
        findings,
        stats,
        score: Readability::from_stats(&stats),
    }
}

/// Checks every text of a questionnaire, given as (path, text) pairs. The overall score
/// counts all texts as one: short labels count as short sentences, as a reader meets them.
pub fn check_texts<'a>(texts: impl IntoIterator<Item = (String, &'a str)>) -> Report {
    let texts: Vec<CheckedText> = texts
        .into_iter()
        .map(|(field, text)| CheckedText {
            at: TextRef { field },
            report: check_text(text),
        })
        .collect();
    let stats = texts
        .iter()
        .fold(TextStats::default(), |sum, t| sum + t.report.stats);
    Report {
        texts,
        stats,
        score: Readability::from_stats(&stats),
    }
}
