//! Answering as a member through an invitation: save and resume, routing, validation,
//! who answered, sending, closed surveys and forged links.

mod common;

use chrono::Duration;
use common::{Browser, ClockExt, TestApp};
use klankbord::domain::response::{Channel, Mode, Proxy, ResponseStatus};
use klankbord::store::{managers, members, responses};

/// A confirmed member, an open survey of the reference questionnaire and an invitation.
async fn setup(app: &TestApp, email: &str) -> (Browser, i64, String) {
    let now = app.clock.now_utc();
    let manager = managers::create(
        &app.db,
        "mia@voorbeeld.nl",
        "Mia",
        "geheim-wachtwoord-1",
        managers::ManagerRole::Manager,
        now,
    )
    .await
    .unwrap();
    let (_, survey_id) = app.open_survey(manager.id).await;
    let browser = app.browser().await;
    browser.sign_up_and_confirm(app, email).await;
    let member = members::find_by_email(
        &app.db,
        "ggz-panel",
        &klankbord::domain::contact::EmailAddress::parse(email).unwrap(),
    )
    .await
    .unwrap()
    .unwrap();
    let (invitation, token) = responses::invite(&app.db, survey_id, member.id, Channel::Email, now)
        .await
        .unwrap();
    // The test's own browser is a fresh one, as when someone clicks the link in a mail.
    let _ = invitation;
    (app.browser().await, survey_id, token)
}

fn location(r: &reqwest::Response) -> String {
    r.headers()["location"].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn answer_stop_resume_and_send() {
    let app = TestApp::with_panel().await;
    let (browser, survey_id, token) = setup(&app, "anna@voorbeeld.nl").await;

    // The link shows the start page only; the token leaves the address bar.
    let r = browser.get(&format!("/uitnodiging/{token}")).await;
    assert_eq!(r.status(), 303);
    let base = location(&r);
    let (status, intro) = browser.get_text(&base).await;
    assert_eq!(status, 200);
    assert!(intro.contains("Wat betekent betaald werk voor u?"));
    assert!(!intro.contains("Dit is een proef"));
    assert!(intro.contains(&format!("{base}/wie")));

    let r = browser
        .post(&format!("{base}/wie"), &[("proxy", "with_help")])
        .await;
    assert_eq!(location(&r), format!("{base}/vraag/werk_nu"));
    let r = browser
        .post(&format!("{base}/vraag/werk_nu"), &[("answer", "ja")])
        .await;
    assert_eq!(location(&r), format!("{base}/vraag/effect_leven"));
    let r = browser
        .post(
            &format!("{base}/vraag/effect_leven"),
            &[("answer", "beter")],
        )
        .await;
    assert_eq!(r.status(), 303);
    // A number out of range is refused and not stored.
    let r = browser
        .post(&format!("{base}/vraag/uren_week"), &[("answer", "120")])
        .await;
    assert_eq!(r.status(), 422);

    // Stop, and come back later through the same link in another browser.
    let other = app.browser().await;
    let r = other.get(&format!("/uitnodiging/{token}")).await;
    assert_eq!(location(&r), base);
    let (_, intro) = other.get_text(&base).await;
    assert!(intro.contains("Verder waar u was"));
    assert!(
        intro.contains(&format!("{base}/vraag/cijfer_steun")),
        "continues at the first unanswered question"
    );

    // Changing werk_nu to nee removes the answer to the hidden question.
    let r = other
        .post(&format!("{base}/vraag/werk_nu"), &[("answer", "nee")])
        .await;
    assert_eq!(location(&r), format!("{base}/vraag/steun_helpt"));
    let member = members::find_by_email(
        &app.db,
        "ggz-panel",
        &klankbord::domain::contact::EmailAddress::parse("anna@voorbeeld.nl").unwrap(),
    )
    .await
    .unwrap()
    .unwrap();
    let response = responses::response_for(&app.db, survey_id, &member.pseudonym)
        .await
        .unwrap()
        .unwrap();
    let stored = responses::answers(&app.db, response.id).await.unwrap();
    assert_eq!(stored.len(), 1, "{stored:?}");
    assert!(
        !stored.contains_key("effect_leven"),
        "skipped questions are never stored as answered"
    );
    // A forged answer to a hidden question is refused kindly and changes nothing.
    let r = other
        .post(
            &format!("{base}/vraag/effect_leven"),
            &[("answer", "beter")],
        )
        .await;
    assert_eq!(r.status(), 409);
    assert_eq!(
        responses::answers(&app.db, response.id)
            .await
            .unwrap()
            .len(),
        1
    );

    // Send: the check page first, then the confirmation.
    let (_, check) = other.get_text(&format!("{base}/controleren")).await;
    assert!(check.contains("Ik vul in met hulp van iemand anders"));
    let r = other.post(&format!("{base}/controleren"), &[]).await;
    assert_eq!(location(&r), format!("{base}/klaar"));
    let (_, done) = other.get_text(&format!("{base}/klaar")).await;
    assert!(done.contains("Uw antwoorden zijn goed aangekomen"));
    assert!(done.contains("We gebruiken de uitkomsten"));
    let response = responses::response(&app.db, response.id).await.unwrap();
    assert_eq!(response.status, ResponseStatus::Finished);
    assert_eq!(response.mode, Mode::Web);
    assert_eq!(response.proxy, Some(Proxy::WithHelp));
    assert!(response.finished_at.is_some());
    assert_eq!(response.respondent, member.pseudonym);

    // The back button after sending: a kind page, the stored response stays as it was.
    let r = browser
        .post(&format!("{base}/vraag/werk_nu"), &[("answer", "ja")])
        .await;
    assert_eq!(location(&r), format!("{base}/klaar"));
    let r = browser.post(&format!("{base}/controleren"), &[]).await;
    assert_eq!(location(&r), format!("{base}/klaar"));
    assert_eq!(
        responses::answers(&app.db, response.id)
            .await
            .unwrap()
            .len(),
        1
    );
    let member = members::get(&app.db, member.id).await.unwrap();
    assert!(
        member.last_participated_at.is_some(),
        "taking part counts as active"
    );
    app.stop().await;
}

#[tokio::test]
async fn closed_surveys_forged_links_and_other_peoples_invitations() {
    let app = TestApp::with_panel().await;
    let (browser, _, token) = setup(&app, "bram@voorbeeld.nl").await;
    let (status, page) = browser
        .get_text("/uitnodiging/0000000000000000000000000000000000000000000000000000000000000000")
        .await;
    assert_eq!(status, 404);
    assert!(page.contains("Deze link werkt niet"));

    let r = browser.get(&format!("/uitnodiging/{token}")).await;
    let base = location(&r);
    // Someone without the link or the login gets the login page, not the questionnaire.
    let stranger = app.browser().await;
    let r = stranger.get(&base).await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/inloggen");

    // After the deadline the link shows a kind page.
    app.clock.advance(Duration::days(22));
    let (status, page) = browser.get_text(&base).await;
    assert_eq!(status, 410);
    assert!(page.contains("De vragenlijst is gesloten"));
    let r = browser
        .post(&format!("{base}/vraag/werk_nu"), &[("answer", "ja")])
        .await;
    assert_eq!(r.status(), 410);
    app.stop().await;
}

#[tokio::test]
async fn my_questionnaires_and_erasure_of_answers() {
    let app = TestApp::with_panel().await;
    let (_, survey_id, _) = setup(&app, "cor@voorbeeld.nl").await;
    // Log in as the member and answer from "Mijn vragenlijsten".
    let browser = app.browser().await;
    browser
        .post(
            "/inloggen",
            &[("panel", "ggz-panel"), ("email", "cor@voorbeeld.nl")],
        )
        .await;
    let mails = app.deliver_mail().await;
    let link = mails
        .last()
        .unwrap()
        .link(&format!("{}/inloggen/", app.base));
    browser.post(link.trim_start_matches(&app.base), &[]).await;
    let (_, page) = browser.get_text("/mijn-vragenlijsten").await;
    assert!(page.contains("Wat betekent betaald werk voor u?"));
    assert!(page.contains("Nog niet begonnen"));
    let base = page
        .split("href=\"/vragenlijst/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let base = format!("/vragenlijst/{base}");
    browser
        .post(&format!("{base}/wie"), &[("proxy", "alone")])
        .await;
    browser
        .post(&format!("{base}/vraag/werk_nu"), &[("answer", "nee")])
        .await;
    let (_, page) = browser.get_text("/mijn-vragenlijsten").await;
    assert!(page.contains("Begonnen"));

    // The member chose not to keep answers after leaving: deleting the account deletes them.
    let member = members::find_by_email(
        &app.db,
        "ggz-panel",
        &klankbord::domain::contact::EmailAddress::parse("cor@voorbeeld.nl").unwrap(),
    )
    .await
    .unwrap()
    .unwrap();
    assert!(member.keep_answers_anonymous);
    klankbord::store::members::set_keep_answers(&app.db, member.id, false)
        .await
        .unwrap();
    assert!(
        responses::response_for(&app.db, survey_id, &member.pseudonym)
            .await
            .unwrap()
            .is_some()
    );
    let r = browser.post("/mijn-gegevens/verwijderen", &[]).await;
    assert_eq!(r.status(), 200);
    assert!(
        responses::response_for(&app.db, survey_id, &member.pseudonym)
            .await
            .unwrap()
            .is_none()
    );
    app.stop().await;
}

#[tokio::test]
async fn display_preferences_follow_the_member_through_the_link() {
    let app = TestApp::with_panel().await;
    let (browser, _, token) = setup(&app, "dirk@voorbeeld.nl").await;
    let base = location(&browser.get(&format!("/uitnodiging/{token}")).await);
    let (_, intro) = browser.get_text(&base).await;
    assert!(
        intro.contains(&format!("href=\"{base}/weergave\"")),
        "every answering page links to the display settings"
    );
    assert!(intro.contains("<body class=\"\">"));
    let r = browser
        .post(
            &format!("{base}/weergave"),
            &[("large_text", "ja"), ("high_contrast", "ja")],
        )
        .await;
    assert_eq!(location(&r), base);
    let (_, page) = browser.get_text(&format!("{base}/wie")).await;
    assert!(
        page.contains("<body class=\"pref-large pref-contrast\">"),
        "{page}"
    );
    let member = members::find_by_email(
        &app.db,
        "ggz-panel",
        &klankbord::domain::contact::EmailAddress::parse("dirk@voorbeeld.nl").unwrap(),
    )
    .await
    .unwrap()
    .unwrap();
    assert!(
        member.large_text && member.high_contrast && !member.calm_layout,
        "stored in the profile"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_paper_entry_in_progress_is_not_also_answered_through_the_link() {
    let app = TestApp::with_panel().await;
    let (browser, survey_id, token) = setup(&app, "eva@voorbeeld.nl").await;
    let base = location(&browser.get(&format!("/uitnodiging/{token}")).await);
    let member = members::find_by_email(
        &app.db,
        "ggz-panel",
        &klankbord::domain::contact::EmailAddress::parse("eva@voorbeeld.nl").unwrap(),
    )
    .await
    .unwrap()
    .unwrap();
    let manager = klankbord::store::managers::get(&app.db, 1).await.unwrap();
    let survey = responses::survey(&app.db, survey_id).await.unwrap();
    klankbord::service::paper::start_entry(
        &app.db,
        &survey,
        member.id,
        &manager,
        false,
        app.clock.now_utc(),
    )
    .await
    .unwrap()
    .unwrap();
    let (status, page) = browser.get_text(&base).await;
    assert_eq!(status, 409);
    assert!(page.contains("Uw antwoorden worden al verwerkt"));
    let r = browser
        .post(&format!("{base}/vraag/werk_nu"), &[("answer", "ja")])
        .await;
    assert_eq!(r.status(), 409);
    app.stop().await;
}
