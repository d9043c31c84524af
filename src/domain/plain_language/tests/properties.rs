//! Property tests: more text never hides a finding, the check is deterministic, and
//! no input makes it panic or produce a score that is not a number.

use proptest::prelude::*;

use super::*;

/// Words that exercise every check: jargon, abbreviations, negations, auxiliaries,
/// participles, abbreviations with stops, numbers, brackets, list marks and line breaks.
const TRICKY: &[&str] = &[
    "indien",
    "Indien",
    "re-integratievoorzieningen",
    "conform",
    "Participatiewet",
    "middels",
    "retourneren",
    "ten",
    "behoeve",
    "van",
    "UWV",
    "(UWV)",
    "WW-uitkering",
    "AVG",
    "(",
    ")",
    "niet",
    "geen",
    "nooit",
    "onmogelijk",
    "oneens",
    "eens",
    "en",
    "of",
    "wordt",
    "worden",
    "is",
    "zijn",
    "verzocht",
    "gedaan",
    "ingevuld",
    "gevolgen",
    "de",
    "bijv.",
    "o.a.",
    "etc.",
    "d.w.z.",
    "1.000",
    "€",
    "5,50",
    "1.",
    "-",
    "–",
    "/",
    ",",
    ".",
    "?",
    "!",
    "…",
    ":",
    "\n",
    "\n\n",
    "\n- ",
    "Ja",
    "ervaringsdeskundigheid",
    "antwoordenvelop",
    "werk",
    "u",
    "ik",
    "Uitvoeringsinstituut",
    "Werknemersverzekeringen",
];

/// Plain words for the appended sentence.
const PLAIN: &[&str] = &[
    "de", "het", "een", "wij", "u", "werk", "huis", "fiets", "groot", "klein", "gaan", "lopen",
    "morgen", "samen", "rustig", "buiten", "koffie", "thee", "brief", "vraag",
];

fn tricky_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (
            prop::sample::select(TRICKY),
            prop::sample::select(&[" ", "", "  "][..]),
        ),
        0..40,
    )
    .prop_map(|parts| {
        parts
            .into_iter()
            .map(|(w, sep)| format!("{w}{sep}"))
            .collect()
    })
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        tricky_text(),
        "[a-zA-Zëï .,?!:()\\-\n]{0,200}"
    ]
}

/// A sentence of exactly 25 words, capitalised and closed with a full stop.
fn sentence_of_25_words() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            prop::sample::select(PLAIN).prop_map(str::to_owned),
            "[a-z]{1,10}"
        ],
        25,
    )
    .prop_map(|words| {
        let sentence = words.join(" ");
        let mut chars = sentence.chars();
        let first = chars.next().map(|c| c.to_uppercase().collect::<String>());
        format!("{}{}.", first.unwrap_or_default(), chars.as_str())
    })
}

proptest! {
    #![proptest_config(crate::proptest_config(300))]

    #[test]
    fn appending_a_25_word_sentence_never_lowers_the_findings(
        text in any_text(),
        sentence in sentence_of_25_words(),
    ) {
        let before = check_text(&text).findings.len();
        let longer = format!("{text} {sentence}");
        let after = check_text(&longer).findings.len();
        prop_assert!(after >= before, "{before} findings became {after}");
        // The appended sentence is long enough to be flagged itself.
        prop_assert!(after > 0);
    }

    #[test]
    fn findings_are_deterministic(text in any_text()) {
        prop_assert_eq!(check_text(&text), check_text(&text));
    }

    #[test]
    fn any_unicode_is_checked_without_panic(text in any::<String>(), word in any::<String>()) {
        let report = check_text(&text);
        for finding in &report.findings {
            prop_assert_eq!(&text[finding.span.start..finding.span.end], finding.excerpt.as_str());
        }
        prop_assert!(syllables(&word) <= word.chars().count());
    }

    #[test]
    fn the_score_is_always_a_number(
        texts in prop::collection::vec(any_text(), 0..6),
        words in any::<usize>(),
        sentences in any::<usize>(),
        syllable_count in any::<usize>(),
    ) {
        prop_assert!(flesch_douma(words, sentences, syllable_count).is_finite());
        let report = check_texts(texts.iter().map(|t| (String::new(), t.as_str())));
        let scores = report.texts.iter().filter_map(|t| t.report.score).chain(report.score);
        for score in scores {
            prop_assert!(score.flesch_douma.is_finite());
        }
    }
}
