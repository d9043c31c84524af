//! The research export of a survey: its finished responses with mode, proxy, date,
//! the members' background and the answers, read from the store and shaped into a
//! `report::export::Dataset` that the web layer writes as CSV, XLSX, SPSS or codebook.

use sea_orm::ConnectionTrait;

use crate::domain::fieldwork::ZONE;
use crate::domain::ids::VariableId;
use crate::i18n::Lang;
use crate::report::export::{self, Dataset, ExportError, ResponseRow, SurveyData};
use crate::store::{StoreError, panels, questionnaires, responses, results, settings, tokens};

/// The setting that holds the key of the export's respondent ids.
const RESPONDENT_KEY: &str = "export_respondent_key";

#[derive(Debug, thiserror::Error)]
pub enum ExportsError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Export(#[from] ExportError),
    /// The respondents could not be weighted as asked.
    #[error(transparent)]
    Weight(#[from] crate::stats::WeightError),
}

/// The dataset of a survey's finished responses, with klankbord's own labels in `lang`,
/// weighted by raking to the panel's targets over `weight_by` like the results page
/// (every weight 1 when empty).
pub async fn dataset(
    db: &impl ConnectionTrait,
    survey_id: i64,
    lang: Lang,
    weight_by: &[VariableId],
) -> Result<Dataset, ExportsError> {
    let survey = responses::survey(db, survey_id).await?;
    let panel = panels::get(db, &survey.panel_id).await?;
    let version = questionnaires::version(db, survey.version_id).await?;
    let questions = questionnaires::parsed(&version)?.with_appendix(lang);
    let key = settings::get_or_insert(db, RESPONDENT_KEY, tokens::new_token).await?;
    let backgrounds = results::respondent_backgrounds(db, survey.id).await?;
    let finished = results::finished_responses(db, survey.id).await?;
    let weights = if weight_by.is_empty() {
        None
    } else {
        let each =
            super::results::ResponseBackgrounds::new(&panel, weight_by, &finished, &backgrounds);
        Some(super::results::weights(&panel, weight_by, &each)?.values)
    };
    let rows: Vec<ResponseRow> = finished
        .into_iter()
        .map(|r| ResponseRow {
            respondent: export::respondent_id(key.as_bytes(), survey.id, &r.respondent),
            mode: r.mode,
            proxy: r.proxy,
            finished: r.finished_at.with_timezone(&ZONE).date_naive(),
            background: backgrounds.get(&r.respondent).cloned().unwrap_or_default(),
            answers: r.answers,
        })
        .collect();
    let data = SurveyData {
        survey_id: survey.id,
        title: &survey.title,
        lang,
        questions: &questions,
        background: &panel.background_variables,
        responses: &rows,
    };
    Ok(export::build(&data, weights.as_deref())?)
}
