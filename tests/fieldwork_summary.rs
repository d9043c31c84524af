//! The contact summary the sampler reads: kept up to date by planning, sending,
//! postponing, cancelling and erasing, filled by its migration from the invitations
//! already there, and giving exactly the frame, eligibility and sample that the
//! invitations themselves give — with invitations to the survey being drawn left out.

mod common;

use chrono::{DateTime, Duration, Utc};
use common::fieldwork::{Policy, members_from, panel, plan, published_version_of, runner};
use common::{ClockExt, QUESTIONNAIRE, TestApp};
use klankbord::domain::fieldwork::{
    Frame, MemberLimits, PastInvitation, SampleOutcome, Size, allowed_during, draw, effective,
};
use klankbord::domain::member::ContactPreference;
use klankbord::domain::panel::PanelDefinition;
use klankbord::domain::response::{Channel, InvitationStatus, SurveyStatus};
use klankbord::service::fieldwork::{self, SurveyPlan};
use klankbord::store::entities::{contact_summary, invitation, survey};
use klankbord::store::frame::{self, FrameRow};
use klankbord::store::{contact_summary as summary, responses};
use migrations::MigratorTrait;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

const POLL: &str = include_str!("../panel-schemas/examples/flitspeiling.json");

/// Backgrounds that vary over the members, so quotas and eligibility have work to do.
fn background(i: usize) -> Vec<(&'static str, &'static str)> {
    let rol = if i.is_multiple_of(3) {
        "naaste"
    } else {
        "ervaring"
    };
    let regio = ["noord", "oost", "west", "zuid"][i % 4];
    vec![("rol", rol), ("regio", regio)]
}

/// A history made comparable: the same moments in one order.
fn normalised(mut rows: Vec<FrameRow>) -> Vec<FrameRow> {
    for row in &mut rows {
        row.history.sort_by_key(|h| (h.sent_at, h.flash_poll));
    }
    rows
}

/// The sample as the invitations themselves say it: members and history read with
/// plain queries (`store::fieldwork::frame_members`), the policy checked, drawn.
async fn drawn_from_invitations(
    db: &DatabaseConnection,
    panel: &PanelDefinition,
    s: &survey::Model,
) -> (Vec<(i64, bool)>, SampleOutcome) {
    let members = klankbord::store::fieldwork::frame_members(
        db,
        panel.id.as_str(),
        s.opens_at,
        s.closes_at,
        Some(s.id),
    )
    .await
    .unwrap();
    let mut frame = Frame::new();
    let mut invitable = Vec::new();
    for m in &members {
        let limits = effective(&panel.contact_policy, m.wishes.as_ref());
        let ok = allowed_during(&limits, &m.history, s.opens_at, s.closes_at, s.flash_poll);
        frame.push(m.id, &m.background, ok);
        invitable.push((m.id, ok));
    }
    let plan = fieldwork::plan_of(s).unwrap();
    let outcome = draw(
        &frame,
        &plan.eligibility,
        &plan.quotas,
        plan.size,
        plan.seed,
    );
    (invitable, outcome)
}

/// Who may be invited, from the rows [`frame::frame_rows`] reads (the summaries).
fn invitable(panel: &PanelDefinition, s: &survey::Model, rows: &[FrameRow]) -> Vec<(i64, bool)> {
    rows.iter()
        .map(|r| {
            let limits = effective(&panel.contact_policy, r.wishes.as_ref());
            let ok = allowed_during(&limits, &r.history, s.opens_at, s.closes_at, s.flash_poll);
            (r.id, ok)
        })
        .collect()
}

/// The summary and the invitations give the same frame, eligibility and sample for `s`;
/// returns the frame as read.
async fn assert_same_draw(
    app: &TestApp,
    panel: &PanelDefinition,
    s: &survey::Model,
) -> Vec<FrameRow> {
    let db = &app.db;
    let id = panel.id.as_str();
    let rows = frame::frame_rows(db, id, s.opens_at, s.closes_at, Some(s.id))
        .await
        .unwrap();
    let reference = frame::frame_rows_from_invitations(db, id, s.opens_at, s.closes_at, Some(s.id))
        .await
        .unwrap();
    assert_eq!(normalised(rows.clone()), normalised(reference));
    // The plain queries' members, backgrounds and histories, too.
    let plain =
        klankbord::store::fieldwork::frame_members(db, id, s.opens_at, s.closes_at, Some(s.id))
            .await
            .unwrap();
    assert_eq!(rows.len(), plain.len());
    for (row, m) in normalised(rows.clone()).iter().zip(&plain) {
        assert_eq!(row.id, m.id);
        assert_eq!(row.wishes, m.wishes);
        assert_eq!(frame::parse_background(&row.background), m.background);
        let mut history = m.history.clone();
        history.sort_by_key(|h| (h.sent_at, h.flash_poll));
        assert_eq!(row.history, history, "member {}", m.id);
    }
    let (expected_invitable, expected) = drawn_from_invitations(db, panel, s).await;
    assert_eq!(invitable(panel, s, &rows), expected_invitable);
    let outcome = fieldwork::preview(db, panel, s).await.unwrap();
    assert_eq!(outcome, expected);
    rows
}

/// The history of a member in the frame.
fn history_of(rows: &[FrameRow], member_id: i64) -> Option<&[PastInvitation]> {
    rows.iter()
        .find(|r| r.id == member_id)
        .map(|r| r.history.as_slice())
}

async fn summary_row(db: &DatabaseConnection, member_id: i64) -> Option<contact_summary::Model> {
    contact_summary::Entity::find_by_id(member_id)
        .one(db)
        .await
        .unwrap()
}

async fn of_survey(db: &DatabaseConnection, survey_id: i64) -> Vec<invitation::Model> {
    invitation::Entity::find()
        .filter(invitation::Column::SurveyId.eq(survey_id))
        .all(db)
        .await
        .unwrap()
}

fn sized(version: i64, title: &str, at: DateTime<Utc>, n: u32, seed: u64) -> SurveyPlan {
    let mut p = plan(version, title, at, None);
    p.size = Size::N(n);
    p.seed = seed;
    p
}

async fn create_and_schedule(app: &TestApp, panel: &PanelDefinition, p: &SurveyPlan) -> i64 {
    let now = app.clock.now_utc();
    let s = fieldwork::create(&app.db, panel, p, None, now)
        .await
        .unwrap();
    fieldwork::schedule(&app.db, panel, s.id, now)
        .await
        .unwrap();
    s.id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_summary_gives_the_same_draw_as_the_invitations() {
    let app = TestApp::spawn().await;
    let t0 = app.clock.now_utc();
    let policy = Policy {
        per_year: 3,
        flash_per_month: 1,
        days_between: 14,
        reminders: 1,
        quiet: ("00:00", "00:00"),
    };
    let panel = panel(&app.db, &policy, t0).await;
    let ids = members_from(&app.db, 0, 48, t0, ContactPreference::Email, background).await;
    // Some members ask for less: one invitation a year, or 30 days between.
    for (k, id) in ids.iter().take(8).enumerate() {
        let wishes = if k < 4 {
            MemberLimits {
                max_invitations_per_year: Some(1),
                ..Default::default()
            }
        } else {
            MemberLimits {
                min_days_between_invitations: Some(30),
                ..Default::default()
            }
        };
        klankbord::store::fieldwork::set_wishes(&app.db, *id, &wishes)
            .await
            .unwrap();
    }
    let regular = published_version_of(&app, &panel, QUESTIONNAIRE).await;
    let poll = published_version_of(&app, &panel, POLL).await;
    let runner = runner(&app);

    // A: 30 members, sent now.
    let a = create_and_schedule(&app, &panel, &sized(regular, "A", t0, 30, 1)).await;
    runner.run_due().await.unwrap();
    assert_eq!(
        of_survey(&app.db, a)
            .await
            .iter()
            .filter(|i| i.status == InvitationStatus::Sent)
            .count(),
        30
    );

    // F, a flash poll three days later: most of its members got A less than 14 days
    // ago, so their invitations wait (postponed); F closes before, cancelling them.
    app.clock.set(t0 + Duration::days(3));
    let f = create_and_schedule(
        &app,
        &panel,
        &sized(poll, "F", t0 + Duration::days(3), 24, 2),
    )
    .await;
    runner.run_due().await.unwrap();
    let f_invitations = of_survey(&app.db, f).await;
    let postponed: Vec<i64> = f_invitations
        .iter()
        .filter(|i| i.status == InvitationStatus::Planned)
        .map(|i| i.member_id)
        .collect();
    assert!(!postponed.is_empty(), "some of F waits for the 14 days");
    assert!(
        f_invitations
            .iter()
            .any(|i| i.status == InvitationStatus::Sent && i.flash_poll),
        "some got the flash poll"
    );
    app.clock.set(t0 + Duration::days(10));
    assert!(
        fieldwork::close(&app.db, f, app.clock.now_utc())
            .await
            .unwrap()
    );
    // A cancelled invitation no longer counts in the summary.
    let cancelled = postponed[0];
    let row = summary_row(&app.db, cancelled).await.unwrap();
    assert!(
        !row.history
            .split(',')
            .any(|item| item.starts_with(&format!("{f}@"))),
        "{}",
        row.history
    );

    // B: planned for 40 days from the start; planned invitations count.
    let b = create_and_schedule(
        &app,
        &panel,
        &sized(regular, "B", t0 + Duration::days(40), 12, 3),
    )
    .await;
    assert_eq!(of_survey(&app.db, b).await.len(), 12);
    // C: scheduled, then closed before anything went out.
    let c = create_and_schedule(
        &app,
        &panel,
        &sized(regular, "C", t0 + Duration::days(50), 10, 4),
    )
    .await;
    fieldwork::close(&app.db, c, app.clock.now_utc())
        .await
        .unwrap();
    assert!(
        of_survey(&app.db, c)
            .await
            .iter()
            .all(|i| i.status == InvitationStatus::Skipped)
    );

    // D, the survey to draw: a draft, to which a few members were invited by hand (as
    // the demo does). Those invitations must not count against D itself.
    let d_plan = sized(regular, "D", t0 + Duration::days(20), 16, 5);
    let d = fieldwork::create(&app.db, &panel, &d_plan, None, app.clock.now_utc())
        .await
        .unwrap();
    let by_hand: Vec<i64> = ids.iter().rev().take(5).copied().collect();
    for id in &by_hand {
        responses::invite(&app.db, d.id, *id, Channel::Email, app.clock.now_utc())
            .await
            .unwrap();
    }
    // Two members with history delete their account; one withdraws.
    let mut erased = Vec::new();
    for id in &ids[8..40] {
        if erased.len() < 2
            && summary_row(&app.db, *id)
                .await
                .is_some_and(|row| !row.history.is_empty())
        {
            klankbord::service::members::erase(&app.db, *id)
                .await
                .unwrap();
            assert!(summary_row(&app.db, *id).await.is_none(), "gone with them");
            erased.push(*id);
        }
    }
    assert_eq!(erased.len(), 2);
    let withdrawn = ids[40];
    klankbord::store::members::withdraw(&app.db, withdrawn, app.clock.now_utc())
        .await
        .unwrap();

    let d = responses::survey(&app.db, d.id).await.unwrap();
    assert_eq!(d.status, SurveyStatus::Draft);
    let rows = assert_same_draw(&app, &panel, &d).await;
    assert!(history_of(&rows, erased[0]).is_none());
    assert!(history_of(&rows, withdrawn).is_none());
    // The invitations to D were left out; counted for any other survey.
    let others = frame::frame_rows(&app.db, panel.id.as_str(), d.opens_at, d.closes_at, None)
        .await
        .unwrap();
    for id in &by_hand {
        let without = history_of(&rows, *id).unwrap().len();
        let with = history_of(&others, *id).unwrap().len();
        assert_eq!(with, without + 1, "member {id}");
    }
    let outcome = fieldwork::preview(&app.db, &panel, &d).await.unwrap();
    assert!(outcome.left_out.policy > 0, "the history keeps some out");
    assert!(!outcome.picked.is_empty());

    // The flash poll F again, as a draft copy: the month's flash poll counts.
    let f2 = fieldwork::create(
        &app.db,
        &panel,
        &sized(poll, "F2", t0 + Duration::days(12), 20, 6),
        None,
        app.clock.now_utc(),
    )
    .await
    .unwrap();
    assert_same_draw(&app, &panel, &f2).await;

    // The migration fills the summary from the invitations alone: roll it back and
    // apply it again, and the draw is the same.
    migrations::Migrator::down(&app.db, Some(1)).await.unwrap();
    migrations::Migrator::up(&app.db, None).await.unwrap();
    assert!(summary_row(&app.db, by_hand[0]).await.is_some());
    assert_same_draw(&app, &panel, &d).await;
    assert_same_draw(&app, &panel, &f2).await;

    // Two years on, a new invitation writes the member's summary again without the old
    // ones. A draft whose send time lies before what the summaries keep is drawn from
    // the invitations themselves, and still the same.
    let old = rows
        .iter()
        .find(|r| !r.history.is_empty() && !by_hand.contains(&r.id))
        .unwrap()
        .clone();
    app.clock.set(t0 + Duration::days(800));
    let now = app.clock.now_utc();
    let later = responses::create_survey(
        &app.db,
        panel.id.as_str(),
        regular,
        "Later",
        SurveyStatus::Closed,
        now,
        now + Duration::days(7),
        None,
        now,
    )
    .await
    .unwrap();
    responses::invite(&app.db, later.id, old.id, Channel::Email, now)
        .await
        .unwrap();
    let row = summary_row(&app.db, old.id).await.unwrap();
    assert_eq!(row.history.split(',').count(), 1, "{}", row.history);
    assert_eq!(row.kept_since, now - summary::KEEP);
    let latest = summary::kept_since_latest(&app.db).await.unwrap().unwrap();
    assert!(latest > d.opens_at - Duration::days(367));
    let again = assert_same_draw(&app, &panel, &d).await;
    assert_eq!(
        normalised(vec![old.clone()]),
        normalised(again.into_iter().filter(|r| r.id == old.id).collect()),
        "the old invitations still count for the old draft"
    );
    app.stop().await;
}
