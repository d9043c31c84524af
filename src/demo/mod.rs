//! Demo data: the reference panel, 4,000 synthetic members whose background deviates
//! from the targets in a believable way, a demo manager account, an open survey of
//! the reference questionnaire with invitations for some of the members, and a closed
//! one with responses and published results (`results`).

use std::fmt;

use chrono::{DateTime, Datelike, Duration, Utc};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait, sea_query::Expr,
};

use crate::domain::contact::{EmailAddress, PhoneNumber};
use crate::domain::ids::{CategoryValue, VariableId};
use crate::domain::member::{ContactPreference, MemberStatus, Profile, Supporter};
use crate::domain::panel::PanelDefinition;
use crate::domain::signup::NewMember;
use crate::i18n::Lang;
use crate::store::entities::member;
use crate::store::managers::{self, ManagerRole};
use crate::store::{StoreResult, members, panels};

mod clients;
mod results;

pub const DEMO_PANEL: &str = include_str!("../../panel-schemas/examples/panel.json");
pub const DEMO_MANAGER: &str = "beheer@demo.klankbord.invalid";
pub const DEMO_INTERVIEWER: &str = "bellen@demo.klankbord.invalid";
pub const DEMO_MEMBERS: usize = 4000;

/// What a demo run made, printed for the newcomer.
pub struct DemoInfo {
    pub members_created: usize,
    pub manager_email: String,
    pub manager_password: Option<String>,
    /// A demo member's invitation link, to try answering as a member.
    pub invitation_path: Option<String>,
    /// The demo interviewer's login, whose call list holds the demo survey's phone
    /// members.
    pub interviewer_password: String,
    /// A link of a member who answered the closed demo survey: its confirmation page
    /// leads to the published results.
    pub results_path: Option<String>,
}

impl fmt::Display for DemoInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "demo panel ready ({} members added)",
            self.members_created
        )?;
        match &self.manager_password {
            Some(pw) => write!(
                f,
                "manager login: {} / {pw}  (at /beheer)",
                self.manager_email
            )?,
            None => write!(
                f,
                "manager login: {} (password unchanged)",
                self.manager_email
            )?,
        }
        write!(
            f,
            "\ninterviewer login: {DEMO_INTERVIEWER} / {}  (at /beheer/inloggen, then /bellen)",
            self.interviewer_password
        )?;
        if let Some(path) = &self.invitation_path {
            write!(f, "\na demo member's invitation: {path}")?;
        }
        if let Some(path) = &self.results_path {
            write!(f, "\na demo respondent's link to the results: {path}")?;
        }
        Ok(())
    }
}

/// A password that is easy to type and hard to guess: 4 groups of 5 letters/digits.
pub fn new_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    (0..4)
        .map(|_| {
            (0..5)
                .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// Seed only when there is no panel yet (for `serve --demo` on an existing database).
pub async fn seed_if_empty(db: &DatabaseConnection, now: DateTime<Utc>) -> StoreResult<DemoInfo> {
    if panels::list(db).await?.is_empty() {
        seed(db, now).await
    } else {
        let password = reset_manager(db, now).await?;
        let (_, interviewer_password) = reset_interviewer(db, now).await?;
        Ok(DemoInfo {
            members_created: 0,
            manager_email: DEMO_MANAGER.to_owned(),
            manager_password: Some(password),
            invitation_path: None,
            interviewer_password,
            results_path: None,
        })
    }
}

/// Create or re-password the demo manager (an admin, so every page can be seen).
async fn reset_manager(db: &DatabaseConnection, now: DateTime<Utc>) -> StoreResult<String> {
    let (_, password) =
        reset_staff(db, DEMO_MANAGER, "Demo beheerder", ManagerRole::Admin, now).await?;
    Ok(password)
}

/// Create or re-password the demo interviewer; returns their id and password.
async fn reset_interviewer(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> StoreResult<(i64, String)> {
    reset_staff(
        db,
        DEMO_INTERVIEWER,
        "Demo interviewer",
        ManagerRole::Interviewer,
        now,
    )
    .await
}

/// Create a staff account, or give an existing one a new password.
async fn reset_staff(
    db: &DatabaseConnection,
    email: &str,
    name: &str,
    role: ManagerRole,
    now: DateTime<Utc>,
) -> StoreResult<(i64, String)> {
    use crate::store::entities::manager;
    use sea_orm::{ColumnTrait, QueryFilter};
    let password = new_password();
    let existing = manager::Entity::find()
        .filter(manager::Column::Email.eq(email))
        .one(db)
        .await?;
    let id = match existing {
        Some(m) => {
            let pw = password.clone();
            let hash = tokio::task::spawn_blocking(move || managers::hash_password(&pw))
                .await
                .map_err(|e| crate::store::StoreError::Corrupt(e.to_string()))?;
            manager::Entity::update_many()
                .col_expr(manager::Column::PasswordHash, Expr::value(hash))
                .filter(manager::Column::Id.eq(m.id))
                .exec(db)
                .await?;
            m.id
        }
        None => {
            managers::create(db, email, name, &password, role, now)
                .await?
                .id
        }
    };
    Ok((id, password))
}

/// Skewed shares per category: the demo panel is off-target on purpose (older, more
/// from the west, fewer relatives), as real panels tend to be.
fn skew(variable: &str) -> &'static [(&'static str, f64)] {
    match variable {
        "rol" => &[("ervaring", 0.83), ("naaste", 0.17)],
        "leeftijd" => &[("18-34", 0.17), ("35-54", 0.43), ("55+", 0.40)],
        "situatie" => &[
            ("uitkering", 0.36),
            ("dagbesteding", 0.12),
            ("beschut_werk", 0.06),
            ("banenafspraak", 0.05),
            ("regulier_werk", 0.21),
            ("vrijwilligerswerk", 0.20),
        ],
        "regio" => &[
            ("noord", 0.07),
            ("oost", 0.19),
            ("west", 0.56),
            ("zuid", 0.18),
        ],
        _ => &[],
    }
}

fn pick<'a>(rng: &mut StdRng, shares: &'a [(&'a str, f64)]) -> Option<&'a str> {
    let mut x: f64 = rng.random();
    for (value, share) in shares {
        if x < *share {
            return Some(value);
        }
        x -= share;
    }
    shares.last().map(|(v, _)| *v)
}

const FIRST: &[&str] = &[
    "Anna", "Bram", "Celine", "Daan", "Eva", "Fatima", "Gert", "Hanna", "Ibrahim", "Joke", "Kees",
    "Lotte", "Mohamed", "Noor", "Olga", "Pieter", "Rik", "Sanne", "Tom", "Ursula", "Vera",
    "Willem", "Yara", "Zeynep",
];
const LAST: &[&str] = &[
    "de Vries",
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "Dekker",
    "Brouwer",
    "Yilmaz",
    "El Amrani",
    "Kok",
    "Jacobs",
    "van Dijk",
    "Willems",
];

/// Load the demo panel, add the synthetic members and (re)create the demo manager.
pub async fn seed(db: &DatabaseConnection, now: DateTime<Utc>) -> StoreResult<DemoInfo> {
    let panel = PanelDefinition::from_json(DEMO_PANEL)
        .map_err(|e| crate::store::StoreError::Corrupt(e.to_string()))?;
    panels::upsert(db, &panel, now).await?;
    let existing = members::list(db, panel.id.as_str(), &Default::default(), 0, 1)
        .await?
        .1;
    let mut created = 0;
    if existing == 0 {
        let mut rng = StdRng::seed_from_u64(20261129);
        let txn = db.begin().await?;
        for i in 0..DEMO_MEMBERS {
            let (new, status, joined) = synthetic_member(&mut rng, &panel, i, now);
            let m = members::insert_in(&txn, panel.id.as_str(), &new, status, joined).await?;
            let participated =
                (rng.random::<f64>() < 0.7).then(|| now - Duration::days(rng.random_range(1..400)));
            let mut update = member::Entity::update_many().col_expr(
                member::Column::LastParticipatedAt,
                Expr::value(participated),
            );
            if status == MemberStatus::Withdrawn {
                // Confirmed when they joined; left some time later (no random draw, so
                // the other demo members stay as they were).
                let left = joined + (now - joined) * (i % 7 + 1) as i32 / 8;
                update = update
                    .col_expr(member::Column::ConfirmedAt, Expr::value(Some(joined)))
                    .col_expr(member::Column::WithdrawnAt, Expr::value(Some(left)));
            }
            update
                .filter(member::Column::Id.eq(m.id))
                .exec(&txn)
                .await?;
            created += 1;
        }
        txn.commit().await?;
    }
    let password = reset_manager(db, now).await?;
    let survey = seed_survey(db, &panel, now).await?;
    // The demo interviewer calls the demo survey's members who prefer phone.
    let (interviewer_id, interviewer_password) = reset_interviewer(db, now).await?;
    if let Some(s) = &survey {
        crate::store::phone::assign(db, s.survey.id, interviewer_id, None).await?;
    }
    // Links are only kept as hashes; the one printed here is the only copy.
    let results_path = survey.as_ref().and_then(|s| s.results_link.clone());
    let invitation_path = survey.and_then(|s| {
        s.invitations
            .into_iter()
            .find(|(inv, _)| inv.channel == crate::domain::response::Channel::Email)
            .map(|(_, token)| format!("/uitnodiging/{token}"))
    });
    Ok(DemoInfo {
        members_created: created,
        manager_email: DEMO_MANAGER.to_owned(),
        manager_password: Some(password),
        invitation_path,
        interviewer_password,
        results_path,
    })
}

fn synthetic_member(
    rng: &mut StdRng,
    panel: &PanelDefinition,
    i: usize,
    now: DateTime<Utc>,
) -> (NewMember, MemberStatus, DateTime<Utc>) {
    let first = FIRST[rng.random_range(0..FIRST.len())];
    let last = LAST[rng.random_range(0..LAST.len())];
    let mut background = std::collections::BTreeMap::new();
    for var in &panel.background_variables {
        // About 2% leave a background question unanswered.
        if rng.random::<f64>() < 0.02 {
            continue;
        }
        if let Some(value) = pick(rng, skew(var.id.as_str())) {
            background.insert(
                VariableId::parse(var.id.as_str()).expect("panel ids are valid"),
                CategoryValue::parse(value).expect("demo values are valid"),
            );
        }
    }
    let year = now.year();
    let birth_year = match background.get("leeftijd").map(|v| v.as_str()) {
        Some("18-34") => year - rng.random_range(19..35),
        Some("35-54") => year - rng.random_range(35..55),
        _ => year - rng.random_range(55..85),
    };
    let contact_preference = match rng.random::<f64>() {
        x if x < 0.85 => ContactPreference::Email,
        x if x < 0.95 => ContactPreference::Phone,
        _ => ContactPreference::Post,
    };
    let slug = format!(
        "{}.{}",
        first.to_lowercase(),
        last.to_lowercase().replace(' ', "")
    );
    let email = EmailAddress::parse(&format!("{slug}.{i}@demo.klankbord.invalid"))
        .expect("valid demo email");
    let phone = PhoneNumber::parse(&format!("06{:08}", 10_000_000 + i)).expect("valid demo phone");
    let supporter = (rng.random::<f64>() < 0.15).then(|| Supporter {
        name: FIRST[rng.random_range(0..FIRST.len())].to_owned(),
        relation: Some(
            ["partner", "moeder", "zoon", "begeleider", "vriendin"][rng.random_range(0..5)]
                .to_owned(),
        ),
        contact: None,
    });
    let profile = Profile {
        name: Some(format!("{first} {last}")),
        email: Some(email),
        phone: Some(phone),
        address: (contact_preference == ContactPreference::Post)
            .then(|| format!("Voorbeeldstraat {}, 1234 AB Utrecht", i % 200 + 1)),
        contact_preference,
        birth_year: Some(birth_year),
        language: if rng.random::<f64>() < 0.05 {
            Lang::En
        } else {
            Lang::Nl
        },
        supporter,
        background,
    };
    let status = match rng.random::<f64>() {
        x if x < 0.94 => MemberStatus::Active,
        x if x < 0.97 => MemberStatus::Pending,
        _ => MemberStatus::Withdrawn,
    };
    let joined = now - Duration::days(rng.random_range(1..3 * 365));
    let source = [
        "website",
        "nieuwsbrief",
        "zorgverlener",
        "via_iemand",
        "sociale_media",
    ][rng.random_range(0..5)];
    (
        NewMember {
            profile,
            consent_version: panel.consent_version.clone(),
            keep_answers_anonymous: rng.random::<f64>() < 0.8,
            source: source.to_owned(),
        },
        status,
        joined,
    )
}

pub const DEMO_QUESTIONNAIRE: &str =
    include_str!("../../panel-schemas/examples/questionnaire.json");
/// How many members the demo survey invites.
pub const DEMO_INVITATIONS: u64 = 50;

/// The demo survey and its invitations with the token of each link.
pub struct DemoSurvey {
    pub survey: crate::store::entities::survey::Model,
    pub invitations: Vec<(crate::store::entities::invitation::Model, String)>,
    /// A respondent's link to the closed demo survey with results.
    pub results_link: Option<String>,
}

/// An open survey of the reference questionnaire for the demo panel (its findings
/// accepted and the version published by the demo manager), with invitations for the
/// first active members it is meant for, each through their own way of contact, and a
/// closed one with results. Does nothing when the panel already has a survey.
pub async fn seed_survey(
    db: &DatabaseConnection,
    panel: &PanelDefinition,
    now: DateTime<Utc>,
) -> StoreResult<Option<DemoSurvey>> {
    use crate::domain::response::{Channel, SurveyStatus};
    use crate::service::questionnaires as review;
    use crate::store::entities::manager;
    use crate::store::responses;
    let corrupt = |what: String| crate::store::StoreError::Corrupt(what);
    if !responses::surveys(db, panel.id.as_str()).await?.is_empty() {
        return Ok(None);
    }
    let manager = manager::Entity::find()
        .filter(manager::Column::Email.eq(DEMO_MANAGER))
        .one(db)
        .await?
        .ok_or_else(|| corrupt("no demo manager".into()))?;
    let version = review::upload(
        db,
        panel,
        DEMO_QUESTIONNAIRE.as_bytes(),
        manager.id,
        Lang::Nl,
        now,
    )
    .await?
    .map_err(|report| corrupt(format!("demo questionnaire refused: {:?}", report.problems)))?;
    let keys: Vec<String> = review::review(&version, &[], Lang::Nl)
        .items
        .into_iter()
        .map(|item| item.key)
        .collect();
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    review::accept(db, &version, &keys, manager.id, Some("Demo"), Lang::Nl, now).await?;
    review::publish(db, &version, manager.id, Lang::Nl, now)
        .await?
        .map_err(|refusal| corrupt(format!("demo questionnaire not published: {refusal:?}")))?;
    let parsed = review::parsed(&version)?;
    let survey = responses::create_survey(
        db,
        panel.id.as_str(),
        version.id,
        &version.title,
        SurveyStatus::Open,
        now,
        now + Duration::days(i64::from(parsed.closes_after_days)),
        Some(manager.id),
        now,
    )
    .await?;
    // Only members the questionnaire is meant for (one category per variable here).
    let mut filter = members::MemberFilter {
        status: Some(MemberStatus::Active),
        ..Default::default()
    };
    for (variable, categories) in &parsed.eligibility {
        if let [only] = categories.as_slice() {
            filter
                .background
                .insert(variable.to_string(), only.to_string());
        }
    }
    let (chosen, _) = members::list(db, panel.id.as_str(), &filter, 0, DEMO_INVITATIONS).await?;
    let mut invitations = Vec::with_capacity(chosen.len());
    for m in chosen {
        let channel = Channel::for_preference(m.contact_preference);
        invitations.push(responses::invite(db, survey.id, m.id, channel, now).await?);
    }
    let (closed_id, results_link) =
        results::seed_closed_survey(db, panel, &version, &parsed, manager.id, now).await?;
    clients::seed(db, panel.id.as_str(), closed_id, now).await?;
    Ok(Some(DemoSurvey {
        survey,
        invitations,
        results_link,
    }))
}
