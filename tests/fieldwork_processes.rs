//! Fieldwork across real processes: `klankbord serve` started twice on one database, and
//! a process killed in the middle of a wave, each sending through a real SMTP
//! conversation with a local sink. On SQLite by default, on PostgreSQL with
//! `TEST_DATABASE_URL`.

mod common;

use std::collections::HashMap;
use std::process::Stdio;
use std::time::Duration as StdDuration;

use chrono::Utc;
use common::fieldwork::{Policy, invitations, members, panel, plan, published_version, scheduled};
use common::smtp_sink::SmtpSink;
use common::{ClockExt, TestApp};
use klankbord::domain::response::InvitationStatus;
use tokio::process::{Child, Command};

fn ervaring(_: usize) -> Vec<(&'static str, &'static str)> {
    vec![("rol", "ervaring")]
}

/// `klankbord serve` on the test's database, sending through `sink`, with a one-second
/// job tick and a three-second lease so a dead process's work is taken over quickly.
fn serve(app: &TestApp, sink: &SmtpSink) -> Child {
    Command::new(env!("CARGO_BIN_EXE_klankbord"))
        .arg("serve")
        .env("DATABASE_URL", app.config.database_url.expose())
        .env("KLANKBORD_ADDR", "127.0.0.1:0")
        .env("KLANKBORD_BASE_URL", "http://127.0.0.1:9")
        .env("KLANKBORD_SMTP_URL", sink.url())
        .env("KLANKBORD_OUTBOX_DIR", app.dir.path().join("outbox"))
        .env("KLANKBORD_JOB_TICK_SECS", "1")
        .env("KLANKBORD_LEASE_SECS", "3")
        .env("KLANKBORD_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("klankbord starts")
}

/// Wait until the sink has `n` messages and then no new one for two seconds.
async fn settle(sink: &SmtpSink, n: usize, timeout: StdDuration) -> usize {
    sink.wait_for(n, timeout).await;
    loop {
        let before = sink.count().await;
        tokio::time::sleep(StdDuration::from_secs(2)).await;
        if sink.count().await == before {
            return before;
        }
    }
}

async fn per_recipient(sink: &SmtpSink) -> HashMap<String, usize> {
    let mut per = HashMap::new();
    for message in sink.received().await {
        for to in message.to {
            *per.entry(to).or_default() += 1;
        }
    }
    per
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_sending_two_surveys_never_pass_the_contact_policy() {
    let sink = SmtpSink::start().await;
    let app = TestApp::spawn().await;
    // The processes run on the real clock.
    app.clock.set(Utc::now());
    let now = app.clock.now_utc();
    let panel = panel(&app.db, &Policy::default(), now).await;
    members(&app.db, 60, now, ervaring).await;
    let version = published_version(&app, &panel).await;
    let a = scheduled(&app, &panel, &plan(version, "Enquête A", now, None)).await;
    let b = scheduled(&app, &panel, &plan(version, "Enquête B", now, None)).await;

    let mut first = serve(&app, &sink);
    let mut second = serve(&app, &sink);
    let received = settle(&sink, 60, StdDuration::from_secs(60)).await;
    first.kill().await.unwrap();
    second.kill().await.unwrap();

    // At most 7 days apart is not allowed: each member got exactly one invitation.
    assert_eq!(received, 60);
    let per = per_recipient(&sink).await;
    assert_eq!(per.len(), 60);
    assert!(per.values().all(|n| *n == 1), "{per:?}");
    let all: Vec<_> = invitations(&app.db, a)
        .await
        .into_iter()
        .chain(invitations(&app.db, b).await)
        .collect();
    let sent: Vec<_> = all
        .iter()
        .filter(|i| i.status == InvitationStatus::Sent)
        .collect();
    assert_eq!(sent.len(), 60);
    let mut members: Vec<i64> = sent.iter().map(|i| i.member_id).collect();
    members.sort();
    members.dedup();
    assert_eq!(members.len(), 60, "no member has two sent invitations");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_process_killed_during_a_wave_resumes_without_a_second_email() {
    let sink = SmtpSink::start().await;
    // Slow enough that the kill lands in the middle of the wave's mail.
    sink.set_delay(StdDuration::from_millis(40));
    let app = TestApp::spawn().await;
    app.clock.set(Utc::now());
    let now = app.clock.now_utc();
    let panel = panel(&app.db, &Policy::default(), now).await;
    members(&app.db, 120, now, ervaring).await;
    let version = published_version(&app, &panel).await;
    let id = scheduled(&app, &panel, &plan(version, "Golf", now, None)).await;

    let mut first = serve(&app, &sink);
    // Killed while the sink holds a message: that one was not accepted yet, and every
    // accepted one had been marked sent.
    let before_kill = sink.wait_holding(25, StdDuration::from_secs(60)).await;
    first.kill().await.unwrap();
    assert!(
        (25..120).contains(&before_kill),
        "killed mid-wave: {before_kill}"
    );

    let mut second = serve(&app, &sink);
    let received = settle(&sink, 120, StdDuration::from_secs(90)).await;
    second.kill().await.unwrap();

    assert_eq!(received, 120, "every member got the invitation");
    let per = per_recipient(&sink).await;
    assert_eq!(per.len(), 120);
    assert!(
        per.values().all(|n| *n == 1),
        "nobody got a second email: {per:?}"
    );
    let done = invitations(&app.db, id).await;
    assert!(done.iter().all(|i| i.status == InvitationStatus::Sent));
    app.stop().await;
}
