//! Coding open answers with themes, after the guide's step 6: order the answers by
//! theme (an answer can have several), see how often each comes back, then write per
//! theme the underlying problem (*onderliggend knelpunt*), the core insight
//! (*kerninzicht*) and what should change. Keyword suggestions are plain word
//! matching in this process; no outside service reads the answers.

use std::collections::{BTreeMap, BTreeSet};

use super::signup::FieldError;

/// The longest theme name, in characters.
pub const MAX_NAME_CHARS: usize = 80;
/// The longest problem, insight or change text, in characters.
pub const MAX_TEXT_CHARS: usize = 2000;
/// The most keywords one theme keeps.
pub const MAX_KEYWORDS: usize = 20;
/// The most themes one survey has: more is no longer an overview.
pub const MAX_THEMES: usize = 50;

/// A theme as the manager writes it, cleaned: trimmed, line breaks made `\n`, keywords
/// in lower case without doubles.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ThemeInput {
    pub name: String,
    pub keywords: Vec<String>,
    /// The underlying problem.
    pub problem: String,
    /// The core insight.
    pub insight: String,
    /// What should change in policy or practice.
    pub change: String,
}

fn clean(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .trim()
        .to_owned()
}

impl ThemeInput {
    pub fn new(name: &str, keywords: &str, problem: &str, insight: &str, change: &str) -> Self {
        Self {
            name: name.split_whitespace().collect::<Vec<_>>().join(" "),
            keywords: parse_keywords(keywords),
            problem: clean(problem),
            insight: clean(insight),
            change: clean(change),
        }
    }

    /// Why the theme cannot be saved. `other_names` are the survey's other themes.
    pub fn problems(&self, other_names: &[&str]) -> Vec<FieldError> {
        let mut out = Vec::new();
        let name_chars = self.name.chars().count();
        if name_chars == 0 {
            out.push(FieldError::new("name", "themes.error.name_empty"));
        } else if name_chars > MAX_NAME_CHARS {
            out.push(FieldError::new("name", "themes.error.name_too_long"));
        } else if other_names
            .iter()
            .any(|n| n.to_lowercase() == self.name.to_lowercase())
        {
            out.push(FieldError::new("name", "themes.error.name_taken"));
        }
        if self.keywords.len() > MAX_KEYWORDS
            || self.keywords.iter().any(|k| k.chars().count() > 40)
        {
            out.push(FieldError::new("keywords", "themes.error.keywords"));
        }
        for (field, text) in [
            ("problem", &self.problem),
            ("insight", &self.insight),
            ("change", &self.change),
        ] {
            if text.chars().count() > MAX_TEXT_CHARS {
                out.push(FieldError::new(field, "themes.error.too_long"));
            }
        }
        out
    }

    /// The keywords as the form shows them.
    pub fn keywords_text(&self) -> String {
        self.keywords.join(", ")
    }
}

/// Keywords from the form: separated by commas, semicolons or new lines; lower case,
/// without doubles, in the order written.
pub fn parse_keywords(text: &str) -> Vec<String> {
    let mut seen = BTreeSet::new();
    text.split([',', ';', '\n'])
        .map(normalise)
        .filter(|k| !k.is_empty())
        .filter(|k| seen.insert(k.clone()))
        .collect()
}

/// Lower case, accents folded (é → e), every run of other characters than letters and
/// digits made one space, trimmed.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = true;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c == '\'' || c == '’' {
            // "café's" is one word.
            continue;
        }
        let c = fold(c);
        if c.is_alphanumeric() {
            out.push(c);
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

fn fold(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' => 'a',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
        'ú' | 'ù' | 'û' | 'ü' => 'u',
        'ý' | 'ÿ' => 'y',
        'ç' => 'c',
        'ñ' => 'n',
        other => other,
    }
}

/// Whether `keyword` (normalised) starts a word of `text` (normalised); a keyword of
/// several words must appear as they are. "inkom" finds "inkomen", not "uitkomst".
pub fn matches(text: &str, keyword: &str) -> bool {
    if keyword.is_empty() {
        return false;
    }
    let mut from = 0;
    while let Some(at) = text[from..].find(keyword) {
        let start = from + at;
        if start == 0 || text[..start].ends_with(' ') {
            return true;
        }
        from = start + keyword.len();
    }
    false
}

/// The themes (by id) whose keywords occur in `answer`, in the order given.
pub fn suggest<'a, Id: Copy>(
    answer: &str,
    themes: impl IntoIterator<Item = (Id, &'a [String])>,
) -> Vec<Id> {
    let text = normalise(answer);
    themes
        .into_iter()
        .filter(|(_, keywords)| keywords.iter().any(|k| matches(&text, &normalise(k))))
        .map(|(id, _)| id)
        .collect()
}

/// Common Dutch and English words that say nothing about a theme.
const STOPWORDS: &[&str] = &[
    "aan",
    "aangezien",
    "al",
    "alle",
    "alleen",
    "als",
    "altijd",
    "ander",
    "andere",
    "ben",
    "bij",
    "daar",
    "daarom",
    "dan",
    "dat",
    "de",
    "deze",
    "die",
    "dit",
    "doe",
    "doen",
    "door",
    "dus",
    "een",
    "eens",
    "eigen",
    "elke",
    "en",
    "er",
    "erg",
    "geen",
    "gaat",
    "gedaan",
    "geven",
    "goed",
    "had",
    "heb",
    "hebben",
    "heeft",
    "hem",
    "het",
    "hier",
    "hij",
    "hoe",
    "hun",
    "ik",
    "in",
    "is",
    "ja",
    "je",
    "jij",
    "kan",
    "kon",
    "kunnen",
    "maar",
    "me",
    "meer",
    "mee",
    "men",
    "met",
    "mij",
    "mijn",
    "moet",
    "moeten",
    "na",
    "naar",
    "nee",
    "niet",
    "niets",
    "nog",
    "nu",
    "of",
    "om",
    "omdat",
    "ons",
    "onze",
    "ook",
    "op",
    "over",
    "te",
    "tegen",
    "toch",
    "toen",
    "tot",
    "u",
    "uit",
    "uw",
    "van",
    "veel",
    "voor",
    "waar",
    "wanneer",
    "want",
    "was",
    "wat",
    "we",
    "wel",
    "werd",
    "wie",
    "wij",
    "wil",
    "word",
    "worden",
    "wordt",
    "zal",
    "ze",
    "zelf",
    "zich",
    "zij",
    "zijn",
    "zo",
    "zoals",
    "zonder",
    "zou",
    "zouden",
    "about",
    "and",
    "are",
    "but",
    "for",
    "have",
    "not",
    "that",
    "the",
    "there",
    "they",
    "this",
    "was",
    "with",
    "you",
    "your",
    "very",
    "what",
    "when",
    "would",
];

/// A word that comes back in the answers, as a candidate theme.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WordSuggestion {
    pub word: String,
    /// How many answers use it.
    pub answers: usize,
}

/// The words that come back most often, by the number of answers that use them (at
/// least two), longest words first on a tie and then alphabetically. Words of fewer than
/// four letters, stop words and words a theme already has as keyword are left out.
pub fn frequent_words<'a>(
    answers: impl IntoIterator<Item = &'a str>,
    known_keywords: &[String],
    limit: usize,
) -> Vec<WordSuggestion> {
    let known: Vec<String> = known_keywords.iter().map(|k| normalise(k)).collect();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for answer in answers {
        let text = normalise(answer);
        let words: BTreeSet<&str> = text
            .split(' ')
            .filter(|w| w.chars().count() >= 4 && !w.chars().all(|c| c.is_ascii_digit()))
            .filter(|w| !STOPWORDS.contains(w))
            .collect();
        for word in words {
            *counts.entry(word.to_owned()).or_default() += 1;
        }
    }
    let mut out: Vec<WordSuggestion> = counts
        .into_iter()
        .filter(|(_, n)| *n >= 2)
        .filter(|(w, _)| !known.iter().any(|k| matches(w, k)))
        .map(|(word, answers)| WordSuggestion { word, answers })
        .collect();
    out.sort_by(|a, b| {
        b.answers
            .cmp(&a.answers)
            .then(b.word.chars().count().cmp(&a.word.chars().count()))
            .then(a.word.cmp(&b.word))
    });
    out.truncate(limit);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_theme_is_cleaned_and_checked() {
        let t = ThemeInput::new(
            "  Onzekerheid   over inkomen ",
            "Inkomen, uitkering;geld\n inkomen ,",
            " Mensen weten niet wat ze overhouden.\r\n",
            "",
            "",
        );
        assert_eq!(t.name, "Onzekerheid over inkomen");
        assert_eq!(t.keywords, ["inkomen", "uitkering", "geld"]);
        assert_eq!(t.keywords_text(), "inkomen, uitkering, geld");
        assert_eq!(t.problem, "Mensen weten niet wat ze overhouden.");
        assert!(t.problems(&["Regels"]).is_empty());
        let taken = t.problems(&["onzekerheid OVER inkomen"]);
        assert_eq!(taken[0].key, "themes.error.name_taken");
        let empty = ThemeInput::new(" ", "", &"x".repeat(MAX_TEXT_CHARS + 1), "", "");
        let keys: Vec<_> = empty
            .problems(&[])
            .iter()
            .map(|e| (e.field.clone(), e.key))
            .collect();
        assert_eq!(
            keys,
            [
                ("name".to_owned(), "themes.error.name_empty"),
                ("problem".to_owned(), "themes.error.too_long"),
            ]
        );
        let long = ThemeInput::new(&"a".repeat(MAX_NAME_CHARS + 1), "", "", "", "");
        assert_eq!(long.problems(&[])[0].key, "themes.error.name_too_long");
        let many: Vec<String> = (0..=MAX_KEYWORDS).map(|i| format!("w{i}")).collect();
        let many = ThemeInput::new("Veel", &many.join(","), "", "", "");
        assert_eq!(many.problems(&[])[0].key, "themes.error.keywords");
    }

    #[test]
    fn normalising_folds_case_accents_and_punctuation() {
        assert_eq!(normalise("  Café's: ÉÉN, twee!! "), "cafes een twee");
        assert_eq!(normalise("re-integratie"), "re integratie");
        assert_eq!(normalise("..."), "");
    }

    #[test]
    fn a_keyword_matches_the_start_of_a_word() {
        let text = normalise("Mijn inkomen is onzeker, de uitkomst ook.");
        assert!(matches(&text, "inkom"));
        assert!(matches(&text, "mijn inkomen"));
        assert!(!matches(&text, "komen"));
        assert!(!matches(&text, "komst"));
        assert!(matches(&text, "uitkomst"));
        assert!(!matches(&text, ""));
    }

    #[test]
    fn suggestions_follow_the_keywords() {
        let inkomen = vec!["inkomen".to_owned(), "uitkering".to_owned()];
        let bejegening = vec!["bejegening".to_owned(), "niet serieus".to_owned()];
        let leeg: Vec<String> = vec![];
        let themes = [
            (1, inkomen.as_slice()),
            (2, bejegening.as_slice()),
            (3, leeg.as_slice()),
        ];
        assert_eq!(
            suggest(
                "Mijn UITKERING stopte en ik werd niet serieus genomen.",
                themes
            ),
            [1, 2]
        );
        assert_eq!(suggest("Alles ging goed.", themes), Vec::<i32>::new());
    }

    #[test]
    fn frequent_words_count_answers_not_mentions() {
        let answers = [
            "Het inkomen is te laag. Inkomen inkomen!",
            "Mijn inkomen daalde door de regels.",
            "De regels zijn onduidelijk en de regels veranderen.",
            "Onduidelijk wie ik kan bellen.",
            "Bellen kan niet.",
        ];
        let words = frequent_words(answers, &[], 10);
        let pairs: Vec<(&str, usize)> =
            words.iter().map(|w| (w.word.as_str(), w.answers)).collect();
        assert_eq!(
            pairs,
            [
                ("onduidelijk", 2),
                ("inkomen", 2),
                ("bellen", 2),
                ("regels", 2),
            ]
        );
        // A word a theme already has as keyword (or that starts with one) is left out.
        let words = frequent_words(answers, &["inkom".to_owned(), "Regels".to_owned()], 1);
        assert_eq!(words[0].word, "onduidelijk");
        assert_eq!(words.len(), 1);
    }
}
