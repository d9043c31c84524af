//! Feedback to respondents (*terugkoppeling*): what the manager writes under "Wat doen
//! we ermee?" and "Wat is er veranderd, en wat niet?", and when the results may be
//! published for the respondents: both texts written, the survey closed, and at least one
//! finished response.

use super::signup::FieldError;

/// The longest feedback text, in characters.
pub const MAX_FEEDBACK_CHARS: usize = 5000;

/// The manager's two texts, as stored: line breaks made `\n`, trimmed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FeedbackTexts {
    pub what_we_do: String,
    pub what_changed: String,
}

impl FeedbackTexts {
    pub fn new(what_we_do: &str, what_changed: &str) -> Self {
        let clean = |t: &str| {
            t.replace("\r\n", "\n")
                .replace('\r', "\n")
                .trim()
                .to_owned()
        };
        Self {
            what_we_do: clean(what_we_do),
            what_changed: clean(what_changed),
        }
    }
}

/// What a save of the feedback form does to the publication.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FeedbackAction {
    /// Keep the texts; published results stay published.
    Save,
    Publish,
    Withdraw,
}

impl FeedbackAction {
    /// The value of the form's `action` button.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "save" => Some(Self::Save),
            "publish" => Some(Self::Publish),
            "withdraw" => Some(Self::Withdraw),
            _ => None,
        }
    }
}

/// Why the texts cannot be saved (too long) or the results not published yet. The field
/// `action` stands for the publish button.
pub fn problems(
    texts: &FeedbackTexts,
    action: FeedbackAction,
    survey_closed: bool,
    respondents: u64,
) -> Vec<FieldError> {
    let mut out = Vec::new();
    for (field, text, empty_key) in [
        (
            "what_we_do",
            &texts.what_we_do,
            "results.feedback.error.what_we_do_empty",
        ),
        (
            "what_changed",
            &texts.what_changed,
            "results.feedback.error.what_changed_empty",
        ),
    ] {
        if text.chars().count() > MAX_FEEDBACK_CHARS {
            out.push(FieldError::new(field, "results.feedback.error.too_long"));
        } else if action == FeedbackAction::Publish && text.is_empty() {
            out.push(FieldError::new(field, empty_key));
        }
    }
    if action == FeedbackAction::Publish {
        if !survey_closed {
            out.push(FieldError::new(
                "action",
                "results.feedback.error.not_closed",
            ));
        } else if respondents == 0 {
            out.push(FieldError::new(
                "action",
                "results.feedback.error.no_respondents",
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(errors: &[FieldError]) -> Vec<(&str, &str)> {
        errors.iter().map(|e| (e.field.as_str(), e.key)).collect()
    }

    #[test]
    fn publishing_needs_both_texts_a_closed_survey_and_respondents() {
        let empty = FeedbackTexts::new("  ", "\r\n");
        assert_eq!(empty, FeedbackTexts::default());
        assert!(problems(&empty, FeedbackAction::Save, false, 0).is_empty());
        assert_eq!(
            keys(&problems(&empty, FeedbackAction::Publish, false, 3)),
            [
                ("what_we_do", "results.feedback.error.what_we_do_empty"),
                ("what_changed", "results.feedback.error.what_changed_empty"),
                ("action", "results.feedback.error.not_closed"),
            ]
        );
        let written = FeedbackTexts::new(
            "We praten met het ministerie.\r\nEn met werkgevers.",
            "Nog niets.",
        );
        assert_eq!(
            written.what_we_do,
            "We praten met het ministerie.\nEn met werkgevers."
        );
        assert!(problems(&written, FeedbackAction::Publish, true, 3).is_empty());
        assert_eq!(
            keys(&problems(&written, FeedbackAction::Publish, true, 0)),
            [("action", "results.feedback.error.no_respondents")]
        );
        let long = FeedbackTexts::new(&"a".repeat(MAX_FEEDBACK_CHARS + 1), "b");
        assert_eq!(
            keys(&problems(&long, FeedbackAction::Withdraw, true, 3)),
            [("what_we_do", "results.feedback.error.too_long")]
        );
        assert_eq!(
            FeedbackAction::parse("publish"),
            Some(FeedbackAction::Publish)
        );
        assert_eq!(FeedbackAction::parse("x"), None);
    }
}
