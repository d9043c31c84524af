//! The Flesch–Douma readability score and its bands.
//!
//! Douma (1960) adapted Flesch's reading ease to Dutch:
//! `206.835 − 0.93 × (words / sentences) − 77 × (syllables / words)`.
//! The bands are Douma's own norm table, as reprinted in *Taalbeheersing* (1977, dbnl.org
//! `_taa014197701_01_0089`): 0–30 very difficult (university), 30–45 difficult (hbs),
//! 45–60 fairly difficult (mulo), 60–70 normal (7th class primary / vglo), 70–80 fairly
//! easy, 80–90 easy, 90–100 very easy (4th class primary). nl.wikipedia "Leesbaarheid"
//! gives the same cut at 60 ("60–70: lager middelbaar onderwijs").
//!
//! B1 is a reader's level (CEFR), not a text measure, and a formula sees only word and
//! sentence length. Texts for B1 readers are usually placed at the end of primary school
//! or lower secondary school, which is Douma's "normal" band: so a score of 60 or more is
//! taken as *roughly* B1 or easier ([`Band::is_b1_or_easier`]). Use it as a signal next to
//! the findings, never alone.

use serde::Serialize;

use super::TextStats;

/// Below this many words a text gets no score: Flesch formulas are meant for samples
/// of 100 words, and under 20 words one long word moves the score by more than 10 points
/// (77 × 3 / 20 ≈ 11.6 for a word of four syllables instead of one), a whole band.
pub const MIN_WORDS_FOR_SCORE: usize = 20;

/// Readability of a text.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Readability {
    /// The Flesch–Douma score; higher is easier. Short, simple texts go above 100.
    pub flesch_douma: f64,
    /// Douma's band for the score.
    pub band: Band,
    /// Whether the band is roughly B1 or easier (see [`Band::is_b1_or_easier`]).
    pub b1_or_easier: bool,
}

impl Readability {
    /// The score for these counts; `None` below [`MIN_WORDS_FOR_SCORE`] words.
    pub fn from_stats(stats: &TextStats) -> Option<Readability> {
        if stats.words < MIN_WORDS_FOR_SCORE {
            return None;
        }
        let score = flesch_douma(stats.words, stats.sentences, stats.syllables);
        let band = Band::for_score(score);
        Some(Readability {
            flesch_douma: score,
            band,
            b1_or_easier: band.is_b1_or_easier(),
        })
    }
}

/// `206.835 − 0.93 × (words / sentences) − 77 × (syllables / words)`, rounded to one
/// decimal. Zero counts are taken as one, so the result is always finite.
pub fn flesch_douma(words: usize, sentences: usize, syllables: usize) -> f64 {
    let words = words.max(1) as f64;
    let sentences = sentences.max(1) as f64;
    let syllables = syllables as f64;
    let score = 206.835 - 0.93 * (words / sentences) - 77.0 * (syllables / words);
    (score * 10.0).round() / 10.0
}

/// Douma's bands, easiest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    /// 90 and up.
    VeryEasy,
    /// 80 to 90.
    Easy,
    /// 70 to 80.
    FairlyEasy,
    /// 60 to 70: roughly B1.
    Normal,
    /// 45 to 60.
    FairlyDifficult,
    /// 30 to 45.
    Difficult,
    /// Below 30.
    VeryDifficult,
}

impl Band {
    /// The band a score falls in; a band includes its lower bound.
    pub fn for_score(score: f64) -> Band {
        match score {
            s if s >= 90.0 => Band::VeryEasy,
            s if s >= 80.0 => Band::Easy,
            s if s >= 70.0 => Band::FairlyEasy,
            s if s >= 60.0 => Band::Normal,
            s if s >= 45.0 => Band::FairlyDifficult,
            s if s >= 30.0 => Band::Difficult,
            _ => Band::VeryDifficult,
        }
    }

    /// Roughly B1 or easier: [`Band::Normal`] (60+) and every easier band.
    pub fn is_b1_or_easier(self) -> bool {
        self <= Band::Normal
    }

    /// The i18n key of the band's name, e.g. `b1.band.normal`.
    pub fn message_key(self) -> &'static str {
        match self {
            Band::VeryEasy => "b1.band.very_easy",
            Band::Easy => "b1.band.easy",
            Band::FairlyEasy => "b1.band.fairly_easy",
            Band::Normal => "b1.band.normal",
            Band::FairlyDifficult => "b1.band.fairly_difficult",
            Band::Difficult => "b1.band.difficult",
            Band::VeryDifficult => "b1.band.very_difficult",
        }
    }
}
