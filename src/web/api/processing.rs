//! `/api/v1/panels/{id}/processing-records`: the records of processing (GDPR art. 30),
//! the same content as the web page's JSON export, in the caller's language.

use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use utoipa::ToSchema;

use super::error::{ApiResult, ErrorBody};
use super::extract::ApiLang;
use crate::domain::processing::{Keep, records};
use crate::store::panels;
use crate::web::auth::ManagerAuth;
use crate::web::manager::processing::rows;
use crate::web::state::AppState;

/// The register for one panel.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProcessingRegister {
    pub panel: String,
    /// The organisation responsible (controller).
    pub controller: String,
    /// Where to write about privacy.
    pub contact: String,
    pub records: Vec<ProcessingRecord>,
}

/// One kind of personal data; the texts are in the caller's language.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProcessingRecord {
    pub data: String,
    pub purpose: String,
    pub legal_basis: String,
    /// How long it is kept, as text.
    pub retention: String,
    pub access: String,
    pub retention_rule: RetentionRule,
}

/// How long data is kept, as a rule.
#[derive(Debug, Serialize, ToSchema)]
pub struct RetentionRule {
    pub kind: RetentionKind,
    /// Months, days or hours, by `kind`.
    pub value: i64,
}

#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RetentionKind {
    /// As long as the member takes part, or until `value` months without taking part.
    MembershipOrInactiveMonths,
    Months,
    Days,
    Hours,
}

impl From<&Keep> for RetentionRule {
    fn from(keep: &Keep) -> Self {
        let (kind, value) = match keep {
            Keep::MembershipOrInactiveMonths(n) => {
                (RetentionKind::MembershipOrInactiveMonths, i64::from(*n))
            }
            Keep::Months(n) => (RetentionKind::Months, i64::from(*n)),
            Keep::Days(n) => (RetentionKind::Days, *n),
            Keep::Hours(n) => (RetentionKind::Hours, *n),
        };
        Self { kind, value }
    }
}

/// The panel's records of processing.
#[utoipa::path(
    get,
    path = "/api/v1/panels/{id}/processing-records",
    operation_id = "getProcessingRecords",
    tag = "panels",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The panel's id"),
        ("lang" = Option<String>, Query, description = "Language of the texts: `nl` (default) or `en`"),
    ),
    responses(
        (status = 200, description = "Which data, why, on which basis, how long, who can see it", body = ProcessingRegister),
        (status = 401, description = "No valid API key", body = ErrorBody),
        (status = 404, description = "No such panel", body = ErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    _auth: ManagerAuth,
    Path(panel_id): Path<String>,
) -> ApiResult<Json<ProcessingRegister>> {
    let panel = panels::get(&state.db, &panel_id).await?;
    let records = records(&panel);
    let texts = rows(lang, &records);
    Ok(Json(ProcessingRegister {
        panel: panel.id.to_string(),
        controller: panel.organisation,
        contact: panel.contact,
        records: records
            .iter()
            .zip(texts)
            .map(
                |(r, [data, purpose, legal_basis, retention, access])| ProcessingRecord {
                    data,
                    purpose,
                    legal_basis,
                    retention,
                    access,
                    retention_rule: (&r.keep).into(),
                },
            )
            .collect(),
    }))
}
