//! Manager pages: login, refusal without login, members, composition, import upload,
//! audit log, records of processing.

mod common;

use common::{Browser, ClockExt, TestApp};
use klankbord::store::managers::{self, ManagerRole};

/// Import members through the upload form.
async fn upload(browser: &Browser, csv: &str, dry_run: bool) -> (u16, String) {
    let mut form = reqwest::multipart::Form::new()
        .text("csrf", browser.csrf.clone())
        .part(
            "file",
            reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("leden.csv"),
        );
    if dry_run {
        form = form.text("dry_run", "ja");
    }
    let r = browser
        .client
        .post(browser.url("/beheer/panels/ggz-panel/import"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

#[tokio::test]
async fn manager_pages_refuse_anyone_not_logged_in() {
    let app = TestApp::with_panel().await;
    let anonymous = app.browser().await;
    for path in [
        "/beheer",
        "/beheer/panels/ggz-panel/leden",
        "/beheer/leden/1",
        "/beheer/panels/ggz-panel/samenstelling",
        "/beheer/panels/ggz-panel/samenstelling/rol/grafiek.svg",
        "/beheer/panels/ggz-panel/import",
        "/beheer/panels/ggz-panel/verwerkingsregister",
        "/beheer/panels/ggz-panel/verwerkingsregister.csv",
        "/beheer/audit",
        "/beheer/api-sleutels",
    ] {
        let r = anonymous.get(path).await;
        assert_eq!(r.status(), 303, "{path}");
        assert_eq!(r.headers()["location"], "/beheer/inloggen", "{path}");
    }
    // A member session is not a manager session.
    let member = app.browser().await;
    member.sign_up_and_confirm(&app, "lid@voorbeeld.nl").await;
    assert_eq!(member.get("/beheer").await.status(), 303);
    // Posts are refused too, and change nothing.
    let r = anonymous
        .post("/beheer/panels", &[("panel_json", "{}")])
        .await;
    assert_eq!(r.status(), 303);
    app.stop().await;
}

#[tokio::test]
async fn wrong_passwords_are_limited() {
    let app = TestApp::with_panel().await;
    managers::create(
        &app.db,
        "mia@voorbeeld.nl",
        "Mia",
        "goed-wachtwoord-123",
        ManagerRole::Manager,
        app.clock.now_utc(),
    )
    .await
    .unwrap();
    let browser = app.browser().await;
    for _ in 0..5 {
        let r = browser
            .post(
                "/beheer/inloggen",
                &[("email", "mia@voorbeeld.nl"), ("password", "fout")],
            )
            .await;
        assert_eq!(r.status(), 401);
        assert!(
            r.text()
                .await
                .unwrap()
                .contains("Het e-mailadres of wachtwoord klopt niet")
        );
    }
    let r = browser
        .post(
            "/beheer/inloggen",
            &[
                ("email", "mia@voorbeeld.nl"),
                ("password", "goed-wachtwoord-123"),
            ],
        )
        .await;
    assert_eq!(
        r.status(),
        429,
        "even the right password waits after 5 failures"
    );
    app.clock.advance(chrono::Duration::minutes(16));
    let r = browser
        .post(
            "/beheer/inloggen",
            &[
                ("email", "mia@voorbeeld.nl"),
                ("password", "goed-wachtwoord-123"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    app.stop().await;
}

#[tokio::test]
async fn composition_matches_a_hand_computed_fixture() {
    let app = TestApp::with_panel().await;
    let browser = app
        .manager_with("mia@voorbeeld.nl", ManagerRole::Manager)
        .await;
    // 8 members: rol 6 ervaring / 2 naaste; regio 4 west, 2 oost, 1 zuid, 1 unanswered.
    let csv = "email;birth_year;consent;health_consent;rol;regio\n\
        m1@v.nl;1970;ja;ja;ervaring;west\n\
        m2@v.nl;1970;ja;ja;ervaring;west\n\
        m3@v.nl;1970;ja;ja;ervaring;west\n\
        m4@v.nl;1970;ja;ja;ervaring;west\n\
        m5@v.nl;1970;ja;ja;ervaring;oost\n\
        m6@v.nl;1970;ja;ja;ervaring;oost\n\
        m7@v.nl;1970;ja;ja;naaste;zuid\n\
        m8@v.nl;1970;ja;ja;naaste;\n";
    let (status, page) = upload(&browser, csv, false).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("8 leden ingelezen"));

    let (status, page) = browser
        .get_text("/beheer/panels/ggz-panel/samenstelling")
        .await;
    assert_eq!(status, 200);
    let compact: String = page.split_whitespace().collect::<Vec<_>>().join(" ");
    // rol: 6/8 = 75,0% vs 75% → 0,0; naaste 2/8 = 25,0% vs 25%.
    assert!(compact.contains("<th scope=\"row\">Ik heb zelf psychische klachten (gehad)</th><td class=\"num\">6</td><td class=\"num\">75,0</td><td class=\"num\">75,0</td><td class=\"num\">0,0</td>"), "{compact}");
    // regio over 7 answers: west 4/7 = 57,1% vs 47% → +10,1; noord 0 vs 10 → -10,0.
    assert!(compact.contains("<td class=\"num\">4</td><td class=\"num\">57,1</td><td class=\"num\">47,0</td><td class=\"num\">+10,1</td>"), "{compact}");
    assert!(compact.contains("<td class=\"num\">0</td><td class=\"num\">0,0</td><td class=\"num\">10,0</td><td class=\"num\">-10,0</td>"), "{compact}");
    // The chart has a text alternative and the same figures.
    assert!(page.contains("role=\"img\""));
    assert!(
        page.contains("West (Utrecht, Noord-Holland, Zuid-Holland, Zeeland): 57,1% (doel 47,0%)")
    );
    let svg = browser
        .get("/beheer/panels/ggz-panel/samenstelling/regio/grafiek.svg")
        .await;
    assert_eq!(
        svg.headers()["content-type"],
        "image/svg+xml; charset=utf-8"
    );
    app.stop().await;
}

#[tokio::test]
async fn import_upload_reports_every_bad_row_and_imports_nothing() {
    let app = TestApp::with_panel().await;
    let browser = app
        .manager_with("mia@voorbeeld.nl", ManagerRole::Manager)
        .await;
    let csv = "email,birth_year,consent,health_consent,rol\n\
        goed@v.nl,1970,ja,ja,ervaring\n\
        fout-adres,1970,ja,ja,ervaring\n\
        x@v.nl,1970,nee,ja,ervaring\n\
        y@v.nl,1970,ja,ja,onbekend\n\
        GOED@v.nl,1970,ja,ja,ervaring\n";
    let (status, page) = upload(&browser, csv, true).await;
    assert_eq!(status, 422);
    for expected in [
        "Regel 3: het e-mailadres klopt niet",
        "Regel 4: er is geen toestemming",
        "Regel 5: het antwoord in kolom &#39;rol&#39; kennen wij niet",
        "Regel 6: dit email staat ook op regel 2",
    ] {
        assert!(page.contains(expected), "{expected} in {page}");
    }
    assert!(page.contains("<title>Fout: "));
    let (status, _) = upload(&browser, csv, false).await;
    assert_eq!(status, 422);
    let (_, total) =
        klankbord::store::members::list(&app.db, "ggz-panel", &Default::default(), 0, 1)
            .await
            .unwrap();
    assert_eq!(total, 0);
    // A file that is no CSV at all gets a message, not a crash.
    let (status, page) = upload(&browser, "\u{0}\u{1}garbage", false).await;
    assert_eq!(status, 422);
    assert!(page.contains("kolom"), "{page}");
    app.stop().await;
}

#[tokio::test]
async fn member_search_detail_audit_and_concurrent_edits() {
    let app = TestApp::with_panel().await;
    let admin = app
        .manager_with("admin@voorbeeld.nl", ManagerRole::Admin)
        .await;
    let other = app
        .manager_with("tweede@voorbeeld.nl", ManagerRole::Manager)
        .await;
    let csv = "name;email;birth_year;consent;health_consent;rol;regio\n\
        Anna Jansen;anna@v.nl;1970;ja;ja;ervaring;west\n\
        Bram Bos;bram@v.nl;1980;ja;ja;naaste;oost\n";
    assert_eq!(upload(&admin, csv, false).await.0, 200);

    let (_, page) = admin
        .get_text("/beheer/panels/ggz-panel/leden?q=bram")
        .await;
    assert!(page.contains("Bram Bos") && !page.contains("Anna Jansen"));
    let (_, page) = admin
        .get_text("/beheer/panels/ggz-panel/leden?bg_regio=west")
        .await;
    assert!(page.contains("Anna Jansen") && !page.contains("Bram Bos"));
    assert!(page.contains("1 leden gevonden"));

    let anna = klankbord::store::members::list(
        &app.db,
        "ggz-panel",
        &klankbord::store::members::MemberFilter {
            query: Some("anna".into()),
            ..Default::default()
        },
        0,
        1,
    )
    .await
    .unwrap()
    .0
    .remove(0);
    let detail = format!("/beheer/leden/{}", anna.id);
    let (status, page) = other.get_text(&detail).await;
    assert_eq!(status, 200);
    assert!(page.contains("anna@v.nl"));

    // Both managers open the edit form at version 1; the second save is refused.
    let edit = format!("/beheer/leden/{}/wijzigen", anna.id);
    let (_, form) = admin.get_text(&edit).await;
    assert!(form.contains("name=\"version\" value=\"1\""));
    let fields = |name: &'static str| {
        vec![
            ("version", "1"),
            ("name", name),
            ("email", "anna@v.nl"),
            ("birth_year", "1970"),
            ("contact_preference", "email"),
            ("bg_rol", "ervaring"),
            ("bg_regio", "west"),
        ]
    };
    let r = admin.post(&edit, &fields("Anna de Vries")).await;
    assert_eq!(r.status(), 303);
    let r = other.post(&edit, &fields("Anna Pietersen")).await;
    assert_eq!(r.status(), 409);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Iemand anders heeft deze gegevens net veranderd")
    );
    let stored = klankbord::store::members::get(&app.db, anna.id)
        .await
        .unwrap();
    assert_eq!(stored.name.as_deref(), Some("Anna de Vries"));
    assert_eq!(stored.version, 2);

    // The audit log names who viewed and who changed, and which fields, never values.
    let (status, page) = other.get_text("/beheer/audit").await;
    assert_eq!(status, 403, "only admins read the audit log");
    let (status, page_admin) = admin
        .get_text(&format!("/beheer/audit?lid={}", anna.id))
        .await;
    assert_eq!(status, 200, "{page}");
    assert!(page_admin.contains("Gegevens bekeken"));
    assert!(page_admin.contains("Gegevens veranderd"));
    assert!(page_admin.contains("<td>name</td>"));
    assert!(!page_admin.contains("Anna de Vries"));

    // The member sees who looked at their data.
    let export = klankbord::store::members::export(&app.db, anna.id)
        .await
        .unwrap();
    assert!(
        export["viewed_or_changed_by_managers"]
            .as_array()
            .unwrap()
            .len()
            >= 2
    );
    app.stop().await;
}

#[tokio::test]
async fn records_of_processing_as_page_and_csv() {
    let app = TestApp::with_panel().await;
    let browser = app
        .manager_with("mia@voorbeeld.nl", ManagerRole::Manager)
        .await;
    let (status, page) = browser
        .get_text("/beheer/panels/ggz-panel/verwerkingsregister")
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("Uitdrukkelijke toestemming (AVG art. 9 lid 2a)"));
    assert!(page.contains("36 maanden"));
    assert!(page.contains("Hoe doet u mee aan het panel?"));
    let r = browser
        .get("/beheer/panels/ggz-panel/verwerkingsregister.csv")
        .await;
    assert_eq!(r.status(), 200);
    let body = r.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert!(rows.len() >= 10);
    assert!(rows.iter().any(|r| r[3].contains("24 maanden")));
    app.stop().await;
}
