//! `/beheer/panels/{panel}/enquetes`: a panel's surveys with where each stands
//! (invitations, responses begun and sent, per way of answering), and the way in to
//! typing in returned paper questionnaires.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};

use crate::domain::panel::PanelDefinition;
use crate::store::entities::survey;
use crate::store::panels;
use crate::store::responses::{self, SurveyCounts};
use crate::web::auth::ManagerAuth;
use crate::web::ctx::PageCtx;
use crate::web::error::WebResult;
use crate::web::state::AppState;
use crate::web::view::datetime;

pub struct SurveyRow {
    pub survey: survey::Model,
    pub counts: SurveyCounts,
}

#[derive(Template, WebTemplate)]
#[template(path = "manager/surveys.html", config = "src/web/askama.toml")]
pub struct SurveysPage {
    pub ctx: PageCtx,
    pub panel: PanelDefinition,
    pub rows: Vec<SurveyRow>,
}

impl SurveysPage {
    fn when(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        datetime(at)
    }
    fn status(&self, s: &survey::Model) -> &'static str {
        self.ctx.t(s.status.i18n_key())
    }
    /// "web 3 · telefoon 0 · papier 1", begun or (`finished`) sent.
    fn by_mode(&self, counts: &SurveyCounts, finished: bool) -> String {
        counts
            .by_mode
            .iter()
            .map(|m| {
                let n = if finished { m.finished } else { m.started };
                let key = format!("survey.mode_short.{}", m.mode.code());
                format!("{} {n}", self.ctx.t(&key))
            })
            .collect::<Vec<_>>()
            .join(" · ")
    }
}

pub async fn list(
    State(state): State<AppState>,
    ctx: PageCtx,
    _auth: ManagerAuth,
    Path(panel_id): Path<String>,
) -> WebResult<SurveysPage> {
    let panel = panels::get(&state.db, &panel_id).await?;
    let mut rows = Vec::new();
    for survey in responses::surveys(&state.db, &panel_id).await? {
        rows.push(SurveyRow {
            counts: responses::survey_counts(&state.db, survey.id).await?,
            survey,
        });
    }
    Ok(SurveysPage { ctx, panel, rows })
}
