//! Bulk data for the benchmarks: rows written as multi-row `INSERT` statements in one
//! transaction, much faster than the store's one-row-at-a-time functions, plus the
//! reference panel and a published reference questionnaire made through the service.

use chrono::{DateTime, SecondsFormat, Utc};
use klankbord::domain::panel::PanelDefinition;
use klankbord::i18n::Lang;
use klankbord::store::managers::{self, ManagerRole};
use rand::RngExt;
use rand::rngs::StdRng;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, Statement};

pub const PANEL: &str = include_str!("../../panel-schemas/examples/panel.json");
pub const QUESTIONNAIRE: &str = include_str!("../../panel-schemas/examples/questionnaire.json");

/// Rows per statement: well under SQLite's 1 MB statement limit.
const ROWS_PER_STATEMENT: usize = 2_000;

/// A moment as sqlx stores `DateTime<Utc>` in SQLite, so the store's comparisons hold.
pub fn ts(at: DateTime<Utc>) -> String {
    format!("'{}'", at.to_rfc3339_opts(SecondsFormat::AutoSi, false))
}

/// An `INSERT … VALUES` filled row by row and sent every [`ROWS_PER_STATEMENT`] rows.
pub struct Insert {
    head: String,
    sql: String,
    rows: usize,
    pub total: u64,
}

impl Insert {
    /// `head` is `INSERT INTO table (columns) VALUES `.
    pub fn new(head: &str) -> Insert {
        Insert {
            head: head.to_owned(),
            sql: String::with_capacity(256 * ROWS_PER_STATEMENT),
            rows: 0,
            total: 0,
        }
    }

    /// Add one row: `values` is the part between the parentheses.
    pub async fn row(&mut self, db: &impl ConnectionTrait, values: &str) -> Result<(), DbErr> {
        if self.rows == 0 {
            self.sql.push_str(&self.head);
        } else {
            self.sql.push(',');
        }
        self.sql.push('(');
        self.sql.push_str(values);
        self.sql.push(')');
        self.rows += 1;
        self.total += 1;
        if self.rows == ROWS_PER_STATEMENT {
            self.flush(db).await?;
        }
        Ok(())
    }

    pub async fn flush(&mut self, db: &impl ConnectionTrait) -> Result<(), DbErr> {
        if self.rows > 0 {
            db.execute_unprepared(&self.sql).await?;
            self.sql.clear();
            self.rows = 0;
        }
        Ok(())
    }
}

/// The reference panel, stored.
pub async fn panel(db: &DatabaseConnection, now: DateTime<Utc>) -> PanelDefinition {
    let panel = PanelDefinition::from_json(PANEL).expect("reference panel");
    klankbord::store::panels::upsert(db, &panel, now)
        .await
        .expect("store the panel");
    panel
}

/// A manager account; returns its id.
pub async fn manager(db: &DatabaseConnection, now: DateTime<Utc>) -> i64 {
    managers::create(
        db,
        "beheer@bench.invalid",
        "Bench Beheer",
        "bench-wachtwoord-1",
        ManagerRole::Manager,
        now,
    )
    .await
    .expect("create a manager")
    .id
}

/// The reference questionnaire uploaded, its findings accepted and published, as a
/// manager does it; returns the version's id.
pub async fn published_version(
    db: &DatabaseConnection,
    panel: &PanelDefinition,
    manager_id: i64,
    now: DateTime<Utc>,
) -> i64 {
    use klankbord::service::questionnaires as review;
    let version = review::upload(
        db,
        panel,
        QUESTIONNAIRE.as_bytes(),
        manager_id,
        Lang::Nl,
        now,
    )
    .await
    .expect("upload")
    .expect("the reference questionnaire is valid");
    let keys: Vec<String> = review::review(&version, &[], Lang::Nl)
        .items
        .into_iter()
        .map(|item| item.key)
        .collect();
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    review::accept(
        db,
        &version,
        &keys,
        manager_id,
        Some("bench"),
        Lang::Nl,
        now,
    )
    .await
    .expect("accept findings");
    review::publish(db, &version, manager_id, Lang::Nl, now)
        .await
        .expect("publish")
        .expect("publishable");
    version.id
}

/// Skewed shares per category, as real panels are off their targets (older, more from
/// the west): the quotas then have work to do.
pub const BACKGROUND: &[(&str, &[(&str, f64)])] = &[
    ("rol", &[("ervaring", 0.83), ("naaste", 0.17)]),
    (
        "leeftijd",
        &[("18-34", 0.17), ("35-54", 0.43), ("55+", 0.40)],
    ),
    (
        "situatie",
        &[
            ("uitkering", 0.36),
            ("dagbesteding", 0.12),
            ("beschut_werk", 0.06),
            ("banenafspraak", 0.05),
            ("regulier_werk", 0.21),
            ("vrijwilligerswerk", 0.20),
        ],
    ),
    (
        "regio",
        &[
            ("noord", 0.07),
            ("oost", 0.19),
            ("west", 0.56),
            ("zuid", 0.18),
        ],
    ),
];

/// A value drawn with the given shares.
pub fn pick(rng: &mut StdRng, shares: &[(&'static str, f64)]) -> &'static str {
    let mut x: f64 = rng.random();
    for (value, share) in shares {
        if x < *share {
            return value;
        }
        x -= share;
    }
    shares[shares.len() - 1].0
}

/// `count` synthetic members of the reference panel with ids from `first`, with their
/// background: 97% active, the rest pending or withdrawn; 3% with stricter contact
/// wishes of their own. Everyone prefers email (so every invitation is an email) and
/// has a unique `lid{id}@bench.invalid`. In a transaction: foreign keys are checked at
/// its end, as background rows can go out before their members.
pub async fn members(
    db: &impl ConnectionTrait,
    first: u32,
    count: u32,
    rng: &mut StdRng,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    db.execute_unprepared("PRAGMA defer_foreign_keys = ON")
        .await?;
    let at = ts(now);
    let mut people = Insert::new(
        "INSERT INTO members (id, panel_id, pseudonym, status, name, email, email_norm, \
         contact_preference, birth_year, language, source, consent_version, consent_at, \
         health_consent, health_consent_at, keep_answers_anonymous, large_text, \
         high_contrast, calm_layout, confirmed_at, withdrawn_at, profile_updated_at, \
         created_at, version, contact_wishes, contact_seq) VALUES ",
    );
    let mut background =
        Insert::new("INSERT INTO member_background (member_id, variable, value) VALUES ");
    for id in first..first + count {
        let status = match rng.random::<f64>() {
            x if x < 0.97 => "active",
            x if x < 0.985 => "pending",
            _ => "withdrawn",
        };
        let withdrawn = if status == "withdrawn" {
            at.as_str()
        } else {
            "NULL"
        };
        let wishes = match rng.random::<f64>() {
            x if x < 0.02 => "'{\"max_invitations_per_year\":3}'",
            x if x < 0.03 => "'{\"min_days_between_invitations\":45}'",
            _ => "NULL",
        };
        people
            .row(
                db,
                &format!(
                    "{id},'ggz-panel','bench-{id}','{status}','Lid {id}','lid{id}@bench.invalid',\
                     'lid{id}@bench.invalid','email',{},'nl','bench','1',{at},1,{at},1,0,0,0,\
                     {at},{withdrawn},{at},{at},1,{wishes},0",
                    1940 + id % 60
                ),
            )
            .await?;
        for (variable, shares) in BACKGROUND {
            // About 2% leave a background question unanswered.
            if rng.random::<f64>() < 0.02 {
                continue;
            }
            let value = pick(rng, shares);
            background
                .row(db, &format!("{id},'{variable}','{value}'"))
                .await?;
        }
    }
    people.flush(db).await?;
    background.flush(db).await
}

/// Write every member's contact summary from the invitations loaded in bulk (the store
/// keeps them up to date itself, but bulk rows go around it); returns how long it took.
pub async fn contact_summaries(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> Result<std::time::Duration, klankbord::store::StoreError> {
    let started = std::time::Instant::now();
    klankbord::store::contact_summary::rebuild(db, now).await?;
    Ok(started.elapsed())
}

/// Drop the indexes of `tables` that the migrations made (not those behind primary keys
/// and UNIQUE columns) and return the statements that make them again: building an
/// index once after a bulk load is much faster than keeping it up to date row by row.
pub async fn drop_indexes(db: &DatabaseConnection, tables: &[&str]) -> Result<Vec<String>, DbErr> {
    let names = tables
        .iter()
        .map(|t| format!("'{t}'"))
        .collect::<Vec<_>>()
        .join(",");
    let rows = db
        .query_all_raw(Statement::from_string(
            DbBackend::Sqlite,
            format!(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' \
                 AND sql IS NOT NULL AND tbl_name IN ({names})"
            ),
        ))
        .await?;
    let mut again = Vec::new();
    for row in rows {
        let name: String = row.try_get_by_index(0)?;
        again.push(row.try_get_by_index(1)?);
        db.execute_unprepared(&format!("DROP INDEX \"{name}\""))
            .await?;
    }
    Ok(again)
}
