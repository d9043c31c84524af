//! Pilot testing: the questionnaire exactly as members see it, for the manager and for
//! outsiders with a pilot link; answers kept apart, comments next to each question.

mod common;

use common::{Browser, TestApp};

const QUESTIONNAIRE: &str = include_str!("../panel-schemas/examples/questionnaire.json");

/// Upload the reference questionnaire; returns the version's manager page path.
async fn upload(browser: &Browser) -> String {
    let r = browser.upload_questionnaire(QUESTIONNAIRE).await;
    assert_eq!(r.status(), 303);
    r.headers()["location"].to_str().unwrap().to_owned()
}

fn location(r: &reqwest::Response) -> String {
    r.headers()["location"].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn an_outsider_pilots_every_question_type_and_comments() {
    let app = TestApp::with_panel().await;
    let mgr = app.manager().await;
    let review = upload(&mgr).await;
    let version: i64 = review.rsplit('/').next().unwrap().parse().unwrap();

    // Without a link or a manager login, the pilot is closed.
    let outsider = app.browser().await;
    let r = outsider.get(&format!("/voorbeeld/{version}")).await;
    assert_eq!(r.status(), 403);

    // The manager makes a pilot link; the page shows it once.
    let r = mgr
        .post(
            &format!("{review}/pilotlinks"),
            &[("label", "Jan, ervaringsdeskundige")],
        )
        .await;
    let page = r.text().await.unwrap();
    let link = page
        .split("<code>")
        .nth(1)
        .unwrap()
        .split("</code>")
        .next()
        .unwrap()
        .replace("&amp;", "&");
    let path = link.trim_start_matches(&app.base).to_owned();

    let r = outsider.get(&path).await;
    assert_eq!(r.status(), 303, "the token leaves the address bar");
    assert_eq!(location(&r), format!("/voorbeeld/{version}"));
    let (status, intro) = outsider.get_text(&format!("/voorbeeld/{version}")).await;
    assert_eq!(status, 200);
    assert!(intro.contains("Dit is een proef"));
    assert!(intro.contains("Wat betekent betaald werk voor u?"));
    assert!(intro.contains("Ongeveer 8 minuten"));
    let base = format!("/voorbeeld/{version}");

    // Question 1: single choice, required. Sending nothing gives an error page.
    let (_, page) = outsider.get_text(&format!("{base}/vraag/werk_nu")).await;
    assert!(page.contains("Vraag 1 van 13"), "{page}");
    assert!(page.contains("<legend>"));
    assert!(!page.contains(" checked"), "nothing pre-selected");
    let r = outsider
        .post(
            &format!("{base}/vraag/werk_nu"),
            &[("comment", "Bedoelen jullie ook vrijwilligerswerk?")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("<title>Fout: "), "{page}");
    assert!(page.contains("href=\"#a-werk_nu\""));
    let r = outsider
        .post(&format!("{base}/vraag/werk_nu"), &[("answer", "ja")])
        .await;
    assert_eq!(location(&r), format!("{base}/vraag/effect_leven"));

    // The rest of the questions, each type once, with one range error on the way.
    type Step<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a str);
    let steps: Vec<Step> = vec![
        ("effect_leven", vec![("answer", "beter")], "cijfer_steun"),
        ("cijfer_steun", vec![("answer", "7")], "steun_helpt"),
        (
            "steun_helpt",
            vec![
                ("answer", "jobcoach"),
                ("answer", "_other"),
                ("other_text", "Thuiswerken"),
            ],
            "uren_week",
        ),
        ("uren_week", vec![("answer", "24")], "eens_zeker"),
        ("eens_zeker", vec![("answer", "dont_know")], "wat_beter"),
        (
            "wat_beter",
            vec![("answer", "Meer begrip van collega's.")],
            "_closing",
        ),
    ];
    let r = outsider
        .post(&format!("{base}/vraag/uren_week"), &[("answer", "200")])
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("80"));
    let r = outsider
        .post(
            &format!("{base}/vraag/steun_helpt"),
            &[("answer", "niets"), ("answer", "jobcoach")],
        )
        .await;
    assert_eq!(r.status(), 422, "the exclusive option cannot be combined");
    for (id, fields, next) in steps {
        let r = outsider.post(&format!("{base}/vraag/{id}"), &fields).await;
        assert_eq!(r.status(), 303, "{id}");
        assert_eq!(location(&r), format!("{base}/vraag/{next}"), "{id}");
    }
    // Back keeps answers.
    let (_, page) = outsider.get_text(&format!("{base}/vraag/uren_week")).await;
    assert!(page.contains("value=\"24\""));
    // Skip the optional closing and evaluation questions.
    let mut current = "_closing".to_owned();
    loop {
        let r = outsider.post(&format!("{base}/vraag/{current}"), &[]).await;
        assert_eq!(r.status(), 303, "{current}");
        let to = location(&r);
        if to.ends_with("/controleren") {
            break;
        }
        current = to.rsplit('/').next().unwrap().to_owned();
    }
    let (_, check) = outsider.get_text(&format!("{base}/controleren")).await;
    assert!(check.contains("Controleer uw antwoorden"));
    assert!(check.contains("Een jobcoach"));
    assert!(check.contains("Thuiswerken"));
    assert!(check.contains("Weet ik niet"));
    assert!(check.contains("id=\"c-uren_week\""));
    // Changing werk_nu to nee hides the work questions and drops their answers.
    let r = outsider
        .post(
            &format!("{base}/vraag/werk_nu?terug=controleren"),
            &[("answer", "nee")],
        )
        .await;
    assert_eq!(location(&r), format!("{base}/controleren"));
    let (_, check) = outsider.get_text(&format!("{base}/controleren")).await;
    assert!(!check.contains("Wat doet uw werk met uw leven?"));
    // The hidden question's row is gone with its answer (a bare "24" can be in the CSRF token).
    assert!(!check.contains("id=\"c-uren_week\""));
    assert!(!check.contains(">24<"));
    // A forged answer to a hidden question is refused kindly.
    let r = outsider
        .post(&format!("{base}/vraag/uren_week"), &[("answer", "30")])
        .await;
    assert_eq!(r.status(), 409);
    assert!(r.text().await.unwrap().contains("hoort er nu niet bij"));

    let r = outsider.post(&format!("{base}/controleren"), &[]).await;
    assert_eq!(location(&r), format!("{base}/klaar"));
    let (_, done) = outsider.get_text(&format!("{base}/klaar")).await;
    assert!(done.contains("Uw antwoorden tellen niet mee"));

    // The manager sees the comment next to the question, and the pilot count.
    let (_, page) = mgr.get_text(&review).await;
    assert!(page.contains("Bedoelen jullie ook vrijwilligerswerk?"));
    assert!(page.contains("1 begonnen, 1 afgerond"));

    // Revoking the link closes the pilot at once.
    let link_id: i64 = page
        .split("/beheer/pilotlinks/")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let r = mgr
        .post(&format!("/beheer/pilotlinks/{link_id}/intrekken"), &[])
        .await;
    assert_eq!(r.status(), 303);
    let r = outsider.get(&format!("{base}/vraag/werk_nu")).await;
    assert_eq!(r.status(), 303);
    let r = outsider.get(&base).await;
    assert_eq!(r.status(), 403);
    app.stop().await;
}

#[tokio::test]
async fn a_manager_previews_without_a_link_and_one_page_polls_work() {
    let app = TestApp::with_panel().await;
    let mgr = app.manager().await;
    let mut flash: serde_json::Value =
        serde_json::from_str(include_str!("../panel-schemas/examples/flitspeiling.json")).unwrap();
    flash["one_page"] = serde_json::json!(true);
    let r = mgr.upload_questionnaire(&flash.to_string()).await;
    assert_eq!(r.status(), 303);
    let version: i64 = location(&r).rsplit('/').next().unwrap().parse().unwrap();
    let (status, intro) = mgr.get_text(&format!("/voorbeeld/{version}")).await;
    assert_eq!(status, 200);
    assert!(
        intro.contains(&format!("/voorbeeld/{version}/wie")),
        "first: who answers"
    );
    // Who answers: choosing nothing is an error; a choice leads to the questions.
    let r = mgr.post(&format!("/voorbeeld/{version}/wie"), &[]).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("<title>Fout: "));
    let r = mgr
        .post(
            &format!("/voorbeeld/{version}/wie"),
            &[("proxy", "with_help")],
        )
        .await;
    assert_eq!(location(&r), format!("/voorbeeld/{version}/alle"));
    let (_, page) = mgr.get_text(&format!("/voorbeeld/{version}/alle")).await;
    assert!(page.contains("name=\"answer.drempel\""));
    assert!(page.contains("name=\"answer.toelichting\""));
    let r = mgr
        .post(
            &format!("/voorbeeld/{version}/alle"),
            &[("answer.toelichting", "Te duur")],
        )
        .await;
    assert_eq!(r.status(), 422, "drempel is required");
    let page = r.text().await.unwrap();
    assert!(page.contains("href=\"#a-drempel\""));
    assert!(page.contains("Te duur"), "typed text is kept");
    let r = mgr
        .post(
            &format!("/voorbeeld/{version}/alle"),
            &[
                ("answer.drempel", "soms"),
                ("answer.toelichting", "Te duur"),
            ],
        )
        .await;
    assert_eq!(location(&r), format!("/voorbeeld/{version}/controleren"));
    let (_, check) = mgr
        .get_text(&format!("/voorbeeld/{version}/controleren"))
        .await;
    assert!(check.contains("Soms") && check.contains("Te duur"));
    assert!(
        check.contains("Ik vul in met hulp van iemand anders"),
        "who answered is on the check page"
    );
    // Coming back through the intro continues where the tester was.
    let (_, intro) = mgr.get_text(&format!("/voorbeeld/{version}")).await;
    assert!(intro.contains("Verder waar u was"));
    app.stop().await;
}
