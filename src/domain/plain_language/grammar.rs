//! Clause-level checks: passive voice and double negatives. A clause is a stretch of a
//! sentence between punctuation (`, ; : / ( )`) and the coordinators `en of maar want dus
//! noch`; subordinate clauses stay with their main clause, because "Ik weet niet of …"
//! is joined by `of` but "Ik denk niet dat ik geen …" is one confusing thought.

use super::sentences::{Sentence, Word};
use super::wordlists::lists;
use super::{Finding, FindingKind, Severity, Span};

/// Auxiliaries that with a past participle are always passive.
const PASSIVE_AUXILIARIES: &[&str] = &["wordt", "worden", "werd", "werden"];
/// Auxiliaries that with a past participle are passive unless the verb takes `zijn`
/// (`is gestopt`, `is gegaan`): only `ge-` participles count after these, and a
/// participle with a particle only when it ends in `d` or `t` (`is ingevuld`, not
/// `is toegenomen`).
const STATE_AUXILIARIES: &[&str] = &["is", "zijn", "was", "waren"];
/// Separable particles before `ge-` in a participle: `ingevuld`, `teruggestuurd`.
const PARTICLES: &[&str] = &[
    "aan", "achter", "af", "bij", "binnen", "buiten", "dicht", "door", "in", "los", "mee", "na",
    "neer", "om", "onder", "op", "open", "over", "rond", "samen", "tegen", "terug", "thuis", "toe",
    "uit", "vast", "voor", "vrij", "weg",
];
/// Unstressed prefixes that replace `ge-`: `verzocht`, `betaald`, `ontvangen`,
/// `ondersteund`. Not `door`, `om`, `mis`, `vol`: `doordat`, `omdat`, `misschien`, `volgend`.
const PREFIXES: &[&str] = &["achter", "be", "er", "her", "ont", "onder", "over", "ver"];
/// Words shaped like participles that are nouns, adjectives, infinitives (`gebruiken`)
/// or verbs that take `zijn`.
#[rustfmt::skip]
const NOT_PASSIVE: &[&str] = &[
    "afgestudeerd", "bekend", "beleid", "bericht", "beslissend", "bestand",
    "bevredigend", "bezit", "gebed", "gebeurd", "gebeuren", "gebied", "gebieden",
    "gebit", "gebleken", "gebleven", "gebod", "geboren", "gebouwen", "gebruiken",
    "gedaald", "gedachten", "gedicht", "geduld", "gegaan", "gegroeid", "gehad",
    "gehandicapt", "gehecht", "geheimen", "geheugen", "gekomen", "gelden", "geleden",
    "gelegen", "geliefd", "gelopen", "geloven", "geluid", "geluiden", "gelukt",
    "gemiddeld", "gemoed", "gemotiveerd", "genezen", "genieten", "genot", "gepast",
    "gerecht", "gerechtigd", "gereden", "gereisd", "gerust", "geschikt", "geschrift",
    "geslaagd", "gesprekken", "gestart", "gestegen", "gestopt", "gestorven", "getrouwd",
    "gevallen", "gevecht", "geven", "gevlogen", "gevlucht", "gevolgen", "geweest",
    "gewend", "gewicht", "gewond", "gewoon", "geworden", "gezakt", "gezicht", "gezin",
    "gezinnen", "gezond", "geïnteresseerd", "geïsoleerd", "ontspannend", "opgegroeid",
    "opgeknapt", "overgestapt", "overzicht", "spannend", "teleurstellend", "verband",
    "verbod", "verkeerd", "verleden", "vermoeiend", "verrassend", "verstand",
    "vertrouwen", "vervelend", "verwarrend", "voldoende",
];
/// Words before a noun: what follows them is not a participle ("Wat zijn de gevolgen?",
/// "via gemeenten"). Not `die`/`dat`, which also start a clause ("die betaald worden"),
/// nor prepositions that split off `er` ("er wordt naar gekeken").
const DETERMINERS: &[&str] = &[
    "alle", "binnen", "de", "deze", "dit", "een", "elke", "geen", "haar", "het", "hun", "ieder",
    "jullie", "met", "mijn", "ons", "onze", "per", "sinds", "tijdens", "tot", "tussen", "uw",
    "vanuit", "veel", "via", "volgens", "welke", "zijn", "zonder",
];
/// Words that start a subordinate clause or bring their own participle: the search
/// for an auxiliary's participle stops at them ("is een groep die zich heeft aangemeld").
const STOPS: &[&str] = &[
    "als", "dat", "die", "had", "hadden", "heb", "hebben", "hebt", "heeft", "hoe", "omdat",
    "terwijl", "waar", "waarin", "waarmee", "wanneer", "wat", "welke", "wie", "zodat",
];
/// Words that negate.
const NEGATIONS: &[&str] = &[
    "geen", "geeneens", "nergens", "niemand", "niet", "niets", "nimmer", "nooit",
];
/// Words joining clauses.
const COORDINATORS: &[&str] = &["en", "of", "maar", "want", "dus", "noch"];
/// Words starting with `on` that do not negate.
const NOT_NEGATED: &[&str] = &[
    "ondanks",
    "oneindig",
    "ongeluk",
    "ongelukken",
    "ongeveer",
    "onkosten",
    "onlangs",
    "online",
    "onmiddellijk",
    "onszelf",
    "onweer",
    "onzin",
];

/// Runs the checks of this file over every sentence.
pub(crate) fn run(text: &str, sentences: &[Sentence<'_>]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for sentence in sentences {
        let clauses = clauses(&sentence.words);
        for clause in &clauses {
            passive(text, clause, &mut findings);
        }
        if !is_neutral_midpoint(&clauses) {
            for clause in &clauses {
                double_negative(text, clause, &mut findings);
            }
        }
    }
    findings
}

/// The sentence's clauses, without the coordinators between them.
fn clauses<'s, 'a>(words: &'s [Word<'a>]) -> Vec<&'s [Word<'a>]> {
    let mut clauses = Vec::new();
    let mut start = 0;
    for (i, word) in words.iter().enumerate() {
        if COORDINATORS.contains(&word.lower.as_str()) {
            clauses.push(&words[start..i]);
            start = i + 1;
        } else if word.clause_break_after {
            clauses.push(&words[start..=i]);
            start = i + 1;
        }
    }
    clauses.push(&words[start..]);
    clauses.retain(|c| !c.is_empty());
    clauses
}

/// One finding per auxiliary that has a participle in its clause.
fn passive(text: &str, clause: &[Word<'_>], findings: &mut Vec<Finding>) {
    for (i, aux) in clause.iter().enumerate() {
        let strong = PASSIVE_AUXILIARIES.contains(&aux.lower.as_str());
        if !strong && !STATE_AUXILIARIES.contains(&aux.lower.as_str()) {
            continue;
        }
        // The nearest participle, after the auxiliary first ("wordt verzocht"), else
        // before it ("die betaald worden"), not past a clause of its own; a word that
        // opens the clause before the auxiliary is its subject ("Gesprekken zijn …").
        let after = (i + 1..clause.len()).take_while(|&j| !is_stop(&clause[j]));
        let before = (1..i).rev().take_while(|&j| !is_stop(&clause[j]));
        let Some(j) = after.chain(before).find(|&j| {
            let after_determiner =
                j > 0 && j - 1 != i && DETERMINERS.contains(&clause[j - 1].lower.as_str());
            !after_determiner && is_participle(&clause[j].lower, strong)
        }) else {
            continue;
        };
        let (first, last) = if j > i {
            (aux, &clause[j])
        } else {
            (&clause[j], aux)
        };
        let participle = &clause[j].lower;
        findings.push(Finding::new(
            FindingKind::PassiveVoice,
            Severity::Warning,
            text,
            Span {
                start: first.start,
                end: last.end,
            },
            lists().active.get(participle).cloned(),
        ));
    }
}

fn is_stop(word: &Word<'_>) -> bool {
    STOPS.contains(&word.lower.as_str())
}

/// Shaped like a past participle: `ge…d/t/n`, particle + `ge…`, and after
/// `wordt/worden/werd/werden` also `be-/er-/her-/ont-/ver-…d/t/en`. Minus [`NOT_PASSIVE`].
fn is_participle(word: &str, after_passive_auxiliary: bool) -> bool {
    let noun_or_adjective = ["heid", "ende", "ing", "ingen"]
        .iter()
        .any(|ending| word.ends_with(ending));
    if noun_or_adjective || NOT_PASSIVE.contains(&word) {
        return false;
    }
    let shaped = |w: &str, prefix: &str, endings: &[&str]| {
        w.strip_prefix(prefix).is_some_and(|rest| {
            rest.chars().count() >= 3 && endings.iter().any(|e| rest.ends_with(e))
        })
    };
    // `gedaan`, `betaald`; with a particle in front: `ingevuld`, `uitbetaald`.
    let core = |w: &str, ge_endings: &[&str]| {
        shaped(w, "ge", ge_endings)
            || (after_passive_auxiliary && PREFIXES.iter().any(|p| shaped(w, p, &["d", "t", "en"])))
    };
    let particle_endings: &[&str] = if after_passive_auxiliary {
        &["d", "t", "n"]
    } else {
        &["d", "t"]
    };
    core(word, &["d", "t", "n"])
        || PARTICLES.iter().any(|p| {
            word.strip_prefix(p)
                .is_some_and(|rest| core(rest, particle_endings))
        })
}

/// `niet … geen`, `nooit … niets`, `niet onmogelijk`: one finding per clause.
fn double_negative(text: &str, clause: &[Word<'_>], findings: &mut Vec<Finding>) {
    let negations: Vec<&Word<'_>> = clause
        .iter()
        .filter(|w| NEGATIONS.contains(&w.lower.as_str()))
        .collect();
    let negated: Vec<&Word<'_>> = clause
        .iter()
        .filter(|w| is_negated_word(&w.lower))
        .collect();
    let involved: Vec<&Word<'_>> = if negations.len() >= 2 {
        negations.clone()
    } else if !negations.is_empty() && !negated.is_empty() {
        negations.iter().chain(&negated).copied().collect()
    } else {
        return;
    };
    let start = involved.iter().map(|w| w.start).min().unwrap_or_default();
    let end = involved.iter().map(|w| w.end).max().unwrap_or_default();
    // "niet onmogelijk" says "mogelijk"; with two plain negations there is no one word.
    let suggestion = (negations.len() == 1 && negated.len() == 1)
        .then(|| negated[0].lower["on".len()..].to_owned());
    findings.push(Finding::new(
        FindingKind::DoubleNegative,
        Severity::Problem,
        text,
        Span { start, end },
        suggestion,
    ));
}

/// A word negated with `on-`: `onmogelijk`, `oneens`, `ontevreden` (not `ontvangen`,
/// `onderzoek`, `ons`, `ongeveer`). `ont` before a consonant is the prefix `ont-`.
fn is_negated_word(word: &str) -> bool {
    word.strip_prefix("on").is_some_and(|rest| {
        let mut chars = rest.chars();
        let ont_prefix =
            chars.next() == Some('t') && chars.next().is_some_and(|c| !"aeiou".contains(c));
        rest.chars().count() >= 3
            && !ont_prefix
            && !rest.starts_with("der")
            && !NOT_NEGATED.contains(&word)
    })
}

/// A scale's middle label: "Niet eens en niet oneens", "Niet tevreden, niet ontevreden".
/// Two clauses, both starting with `niet`, the same but for one word and its `on-` form.
fn is_neutral_midpoint(clauses: &[&[Word<'_>]]) -> bool {
    let [left, right] = clauses else {
        return false;
    };
    if left.len() != right.len() || left.first().is_none_or(|w| w.lower != "niet") {
        return false;
    }
    if right[0].lower != "niet" {
        return false;
    }
    let differing: Vec<(&str, &str)> = left
        .iter()
        .zip(right.iter())
        .map(|(l, r)| (l.lower.as_str(), r.lower.as_str()))
        .filter(|(l, r)| l != r)
        .collect();
    matches!(differing[..], [(l, r)] if r.strip_prefix("on") == Some(l) || l.strip_prefix("on") == Some(r))
}
