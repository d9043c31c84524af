//! Helpers that templates use: localised field errors and small formatting functions.

use crate::domain::signup::FieldError;
use crate::i18n::{self, Lang};

/// One error as shown: the field it belongs to, where the summary links, the message.
#[derive(Clone, Debug)]
pub struct FieldMsg {
    pub field: String,
    pub anchor: String,
    pub message: String,
}

/// The errors of a form, localised.
#[derive(Clone, Debug)]
pub struct FormErrors {
    pub list: Vec<FieldMsg>,
    /// Read out before each message ("Fout: ").
    pub prefix: &'static str,
}

impl FormErrors {
    pub fn none(lang: Lang) -> Self {
        Self {
            list: Vec::new(),
            prefix: i18n::t(lang, "form.error_prefix"),
        }
    }

    pub fn new(lang: Lang, errors: &[FieldError]) -> Self {
        let mut list: Vec<FieldMsg> = Vec::new();
        for e in errors {
            // One message per field: the first reason is the one to fix first.
            if list.iter().any(|m| m.field == e.field) {
                continue;
            }
            list.push(FieldMsg {
                field: e.field.clone(),
                anchor: format!("f-{}", e.field),
                message: i18n::t(lang, e.key).to_owned(),
            });
        }
        Self {
            list,
            prefix: i18n::t(lang, "form.error_prefix"),
        }
    }

    /// A single error not tied to one field (shown in the summary, linking to `anchor`).
    pub fn single(lang: Lang, field: &str, key: &'static str) -> Self {
        Self::new(lang, &[FieldError::new(field, key)])
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.list
            .iter()
            .find(|m| m.field == field)
            .map(|m| m.message.as_str())
    }

    /// The ` aria-describedby="…"` attribute for a field with a hint and/or error.
    pub fn describedby(&self, field: &str, has_hint: bool) -> String {
        let mut ids = Vec::new();
        if has_hint {
            ids.push(format!("f-{field}-hint"));
        }
        if self.get(field).is_some() {
            ids.push(format!("f-{field}-error"));
        }
        if ids.is_empty() {
            String::new()
        } else {
            format!(" aria-describedby=\"{}\"", ids.join(" "))
        }
    }

    /// The page title with "Fout: " in front when there are errors.
    pub fn title(&self, lang: &Lang, title: &str) -> String {
        if self.is_empty() {
            title.to_owned()
        } else {
            format!("{}{title}", i18n::t(*lang, "form.error_title_prefix"))
        }
    }
}

/// A date and time as members in the Netherlands read it.
pub fn datetime(at: &chrono::DateTime<chrono::Utc>) -> String {
    at.with_timezone(&chrono_tz::Europe::Amsterdam)
        .format("%d-%m-%Y %H:%M")
        .to_string()
}

/// A date as members in the Netherlands read it.
pub fn date(at: &chrono::DateTime<chrono::Utc>) -> String {
    at.with_timezone(&chrono_tz::Europe::Amsterdam)
        .format("%d-%m-%Y")
        .to_string()
}

pub fn opt_datetime(at: &Option<chrono::DateTime<chrono::Utc>>) -> String {
    at.as_ref().map(datetime).unwrap_or_else(|| "–".to_owned())
}

/// One option of a radio group, checkbox group or select.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

impl Choice {
    pub fn new(value: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            value: value.into(),
            label: label.into(),
        }
    }
}

/// A group of radio buttons in a fieldset.
#[derive(Clone, Debug)]
pub struct RadioGroup {
    pub name: String,
    pub legend: String,
    pub options: Vec<Choice>,
    pub selected: String,
}

/// Radio groups for a panel's background questions, named `bg_<variable>`.
pub fn background_groups(
    panel: &crate::domain::panel::PanelDefinition,
    selected: &std::collections::BTreeMap<String, String>,
) -> Vec<RadioGroup> {
    panel
        .background_variables
        .iter()
        .map(|var| RadioGroup {
            name: format!("bg_{}", var.id),
            legend: var.question.clone(),
            options: var
                .categories
                .iter()
                .map(|c| Choice::new(c.value.as_str(), c.label.as_str()))
                .collect(),
            selected: selected.get(var.id.as_str()).cloned().unwrap_or_default(),
        })
        .collect()
}

/// The radio group for the preferred way of contact.
pub fn contact_group(lang: crate::i18n::Lang, selected: &str) -> RadioGroup {
    use crate::domain::member::ContactPreference;
    RadioGroup {
        name: "contact_preference".to_owned(),
        legend: crate::i18n::t(lang, "field.contact_preference").to_owned(),
        options: ContactPreference::ALL
            .iter()
            .map(|p| Choice::new(p.code(), crate::i18n::t(lang, p.i18n_key())))
            .collect(),
        selected: selected.to_owned(),
    }
}

/// A date typed in a form: `2026-12-01` (date input) or `01-12-2026`.
pub fn parse_date(text: &str) -> Option<chrono::NaiveDate> {
    let text = text.trim();
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| chrono::NaiveDate::parse_from_str(text, "%d-%m-%Y"))
        .ok()
}

/// A time typed in a form: `14:00`, `14:00:00` or `14.00`.
pub fn parse_time(text: &str) -> Option<chrono::NaiveTime> {
    let text = text.trim();
    chrono::NaiveTime::parse_from_str(text, "%H:%M")
        .or_else(|_| chrono::NaiveTime::parse_from_str(text, "%H:%M:%S"))
        .or_else(|_| chrono::NaiveTime::parse_from_str(text, "%H.%M"))
        .ok()
}

/// A Dutch wall-clock moment in UTC; `None` when the clock skips it (summer time).
pub fn from_local(
    date: chrono::NaiveDate,
    time: chrono::NaiveTime,
) -> Option<chrono::DateTime<chrono::Utc>> {
    use chrono::TimeZone;
    crate::domain::fieldwork::ZONE
        .from_local_datetime(&date.and_time(time))
        .earliest()
        .map(|t| t.with_timezone(&chrono::Utc))
}
