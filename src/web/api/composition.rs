//! `/api/v1/panels/{id}/composition`: the panel's composition against its targets, the
//! same numbers as the web page (`domain::composition` over the active members).

use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use utoipa::ToSchema;

use super::error::{ApiResult, ErrorBody};
use crate::domain::composition::{CategoryRow, VariableComposition, composition};
use crate::store::{members, panels};
use crate::web::auth::ManagerAuth;
use crate::web::state::AppState;

/// The panel's composition per background variable.
#[derive(Debug, Serialize, ToSchema)]
pub struct Composition {
    pub panel: String,
    /// Active members counted.
    pub members: u64,
    pub variables: Vec<VariableShare>,
}

/// One background variable: shares are taken over the members who answered it.
#[derive(Debug, Serialize, ToSchema)]
pub struct VariableShare {
    pub variable: String,
    pub question: String,
    /// Members who answered this variable.
    pub answered: u64,
    /// Members who did not.
    pub unknown: u64,
    pub categories: Vec<CategoryShare>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryShare {
    pub value: String,
    pub label: String,
    pub count: u64,
    /// Share of those who answered, in percent, one decimal.
    pub percent: f64,
    /// The target share in percent, if the panel has one.
    pub target_percent: Option<f64>,
    /// `percent - target_percent`, in percentage points.
    pub gap_points: Option<f64>,
}

impl From<CategoryRow> for CategoryShare {
    fn from(c: CategoryRow) -> Self {
        Self {
            value: c.value,
            label: c.label,
            count: c.count,
            percent: c.percent,
            target_percent: c.target_percent,
            gap_points: c.gap_points,
        }
    }
}

impl From<VariableComposition> for VariableShare {
    fn from(v: VariableComposition) -> Self {
        Self {
            variable: v.variable,
            question: v.question,
            answered: v.answered,
            unknown: v.unknown,
            categories: v.categories.into_iter().map(Into::into).collect(),
        }
    }
}

/// The panel's composition against its target distribution.
#[utoipa::path(
    get,
    path = "/api/v1/panels/{id}/composition",
    operation_id = "getComposition",
    tag = "panels",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The panel's id")),
    responses(
        (status = 200, description = "Count, share, target and gap per category", body = Composition),
        (status = 401, description = "No valid API key", body = ErrorBody),
        (status = 404, description = "No such panel", body = ErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    _auth: ManagerAuth,
    Path(panel_id): Path<String>,
) -> ApiResult<Json<Composition>> {
    let panel = panels::get(&state.db, &panel_id).await?;
    let (total, counts) = members::composition_counts(&state.db, &panel_id).await?;
    let variables = composition(&panel, &counts, total)
        .into_iter()
        .map(Into::into)
        .collect();
    Ok(Json(Composition {
        panel: panel.id.to_string(),
        members: total,
        variables,
    }))
}
