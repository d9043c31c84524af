//! Extractors for the API whose refusals are ours: a JSON error naming the field and its
//! JSON path, in the caller's language, instead of axum's plain-text rejections.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use serde::de::DeserializeOwned;
use serde_path_to_error::Segment;

use super::error::{ApiError, Problem};
use crate::i18n::{Lang, t, tf};

/// The caller's language, as `ctx::prepare` settled it (`?lang=`, Accept-Language).
#[derive(Clone, Copy, Debug)]
pub struct ApiLang(pub Lang);

fn lang_in(extensions: &axum::http::Extensions) -> Lang {
    extensions.get::<Lang>().copied().unwrap_or_default()
}

impl<S: Send + Sync> FromRequestParts<S> for ApiLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ApiLang(lang_in(&parts.extensions)))
    }
}

/// A request body read whole, up to the route's body limit (413 past it).
pub struct ApiBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for ApiBody {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let lang = lang_in(request.extensions());
        Bytes::from_request(request, state)
            .await
            .map(ApiBody)
            .map_err(|rejection| match rejection.status() {
                StatusCode::PAYLOAD_TOO_LARGE => ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "too_large",
                    t(lang, "error.too_large"),
                ),
                status => ApiError::new(status, "bad_request", t(lang, "error.bad_request")),
            })
    }
}

/// A JSON body of type `T`; request types refuse unknown fields.
pub struct ApiJson<T>(pub T);

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .is_some_and(|v| v == "application/json" || v.ends_with("+json"))
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let lang = lang_in(request.extensions());
        if !is_json(request.headers()) {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                t(lang, "api.error.content_type"),
            ));
        }
        let ApiBody(bytes) = ApiBody::from_request(request, state).await?;
        parse_json(lang, &bytes).map(ApiJson)
    }
}

/// A JSON path (`$.background_variables[0].id`) from serde's view of where it was.
fn json_path(path: &serde_path_to_error::Path) -> String {
    let mut out = String::from("$");
    for segment in path {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Map { key } | Segment::Enum { variant: key }
                if !key.is_empty()
                    && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') =>
            {
                out.push('.');
                out.push_str(key);
            }
            Segment::Map { key } | Segment::Enum { variant: key } => {
                out.push_str(&format!("[{}]", serde_json::Value::from(key.as_str())));
            }
            Segment::Unknown => out.push_str("[?]"),
        }
    }
    out
}

/// The name between the first pair of backticks in a serde message.
fn quoted(message: &str) -> Option<&str> {
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    Some(&message[start..start + len])
}

/// One problem from serde's message, in the caller's language where we know the kind.
fn data_problem(lang: Lang, path: String, message: &str) -> Problem {
    // serde_json appends the position; the path already says where.
    let message = message
        .rfind(" at line ")
        .map_or(message, |i| &message[..i]);
    let join = |field: &str| {
        if path.ends_with(&format!(".{field}")) {
            path.clone()
        } else {
            format!("{path}.{field}")
        }
    };
    if let Some(field) = message.strip_prefix("unknown field ").and_then(quoted) {
        let text = tf(lang, "api.json.unknown_field", &[("field", &field)]);
        return Problem::new(join(field), "unknown_field", text);
    }
    if let Some(field) = message.strip_prefix("missing field ").and_then(quoted) {
        let text = tf(lang, "api.json.missing_field", &[("field", &field)]);
        return Problem::new(join(field), "missing_field", text);
    }
    let text = tf(lang, "api.json.invalid_value", &[("detail", &message)]);
    Problem::new(path, "invalid_value", text)
}

/// Parse JSON into `T`: 400 for broken JSON, 422 naming the JSON path for wrong content.
pub fn parse_json<T: DeserializeOwned>(lang: Lang, bytes: &[u8]) -> Result<T, ApiError> {
    let syntax = |e: &serde_json::Error| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            tf(
                lang,
                "api.error.json_syntax",
                &[("line", &e.line()), ("column", &e.column())],
            ),
        )
    };
    let mut de = serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Ok(value) => {
            de.end().map_err(|e| syntax(&e))?;
            Ok(value)
        }
        Err(e) => {
            let path = json_path(e.path());
            let inner = e.into_inner();
            if !inner.is_data() {
                return Err(syntax(&inner));
            }
            let problem = data_problem(lang, path, &inner.to_string());
            Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_body",
                t(lang, "api.error.json_data"),
            )
            .with_problems(vec![problem]))
        }
    }
}

/// Query parameters of type `T`; query types refuse unknown parameters.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let lang = lang_in(&parts.extensions);
        Query::<T>::try_from_uri(&parts.uri)
            .map(|Query(q)| ApiQuery(q))
            .map_err(|rejection| {
                let text = rejection.body_text();
                let detail = text
                    .strip_prefix("Failed to deserialize query string: ")
                    .unwrap_or(&text);
                // axum's message is `<parameter>: <what serde said>`.
                let (name, detail) = match detail.split_once(": ") {
                    Some((name, rest)) if !name.contains(' ') => (name, rest),
                    _ => ("", detail),
                };
                let mut problem = data_problem(lang, String::new(), detail);
                problem.path = problem.path.trim_start_matches('.').to_owned();
                if problem.path.is_empty() {
                    name.clone_into(&mut problem.path);
                }
                if let Some(name) = quoted(detail).filter(|_| problem.code == "unknown_field") {
                    problem.message = tf(lang, "api.query.unknown", &[("name", &name)]);
                }
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "invalid_query",
                    t(lang, "api.error.query"),
                )
                .with_problems(vec![problem])
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        id: String,
        n: u32,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        items: Vec<Inner>,
    }

    fn problem(json: &str) -> (String, String) {
        match parse_json::<Outer>(Lang::En, json.as_bytes()) {
            Err(ApiError::Body(status, body)) => {
                assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
                let p = &body.problems[0];
                (p.path.clone(), p.code.clone())
            }
            other => panic!("expected a body error, got {other:?}"),
        }
    }

    #[test]
    fn problems_name_the_json_path() {
        assert_eq!(
            problem(r#"{"items": [{"id": "a", "n": 1}, {"id": "b", "n": "x"}]}"#),
            ("$.items[1].n".into(), "invalid_value".into())
        );
        assert_eq!(
            problem(r#"{"items": [{"id": "a", "n": 1, "extra": true}]}"#),
            ("$.items[0].extra".into(), "unknown_field".into())
        );
        assert_eq!(
            problem(r#"{"items": [{"id": "a"}]}"#),
            ("$.items[0].n".into(), "missing_field".into())
        );
    }

    #[test]
    fn broken_json_is_a_bad_request() {
        for text in [r#"{"items": ["#, r#"{"items": []} trailing"#] {
            match parse_json::<Outer>(Lang::Nl, text.as_bytes()) {
                Err(ApiError::Body(status, body)) => {
                    assert_eq!(status, StatusCode::BAD_REQUEST);
                    assert_eq!(body.error, "invalid_json");
                    assert!(
                        body.message.contains("geen geldige JSON"),
                        "{}",
                        body.message
                    );
                }
                other => panic!("expected a body error, got {other:?}"),
            }
        }
    }
}
