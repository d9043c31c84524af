//! Fieldwork flows: plan a survey, preview and draw its sample, schedule it, pause,
//! resume and close it, and the jobs that send invitations and reminders. The rules come
//! from `domain::fieldwork`; each send runs in one transaction that first takes the
//! member's send lock, so the contact policy holds with any number of senders.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde::Serialize;

use crate::clock::Clock;
use crate::domain::fieldwork::{
    self, BackgroundIndex, Closing, Counts, Frame, Limits, Message, QuietWindow, Quota,
    QuotaProblem, SampleOutcome, Schedule, ScheduleProblem, Size, allowed_during, check_quotas,
    effective, in_quiet_hours, may_remind, next_allowed, next_send_moment,
};
use crate::domain::ids::{CategoryValue, VariableId};
use crate::domain::member::MemberStatus;
use crate::domain::panel::PanelDefinition;
use crate::domain::questionnaire::quick::quick_query;
use crate::domain::questionnaire::{Eligibility, Kind, Questionnaire};
use crate::domain::response::{Channel, InvitationStatus, ResponseStatus, SurveyStatus};
use crate::i18n::Lang;
use crate::mail::compose::{self, InvitationText};
use crate::store::audit::{self, Action, Actor};
use crate::store::entities::{invitation, member, survey};
use crate::store::fieldwork::{self as store, StoredPlan};
use crate::store::jobs::{self, JobKind};
use crate::store::outbox::{self, NewMail};
use crate::store::{StoreError, StoreResult, frame, members, questionnaires, responses};

/// What a manager decides about a survey.
#[derive(Clone, Debug, PartialEq)]
pub struct SurveyPlan {
    pub title: String,
    pub version_id: i64,
    pub eligibility: Eligibility,
    pub size: Size,
    pub quotas: Vec<Quota>,
    pub seed: u64,
    pub schedule: Schedule,
}

/// Why a plan cannot be used.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum PlanProblem {
    /// The questionnaire version is not published, or belongs to another panel.
    NotPublished,
    UnknownEligibility {
        variable: String,
        category: Option<String>,
    },
    EmptyTitle,
    Schedule(ScheduleProblem),
    Quota(QuotaProblem),
    /// The survey is no longer a draft.
    NotDraft,
}

impl Message for PlanProblem {
    fn key(&self) -> &'static str {
        match self {
            PlanProblem::NotPublished => "survey_plan.not_published",
            PlanProblem::UnknownEligibility { category: None, .. } => {
                "survey_plan.unknown_variable"
            }
            PlanProblem::UnknownEligibility { .. } => "survey_plan.unknown_category",
            PlanProblem::EmptyTitle => "survey_plan.empty_title",
            PlanProblem::Schedule(p) => p.key(),
            PlanProblem::Quota(p) => p.key(),
            PlanProblem::NotDraft => "survey_plan.not_draft",
        }
    }

    fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            PlanProblem::UnknownEligibility { variable, category } => vec![
                ("variable", variable.clone()),
                ("category", category.clone().unwrap_or_default()),
            ],
            PlanProblem::Schedule(p) => p.args(),
            PlanProblem::Quota(p) => p.args(),
            _ => vec![],
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum FieldworkError {
    #[error("the plan has problems")]
    Plan(Vec<PlanProblem>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sea_orm::DbErr> for FieldworkError {
    fn from(e: sea_orm::DbErr) -> Self {
        FieldworkError::Store(StoreError::Db(e))
    }
}

fn stored(plan: &SurveyPlan, flash_poll: bool) -> StoredPlan {
    StoredPlan {
        eligibility_json: serde_json::to_string(&plan.eligibility).expect("eligibility serialises"),
        sample_size: match plan.size {
            Size::All => None,
            Size::N(n) => Some(i32::try_from(n).unwrap_or(i32::MAX)),
        },
        quotas_json: serde_json::to_string(&plan.quotas).expect("quotas serialise"),
        // The seed's bits, stored as a signed integer.
        seed: plan.seed as i64,
        reminder_after_days: plan
            .schedule
            .reminder_after_days
            .map(|d| i32::try_from(d).unwrap_or(i32::MAX)),
        flash_poll,
        opens_at: plan.schedule.send_at,
        closes_at: plan.schedule.closes_at(),
    }
}

/// The plan of a stored survey.
pub fn plan_of(s: &survey::Model) -> StoreResult<SurveyPlan> {
    let corrupt = |what: &str, e: serde_json::Error| {
        StoreError::Corrupt(format!("survey {} {what}: {e}", s.id))
    };
    Ok(SurveyPlan {
        title: s.title.clone(),
        version_id: s.version_id,
        eligibility: serde_json::from_str(&s.eligibility).map_err(|e| corrupt("eligibility", e))?,
        size: s
            .sample_size
            .map_or(Size::All, |n| Size::N(u32::try_from(n).unwrap_or(0))),
        quotas: serde_json::from_str(&s.quotas).map_err(|e| corrupt("quotas", e))?,
        seed: s.seed as u64,
        schedule: Schedule {
            send_at: s.opens_at,
            reminder_after_days: s.reminder_after_days.and_then(|d| u32::try_from(d).ok()),
            closing: Closing::At(s.closes_at),
        },
    })
}

/// The published questionnaire of a plan, when it belongs to the panel.
async fn published(
    db: &impl ConnectionTrait,
    panel: &PanelDefinition,
    version_id: i64,
) -> StoreResult<Option<Questionnaire>> {
    let Ok(version) = questionnaires::version(db, version_id).await else {
        return Ok(None);
    };
    if version.published_at.is_none() {
        return Ok(None);
    }
    let questionnaire = questionnaires::questionnaire(db, version.questionnaire_id).await?;
    if questionnaire.panel_id != panel.id.as_str() {
        return Ok(None);
    }
    Ok(Some(questionnaires::parsed(&version)?))
}

/// The questionnaire's own eligibility and the survey's filter together: a member must
/// meet both.
pub fn combined_eligibility(questionnaire: &Eligibility, survey: &Eligibility) -> Eligibility {
    let mut out = questionnaire.clone();
    for (variable, categories) in survey {
        out.entry(variable.clone())
            .and_modify(|existing| existing.retain(|c| categories.contains(c)))
            .or_insert_with(|| categories.clone());
    }
    out
}

/// Every problem with the plan at `now`; warnings (quota categories left out) are not
/// problems.
pub async fn check_plan(
    db: &impl ConnectionTrait,
    panel: &PanelDefinition,
    plan: &SurveyPlan,
    now: DateTime<Utc>,
) -> StoreResult<(Vec<PlanProblem>, Vec<QuotaProblem>, Option<Questionnaire>)> {
    let mut problems = Vec::new();
    if plan.title.trim().is_empty() {
        problems.push(PlanProblem::EmptyTitle);
    }
    let questionnaire = published(db, panel, plan.version_id).await?;
    if questionnaire.is_none() {
        problems.push(PlanProblem::NotPublished);
    }
    for (variable, categories) in &plan.eligibility {
        match panel.variable(variable.as_str()) {
            None => problems.push(PlanProblem::UnknownEligibility {
                variable: variable.to_string(),
                category: None,
            }),
            Some(v) => {
                for c in categories {
                    if !v.categories.iter().any(|k| k.value == *c) {
                        problems.push(PlanProblem::UnknownEligibility {
                            variable: variable.to_string(),
                            category: Some(c.to_string()),
                        });
                    }
                }
            }
        }
    }
    if let Err(schedule) = plan
        .schedule
        .validate(now, panel.contact_policy.max_reminders_per_invitation)
    {
        problems.extend(schedule.into_iter().map(PlanProblem::Schedule));
    }
    // Quotas are checked against the survey's own filter; categories the questionnaire's
    // eligibility keeps out show in the preview as shortfalls with nobody available.
    let (warnings, errors): (Vec<_>, Vec<_>) =
        check_quotas(panel, &plan.eligibility, &plan.quotas, plan.size)
            .into_iter()
            .partition(QuotaProblem::is_warning);
    problems.extend(errors.into_iter().map(PlanProblem::Quota));
    Ok((problems, warnings, questionnaire))
}

/// Create a survey in draft. Nothing is sent until it is scheduled.
pub async fn create(
    db: &DatabaseConnection,
    panel: &PanelDefinition,
    plan: &SurveyPlan,
    manager_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<survey::Model, FieldworkError> {
    let (problems, _, questionnaire) = check_plan(db, panel, plan, now).await?;
    let Some(questionnaire) = questionnaire.filter(|_| problems.is_empty()) else {
        return Err(FieldworkError::Plan(problems));
    };
    let flash_poll = questionnaire.kind == Kind::FlashPoll;
    Ok(store::create_draft(
        db,
        panel.id.as_str(),
        plan.version_id,
        plan.title.trim(),
        &stored(plan, flash_poll),
        manager_id,
        now,
    )
    .await?)
}

/// Change a draft's plan.
pub async fn update(
    db: &DatabaseConnection,
    panel: &PanelDefinition,
    survey_id: i64,
    plan: &SurveyPlan,
    now: DateTime<Utc>,
) -> Result<(), FieldworkError> {
    let (problems, _, questionnaire) = check_plan(db, panel, plan, now).await?;
    let Some(questionnaire) = questionnaire.filter(|_| problems.is_empty()) else {
        return Err(FieldworkError::Plan(problems));
    };
    let flash_poll = questionnaire.kind == Kind::FlashPoll;
    if !store::update_plan(db, survey_id, plan.title.trim(), &stored(plan, flash_poll)).await? {
        return Err(FieldworkError::Plan(vec![PlanProblem::NotDraft]));
    }
    Ok(())
}

/// The frame a survey's sample is drawn from: each member with whether the contact
/// policy and their own wishes allow an invitation during the fieldwork.
pub async fn frame(
    db: &DatabaseConnection,
    panel: &PanelDefinition,
    s: &survey::Model,
) -> StoreResult<Frame> {
    let read = frame::read(db, panel.id.as_str(), s.opens_at, s.closes_at, Some(s.id)).await?;
    let mut frame = Frame::new();
    // Members share backgrounds, wishes and histories: each background is parsed once,
    // and the contact policy checked once for each pair of wishes and history.
    let backgrounds: Vec<BackgroundIndex> = read
        .backgrounds
        .iter()
        .map(|text| frame.background_index(&frame::parse_background(text)))
        .collect();
    let limits: Vec<Limits> = read
        .wishes
        .iter()
        .map(|wishes| effective(&panel.contact_policy, wishes.as_ref()))
        .collect();
    let mut invitable: HashMap<(u32, u32), bool> = HashMap::new();
    for m in &read.members {
        let invitable = *invitable.entry((m.wishes, m.history)).or_insert_with(|| {
            let history = &read.histories[m.history as usize];
            let limits = &limits[m.wishes as usize];
            allowed_during(limits, history, s.opens_at, s.closes_at, s.flash_poll)
        });
        frame.push_indexed(m.id, backgrounds[m.background as usize], invitable);
    }
    Ok(frame)
}

/// A survey's call list (`Channel::Phone`) or print run (`Channel::Post`): the members
/// it was handed to. These are names with phone numbers or addresses, so handing the
/// list out is written to the audit log (`via` says where: "CSV", "API").
pub async fn contact_list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    s: &survey::Model,
    channel: Channel,
    via: &str,
    now: DateTime<Utc>,
) -> StoreResult<Vec<member::Model>> {
    let rows = store::sent_by_channel(db, s.id, channel).await?;
    let (action, what) = match channel {
        Channel::Phone => (Action::ExportCallList, "call list"),
        _ => (Action::ExportPrintRun, "print run"),
    };
    audit::record(
        db,
        actor,
        action,
        None,
        Some(&s.panel_id),
        &format!("{what} ({via}), survey {}: {} members", s.id, rows.len()),
        now,
    )
    .await?;
    Ok(rows.into_iter().map(|(_, m)| m).collect())
}

/// How many members the eligibility lets in now (for default quotas of "all members").
pub async fn eligible_count(
    db: &impl ConnectionTrait,
    panel: &PanelDefinition,
    eligibility: &Eligibility,
    now: DateTime<Utc>,
) -> StoreResult<u32> {
    let members = store::frame_members(db, panel.id.as_str(), now, now, None).await?;
    let n = members
        .iter()
        .filter(|m| fieldwork::eligible(eligibility, &m.background))
        .count();
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// Draw the sample as it would be drawn now: sizes per category against the quotas, who
/// is left out and why. Drawing again with the same seed gives the same sample.
pub async fn preview(
    db: &DatabaseConnection,
    panel: &PanelDefinition,
    s: &survey::Model,
) -> StoreResult<SampleOutcome> {
    let plan = plan_of(s)?;
    let frame = frame(db, panel, s).await?;
    Ok(fieldwork::draw(
        &frame,
        &plan.eligibility,
        &plan.quotas,
        plan.size,
        plan.seed,
    ))
}

/// How long "send now" stays now: a draft planned to go out at most this long ago is
/// sent at once when scheduled; an older send time is a mistake to correct.
const SEND_NOW_GRACE: Duration = Duration::minutes(15);

/// Schedule a draft: draw the sample, plan an invitation per picked member (by email,
/// or onto the call list or the print run by their preference) and the jobs that send,
/// remind and close. All or nothing.
pub async fn schedule(
    db: &DatabaseConnection,
    panel: &PanelDefinition,
    survey_id: i64,
    now: DateTime<Utc>,
) -> Result<SampleOutcome, FieldworkError> {
    let s = responses::survey(db, survey_id).await?;
    if s.status != SurveyStatus::Draft {
        return Err(FieldworkError::Plan(vec![PlanProblem::NotDraft]));
    }
    let mut plan = plan_of(&s)?;
    // "Send now", chosen a moment ago, still means now.
    let mut s = s;
    if plan.schedule.send_at < now && now - plan.schedule.send_at <= SEND_NOW_GRACE {
        plan.schedule.send_at = now;
        s.opens_at = now;
    }
    let (problems, _, _) = check_plan(db, panel, &plan, now).await?;
    if !problems.is_empty() {
        return Err(FieldworkError::Plan(problems));
    }
    let outcome = preview(db, panel, &s).await?;
    let txn = crate::store::begin_write(db).await?;
    store::set_opens_at(&txn, s.id, s.opens_at).await?;
    if !store::set_status(
        &txn,
        s.id,
        &[SurveyStatus::Draft],
        SurveyStatus::Scheduled,
        now,
    )
    .await?
    {
        return Err(FieldworkError::Plan(vec![PlanProblem::NotDraft]));
    }
    let channels = store::channels(&txn, &outcome.picked).await?;
    let picked: Vec<(i64, Channel)> = outcome
        .picked
        .iter()
        .filter_map(|id| channels.get(id).map(|c| (*id, *c)))
        .collect();
    store::plan_invitations(&txn, s.id, &picked, s.opens_at, s.flash_poll, now).await?;
    jobs::plan(
        &txn,
        &format!("wave:{}", s.id),
        JobKind::Wave,
        Some(s.id),
        s.opens_at,
        now,
    )
    .await?;
    if let Some(at) = plan.schedule.reminder_at() {
        jobs::plan(
            &txn,
            &format!("reminder:{}", s.id),
            JobKind::Reminder,
            Some(s.id),
            at,
            now,
        )
        .await?;
    }
    jobs::plan(
        &txn,
        &format!("close:{}", s.id),
        JobKind::Close,
        Some(s.id),
        s.closes_at,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(outcome)
}

/// Pause: no invitation or reminder goes out and links show a kind page, until resumed.
pub async fn pause(
    db: &DatabaseConnection,
    survey_id: i64,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let txn = crate::store::begin_write(db).await?;
    let paused = store::set_status(
        &txn,
        survey_id,
        &[SurveyStatus::Scheduled, SurveyStatus::Open],
        SurveyStatus::Paused,
        now,
    )
    .await?;
    if paused {
        jobs::cancel_for_survey(&txn, survey_id, &[JobKind::Wave, JobKind::Reminder], now).await?;
    }
    txn.commit().await?;
    Ok(paused)
}

/// Resume a paused survey: what was still planned goes out, reminders follow.
pub async fn resume(
    db: &DatabaseConnection,
    survey_id: i64,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let txn = crate::store::begin_write(db).await?;
    let s = responses::survey(&txn, survey_id).await?;
    let resumed = now < s.closes_at
        && store::set_status(
            &txn,
            survey_id,
            &[SurveyStatus::Paused],
            SurveyStatus::Open,
            now,
        )
        .await?;
    if resumed {
        jobs::replan(
            &txn,
            &format!("wave:{survey_id}"),
            JobKind::Wave,
            survey_id,
            now.max(s.opens_at),
            now,
        )
        .await?;
        if let Some(days) = s.reminder_after_days {
            let at = (s.opens_at + Duration::days(i64::from(days))).max(now);
            jobs::replan(
                &txn,
                &format!("reminder:{survey_id}"),
                JobKind::Reminder,
                survey_id,
                at,
                now,
            )
            .await?;
        }
    }
    txn.commit().await?;
    Ok(resumed)
}

/// Close now: links show a kind "closed" page; what was still planned is not sent.
pub async fn close(
    db: &DatabaseConnection,
    survey_id: i64,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let txn = crate::store::begin_write(db).await?;
    let closed = store::set_status(
        &txn,
        survey_id,
        &[
            SurveyStatus::Draft,
            SurveyStatus::Scheduled,
            SurveyStatus::Open,
            SurveyStatus::Paused,
        ],
        SurveyStatus::Closed,
        now,
    )
    .await?;
    if closed {
        store::skip_all_planned(&txn, survey_id, "invitation_skip.closed", now).await?;
        jobs::cancel_for_survey(
            &txn,
            survey_id,
            &[JobKind::Wave, JobKind::Reminder, JobKind::Close],
            now,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(closed)
}

/// What the job runner needs.
#[derive(Clone)]
pub struct Sender {
    pub db: DatabaseConnection,
    pub base_url: String,
}

/// How sending to one planned invitation ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SendResult {
    Sent,
    Postponed(DateTime<Utc>),
    Skipped,
    /// Someone else already handled it.
    Gone,
}

struct MailContext<'a> {
    panel: &'a PanelDefinition,
    survey: &'a survey::Model,
    questionnaire: &'a Questionnaire,
    base_url: &'a str,
}

impl MailContext<'_> {
    fn compose(&self, m: &member::Model, token: &str, reminder: bool) -> Option<NewMail> {
        let email = m.email.clone()?;
        let lang = Lang::from_code(&m.language).unwrap_or_default();
        let q = self.questionnaire;
        let link = format!("{}/uitnodiging/{token}", self.base_url);
        let unsubscribe = format!("{}/afmelden/{token}", self.base_url);
        let text = InvitationText {
            title: self.survey.title.clone(),
            purpose: q.purpose.clone(),
            use_of_results: q.use_of_results.clone(),
            minutes: q.estimated_minutes,
            deadline: crate::web::view::datetime(&self.survey.closes_at),
            compensation: q.compensation.as_ref().map(|c| c.describe(lang)),
            contact: q.contact.clone(),
            quick: self
                .survey
                .flash_poll
                .then(|| quick_links(q, &link))
                .flatten(),
            link,
            unsubscribe: unsubscribe.clone(),
            call_me: format!("{}/liever-bellen/{token}", self.base_url),
        };
        let composed = compose::invitation(lang, self.panel, m.name.as_deref(), &text, reminder);
        Some(NewMail {
            idempotency_key: String::new(),
            member_id: Some(m.id),
            recipient: email,
            subject: composed.subject,
            body_text: composed.text,
            body_html: composed.html,
            headers: vec![
                ("List-Unsubscribe".to_owned(), format!("<{unsubscribe}>")),
                (
                    "List-Unsubscribe-Post".to_owned(),
                    "List-Unsubscribe=One-Click".to_owned(),
                ),
            ],
        })
    }
}

/// A flash poll's first question with a link per option, each opening the poll with
/// that answer chosen (it is stored only when the member sends the page).
fn quick_links(q: &Questionnaire, link: &str) -> Option<(String, Vec<(String, String)>)> {
    let question = q.quick_question()?;
    let options = question
        .kind
        .options()
        .iter()
        .map(|o| {
            (
                o.label.clone(),
                format!("{link}{}", quick_query(o.value.as_str())),
            )
        })
        .collect();
    Some((question.text.clone(), options))
}

/// The outbox key of an invitation's message: one per invitation and kind.
pub fn mail_key(survey_id: i64, invitation_id: i64, kind: &str) -> String {
    format!("survey:{survey_id}:invitation:{invitation_id}:{kind}")
}

/// Send one planned invitation, in one transaction: take the member's send lock, check
/// the contact policy against what they were sent, then mark it sent and queue the email
/// (or put it on the call list or the print run), or postpone or skip it.
async fn send_invitation(
    db: &DatabaseConnection,
    mail: &MailContext<'_>,
    inv: &invitation::Model,
    now: DateTime<Utc>,
) -> StoreResult<SendResult> {
    let txn = crate::store::begin_write(db).await?;
    let Some(m) = store::lock_member(&txn, inv.member_id).await? else {
        store::skip(&txn, inv.id, "invitation_skip.deleted", now).await?;
        txn.commit().await?;
        return Ok(SendResult::Skipped);
    };
    if m.status != MemberStatus::Active || m.withdrawn_at.is_some() {
        store::skip(&txn, inv.id, "invitation_skip.withdrawn", now).await?;
        txn.commit().await?;
        return Ok(SendResult::Skipped);
    }
    let limits = effective(&mail.panel.contact_policy, store::wishes(&m).as_ref());
    let history = store::sent_history(&txn, m.id, inv.id, now - Duration::days(367)).await?;
    let result = match fieldwork::check(&limits, &history, now, mail.survey.flash_poll) {
        Ok(()) => match store::mark_sent(&txn, inv.id, now).await? {
            None => SendResult::Gone,
            Some(token) => {
                if inv.channel == Channel::Email
                    && let Some(mut message) = mail.compose(&m, &token, false)
                {
                    message.idempotency_key = mail_key(mail.survey.id, inv.id, "invitation");
                    outbox::enqueue(&txn, message, now).await?;
                }
                SendResult::Sent
            }
        },
        Err(refusal) => {
            // Wait for a moment the policy allows, when it falls a day before closing.
            match next_allowed(&limits, &history, now, mail.survey.flash_poll)
                .filter(|at| *at + Duration::days(1) <= mail.survey.closes_at)
            {
                Some(at) => {
                    store::postpone(&txn, inv.id, at, now).await?;
                    SendResult::Postponed(at)
                }
                None => {
                    store::skip(&txn, inv.id, refusal.key(), now).await?;
                    SendResult::Skipped
                }
            }
        }
    };
    txn.commit().await?;
    Ok(result)
}

/// Send a reminder for one invitation, in one transaction with the member's send lock.
async fn send_reminder(
    db: &DatabaseConnection,
    mail: &MailContext<'_>,
    inv: &invitation::Model,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let txn = crate::store::begin_write(db).await?;
    let Some(m) = store::lock_member(&txn, inv.member_id).await? else {
        return Ok(false);
    };
    let limits = effective(&mail.panel.contact_policy, store::wishes(&m).as_ref());
    if m.status != MemberStatus::Active
        || m.withdrawn_at.is_some()
        || !may_remind(
            &limits,
            u32::try_from(inv.reminders_sent).unwrap_or(u32::MAX),
        )
        || store::has_finished(&txn, mail.survey.id, &m.pseudonym).await?
    {
        return Ok(false);
    }
    let number = inv.reminders_sent + 1;
    let Some(token) = store::mark_reminded(&txn, inv.id, number, now).await? else {
        return Ok(false);
    };
    if let Some(mut message) = mail.compose(&m, &token, true) {
        message.idempotency_key = mail_key(mail.survey.id, inv.id, &format!("reminder-{number}"));
        outbox::enqueue(&txn, message, now).await?;
    }
    txn.commit().await?;
    Ok(true)
}

/// What a job run asks of the runner next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Next {
    Done,
    Later(DateTime<Utc>),
    Cancelled,
}

/// Calls back between batches: returns false when the job's lease was lost.
pub trait Heartbeat {
    fn beat(&self) -> impl std::future::Future<Output = StoreResult<bool>> + Send;
}

async fn survey_context(
    db: &DatabaseConnection,
    survey_id: i64,
) -> StoreResult<(survey::Model, PanelDefinition, Questionnaire, QuietWindow)> {
    let s = responses::survey(db, survey_id).await?;
    let panel = crate::store::panels::get(db, &s.panel_id).await?;
    let version = questionnaires::version(db, s.version_id).await?;
    let questionnaire = questionnaires::parsed(&version)?;
    let quiet = QuietWindow::parse(&panel.contact_policy.quiet_hours)
        .map_err(|e| StoreError::Corrupt(format!("panel {}: {e}", panel.id)))?;
    Ok((s, panel, questionnaire, quiet))
}

/// Batch size of a wave or reminder round between heartbeats.
const BATCH: u64 = 100;

/// The invitation wave: send what is planned and due, outside quiet hours. Run again
/// (after a crash too) it continues with what is still planned: nothing goes twice.
pub async fn run_wave(
    sender: &Sender,
    survey_id: i64,
    clock: &dyn Clock,
    heartbeat: &impl Heartbeat,
) -> StoreResult<Next> {
    let db = &sender.db;
    let (s, panel, questionnaire, quiet) = survey_context(db, survey_id).await?;
    match s.status {
        SurveyStatus::Scheduled | SurveyStatus::Open => {}
        _ => return Ok(Next::Cancelled),
    }
    let mail = MailContext {
        panel: &panel,
        survey: &s,
        questionnaire: &questionnaire,
        base_url: &sender.base_url,
    };
    loop {
        let now = clock.now();
        if now >= s.closes_at {
            return Ok(Next::Done);
        }
        if in_quiet_hours(&quiet, now) {
            return Ok(Next::Later(next_send_moment(&quiet, now)));
        }
        store::set_status(
            db,
            s.id,
            &[SurveyStatus::Scheduled],
            SurveyStatus::Open,
            now,
        )
        .await?;
        let batch = store::due_planned(db, s.id, now, BATCH).await?;
        if batch.is_empty() {
            break;
        }
        for inv in &batch {
            send_invitation(db, &mail, inv, clock.now()).await?;
        }
        if !heartbeat.beat().await? {
            return Ok(Next::Cancelled);
        }
    }
    Ok(match store::next_planned(db, s.id).await? {
        Some(at) => Next::Later(next_send_moment(&quiet, at.max(clock.now()))),
        None => Next::Done,
    })
}

/// The reminder round: to those invited by email at least `reminder_after_days` ago who
/// have not finished, within their reminder limit, outside quiet hours.
pub async fn run_reminders(
    sender: &Sender,
    survey_id: i64,
    clock: &dyn Clock,
    heartbeat: &impl Heartbeat,
) -> StoreResult<Next> {
    let db = &sender.db;
    let (s, panel, questionnaire, quiet) = survey_context(db, survey_id).await?;
    if s.status != SurveyStatus::Open {
        return Ok(match s.status {
            SurveyStatus::Scheduled => {
                Next::Later(s.opens_at.max(clock.now()) + Duration::hours(1))
            }
            _ => Next::Cancelled,
        });
    }
    let Some(days) = s.reminder_after_days else {
        return Ok(Next::Done);
    };
    let days = Duration::days(i64::from(days));
    let mail = MailContext {
        panel: &panel,
        survey: &s,
        questionnaire: &questionnaire,
        base_url: &sender.base_url,
    };
    let now = clock.now();
    if now >= s.closes_at {
        return Ok(Next::Done);
    }
    if in_quiet_hours(&quiet, now) {
        return Ok(Next::Later(next_send_moment(&quiet, now)));
    }
    let max = i32::try_from(panel.contact_policy.max_reminders_per_invitation).unwrap_or(i32::MAX);
    let sent_before = now - days;
    let mut after = 0;
    loop {
        let batch =
            store::reminder_candidates(db, s.id, sent_before, max.min(1), after, BATCH).await?;
        let Some(last) = batch.last() else {
            break;
        };
        after = last.id;
        for inv in &batch {
            if in_quiet_hours(&quiet, clock.now()) {
                return Ok(Next::Later(next_send_moment(&quiet, clock.now())));
            }
            send_reminder(db, &mail, inv, clock.now()).await?;
        }
        if !heartbeat.beat().await? {
            return Ok(Next::Cancelled);
        }
    }
    // Invitations sent later (postponed by the policy) get their reminder later.
    let next = store::earliest_unreminded(db, s.id, sent_before).await?;
    Ok(match next.map(|sent| sent + days) {
        Some(at) if at < s.closes_at => Next::Later(next_send_moment(&quiet, at)),
        _ => Next::Done,
    })
}

/// Close the survey at its closing time.
pub async fn run_close(sender: &Sender, survey_id: i64, now: DateTime<Utc>) -> StoreResult<Next> {
    close(&sender.db, survey_id, now).await?;
    Ok(Next::Done)
}

/// Has the member's stratum reached its maximum of finished responses? Then the member,
/// if they have not finished, is thanked instead of asked.
pub async fn quota_full(
    db: &impl ConnectionTrait,
    s: &survey::Model,
    m: &member::Model,
) -> StoreResult<bool> {
    let quotas: Vec<Quota> = serde_json::from_str(&s.quotas).unwrap_or_default();
    if quotas.is_empty() {
        return Ok(false);
    }
    let mut completes = Counts::new();
    for (variable, value, status, n) in store::responses_by_background(db, s.id).await? {
        if status != ResponseStatus::Finished {
            continue;
        }
        if let (Ok(variable), Ok(value)) =
            (VariableId::parse(&variable), CategoryValue::parse(&value))
        {
            *completes
                .entry(variable)
                .or_default()
                .entry(value)
                .or_default() += u32::try_from(n).unwrap_or(0);
        }
    }
    let background = members::background(db, m.id).await?;
    Ok(fieldwork::stratum_full(&quotas, &completes, &background).is_some())
}

/// One line of the fieldwork dashboard: a category of a quota variable.
#[derive(Clone, Debug, Serialize)]
pub struct CategoryStatus {
    pub variable: String,
    pub category: String,
    pub invited: u64,
    pub started: u64,
    pub finished: u64,
    pub quota: Option<Quota>,
    pub full: bool,
    pub below_min: bool,
}

/// The live figures of a survey.
#[derive(Clone, Debug)]
pub struct Dashboard {
    pub invitations: store::InvitationCounts,
    pub started: u64,
    pub finished: u64,
    /// Finished of sent, in whole percent.
    pub response_rate: Option<u32>,
    pub categories: Vec<CategoryStatus>,
    pub failed_mail: u64,
    pub pending_mail: u64,
}

fn category_line<'a>(
    lines: &'a mut BTreeMap<(String, String), CategoryStatus>,
    quotas: &[Quota],
    variable: &str,
    category: &str,
) -> &'a mut CategoryStatus {
    lines
        .entry((variable.to_owned(), category.to_owned()))
        .or_insert_with(|| CategoryStatus {
            variable: variable.to_owned(),
            category: category.to_owned(),
            invited: 0,
            started: 0,
            finished: 0,
            quota: quotas
                .iter()
                .find(|q| q.variable.as_str() == variable && q.category.as_str() == category)
                .cloned(),
            full: false,
            below_min: false,
        })
}

pub async fn dashboard(db: &impl ConnectionTrait, s: &survey::Model) -> StoreResult<Dashboard> {
    let invitations = store::invitation_counts(db, s.id).await?;
    let counts = responses::survey_counts(db, s.id).await?;
    let plan = plan_of(s)?;
    let mut lines: BTreeMap<(String, String), CategoryStatus> = BTreeMap::new();
    let wanted = |v: &str| plan.quotas.iter().any(|q| q.variable.as_str() == v);
    for q in &plan.quotas {
        category_line(
            &mut lines,
            &plan.quotas,
            q.variable.as_str(),
            q.category.as_str(),
        );
    }
    for (variable, value, status, n) in store::invited_by_background(db, s.id).await? {
        if wanted(&variable) && status == InvitationStatus::Sent {
            category_line(&mut lines, &plan.quotas, &variable, &value).invited += n.max(0) as u64;
        }
    }
    for (variable, value, status, n) in store::responses_by_background(db, s.id).await? {
        if wanted(&variable) {
            let line = category_line(&mut lines, &plan.quotas, &variable, &value);
            line.started += n.max(0) as u64;
            if status == ResponseStatus::Finished {
                line.finished += n.max(0) as u64;
            }
        }
    }
    let mut categories: Vec<CategoryStatus> = lines.into_values().collect();
    for c in &mut categories {
        if let Some(q) = &c.quota {
            c.full = c.finished >= u64::from(q.max);
            c.below_min = c.finished < u64::from(q.min);
        }
    }
    let (failed_mail, pending_mail) =
        outbox::counts_with_prefix(db, &format!("survey:{}:", s.id)).await?;
    Ok(Dashboard {
        response_rate: (invitations.sent > 0)
            .then(|| u32::try_from(counts.finished() * 100 / invitations.sent).unwrap_or(100)),
        started: counts.started(),
        finished: counts.finished(),
        invitations,
        categories,
        failed_mail,
        pending_mail,
    })
}
