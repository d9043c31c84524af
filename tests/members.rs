//! Sign-up with double opt-in, login links, and "Mijn gegevens": view, correct,
//! download, withdraw and delete.

mod common;

use chrono::Duration;
use common::{TestApp, as_refs, signup_form};

#[tokio::test]
async fn sign_up_confirm_through_the_email_and_see_my_data() {
    let app = TestApp::with_panel().await;
    let browser = app.browser().await;
    let form = signup_form("anna@voorbeeld.nl");
    let r = browser.post("/aanmelden", &as_refs(&form)).await;
    assert_eq!(r.status(), 303);
    let (_, thanks) = browser.follow(r).await;
    assert!(
        thanks.contains("Wij hebben u een e-mail gestuurd"),
        "{thanks}"
    );

    let mails = app.deliver_mail().await;
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert_eq!(mail.to, "anna@voorbeeld.nl");
    assert!(
        mail.subject.contains("Bevestig uw aanmelding"),
        "{}",
        mail.subject
    );
    assert!(mail.html.contains("<a href="));
    let link = mail.link(&format!("{}/bevestigen/", app.base));
    let path = link.trim_start_matches(&app.base);

    // Opening the link (as a mail scanner would) changes nothing.
    let (status, page) = browser.get_text(path).await;
    assert_eq!(status, 200);
    assert!(page.contains("Ja, ik doe mee"));
    let (status, _) = browser.get_text("/mijn-gegevens").await;
    assert_eq!(status, 303, "not logged in before confirming");

    let r = browser.post(path, &[]).await;
    assert_eq!(r.status(), 303);
    let (status, page) = browser.follow(r).await;
    assert_eq!(status, 200);
    assert!(page.contains("Uw aanmelding is klaar"));
    assert!(page.contains("anna@voorbeeld.nl"));
    assert!(page.contains("Anna de Vries"));
    assert!(page.contains("Ik heb zelf psychische klachten (gehad)"));
    assert!(page.contains("Doet mee"));

    // The link works once.
    let r = browser.post(path, &[]).await;
    let page = r.text().await.unwrap();
    assert!(page.contains("Deze link is al gebruikt"), "{page}");
    app.stop().await;
}

#[tokio::test]
async fn bad_sign_up_shows_every_error_and_stores_nothing() {
    let app = TestApp::with_panel().await;
    let browser = app.browser().await;
    let mut form = signup_form("geen-email");
    form.retain(|(k, _)| *k != "consent_health");
    form.iter_mut()
        .filter(|(k, _)| *k == "bg_regio")
        .for_each(|(_, v)| *v = "mars".into());
    let r = browser.post("/aanmelden", &as_refs(&form)).await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("<title>Fout: Aanmelden"),
        "title starts with Fout:"
    );
    assert!(page.contains("class=\"error-summary\""));
    assert!(page.contains("href=\"#f-email\""));
    assert!(page.contains("href=\"#f-bg_regio\""));
    assert!(page.contains("href=\"#f-consent_health\""));
    assert!(page.contains("aria-invalid=\"true\""));
    assert!(
        page.contains("value=\"geen-email\""),
        "typed values are kept"
    );
    assert!(app.deliver_mail().await.is_empty());
    let (_, total) =
        klankbord::store::members::list(&app.db, "ggz-panel", &Default::default(), 0, 10)
            .await
            .unwrap();
    assert_eq!(total, 0);
    app.stop().await;
}

#[tokio::test]
async fn too_young_is_refused_kindly_and_not_stored() {
    let app = TestApp::with_panel().await;
    let browser = app.browser().await;
    let mut form = signup_form("jong@voorbeeld.nl");
    form.iter_mut()
        .filter(|(k, _)| *k == "birth_year")
        .for_each(|(_, v)| *v = "2012".into());
    let r = browser.post("/aanmelden", &as_refs(&form)).await;
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    assert!(page.contains("U bent nog te jong"));
    assert!(page.contains("18 jaar of ouder"));
    let (_, total) =
        klankbord::store::members::list(&app.db, "ggz-panel", &Default::default(), 0, 10)
            .await
            .unwrap();
    assert_eq!(total, 0);
    app.stop().await;
}

#[tokio::test]
async fn second_sign_up_with_the_same_email_creates_no_second_member() {
    let app = TestApp::with_panel().await;
    let browser = app.browser().await;
    browser.sign_up_and_confirm(&app, "anna@voorbeeld.nl").await;
    let other = app.browser().await;
    let r = other
        .post("/aanmelden", &as_refs(&signup_form("ANNA@voorbeeld.nl")))
        .await;
    assert_eq!(
        r.status(),
        303,
        "same answer as a new sign-up: nobody learns who is a member"
    );
    let mails = app.deliver_mail().await;
    assert_eq!(mails.len(), 1);
    assert!(mails[0].subject.contains("U doet al mee"));
    let (_, total) =
        klankbord::store::members::list(&app.db, "ggz-panel", &Default::default(), 0, 10)
            .await
            .unwrap();
    assert_eq!(total, 1);
    app.stop().await;
}

#[tokio::test]
async fn a_form_without_csrf_token_is_refused() {
    let app = TestApp::with_panel().await;
    let browser = app.browser().await;
    let form = signup_form("anna@voorbeeld.nl");
    let r = browser
        .post_without_csrf("/aanmelden", &as_refs(&form))
        .await;
    assert_eq!(r.status(), 403);
    let page = r.text().await.unwrap();
    assert!(page.contains("Het formulier is verlopen"));
    let mut wrong = as_refs(&form);
    wrong.push((
        "csrf",
        "0000000000000000000000000000000000000000000000000000000000000000",
    ));
    let r = browser.post_without_csrf("/aanmelden", &wrong).await;
    assert_eq!(r.status(), 403);
    let (_, total) =
        klankbord::store::members::list(&app.db, "ggz-panel", &Default::default(), 0, 10)
            .await
            .unwrap();
    assert_eq!(total, 0);
    app.stop().await;
}

#[tokio::test]
async fn login_link_works_once_and_expires() {
    let app = TestApp::with_panel().await;
    let first = app.browser().await;
    first.sign_up_and_confirm(&app, "anna@voorbeeld.nl").await;

    let browser = app.browser().await;
    let r = browser
        .post(
            "/inloggen",
            &[("panel", "ggz-panel"), ("email", "anna@voorbeeld.nl")],
        )
        .await;
    assert_eq!(r.status(), 303);
    // An unknown address gets the same answer and no email.
    let r2 = browser
        .post(
            "/inloggen",
            &[("panel", "ggz-panel"), ("email", "onbekend@voorbeeld.nl")],
        )
        .await;
    assert_eq!(r2.headers().get("location"), r.headers().get("location"));
    let mails = app.deliver_mail().await;
    assert_eq!(mails.len(), 1);
    let link = mails[0].link(&format!("{}/inloggen/", app.base));
    let path = link.trim_start_matches(&app.base).to_owned();

    let r = browser.post(&path, &[]).await;
    assert_eq!(r.status(), 303);
    let (status, page) = browser.get_text("/mijn-gegevens").await;
    assert_eq!(status, 200);
    assert!(page.contains("anna@voorbeeld.nl"));

    let again = app.browser().await;
    let page = again.post(&path, &[]).await.text().await.unwrap();
    assert!(page.contains("Deze link is al gebruikt"));

    // A new link, used after 31 minutes, has expired.
    again
        .post(
            "/inloggen",
            &[("panel", "ggz-panel"), ("email", "anna@voorbeeld.nl")],
        )
        .await;
    let mails = app.deliver_mail().await;
    let path = mails[0]
        .link(&format!("{}/inloggen/", app.base))
        .trim_start_matches(&app.base)
        .to_owned();
    app.clock.advance(Duration::minutes(31));
    let (_, page) = again.get_text(&path).await;
    assert!(page.contains("Deze link is verlopen"));
    let page = again.post(&path, &[]).await.text().await.unwrap();
    assert!(page.contains("Deze link is verlopen"));
    let (status, _) = again.get_text("/mijn-gegevens").await;
    assert_eq!(status, 303);
    app.stop().await;
}

#[tokio::test]
async fn correct_download_withdraw_and_delete() {
    let app = TestApp::with_panel().await;
    let browser = app.browser().await;
    browser
        .sign_up_and_confirm(&app, "anna.verwijder@voorbeeld.nl")
        .await;

    // Correct: the edit form carries the version it was read at.
    let (_, form_page) = browser.get_text("/mijn-gegevens/wijzigen").await;
    assert!(form_page.contains("name=\"version\" value=\"1\""));
    let mut form = signup_form("anna.verwijder@voorbeeld.nl");
    form.retain(|(k, _)| {
        !k.starts_with("consent")
            && *k != "source"
            && *k != "panel"
            && *k != "keep_answers_anonymous"
    });
    form.push(("version", "1".into()));
    form.iter_mut()
        .filter(|(k, _)| *k == "bg_regio")
        .for_each(|(_, v)| *v = "zuid".into());
    form.iter_mut()
        .filter(|(k, _)| *k == "phone")
        .for_each(|(_, v)| *v = "06-12345678".into());
    let r = browser
        .post("/mijn-gegevens/wijzigen", &as_refs(&form))
        .await;
    assert_eq!(r.status(), 303);
    let (_, page) = browser.follow(r).await;
    assert!(page.contains("Uw wijzigingen zijn opgeslagen"));
    assert!(page.contains("Zuid (Noord-Brabant, Limburg)"));
    assert!(page.contains("06-12345678"));

    // The same stale form a second time is refused, and nothing changes.
    form.iter_mut()
        .filter(|(k, _)| *k == "bg_regio")
        .for_each(|(_, v)| *v = "noord".into());
    let r = browser
        .post("/mijn-gegevens/wijzigen", &as_refs(&form))
        .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Iemand anders heeft deze gegevens net veranderd")
    );
    let (_, page) = browser.get_text("/mijn-gegevens").await;
    assert!(page.contains("Zuid (Noord-Brabant, Limburg)"));

    // Download everything as JSON.
    let r = browser.get("/mijn-gegevens/download").await;
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("attachment")
    );
    let data: serde_json::Value = r.json().await.unwrap();
    assert_eq!(data["email"], "anna.verwijder@voorbeeld.nl");
    assert_eq!(data["background"]["regio"], "zuid");
    assert_eq!(data["consent"]["health_data"], true);
    assert_eq!(data["consent"]["history"].as_array().unwrap().len(), 2);

    // Withdraw consent: status changes at once.
    let r = browser.post("/mijn-gegevens/toestemming", &[]).await;
    assert_eq!(r.status(), 200);
    let (_, page) = browser.get_text("/mijn-gegevens").await;
    assert!(page.contains("Gestopt (geen toestemming meer)"));

    // Delete: the address is nowhere in the database any more.
    if app.db_file.is_some() {
        let bytes = app.database_bytes();
        let needle = b"anna.verwijder@voorbeeld.nl";
        assert!(
            bytes.windows(needle.len()).any(|w| w == needle),
            "stored before deletion"
        );
    }
    let r = browser.post("/mijn-gegevens/verwijderen", &[]).await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("Uw account is weg"));
    let (status, _) = browser.get_text("/mijn-gegevens").await;
    assert_eq!(status, 303, "logged out");
    let (_, total) =
        klankbord::store::members::list(&app.db, "ggz-panel", &Default::default(), 0, 10)
            .await
            .unwrap();
    assert_eq!(total, 0);
    if app.db_file.is_some() {
        let bytes = app.database_bytes();
        for needle in [
            "anna.verwijder@voorbeeld.nl",
            "Anna de Vries",
            "+31612345678",
        ] {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
                "{needle} still in the database file"
            );
        }
    }
    app.stop().await;
}

#[tokio::test]
async fn oversized_forms_are_refused_and_store_nothing() {
    let app = TestApp::with_panel().await;
    let browser = app.browser().await;
    let mut form = signup_form("groot@voorbeeld.nl");
    let huge = "a".repeat(400 * 1024);
    form.push(("name", huge));
    let r = browser.post("/aanmelden", &as_refs(&form)).await;
    assert_eq!(r.status(), 413);
    let page = r.text().await.unwrap();
    assert!(page.contains("te groot"), "{page}");
    assert!(page.contains("<html lang=\"nl\">"));
    let (_, total) =
        klankbord::store::members::list(&app.db, "ggz-panel", &Default::default(), 0, 10)
            .await
            .unwrap();
    assert_eq!(total, 0);
    app.stop().await;
}
