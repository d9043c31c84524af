//! Phone fallback: interviewers open only their own lists and members (anything else is
//! refused and audited), call outcomes within the attempt limit with one save at a time,
//! appointments at the top of the list when due (moved clock), and a whole phone
//! interview of the reference questionnaire stored with mode phone.

mod common;

use chrono::Duration;
use common::fieldwork::{Policy, members_from, panel, plan, published_version, runner, scheduled};
use common::{Browser, ClockExt, TestApp};
use klankbord::domain::member::ContactPreference;
use klankbord::domain::phone::Disposition;
use klankbord::domain::response::{Mode, ResponseStatus};
use klankbord::store::entities::{audit, call_attempt};
use klankbord::store::managers::ManagerRole;
use klankbord::store::{phone, responses};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

struct Setup {
    app: TestApp,
    survey: i64,
    manager: Browser,
    anna: Browser,
    bram: Browser,
}

fn location(r: &reqwest::Response) -> String {
    r.headers()["location"].to_str().unwrap().to_owned()
}

/// Four members who prefer phone, on the call list of a survey that went out; two
/// interviewers; the manager puts two members on each list.
async fn setup() -> Setup {
    let app = TestApp::spawn().await;
    let now = app.clock.now_utc();
    let panel = panel(&app.db, &Policy::default(), now).await;
    members_from(&app.db, 0, 4, now, ContactPreference::Phone, |_| {
        vec![("rol", "ervaring")]
    })
    .await;
    let version = published_version(&app, &panel).await;
    let survey = scheduled(&app, &panel, &plan(version, "Werk", now, None)).await;
    runner(&app).run_due().await.unwrap();
    let manager = app.manager().await;
    let anna = app
        .manager_with("anna@bellers.nl", ManagerRole::Interviewer)
        .await;
    let bram = app
        .manager_with("bram@bellers.nl", ManagerRole::Interviewer)
        .await;
    let interviewers = phone::interviewers(&app.db).await.unwrap();
    for (email, n) in [("anna@bellers.nl", "2"), ("bram@bellers.nl", "")] {
        let id = interviewers.iter().find(|i| i.email == email).unwrap().id;
        let r = manager
            .post(
                &format!("/beheer/enquetes/{survey}/bellen"),
                &[("interviewer", &id.to_string()), ("how_many", n)],
            )
            .await;
        assert_eq!(r.status(), 303, "assigning works");
    }
    Setup {
        app,
        survey,
        manager,
        anna,
        bram,
    }
}

/// The invitation ids on an interviewer's list page, in the order shown.
fn listed(page: &str) -> Vec<i64> {
    page.split("href=\"/bellen/leden/")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().parse().unwrap())
        .collect()
}

async fn seq(app: &TestApp, invitation: i64) -> String {
    phone::entry(&app.db, invitation)
        .await
        .unwrap()
        .invitation
        .call_seq
        .to_string()
}

#[tokio::test]
async fn interviewers_open_only_their_own_lists_and_members() {
    let s = setup().await;
    let (status, lists) = s.anna.get_text("/bellen").await;
    assert_eq!(status, 200);
    assert!(lists.contains("Werk"), "{lists}");
    let (_, anna_list) = s
        .anna
        .get_text(&format!("/bellen/enquetes/{}", s.survey))
        .await;
    let (_, bram_list) = s
        .bram
        .get_text(&format!("/bellen/enquetes/{}", s.survey))
        .await;
    let (mine, theirs) = (listed(&anna_list), listed(&bram_list));
    assert_eq!((mine.len(), theirs.len()), (2, 2));
    assert!(mine.iter().all(|i| !theirs.contains(i)));
    // The entry shows the first name and the number, not the whole name.
    let (status, entry) = s.anna.get_text(&format!("/bellen/leden/{}", mine[0])).await;
    assert_eq!(status, 200);
    assert!(entry.contains("Bellen met Lid"), "{entry}");
    assert!(entry.contains("tel:06"));

    // Bram's member: refused, and the audit log says so.
    let (status, _) = s
        .anna
        .get_text(&format!("/bellen/leden/{}", theirs[0]))
        .await;
    assert_eq!(status, 403);
    let r = s
        .anna
        .post(
            &format!("/bellen/leden/{}/uitkomst", theirs[0]),
            &[("outcome", "busy"), ("seq", "0")],
        )
        .await;
    assert_eq!(r.status(), 403);
    let refused = audit::Entity::find()
        .filter(audit::Column::Action.eq("refused_access"))
        .all(&s.app.db)
        .await
        .unwrap();
    assert_eq!(refused.len(), 2);
    assert!(
        call_attempt::Entity::find()
            .all(&s.app.db)
            .await
            .unwrap()
            .is_empty()
    );
    // Interviewers see no manager pages; managers do not use the call lists.
    let (status, _) = s.anna.get_text("/beheer").await;
    assert_eq!(status, 403);
    let (status, _) = s.manager.get_text("/bellen").await;
    assert_eq!(status, 403);
    let (status, progress) = s
        .manager
        .get_text(&format!("/beheer/enquetes/{}/bellen", s.survey))
        .await;
    assert_eq!(status, 200);
    assert!(progress.contains("Nog niet verdeeld: 0"), "{progress}");
}

#[tokio::test]
async fn outcomes_within_the_attempt_limit_one_save_at_a_time() {
    let s = setup().await;
    let (_, page) = s
        .anna
        .get_text(&format!("/bellen/enquetes/{}", s.survey))
        .await;
    let entry = listed(&page)[0];
    let path = format!("/bellen/leden/{entry}/uitkomst");

    // An appointment without a time, and no outcome at all: the form again.
    let seq0 = seq(&s.app, entry).await;
    let r = s
        .anna
        .post(&path, &[("outcome", "appointment"), ("seq", &seq0)])
        .await;
    assert_eq!(r.status(), 422);
    let r = s.anna.post(&path, &[("seq", &seq0)]).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("Fout:"));

    // Five calls are allowed (the panel's default), the sixth is refused.
    for i in 0..5 {
        let current = seq(&s.app, entry).await;
        let r = s
            .anna
            .post(
                &path,
                &[
                    ("outcome", "no_answer"),
                    ("seq", &current),
                    ("note", "geen gehoor"),
                ],
            )
            .await;
        assert_eq!(
            location(&r),
            format!("/bellen/leden/{entry}?opgeslagen=1"),
            "attempt {i}"
        );
        s.app.clock.advance(Duration::minutes(40));
    }
    let current = seq(&s.app, entry).await;
    let r = s
        .anna
        .post(&path, &[("outcome", "busy"), ("seq", &current)])
        .await;
    assert_eq!(r.status(), 409);
    assert!(r.text().await.unwrap().contains("al 5 keer gebeld"));
    let stored = call_attempt::Entity::find()
        .filter(call_attempt::Column::InvitationId.eq(entry))
        .all(&s.app.db)
        .await
        .unwrap();
    assert_eq!(stored.len(), 5);
    assert!(
        stored
            .iter()
            .all(|a| a.disposition == Disposition::NoAnswer)
    );

    // Two saves from the same page: the second is stale and changes nothing.
    let (_, page) = s
        .anna
        .get_text(&format!("/bellen/enquetes/{}", s.survey))
        .await;
    let other = listed(&page).into_iter().find(|i| *i != entry).unwrap();
    let seen = seq(&s.app, other).await;
    let path = format!("/bellen/leden/{other}/uitkomst");
    let first = s
        .anna
        .post(&path, &[("outcome", "busy"), ("seq", &seen)])
        .await;
    assert_eq!(
        location(&first),
        format!("/bellen/leden/{other}?opgeslagen=1")
    );
    let second = s
        .anna
        .post(&path, &[("outcome", "refusal"), ("seq", &seen)])
        .await;
    assert_eq!(second.status(), 409);
    assert!(second.text().await.unwrap().contains("Iemand anders"));
    let stored = call_attempt::Entity::find()
        .filter(call_attempt::Column::InvitationId.eq(other))
        .all(&s.app.db)
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].disposition, Disposition::Busy);
}

#[tokio::test]
async fn a_due_appointment_goes_to_the_top_of_the_list() {
    let s = setup().await;
    let queue = format!("/bellen/enquetes/{}", s.survey);
    let (_, page) = s.anna.get_text(&queue).await;
    let order = listed(&page);
    let (first, second) = (order[0], order[1]);
    // The second member asks to be called back in two hours (Dutch time).
    let at = (s.app.clock.now_utc() + Duration::hours(2))
        .with_timezone(&klankbord::domain::fieldwork::ZONE);
    let date = at.format("%Y-%m-%d").to_string();
    let time = at.format("%H:%M").to_string();
    let current = seq(&s.app, second).await;
    let r = s
        .anna
        .post(
            &format!("/bellen/leden/{second}/uitkomst"),
            &[
                ("outcome", "appointment"),
                ("seq", &current),
                ("date", &date),
                ("time", &time),
                ("note", "bel terug"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, page) = s.anna.get_text(&queue).await;
    assert_eq!(listed(&page), vec![first, second]);
    assert!(page.contains("Afspraak:"));
    // Three hours later the appointment is due: it comes first.
    s.app.clock.advance(Duration::hours(3));
    let (_, page) = s.anna.get_text(&queue).await;
    assert_eq!(listed(&page), vec![second, first]);
    assert!(page.contains("Afspraak: nu bellen"));
}

#[tokio::test]
async fn a_whole_phone_interview_is_stored_with_mode_phone() {
    let s = setup().await;
    let (_, page) = s
        .anna
        .get_text(&format!("/bellen/enquetes/{}", s.survey))
        .await;
    let entry = listed(&page)[0];
    let r = s
        .anna
        .post(&format!("/bellen/leden/{entry}/interview"), &[])
        .await;
    assert_eq!(r.status(), 303);
    let wie = location(&r);
    let base = wie.trim_end_matches("/wie").to_owned();
    // Bram cannot open Anna's interview.
    let (status, _) = s.bram.get_text(&wie).await;
    assert_eq!(status, 403);

    let r = s.anna.post(&wie, &[("proxy", "alone")]).await;
    let mut next = location(&r);
    let mut asked = Vec::new();
    while let Some(id) = next.strip_prefix(&format!("{base}/vraag/")) {
        let id = id.to_owned();
        let (status, page) = s.anna.get_text(&next).await;
        assert_eq!(status, 200);
        assert!(page.contains("Lees voor:"), "script mode on {id}");
        assert!(page.contains("Herhaal de vraag"));
        let answer = match id.as_str() {
            "werk_nu" => "nee",
            "steun_helpt" => "gesprek",
            "eens_zeker" => "2",
            "wat_beter" => "Meer begrip van de gemeente",
            _ => "",
        };
        if id == "werk_nu" {
            // The same validation as on the web: a required question left empty.
            let r = s.anna.post(&next, &[("answer", "")]).await;
            assert_eq!(r.status(), 422);
        }
        let r = s.anna.post(&next, &[("answer", answer)]).await;
        assert_eq!(r.status(), 303, "{id}");
        asked.push(id);
        next = location(&r);
    }
    assert_eq!(next, format!("{base}/controleren"));
    assert!(
        !asked.contains(&"effect_leven".to_owned()),
        "routing as on the web"
    );
    let r = s.anna.post(&next, &[]).await;
    assert_eq!(location(&r), format!("{base}/klaar"));
    let (_, done) = s.anna.get_text(&format!("{base}/klaar")).await;
    assert!(done.contains("Interview opgeslagen"));

    let response_id: i64 = base.rsplit('/').next().unwrap().parse().unwrap();
    let response = responses::response(&s.app.db, response_id).await.unwrap();
    assert_eq!(response.mode, Mode::Phone);
    assert_eq!(response.status, ResponseStatus::Finished);
    let anna = phone::interviewers(&s.app.db)
        .await
        .unwrap()
        .into_iter()
        .find(|i| i.email == "anna@bellers.nl")
        .unwrap();
    assert_eq!(response.entered_by, Some(anna.id));
    let answers = responses::answers(&s.app.db, response_id).await.unwrap();
    assert!(answers.contains_key("werk_nu") && answers.contains_key("wat_beter"));
    // The call counts as complete, and the member is done on the list.
    let entry = phone::entry(&s.app.db, entry).await.unwrap();
    assert_eq!(
        entry.attempts.last().map(|a| a.disposition),
        Some(Disposition::Complete)
    );
    let (_, progress) = s
        .manager
        .get_text(&format!("/beheer/enquetes/{}/bellen", s.survey))
        .await;
    assert!(progress.contains("Interview af"));
    let r = s
        .manager
        .get(&format!("/beheer/enquetes/{}/bellog.csv", s.survey))
        .await;
    let log = r.text().await.unwrap();
    assert!(log.contains("1.1"), "{log}");
    // The results show the response with its mode.
    let (status, results) = s
        .manager
        .get_text(&format!("/beheer/enquetes/{}/resultaten", s.survey))
        .await;
    assert_eq!(status, 200);
    assert!(results.contains("Hoe de antwoorden binnenkwamen"));
    assert!(
        results.contains(r#"<th scope="row">telefoon</th><td class="num">1</td>"#),
        "the phone response is counted under its mode"
    );
}

#[tokio::test]
async fn a_member_asks_to_be_called_from_the_invitation() {
    let app = TestApp::spawn().await;
    let now = app.clock.now_utc();
    let panel = panel(&app.db, &Policy::default(), now).await;
    let ids = members_from(&app.db, 0, 1, now, ContactPreference::Email, |_| {
        vec![("rol", "ervaring")]
    })
    .await;
    let version = published_version(&app, &panel).await;
    let survey = scheduled(&app, &panel, &plan(version, "Werk", now, None)).await;
    runner(&app).run_due().await.unwrap();
    let mail = app.deliver_mail().await;
    assert!(mail[0].html.contains("/liever-bellen/"));
    let link = mail[0].path("/liever-bellen/");

    // Opening the link (as a mail scanner would) changes nothing.
    let browser = app.browser().await;
    let (status, page) = browser.get_text(&link).await;
    assert_eq!(status, 200);
    assert!(page.contains("Liever gebeld worden?"));
    let m = klankbord::store::members::get(&app.db, ids[0])
        .await
        .unwrap();
    assert_eq!(m.contact_preference, ContactPreference::Email);
    assert!(
        phone::entries(&app.db, survey, None)
            .await
            .unwrap()
            .is_empty()
    );

    let r = browser.post(&link, &[("call_times", "  na 2 uur ")]).await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("We bellen u"));
    let m = klankbord::store::members::get(&app.db, ids[0])
        .await
        .unwrap();
    assert_eq!(m.contact_preference, ContactPreference::Phone);
    assert_eq!(m.call_times.as_deref(), Some("na 2 uur"));
    // This invitation is on the call list now, with the times for the interviewer.
    let entries = phone::entries(&app.db, survey, None).await.unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].member.id, ids[0]);

    let (status, _) = browser.get_text("/liever-bellen/nep-token").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn the_phone_script_prints_for_managers_and_interviewers() {
    let s = setup().await;
    let survey = responses::survey(&s.app.db, s.survey).await.unwrap();
    let path = format!(
        "/beheer/vragenlijsten/versies/{}/telefoonscript",
        survey.version_id
    );
    for browser in [&s.manager, &s.anna] {
        let (status, page) = browser.get_text(&path).await;
        assert_eq!(status, 200);
        for needed in [
            "Telefoonscript",
            "Zo begint u het gesprek",
            "Lees voor:",
            "Vraag 1",
            "Lees de antwoorden langzaam voor",
            "Alleen invullen als",
        ] {
            assert!(page.contains(needed), "{needed} in the phone script");
        }
    }
    let anonymous = s.app.browser().await;
    let r = anonymous.get(&path).await;
    assert_eq!(r.status(), 303, "anonymous visitors go to the login page");
}
