//! The survey plan form as the manager typed it: reading the posted fields, turning them
//! into a [`SurveyPlan`] (`read`), filling in default quotas from the panel's targets,
//! and saying which field each problem belongs to (`problems`).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, Utc};

use crate::domain::fieldwork::{Message, Quota, Size, ZONE, default_quotas};
use crate::domain::ids::CategoryValue;
use crate::domain::panel::PanelDefinition;
use crate::domain::questionnaire::Eligibility;
use crate::i18n::Lang;
use crate::service::fieldwork::SurveyPlan;
use crate::web::form::FormData;
use crate::web::view::{from_local, parse_date, parse_time};

mod problems;
mod read;

pub use problems::{Problem, form_errors};

/// The numbers of one quota category as typed: `vi` and `ci` are the indexes of the
/// variable and the category in the panel file (ids may contain dots, indexes cannot).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct QuotaRow {
    pub vi: usize,
    pub ci: usize,
    pub min: String,
    pub target: String,
    pub max: String,
}

/// The fields of the form, kept as typed so a refused form shows them again.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PlanForm {
    pub version: String,
    pub title: String,
    /// Per variable index, the category values ticked.
    pub eligibility: BTreeMap<usize, Vec<String>>,
    /// "all" or "n".
    pub size_mode: String,
    pub size_n: String,
    /// Indexes of the variables with quotas.
    pub quota_vars: BTreeSet<usize>,
    pub quotas: Vec<QuotaRow>,
    pub seed: String,
    /// "now" or "at".
    pub send_mode: String,
    pub send_date: String,
    pub send_time: String,
    pub reminder_days: String,
    /// "days" or "at".
    pub close_mode: String,
    pub close_date: String,
    pub close_days: String,
}

/// A moment as the form shows it: date and time on Dutch clocks.
fn local_date(at: DateTime<Utc>) -> String {
    at.with_timezone(&ZONE).format("%Y-%m-%d").to_string()
}

fn local_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&ZONE).format("%H:%M").to_string()
}

fn whole(text: &str) -> Option<u32> {
    text.trim().parse::<u32>().ok()
}

impl PlanForm {
    /// A new form: everyone, all members, send at once, close after the questionnaire's
    /// usual number of days.
    pub fn new(seed: u64, closes_after_days: u32) -> Self {
        PlanForm {
            size_mode: "all".to_owned(),
            seed: seed.to_string(),
            send_mode: "now".to_owned(),
            send_time: "09:00".to_owned(),
            close_mode: "days".to_owned(),
            close_days: closes_after_days.to_string(),
            ..Default::default()
        }
    }

    /// The form filled with a stored plan, to change it. A moment of sending that has
    /// passed at `now` ("nu versturen", or a draft left lying) shows as "now".
    pub fn from_plan(panel: &PanelDefinition, plan: &SurveyPlan, now: DateTime<Utc>) -> Self {
        let passed = plan.schedule.send_at <= now;
        let mut form = PlanForm {
            version: plan.version_id.to_string(),
            title: plan.title.clone(),
            seed: plan.seed.to_string(),
            send_mode: if passed { "now" } else { "at" }.to_owned(),
            send_date: local_date(plan.schedule.send_at),
            send_time: local_time(plan.schedule.send_at),
            reminder_days: plan
                .schedule
                .reminder_after_days
                .map(|d| d.to_string())
                .unwrap_or_default(),
            close_mode: "at".to_owned(),
            // A survey closes at the end of its last day: the day before midnight.
            close_date: local_date(plan.schedule.closes_at() - Duration::seconds(1)),
            ..Default::default()
        };
        match plan.size {
            Size::All => form.size_mode = "all".to_owned(),
            Size::N(n) => {
                form.size_mode = "n".to_owned();
                form.size_n = n.to_string();
            }
        }
        for (vi, var) in panel.background_variables.iter().enumerate() {
            if let Some(list) = plan.eligibility.get(&var.id) {
                form.eligibility
                    .insert(vi, list.iter().map(|c| c.to_string()).collect());
            }
        }
        form.set_quotas(panel, &plan.quotas);
        form
    }

    /// The posted fields.
    pub fn read(data: &FormData, panel: &PanelDefinition) -> Self {
        let mut form = PlanForm {
            version: data.get("version").trim().to_owned(),
            title: data.get("title").trim().to_owned(),
            size_mode: data.get("size_mode").to_owned(),
            size_n: data.get("size_n").trim().to_owned(),
            seed: data.get("seed").trim().to_owned(),
            send_mode: data.get("send_mode").to_owned(),
            send_date: data.get("send_date").trim().to_owned(),
            send_time: data.get("send_time").trim().to_owned(),
            reminder_days: data.get("reminder_days").trim().to_owned(),
            close_mode: data.get("close_mode").to_owned(),
            close_date: data.get("close_date").trim().to_owned(),
            close_days: data.get("close_days").trim().to_owned(),
            ..Default::default()
        };
        for (vi, var) in panel.background_variables.iter().enumerate() {
            let ticked: Vec<String> = data
                .get_all(&format!("elig-{vi}"))
                .into_iter()
                .map(str::to_owned)
                .collect();
            if !ticked.is_empty() {
                form.eligibility.insert(vi, ticked);
            }
            if data.get_all("quota_var").contains(&var.id.as_str()) {
                form.quota_vars.insert(vi);
            }
            for ci in 0..var.categories.len() {
                let field = |part: &str| {
                    data.0
                        .iter()
                        .any(|(k, _)| k == &format!("quota-{vi}-{ci}-{part}"))
                };
                if field("target") {
                    let value = |part: &str| {
                        data.get(&format!("quota-{vi}-{ci}-{part}"))
                            .trim()
                            .to_owned()
                    };
                    form.quotas.push(QuotaRow {
                        vi,
                        ci,
                        min: value("min"),
                        target: value("target"),
                        max: value("max"),
                    });
                }
            }
        }
        form
    }

    pub fn is_ticked(&self, vi: usize, value: &str) -> bool {
        self.eligibility
            .get(&vi)
            .is_some_and(|list| list.iter().any(|v| v == value))
    }

    pub fn rows(&self, vi: usize) -> Vec<&QuotaRow> {
        self.quotas.iter().filter(|r| r.vi == vi).collect()
    }

    /// Show these quotas in the form (in the panel's order).
    fn set_quotas(&mut self, panel: &PanelDefinition, quotas: &[Quota]) {
        for q in quotas {
            let Some((vi, var)) = panel
                .background_variables
                .iter()
                .enumerate()
                .find(|(_, v)| v.id == q.variable)
            else {
                continue;
            };
            let Some(ci) = var.categories.iter().position(|c| c.value == q.category) else {
                continue;
            };
            self.quota_vars.insert(vi);
            self.quotas.retain(|r| !(r.vi == vi && r.ci == ci));
            self.quotas.push(QuotaRow {
                vi,
                ci,
                min: q.min.to_string(),
                target: q.target.to_string(),
                max: q.max.to_string(),
            });
        }
        self.quotas.sort_by_key(|r| (r.vi, r.ci));
    }

    /// The eligibility as ticked (forged values are refused by the service).
    pub fn eligibility(&self, panel: &PanelDefinition) -> Result<Eligibility, Problem> {
        let mut eligibility = Eligibility::new();
        for (vi, values) in &self.eligibility {
            let Some(var) = panel.background_variables.get(*vi) else {
                continue;
            };
            let values = values
                .iter()
                .map(|v| CategoryValue::parse(v))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|_| Problem::at("elig", String::new()))?;
            eligibility.insert(var.id.clone(), values);
        }
        Ok(eligibility)
    }

    /// The size as chosen; `None` when the number is not a whole number above 0.
    pub fn size(&self) -> Option<Size> {
        match self.size_mode.as_str() {
            "n" => whole(&self.size_n).filter(|n| *n > 0).map(Size::N),
            _ => Some(Size::All),
        }
    }

    /// Default quotas for the chosen variables from the panel's targets, for a sample of
    /// `n`: all of them (`replace`), or only for variables without numbers yet. Rows of
    /// variables no longer chosen go.
    pub fn fill_default_quotas(
        &mut self,
        lang: Lang,
        panel: &PanelDefinition,
        eligibility: &Eligibility,
        n: u32,
        replace: bool,
    ) -> Vec<Problem> {
        let chosen = self.quota_vars.clone();
        self.quotas.retain(|r| chosen.contains(&r.vi) && !replace);
        let mut problems = Vec::new();
        for vi in chosen {
            if !self.rows(vi).is_empty() {
                continue;
            }
            let var = &panel.background_variables[vi];
            match default_quotas(panel, eligibility, std::slice::from_ref(&var.id), n) {
                Ok(quotas) => self.set_quotas(panel, &quotas),
                Err(p) => problems.push(Problem::at("quota_var", p.message(lang))),
            }
        }
        problems
    }
}
