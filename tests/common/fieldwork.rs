//! Helpers for fieldwork tests: a panel with a chosen contact policy, members with
//! chosen backgrounds, surveys planned through the service, and the job runner.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use klankbord::domain::fieldwork::{Closing, Schedule, Size};
use klankbord::domain::ids::{CategoryValue, VariableId};
use klankbord::domain::member::{ContactPreference, MemberStatus, Profile};
use klankbord::domain::panel::PanelDefinition;
use klankbord::domain::response::InvitationStatus;
use klankbord::domain::signup::NewMember;
use klankbord::i18n::Lang;
use klankbord::jobs::Runner;
use klankbord::service::fieldwork::{self, SurveyPlan};
use klankbord::store::entities::invitation;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use super::{ClockExt, PANEL, QUESTIONNAIRE, TestApp};

/// The contact policy a test panel gets.
pub struct Policy {
    pub per_year: u32,
    pub flash_per_month: u32,
    pub days_between: u32,
    pub reminders: u32,
    /// `("21:00", "08:00")`; equal times mean no quiet hours.
    pub quiet: (&'static str, &'static str),
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            per_year: 10,
            flash_per_month: 2,
            days_between: 7,
            reminders: 1,
            quiet: ("00:00", "00:00"),
        }
    }
}

/// The reference panel with `policy`, stored (replacing any earlier one).
pub async fn panel(
    db: &DatabaseConnection,
    policy: &Policy,
    now: DateTime<Utc>,
) -> PanelDefinition {
    let mut json: serde_json::Value = serde_json::from_str(PANEL).unwrap();
    json["contact_policy"] = serde_json::json!({
        "max_invitations_per_year": policy.per_year,
        "max_flash_polls_per_month": policy.flash_per_month,
        "min_days_between_invitations": policy.days_between,
        "max_reminders_per_invitation": policy.reminders,
        "quiet_hours": {"from": policy.quiet.0, "to": policy.quiet.1, "timezone": "Europe/Amsterdam"}
    });
    let panel = PanelDefinition::from_json(&json.to_string()).unwrap();
    klankbord::store::panels::upsert(db, &panel, now)
        .await
        .unwrap();
    panel
}

/// Add `n` confirmed members preferring email; member `i` gets `background(i)` as
/// (variable, category) pairs and the address `m{i}@voorbeeld.nl`. Returns their ids.
pub async fn members(
    db: &DatabaseConnection,
    n: usize,
    now: DateTime<Utc>,
    background: impl Fn(usize) -> Vec<(&'static str, &'static str)>,
) -> Vec<i64> {
    members_from(db, 0, n, now, ContactPreference::Email, background).await
}

pub async fn members_from(
    db: &DatabaseConnection,
    first: usize,
    n: usize,
    now: DateTime<Utc>,
    preference: ContactPreference,
    background: impl Fn(usize) -> Vec<(&'static str, &'static str)>,
) -> Vec<i64> {
    let mut ids = Vec::new();
    for i in first..first + n {
        let background: BTreeMap<VariableId, CategoryValue> = background(i)
            .into_iter()
            .map(|(v, c)| {
                (
                    VariableId::parse(v).unwrap(),
                    CategoryValue::parse(c).unwrap(),
                )
            })
            .collect();
        let new = NewMember {
            profile: Profile {
                name: Some(format!("Lid {i}")),
                email: Some(
                    klankbord::domain::contact::EmailAddress::parse(&format!("m{i}@voorbeeld.nl"))
                        .unwrap(),
                ),
                phone: Some(
                    klankbord::domain::contact::PhoneNumber::parse(&format!("06{:08}", i)).unwrap(),
                ),
                address: Some(format!("Straat {i}, 1234 AB Utrecht")),
                contact_preference: preference,
                birth_year: Some(1980),
                language: Lang::Nl,
                supporter: None,
                background,
            },
            consent_version: "1".to_owned(),
            keep_answers_anonymous: false,
            source: "test".to_owned(),
        };
        let m = klankbord::store::members::insert(db, "ggz-panel", &new, MemberStatus::Active, now)
            .await
            .unwrap();
        ids.push(m.id);
    }
    ids
}

/// The reference questionnaire, uploaded and published; returns the version id.
pub async fn published_version(app: &TestApp, panel: &PanelDefinition) -> i64 {
    published_version_of(app, panel, QUESTIONNAIRE).await
}

/// The questionnaire file `json`, uploaded and published; returns the version id.
pub async fn published_version_of(app: &TestApp, panel: &PanelDefinition, json: &str) -> i64 {
    let now = app.clock.now_utc();
    let manager = klankbord::store::managers::create(
        &app.db,
        &format!("beheer-{}@voorbeeld.nl", uuid::Uuid::new_v4().simple()),
        "Mia Beheer",
        "geheim-wachtwoord-1",
        klankbord::store::managers::ManagerRole::Manager,
        now,
    )
    .await
    .unwrap();
    let version = klankbord::service::questionnaires::upload(
        &app.db,
        panel,
        json.as_bytes(),
        manager.id,
        Lang::Nl,
        now,
    )
    .await
    .unwrap()
    .unwrap();
    let keys: Vec<String> = klankbord::service::questionnaires::review(&version, &[], Lang::Nl)
        .items
        .into_iter()
        .map(|item| item.key)
        .collect();
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    klankbord::service::questionnaires::accept(
        &app.db,
        &version,
        &keys,
        manager.id,
        Some("test"),
        Lang::Nl,
        now,
    )
    .await
    .unwrap();
    klankbord::service::questionnaires::publish(&app.db, &version, manager.id, Lang::Nl, now)
        .await
        .unwrap()
        .unwrap();
    version.id
}

/// A plan sending at `send_at`, closing 21 days later, to everyone eligible.
pub fn plan(
    version_id: i64,
    title: &str,
    send_at: DateTime<Utc>,
    reminder: Option<u32>,
) -> SurveyPlan {
    SurveyPlan {
        title: title.to_owned(),
        version_id,
        eligibility: Default::default(),
        size: Size::All,
        quotas: Vec::new(),
        seed: 7,
        schedule: Schedule {
            send_at,
            reminder_after_days: reminder,
            closing: Closing::At(send_at + Duration::days(21)),
        },
    }
}

/// Create and schedule a survey; returns its id.
pub async fn scheduled(app: &TestApp, panel: &PanelDefinition, plan: &SurveyPlan) -> i64 {
    let now = app.clock.now_utc();
    let survey = fieldwork::create(&app.db, panel, plan, None, now)
        .await
        .unwrap();
    fieldwork::schedule(&app.db, panel, survey.id, now)
        .await
        .unwrap();
    survey.id
}

/// A job runner on the test's database and clock, with a short lease.
pub fn runner(app: &TestApp) -> Runner {
    Runner::new(
        app.db.clone(),
        app.base.clone(),
        app.clock.clone(),
        Arc::new(tokio::sync::Notify::new()),
        Duration::seconds(30),
    )
}

/// A survey's invitations, by id.
pub async fn invitations(db: &DatabaseConnection, survey_id: i64) -> Vec<invitation::Model> {
    invitation::Entity::find()
        .filter(invitation::Column::SurveyId.eq(survey_id))
        .order_by_asc(invitation::Column::Id)
        .all(db)
        .await
        .unwrap()
}

pub fn with_status(invitations: &[invitation::Model], status: InvitationStatus) -> usize {
    invitations.iter().filter(|i| i.status == status).count()
}
