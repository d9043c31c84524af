//! The answering pages shared by every way of answering on the web (pilot preview now,
//! invitations later): a question rendered as accessible form fields, the form read back
//! into raw input, and the check page. Routing and validation are the domain's
//! (`domain::questionnaire::{flow, answer}`); this module only shows and reads.

pub mod pages;

use crate::domain::questionnaire::answer::{
    AnswerInput, DONT_KNOW, OTHER, display_items, input_of,
};
use crate::domain::questionnaire::flow::{Answers, Flow};
use crate::domain::questionnaire::{Question, QuestionType};
use crate::i18n::{Lang, t, tf};
use crate::web::form::FormData;

/// One choice as a radio button or checkbox.
#[derive(Clone, Debug)]
pub struct OptionView {
    pub id: String,
    pub value: String,
    pub label: String,
    pub checked: bool,
    /// "None of these": choosing it excludes the others (said in words, too).
    pub exclusive: bool,
}

/// The form control of a question.
#[derive(Clone, Debug)]
pub enum Control {
    Radios(Vec<OptionView>),
    Checkboxes {
        options: Vec<OptionView>,
        /// The "other, namely" choice and its text field.
        other: Option<(OptionView, String)>,
        max_choices: Option<u32>,
    },
    Number {
        value: String,
        unit: Option<String>,
    },
    Text {
        value: String,
        max_length: usize,
    },
}

/// A question ready to render.
#[derive(Clone, Debug)]
pub struct QuestionView {
    pub id: String,
    pub text: String,
    pub help: Option<String>,
    pub required: bool,
    pub control: Control,
    /// The error message to show at the field.
    pub error: Option<String>,
    /// Extra explanation of limits, in words ("Kies ten hoogste 3 antwoorden.").
    pub hint: Option<String>,
    /// Form field names: `answer`/`other_text` when the page has one question,
    /// `answer.<id>`/`other_text.<id>` when it has them all.
    pub answer_name: String,
    pub other_name: String,
    /// The question's number as printed on paper, when the page shows it.
    pub number: Option<usize>,
    /// What an interviewer reads aloud, with instructions (phone interviews only).
    pub script: Option<ScriptView>,
}

/// A question's phone script, in the interviewer's language.
#[derive(Clone, Debug)]
pub struct ScriptView {
    pub text: String,
    pub options: Vec<String>,
    /// "Een cijfer van 1 tot en met 10."
    pub range: Option<String>,
    pub instructions: Vec<String>,
}

impl ScriptView {
    pub fn of(question: &Question, lang: Lang) -> Self {
        let script = crate::domain::questionnaire::script::read_aloud(question);
        Self {
            text: script.text,
            options: script.options,
            range: script
                .range
                .map(|(min, max)| tf(lang, "phone.script.range", &[("min", &min), ("max", &max)])),
            instructions: script
                .instructions
                .iter()
                .map(|i| t(lang, i.i18n_key()).to_owned())
                .collect(),
        }
    }
}

impl QuestionView {
    /// The id of the first input: where the error summary links to.
    pub fn first_input(&self) -> String {
        format!("a-{}", self.id)
    }

    /// Ids for `aria-describedby` on the control (help, hint, error).
    pub fn described_by(&self) -> String {
        let mut ids = Vec::new();
        if self.help.is_some() {
            ids.push(format!("a-{}-help", self.id));
        }
        if self.hint.is_some() {
            ids.push(format!("a-{}-hint", self.id));
        }
        if self.error.is_some() {
            ids.push(format!("a-{}-error", self.id));
        }
        ids.join(" ")
    }

    pub fn is_fieldset(&self) -> bool {
        matches!(
            self.control,
            Control::Radios(_) | Control::Checkboxes { .. }
        )
    }
}

fn option(
    question: &Question,
    index: usize,
    value: &str,
    label: &str,
    input: &AnswerInput,
    exclusive: bool,
) -> OptionView {
    OptionView {
        id: if index == 0 {
            format!("a-{}", question.id)
        } else {
            format!("a-{}-{index}", question.id)
        },
        value: value.to_owned(),
        label: label.to_owned(),
        checked: input.values.iter().any(|v| v == value),
        exclusive,
    }
}

/// Build the view of a question with the given form input (empty: nothing selected).
pub fn view(
    question: &Question,
    input: &AnswerInput,
    error: Option<String>,
    lang: Lang,
) -> QuestionView {
    let mut hint = None;
    let control = match &question.kind {
        QuestionType::SingleChoice { options, .. } => Control::Radios(
            options
                .iter()
                .enumerate()
                .map(|(i, o)| option(question, i, o.value.as_str(), &o.label, input, false))
                .collect(),
        ),
        QuestionType::MultipleChoice {
            options,
            max_choices,
            other,
        } => {
            if let Some(max) = max_choices {
                hint = Some(tf(lang, "answering.hint.max_choices", &[("max", max)]));
            }
            let views: Vec<OptionView> = options
                .iter()
                .enumerate()
                .map(|(i, o)| option(question, i, o.value.as_str(), &o.label, input, o.exclusive))
                .collect();
            let other = other.as_ref().map(|o| {
                (
                    option(question, options.len(), OTHER, &o.label, input, false),
                    input.other_text.clone(),
                )
            });
            Control::Checkboxes {
                options: views,
                other,
                max_choices: *max_choices,
            }
        }
        QuestionType::Grade { min, max } => {
            hint = Some(tf(
                lang,
                "answering.hint.grade",
                &[("min", min), ("max", max)],
            ));
            Control::Radios(
                (*min..=*max)
                    .enumerate()
                    .map(|(i, g)| option(question, i, &g.to_string(), &g.to_string(), input, false))
                    .collect(),
            )
        }
        QuestionType::Scale { labels, dont_know } => {
            let mut views: Vec<OptionView> = labels
                .iter()
                .enumerate()
                .map(|(i, l)| option(question, i, &(i + 1).to_string(), l, input, false))
                .collect();
            if *dont_know {
                views.push(option(
                    question,
                    labels.len(),
                    DONT_KNOW,
                    t(lang, "answering.dont_know"),
                    input,
                    false,
                ));
            }
            Control::Radios(views)
        }
        QuestionType::Number { min, max, unit } => {
            let unit_text = unit.clone().unwrap_or_default();
            hint = match (min, max) {
                (Some(min), Some(max)) => Some(tf(
                    lang,
                    "answering.hint.number_between",
                    &[("min", min), ("max", max), ("unit", &unit_text)],
                )),
                _ => Some(tf(lang, "answering.hint.number", &[("unit", &unit_text)])),
            };
            Control::Number {
                value: input.values.first().cloned().unwrap_or_default(),
                unit: unit.clone(),
            }
        }
        QuestionType::OpenText { max_length } => {
            let max = max_length
                .map(|m| m as usize)
                .unwrap_or(crate::domain::questionnaire::answer::DEFAULT_MAX_LENGTH);
            hint = Some(tf(lang, "answering.hint.text", &[("max", &max)]));
            Control::Text {
                value: input.values.first().cloned().unwrap_or_default(),
                max_length: max,
            }
        }
    };
    QuestionView {
        id: question.id.to_string(),
        text: question.text.clone(),
        help: question.help.clone(),
        required: question.required,
        control,
        error,
        hint,
        answer_name: "answer".to_owned(),
        other_name: "other_text".to_owned(),
        number: None,
        script: None,
    }
}

impl QuestionView {
    /// Field names for a page with all questions on it.
    pub fn on_shared_page(mut self) -> Self {
        self.answer_name = format!("answer.{}", self.id);
        self.other_name = format!("other_text.{}", self.id);
        self
    }
}

/// The view of a question filled with its stored answer, if any.
pub fn view_with_answer(question: &Question, answers: &Answers, lang: Lang) -> QuestionView {
    let input = answers
        .get(question.id.as_str())
        .map(|v| input_of(question, v))
        .unwrap_or_default();
    view(question, &input, None, lang)
}

/// Read the raw input for question `id` from a posted form. On a page with one question
/// the fields are `answer` and `other_text`; on a page with all questions they carry the
/// question id: `answer.<id>`, `other_text.<id>`.
pub fn read_input(form: &FormData, id: Option<&str>) -> AnswerInput {
    let (answer, other) = match id {
        Some(id) => (format!("answer.{id}"), format!("other_text.{id}")),
        None => ("answer".to_owned(), "other_text".to_owned()),
    };
    AnswerInput {
        values: form
            .get_all(&answer)
            .into_iter()
            .filter(|v| !v.trim().is_empty())
            .map(str::to_owned)
            .collect(),
        other_text: form.get(&other).to_owned(),
    }
}

/// One row of the "Controleer uw antwoorden" page.
#[derive(Clone, Debug)]
pub struct CheckRow {
    pub id: String,
    pub number: usize,
    pub text: String,
    pub answer: Vec<String>,
    pub missing_required: bool,
}

fn check_row(q: &Question, number: usize, answers: &Answers, lang: Lang) -> CheckRow {
    let answer = answers
        .get(q.id.as_str())
        .map(|v| display_items(q, v, lang))
        .unwrap_or_default();
    CheckRow {
        id: q.id.to_string(),
        number,
        text: q.text.clone(),
        missing_required: q.required && answer.is_empty(),
        answer,
    }
}

/// The questions asked, numbered as in "Vraag 3 van 8".
pub fn check_rows(flow: &Flow, answers: &Answers, lang: Lang) -> Vec<CheckRow> {
    flow.asked(answers)
        .into_iter()
        .enumerate()
        .map(|(i, q)| check_row(q, i + 1, answers, lang))
        .collect()
}

/// The questions shown but answered from the member's profile (not asked, no number).
pub fn profile_rows(flow: &Flow, answers: &Answers, lang: Lang) -> Vec<CheckRow> {
    flow.visible(answers)
        .into_iter()
        .filter(|q| flow.from_profile(q.id.as_str()))
        .map(|q| check_row(q, 0, answers, lang))
        .collect()
}
