//! Benchmark for fieldwork (issue 5), on SQLite in a temporary folder:
//! 1. draw a 10,000-member quota sample from a panel of 1,000,000 synthetic members with
//!    a year of contact history — the real `service::fieldwork::preview`, contact-policy
//!    checks included (target: under 2 s);
//! 2. send the invitation wave of that sample (the real job runner), then hand the
//!    10,000 invitation emails to a loopback SMTP sink through the real outbox worker
//!    over SMTP (target: 500 or more per second).
//!
//! `cargo bench --bench fieldwork`; `KLANKBORD_BENCH_MEMBERS=100000` for a quicker run.

mod support;

use std::sync::Arc;
use std::time::{Duration as StdDuration, Instant};

use chrono::{DateTime, Duration, TimeZone, Utc};
use klankbord::clock::{ManualClock, SharedClock};
use klankbord::config::{Config, Secret};
use klankbord::domain::fieldwork::{Closing, Schedule, Size, default_quotas};
use klankbord::domain::ids::VariableId;
use klankbord::service::fieldwork::{self, SurveyPlan};
use klankbord::store::outbox::OutboxStatus;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement, TransactionTrait};

use support::data::{self, Insert, ts};
use support::smtp_sink::SmtpSink;
use support::{figure, ms};

const SAMPLE: u32 = 10_000;
/// Past surveys in the contact history: one a month over the last year.
const PAST_SURVEYS: i64 = 12;
/// Share of the panel each past survey invited.
const PAST_SHARE: f64 = 0.35;

fn main() {
    let members: u32 = std::env::var("KLANKBORD_BENCH_MEMBERS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(run(members));
}

async fn run(members: u32) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let (_, db) = support::database(dir.path()).await;
    let now = Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap();
    let panel = data::panel(&db, now).await;
    let manager = data::manager(&db, now).await;
    let version_id = data::published_version(&db, &panel, manager, now).await;

    println!("fieldwork benchmark (SQLite, {} cores)", cores());
    let started = Instant::now();
    let history = generate(&db, members, version_id, now).await.expect("data");
    println!(
        "  data: {members} members, {history} invitations over the past year, made in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    // The survey: 10,000 members, default quotas on three background questions.
    let send_at = now + Duration::hours(1);
    let eligibility = Default::default();
    let variables: Vec<VariableId> = ["leeftijd", "situatie", "regio"]
        .iter()
        .map(|v| VariableId::parse(v).unwrap())
        .collect();
    let plan = SurveyPlan {
        title: "Benchmark".to_owned(),
        version_id,
        quotas: default_quotas(&panel, &eligibility, &variables, SAMPLE).expect("quotas"),
        eligibility,
        size: Size::N(SAMPLE),
        seed: 2026,
        schedule: Schedule {
            send_at,
            // No reminder: the mail figure is about the 10,000 invitations.
            reminder_after_days: None,
            closing: Closing::At(send_at + Duration::days(21)),
        },
    };
    let survey = fieldwork::create(&db, &panel, &plan, Some(manager), now)
        .await
        .expect("create the survey");

    // 1. The draw, three times: the first reads a cold SQLite page cache.
    let mut times = Vec::new();
    let mut outcome = None;
    for _ in 0..3 {
        let t = Instant::now();
        outcome = Some(
            fieldwork::preview(&db, &panel, &survey)
                .await
                .expect("preview"),
        );
        times.push(t.elapsed());
    }
    let outcome = outcome.unwrap();
    let left = &outcome.left_out;
    println!(
        "  sample: {} picked; left out: {} by the contact policy, {} not eligible, {} outside quotas; {} shortfalls",
        outcome.picked.len(),
        left.policy,
        left.not_eligible,
        left.outside_quotas,
        outcome.shortfalls.len()
    );
    println!(
        "  draw times: {}",
        times.iter().map(|t| ms(*t)).collect::<Vec<_>>().join(", ")
    );
    let worst = *times.iter().max().unwrap();
    figure(
        "draw a 10,000 quota sample (slowest of 3)",
        ms(worst),
        "< 2 s",
        worst < StdDuration::from_secs(2),
    );

    // Scheduling draws once more and plans the invitations and jobs.
    let t = Instant::now();
    fieldwork::schedule(&db, &panel, survey.id, now)
        .await
        .expect("schedule");
    println!(
        "  schedule (draw + plan 10,000 invitations): {}",
        ms(t.elapsed())
    );

    // 2a. The invitation wave: policy check, link and queued email per invitation.
    let clock: Arc<ManualClock> = ManualClock::new(send_at + Duration::minutes(1));
    let shared: SharedClock = clock.clone();
    let waker = Arc::new(tokio::sync::Notify::new());
    let runner = klankbord::jobs::Runner::new(
        db.clone(),
        "https://klankbord.invalid".to_owned(),
        shared.clone(),
        waker.clone(),
        Duration::minutes(5),
    );
    let t = Instant::now();
    runner.run_due().await.expect("wave");
    let wave = t.elapsed();
    let first = pending_mail(&db).await;
    println!(
        "  wave: {first} emails queued in {} ({:.0} invitations/s)",
        ms(wave),
        first as f64 / wave.as_secs_f64()
    );
    // Members whose own wishes ask for a longer gap wait; the wave sends them later.
    clock.set(send_at + Duration::days(20));
    runner.run_due().await.expect("later wave");
    let queued = pending_mail(&db).await;
    println!(
        "  later in the fieldwork: {} more, {queued} emails queued in all",
        queued - first
    );

    // 2b. The outbox worker over SMTP to the sink.
    let sink = SmtpSink::start().await;
    let mut config = Config::local_defaults();
    config.smtp_url = Some(Secret::new(sink.url()));
    let transport = klankbord::mail::Transport::from_config(&config).expect("SMTP transport");
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let t = Instant::now();
    let worker = tokio::spawn(klankbord::mail::run_worker(
        db.clone(),
        transport,
        config.mail_from.clone(),
        shared,
        waker,
        klankbord::mail::DEFAULT_LEASE,
        stopped,
    ));
    let deadline = Instant::now() + StdDuration::from_secs(180);
    while sink.count() < queued && Instant::now() < deadline {
        tokio::time::sleep(StdDuration::from_millis(5)).await;
    }
    let handed = t.elapsed();
    let delivered = sink.count();
    while pending_mail(&db).await > 0 && Instant::now() < deadline {
        tokio::time::sleep(StdDuration::from_millis(20)).await;
    }
    let marked = t.elapsed();
    let _ = stop.send(true);
    let _ = worker.await;
    let rate = delivered as f64 / handed.as_secs_f64();
    println!(
        "  outbox: {delivered} of {queued} messages accepted by the sink in {} over {} SMTP connection(s); all marked sent after {}",
        ms(handed),
        sink.connections(),
        ms(marked)
    );
    figure(
        "hand invitations to a loopback SMTP sink",
        format!("{rate:.0} msg/s"),
        ">= 500/s",
        rate >= 500.0 && delivered == queued,
    );
    db.close().await.ok();
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

async fn pending_mail(db: &DatabaseConnection) -> u64 {
    use klankbord::store::entities::outbox;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    outbox::Entity::find()
        .filter(outbox::Column::Status.eq(OutboxStatus::Pending))
        .count(db)
        .await
        .expect("count the outbox")
}

/// The panel's members with their background and a year of contact history: twelve
/// monthly surveys (two of them flash polls) that each invited about a third of the
/// panel, a few members invited to every one of them (over the yearly limit), a few
/// with stricter wishes of their own, and some already planned into another survey.
/// Everyone prefers email, so every picked member gets an email. Returns the number
/// of invitations written.
async fn generate(
    db: &DatabaseConnection,
    members: u32,
    version_id: i64,
    now: DateTime<Utc>,
) -> Result<u64, sea_orm::DbErr> {
    let mut rng = StdRng::seed_from_u64(5);
    let indexes = data::drop_indexes(db, &["members", "member_background", "invitations"]).await?;
    let txn = db.begin().await?;
    // A big page cache for the load only (this connection); indexes are built as rows come.
    txn.execute_unprepared("PRAGMA cache_size = -1000000")
        .await?;
    // Rows of one table refer to rows still waiting in another's statement.
    txn.execute_unprepared("PRAGMA defer_foreign_keys = ON")
        .await?;
    data::members(&txn, 1, members, &mut rng, now).await?;

    // The past surveys, closed, and the one some members are already planned into.
    let mut surveys = Vec::new();
    for k in 1..=PAST_SURVEYS + 1 {
        let (sent, status, flash) = if k <= PAST_SURVEYS {
            let sent = now - Duration::days(30 * k) + Duration::hours(k);
            (sent, "closed", k == 4 || k == 9)
        } else {
            (now + Duration::days(11), "scheduled", false)
        };
        let flash = i32::from(flash);
        let sql = format!(
            "INSERT INTO surveys (panel_id, version_id, title, status, opens_at, closes_at, \
             created_at, eligibility, quotas, seed, flash_poll) VALUES ('ggz-panel', \
             {version_id}, 'Eerder {k}', '{status}', {}, {}, {}, '{{}}', '[]', {k}, {flash}) \
             RETURNING id",
            ts(sent),
            ts(sent + Duration::days(21)),
            ts(sent - Duration::days(7)),
        );
        let row = txn
            .query_one_raw(Statement::from_string(DbBackend::Sqlite, sql))
            .await?
            .expect("the new survey");
        let id: i64 = row.try_get_by_index(0)?;
        surveys.push((id, sent, flash, status == "scheduled"));
    }
    let mut invitations = Insert::new(
        "INSERT INTO invitations (survey_id, member_id, token_hash, channel, created_at, \
         sent_at, status, planned_at, flash_poll, reminders_sent) VALUES ",
    );
    for id in 1..=members {
        // One member in a hundred was invited every month.
        let every = rng.random::<f64>() < 0.01;
        for &(survey, sent, flash, planned) in &surveys {
            let invited = if planned {
                rng.random::<f64>() < 0.05
            } else {
                every || rng.random::<f64>() < PAST_SHARE
            };
            if !invited {
                continue;
            }
            let (sent_at, status) = if planned {
                ("NULL".to_owned(), "planned")
            } else {
                (ts(sent), "sent")
            };
            invitations
                .row(
                    &txn,
                    &format!(
                        "{survey},{id},'bench-{survey}-{id}','email',{},{sent_at},'{status}',{},{flash},0",
                        ts(sent - Duration::days(1)),
                        ts(sent),
                    ),
                )
                .await?;
        }
    }
    invitations.flush(&txn).await?;
    txn.execute_unprepared("PRAGMA cache_size = -2000").await?;
    txn.commit().await?;
    for index in indexes {
        db.execute_unprepared(&index).await?;
    }
    let summaries = data::contact_summaries(db, now)
        .await
        .map_err(|e| sea_orm::DbErr::Custom(e.to_string()))?;
    println!(
        "  contact summaries of all members written in {}",
        ms(summaries)
    );
    Ok(invitations.total)
}
