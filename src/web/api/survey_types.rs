//! The survey resources as the API shows them: the plan a manager sends, a survey with its
//! plan and status, the sample preview, and the live fieldwork figures.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::fieldwork::{CategoryReport, Message, Quota, SampleOutcome, Shortfall, Size};
use crate::i18n::Lang;
use crate::service::fieldwork::{CategoryStatus, Dashboard, SurveyPlan};
use crate::store::entities::survey;

/// A survey's plan: which published questionnaire version, who may take part, how many,
/// the quotas and the schedule.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanBody {
    pub title: String,
    /// A published questionnaire version of this panel.
    pub version_id: i64,
    /// Background variable → the categories that may take part, e.g.
    /// `{"rol": ["ervaring"]}`; together with the questionnaire's own eligibility.
    #[serde(default)]
    pub eligibility: BTreeMap<String, Vec<String>>,
    /// How many members to invite; absent or `null`: everyone eligible (within the
    /// quotas' maximums).
    #[serde(default)]
    pub sample_size: Option<u32>,
    /// Quotas per category. When absent, `quota_variables` names the background
    /// variables whose defaults are derived from the panel's targets.
    #[serde(default)]
    pub quotas: Option<Vec<QuotaBody>>,
    #[serde(default)]
    pub quota_variables: Vec<String>,
    /// The seed of the draw: the same plan and seed draw the same sample. Absent: a
    /// random one.
    #[serde(default)]
    pub seed: Option<u32>,
    /// When the invitations go out.
    pub send_at: DateTime<Utc>,
    /// A reminder to those who have not finished, this many days after the invitation.
    #[serde(default)]
    pub reminder_after_days: Option<u32>,
    /// When the survey closes; or give `closes_after_days`. Neither: the
    /// questionnaire's own `closes_after_days`.
    #[serde(default)]
    pub closes_at: Option<DateTime<Utc>>,
    /// Closes at the end of this many days after the send day (Dutch time).
    #[serde(default)]
    pub closes_after_days: Option<u32>,
}

/// Bounds for one category, in members.
#[derive(Clone, Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuotaBody {
    pub variable: String,
    pub category: String,
    pub min: u32,
    pub target: u32,
    pub max: u32,
}

impl From<&Quota> for QuotaBody {
    fn from(q: &Quota) -> Self {
        Self {
            variable: q.variable.to_string(),
            category: q.category.to_string(),
            min: q.min,
            target: q.target,
            max: q.max,
        }
    }
}

/// A survey with its plan and where it stands.
#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyBody {
    pub id: i64,
    pub panel_id: String,
    pub title: String,
    pub version_id: i64,
    /// `draft`, `scheduled`, `open`, `paused` or `closed`.
    pub status: String,
    pub flash_poll: bool,
    pub eligibility: BTreeMap<String, Vec<String>>,
    /// `null`: everyone eligible.
    pub sample_size: Option<u32>,
    pub quotas: Vec<QuotaBody>,
    pub seed: u64,
    pub send_at: DateTime<Utc>,
    pub reminder_after_days: Option<u32>,
    pub closes_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    /// When it was scheduled (the sample was drawn then).
    pub scheduled_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
}

impl SurveyBody {
    pub fn new(s: &survey::Model, plan: &SurveyPlan) -> Self {
        Self {
            id: s.id,
            panel_id: s.panel_id.clone(),
            title: s.title.clone(),
            version_id: s.version_id,
            status: s.status.code().to_owned(),
            flash_poll: s.flash_poll,
            eligibility: plan
                .eligibility
                .iter()
                .map(|(v, cs)| (v.to_string(), cs.iter().map(ToString::to_string).collect()))
                .collect(),
            sample_size: match plan.size {
                Size::All => None,
                Size::N(n) => Some(n),
            },
            quotas: plan.quotas.iter().map(QuotaBody::from).collect(),
            seed: plan.seed,
            send_at: s.opens_at,
            reminder_after_days: plan.schedule.reminder_after_days,
            closes_at: s.closes_at,
            created_at: s.created_at,
            scheduled_at: s.scheduled_at,
            closed_at: s.closed_at,
        }
    }
}

/// `POST …/schedule`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleBody {
    /// Send now, when the planned send time has passed.
    #[serde(default)]
    pub send_now: bool,
}

/// One quota category in the sample preview.
#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryPreview {
    pub variable: String,
    pub category: String,
    pub quota_min: u32,
    pub quota_target: u32,
    pub quota_max: u32,
    /// Eligible members in this category.
    pub eligible: u32,
    /// Of those, the ones the contact policy and their own wishes let in.
    pub available: u32,
    pub picked: u32,
}

impl From<&CategoryReport> for CategoryPreview {
    fn from(c: &CategoryReport) -> Self {
        Self {
            variable: c.variable.to_string(),
            category: c.category.to_string(),
            quota_min: c.quota_min,
            quota_target: c.quota_target,
            quota_max: c.quota_max,
            eligible: c.eligible,
            available: c.available,
            picked: c.picked,
        }
    }
}

/// A category below its minimum: "nodig 40, beschikbaar 12".
#[derive(Debug, Serialize, ToSchema)]
pub struct ShortfallBody {
    pub variable: String,
    pub category: String,
    pub needed: u32,
    pub available: u32,
    pub picked: u32,
    /// In words, in the caller's language.
    pub message: String,
}

impl ShortfallBody {
    pub fn new(s: &Shortfall, message: String) -> Self {
        Self {
            variable: s.variable.to_string(),
            category: s.category.to_string(),
            needed: s.needed,
            available: s.available,
            picked: s.picked,
            message,
        }
    }
}

/// The sample as it would be drawn now (or was drawn, when scheduling).
#[derive(Debug, Serialize, ToSchema)]
pub struct SampleBody {
    /// How many members are picked.
    pub picked: usize,
    pub per_category: Vec<CategoryPreview>,
    pub shortfalls: Vec<ShortfallBody>,
    /// Set when fewer members can be picked than `sample_size` asks.
    pub size_shortfall: Option<SizeShortfallBody>,
    /// Who is left out, as counts per reason (`not_eligible`, `policy`,
    /// `outside_quotas`, `quota_full`) — never who.
    pub left_out: BTreeMap<String, u32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SizeShortfallBody {
    pub requested: u32,
    pub available: u32,
}

impl SampleBody {
    pub fn new(outcome: &SampleOutcome, lang: Lang) -> Self {
        let left = &outcome.left_out;
        Self {
            picked: outcome.picked.len(),
            per_category: outcome
                .per_category
                .iter()
                .map(CategoryPreview::from)
                .collect(),
            shortfalls: outcome
                .shortfalls
                .iter()
                .map(|s| ShortfallBody::new(s, s.message(lang)))
                .collect(),
            size_shortfall: outcome.size_shortfall.map(|s| SizeShortfallBody {
                requested: s.requested,
                available: s.available,
            }),
            left_out: BTreeMap::from([
                ("not_eligible".to_owned(), left.not_eligible),
                ("policy".to_owned(), left.policy),
                ("outside_quotas".to_owned(), left.outside_quotas),
                ("quota_full".to_owned(), left.quota_full),
            ]),
        }
    }
}

/// One category of a quota variable on the fieldwork dashboard.
#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryFieldwork {
    pub variable: String,
    pub category: String,
    pub invited: u64,
    pub started: u64,
    pub finished: u64,
    pub quota: Option<QuotaBody>,
    /// The maximum of finished responses is reached: its members are thanked, not asked.
    pub full: bool,
    pub below_min: bool,
}

impl From<&CategoryStatus> for CategoryFieldwork {
    fn from(c: &CategoryStatus) -> Self {
        Self {
            variable: c.variable.clone(),
            category: c.category.clone(),
            invited: c.invited,
            started: c.started,
            finished: c.finished,
            quota: c.quota.as_ref().map(QuotaBody::from),
            full: c.full,
            below_min: c.below_min,
        }
    }
}

/// The live figures of a survey's fieldwork.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldworkBody {
    pub status: String,
    /// Invitations waiting for their send time.
    pub planned: u64,
    /// Handed out: emailed, on the call list or in the print run.
    pub sent: u64,
    /// Not sent, with the reasons as counts.
    pub skipped: u64,
    pub skip_reasons: BTreeMap<String, u64>,
    /// Sent invitations per channel (`email`, `phone`, `post`).
    pub by_channel: BTreeMap<String, u64>,
    pub opened: u64,
    pub reminded: u64,
    pub started: u64,
    pub finished: u64,
    /// Finished of sent, in whole percent.
    pub response_rate: Option<u32>,
    pub categories: Vec<CategoryFieldwork>,
    /// Messages that could not be delivered (permanent failures).
    pub failed_mail: u64,
    /// Messages waiting to be sent or retried.
    pub pending_mail: u64,
}

impl FieldworkBody {
    pub fn new(s: &survey::Model, d: &Dashboard) -> Self {
        let i = &d.invitations;
        Self {
            status: s.status.code().to_owned(),
            planned: i.planned,
            sent: i.sent,
            skipped: i.skipped,
            skip_reasons: i.skip_reasons.iter().cloned().collect(),
            by_channel: i
                .by_channel
                .iter()
                .map(|(c, n)| (c.code().to_owned(), *n))
                .collect(),
            opened: i.opened,
            reminded: i.reminded,
            started: d.started,
            finished: d.finished,
            response_rate: d.response_rate,
            categories: d.categories.iter().map(CategoryFieldwork::from).collect(),
            failed_mail: d.failed_mail,
            pending_mail: d.pending_mail,
        }
    }
}

/// A survey's list of members to call or to post the questionnaire to.
#[derive(Debug, Serialize, ToSchema)]
pub struct ContactListEntry {
    pub member_id: i64,
    pub name: Option<String>,
    /// Phone number (call list) or postal address (print run).
    pub contact: Option<String>,
}
