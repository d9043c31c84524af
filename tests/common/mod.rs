//! Test harness: starts the real server on a random port against a fresh database
//! (a SQLite file, or a new PostgreSQL database when `TEST_DATABASE_URL` is set), with
//! a clock the test can move and a file outbox the test can read.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{TimeZone, Utc};
use klankbord::app::App;
use klankbord::clock::ManualClock;
use klankbord::config::{Config, Secret};
use klankbord::domain::panel::PanelDefinition;
use klankbord::store;
use reqwest::redirect::Policy;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use tempfile::TempDir;
use tokio::sync::oneshot;

pub mod fieldwork;
pub mod respondents;
pub mod smtp_sink;

pub const PANEL: &str = include_str!("../../panel-schemas/examples/panel.json");
pub const QUESTIONNAIRE: &str = include_str!("../../panel-schemas/examples/questionnaire.json");

pub struct TestApp {
    pub base: String,
    pub db: DatabaseConnection,
    pub clock: Arc<ManualClock>,
    pub config: Config,
    pub dir: TempDir,
    /// The SQLite file, when running on SQLite.
    pub db_file: Option<PathBuf>,
    test_db: TestDb,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<()>>,
}

/// A browser: its own cookie jar and CSRF token.
pub struct Browser {
    pub client: reqwest::Client,
    pub base: String,
    pub csrf: String,
}

/// One email as it arrived in the file outbox.
#[derive(Debug, Clone)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub headers: Vec<(String, String)>,
}

impl Email {
    /// The path of the first link in the text body that contains `fragment`, from
    /// `fragment` on: `/uitnodiging/…` of `http://host:port/uitnodiging/…`.
    pub fn path(&self, fragment: &str) -> String {
        self.text
            .split_whitespace()
            .find_map(|w| w.find(fragment).map(|i| w[i..].to_owned()))
            .unwrap_or_else(|| panic!("no link with {fragment} in {}", self.text))
    }

    /// The first link in the text body that starts with `prefix`.
    pub fn link(&self, prefix: &str) -> String {
        self.text
            .split_whitespace()
            .find(|w| w.starts_with(prefix))
            .unwrap_or_else(|| panic!("no link {prefix} in {}", self.text))
            .to_owned()
    }
}

pub fn is_postgres() -> bool {
    std::env::var("TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty())
}

/// Where a test database lives, so it can be removed afterwards.
pub enum TestDb {
    Sqlite(PathBuf),
    Postgres { admin_url: String, name: String },
}

async fn fresh_database(dir: &TempDir) -> (String, TestDb) {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => {
            let admin = Database::connect(&url)
                .await
                .expect("connect TEST_DATABASE_URL");
            let name = format!("kb_test_{}", uuid::Uuid::new_v4().simple());
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create test database");
            let base = url.rsplit_once('/').map(|(b, _)| b).unwrap_or(&url);
            (
                format!("{base}/{name}"),
                TestDb::Postgres {
                    admin_url: url.clone(),
                    name,
                },
            )
        }
        _ => {
            let file = dir.path().join("klankbord.db");
            (
                format!("sqlite://{}?mode=rwc", file.display()),
                TestDb::Sqlite(file),
            )
        }
    }
}

impl TestApp {
    /// A manager account with this email and role, logged in in a new browser.
    pub async fn manager_with(
        &self,
        email: &str,
        role: klankbord::store::managers::ManagerRole,
    ) -> Browser {
        klankbord::store::managers::create(
            &self.db,
            email,
            "Mia Beheer",
            "geheim-wachtwoord-1",
            role,
            self.clock.now_utc(),
        )
        .await
        .unwrap();
        let browser = self.browser().await;
        let r = browser
            .post(
                "/beheer/inloggen",
                &[("email", email), ("password", "geheim-wachtwoord-1")],
            )
            .await;
        assert_eq!(r.status(), 303, "manager login succeeds");
        browser
    }

    /// The usual manager (mia@voorbeeld.nl), logged in.
    pub async fn manager(&self) -> Browser {
        self.manager_with(
            "mia@voorbeeld.nl",
            klankbord::store::managers::ManagerRole::Manager,
        )
        .await
    }

    /// The reference questionnaire uploaded by `manager_id` and an open survey of it
    /// (three weeks from now); returns the version's id and the survey's.
    pub async fn open_survey(&self, manager_id: i64) -> (i64, i64) {
        self.open_survey_of(manager_id, QUESTIONNAIRE).await
    }

    /// As [`TestApp::open_survey`], of the questionnaire file `json`.
    pub async fn open_survey_of(&self, manager_id: i64, json: &str) -> (i64, i64) {
        let now = self.clock.now_utc();
        let panel = store::panels::get(&self.db, "ggz-panel").await.unwrap();
        let version = klankbord::service::questionnaires::upload(
            &self.db,
            &panel,
            json.as_bytes(),
            manager_id,
            klankbord::i18n::Lang::Nl,
            now,
        )
        .await
        .unwrap()
        .unwrap();
        let survey = store::responses::create_survey(
            &self.db,
            "ggz-panel",
            version.id,
            &version.title,
            klankbord::domain::response::SurveyStatus::Open,
            now,
            now + chrono::Duration::days(21),
            Some(manager_id),
            now,
        )
        .await
        .unwrap();
        (version.id, survey.id)
    }

    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    /// Start with the reference panel loaded.
    pub async fn with_panel() -> TestApp {
        let app = Self::spawn().await;
        let panel = PanelDefinition::from_json(PANEL).unwrap();
        store::panels::upsert(&app.db, &panel, app.clock.now_utc())
            .await
            .unwrap();
        app
    }

    pub async fn spawn_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
        let dir = TempDir::new().unwrap();
        let (url, test_db) = fresh_database(&dir).await;
        let db_file = match &test_db {
            TestDb::Sqlite(file) => Some(file.clone()),
            TestDb::Postgres { .. } => None,
        };
        let mut config = Config::local_defaults();
        config.database_url = Secret::new(url);
        config.addr = "127.0.0.1:0".parse().unwrap();
        config.base_url = "http://127.0.0.1:0".to_owned();
        config.outbox_dir = dir.path().join("outbox");
        // Tests deliver mail themselves, so they know when it has arrived.
        config.run_workers = false;
        adjust(&mut config);
        let clock = ManualClock::new(Utc.with_ymd_and_hms(2026, 11, 29, 10, 0, 0).unwrap());
        let app = App::build(config.clone(), clock.clone())
            .await
            .expect("app starts");
        let port = app.port();
        config.base_url = format!("http://127.0.0.1:{port}");
        let db = app.state().db.clone();
        let (tx, rx) = oneshot::channel();
        let server = tokio::spawn(async move {
            app.run_until_stopped(async {
                let _ = rx.await;
            })
            .await
            .unwrap();
        });
        TestApp {
            base: format!("http://127.0.0.1:{port}"),
            db,
            clock,
            config,
            dir,
            db_file,
            test_db,
            shutdown: Some(tx),
            server: Some(server),
        }
    }

    /// A new browser with its own cookies; it has fetched the start page once, so it
    /// holds a CSRF cookie like a real visitor.
    pub async fn browser(&self) -> Browser {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(Policy::none())
            .build()
            .unwrap();
        let response = client
            .get(format!("{}/aanmelden", self.base))
            .send()
            .await
            .unwrap();
        let csrf = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|c| c.strip_prefix("kb_csrf="))
            .map(|c| c.split(';').next().unwrap().to_owned())
            .expect("csrf cookie");
        Browser {
            client,
            base: self.base.clone(),
            csrf,
        }
    }

    /// Send all queued mail to the file outbox and return what arrived since last time.
    pub async fn deliver_mail(&self) -> Vec<Email> {
        let transport = klankbord::mail::Transport::File(self.config.outbox_dir.clone());
        let clock: klankbord::clock::SharedClock = self.clock.clone();
        klankbord::mail::send_due(&self.db, &transport, &self.config.mail_from, &clock)
            .await
            .unwrap();
        let mut emails = Vec::new();
        let Ok(entries) = std::fs::read_dir(&self.config.outbox_dir) else {
            return emails;
        };
        let seen_dir = self.dir.path().join("seen");
        std::fs::create_dir_all(&seen_dir).unwrap();
        let mut paths: Vec<_> = entries
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .collect();
        paths.sort();
        for path in paths {
            let raw = std::fs::read(&path).unwrap();
            std::fs::rename(&path, seen_dir.join(path.file_name().unwrap())).unwrap();
            let message = mail_parser::MessageParser::default()
                .parse(&raw)
                .expect("parsable email");
            emails.push(Email {
                to: message
                    .to()
                    .and_then(|a| a.first())
                    .and_then(|a| a.address())
                    .unwrap_or("")
                    .to_owned(),
                subject: message.subject().unwrap_or("").to_owned(),
                text: message
                    .body_text(0)
                    .map(|t| t.into_owned())
                    .unwrap_or_default(),
                html: message
                    .body_html(0)
                    .map(|t| t.into_owned())
                    .unwrap_or_default(),
                headers: message
                    .headers()
                    .iter()
                    .map(|h| {
                        (
                            h.name().to_owned(),
                            h.value().as_text().unwrap_or("").to_owned(),
                        )
                    })
                    .collect(),
            });
        }
        emails
    }

    /// Every byte of the SQLite database files (main, WAL and shared memory).
    pub fn database_bytes(&self) -> Vec<u8> {
        let file = self.db_file.as_ref().expect("sqlite only");
        let mut bytes = std::fs::read(file).unwrap();
        for suffix in ["-wal", "-shm"] {
            let mut name = file.clone().into_os_string();
            name.push(suffix);
            if let Ok(extra) = std::fs::read(PathBuf::from(name)) {
                bytes.extend(extra);
            }
        }
        bytes
    }

    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
        let _ = self.db.clone().close().await;
        if let TestDb::Postgres { admin_url, name } = &self.test_db
            && let Ok(admin) = Database::connect(admin_url).await
        {
            let _ = admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await;
        }
    }
}

pub trait ClockExt {
    fn now_utc(&self) -> chrono::DateTime<Utc>;
}

impl ClockExt for ManualClock {
    fn now_utc(&self) -> chrono::DateTime<Utc> {
        klankbord::clock::Clock::now(self)
    }
}

impl Browser {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let r = self.get(path).await;
        let status = r.status().as_u16();
        (status, r.text().await.unwrap())
    }

    /// Post a form with this browser's CSRF token.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let mut all: Vec<(&str, &str)> = vec![("csrf", &self.csrf)];
        all.extend_from_slice(fields);
        self.client
            .post(self.url(path))
            .form(&all)
            .send()
            .await
            .unwrap()
    }

    /// Post a form without any CSRF token.
    pub async fn post_without_csrf(
        &self,
        path: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .form(fields)
            .send()
            .await
            .unwrap()
    }

    /// Upload a questionnaire file (as pasted text) to the reference panel, as a
    /// logged-in manager does on the questionnaires page.
    pub async fn upload_questionnaire(&self, json: &str) -> reqwest::Response {
        let form = reqwest::multipart::Form::new()
            .text("csrf", self.csrf.clone())
            .text("json", json.to_owned());
        self.client
            .post(self.url("/beheer/panels/ggz-panel/vragenlijsten"))
            .multipart(form)
            .send()
            .await
            .unwrap()
    }

    /// Follow a redirect response and return the final page.
    pub async fn follow(&self, response: reqwest::Response) -> (u16, String) {
        let location = response
            .headers()
            .get("location")
            .unwrap_or_else(|| panic!("expected a redirect, got {}", response.status()))
            .to_str()
            .unwrap()
            .to_owned();
        self.get_text(&location).await
    }
}

/// A complete, valid sign-up form for the reference panel.
pub fn signup_form(email: &str) -> Vec<(&'static str, String)> {
    vec![
        ("panel", "ggz-panel".into()),
        ("name", "Anna de Vries".into()),
        ("email", email.into()),
        ("phone", "".into()),
        ("address", "".into()),
        ("birth_year", "1980".into()),
        ("contact_preference", "email".into()),
        ("bg_rol", "ervaring".into()),
        ("bg_leeftijd", "35-54".into()),
        ("bg_situatie", "uitkering".into()),
        ("bg_regio", "west".into()),
        ("supporter_name", "".into()),
        ("supporter_relation", "".into()),
        ("supporter_contact", "".into()),
        ("source", "website".into()),
        ("consent_panel", "ja".into()),
        ("consent_health", "ja".into()),
        ("keep_answers_anonymous", "ja".into()),
    ]
}

/// Text as a page shows it (HTML-escaped as askama does).
pub fn html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

pub fn as_refs<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

impl Browser {
    /// Sign up, confirm through the emailed link, and end up logged in.
    pub async fn sign_up_and_confirm(&self, app: &TestApp, email: &str) {
        let form = signup_form(email);
        let r = self.post("/aanmelden", &as_refs(&form)).await;
        assert_eq!(r.status(), 303, "sign-up redirects");
        let mails = app.deliver_mail().await;
        let mail = mails
            .iter()
            .find(|m| m.to == email)
            .expect("confirmation email");
        let link = mail.link(&format!("{}/bevestigen/", app.base));
        let path = link.trim_start_matches(&app.base).to_owned();
        let r = self.post(&path, &[]).await;
        assert_eq!(r.status(), 303, "confirming redirects");
    }
}
