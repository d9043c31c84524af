//! Edge cases of each check and of sentence splitting.

use super::*;

#[test]
fn sentences_and_words() {
    assert_eq!(
        sentence_words("Neem bijv. de bus, o.a. lijn 5. Dat is d.w.z. goedkoper."),
        [
            vec!["Neem", "bijv", "de", "bus", "o.a", "lijn", "5"],
            vec!["Dat", "is", "d.w.z", "goedkoper"],
        ]
    );
    assert_eq!(
        sentence_words("Het kost € 5,50 of 1.000 euro. Betaalt u dat? Ja!"),
        [
            vec!["Het", "kost", "5,50", "of", "1.000", "euro"],
            vec!["Betaalt", "u", "dat"],
            vec!["Ja"]
        ]
    );
    assert_eq!(
        sentence_words("Denk aan werk, geld etc. Wat vindt u"),
        [
            vec!["Denk", "aan", "werk", "geld", "etc"],
            vec!["Wat", "vindt", "u"]
        ]
    );
    assert_eq!(
        sentence_words("Kies wat past:\n- werk\n- dagbesteding\n1. Ja"),
        [
            vec!["Kies", "wat", "past"],
            vec!["werk"],
            vec!["dagbesteding"],
            vec!["Ja"]
        ]
    );
    assert_eq!(
        sentence_words("Iets anders, namelijk:"),
        [vec!["Iets", "anders", "namelijk"]]
    );
    assert_eq!(
        sentence_words("Mail naar panel@voorbeeld.nl over re-integratie (zo'n vraag) – graag"),
        [vec![
            "Mail",
            "naar",
            "panel@voorbeeld.nl",
            "over",
            "re-integratie",
            "zo'n",
            "vraag",
            "graag"
        ]]
    );
    assert_eq!(
        sentence_words("1 is heel slecht. 10 is heel goed.").len(),
        2
    );
    assert_eq!(sentence_words("  … ?! "), Vec::<Vec<String>>::new());
    // Wide spaces before a stop (found by the property tests).
    assert_eq!(
        sentence_words("\u{a0}. Ja\u{3000}bijv. nee"),
        [vec!["Ja", "bijv", "nee"]]
    );
    assert_eq!(
        check_text("Ik weet het niet… misschien wel. Ja.")
            .stats
            .sentences,
        2
    );
}

#[test]
fn long_sentences_by_word_count() {
    let sentence = |n: usize| format!("{}.", vec!["werk"; n].join(" "));
    let severity = |n: usize| {
        check_text(&sentence(n))
            .findings
            .iter()
            .find(|f| matches!(f.kind, FindingKind::LongSentence { .. }))
            .map(|f| f.severity)
    };
    assert_eq!(severity(15), None);
    assert_eq!(severity(16), Some(Severity::Warning));
    assert_eq!(severity(20), Some(Severity::Warning));
    assert_eq!(severity(21), Some(Severity::Problem));
}

#[test]
fn long_words_skip_common_words_names_and_inflections() {
    let long = |text: &str| -> Vec<String> {
        check_text(text)
            .findings
            .into_iter()
            .filter(|f| matches!(f.kind, FindingKind::LongWord { .. }))
            .map(|f| f.excerpt)
            .collect()
    };
    assert!(long("Uw leidinggevende regelt de ondersteuning bij het ministerie.").is_empty());
    assert!(long("De uitkeringen en de belangrijkste medewerkers.").is_empty());
    assert!(long("Het is onmogelijk. Ik woon in Overijssel.").is_empty());
    assert_eq!(
        long("Ervaringsdeskundigheid telt."),
        ["Ervaringsdeskundigheid"]
    );
    assert_eq!(
        long("Wij bieden arbeidsbemiddeling."),
        ["arbeidsbemiddeling"]
    );
}

#[test]
fn jargon_matches_case_compounds_and_phrases() {
    let terms = |text: &str| -> Vec<String> {
        kinds(text)
            .into_iter()
            .filter_map(|k| match k {
                FindingKind::Jargon { term, .. } => Some(term),
                _ => None,
            })
            .collect()
    };
    assert_eq!(terms("INDIEN u wilt."), ["indien"]);
    assert_eq!(
        terms("Dit staat in uw uitkeringsbeschikking."),
        ["beschikking"]
    );
    assert_eq!(
        terms("Wij betalen dit ten behoeve van u."),
        ["ten behoeve van"]
    );
    assert_eq!(
        terms("U krijgt een Participatiewet-uitkering."),
        ["Participatiewet"]
    );
    // Short terms only as whole words; listed exceptions never.
    assert!(terms("Mijn dochter heeft het reeds gedaan.").contains(&"reeds".to_owned()));
    assert!(!terms("Mijn dochter komt.").contains(&"doch".to_owned()));
    assert!(terms("De indiening van uw aanvraag.").is_empty());
    assert!(
        terms("Zie https://voorbeeld.nl/participatief_onderzoek of mail indien@voorbeeld.nl")
            .is_empty()
    );
}

#[test]
fn abbreviations_only_when_unexplained() {
    let abbreviations = |text: &str| -> Vec<String> {
        kinds(text)
            .into_iter()
            .filter_map(|k| match k {
                FindingKind::UnexplainedAbbreviation { abbreviation, .. } => Some(abbreviation),
                _ => None,
            })
            .collect()
    };
    assert_eq!(abbreviations("Heeft u contact met het UWV?"), ["UWV"]);
    assert_eq!(abbreviations("Het UWV meldt het UWV."), ["UWV"]);
    assert!(abbreviations("Het UWV (de organisatie voor uitkeringen) belt u.").is_empty());
    assert!(
        abbreviations("Volgens de Algemene verordening gegevensbescherming (AVG) mag dat.")
            .is_empty()
    );
    assert!(
        abbreviations("Het Uitvoeringsinstituut Werknemersverzekeringen, het UWV, belt.")
            .is_empty()
    );
    assert_eq!(abbreviations("Ik heb een WW-uitkering."), ["WW"]);
    assert_eq!(abbreviations("Ik heb een pgb."), ["PGB"]);
    // Capitals are case-sensitive: "avg" and "ww" are no abbreviations.
    assert!(abbreviations("De avg was ww.").is_empty());
}

#[test]
fn passive_voice() {
    assert!(has_passive("Het formulier moet worden ingevuld."));
    assert!(has_passive("Het werk is gedaan."));
    assert!(has_passive("Wij sturen de brieven die betaald worden."));
    assert!(has_passive("U werd gebeld door de gemeente."));
    assert!(!has_passive("Ik ben gestopt met werken."));
    assert!(!has_passive("Wat zijn de gevolgen?"));
    assert!(!has_passive("Mijn leven is beter door mijn werk."));
    assert!(!has_passive("Het werk wordt vervelend."));
    assert!(!has_passive("Dit is een groep die zich heeft aangemeld."));
    assert!(!has_passive(
        "Gesprekken zijn belangrijk, net als ervaringen van mensen worden."
    ));
    assert!(!has_passive(
        "Het wordt misschien beter, omdat het volgend jaar anders wordt."
    ));
    assert!(!has_passive("Ik heb zelf psychische klachten (gehad)."));
}

#[test]
fn double_negatives() {
    let report = check_text("Het is niet onmogelijk.");
    let finding = &report.findings[0];
    assert_eq!(finding.kind, FindingKind::DoubleNegative);
    assert_eq!(finding.severity, Severity::Problem);
    assert_eq!(finding.excerpt, "niet onmogelijk");
    assert_eq!(finding.suggestion.as_deref(), Some("mogelijk"));
    assert!(has_double_negative("Ik ben niet ontevreden."));
    assert!(has_double_negative("Ik heb nooit geen geld."));
    assert!(has_double_negative(
        "Ik denk niet dat ik geen hulp nodig heb."
    ));
    assert!(!has_double_negative(
        "Ik heb geen werk en ik wil niet werken."
    ));
    assert!(!has_double_negative("Weet ik niet / geen mening"));
    assert!(!has_double_negative("Niet eens en niet oneens"));
    assert!(!has_double_negative("Niet tevreden, niet ontevreden"));
    assert!(!has_double_negative("Ik heb het niet ontvangen."));
    assert!(!has_double_negative("Ik ben niet onder behandeling."));
}

#[test]
fn word_lists_are_clean() {
    assert_eq!(wordlists::errors(), &[]);
    let lists = wordlists::lists();
    assert!(lists.jargon.len() >= 80, "{} entries", lists.jargon.len());
    for word in &lists.common {
        assert!(
            syllables(word) >= LONG_WORD_SYLLABLES,
            "{word} is short anyway"
        );
    }
    for entry in lists.jargon.iter().filter(|e| e.abbreviation) {
        assert!(
            entry.spelled_out.is_some(),
            "{} needs its full name",
            entry.term
        );
    }
    for participle in lists.active.keys() {
        assert!(
            has_passive(&format!("Het wordt {participle}.")),
            "{participle}"
        );
    }
}
