//! Tests: the example sentence, syllables and the score here; each check's edge
//! cases in `checks`, the reference examples in `examples`, properties in `properties`.

mod checks;
mod examples;
mod fixtures;
mod properties;

use super::*;

const BAD: &str = "Indien u gebruikmaakt van re-integratievoorzieningen conform de \
                   Participatiewet, wordt verzocht het formulier middels de antwoordenvelop \
                   te retourneren.";

pub(super) fn kinds(text: &str) -> Vec<FindingKind> {
    check_text(text)
        .findings
        .into_iter()
        .map(|f| f.kind)
        .collect()
}

pub(super) fn has_passive(text: &str) -> bool {
    kinds(text).contains(&FindingKind::PassiveVoice)
}

pub(super) fn has_double_negative(text: &str) -> bool {
    kinds(text).contains(&FindingKind::DoubleNegative)
}

pub(super) fn sentence_words(text: &str) -> Vec<Vec<String>> {
    sentences::split(text)
        .iter()
        .map(|s| s.words.iter().map(|w| w.text.to_owned()).collect())
        .collect()
}

#[test]
fn the_bad_sentence_is_flagged_on_each_problem_with_a_suggestion() {
    let report = check_text(BAD);
    let jargon = |term: &str| {
        report
            .findings
            .iter()
            .find(|f| matches!(&f.kind, FindingKind::Jargon { term: t, .. } if t == term))
    };
    for (term, excerpt, alternative) in [
        ("indien", "Indien", "als"),
        (
            "re-integratie",
            "re-integratievoorzieningen",
            "weer aan het werk gaan",
        ),
        ("conform", "conform", "volgens"),
        (
            "Participatiewet",
            "Participatiewet",
            "de wet voor mensen die bijstand krijgen (leg uit)",
        ),
        ("middels", "middels", "met"),
        ("retourneren", "retourneren", "terugsturen"),
    ] {
        let finding = jargon(term).unwrap_or_else(|| panic!("no jargon finding for {term}"));
        assert_eq!(finding.excerpt, excerpt);
        assert_eq!(finding.severity, Severity::Problem);
        assert_eq!(finding.suggestion.as_deref(), Some(alternative));
        assert_eq!(&BAD[finding.span.start..finding.span.end], excerpt);
    }

    let passive = report
        .findings
        .iter()
        .find(|f| f.kind == FindingKind::PassiveVoice)
        .expect("passive voice");
    assert_eq!(passive.excerpt, "wordt verzocht");
    assert_eq!(passive.severity, Severity::Warning);
    assert_eq!(passive.suggestion.as_deref(), Some("Wij vragen u …"));

    let long_words: Vec<(&str, &FindingKind)> = report
        .findings
        .iter()
        .filter(|f| matches!(f.kind, FindingKind::LongWord { .. }))
        .map(|f| (f.excerpt.as_str(), &f.kind))
        .collect();
    assert_eq!(
        long_words,
        [
            (
                "re-integratievoorzieningen",
                &FindingKind::LongWord { syllables: 9 }
            ),
            ("antwoordenvelop", &FindingKind::LongWord { syllables: 5 }),
        ]
    );

    // 17 words: over 15 (warning), not over 20 (problem).
    let sentence = report
        .findings
        .iter()
        .find(|f| matches!(f.kind, FindingKind::LongSentence { .. }))
        .expect("long sentence");
    assert_eq!(sentence.kind, FindingKind::LongSentence { words: 17 });
    assert_eq!(sentence.severity, Severity::Warning);
    assert_eq!(sentence.excerpt, BAD);

    // Every finding carries advice: data-driven kinds a Dutch replacement, all a message.
    for finding in &report.findings {
        assert!(finding.message_key.starts_with("b1."), "{finding:?}");
        if matches!(
            finding.kind,
            FindingKind::Jargon { .. } | FindingKind::PassiveVoice
        ) {
            assert!(finding.suggestion.is_some(), "{finding:?}");
        }
    }
    assert_eq!(
        report.stats,
        TextStats {
            sentences: 1,
            words: 17,
            syllables: 45
        }
    );
    assert_eq!(
        report.findings[0].message_params(),
        [
            ("excerpt", "Indien".to_owned()),
            ("term", "indien".to_owned()),
            ("alternative", "als".to_owned()),
        ]
    );
}

#[test]
fn syllable_counts() {
    assert!(syllables::dictionary_loaded());
    for (word, expected) in [
        ("ervaringsdeskundigheid", 7),
        ("uitkering", 3),
        ("dagbesteding", 4),
        ("vragenlijst", 3),
        ("idee", 2),
        ("olie", 2),
        ("ziekte", 2),
        ("ondersteuning", 4),
        ("mooie", 2),
        ("ideeën", 3),
        ("overheid", 3),
        ("rijksoverheid", 4),
        ("diagnose", 4),
        ("museum", 3),
        ("geïnteresseerd", 5),
        ("één", 1),
        ("nieuwe", 2),
        ("cadeau", 2),
        ("enquête", 3),
        ("Participatiewet", 6),
        ("re-integratievoorzieningen", 9),
        ("Noord-Holland", 3),
        ("2026", 1),
        ("UWV", 1),
        ("—", 0),
        ("", 0),
    ] {
        assert_eq!(syllables(word), expected, "{word}");
    }
}

#[test]
fn flesch_douma_by_hand() {
    // Wij(1) wer-ken(2) sa-men(2) met(1) de(1) ge-meen-te(3): 6 words, 10 syllables.
    // 206.835 − 0.93 × 6 − 77 × 10/6 = 72.92
    assert_eq!(flesch_douma(6, 1, 10), 72.9);
    let text = "Wij werken samen met de gemeente. ".repeat(4);
    let report = check_text(&text);
    assert_eq!(
        report.stats,
        TextStats {
            sentences: 4,
            words: 24,
            syllables: 40
        }
    );
    let score = report.score.expect("24 words get a score");
    assert_eq!(score.flesch_douma, 72.9);
    assert_eq!(score.band, Band::FairlyEasy);
    assert!(score.b1_or_easier);
    assert_eq!(check_text("Ja").score, None);
    assert!(flesch_douma(0, 0, 0).is_finite());
}

#[test]
fn bands_follow_douma() {
    assert_eq!(Band::for_score(128.9), Band::VeryEasy);
    assert_eq!(Band::for_score(70.0), Band::FairlyEasy);
    assert_eq!(Band::for_score(60.0), Band::Normal);
    assert_eq!(Band::for_score(59.9), Band::FairlyDifficult);
    assert_eq!(Band::for_score(-20.0), Band::VeryDifficult);
    assert!(Band::Normal.is_b1_or_easier());
    assert!(!Band::FairlyDifficult.is_b1_or_easier());
}

#[test]
fn a_questionnaire_report_adds_up_its_texts() {
    let report = check_texts([
        ("title".to_owned(), "Korte vraag"),
        ("purpose".to_owned(), BAD),
    ]);
    assert_eq!(report.texts[0].at.field, "title");
    assert_eq!(
        report.stats,
        report.texts[0].report.stats + report.texts[1].report.stats
    );
    assert_eq!(
        report.count(Severity::Problem),
        report.texts[1].report.count(Severity::Problem)
    );
    assert!(report.has_problems());
    assert_eq!(
        report.findings().count(),
        report.texts[1].report.findings.len()
    );
}

#[test]
fn serialises_for_the_cli() {
    let json = serde_json::to_value(check_text("Indien u het UWV belt.")).expect("serialises");
    assert_eq!(json["findings"][0]["kind"]["type"], "jargon");
    assert_eq!(json["findings"][0]["severity"], "problem");
    assert_eq!(json["findings"][0]["message_key"], "b1.jargon");
    assert_eq!(
        json["findings"][1]["kind"]["type"],
        "unexplained_abbreviation"
    );
    assert_eq!(json["stats"]["words"], 5);
    assert!(json["score"].is_null());
}
