//! What the survey pages share: labels of background answers, the plan in words, when a
//! survey closes as members count it, and the notice after an action.

use chrono::{DateTime, Duration, NaiveTime, Utc};
use serde::Deserialize;

use crate::domain::fieldwork::{Size, ZONE};
use crate::domain::panel::PanelDefinition;
use crate::domain::questionnaire::Eligibility;
use crate::service::fieldwork::SurveyPlan;
use crate::store::entities::survey;
use crate::store::questionnaires;
use crate::web::ctx::PageCtx;
use crate::web::error::WebResult;
use crate::web::state::AppState;
use crate::web::view::datetime;

/// The label of a category of a background variable, or its value when the panel no
/// longer has it.
pub fn category_label(panel: &PanelDefinition, variable: &str, category: &str) -> String {
    panel
        .variable(variable)
        .and_then(|v| v.categories.iter().find(|c| c.value.as_str() == category))
        .map_or_else(|| category.to_owned(), |c| c.label.clone())
}

/// The question of a background variable, or its id.
pub fn variable_question(panel: &PanelDefinition, variable: &str) -> String {
    panel
        .variable(variable)
        .map_or_else(|| variable.to_owned(), |v| v.question.clone())
}

/// "Ervaringsvragenlijst (versie 2)".
pub async fn version_label(state: &AppState, ctx: &PageCtx, version_id: i64) -> WebResult<String> {
    let v = questionnaires::version(&state.db, version_id).await?;
    Ok(ctx.tf2(
        "survey.form.version_label",
        "title",
        &v.title,
        "n",
        v.version,
    ))
}

/// Who an eligibility lets in, in words: "Hoe oud bent u?: 18 tot 35 jaar, …; …".
pub fn eligibility_text(panel: &PanelDefinition, eligibility: &Eligibility) -> String {
    eligibility
        .iter()
        .map(|(variable, categories)| {
            let labels: Vec<String> = categories
                .iter()
                .map(|c| category_label(panel, variable.as_str(), c.as_str()))
                .collect();
            format!(
                "{}: {}",
                variable_question(panel, variable.as_str()),
                labels.join(", ")
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// When a survey closes, as members count: a survey closed from midnight on is open up
/// to and including the day before.
pub fn closing_text(ctx: &PageCtx, at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&ZONE);
    if local.time() == NaiveTime::MIN {
        let last_day = local.date_naive() - Duration::days(1);
        ctx.tf1("survey.plan.until", "date", last_day.format("%d-%m-%Y"))
    } else {
        datetime(&at)
    }
}

/// The plan in words, as label and value.
pub fn plan_lines(
    ctx: &PageCtx,
    panel: &PanelDefinition,
    s: &survey::Model,
    plan: &SurveyPlan,
    version: &str,
) -> Vec<(String, String)> {
    let who = if plan.eligibility.is_empty() {
        ctx.t("survey.plan.everyone").to_owned()
    } else {
        eligibility_text(panel, &plan.eligibility)
    };
    let size = match plan.size {
        Size::All => ctx.t("survey.plan.size_all").to_owned(),
        Size::N(n) => ctx.tf1("survey.plan.size_n", "n", n),
    };
    let mut quota_vars: Vec<&str> = Vec::new();
    for q in &plan.quotas {
        if !quota_vars.contains(&q.variable.as_str()) {
            quota_vars.push(q.variable.as_str());
        }
    }
    let quotas = if quota_vars.is_empty() {
        ctx.t("survey.plan.no_quotas").to_owned()
    } else {
        quota_vars
            .iter()
            .map(|v| variable_question(panel, v))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let reminder = match plan.schedule.reminder_after_days {
        Some(days) => ctx.tf1("survey.plan.reminder_days", "days", days),
        None => ctx.t("survey.plan.no_reminder").to_owned(),
    };
    vec![
        (
            ctx.t("survey.plan.questionnaire").to_owned(),
            version.to_owned(),
        ),
        (
            ctx.t("survey.plan.status").to_owned(),
            ctx.t(s.status.i18n_key()).to_owned(),
        ),
        (ctx.t("survey.plan.who").to_owned(), who),
        (ctx.t("survey.plan.size").to_owned(), size),
        (ctx.t("survey.plan.quotas").to_owned(), quotas),
        (ctx.t("survey.plan.seed").to_owned(), plan.seed.to_string()),
        (
            ctx.t("survey.plan.send_at").to_owned(),
            datetime(&s.opens_at),
        ),
        (ctx.t("survey.plan.reminder").to_owned(), reminder),
        (
            ctx.t("survey.plan.closes_at").to_owned(),
            closing_text(ctx, s.closes_at),
        ),
    ]
}

/// `?klaar=…`: what was just done, for the notice at the top.
#[derive(Deserialize, Default)]
pub struct Done {
    #[serde(default)]
    klaar: String,
}

/// The notice after an action, from `?klaar=`.
pub fn done_notice(ctx: &PageCtx, done: &Done) -> Option<String> {
    let key = match done.klaar.as_str() {
        "opgeslagen" => "survey.done.saved",
        "gepland" => "survey.done.scheduled",
        "gepauzeerd" => "survey.done.paused",
        "hervat" => "survey.done.resumed",
        "gesloten" => "survey.done.closed",
        _ => return None,
    };
    Some(ctx.t(key).to_owned())
}
