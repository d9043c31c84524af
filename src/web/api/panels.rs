//! `/api/v1/panels`: list the panel definitions, and load or replace one from its panel
//! file (the same checks as the dashboard's upload, with each problem's JSON path).

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::error::{ApiError, ApiResult, ErrorBody, Problem};
use super::extract::{ApiJson, ApiLang};
use crate::domain::panel::{PanelDefinition, PanelProblem, PanelProblemKind};
use crate::i18n::{Lang, tf};
use crate::store::{StoreError, panels};
use crate::web::auth::ManagerAuth;
use crate::web::state::AppState;

/// A panel file: the panel's definition, as `klankbord panels load` reads it.
/// (Documentation only: the server parses into `PanelDefinition`; a test keeps the two
/// the same shape.)
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PanelFile {
    /// Machine name: letters, digits and `- _ + .`, at most 64 characters.
    pub id: String,
    pub name: String,
    pub organisation: String,
    /// Email address members can write to with questions.
    pub contact: String,
    /// Phone number members can call for help.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    pub language: String,
    /// The mission the panel serves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mission: Option<String>,
    /// Minimum age to take part; 18 when left out.
    #[serde(default = "default_min_age")]
    pub min_age: u8,
    /// Version of the consent text; "1" when left out.
    #[serde(default = "default_consent_version")]
    pub consent_version: String,
    pub background_variables: Vec<PanelVariable>,
    /// Target share (0 to 1) per variable and category; a variable's shares add up to 1.
    pub targets: BTreeMap<String, BTreeMap<String, f64>>,
    pub contact_policy: PanelContactPolicy,
    pub reporting: PanelReporting,
    pub retention: PanelRetention,
}

fn default_min_age() -> u8 {
    18
}

fn default_consent_version() -> String {
    "1".to_owned()
}

/// A background variable: the question members answer at sign-up.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PanelVariable {
    pub id: String,
    pub question: String,
    pub categories: Vec<PanelCategory>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PanelCategory {
    pub value: String,
    pub label: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PanelContactPolicy {
    pub max_invitations_per_year: u32,
    pub max_flash_polls_per_month: u32,
    pub min_days_between_invitations: u32,
    pub max_reminders_per_invitation: u32,
    pub quiet_hours: PanelQuietHours,
    /// Calls to one member per survey at most (phone fallback); 5 when left out.
    #[serde(default = "default_call_attempts")]
    pub max_call_attempts: u32,
}

fn default_call_attempts() -> u32 {
    crate::domain::phone::DEFAULT_MAX_ATTEMPTS
}

/// No messages or calls between `from` and `to` (HH:MM) in `timezone`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PanelQuietHours {
    pub from: String,
    pub to: String,
    pub timezone: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PanelReporting {
    /// Reports never show a group smaller than this.
    pub min_cell_size: u32,
    /// How members joined: `opt_in` (they signed up; the default) or `probability`
    /// (invited from a probability sample). Decides which AAPOR rates lead.
    #[serde(default = "opt_in")]
    #[schema(example = "opt_in")]
    pub recruitment: String,
}

fn opt_in() -> String {
    "opt_in".to_owned()
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PanelRetention {
    pub inactive_member_months: u32,
    pub response_months: u32,
}

/// The code and the text of a panel-file problem.
pub fn problem_text(lang: Lang, kind: &PanelProblemKind) -> (&'static str, String) {
    use PanelProblemKind as K;
    let (code, args): (&'static str, Vec<(&str, String)>) = match kind {
        K::DuplicateVariable { id } => ("duplicate_variable", vec![("id", id.clone())]),
        K::DuplicateCategory { value } => ("duplicate_category", vec![("value", value.clone())]),
        K::NoCategories => ("no_categories", vec![]),
        K::UnknownTargetVariable { id } => ("unknown_target_variable", vec![("id", id.clone())]),
        K::UnknownTargetCategory { value } => {
            ("unknown_target_category", vec![("value", value.clone())])
        }
        K::MissingTargetCategory { value } => {
            ("missing_target_category", vec![("value", value.clone())])
        }
        K::TargetsDoNotSumToOne { sum_per_mille } => (
            "targets_do_not_sum_to_one",
            vec![("sum", (*sum_per_mille as f64 / 1000.0).to_string())],
        ),
        K::TargetOutOfRange => ("target_out_of_range", vec![]),
        K::BadTime { value } => ("bad_time", vec![("value", value.clone())]),
        K::MinCellSizeZero => ("min_cell_size_zero", vec![]),
    };
    let args: Vec<(&str, &dyn std::fmt::Display)> = args
        .iter()
        .map(|(k, v)| (*k, v as &dyn std::fmt::Display))
        .collect();
    (code, tf(lang, &format!("api.panel_problem.{code}"), &args))
}

fn problem(lang: Lang, p: &PanelProblem) -> Problem {
    let (code, message) = problem_text(lang, &p.kind);
    Problem::new(p.path.clone(), code, message)
}

/// List every panel's definition.
#[utoipa::path(
    get,
    path = "/api/v1/panels",
    operation_id = "listPanels",
    tag = "panels",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Every panel, ordered by id", body = [PanelFile]),
        (status = 401, description = "No valid API key", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    _auth: ManagerAuth,
) -> ApiResult<Json<Vec<PanelDefinition>>> {
    Ok(Json(panels::list(&state.db).await?))
}

/// Load a panel file, or replace the panel with the same id.
///
/// The file is checked as on the dashboard: unknown fields, targets that do not match
/// the variables or do not add up to 1, malformed quiet hours. Every problem is reported
/// with its JSON path; nothing is stored while there is one.
#[utoipa::path(
    put,
    path = "/api/v1/panels/{id}",
    operation_id = "putPanel",
    tag = "panels",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The panel's id; must equal `id` in the file")),
    request_body(content = PanelFile, description = "The panel file", content_type = "application/json"),
    responses(
        (status = 200, description = "The panel was replaced", body = PanelFile),
        (status = 201, description = "The panel was created", body = PanelFile),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "No valid API key", body = ErrorBody),
        (status = 413, description = "The body is too large", body = ErrorBody),
        (status = 415, description = "The body is not sent as JSON", body = ErrorBody),
        (status = 422, description = "The panel file has problems; each names its JSON path", body = ErrorBody),
    )
)]
pub async fn put(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    _auth: ManagerAuth,
    Path(id): Path<String>,
    ApiJson(panel): ApiJson<PanelDefinition>,
) -> ApiResult<(StatusCode, Json<PanelDefinition>)> {
    let mut problems = Vec::new();
    if panel.id.as_str() != id {
        problems.push(Problem::new(
            "$.id",
            "id_mismatch",
            crate::i18n::t(lang, "api.error.panel_id_mismatch"),
        ));
    }
    problems.extend(panel.problems().iter().map(|p| problem(lang, p)));
    if !problems.is_empty() {
        return Err(ApiError::invalid(lang, "manager.panel.invalid", problems));
    }
    let status = match panels::get(&state.db, &id).await {
        Ok(_) => StatusCode::OK,
        Err(StoreError::NotFound) => StatusCode::CREATED,
        Err(e) => return Err(e.into()),
    };
    panels::upsert(&state.db, &panel, state.now()).await?;
    Ok((status, Json(panel)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_panel_file_has_the_shape_of_the_real_one() {
        let text = include_str!("../../../panel-schemas/examples/panel.json");
        let real = serde_json::to_value(PanelDefinition::from_json(text).unwrap()).unwrap();
        let documented: PanelFile = serde_json::from_value(real.clone()).unwrap();
        assert_eq!(serde_json::to_value(documented).unwrap(), real);
        let mut minimal: serde_json::Value = serde_json::from_str(text).unwrap();
        minimal.as_object_mut().unwrap().remove("min_age");
        let documented: PanelFile = serde_json::from_value(minimal.clone()).unwrap();
        let real: PanelDefinition = serde_json::from_value(minimal).unwrap();
        assert_eq!(
            serde_json::to_value(documented).unwrap(),
            serde_json::to_value(real).unwrap()
        );
    }

    #[test]
    fn every_problem_has_a_text_in_both_languages() {
        use PanelProblemKind as K;
        let kinds = [
            K::DuplicateVariable { id: "x".into() },
            K::DuplicateCategory { value: "x".into() },
            K::NoCategories,
            K::UnknownTargetVariable { id: "x".into() },
            K::UnknownTargetCategory { value: "x".into() },
            K::MissingTargetCategory { value: "x".into() },
            K::TargetsDoNotSumToOne {
                sum_per_mille: 1100,
            },
            K::TargetOutOfRange,
            K::BadTime {
                value: "8:00".into(),
            },
            K::MinCellSizeZero,
        ];
        for lang in Lang::ALL {
            for kind in &kinds {
                let (code, text) = problem_text(lang, kind);
                assert!(!text.contains("api.panel_problem"), "{code}: {text}");
                assert!(!text.contains('{'), "{code}: {text}");
                let tag = serde_json::to_value(kind).unwrap()["kind"].clone();
                assert_eq!(tag, code, "the code is the kind's serde tag");
            }
        }
        let (_, text) = problem_text(
            Lang::En,
            &K::TargetsDoNotSumToOne {
                sum_per_mille: 1100,
            },
        );
        assert!(text.contains("1.1"), "{text}");
    }
}
