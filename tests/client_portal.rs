//! The clients' portal at `/opdrachtgever`: an outside organisation logs in with its API
//! key, sees only its own requests, opens the report once the fieldwork closed (small
//! groups hidden, no open answers), and is logged out the moment its key is revoked.

mod common;

use common::respondents::small_group_survey;
use common::{Browser, ClockExt, TestApp};
use klankbord::domain::client_access::Scopes;
use klankbord::domain::client_request::{MissionChecklist, RequestForm, Transition};
use klankbord::service::client_requests::{manager_actor, submit, transition};
use klankbord::store::client_requests as store;
use klankbord::store::client_tokens;

fn form(client: &str, topic: &str) -> RequestForm {
    RequestForm {
        client: client.into(),
        contact_name: "Sanne de Vries".into(),
        contact_email: "sanne@utrecht.example".into(),
        topic: topic.into(),
        purpose: "Weten hoe het gaat met werk.".into(),
        use_of_results: "Beleid.".into(),
        target: Vec::new(),
        completes: "20".into(),
        start_on: "2026-12-01".into(),
        end_on: "2026-12-20".into(),
        budget: "1000".into(),
    }
}

/// A request of `client` on the reference panel; returns its id.
async fn request(app: &TestApp, client: &str, topic: &str) -> i64 {
    let now = app.clock.now_utc();
    submit(
        &app.db,
        "ggz-panel",
        &form(client, topic),
        &manager_actor(1),
        now.date_naive(),
        now,
    )
    .await
    .unwrap()
    .unwrap()
    .id
}

/// A key of `client` with `scopes`; returns the key's id and secret.
async fn key(app: &TestApp, client: &str, scopes: &[&str]) -> (i64, String) {
    let now = app.clock.now_utc();
    let c = store::client_named(&app.db, "ggz-panel", client, now)
        .await
        .unwrap();
    let scopes = Scopes::parse(scopes.iter().copied()).unwrap();
    let (made, secret) = client_tokens::create(&app.db, c.id, "portal", &scopes, "manager:1", now)
        .await
        .unwrap();
    (made.id, secret)
}

async fn logged_in(app: &TestApp, secret: &str) -> Browser {
    let browser = app.browser().await;
    let r = browser
        .post("/opdrachtgever/inloggen", &[("key", secret)])
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/opdrachtgever");
    browser
}

#[tokio::test]
async fn a_client_logs_in_with_its_key_and_sees_only_its_own_requests() {
    let app = TestApp::with_panel().await;
    let own = request(&app, "Gemeente Utrecht", "Werk en inkomen").await;
    let other = request(&app, "Zorgverzekeraar Noord", "Vervoer").await;
    let (key_id, secret) = key(&app, "Gemeente Utrecht", &["requests:read"]).await;

    // Without a session the portal sends to its login page.
    let visitor = app.browser().await;
    let r = visitor.get("/opdrachtgever").await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/opdrachtgever/inloggen");
    // A wrong key, an empty one: the form again with the reason.
    let r = visitor
        .post("/opdrachtgever/inloggen", &[("key", "kbc_verkeerd")])
        .await;
    assert_eq!(r.status(), 401);
    let page = r.text().await.unwrap();
    assert!(page.contains("<title>Fout: Inloggen voor opdrachtgevers"));
    assert!(page.contains("Deze sleutel kennen we niet"));
    let r = visitor
        .post("/opdrachtgever/inloggen", &[("key", "")])
        .await;
    assert_eq!(r.status(), 422);

    let browser = logged_in(&app, &secret).await;
    let (status, page) = browser.get_text("/opdrachtgever").await;
    assert_eq!(status, 200);
    assert!(page.contains("Uw aanvragen – Gemeente Utrecht"));
    assert!(page.contains("Werk en inkomen"));
    assert!(!page.contains("Vervoer"));
    let (status, page) = browser
        .get_text(&format!("/opdrachtgever/aanvragen/{own}"))
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("Er zijn nog geen uitkomsten."));
    // Another organisation's request is not found.
    let (status, page) = browser
        .get_text(&format!("/opdrachtgever/aanvragen/{other}"))
        .await;
    assert_eq!(status, 404);
    assert!(!page.contains("Vervoer"));
    // The manager pages stay closed to a client.
    assert_eq!(
        browser
            .get("/beheer/panels/ggz-panel/opdrachten")
            .await
            .status(),
        303
    );

    // Revoking the key logs the client out at once.
    let c = store::client_named(
        &app.db,
        "ggz-panel",
        "Gemeente Utrecht",
        app.clock.now_utc(),
    )
    .await
    .unwrap();
    client_tokens::revoke(&app.db, c.id, key_id, app.clock.now_utc())
        .await
        .unwrap();
    let r = browser.get("/opdrachtgever").await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/opdrachtgever/inloggen");
    let r = app
        .browser()
        .await
        .post("/opdrachtgever/inloggen", &[("key", &secret)])
        .await;
    assert_eq!(r.status(), 401);
}

#[tokio::test]
async fn a_key_that_may_only_write_does_not_open_the_portal_and_logging_out_ends_it() {
    let app = TestApp::with_panel().await;
    let (_, writer) = key(&app, "Gemeente Utrecht", &["requests:write"]).await;
    let r = app
        .browser()
        .await
        .post("/opdrachtgever/inloggen", &[("key", &writer)])
        .await;
    assert_eq!(r.status(), 403);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Met deze sleutel kunt u geen aanvragen bekijken.")
    );

    let (_, reader) = key(&app, "Gemeente Utrecht", &["requests:read"]).await;
    let browser = logged_in(&app, &reader).await;
    let r = browser.post("/opdrachtgever/uitloggen", &[]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(browser.get("/opdrachtgever").await.status(), 303);
}

#[tokio::test]
async fn the_report_opens_once_the_fieldwork_closed_with_small_groups_hidden() {
    let app = TestApp::with_panel().await;
    let (_, survey_id) = small_group_survey(&app).await;
    let id = request(&app, "Gemeente Utrecht", "Werk").await;
    let now = app.clock.now_utc();
    let ticked = MissionChecklist {
        fits_mission: true,
        no_harm: true,
        results_shared: true,
    };
    for step in [
        Transition::StartReview,
        Transition::Accept {
            checklist: ticked,
            quote_cents: 90_000,
        },
        Transition::StartFieldwork { survey_id },
    ] {
        transition(&app.db, id, &step, &manager_actor(1), now)
            .await
            .unwrap()
            .unwrap();
    }
    let (_, reader) = key(&app, "Gemeente Utrecht", &["requests:read"]).await;
    let (_, full) = key(&app, "Gemeente Utrecht", &["requests:read", "reports:read"]).await;
    let report = format!("/opdrachtgever/aanvragen/{id}/rapport");

    let browser = logged_in(&app, &full).await;
    assert_eq!(
        browser.get(&report).await.status(),
        404,
        "not before the fieldwork closed"
    );
    klankbord::service::fieldwork::close(&app.db, survey_id, now)
        .await
        .unwrap();

    let (_, page) = browser
        .get_text(&format!("/opdrachtgever/aanvragen/{id}"))
        .await;
    assert!(page.contains(&format!("href=\"{report}\"")));
    let (status, page) = browser.get_text(&report).await;
    assert_eq!(status, 200);
    let text = page.clone();
    assert!(!text.contains("Een baas die luistert"), "no open answers");
    assert!(text.contains("minder dan 10"), "the small group is hidden");

    // A key without reports:read sees that results exist but cannot open them.
    let limited = logged_in(&app, &reader).await;
    let (_, page) = limited
        .get_text(&format!("/opdrachtgever/aanvragen/{id}"))
        .await;
    assert!(page.contains("met deze sleutel kunt u geen uitkomsten bekijken"));
    assert_eq!(limited.get(&report).await.status(), 403);
}

#[tokio::test]
async fn a_client_sends_a_request_through_the_form() {
    let app = TestApp::with_panel().await;
    let (_, reader) = key(&app, "Gemeente Utrecht", &["requests:read"]).await;
    let (_, writer) = key(
        &app,
        "Gemeente Utrecht",
        &["requests:read", "requests:write"],
    )
    .await;
    let form = "/opdrachtgever/aanvragen/nieuw";

    // A key that may only read has no form.
    let limited = logged_in(&app, &reader).await;
    assert!(!limited.get_text("/opdrachtgever").await.1.contains(form));
    assert_eq!(limited.get(form).await.status(), 403);

    let browser = logged_in(&app, &writer).await;
    assert!(browser.get_text("/opdrachtgever").await.1.contains(form));
    let (status, page) = browser.get_text(form).await;
    assert_eq!(status, 200);
    assert!(page.contains("<title>Nieuwe aanvraag"));
    assert!(
        page.contains("value=\"rol:ervaring\""),
        "the panel's groups to tick"
    );

    // Problems come back at their fields; nothing is stored.
    let bad = [
        ("topic", ""),
        ("purpose", "Weten hoe het gaat."),
        ("use_of_results", "Beleid."),
        ("target", "rol:ervaring"),
        ("completes", "nul"),
        ("start_on", "2027-01-11"),
        ("end_on", "2027-01-04"),
        ("budget", "2500"),
        ("contact_name", "Sanne de Vries"),
        ("contact_email", "sanne@utrecht.example"),
    ];
    let r = browser.post(form, &bad).await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("<title>Fout: Nieuwe aanvraag"));
    for message in [
        "Vul dit in.",
        "Vul een heel getal in van 1 of meer.",
        "De einddatum ligt voor de startdatum.",
    ] {
        assert!(page.contains(message), "{message}");
    }
    assert!(
        page.contains("value=\"rol:ervaring\" checked"),
        "ticks are kept"
    );
    assert!(store::list(&app.db, "ggz-panel").await.unwrap().is_empty());

    let mut good = bad;
    good[0] = ("topic", "Ervaringen met de Wmo");
    good[4] = ("completes", "150");
    good[6] = ("end_on", "2027-01-25");
    let r = browser.post(form, &good).await;
    assert_eq!(r.status(), 303);
    let stored = store::list(&app.db, "ggz-panel").await.unwrap();
    assert_eq!(stored.len(), 1);
    let (request, client) = &stored[0];
    assert_eq!(client.name, "Gemeente Utrecht");
    assert_eq!(request.topic, "Ervaringen met de Wmo");
    assert_eq!(request.budget_cents, 250_000);
    assert_eq!(
        r.headers()["location"],
        format!("/opdrachtgever/aanvragen/{}?verstuurd=1", request.id).as_str()
    );
    let (_, page) = browser
        .get_text(r.headers()["location"].to_str().unwrap())
        .await;
    assert!(page.contains("Uw aanvraag is verstuurd."));
    assert!(page.contains("aangevraagd"));
}
