//! Editing a questionnaire the way the editor form does it: a question's fields as plain
//! strings in, a typed question out (or the fields that are wrong), and moving, adding
//! and removing questions. Whether the result is a valid questionnaire is decided by
//! the usual checks afterwards.

use super::{ChoiceOption, Other, Question, QuestionId, QuestionType, Questionnaire, ShowIf};
use crate::domain::ids::{OptionValue, VariableId};
use crate::domain::panel::BackgroundVariable;
use crate::domain::signup::FieldError;

/// The editor's fields for one question, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QuestionDraft {
    pub kind: String,
    pub text: String,
    pub help: String,
    pub phone_text: String,
    pub required: bool,
    /// Choice questions: option labels in order; an empty label removes the option.
    /// Existing options keep their stored value (answers refer to it).
    pub options: Vec<(Option<String>, String)>,
    /// Multiple choice: the value of the option that excludes the others.
    pub exclusive: String,
    pub max_choices: String,
    /// Multiple choice: the label of "other, namely"; empty for none.
    pub other_label: String,
    pub min: String,
    pub max: String,
    pub unit: String,
    /// Scale: one label per line.
    pub scale_labels: String,
    pub dont_know: bool,
    pub max_length: String,
    /// `""` = always shown, `"keep"` = keep the current condition, `"<question>=<value>"`.
    pub show_if: String,
    /// Single choice: the background variable the question is tied to; `""` for none.
    pub profile: String,
}

/// The question types the editor offers, in the order it offers them.
pub const KINDS: [&str; 6] = [
    "single_choice",
    "multiple_choice",
    "grade",
    "scale",
    "number",
    "open_text",
];

fn opt(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

fn number<T: std::str::FromStr>(
    field: &str,
    text: &str,
    errors: &mut Vec<FieldError>,
) -> Option<T> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    match text.parse() {
        Ok(n) => Some(n),
        Err(_) => {
            errors.push(FieldError::new(field, "editor.error.number"));
            None
        }
    }
}

/// A value for a new option: its label in lower case letters and digits, made unique.
pub fn option_value(label: &str, taken: &[String]) -> String {
    let mut base: String = label
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'a'..='z' | '0'..='9' => c,
            'à' | 'á' | 'ä' | 'â' => 'a',
            'è' | 'é' | 'ë' | 'ê' => 'e',
            'ï' | 'í' | 'î' => 'i',
            'ö' | 'ó' | 'ô' => 'o',
            'ü' | 'ú' | 'û' => 'u',
            _ => '_',
        })
        .collect::<String>()
        .split('_')
        .filter(|p| !p.is_empty())
        .take(4)
        .collect::<Vec<_>>()
        .join("_");
    if base.is_empty() || base.starts_with('_') {
        base = "optie".to_owned();
    }
    base.truncate(40);
    let mut candidate = base.clone();
    let mut n = 2;
    while taken.contains(&candidate) {
        candidate = format!("{base}_{n}");
        n += 1;
    }
    candidate
}

/// An id for a new question that no other question has.
pub fn new_question_id(questionnaire: &Questionnaire) -> QuestionId {
    let taken: Vec<&str> = questionnaire
        .questions
        .iter()
        .map(|q| q.id.as_str())
        .collect();
    (1..)
        .map(|n| format!("vraag_{n}"))
        .find(|id| !taken.contains(&id.as_str()))
        .and_then(|id| QuestionId::parse(&id).ok())
        .expect("a free id exists")
}

/// The draft for an existing question, to fill the form.
pub fn draft_of(question: &Question) -> QuestionDraft {
    let mut draft = QuestionDraft {
        kind: question.kind.code().to_owned(),
        text: question.text.clone(),
        help: question.help.clone().unwrap_or_default(),
        phone_text: question.phone_text.clone().unwrap_or_default(),
        required: question.required,
        show_if: match &question.show_if {
            None => String::new(),
            Some(ShowIf::Equals { question, value }) => format!("{question}={value}"),
            Some(_) => "keep".to_owned(),
        },
        ..Default::default()
    };
    match &question.kind {
        QuestionType::SingleChoice { options, profile } => {
            draft.options = options
                .iter()
                .map(|o| (Some(o.value.to_string()), o.label.clone()))
                .collect();
            draft.profile = profile.as_ref().map(|p| p.to_string()).unwrap_or_default();
        }
        QuestionType::MultipleChoice {
            options,
            max_choices,
            other,
        } => {
            draft.options = options
                .iter()
                .map(|o| (Some(o.value.to_string()), o.label.clone()))
                .collect();
            draft.exclusive = options
                .iter()
                .find(|o| o.exclusive)
                .map(|o| o.value.to_string())
                .unwrap_or_default();
            draft.max_choices = max_choices.map(|m| m.to_string()).unwrap_or_default();
            draft.other_label = other.as_ref().map(|o| o.label.clone()).unwrap_or_default();
        }
        QuestionType::Grade { min, max } => {
            draft.min = min.to_string();
            draft.max = max.to_string();
        }
        QuestionType::Scale { labels, dont_know } => {
            draft.scale_labels = labels.join("\n");
            draft.dont_know = *dont_know;
        }
        QuestionType::Number { min, max, unit } => {
            draft.min = min.map(|m| m.to_string()).unwrap_or_default();
            draft.max = max.map(|m| m.to_string()).unwrap_or_default();
            draft.unit = unit.clone().unwrap_or_default();
        }
        QuestionType::OpenText { max_length } => {
            draft.max_length = max_length.map(|m| m.to_string()).unwrap_or_default();
        }
    }
    draft
}

fn choice_options(draft: &QuestionDraft, multiple: bool) -> Vec<ChoiceOption> {
    let mut taken: Vec<String> = draft
        .options
        .iter()
        .filter_map(|(v, _)| v.clone())
        .collect();
    let mut options = Vec::new();
    for (value, label) in &draft.options {
        let label = label.trim();
        if label.is_empty() {
            continue;
        }
        let value = match value {
            Some(v) => v.clone(),
            None => {
                let v = option_value(label, &taken);
                taken.push(v.clone());
                v
            }
        };
        let Ok(parsed) = OptionValue::parse(&value) else {
            continue;
        };
        options.push(ChoiceOption {
            exclusive: multiple && !draft.exclusive.is_empty() && draft.exclusive == value,
            value: parsed,
            label: label.to_owned(),
        });
    }
    options
}

/// Apply the draft to `question` (its id stays). On errors the question is unchanged.
pub fn apply(draft: &QuestionDraft, question: &mut Question) -> Result<(), Vec<FieldError>> {
    let mut errors = Vec::new();
    if draft.text.trim().is_empty() {
        errors.push(FieldError::new("text", "editor.error.text"));
    }
    let profile = opt(&draft.profile).and_then(|p| match VariableId::parse(&p) {
        Ok(variable) => Some(variable),
        Err(_) => {
            errors.push(FieldError::new("profile", "editor.error.profile"));
            None
        }
    });
    if profile.is_some() && draft.kind != "single_choice" {
        errors.push(FieldError::new("profile", "editor.error.profile_type"));
    }
    let kind = match draft.kind.as_str() {
        "single_choice" => QuestionType::SingleChoice {
            options: choice_options(draft, false),
            profile,
        },
        "multiple_choice" => QuestionType::MultipleChoice {
            options: choice_options(draft, true),
            max_choices: number("max_choices", &draft.max_choices, &mut errors),
            other: opt(&draft.other_label).map(|label| Other { label }),
        },
        "grade" => QuestionType::Grade {
            min: number("min", &draft.min, &mut errors).unwrap_or(1),
            max: number("max", &draft.max, &mut errors).unwrap_or(10),
        },
        "scale" => QuestionType::Scale {
            labels: draft
                .scale_labels
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
            dont_know: draft.dont_know,
        },
        "number" => QuestionType::Number {
            min: number("min", &draft.min, &mut errors),
            max: number("max", &draft.max, &mut errors),
            unit: opt(&draft.unit),
        },
        "open_text" => QuestionType::OpenText {
            max_length: number("max_length", &draft.max_length, &mut errors),
        },
        _ => {
            errors.push(FieldError::new("kind", "editor.error.kind"));
            return Err(errors);
        }
    };
    if let QuestionType::SingleChoice { options, .. } | QuestionType::MultipleChoice { options, .. } =
        &kind
        && options.len() < 2
    {
        errors.push(FieldError::new("options", "editor.error.options"));
    }
    if let QuestionType::Scale { labels, .. } = &kind
        && labels.len() < 2
    {
        errors.push(FieldError::new("scale_labels", "editor.error.scale_labels"));
    }
    let show_if = match draft.show_if.trim() {
        "" => None,
        "keep" => question.show_if.clone(),
        condition => {
            let parsed = condition
                .split_once('=')
                .and_then(|(q, v)| Some((QuestionId::parse(q).ok()?, OptionValue::parse(v).ok()?)));
            match parsed {
                Some((question, value)) => Some(ShowIf::Equals { question, value }),
                None => {
                    errors.push(FieldError::new("show_if", "editor.error.show_if"));
                    None
                }
            }
        }
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    question.text = draft.text.trim().to_owned();
    question.help = opt(&draft.help);
    question.phone_text = opt(&draft.phone_text);
    question.required = draft.required;
    question.kind = kind;
    question.show_if = show_if;
    Ok(())
}

/// Make the options of a question tied to `variable` its categories: the values are the
/// categories', a label the manager already wrote for a category is kept, the others get
/// the panel's label. Options that are no category go. Other questions stay as they are.
pub fn tie_options(question: &mut Question, variable: &BackgroundVariable) {
    let QuestionType::SingleChoice {
        options,
        profile: Some(profile),
    } = &mut question.kind
    else {
        return;
    };
    if *profile != variable.id {
        return;
    }
    let tied = variable
        .categories
        .iter()
        .filter_map(|category| {
            let value = OptionValue::parse(category.value.as_str()).ok()?;
            let label = options
                .iter()
                .find(|o| o.value == value)
                .map_or_else(|| category.label.clone(), |o| o.label.clone());
            Some(ChoiceOption {
                value,
                label,
                exclusive: false,
            })
        })
        .collect();
    *options = tied;
}

/// A new question of `kind` with a text, added at the end.
pub fn add_question(
    questionnaire: &mut Questionnaire,
    draft: &QuestionDraft,
) -> Result<usize, Vec<FieldError>> {
    let mut question = Question {
        id: new_question_id(questionnaire),
        text: String::new(),
        help: None,
        required: false,
        show_if: None,
        phone_text: None,
        kind: QuestionType::OpenText { max_length: None },
    };
    apply(draft, &mut question)?;
    questionnaire.questions.push(question);
    Ok(questionnaire.questions.len() - 1)
}

/// Swap the question at `index` with the one before (`up`) or after it.
pub fn move_question(questionnaire: &mut Questionnaire, index: usize, up: bool) -> bool {
    let len = questionnaire.questions.len();
    let other = if up {
        index.checked_sub(1)
    } else {
        Some(index + 1).filter(|i| *i < len)
    };
    match other {
        Some(other) if index < len => {
            questionnaire.questions.swap(index, other);
            true
        }
        _ => false,
    }
}

pub fn remove_question(questionnaire: &mut Questionnaire, index: usize) -> bool {
    if index < questionnaire.questions.len() && questionnaire.questions.len() > 1 {
        questionnaire.questions.remove(index);
        true
    } else {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::questionnaire::parse_questionnaire;

    fn example() -> Questionnaire {
        parse_questionnaire(include_bytes!(
            "../../../panel-schemas/examples/questionnaire.json"
        ))
        .unwrap()
    }

    #[test]
    fn a_draft_of_every_reference_question_applies_back_unchanged() {
        let q = example();
        for question in &q.questions {
            let mut copy = question.clone();
            apply(&draft_of(question), &mut copy).unwrap();
            assert_eq!(&copy, question, "{}", question.id);
        }
    }

    #[test]
    fn new_options_get_values_and_old_ones_keep_theirs() {
        let mut q = example();
        let mut draft = draft_of(&q.questions[0]);
        draft.options[0].1 = "Ja, betaald".into();
        draft.options.push((None, "Soms, als oproepkracht".into()));
        draft.options.push((None, String::new()));
        apply(&draft, &mut q.questions[0]).unwrap();
        let options = q.questions[0].kind.options();
        assert_eq!(options[0].value.as_str(), "ja");
        assert_eq!(options[0].label, "Ja, betaald");
        assert_eq!(options[2].value.as_str(), "soms_als_oproepkracht");
        assert_eq!(options.len(), 3);
        assert!(
            q.problems()
                .iter()
                .all(|p| p.severity != crate::domain::questionnaire::Severity::Problem)
        );
    }

    #[test]
    fn bad_drafts_name_their_fields_and_change_nothing() {
        let mut q = example();
        let before = q.questions[0].clone();
        let draft = QuestionDraft {
            kind: "single_choice".into(),
            text: " ".into(),
            options: vec![(None, "Ja".into())],
            ..Default::default()
        };
        let errors = apply(&draft, &mut q.questions[0]).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["text", "options"]);
        assert_eq!(q.questions[0], before);
        let draft = QuestionDraft {
            kind: "number".into(),
            text: "Hoeveel?".into(),
            min: "tien".into(),
            ..Default::default()
        };
        assert_eq!(
            apply(&draft, &mut q.questions[0]).unwrap_err()[0].field,
            "min"
        );
    }

    #[test]
    fn add_move_and_remove() {
        let mut q = example();
        let draft = QuestionDraft {
            kind: "open_text".into(),
            text: "Nog iets?".into(),
            ..Default::default()
        };
        let at = add_question(&mut q, &draft).unwrap();
        assert_eq!(q.questions[at].id.as_str(), "vraag_1");
        assert!(move_question(&mut q, at, true));
        assert_eq!(q.questions[at - 1].text, "Nog iets?");
        assert!(!move_question(&mut q, 0, true));
        assert!(remove_question(&mut q, at - 1));
        assert_eq!(q.questions.len(), 7);
        assert_eq!(option_value("Één keer per week!", &[]), "een_keer_per_week");
        assert_eq!(option_value("Ja", &["ja".into()]), "ja_2");
    }
}
