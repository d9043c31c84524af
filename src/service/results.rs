//! A survey's results: its finished responses summarised per question (`stats`), the
//! view outsiders get (small groups hidden), who among the members may see them, and
//! the manager's feedback texts with their publication.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use crate::domain::feedback::{self, FeedbackAction, FeedbackTexts};
use crate::domain::grouping::GroupBy;
use crate::domain::ids::{CategoryValue, VariableId};
use crate::domain::panel::PanelDefinition;
use crate::domain::questionnaire::Questionnaire;
use crate::domain::response::Mode;
use crate::domain::response::{ResponseStatus, SurveyStatus};
use crate::domain::signup::FieldError;
use crate::i18n::Lang;
use crate::stats::{self, Crosstab, Grouping, PublicSurvey, StatsError, SurveySummary};
use crate::store::entities::{survey, survey_feedback};
use crate::store::{self, StoreError, panels, questionnaires, responses, results};

#[derive(Debug, thiserror::Error)]
pub enum ResultsError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Stats(#[from] StatsError),
    /// The summary's worker thread did not finish (it panicked).
    #[error("summary stopped: {0}")]
    Stopped(String),
}

/// Everything the results pages show.
pub struct SurveyResults {
    pub survey: survey::Model,
    pub panel: PanelDefinition,
    pub questionnaire: Questionnaire,
    pub summary: SurveySummary,
    pub feedback: Option<survey_feedback::Model>,
    /// Finished responses per way of answering (web, phone, paper), for the manager.
    pub by_mode: Vec<(crate::domain::response::Mode, u64)>,
    /// The crosstabs asked for, in the order asked.
    pub crosstabs: Vec<(GroupBy, Crosstab)>,
    /// The variables the figures were weighted by (raking to the panel's targets), and
    /// why not when raking was not possible; `None` when no weighting was asked for.
    pub weighting: Option<(Vec<VariableId>, Result<stats::Weights, stats::WeightError>)>,
    /// The themes the manager coded the open answers with (texts included).
    pub themes: Vec<super::themes::Theme>,
    /// How many respondents wrote about each theme, overall and split like `crosstabs`.
    pub theme_counts: stats::ThemeCounts,
}

impl SurveyResults {
    /// The panel's smallest group that may be shown outside the manager's own view.
    pub fn min_cell_size(&self) -> u32 {
        self.panel.reporting.min_cell_size
    }

    pub fn published(&self) -> bool {
        self.feedback
            .as_ref()
            .is_some_and(|f| f.published_at.is_some())
    }

    /// The figures as respondents see them.
    pub fn public(&self) -> PublicSurvey {
        stats::public(&self.summary, self.min_cell_size())
    }
}

/// The whole eligible panel when the survey invited all of it (planned with size
/// "everyone"): the population for the finite population correction.
async fn population(
    db: &impl ConnectionTrait,
    s: &survey::Model,
) -> Result<Option<u64>, StoreError> {
    if s.scheduled_at.is_none() || s.sample_size.is_some() {
        return Ok(None);
    }
    Ok(Some(results::invitation_count(db, s.id).await?).filter(|n| *n > 0))
}

/// Summarise a survey's finished responses; appended questions in `lang`.
pub async fn load(
    db: &impl ConnectionTrait,
    survey_id: i64,
    lang: Lang,
) -> Result<SurveyResults, ResultsError> {
    load_with(db, survey_id, lang, &[]).await
}

/// A member's background answers, by variable.
pub type Background = BTreeMap<VariableId, CategoryValue>;

/// Some background variables' values for each response, looked up in one pass for every
/// grouping and the weighting. A value is kept as its position among the variable's
/// categories in the panel; a value outside them (the panel changed) comes after those.
pub struct ResponseBackgrounds<'a> {
    variables: Vec<VariableId>,
    /// Per variable: the panel's categories, then the other values found.
    values: Vec<Vec<&'a str>>,
    /// Per variable, each response's value as an index into `values`; `None` for a
    /// member who did not answer it or was erased.
    codes: Vec<Vec<Option<u32>>>,
}

impl<'a> ResponseBackgrounds<'a> {
    /// The values of `variables` for each of `responses`, from `backgrounds` (by
    /// respondent).
    pub fn new(
        panel: &'a PanelDefinition,
        variables: &[VariableId],
        responses: &[results::FinishedResponse],
        backgrounds: &'a HashMap<String, Background>,
    ) -> Self {
        let mut values: Vec<Vec<&'a str>> = variables
            .iter()
            .map(|id| {
                panel
                    .variable(id.as_str())
                    .map(|v| v.categories.iter().map(|c| c.value.as_str()).collect())
                    .unwrap_or_default()
            })
            .collect();
        let value = |r: &results::FinishedResponse, id: &VariableId| {
            backgrounds.get(&r.respondent).and_then(|b| b.get(id))
        };
        // On every core: each value's position among the categories, `OUTSIDE` for
        // another value.
        const OUTSIDE: u32 = u32::MAX;
        let parts = crate::parallel::in_chunks(responses.len(), 1 << 14, |range| {
            let mut codes = vec![Vec::with_capacity(range.len()); variables.len()];
            for r in &responses[range] {
                let background = backgrounds.get(&r.respondent);
                for ((id, known), codes) in variables.iter().zip(&values).zip(&mut codes) {
                    codes.push(background.and_then(|b| b.get(id)).map(|v| {
                        known
                            .iter()
                            .position(|k| *k == v.as_str())
                            .map_or(OUTSIDE, |i| i as u32)
                    }));
                }
            }
            codes
        });
        let mut codes = vec![Vec::with_capacity(responses.len()); variables.len()];
        for part in parts {
            for (all, part) in codes.iter_mut().zip(part) {
                all.extend(part);
            }
        }
        // Values outside the categories (rare): numbered after them, as they come.
        for ((id, values), codes) in variables.iter().zip(&mut values).zip(&mut codes) {
            for (r, code) in responses.iter().zip(codes.iter_mut()) {
                if *code == Some(OUTSIDE)
                    && let Some(v) = value(r, id)
                {
                    let v = v.as_str();
                    let i = values.iter().position(|k| *k == v).unwrap_or_else(|| {
                        values.push(v);
                        values.len() - 1
                    });
                    *code = Some(i as u32);
                }
            }
        }
        Self {
            variables: variables.to_vec(),
            values,
            codes,
        }
    }

    fn column(&self, variable: &VariableId) -> Option<usize> {
        self.variables.iter().position(|v| v == variable)
    }
}

/// The respondents split by `by`, with the groups' labels in `lang`; `backgrounds` has
/// the responses' values of the variable when `by` is one. A member who was erased, or
/// never answered a background question, is in the group "onbekend".
pub fn grouping(
    by: &GroupBy,
    panel: &PanelDefinition,
    responses: &[results::FinishedResponse],
    backgrounds: &ResponseBackgrounds,
    lang: Lang,
) -> Grouping {
    let t = |key: &str| crate::i18n::t(lang, key).to_owned();
    let unknown = t("results.cross.unknown");
    let (name, mut labels, codes): (String, Vec<String>, Vec<u32>) = match by {
        GroupBy::Background(id) => {
            let variable = panel.background_variables.iter().find(|v| &v.id == id);
            let categories = variable.map(|v| v.categories.as_slice()).unwrap_or(&[]);
            // Values outside the categories come after them: "onbekend" too.
            let known = categories.len() as u32;
            let codes = match backgrounds.column(id) {
                Some(column) => backgrounds.codes[column]
                    .iter()
                    .map(|c| c.filter(|c| *c < known).unwrap_or(known))
                    .collect(),
                None => vec![known; responses.len()],
            };
            (
                variable.map_or_else(|| id.to_string(), |v| v.question.clone()),
                categories.iter().map(|c| c.label.clone()).collect(),
                codes,
            )
        }
        GroupBy::Mode => (
            t("results.cross.by_mode"),
            Mode::ALL
                .iter()
                .map(|m| t(&format!("survey.mode_short.{}", m.code())))
                .collect(),
            responses
                .iter()
                .map(|r| {
                    Mode::ALL
                        .iter()
                        .position(|m| *m == r.mode)
                        .unwrap_or(Mode::ALL.len()) as u32
                })
                .collect(),
        ),
        GroupBy::Proxy => {
            use crate::domain::response::Proxy;
            (
                t("results.cross.by_proxy"),
                Proxy::ALL
                    .iter()
                    .map(|p| t(&format!("results.cross.proxy.{}", p.code())))
                    .collect(),
                responses
                    .iter()
                    .map(|r| {
                        r.proxy
                            .and_then(|p| Proxy::ALL.iter().position(|q| *q == p))
                            .unwrap_or(Proxy::ALL.len()) as u32
                    })
                    .collect(),
            )
        }
    };
    // "Onbekend" only when someone is in it.
    if codes.iter().any(|c| *c as usize >= labels.len()) {
        labels.push(unknown);
    }
    Grouping {
        name,
        labels,
        codes,
    }
}

/// Raking weights for the responses whose values of `variables` are in `backgrounds`,
/// to the panel's targets; a member without a value (or erased) is in category "?",
/// which has no target.
pub fn weights(
    panel: &PanelDefinition,
    variables: &[VariableId],
    backgrounds: &ResponseBackgrounds,
) -> Result<stats::Weights, stats::WeightError> {
    let margins = stats::Margin::from_panel(panel, variables)?;
    let respondents = backgrounds.codes.first().map_or(0, Vec::len);
    let mut units = stats::CodedUnits {
        respondents,
        ..Default::default()
    };
    for variable in variables {
        // The values found, then "?" for a member without one.
        let (mut names, codes) = match backgrounds.column(variable) {
            Some(c) => (backgrounds.values[c].clone(), &backgrounds.codes[c][..]),
            None => (Vec::new(), &[][..]),
        };
        let unknown = names.len() as u32;
        names.push("?");
        units.codes.push(match codes.len() {
            0 => vec![unknown; respondents],
            _ => codes.iter().map(|c| c.unwrap_or(unknown)).collect(),
        });
        units.names.push(names);
    }
    stats::rake_coded(&units, &margins, &stats::RakeOptions::default())?.require_converged()
}

/// `load`, with the crosstabs of the results by each of `by`.
pub async fn load_with(
    db: &impl ConnectionTrait,
    survey_id: i64,
    lang: Lang,
    by: &[GroupBy],
) -> Result<SurveyResults, ResultsError> {
    load_weighted(db, survey_id, lang, by, &[]).await
}

/// `load_with`, the figures also weighted by raking to the panel's targets over
/// `weight_by` (when not empty).
pub async fn load_weighted(
    db: &impl ConnectionTrait,
    survey_id: i64,
    lang: Lang,
    by: &[GroupBy],
    weight_by: &[VariableId],
) -> Result<SurveyResults, ResultsError> {
    let survey = responses::survey(db, survey_id).await?;
    let panel = panels::get(db, &survey.panel_id).await?;
    let version = questionnaires::version(db, survey.version_id).await?;
    let questionnaire = questionnaires::parsed(&version)?;
    let responses = results::finished_responses(db, survey.id).await?;
    let population = population(db, &survey).await?;
    let questions = questionnaire.with_appendix(lang);
    let backgrounds = if by.is_empty() && weight_by.is_empty() {
        HashMap::new()
    } else {
        results::respondent_backgrounds(db, survey.id).await?
    };
    let mut variables: Vec<VariableId> = weight_by.to_vec();
    for b in by {
        if let GroupBy::Background(id) = b
            && !variables.contains(id)
        {
            variables.push(id.clone());
        }
    }
    let each = ResponseBackgrounds::new(&panel, &variables, &responses, &backgrounds);
    let groupings: Vec<Grouping> = by
        .iter()
        .map(|b| grouping(b, &panel, &responses, &each, lang))
        .collect();
    let weighting = (!weight_by.is_empty()).then(|| {
        let w = weights(&panel, weight_by, &each);
        (weight_by.to_vec(), w)
    });
    let (themes, theme_counts) =
        super::themes::counts(db, survey.id, &questions, &responses, &groupings).await?;
    let values: Option<Vec<f64>> = weighting
        .as_ref()
        .and_then(|(_, w)| w.as_ref().ok())
        .map(|w| w.values.clone());
    let answers: Vec<_> = responses.into_iter().map(|r| r.answers).collect();
    // polars works synchronously (and may block in place): off the async threads.
    let (summary, crosstabs) = tokio::task::spawn_blocking(move || {
        stats::analyse(
            &questions,
            &answers,
            population,
            &groupings,
            values.as_deref(),
        )
    })
    .await
    .map_err(|e| ResultsError::Stopped(e.to_string()))??;
    let crosstabs = by.iter().cloned().zip(crosstabs).collect();
    let feedback = results::feedback(db, survey.id).await?;
    let by_mode = responses::survey_counts(db, survey.id)
        .await?
        .by_mode
        .iter()
        .map(|m| (m.mode, m.finished))
        .collect();
    Ok(SurveyResults {
        survey,
        panel,
        questionnaire,
        summary,
        feedback,
        by_mode,
        crosstabs,
        weighting,
        themes,
        theme_counts,
    })
}

/// What a member gets on asking for a survey's results.
pub enum MemberView {
    Results(Box<SurveyResults>),
    /// The results are for those who answered.
    NotRespondent,
    /// Not published (yet).
    NotPublished,
}

/// The results for the member with this pseudonym: only for those who sent their
/// answers, and only once the manager published them.
pub async fn for_member(
    db: &impl ConnectionTrait,
    survey: &survey::Model,
    pseudonym: &str,
    lang: Lang,
) -> Result<MemberView, ResultsError> {
    let response = responses::response_for(db, survey.id, pseudonym).await?;
    if !response.is_some_and(|r| r.status == ResponseStatus::Finished) {
        return Ok(MemberView::NotRespondent);
    }
    if !is_published(db, survey.id).await? {
        return Ok(MemberView::NotPublished);
    }
    Ok(MemberView::Results(Box::new(
        load(db, survey.id, lang).await?,
    )))
}

/// Whether the survey's results are published for its respondents.
pub async fn is_published(db: &impl ConnectionTrait, survey_id: i64) -> Result<bool, StoreError> {
    Ok(results::feedback(db, survey_id)
        .await?
        .is_some_and(|f| f.published_at.is_some()))
}

/// Save the manager's texts and publish or withdraw the results; the problems when the
/// texts are too long or publishing is not possible yet (nothing is stored then). The
/// first publication also queues the results email to the respondents who asked for it
/// (`feedback_mail`), in the same transaction.
pub async fn save_feedback(
    db: &DatabaseConnection,
    survey: &survey::Model,
    texts: &FeedbackTexts,
    action: FeedbackAction,
    manager_id: i64,
    base_url: &str,
    now: DateTime<Utc>,
) -> Result<Result<survey_feedback::Model, Vec<FieldError>>, ResultsError> {
    let respondents = responses::survey_counts(db, survey.id).await?.finished();
    let closed = survey.status == SurveyStatus::Closed;
    let problems = feedback::problems(texts, action, closed, respondents);
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    let _turn = store::write_turn(db).await;
    let txn = store::begin_write(db).await.map_err(StoreError::from)?;
    let first = action == FeedbackAction::Publish && !is_published(&txn, survey.id).await?;
    let saved = results::save_feedback(&txn, survey.id, texts, action, manager_id, now).await?;
    if first {
        let queued = super::feedback_mail::queue(&txn, survey, base_url, now).await?;
        tracing::info!(
            survey = survey.id,
            queued,
            "results published; results emails queued"
        );
    }
    txn.commit().await.map_err(StoreError::from)?;
    Ok(Ok(saved))
}

/// A survey's report of `kind` as an HTML page, in `lang`.
pub async fn report(
    db: &impl ConnectionTrait,
    survey_id: i64,
    kind: crate::report::documents::ReportKind,
    lang: Lang,
) -> Result<(SurveyResults, String), ResultsError> {
    let survey = responses::survey(db, survey_id).await?;
    let panel = panels::get(db, &survey.panel_id).await?;
    let results = load_with(db, survey_id, lang, &kind.groupings(&panel)).await?;
    let html = crate::report::documents::render(kind, &results, lang);
    Ok((results, html))
}
