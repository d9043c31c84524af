//! Fieldwork: samples, the contact policy at the moment of sending, waves that resume
//! after a crash, reminders only to those who did not finish, quiet hours with a moved
//! clock, response quotas, unsubscribing, and mail over a real SMTP conversation.

mod common;

use std::collections::HashMap;

use chrono::{Duration, TimeZone, Utc};
use common::fieldwork::{
    Policy, invitations, members, panel, plan, published_version, runner, scheduled, with_status,
};
use common::smtp_sink::SmtpSink;
use common::{ClockExt, TestApp};
use klankbord::domain::fieldwork::{Quota, Size};
use klankbord::domain::ids::{CategoryValue, VariableId};
use klankbord::domain::response::{InvitationStatus, Mode, SurveyStatus};
use klankbord::service::fieldwork::{self, Heartbeat, Next, Sender};
use klankbord::store::{StoreResult, outbox, responses};

fn ervaring(_: usize) -> Vec<(&'static str, &'static str)> {
    vec![("rol", "ervaring")]
}

/// A heartbeat that keeps the lease for `beats` batches, then reports it lost (as when
/// the process stalled and another took over).
struct Beats(std::sync::atomic::AtomicUsize);

impl Beats {
    fn forever() -> Self {
        Beats(std::sync::atomic::AtomicUsize::new(usize::MAX))
    }
    fn only(n: usize) -> Self {
        Beats(std::sync::atomic::AtomicUsize::new(n))
    }
}

impl Heartbeat for Beats {
    async fn beat(&self) -> StoreResult<bool> {
        let left = self.0.load(std::sync::atomic::Ordering::SeqCst);
        if left == 0 {
            return Ok(false);
        }
        self.0
            .store(left.saturating_sub(1), std::sync::atomic::Ordering::SeqCst);
        Ok(true)
    }
}

/// Invitation emails queued per recipient.
async fn invitation_mail_per_recipient(app: &TestApp) -> HashMap<String, usize> {
    let rows = klankbord::store::entities::outbox::Entity::find()
        .all(&app.db)
        .await
        .unwrap();
    let mut per: HashMap<String, usize> = HashMap::new();
    for row in rows {
        if row.idempotency_key.ends_with(":invitation") {
            *per.entry(row.recipient).or_default() += 1;
        }
    }
    per
}

use sea_orm::EntityTrait;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_contact_policy_holds_when_two_surveys_send_at_once() {
    let app = TestApp::spawn().await;
    let now = app.clock.now_utc();
    let panel = panel(&app.db, &Policy::default(), now).await;
    members(&app.db, 40, now, ervaring).await;
    let version = published_version(&app, &panel).await;
    let a = scheduled(&app, &panel, &plan(version, "Enquête A", now, None)).await;
    let b = scheduled(&app, &panel, &plan(version, "Enquête B", now, None)).await;
    // Both samples take everyone: each member can get one of them now, the other a week
    // later, within the three weeks of fieldwork.
    assert_eq!(invitations(&app.db, a).await.len(), 40);
    assert_eq!(invitations(&app.db, b).await.len(), 40);

    let sender = Sender {
        db: app.db.clone(),
        base_url: app.base.clone(),
    };
    let clock = app.clock.clone();
    let (first, second) = tokio::join!(
        {
            let (sender, clock) = (sender.clone(), clock.clone());
            tokio::spawn(async move {
                fieldwork::run_wave(&sender, a, &*clock, &Beats::forever()).await
            })
        },
        {
            let (sender, clock) = (sender.clone(), clock.clone());
            tokio::spawn(async move {
                fieldwork::run_wave(&sender, b, &*clock, &Beats::forever()).await
            })
        }
    );
    let (first, second) = (first.unwrap().unwrap(), second.unwrap().unwrap());

    // Every member got exactly one invitation now; the other waits a week.
    let (ia, ib) = (invitations(&app.db, a).await, invitations(&app.db, b).await);
    let sent = with_status(&ia, InvitationStatus::Sent) + with_status(&ib, InvitationStatus::Sent);
    assert_eq!(sent, 40, "one invitation per member at this moment");
    let mut per_member: HashMap<i64, usize> = HashMap::new();
    for i in ia
        .iter()
        .chain(&ib)
        .filter(|i| i.status == InvitationStatus::Sent)
    {
        *per_member.entry(i.member_id).or_default() += 1;
    }
    assert!(per_member.values().all(|n| *n == 1), "{per_member:?}");
    let mail = invitation_mail_per_recipient(&app).await;
    assert_eq!(mail.len(), 40);
    assert!(
        mail.values().all(|n| *n == 1),
        "one email per member: {mail:?}"
    );
    let week = now + Duration::days(7);
    for i in ia
        .iter()
        .chain(&ib)
        .filter(|i| i.status == InvitationStatus::Planned)
    {
        assert_eq!(
            i.planned_at,
            Some(week),
            "postponed to the first allowed moment"
        );
    }
    // The waves ask to run again when the postponed invitations are due.
    let later: Vec<_> = [first, second]
        .into_iter()
        .filter_map(|n| match n {
            Next::Later(at) => Some(at),
            _ => None,
        })
        .collect();
    assert!(later.contains(&week), "{later:?}");

    // A week later the rest goes out, and no member ever had two within 7 days.
    app.clock.set(week);
    for id in [a, b] {
        fieldwork::run_wave(&sender, id, &*app.clock, &Beats::forever())
            .await
            .unwrap();
    }
    let all: Vec<_> = invitations(&app.db, a)
        .await
        .into_iter()
        .chain(invitations(&app.db, b).await)
        .collect();
    assert_eq!(with_status(&all, InvitationStatus::Sent), 80);
    let mut moments: HashMap<i64, Vec<chrono::DateTime<Utc>>> = HashMap::new();
    for i in &all {
        moments
            .entry(i.member_id)
            .or_default()
            .push(i.sent_at.unwrap());
    }
    for (member, mut at) in moments {
        at.sort();
        assert!(
            at[1] - at[0] >= Duration::days(7),
            "member {member}: {at:?}"
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn a_wave_that_lost_its_lease_is_finished_by_another_runner_without_duplicates() {
    let app = TestApp::spawn().await;
    let now = app.clock.now_utc();
    let panel = panel(&app.db, &Policy::default(), now).await;
    members(&app.db, 250, now, ervaring).await;
    let version = published_version(&app, &panel).await;
    let id = scheduled(&app, &panel, &plan(version, "Golf", now, None)).await;
    let sender = Sender {
        db: app.db.clone(),
        base_url: app.base.clone(),
    };
    // The first runner stops after one batch, as if the process died there.
    let next = fieldwork::run_wave(&sender, id, &*app.clock, &Beats::only(0))
        .await
        .unwrap();
    assert_eq!(next, Next::Cancelled);
    let after_crash = invitations(&app.db, id).await;
    let first_batch = with_status(&after_crash, InvitationStatus::Sent);
    assert!(first_batch > 0 && first_batch < 250, "{first_batch}");
    // The job itself is picked up by a runner, which continues where it stopped.
    assert_eq!(runner(&app).run_due().await.unwrap(), 1);
    let done = invitations(&app.db, id).await;
    assert_eq!(with_status(&done, InvitationStatus::Sent), 250);
    let mail = invitation_mail_per_recipient(&app).await;
    assert_eq!(mail.len(), 250);
    assert!(mail.values().all(|n| *n == 1));
    // Running it again sends nothing more.
    let next = fieldwork::run_wave(&sender, id, &*app.clock, &Beats::forever())
        .await
        .unwrap();
    assert_eq!(next, Next::Done);
    assert_eq!(
        invitation_mail_per_recipient(&app)
            .await
            .values()
            .sum::<usize>(),
        250
    );
    app.stop().await;
}

#[tokio::test]
async fn reminders_go_only_to_those_who_did_not_finish_and_only_once() {
    let app = TestApp::spawn().await;
    let now = app.clock.now_utc();
    let panel = panel(&app.db, &Policy::default(), now).await;
    let ids = members(&app.db, 10, now, ervaring).await;
    let version = published_version(&app, &panel).await;
    let id = scheduled(&app, &panel, &plan(version, "Herinnering", now, Some(3))).await;
    let runner = runner(&app);
    runner.run_due().await.unwrap();
    let invited = app.deliver_mail().await;
    assert_eq!(invited.len(), 10);
    let first = &invited[0];
    assert!(first.subject.contains("Doet u mee?"), "{}", first.subject);
    for needed in [
        "Waarom vragen wij dit?",
        "Wat doen wij met de antwoorden?",
        "minuten",
        "U kunt meedoen tot",
        "Mail naar",
        "/afmelden/",
    ] {
        assert!(first.text.contains(needed), "{needed} in {}", first.text);
    }
    assert!(first.html.contains("/uitnodiging/"));
    // Members 0..4 send their answers; 5 started but did not finish.
    let survey = responses::survey(&app.db, id).await.unwrap();
    for member in &ids[..5] {
        let m = klankbord::store::members::get(&app.db, *member)
            .await
            .unwrap();
        let r = responses::start_response(&app.db, &survey, &m.pseudonym, Mode::Web, None, now)
            .await
            .unwrap();
        responses::finish(&app.db, r.id, now).await.unwrap();
    }
    let m5 = klankbord::store::members::get(&app.db, ids[5])
        .await
        .unwrap();
    responses::start_response(&app.db, &survey, &m5.pseudonym, Mode::Web, None, now)
        .await
        .unwrap();

    // Not yet: the reminder is due after three days.
    app.clock.advance(Duration::days(2));
    runner.run_due().await.unwrap();
    assert!(app.deliver_mail().await.is_empty());
    app.clock.advance(Duration::days(1));
    runner.run_due().await.unwrap();
    let reminders = app.deliver_mail().await;
    let mut to: Vec<String> = reminders.iter().map(|e| e.to.clone()).collect();
    to.sort();
    let mut expected: Vec<String> = (5..10).map(|i| format!("m{i}@voorbeeld.nl")).collect();
    expected.sort();
    assert_eq!(to, expected, "only those who did not finish");
    assert!(
        reminders
            .iter()
            .all(|e| e.subject.starts_with("Herinnering"))
    );
    // The reminder's own link opens the same invitation.
    let link = reminders[0].path("/uitnodiging/");
    let browser = app.browser().await;
    let r = browser.get(&link).await;
    assert_eq!(r.status(), 303);
    // The panel allows one reminder: later runs send none.
    app.clock.advance(Duration::days(5));
    runner.run_due().await.unwrap();
    assert!(app.deliver_mail().await.is_empty());
    app.stop().await;
}

#[tokio::test]
async fn quiet_hours_hold_for_invitations_and_reminders() {
    let app = TestApp::spawn().await;
    // 22:30 in Amsterdam (winter, UTC+1).
    let evening = Utc.with_ymd_and_hms(2026, 11, 30, 21, 30, 0).unwrap();
    app.clock.set(evening);
    let policy = Policy {
        quiet: ("21:00", "08:00"),
        ..Policy::default()
    };
    let panel = panel(&app.db, &policy, evening).await;
    members(&app.db, 5, evening, ervaring).await;
    let version = published_version(&app, &panel).await;
    let id = scheduled(&app, &panel, &plan(version, "Stil", evening, Some(2))).await;
    let runner = runner(&app);
    runner.run_due().await.unwrap();
    assert!(
        app.deliver_mail().await.is_empty(),
        "nothing during quiet hours"
    );
    assert_eq!(
        with_status(&invitations(&app.db, id).await, InvitationStatus::Planned),
        5
    );
    // 07:59 the next morning: still quiet.
    app.clock
        .set(Utc.with_ymd_and_hms(2026, 12, 1, 6, 59, 0).unwrap());
    runner.run_due().await.unwrap();
    assert!(app.deliver_mail().await.is_empty());
    // 08:00: out they go.
    app.clock
        .set(Utc.with_ymd_and_hms(2026, 12, 1, 7, 0, 0).unwrap());
    runner.run_due().await.unwrap();
    assert_eq!(app.deliver_mail().await.len(), 5);
    // The reminder falls due at 22:30 two days after planning: it waits for 08:00.
    app.clock
        .set(Utc.with_ymd_and_hms(2026, 12, 2, 21, 30, 0).unwrap());
    runner.run_due().await.unwrap();
    assert!(app.deliver_mail().await.is_empty());
    app.clock
        .set(Utc.with_ymd_and_hms(2026, 12, 3, 7, 0, 0).unwrap());
    runner.run_due().await.unwrap();
    let reminders = app.deliver_mail().await;
    assert_eq!(reminders.len(), 5);
    assert!(
        reminders
            .iter()
            .all(|e| e.subject.starts_with("Herinnering"))
    );
    app.stop().await;
}

#[tokio::test]
async fn a_quota_sample_keeps_the_quotas_and_reports_shortfalls() {
    let app = TestApp::spawn().await;
    let now = app.clock.now_utc();
    let panel = panel(&app.db, &Policy::default(), now).await;
    // 200 members, ages 18-34 : 35-54 : 55+ = 100 : 60 : 40.
    let age = |i: usize| match i % 10 {
        0..=4 => "18-34",
        5..=7 => "35-54",
        _ => "55+",
    };
    members(&app.db, 200, now, |i| {
        vec![("rol", "ervaring"), ("leeftijd", age(i))]
    })
    .await;
    let version = published_version(&app, &panel).await;
    let quota = |category: &str, min, target, max| Quota {
        variable: VariableId::parse("leeftijd").unwrap(),
        category: CategoryValue::parse(category).unwrap(),
        min,
        target,
        max,
    };
    let picked = |outcome: &klankbord::domain::fieldwork::SampleOutcome| -> HashMap<String, u32> {
        outcome
            .per_category
            .iter()
            .map(|c| (c.category.to_string(), c.picked))
            .collect()
    };

    // Where the members are there, the sample hits the targets within one member.
    let mut p = plan(version, "Quota", now, None);
    p.size = Size::N(100);
    p.quotas = vec![
        quota("18-34", 25, 30, 35),
        quota("35-54", 35, 40, 45),
        quota("55+", 25, 30, 35),
    ];
    let survey = fieldwork::create(&app.db, &panel, &p, None, now)
        .await
        .unwrap();
    let preview = fieldwork::preview(&app.db, &panel, &survey).await.unwrap();
    let got = picked(&preview);
    for (category, target) in [("18-34", 30), ("35-54", 40), ("55+", 30)] {
        assert!(got[category].abs_diff(target) <= 1, "{got:?}");
    }
    assert!(preview.shortfalls.is_empty());
    // The same seed gives the same sample; scheduling plans exactly it.
    let again = fieldwork::preview(&app.db, &panel, &survey).await.unwrap();
    assert_eq!(again.picked, preview.picked);
    fieldwork::schedule(&app.db, &panel, survey.id, now)
        .await
        .unwrap();
    let planned: Vec<i64> = invitations(&app.db, survey.id)
        .await
        .iter()
        .map(|i| i.member_id)
        .collect();
    assert_eq!(planned, preview.picked);

    // Too few members aged 55+ for the minimum: all of them, and the shortfall is
    // reported as "needed 45, available 40" (members already planned for the first
    // survey stay available: they can be invited a week later).
    let mut short = plan(version, "Te weinig", now, None);
    short.size = Size::N(100);
    short.quotas = vec![
        quota("18-34", 20, 25, 30),
        quota("35-54", 20, 25, 30),
        quota("55+", 45, 50, 55),
    ];
    let survey = fieldwork::create(&app.db, &panel, &short, None, now)
        .await
        .unwrap();
    let outcome = fieldwork::preview(&app.db, &panel, &survey).await.unwrap();
    assert_eq!(picked(&outcome)["55+"], 40);
    assert_eq!(outcome.shortfalls.len(), 1);
    assert_eq!(
        (
            outcome.shortfalls[0].needed,
            outcome.shortfalls[0].available
        ),
        (45, 40)
    );

    // A sample larger than the eligible group: everyone there is, and the report says so.
    let mut big = plan(version, "Te groot", now, None);
    big.size = Size::N(1000);
    let survey = fieldwork::create(&app.db, &panel, &big, None, now)
        .await
        .unwrap();
    let outcome = fieldwork::preview(&app.db, &panel, &survey).await.unwrap();
    let size = outcome.size_shortfall.expect("size shortfall reported");
    assert_eq!((size.requested, size.picked), (1000, 200));
    app.stop().await;
}

#[tokio::test]
async fn bad_plans_are_refused_with_clear_messages_and_nothing_stored() {
    let app = TestApp::spawn().await;
    let now = app.clock.now_utc();
    let panel = panel(&app.db, &Policy::default(), now).await;
    let version = published_version(&app, &panel).await;
    let mut p = plan(version, "Verleden", now - Duration::hours(1), Some(30));
    p.eligibility.insert(
        VariableId::parse("rol").unwrap(),
        vec![CategoryValue::parse("onbekend").unwrap()],
    );
    let err = fieldwork::create(&app.db, &panel, &p, None, now)
        .await
        .unwrap_err();
    let fieldwork::FieldworkError::Plan(problems) = err else {
        panic!("plan problems expected")
    };
    use klankbord::domain::fieldwork::Message;
    let texts: Vec<String> = problems
        .iter()
        .map(|p| p.message(klankbord::i18n::Lang::Nl))
        .collect();
    assert!(texts.iter().any(|t| t.contains("al voorbij")), "{texts:?}");
    assert!(texts.iter().any(|t| t.contains("onbekend")), "{texts:?}");
    assert!(
        problems.len() >= 3,
        "send in the past, reminder after closing, unknown category: {texts:?}"
    );
    assert!(
        responses::surveys(&app.db, "ggz-panel")
            .await
            .unwrap()
            .is_empty()
    );
    app.stop().await;
}

#[tokio::test]
async fn withdrawn_and_unsubscribed_members_are_never_invited_again() {
    let app = TestApp::spawn().await;
    let now = app.clock.now_utc();
    let panel = panel(&app.db, &Policy::default(), now).await;
    let ids = members(&app.db, 4, now, ervaring).await;
    let version = published_version(&app, &panel).await;
    let first = scheduled(&app, &panel, &plan(version, "Eerste", now, None)).await;
    // Member 0 withdraws before the wave: skipped at the moment of sending.
    klankbord::store::members::withdraw(&app.db, ids[0], now)
        .await
        .unwrap();
    let runner = runner(&app);
    runner.run_due().await.unwrap();
    let inv = invitations(&app.db, first).await;
    assert_eq!(with_status(&inv, InvitationStatus::Skipped), 1);
    assert_eq!(
        inv.iter()
            .find(|i| i.member_id == ids[0])
            .unwrap()
            .skip_reason
            .as_deref(),
        Some("invitation_skip.withdrawn")
    );
    // Member 1 unsubscribes with one click (the POST mail programs send).
    let mails = app.deliver_mail().await;
    let mail = mails.iter().find(|m| m.to == "m1@voorbeeld.nl").unwrap();
    let link = mail.path("/afmelden/");
    let r = reqwest::Client::new()
        .post(format!("{}{link}", app.base))
        .form(&[("List-Unsubscribe", "One-Click")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("geen uitnodigingen meer"));
    // The next survey leaves both out.
    app.clock.advance(Duration::days(8));
    let later = app.clock.now_utc();
    let second = scheduled(&app, &panel, &plan(version, "Tweede", later, None)).await;
    let planned: Vec<i64> = invitations(&app.db, second)
        .await
        .iter()
        .map(|i| i.member_id)
        .collect();
    assert_eq!(planned, vec![ids[2], ids[3]]);
    app.stop().await;
}

#[tokio::test]
async fn a_full_stratum_thanks_members_instead_of_asking_and_keeps_their_answers() {
    let app = TestApp::spawn().await;
    let now = app.clock.now_utc();
    let panel = panel(&app.db, &Policy::default(), now).await;
    let ids = members(&app.db, 6, now, |i| {
        vec![
            ("rol", "ervaring"),
            ("regio", if i < 3 { "noord" } else { "zuid" }),
        ]
    })
    .await;
    let version = published_version(&app, &panel).await;
    let quota = |category: &str| Quota {
        variable: VariableId::parse("regio").unwrap(),
        category: CategoryValue::parse(category).unwrap(),
        min: 0,
        target: 1,
        max: 1,
    };
    let mut p = plan(version, "Quota vol", now, None);
    p.quotas = vec![quota("noord"), quota("zuid")];
    // All members are invited: the quotas then only stop answers.
    p.quotas.iter_mut().for_each(|q| q.max = 3);
    let id = scheduled(&app, &panel, &p).await;
    // Now lower the response maximum for "noord" to one complete.
    let survey = responses::survey(&app.db, id).await.unwrap();
    let mut quotas = p.quotas.clone();
    quotas[0].max = 1;
    let mut active: klankbord::store::entities::survey::ActiveModel = survey.clone().into();
    active.quotas = sea_orm::ActiveValue::Set(serde_json::to_string(&quotas).unwrap());
    sea_orm::ActiveModelTrait::update(active, &app.db)
        .await
        .unwrap();
    runner(&app).run_due().await.unwrap();
    let mails = app.deliver_mail().await;
    assert_eq!(mails.len(), 6);
    let survey = responses::survey(&app.db, id).await.unwrap();
    assert_eq!(survey.status, SurveyStatus::Open);
    // Member 0 (noord) finishes; member 1 (noord) had begun.
    let m0 = klankbord::store::members::get(&app.db, ids[0])
        .await
        .unwrap();
    let r = responses::start_response(&app.db, &survey, &m0.pseudonym, Mode::Web, None, now)
        .await
        .unwrap();
    responses::finish(&app.db, r.id, now).await.unwrap();
    let m1 = klankbord::store::members::get(&app.db, ids[1])
        .await
        .unwrap();
    let begun = responses::start_response(&app.db, &survey, &m1.pseudonym, Mode::Web, None, now)
        .await
        .unwrap();
    let open = |to: &str| {
        mails
            .iter()
            .find(|m| m.to == to)
            .unwrap()
            .path("/uitnodiging/")
    };
    let browser = app.browser().await;
    let r = browser.get(&open("m1@voorbeeld.nl")).await;
    let (_, page) = browser.follow(r).await;
    assert!(
        page.contains("We hebben genoeg antwoorden van mensen zoals u. Dank u wel."),
        "{page}"
    );
    assert!(
        responses::response(&app.db, begun.id).await.is_ok(),
        "partial answers kept"
    );
    // Someone from "zuid" can still answer.
    let other = app.browser().await;
    let r = other.get(&open("m4@voorbeeld.nl")).await;
    let (status, page) = other.follow(r).await;
    assert_eq!(status, 200);
    assert!(!page.contains("genoeg antwoorden"));
    app.stop().await;
}

#[tokio::test]
async fn smtp_failures_are_retried_or_marked_and_nothing_is_sent_twice() {
    let sink = SmtpSink::start().await;
    let app = TestApp::spawn().await;
    let now = app.clock.now_utc();
    let panel = panel(&app.db, &Policy::default(), now).await;
    members(&app.db, 5, now, ervaring).await;
    let version = published_version(&app, &panel).await;
    let id = scheduled(&app, &panel, &plan(version, "SMTP", now, None)).await;
    runner(&app).run_due().await.unwrap();
    let mut config = app.config.clone();
    config.smtp_url = Some(klankbord::config::Secret::new(sink.url()));
    let transport = klankbord::mail::Transport::from_config(&config).unwrap();
    let clock: klankbord::clock::SharedClock = app.clock.clone();

    // The server is down: nothing is lost, every message waits for a retry.
    sink.set_down(true);
    let sent = klankbord::mail::send_due(&app.db, &transport, &config.mail_from, &clock)
        .await
        .unwrap();
    assert_eq!(sent, 0);
    assert_eq!(sink.count().await, 0);
    let (failed, pending) = outbox::counts_with_prefix(&app.db, &format!("survey:{id}:"))
        .await
        .unwrap();
    assert_eq!((failed, pending), (0, 5));

    // Back up, and one address is refused for good.
    sink.set_down(false);
    sink.reject("m3@voorbeeld.nl").await;
    app.clock.advance(Duration::minutes(2));
    klankbord::mail::send_due(&app.db, &transport, &config.mail_from, &clock)
        .await
        .unwrap();
    let received = sink.received().await;
    assert_eq!(received.len(), 4);
    let mut to: Vec<String> = received.iter().flat_map(|r| r.to.clone()).collect();
    to.sort();
    to.dedup();
    assert_eq!(to.len(), 4);
    assert!(
        received[0]
            .header("List-Unsubscribe")
            .unwrap()
            .contains("/afmelden/")
    );
    assert_eq!(
        received[0].header("List-Unsubscribe-Post").as_deref(),
        Some("List-Unsubscribe=One-Click")
    );
    assert!(
        received[0]
            .header("Content-Type")
            .unwrap()
            .contains("multipart/alternative")
    );
    let survey = responses::survey(&app.db, id).await.unwrap();
    let dashboard = fieldwork::dashboard(&app.db, &survey).await.unwrap();
    assert_eq!(dashboard.failed_mail, 1, "shown to the manager");
    assert_eq!(dashboard.invitations.sent, 5);

    // Later runs send nothing again.
    app.clock.advance(Duration::hours(3));
    klankbord::mail::send_due(&app.db, &transport, &config.mail_from, &clock)
        .await
        .unwrap();
    assert_eq!(sink.count().await, 4);
    app.stop().await;
}

#[tokio::test]
async fn pausing_holds_the_wave_and_closing_shows_a_kind_page() {
    let app = TestApp::spawn().await;
    let now = app.clock.now_utc();
    let panel = panel(&app.db, &Policy::default(), now).await;
    members(&app.db, 3, now, ervaring).await;
    let version = published_version(&app, &panel).await;
    let id = scheduled(
        &app,
        &panel,
        &plan(version, "Pauze", now + Duration::hours(1), None),
    )
    .await;
    assert!(fieldwork::pause(&app.db, id, now).await.unwrap());
    app.clock.advance(Duration::hours(2));
    let runner = runner(&app);
    runner.run_due().await.unwrap();
    assert!(app.deliver_mail().await.is_empty(), "paused: nothing sent");
    assert!(
        fieldwork::resume(&app.db, id, app.clock.now_utc())
            .await
            .unwrap()
    );
    runner.run_due().await.unwrap();
    let mails = app.deliver_mail().await;
    assert_eq!(mails.len(), 3);
    // Closing at the planned time: links then show the kind "closed" page.
    app.clock.advance(Duration::days(22));
    runner.run_due().await.unwrap();
    let survey = responses::survey(&app.db, id).await.unwrap();
    assert_eq!(survey.status, SurveyStatus::Closed);
    let browser = app.browser().await;
    let r = browser.get(&mails[0].path("/uitnodiging/")).await;
    let (status, page) = browser.follow(r).await;
    assert_eq!(status, 410);
    assert!(
        page.contains("gesloten") || page.contains("voorbij"),
        "{page}"
    );
    app.stop().await;
}

#[tokio::test]
async fn members_choose_to_be_asked_less_often_and_the_fieldwork_keeps_to_it() {
    let app = TestApp::spawn().await;
    let now = app.clock.now_utc();
    let panel = panel(&app.db, &Policy::default(), now).await;
    let browser = app.browser().await;
    browser.sign_up_and_confirm(&app, "anna@voorbeeld.nl").await;
    let (status, page) = browser.get_text("/mijn-gegevens").await;
    assert_eq!(status, 200);
    assert!(page.contains("Hoe vaak wilt u een uitnodiging?"));
    assert!(page.contains("Zoals het panel afspreekt: Ten hoogste 10 per jaar"));

    // A value that was never offered (looser than the panel) is refused; nothing changes.
    let r = browser
        .post(
            "/mijn-gegevens/uitnodigingen",
            &[
                ("per_year", "12"),
                ("flash_per_month", "panel"),
                ("days_between", "panel"),
                ("reminders", "panel"),
            ],
        )
        .await;
    assert_eq!(r.status(), 400);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Kies een van de mogelijkheden")
    );
    let member = klankbord::store::members::find_by_email(
        &app.db,
        "ggz-panel",
        &klankbord::domain::contact::EmailAddress::parse("anna@voorbeeld.nl").unwrap(),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(klankbord::store::fieldwork::wishes(&member), None);

    // No reminders, at least 30 days between invitations.
    let r = browser
        .post(
            "/mijn-gegevens/uitnodigingen",
            &[
                ("per_year", "panel"),
                ("flash_per_month", "panel"),
                ("days_between", "30"),
                ("reminders", "0"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, page) = browser.get_text("/mijn-gegevens").await;
    assert!(page.contains(r#"<option value="30" selected>"#), "{page}");

    // The survey invites her, but sends her no reminder.
    let version = published_version(&app, &panel).await;
    let id = scheduled(&app, &panel, &plan(version, "Minder vaak", now, Some(3))).await;
    let runner = runner(&app);
    runner.run_due().await.unwrap();
    let mails = app.deliver_mail().await;
    assert_eq!(
        mails.iter().filter(|m| m.to == "anna@voorbeeld.nl").count(),
        1
    );
    app.clock.advance(Duration::days(3));
    runner.run_due().await.unwrap();
    assert!(app.deliver_mail().await.is_empty(), "no reminder for her");
    // A second survey two weeks later leaves her out: 30 days have not passed, and the
    // fieldwork closes before they have... unless it lasts long enough.
    app.clock.advance(Duration::days(11));
    let later = app.clock.now_utc();
    let mut short = plan(version, "Te snel", later, None);
    short.schedule.closing = klankbord::domain::fieldwork::Closing::At(later + Duration::days(7));
    let second = scheduled(&app, &panel, &short).await;
    assert!(invitations(&app.db, second).await.is_empty());
    assert_eq!(invitations(&app.db, id).await.len(), 1);
    app.stop().await;
}
