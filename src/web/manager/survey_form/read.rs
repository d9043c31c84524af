//! Reading the typed form into a plan: numbers, dates and times on Dutch clocks.

use chrono::{DateTime, NaiveTime, Utc};

use super::{PlanForm, Problem, from_local, parse_date, parse_time, whole};
use crate::domain::fieldwork::{Closing, Message, Quota, Schedule, Size};
use crate::domain::panel::PanelDefinition;
use crate::domain::questionnaire::Eligibility;
use crate::i18n::{Lang, t};
use crate::service::fieldwork::{PlanProblem, SurveyPlan};

impl PlanForm {
    /// The plan as typed, and every problem reading it. Where a field cannot be read the
    /// plan holds a stand-in, so the service can still judge the rest.
    pub fn plan(
        &self,
        lang: Lang,
        panel: &PanelDefinition,
        now: DateTime<Utc>,
    ) -> (SurveyPlan, Vec<Problem>) {
        let mut problems = Vec::new();
        let msg = |key: &str| t(lang, key).to_owned();
        let version_id = self.version.parse::<i64>().unwrap_or_else(|_| {
            problems.push(Problem::at(
                "version",
                PlanProblem::NotPublished.message(lang),
            ));
            0
        });
        let eligibility = self.eligibility(panel).unwrap_or_else(|mut p| {
            p.message = msg("survey.form.error.eligibility");
            problems.push(p);
            Eligibility::new()
        });
        let size = self.size().unwrap_or_else(|| {
            problems.push(Problem::at("size_n", msg("survey.form.error.size")));
            Size::All
        });
        let mut quotas = Vec::new();
        for row in &self.quotas {
            if !self.quota_vars.contains(&row.vi) {
                continue;
            }
            let var = &panel.background_variables[row.vi];
            let Some(category) = var.categories.get(row.ci) else {
                continue;
            };
            match (whole(&row.min), whole(&row.target), whole(&row.max)) {
                (Some(min), Some(target), Some(max)) => quotas.push(Quota {
                    variable: var.id.clone(),
                    category: category.value.clone(),
                    min,
                    target,
                    max,
                }),
                _ => problems.push(Problem::quota_row(
                    row.vi,
                    row.ci,
                    msg("survey.form.error.quota_number"),
                )),
            }
        }
        let seed = self.seed.parse::<u64>().unwrap_or_else(|_| {
            problems.push(Problem::at("seed", msg("survey.form.error.seed")));
            0
        });
        let send_at = if self.send_mode == "at" {
            let date = parse_date(&self.send_date);
            let time = parse_time(&self.send_time);
            if date.is_none() {
                problems.push(Problem::at("send_date", msg("survey.form.error.date")));
            }
            if time.is_none() {
                problems.push(Problem::at("send_time", msg("survey.form.error.time")));
            }
            match (date, time) {
                (Some(date), Some(time)) => from_local(date, time).unwrap_or_else(|| {
                    problems.push(Problem::at(
                        "send_time",
                        msg("survey.form.error.no_such_time"),
                    ));
                    now
                }),
                _ => now,
            }
        } else {
            now
        };
        let reminder_after_days = if self.reminder_days.is_empty() {
            None
        } else {
            whole(&self.reminder_days).or_else(|| {
                problems.push(Problem::at("reminder_days", msg("survey.form.error.days")));
                None
            })
        };
        let closing = if self.close_mode == "at" {
            match parse_date(&self.close_date) {
                // Open all of the last day: closed from midnight after it.
                Some(date) => Closing::At(
                    date.succ_opt()
                        .and_then(|next| from_local(next, NaiveTime::MIN))
                        .unwrap_or(send_at),
                ),
                None => {
                    problems.push(Problem::at("close_date", msg("survey.form.error.date")));
                    Closing::AfterDays(1)
                }
            }
        } else {
            match whole(&self.close_days).filter(|d| *d > 0) {
                Some(days) => Closing::AfterDays(days),
                None => {
                    problems.push(Problem::at("close_days", msg("survey.form.error.days")));
                    Closing::AfterDays(1)
                }
            }
        };
        let plan = SurveyPlan {
            title: self.title.clone(),
            version_id,
            eligibility,
            size,
            quotas,
            seed,
            schedule: Schedule {
                send_at,
                reminder_after_days,
                closing,
            },
        };
        (plan, problems)
    }
}
