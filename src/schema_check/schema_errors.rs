//! JSON Schema errors as localised findings: the instance's JSON pointer becomes a
//! `$.a[0].b` path, and each error kind gets a message panel managers can act on.

use jsonschema::Validator;
use jsonschema::error::{TypeKind, ValidationError, ValidationErrorKind};
use jsonschema::paths::{Location, LocationSegment};
use serde_json::Value;

use super::Finding;
use crate::domain::questionnaire::fields_of_type;
use crate::domain::questionnaire::parse::push_key;
use crate::i18n::{Lang, t};

/// Patterns of the embedded schemas that get their own message.
const ID_PATTERN: &str = "^[A-Za-z0-9_+.-]+$";
const QUESTION_ID_PATTERN: &str = "^[A-Za-z0-9][A-Za-z0-9_+.-]*$";
const NOT_BLANK_PATTERN: &str = "\\S";
const TIME_PATTERN: &str = "^([01][0-9]|2[0-3]):[0-5][0-9]$";

/// The question fields that belong to one type or another.
const TYPE_FIELDS: [&str; 10] = [
    "options",
    "profile",
    "max_choices",
    "other",
    "min",
    "max",
    "labels",
    "dont_know",
    "unit",
    "max_length",
];

/// Every schema error in `value`, as findings.
pub(super) fn findings(validator: &Validator, value: &Value, lang: Lang) -> Vec<Finding> {
    validator
        .iter_errors(value)
        .flat_map(|error| describe(&error, value, lang))
        .collect()
}

/// A JSON pointer into `root` as a JSON path. The value decides whether a numeric segment
/// is an array index or an object key.
pub(super) fn json_path(pointer: &Location, root: &Value) -> String {
    let mut path = "$".to_owned();
    let mut node = Some(root);
    for segment in pointer.segments() {
        let key = match segment {
            LocationSegment::Property(name) => name.into_owned(),
            LocationSegment::Index(i) => i.to_string(),
        };
        match node {
            Some(Value::Array(items)) => {
                let index = key.parse::<usize>().ok();
                path.push_str(&format!("[{key}]"));
                node = index.and_then(|i| items.get(i));
            }
            _ => {
                push_key(&mut path, &key);
                node = node.and_then(|n| n.get(&key));
            }
        }
    }
    path
}

fn child(path: &str, key: &str) -> String {
    let mut path = path.to_owned();
    push_key(&mut path, key);
    path
}

fn type_name(kind: &TypeKind, lang: Lang) -> String {
    let name = |ty: jsonschema::JsonType| t(lang, &format!("schema.type.{}", ty.as_str()));
    match kind {
        TypeKind::Single(ty) => name(*ty).to_owned(),
        TypeKind::Multiple(set) => {
            let names: Vec<&str> = set.iter().map(name).collect();
            names.join(&format!(" {} ", t(lang, "schema.type.or")))
        }
    }
}

fn describe(error: &ValidationError<'_>, root: &Value, lang: Lang) -> Vec<Finding> {
    let path = json_path(error.instance_path(), root);
    let one =
        |key: &str, args: &[(&str, String)]| vec![Finding::problem(path.clone(), lang, key, args)];
    let limit = |key: &str, limit: String| one(key, &[("limit", limit)]);
    match error.kind() {
        ValidationErrorKind::Required { property } => {
            let field = property
                .as_str()
                .map_or_else(|| property.to_string(), str::to_owned);
            let args = [("field", field.clone())];
            vec![Finding::problem(
                child(&path, &field),
                lang,
                "schema.json.required",
                &args,
            )]
        }
        ValidationErrorKind::AdditionalProperties { unexpected }
        | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
            unknown_fields(&path, error.instance(), unexpected, lang)
        }
        ValidationErrorKind::MultipleOf { multiple_of } if *multiple_of == 0.01 => {
            one("schema.json.cents", &[])
        }
        ValidationErrorKind::Type { kind } => {
            one("schema.json.type", &[("expected", type_name(kind, lang))])
        }
        ValidationErrorKind::Enum { options } => {
            let listed = match options.as_ref() {
                Value::Array(items) => items
                    .iter()
                    .map(Value::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
                other => other.to_string(),
            };
            one("schema.json.enum", &[("options", listed)])
        }
        ValidationErrorKind::Constant { expected_value } => one(
            "schema.json.const",
            &[("expected", expected_value.to_string())],
        ),
        ValidationErrorKind::Minimum { limit: l } => limit("schema.json.minimum", l.to_string()),
        ValidationErrorKind::Maximum { limit: l } => limit("schema.json.maximum", l.to_string()),
        ValidationErrorKind::ExclusiveMinimum { limit: l } => {
            limit("schema.json.exclusive_minimum", l.to_string())
        }
        ValidationErrorKind::ExclusiveMaximum { limit: l } => {
            limit("schema.json.exclusive_maximum", l.to_string())
        }
        ValidationErrorKind::MinLength { limit: 1 } => one("schema.json.empty", &[]),
        ValidationErrorKind::MinLength { limit: l } => {
            limit("schema.json.min_length", l.to_string())
        }
        ValidationErrorKind::MaxLength { limit: l } => {
            limit("schema.json.max_length", l.to_string())
        }
        ValidationErrorKind::MinItems { limit: l } => limit("schema.json.min_items", l.to_string()),
        ValidationErrorKind::MaxItems { limit: l } => limit("schema.json.max_items", l.to_string()),
        ValidationErrorKind::UniqueItems => one("schema.json.unique_items", &[]),
        ValidationErrorKind::Pattern { pattern } => match pattern.as_str() {
            ID_PATTERN => one("schema.json.id_pattern", &[]),
            QUESTION_ID_PATTERN => one("schema.json.question_id_pattern", &[]),
            NOT_BLANK_PATTERN => one("schema.json.empty", &[]),
            TIME_PATTERN => one("schema.json.time_pattern", &[]),
            other => one("schema.json.pattern", &[("pattern", other.to_owned())]),
        },
        ValidationErrorKind::PropertyNames { error: inner } => {
            let name = match inner.instance().as_ref() {
                Value::String(name) => name.clone(),
                other => other.to_string(),
            };
            let args = [("name", name.clone())];
            vec![Finding::problem(
                child(&path, &name),
                lang,
                "schema.json.property_name",
                &args,
            )]
        }
        ValidationErrorKind::MinProperties { .. } | ValidationErrorKind::MaxProperties { .. }
            if path.contains("show_if") =>
        {
            one("schema.json.show_if_shape", &[])
        }
        _ => one("schema.json.other", &[("detail", error.to_string())]),
    }
}

/// Unknown fields, one finding each. In a question, a field of another type gets its own
/// message; with an unknown type, the type's own error says enough. A field of the
/// question's own type is only "unevaluated" when its value broke a rule of that type,
/// which is reported at the field itself.
fn unknown_fields(path: &str, instance: &Value, fields: &[String], lang: Lang) -> Vec<Finding> {
    let question_type = path
        .starts_with("$.questions[")
        .then(|| instance.get("type").and_then(Value::as_str))
        .flatten();
    let known_type = question_type.and_then(|ty| Some((ty, fields_of_type(ty)?)));
    let mut out = Vec::new();
    for field in fields {
        let at = child(path, field);
        let of_a_type = TYPE_FIELDS.contains(&field.as_str());
        match known_type {
            Some((_, own)) if own.contains(&field.as_str()) => {}
            Some((ty, _)) if of_a_type => {
                let args = [("field", field.clone()), ("type", ty.to_owned())];
                out.push(Finding::problem(
                    at,
                    lang,
                    "schema.json.field_not_for_type",
                    &args,
                ));
            }
            None if of_a_type && question_type.is_some() => {}
            _ => {
                let args = [("field", field.clone())];
                out.push(Finding::problem(
                    at,
                    lang,
                    "schema.json.unknown_field",
                    &args,
                ));
            }
        }
    }
    out
}
