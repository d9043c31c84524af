//! Form posts: every form carries the browser's CSRF token; `CsrfForm` refuses a post
//! whose token does not match the cookie, then hands over the fields.

use axum::Form;
use axum::extract::{FromRequest, Request};

use super::ctx::CsrfToken;
use super::error::WebError;
use super::state::AppState;

/// The fields of a posted form, in order (a field can repeat: checkboxes).
#[derive(Clone, Debug, Default)]
pub struct FormData(pub Vec<(String, String)>);

impl FormData {
    /// The first value of `name`, or "".
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    pub fn get_all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// A checkbox: present and not empty.
    pub fn checked(&self, name: &str) -> bool {
        !self.get(name).is_empty()
    }

    /// Fields whose name starts with `prefix`, with the prefix removed.
    pub fn with_prefix<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = (&'a str, &'a str)> {
        self.0
            .iter()
            .filter_map(move |(k, v)| k.strip_prefix(prefix).map(|k| (k, v.as_str())))
    }
}

/// Compare without an early exit, so timing says nothing about the token.
pub fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

pub struct CsrfForm(pub FormData);

impl FromRequest<AppState> for CsrfForm {
    type Rejection = WebError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, WebError> {
        let token = request.extensions().get::<CsrfToken>().cloned();
        let Form(fields) = Form::<Vec<(String, String)>>::from_request(request, state)
            .await
            .map_err(|rejection| {
                if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                    WebError::TooLarge
                } else {
                    WebError::BadRequest("error.bad_request")
                }
            })?;
        let data = FormData(fields);
        match token {
            Some(token) if !token.fresh && same_token(&token.value, data.get("csrf")) => {
                Ok(CsrfForm(data))
            }
            _ => Err(WebError::Csrf),
        }
    }
}

/// An uploaded file.
#[derive(Clone, Debug)]
pub struct Upload {
    pub field: String,
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// A multipart form (file upload) whose CSRF token was checked.
pub struct CsrfMultipart {
    pub fields: FormData,
    pub files: Vec<Upload>,
}

impl FromRequest<AppState> for CsrfMultipart {
    type Rejection = WebError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, WebError> {
        let token = request.extensions().get::<CsrfToken>().cloned();
        let mut multipart = axum::extract::Multipart::from_request(request, state)
            .await
            .map_err(|_| WebError::BadRequest("error.bad_request"))?;
        let mut fields = Vec::new();
        let mut files = Vec::new();
        while let Some(field) = multipart
            .next_field()
            .await
            .map_err(|_| WebError::TooLarge)?
        {
            let name = field.name().unwrap_or("").to_owned();
            match field.file_name().map(str::to_owned) {
                Some(file_name) => {
                    let bytes = field.bytes().await.map_err(|_| WebError::TooLarge)?;
                    files.push(Upload {
                        field: name,
                        file_name,
                        bytes: bytes.to_vec(),
                    });
                }
                None => {
                    let text = field
                        .text()
                        .await
                        .map_err(|_| WebError::BadRequest("error.bad_request"))?;
                    fields.push((name, text));
                }
            }
        }
        let fields = FormData(fields);
        match token {
            Some(token) if !token.fresh && same_token(&token.value, fields.get("csrf")) => {
                Ok(Self { fields, files })
            }
            _ => Err(WebError::Csrf),
        }
    }
}
