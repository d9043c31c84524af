//! The `klankbord` command line. `anyhow` is allowed here: this is the edge where
//! errors become messages for the operator.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};

use crate::app::{App, shutdown_signal};
use crate::clock::{Clock, SystemClock};
use crate::config::{Config, DEFAULT_ADDR, DEFAULT_DATABASE_URL, Secret};
use crate::store;

#[derive(Parser, Debug)]
#[command(
    name = "klankbord",
    version,
    about = "Survey panel platform for experiential knowledge"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Debug, Clone)]
pub struct GlobalArgs {
    /// Database: sqlite://FILE?mode=rwc or postgres://…
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true, hide_env_values = true)]
    pub database_url: String,
    /// Address to listen on.
    #[arg(long, env = "KLANKBORD_ADDR", default_value = DEFAULT_ADDR, global = true)]
    pub addr: std::net::SocketAddr,
    /// SMTP server (smtp://host:587?tls=required for STARTTLS, smtps://host:465); unset: file outbox.
    #[arg(
        long,
        env = "KLANKBORD_SMTP_URL",
        global = true,
        hide_env_values = true
    )]
    pub smtp_url: Option<String>,
    /// Public address of this server, for links in email (default: http://ADDR).
    #[arg(long, env = "KLANKBORD_BASE_URL", global = true)]
    pub base_url: Option<String>,
    /// Folder the file outbox writes .eml files to.
    #[arg(
        long,
        env = "KLANKBORD_OUTBOX_DIR",
        default_value = "outbox",
        global = true
    )]
    pub outbox_dir: PathBuf,
    /// Sender address of all email.
    #[arg(
        long,
        env = "KLANKBORD_MAIL_FROM",
        default_value = "klankbord <noreply@klankbord.local>",
        global = true
    )]
    pub mail_from: String,
    /// Seconds between runs of the job scheduler (invitations, reminders, closing).
    #[arg(
        long,
        env = "KLANKBORD_JOB_TICK_SECS",
        default_value_t = 5,
        global = true
    )]
    pub job_tick_secs: u64,
    /// Seconds a job or message claimed by a process stays its own without news; after a
    /// crash another process takes over after this long.
    #[arg(
        long,
        env = "KLANKBORD_LEASE_SECS",
        default_value_t = 120,
        global = true
    )]
    pub lease_secs: u64,
}

impl GlobalArgs {
    pub fn config(&self) -> Config {
        Config {
            database_url: Secret::new(self.database_url.clone()),
            addr: self.addr,
            smtp_url: self
                .smtp_url
                .clone()
                .filter(|s| !s.is_empty())
                .map(Secret::new),
            base_url: self
                .base_url
                .clone()
                .unwrap_or_else(|| format!("http://{}", self.addr)),
            outbox_dir: self.outbox_dir.clone(),
            mail_from: self.mail_from.clone(),
            run_workers: true,
            job_tick_secs: self.job_tick_secs.max(1),
            lease_secs: self.lease_secs.max(1),
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the web server (migrates the database first).
    Serve {
        /// Fill an empty database with the demo panel and members first.
        #[arg(long)]
        demo: bool,
    },
    /// Bring the database schema up to date.
    Migrate,
    /// Fill the database with the demo panel, 4,000 synthetic members and a demo manager.
    Demo,
    /// Check panel and questionnaire files.
    Schema {
        #[command(subcommand)]
        command: SchemaCommand,
    },
    /// Panels: load a panel file into the database.
    Panels {
        #[command(subcommand)]
        command: PanelsCommand,
    },
    /// Members: import from CSV or XLSX.
    Members {
        #[command(subcommand)]
        command: MembersCommand,
    },
    /// Manager accounts.
    Managers {
        #[command(subcommand)]
        command: ManagersCommand,
    },
    /// Outside organisations (opdrachtgevers) and their API keys.
    Clients {
        #[command(subcommand)]
        command: ClientsCommand,
    },
    /// Remove data past the panels' retention periods and print what was removed.
    Purge,
    /// Write a survey's reports into a folder: HTML for respondents, the client and the
    /// manager, the manager's charts as SVG, the figures as CSV.
    Report {
        /// The survey's number (as in /beheer/enquetes/NUMBER).
        survey: i64,
        /// The folder to write into (created when missing).
        #[arg(long)]
        out: std::path::PathBuf,
        /// Language of the reports: nl or en.
        #[arg(long, default_value = "nl")]
        lang: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum SchemaCommand {
    /// Validate panel and questionnaire files; exit 1 when a file is invalid.
    Check {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long, default_value = "text", value_parser = ["text", "json"])]
        format: String,
        #[arg(long, default_value = "nl", value_parser = ["nl", "en"])]
        lang: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum PanelsCommand {
    /// Add or replace a panel from its panel file.
    Load { file: PathBuf },
}

#[derive(Subcommand, Debug)]
pub enum MembersCommand {
    /// Import members; nothing is imported when any row is bad.
    Import {
        file: PathBuf,
        #[arg(long)]
        panel: String,
        /// Check the file and report, without importing.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum ManagersCommand {
    /// Create a manager account and print its password once.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// May also read the audit log and manage accounts.
        #[arg(long, conflicts_with = "interviewer")]
        admin: bool,
        /// Phones members on the call lists a manager assigns; sees nothing else.
        #[arg(long)]
        interviewer: bool,
    },
    /// Make an API key for a manager account and print it once.
    ApiKey {
        #[arg(long)]
        email: String,
        /// What the key is for.
        #[arg(long, default_value = "command line")]
        name: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum ClientsCommand {
    /// Make an API key for an outside organisation (added to the panel when new) and
    /// print it once.
    ApiKey {
        #[arg(long)]
        panel: String,
        /// The organisation's name.
        #[arg(long)]
        client: String,
        /// What the key is for.
        #[arg(long, default_value = "command line")]
        name: String,
        /// What the key may do (repeat): requests:read, requests:write, reports:read.
        /// All three when left out.
        #[arg(long = "scope")]
        scopes: Vec<String>,
    },
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("KLANKBORD_LOG").unwrap_or_else(|_| {
                tracing_subscriber::EnvFilter::new("info,sqlx=warn,sea_orm=warn")
            }),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("klankbord: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("klankbord: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn open_db(global: &GlobalArgs) -> anyhow::Result<sea_orm::DatabaseConnection> {
    let db = store::connect(&global.database_url)
        .await
        .context("cannot open the database")?;
    store::migrate(&db)
        .await
        .context("cannot migrate the database")?;
    Ok(db)
}

pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    match cli.command {
        Command::Serve { demo } => {
            let config = cli.global.config();
            let app = App::build(config, clock.clone()).await?;
            if demo {
                let info = crate::demo::seed_if_empty(&app.state().db, clock.now()).await?;
                println!("{info}");
            }
            println!(
                "klankbord listens on http://127.0.0.1:{} (Ctrl-C stops)",
                app.port()
            );
            app.run_until_stopped(shutdown_signal()).await?;
        }
        Command::Migrate => {
            open_db(&cli.global).await?;
            println!("database is up to date");
        }
        Command::Demo => {
            let db = open_db(&cli.global).await?;
            let info = crate::demo::seed(&db, clock.now()).await?;
            println!("{info}");
        }
        Command::Schema {
            command:
                SchemaCommand::Check {
                    files,
                    format,
                    lang,
                },
        } => {
            return Ok(crate::schema_cli::check(&files, &format, &lang));
        }
        Command::Panels {
            command: PanelsCommand::Load { file },
        } => {
            let db = open_db(&cli.global).await?;
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let panel =
                crate::domain::panel::PanelDefinition::from_json(&text).with_context(|| {
                    format!(
                        "{} is not a valid panel file (run `klankbord schema check`)",
                        file.display()
                    )
                })?;
            let problems = panel.problems();
            if !problems.is_empty() {
                for p in &problems {
                    eprintln!("{}: {:?}", p.path, p.kind);
                }
                anyhow::bail!(
                    "{} has {} problem(s); nothing loaded",
                    file.display(),
                    problems.len()
                );
            }
            store::panels::upsert(&db, &panel, clock.now()).await?;
            println!("panel {} loaded", panel.id);
        }
        Command::Members {
            command:
                MembersCommand::Import {
                    file,
                    panel,
                    dry_run,
                },
        } => {
            let db = open_db(&cli.global).await?;
            return crate::service::import::run_cli(&db, &file, &panel, dry_run, clock.now()).await;
        }
        Command::Managers {
            command:
                ManagersCommand::Create {
                    email,
                    name,
                    admin,
                    interviewer,
                },
        } => {
            let db = open_db(&cli.global).await?;
            let password = crate::demo::new_password();
            let role = if admin {
                store::managers::ManagerRole::Admin
            } else if interviewer {
                store::managers::ManagerRole::Interviewer
            } else {
                store::managers::ManagerRole::Manager
            };
            store::managers::create(&db, &email, &name, &password, role, clock.now())
                .await
                .context("cannot create the account (does the email exist already?)")?;
            println!("account {email} created; password (shown once): {password}");
        }
        Command::Managers {
            command: ManagersCommand::ApiKey { email, name },
        } => {
            let db = open_db(&cli.global).await?;
            let manager = store::managers::list(&db)
                .await?
                .into_iter()
                .find(|m| m.email.eq_ignore_ascii_case(&email))
                .ok_or_else(|| anyhow::anyhow!("there is no manager account {email}"))?;
            let (_, secret) =
                store::api_tokens::create(&db, manager.id, &name, clock.now()).await?;
            println!("{secret}");
        }
        Command::Clients {
            command:
                ClientsCommand::ApiKey {
                    panel,
                    client,
                    name,
                    scopes,
                },
        } => {
            use crate::domain::client_access::{Scope, Scopes};
            let db = open_db(&cli.global).await?;
            store::panels::get(&db, &panel)
                .await
                .with_context(|| format!("there is no panel {panel}"))?;
            let codes: Vec<&str> = if scopes.is_empty() {
                Scope::ALL.iter().map(|s| s.code()).collect()
            } else {
                scopes.iter().map(String::as_str).collect()
            };
            let scopes = Scopes::parse(codes).map_err(|e| {
                anyhow::anyhow!("{e:?}: use requests:read, requests:write or reports:read")
            })?;
            let made =
                store::client_requests::client_named(&db, &panel, &client, clock.now()).await?;
            let actor = crate::store::audit::Actor::system();
            let (_, secret) = crate::service::clients::create_token(
                &db,
                &made,
                &name,
                &scopes,
                &actor,
                clock.now(),
            )
            .await?;
            println!("{secret}");
        }
        Command::Report { survey, out, lang } => {
            let lang = crate::i18n::Lang::from_code(&lang)
                .ok_or_else(|| anyhow::anyhow!("unknown language {lang:?}: use nl or en"))?;
            let db = open_db(&cli.global).await?;
            if let Err(crate::store::StoreError::NotFound) =
                crate::store::responses::survey(&db, survey).await
            {
                eprintln!("klankbord: there is no survey number {survey}");
                return Ok(ExitCode::FAILURE);
            }
            let written = crate::report::files::write_reports(&db, survey, &out, lang).await?;
            for path in written {
                println!("{}", path.display());
            }
        }
        Command::Purge => {
            let db = open_db(&cli.global).await?;
            let report = store::purge::purge(&db, clock.now()).await?;
            let lang = crate::i18n::Lang::Nl;
            for (key, n) in [
                ("purge.inactive_members", report.inactive_members),
                ("purge.unconfirmed_signups", report.unconfirmed_signups),
                ("purge.responses", report.responses),
                ("purge.sent_mail", report.sent_mail),
                ("purge.expired_tokens", report.expired_tokens),
                ("purge.expired_sessions", report.expired_sessions),
                ("purge.audit_entries", report.audit_entries),
            ] {
                println!("{}", crate::i18n::tf(lang, key, &[("n", &n)]));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
