//! Flash polls answered in a minute: the invitation carries the first question's options
//! as links; a link opens the poll with that answer chosen, and nothing is stored until
//! the member sends the page (mail scanners follow links).

mod common;

use common::fieldwork::{Policy, members, panel, plan, published_version_of, runner, scheduled};
use common::{Browser, ClockExt, TestApp};
use klankbord::domain::ids::OptionValue;
use klankbord::domain::questionnaire::AnswerValue;
use klankbord::store::responses;

const POLL: &str = include_str!("../panel-schemas/examples/flitspeiling.json");

/// Follow redirects by hand (the test browser does not), returning each address visited
/// and the last page.
async fn walk(browser: &Browser, path: &str) -> (Vec<String>, u16, String) {
    let mut visited = vec![path.to_owned()];
    let mut response = browser.get(path).await;
    while let Some(location) = response.headers().get("location") {
        let next = location.to_str().unwrap().to_owned();
        visited.push(next.clone());
        response = browser.get(&next).await;
    }
    let status = response.status().as_u16();
    (visited, status, response.text().await.unwrap())
}

/// The stored answers of the only member's response, if a response was started.
async fn stored(
    app: &TestApp,
    survey_id: i64,
    member_id: i64,
) -> Option<klankbord::domain::questionnaire::Answers> {
    let m = klankbord::store::members::get(&app.db, member_id)
        .await
        .unwrap();
    let r = responses::response_for(&app.db, survey_id, &m.pseudonym)
        .await
        .unwrap()?;
    Some(responses::answers(&app.db, r.id).await.unwrap())
}

#[tokio::test]
async fn a_quick_link_preselects_the_answer_and_only_sending_stores_it() {
    let app = TestApp::spawn().await;
    let now = app.clock.now_utc();
    let panel = panel(&app.db, &Policy::default(), now).await;
    let ids = members(&app.db, 1, now, |_| vec![("rol", "ervaring")]).await;
    let version = published_version_of(&app, &panel, POLL).await;
    let survey = scheduled(&app, &panel, &plan(version, "Reiskosten", now, None)).await;
    runner(&app).run_due().await.unwrap();
    let mail = app.deliver_mail().await;
    assert_eq!(mail.len(), 1);
    let mail = &mail[0];
    // The first question and a link per option, in both bodies.
    assert!(
        mail.text
            .contains("Zijn reiskosten voor u een reden om niet te gaan werken?")
    );
    for value in ["ja", "soms", "nee"] {
        assert!(
            mail.text.contains(&format!("?keuze={value}")),
            "{value} in {}",
            mail.text
        );
        assert!(
            mail.html.contains(&format!("?keuze={value}\"")),
            "{value} in html"
        );
    }
    let link = mail.path("/uitnodiging/");
    let token_link = link.split('?').next().unwrap().to_owned();

    // Opening the "Soms" link (as a mail scanner would) stores nothing.
    let browser = app.browser().await;
    let (visited, status, page) = walk(&browser, &format!("{token_link}?keuze=soms")).await;
    assert_eq!(status, 200);
    assert!(
        visited.last().unwrap().ends_with("/wie?keuze=soms"),
        "{visited:?}"
    );
    assert!(page.contains(r#"name="keuze" value="soms""#));
    assert_eq!(
        stored(&app, survey, ids[0]).await.unwrap_or_default().len(),
        0
    );

    // Who answers, then the question with "Soms" chosen — still not stored.
    let base = visited
        .last()
        .unwrap()
        .split("/wie")
        .next()
        .unwrap()
        .to_owned();
    let r = browser
        .post(
            &format!("{base}/wie"),
            &[("proxy", "alone"), ("keuze", "soms")],
        )
        .await;
    let next = r.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(next, format!("{base}/vraag/drempel?keuze=soms"));
    let (_, page) = browser.get_text(&next).await;
    assert!(page.contains(r#"value="soms" checked"#), "{page}");
    assert!(!page.contains(r#"value="ja" checked"#));
    assert!(page.contains("U koos in de e-mail: Soms."));
    assert!(stored(&app, survey, ids[0]).await.unwrap().is_empty());

    // Sending the page stores it.
    let r = browser
        .post(&format!("{base}/vraag/drempel"), &[("answer", "soms")])
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let answers = stored(&app, survey, ids[0]).await.unwrap();
    assert_eq!(
        answers.get("drempel"),
        Some(&AnswerValue::Choice(OptionValue::parse("soms").unwrap()))
    );

    // Another quick link later does not change or preselect over the stored answer.
    let (visited, status, _) = walk(&browser, &format!("{token_link}?keuze=nee")).await;
    assert_eq!(status, 200);
    assert!(
        !visited.iter().any(|v| v.contains("/vraag/drempel")),
        "{visited:?}"
    );
    let (_, page) = browser
        .get_text(&format!("{base}/vraag/drempel?keuze=nee"))
        .await;
    assert!(page.contains(r#"value="soms" checked"#));
    assert!(!page.contains("U koos in de e-mail"));
    assert_eq!(
        stored(&app, survey, ids[0]).await.unwrap().get("drempel"),
        Some(&AnswerValue::Choice(OptionValue::parse("soms").unwrap()))
    );
}

#[tokio::test]
async fn a_forged_choice_opens_the_plain_start_page() {
    let app = TestApp::spawn().await;
    let now = app.clock.now_utc();
    let panel = panel(&app.db, &Policy::default(), now).await;
    members(&app.db, 1, now, |_| vec![("rol", "ervaring")]).await;
    let version = published_version_of(&app, &panel, POLL).await;
    scheduled(&app, &panel, &plan(version, "Reiskosten", now, None)).await;
    runner(&app).run_due().await.unwrap();
    let link = app.deliver_mail().await[0].path("/uitnodiging/");
    let token_link = link.split('?').next().unwrap().to_owned();
    for forged in ["misschien", "%0D%0ALocation:%20x", "ja%26keuze%3Dnee"] {
        let browser = app.browser().await;
        let (visited, status, page) = walk(&browser, &format!("{token_link}?keuze={forged}")).await;
        assert_eq!(status, 200, "{forged}: {visited:?}");
        assert!(!page.contains("U koos in de e-mail"), "{forged}");
        let last = visited.last().unwrap();
        assert!(
            last.starts_with("/vragenlijst/") && !last.contains('?'),
            "{forged}: {visited:?}"
        );
    }
}
