//! How the API says no: every error is JSON `{error, message}` (as `render_errors` writes
//! it for `WebError`), here with the problems found and the JSON path of each.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::signup::FieldError;
use crate::i18n::{Lang, t};
use crate::store::StoreError;
use crate::web::error::WebError;

/// The body of every error response.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// Machine-readable code, e.g. `not_found`, `unauthorized`, `invalid_body`,
    /// `validation`, `conflict`, `duplicate`.
    pub error: String,
    /// What went wrong, in Dutch or English (`?lang=` or `Accept-Language`).
    pub message: String,
    /// The field concerned, for a duplicate email address or phone number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Every problem found.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<Problem>,
}

/// One problem with the request.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Problem {
    /// Where: a JSON path into the request body (`$.targets.rol`), or the name of a
    /// query parameter.
    pub path: String,
    /// Machine-readable reason, e.g. `unknown_field`, `email`, `targets_do_not_sum_to_one`.
    pub code: String,
    /// The reason, in the caller's language.
    pub message: String,
    /// Where in an uploaded file, when known: the line (from 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// Where in an uploaded file, when known: the column, as the JSON parser counts it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
}

impl Problem {
    pub fn new(
        path: impl Into<String>,
        code: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            path: path.into(),
            code: code.into(),
            message: message.into(),
            line: None,
            column: None,
        }
    }

    /// A problem in an uploaded file, with its line and column where the check knows them.
    pub fn in_file(finding: &crate::schema_check::Finding) -> Self {
        Self {
            line: finding.line,
            column: finding.column,
            ..Self::new(&finding.path, &finding.code, &finding.message)
        }
    }
}

/// An API handler's error: a `WebError` (rendered by `render_errors`) or a full body.
#[derive(Debug)]
pub enum ApiError {
    Web(WebError),
    Body(StatusCode, Box<ErrorBody>),
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        ApiError::Body(
            status,
            Box::new(ErrorBody {
                error: code.to_owned(),
                message: message.into(),
                field: None,
                problems: Vec::new(),
            }),
        )
    }

    pub fn with_problems(mut self, problems: Vec<Problem>) -> Self {
        if let ApiError::Body(_, body) = &mut self {
            body.problems = problems;
        }
        self
    }

    pub fn with_field(mut self, field: &str) -> Self {
        if let ApiError::Body(_, body) = &mut self {
            body.field = Some(field.to_owned());
        }
        self
    }

    /// 422 with the problems found in the request body.
    pub fn invalid(lang: Lang, key: &str, problems: Vec<Problem>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "validation", t(lang, key))
            .with_problems(problems)
    }

    /// 400 for a query parameter that is not right.
    pub fn query(lang: Lang, name: &str, code: &str, message: String) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "invalid_query",
            t(lang, "api.error.query"),
        )
        .with_problems(vec![Problem::new(name, code, message)])
    }

    /// 400 for a `page` that is not a whole number of 1 or more.
    pub fn bad_page(lang: Lang) -> Self {
        Self::query(lang, "page", "page", t(lang, "api.query.page").to_owned())
    }

    /// A store error as the API reports it: duplicates and conflicts say which.
    pub fn store(lang: Lang, err: StoreError) -> Self {
        match err {
            StoreError::Conflict => Self::new(
                StatusCode::CONFLICT,
                "conflict",
                t(lang, "error.conflict_member"),
            ),
            StoreError::Duplicate(field @ ("email" | "phone")) => {
                let message = t(lang, "form.error.contact_taken");
                Self::new(StatusCode::CONFLICT, "duplicate", message)
                    .with_field(field)
                    .with_problems(vec![Problem::new(
                        format!("$.{field}"),
                        "contact_taken",
                        message,
                    )])
            }
            other => ApiError::Web(WebError::Store(other)),
        }
    }
}

/// The JSON path of a profile form field: `bg_regio` → `$.background.regio`,
/// `supporter_name` → `$.supporter.name`.
pub fn profile_field_path(field: &str) -> String {
    if let Some(var) = field.strip_prefix("bg_") {
        format!("$.background.{var}")
    } else if let Some(part) = field.strip_prefix("supporter_") {
        format!("$.supporter.{part}")
    } else {
        format!("$.{field}")
    }
}

/// Field errors from profile validation as problems, one per field and reason.
pub fn field_problems(lang: Lang, errors: &[FieldError]) -> Vec<Problem> {
    errors
        .iter()
        .map(|e| {
            Problem::new(
                profile_field_path(&e.field),
                e.key.trim_start_matches("form.error."),
                t(lang, e.key),
            )
        })
        .collect()
}

/// Field errors of a JSON body as problems: each at `$.field`, coded by the last part of
/// its message key (`themes.error.name_taken` → `name_taken`).
pub fn body_problems(lang: Lang, errors: &[FieldError]) -> Vec<Problem> {
    errors
        .iter()
        .map(|e| {
            let code = e.key.rsplit('.').next().unwrap_or(e.key);
            Problem::new(format!("$.{}", e.field), code, t(lang, e.key))
        })
        .collect()
}

impl From<WebError> for ApiError {
    fn from(err: WebError) -> Self {
        ApiError::Web(err)
    }
}

impl From<crate::service::results::ResultsError> for ApiError {
    fn from(err: crate::service::results::ResultsError) -> Self {
        ApiError::Web(err.into())
    }
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        ApiError::Web(WebError::Store(err))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::Web(err) => err.into_response(),
            // JSON error responses pass `render_errors` unchanged.
            ApiError::Body(status, body) => (status, Json(*body)).into_response(),
        }
    }
}
