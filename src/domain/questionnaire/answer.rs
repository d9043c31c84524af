//! Answering one question: the raw values a member submits (web form, phone script, paper
//! entry) parsed into an [`AnswerValue`] checked against its question, and back again, to
//! refill a form or to show the answer on the "Controleer uw antwoorden" page.
//!
//! Errors are [`AnswerError`]s carrying the numbers their message needs; the text lives in
//! the language files under `answer.error.*`. Whole numbers accept Dutch thousands dots
//! ("1.000" is 1000) and refuse a comma ("1,5"): see [`parse_whole_number`].

pub use super::number::{WholeNumberError, parse_whole_number};
use super::routing::{AnswerValue, ScaleAnswer};
use super::{ChoiceOption, Other, Question, QuestionType};
use crate::i18n::{Lang, t, tf};

/// The form value of the "other, namely" checkbox of a multiple choice question.
pub const OTHER: &str = "_other";
/// The form value of "don't know" on a scale.
pub const DONT_KNOW: &str = "dont_know";
/// The longest open answer (in characters) when the question sets no `max_length`.
pub const DEFAULT_MAX_LENGTH: usize = 5000;
/// The longest "other, namely" text, in characters.
pub const MAX_OTHER_LENGTH: usize = 500;

/// What a form, phone script or paper entry submitted for one question, as raw strings:
/// the radio or checkbox values, or the one number or text field. Scales submit the point
/// ("1".."n") or [`DONT_KNOW`]; grades the mark; the "other" checkbox is [`OTHER`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AnswerInput {
    pub values: Vec<String>,
    /// The text field of the "other, namely" choice; ignored for other questions.
    pub other_text: String,
}

impl AnswerInput {
    /// Input with one value (a radio button, a number or a text).
    pub fn one(value: impl Into<String>) -> Self {
        Self {
            values: vec![value.into()],
            other_text: String::new(),
        }
    }
}

/// Why a submitted answer was refused. Each has a message in both languages.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    #[error("the question is required and was left empty")]
    Required,
    #[error("a value is not one of the question's options")]
    NotAnOption,
    #[error("more than one value for a question that takes one")]
    OneChoiceOnly,
    #[error("the same option was submitted twice")]
    DuplicateChoice,
    #[error("more than {max} choices")]
    TooManyChoices { max: u32 },
    #[error("the exclusive option \"{label}\" was combined with others")]
    ExclusiveCombined { label: String },
    #[error("text for \"other\" without choosing \"other\"")]
    OtherNotChosen,
    #[error("\"other\" chosen without its text")]
    OtherTextMissing,
    #[error("not a whole number")]
    NotAWholeNumber,
    /// Outside the bounds; `None` where the question has none (then the number did not
    /// fit in 64 bits).
    #[error("out of range ({min:?} to {max:?})")]
    OutOfRange { min: Option<i64>, max: Option<i64> },
    #[error("{len} characters, at most {max} allowed")]
    TooLong { max: usize, len: usize },
    #[error("\"don't know\" is not an answer to this question")]
    DontKnowNotAllowed,
}

impl AnswerError {
    /// The language-file key of the message.
    pub fn i18n_key(&self) -> &'static str {
        match self {
            AnswerError::Required => "answer.error.required",
            AnswerError::NotAnOption => "answer.error.not_an_option",
            AnswerError::OneChoiceOnly => "answer.error.one_choice_only",
            AnswerError::DuplicateChoice => "answer.error.duplicate_choice",
            AnswerError::TooManyChoices { max: 1 } => "answer.error.too_many_choices_one",
            AnswerError::TooManyChoices { .. } => "answer.error.too_many_choices",
            AnswerError::ExclusiveCombined { .. } => "answer.error.exclusive_combined",
            AnswerError::OtherNotChosen => "answer.error.other_not_chosen",
            AnswerError::OtherTextMissing => "answer.error.other_text_missing",
            AnswerError::NotAWholeNumber => "answer.error.not_a_whole_number",
            AnswerError::OutOfRange { min, max } => match (min, max) {
                (Some(_), Some(_)) => "answer.error.out_of_range",
                (Some(_), None) => "answer.error.at_least",
                (None, Some(_)) => "answer.error.at_most",
                (None, None) => "answer.error.number_too_large",
            },
            AnswerError::TooLong { .. } => "answer.error.too_long",
            AnswerError::DontKnowNotAllowed => "answer.error.dont_know_not_allowed",
        }
    }

    /// The message for the member, saying what to do.
    pub fn message(&self, lang: Lang) -> String {
        let key = self.i18n_key();
        match self {
            AnswerError::TooManyChoices { max } => tf(lang, key, &[("max", max)]),
            AnswerError::ExclusiveCombined { label } => tf(lang, key, &[("label", label)]),
            AnswerError::OutOfRange { min, max } => {
                let (min, max) = (min.unwrap_or_default(), max.unwrap_or_default());
                tf(lang, key, &[("min", &min), ("max", &max)])
            }
            AnswerError::TooLong { max, len } => tf(lang, key, &[("max", max), ("len", len)]),
            _ => t(lang, key).to_owned(),
        }
    }
}

/// Parse and check what was submitted for `question`. `Ok(None)`: left empty, which is
/// allowed for optional questions only. Values are trimmed; empty ones are ignored (an
/// empty number field submits ""). Never panics, whatever the strings.
pub fn parse_answer(
    question: &Question,
    input: &AnswerInput,
) -> Result<Option<AnswerValue>, AnswerError> {
    let values: Vec<&str> = input
        .values
        .iter()
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .collect();
    let answer = match &question.kind {
        QuestionType::SingleChoice { options, .. } => match one(&values)? {
            None => None,
            Some(v) => Some(AnswerValue::Choice(find(options, v)?.value.clone())),
        },
        QuestionType::MultipleChoice {
            options,
            max_choices,
            other,
        } => multiple(options, *max_choices, other.as_ref(), &values, input)?,
        QuestionType::Grade { min, max } => match one(&values)? {
            None => None,
            Some(v) => Some(AnswerValue::Grade(bounded_u8(v, *min, *max)?)),
        },
        QuestionType::Scale { labels, dont_know } => match one(&values)? {
            None => None,
            Some(DONT_KNOW) if *dont_know => Some(AnswerValue::Scale(ScaleAnswer::DontKnow)),
            Some(DONT_KNOW) => return Err(AnswerError::DontKnowNotAllowed),
            Some(v) => {
                let points = u8::try_from(labels.len()).unwrap_or(u8::MAX);
                let point = bounded_u8(v, 1, points).map_err(|e| match e {
                    AnswerError::NotAWholeNumber => AnswerError::NotAnOption,
                    other => other,
                })?;
                Some(AnswerValue::Scale(ScaleAnswer::Point(point)))
            }
        },
        QuestionType::Number { min, max, .. } => match one(&values)? {
            None => None,
            Some(v) => Some(AnswerValue::Number(number(v, *min, *max)?)),
        },
        QuestionType::OpenText { max_length } => match one(&values)? {
            None => None,
            Some(v) => {
                let max = max_length.map_or(DEFAULT_MAX_LENGTH, |m| m as usize);
                checked_text(v, true, max)?.map(AnswerValue::Text)
            }
        },
    };
    match answer {
        None if question.required => Err(AnswerError::Required),
        answer => Ok(answer),
    }
}

/// At most one value.
fn one<'a>(values: &[&'a str]) -> Result<Option<&'a str>, AnswerError> {
    match values {
        [] => Ok(None),
        [v] => Ok(Some(v)),
        _ => Err(AnswerError::OneChoiceOnly),
    }
}

fn find<'o>(options: &'o [ChoiceOption], value: &str) -> Result<&'o ChoiceOption, AnswerError> {
    options
        .iter()
        .find(|o| o.value.as_str() == value)
        .ok_or(AnswerError::NotAnOption)
}

/// A multiple choice answer; the chosen values are kept in the order of the options, so
/// the same choices always give the same stored answer.
fn multiple(
    options: &[ChoiceOption],
    max_choices: Option<u32>,
    other: Option<&Other>,
    values: &[&str],
    input: &AnswerInput,
) -> Result<Option<AnswerValue>, AnswerError> {
    let mut chosen = vec![false; options.len()];
    let mut other_chosen = false;
    for value in values {
        // An option whose value is `_other` wins over the "other" checkbox.
        let slot = match options.iter().position(|o| o.value.as_str() == *value) {
            Some(i) => &mut chosen[i],
            None if other.is_some() && *value == OTHER => &mut other_chosen,
            None => return Err(AnswerError::NotAnOption),
        };
        if *slot {
            return Err(AnswerError::DuplicateChoice);
        }
        *slot = true;
    }
    // Without JavaScript the text field is always there: text typed without ticking the
    // box is neither dropped nor guessed at; the member decides.
    let text = match other {
        Some(_) => clean_text(&input.other_text, false),
        None => String::new(),
    };
    if !text.is_empty() && !other_chosen {
        return Err(AnswerError::OtherNotChosen);
    }
    let count = chosen.iter().filter(|c| **c).count() + usize::from(other_chosen);
    if count == 0 {
        return Ok(None);
    }
    let picked = || options.iter().zip(&chosen).filter(|(_, c)| **c);
    if count > 1
        && let Some((exclusive, _)) = picked().find(|(o, _)| o.exclusive)
    {
        let label = exclusive.label.clone();
        return Err(AnswerError::ExclusiveCombined { label });
    }
    if let Some(max) = max_choices
        && count > max as usize
    {
        return Err(AnswerError::TooManyChoices { max });
    }
    let other = if other_chosen {
        let text = checked_text(&text, false, MAX_OTHER_LENGTH)?;
        Some(text.ok_or(AnswerError::OtherTextMissing)?)
    } else {
        None
    };
    Ok(Some(AnswerValue::Choices {
        values: picked().map(|(o, _)| o.value.clone()).collect(),
        other,
    }))
}

/// A whole number within `min..=max` that fits a `u8` (grades, scale points).
fn bounded_u8(value: &str, min: u8, max: u8) -> Result<u8, AnswerError> {
    let n = number(value, Some(min.into()), Some(max.into()))?;
    u8::try_from(n).map_err(|_| AnswerError::OutOfRange {
        min: Some(min.into()),
        max: Some(max.into()),
    })
}

/// A whole number within the bounds that are set.
fn number(value: &str, min: Option<i64>, max: Option<i64>) -> Result<i64, AnswerError> {
    let out_of_range = AnswerError::OutOfRange { min, max };
    let n = match parse_whole_number(value) {
        Ok(n) => n,
        Err(WholeNumberError::TooLarge) => return Err(out_of_range),
        Err(WholeNumberError::NotWhole) => return Err(AnswerError::NotAWholeNumber),
    };
    if min.is_some_and(|min| n < min) || max.is_some_and(|max| n > max) {
        return Err(out_of_range);
    }
    Ok(n)
}

/// A text as stored: line breaks made `\n` (browsers send `\r\n`), other control
/// characters removed (tabs become spaces), trimmed; `None` when nothing is left. Lines
/// are kept only for open text; the one-line "other" text gets spaces instead.
fn checked_text(text: &str, lines: bool, max: usize) -> Result<Option<String>, AnswerError> {
    let text = clean_text(text, lines);
    let len = text.chars().count();
    if len > max {
        return Err(AnswerError::TooLong { max, len });
    }
    Ok((!text.is_empty()).then_some(text))
}

fn clean_text(text: &str, lines: bool) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let cleaned: String = text
        .chars()
        .filter_map(|c| match c {
            '\n' if lines => Some('\n'),
            '\n' | '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect();
    cleaned.trim().to_owned()
}

/// The form input that gives `value` back: to refill a form when the member goes back
/// or changes an answer. An answer that does not fit the question's type (the file was
/// changed) gives an empty form rather than a wrong one.
pub fn input_of(question: &Question, value: &AnswerValue) -> AnswerInput {
    match (&question.kind, value) {
        (QuestionType::SingleChoice { .. }, AnswerValue::Choice(v)) => AnswerInput::one(v.as_str()),
        (QuestionType::MultipleChoice { .. }, AnswerValue::Choices { values, other }) => {
            let mut values: Vec<String> = values.iter().map(|v| v.to_string()).collect();
            values.extend(other.as_ref().map(|_| OTHER.to_owned()));
            let other_text = other.clone().unwrap_or_default();
            AnswerInput { values, other_text }
        }
        (QuestionType::Grade { .. }, AnswerValue::Grade(g)) => AnswerInput::one(g.to_string()),
        (QuestionType::Scale { .. }, AnswerValue::Scale(ScaleAnswer::Point(p))) => {
            AnswerInput::one(p.to_string())
        }
        (QuestionType::Scale { .. }, AnswerValue::Scale(ScaleAnswer::DontKnow)) => {
            AnswerInput::one(DONT_KNOW)
        }
        (QuestionType::Number { .. }, AnswerValue::Number(n)) => AnswerInput::one(n.to_string()),
        (QuestionType::OpenText { .. }, AnswerValue::Text(text)) => AnswerInput::one(text.as_str()),
        _ => AnswerInput::default(),
    }
}

/// The words for a question left unanswered ("Geen antwoord").
pub fn no_answer(lang: Lang) -> &'static str {
    t(lang, "answer.none")
}

/// The answer as text for the "Controleer uw antwoorden" page: option labels, the other
/// text, "3 uur per week", "7", "Eens", "Weet ik niet". Several choices are joined by
/// "; " (labels may hold commas); use [`display_items`] to show them as a list.
pub fn display(question: &Question, value: &AnswerValue, lang: Lang) -> String {
    let items = display_items(question, value, lang);
    if items.is_empty() {
        no_answer(lang).to_owned()
    } else {
        items.join("; ")
    }
}

/// The answer as separate texts, one per choice; empty when nothing was answered.
pub fn display_items(question: &Question, value: &AnswerValue, lang: Lang) -> Vec<String> {
    let options = question.kind.options();
    let label = |v: &super::OptionValue| {
        options
            .iter()
            .find(|o| &o.value == v)
            .map_or_else(|| v.to_string(), |o| o.label.clone())
    };
    match (&question.kind, value) {
        (_, AnswerValue::Choice(v)) => vec![label(v)],
        (kind, AnswerValue::Choices { values, other }) => {
            let mut items: Vec<String> = values.iter().map(label).collect();
            if let Some(text) = other.as_deref().filter(|t| !t.trim().is_empty()) {
                items.push(match kind {
                    QuestionType::MultipleChoice {
                        other: Some(Other { label }),
                        ..
                    } if label.ends_with(':') => format!("{label} {text}"),
                    QuestionType::MultipleChoice {
                        other: Some(Other { label }),
                        ..
                    } => format!("{label}: {text}"),
                    _ => text.to_owned(),
                });
            }
            items
        }
        (
            QuestionType::Number {
                unit: Some(unit), ..
            },
            AnswerValue::Number(n),
        ) => vec![format!("{n} {unit}")],
        (_, AnswerValue::Number(n)) => vec![n.to_string()],
        (_, AnswerValue::Grade(g)) => vec![g.to_string()],
        (QuestionType::Scale { labels, .. }, AnswerValue::Scale(ScaleAnswer::Point(p))) => {
            let at = usize::from(*p).checked_sub(1).and_then(|i| labels.get(i));
            vec![at.cloned().unwrap_or_else(|| p.to_string())]
        }
        (_, AnswerValue::Scale(ScaleAnswer::Point(p))) => vec![p.to_string()],
        (_, AnswerValue::Scale(ScaleAnswer::DontKnow)) => vec![t(lang, "answer.dont_know").into()],
        (_, AnswerValue::Text(text)) if text.trim().is_empty() => vec![],
        (_, AnswerValue::Text(text)) => vec![text.clone()],
    }
}
