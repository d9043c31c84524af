//! Questionnaires in the manager pages: upload, findings next to each question,
//! accepting findings, publishing, versions.

mod common;

use common::{Browser, TestApp};

const QUESTIONNAIRE: &str = include_str!("../panel-schemas/examples/questionnaire.json");
const FLASH: &str = include_str!("../panel-schemas/examples/flitspeiling.json");
const BAD_SENTENCE: &str = "Indien u gebruikmaakt van re-integratievoorzieningen conform de Participatiewet, wordt verzocht het formulier middels de antwoordenvelop te retourneren.";

/// Upload a file through the form; returns status, location (on success) and page.
async fn upload(browser: &Browser, json: &str) -> (u16, Option<String>, String) {
    let form = reqwest::multipart::Form::new()
        .text("csrf", browser.csrf.clone())
        .part(
            "file",
            reqwest::multipart::Part::bytes(json.as_bytes().to_vec()).file_name("vragenlijst.json"),
        );
    let r = browser
        .client
        .post(browser.url("/beheer/panels/ggz-panel/vragenlijsten"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let location = r
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned());
    (status, location, r.text().await.unwrap())
}

fn with_purpose(json: &str, purpose: &str) -> String {
    let mut value: serde_json::Value = serde_json::from_str(json).unwrap();
    value["purpose"] = serde_json::json!(purpose);
    serde_json::to_string_pretty(&value).unwrap()
}

#[tokio::test]
async fn reference_files_upload_without_findings_and_publish() {
    let app = TestApp::with_panel().await;
    let browser = app.manager().await;
    for file in [QUESTIONNAIRE, FLASH] {
        let (status, location, page) = upload(&browser, file).await;
        assert_eq!(status, 303, "{page}");
        let (status, page) = browser.get_text(&location.unwrap()).await;
        assert_eq!(status, 200);
        assert!(page.contains("Nog te beoordelen</dt><dd>0 /"), "{page}");
        assert!(
            page.contains("Dit past ongeveer bij taalniveau B1"),
            "{page}"
        );
    }
    let (_, list) = browser
        .get_text("/beheer/panels/ggz-panel/vragenlijsten")
        .await;
    assert!(list.contains("Wat betekent betaald werk voor u?"));
    assert!(list.contains("Korte vraag over reiskosten"));
    app.stop().await;
}

#[tokio::test]
async fn the_bad_sentence_is_flagged_and_must_be_accepted_before_publishing() {
    let app = TestApp::with_panel().await;
    let browser = app.manager().await;
    let (status, location, page) =
        upload(&browser, &with_purpose(QUESTIONNAIRE, BAD_SENTENCE)).await;
    assert_eq!(status, 303, "{page}");
    let path = location.unwrap();
    let (_, page) = browser.get_text(&path).await;
    for expected in [
        "Schrijf liever: ‘als’",
        "Schrijf liever: ‘volgens’",
        "Schrijf liever: ‘met’",
        "Schrijf liever: ‘terugsturen’",
        "Participatiewet",
        "re-integratievoorzieningen",
        "wordt verzocht",
        "Deze zin heeft 17 woorden",
    ] {
        assert!(page.contains(expected), "{expected} missing");
    }
    // Publishing with open findings is refused and nothing is published.
    let r = browser.post(&format!("{path}/publiceren"), &[]).await;
    assert_eq!(r.status(), 409);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("opmerking(en) te beoordelen")
    );

    // Accept every finding (the checkboxes on the page), then publish.
    let keys: Vec<String> = page
        .split("name=\"key\" value=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_owned())
        .collect();
    assert!(keys.len() >= 8, "{} findings", keys.len());
    let mut fields: Vec<(&str, &str)> = keys.iter().map(|k| ("key", k.as_str())).collect();
    fields.push(("reason", "Besproken met de klankbordgroep"));
    let r = browser.post(&format!("{path}/accepteren"), &fields).await;
    assert_eq!(r.status(), 303);
    let (_, page) = browser.get_text(&path).await;
    assert!(page.contains("Nog te beoordelen</dt><dd>0 /"));
    assert!(page.contains("Besproken met de klankbordgroep"));
    let r = browser.post(&format!("{path}/publiceren"), &[]).await;
    assert_eq!(r.status(), 303);
    let (_, page) = browser.get_text(&path).await;
    assert!(page.contains("Gepubliceerd"));

    // An edit of the published version makes version 2; version 1 stays as it was.
    // The findings that are still there stay accepted; a changed text must be reviewed.
    let edited = with_purpose(
        QUESTIONNAIRE,
        &format!("{BAD_SENTENCE} Wij doen dit teneinde u te helpen."),
    );
    let r = browser
        .post(&format!("{path}/bewerken"), &[("json", edited.as_str())])
        .await;
    assert_eq!(r.status(), 303);
    let v2 = r.headers()["location"].to_str().unwrap().to_owned();
    assert_ne!(v2, path);
    let (_, page) = browser.get_text(&v2).await;
    assert!(page.contains("versie 2"));
    let open: usize = page
        .split("Nog te beoordelen</dt><dd>")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        open >= 1 && open < keys.len(),
        "{open} open of {}",
        keys.len()
    );
    let r = browser
        .post(&format!("{v2}/bewerken"), &[("json", QUESTIONNAIRE)])
        .await;
    assert_eq!(r.status(), 303);
    let v3 = r.headers()["location"].to_str().unwrap().to_owned();
    let (_, page) = browser.get_text(&v3).await;
    assert!(page.contains("versie 3"));
    assert!(page.contains("Concept"));
    let (_, page) = browser.get_text(&path).await;
    assert!(
        page.contains("Indien u gebruikmaakt"),
        "version 1 unchanged"
    );
    app.stop().await;
}

#[tokio::test]
async fn bad_files_are_refused_with_their_problems_and_nothing_is_stored() {
    let app = TestApp::with_panel().await;
    let browser = app.manager().await;
    // Malformed JSON: line and column.
    let (status, _, page) = upload(&browser, "{\n  \"id\": \"x\",\n  \"title\": \n}").await;
    assert_eq!(status, 422);
    assert!(page.contains("regel 4"), "{page}");
    // Unknown field.
    let mut value: serde_json::Value = serde_json::from_str(QUESTIONNAIRE).unwrap();
    value["questions"][0]["tekst"] = serde_json::json!("typo");
    let (status, _, page) = upload(&browser, &value.to_string()).await;
    assert_eq!(status, 422);
    assert!(page.contains("$.questions[0].tekst"), "{page}");
    // A flash poll with 6 questions.
    let mut value: serde_json::Value = serde_json::from_str(FLASH).unwrap();
    let q = value["questions"][1].clone();
    for i in 0..4 {
        let mut extra = q.clone();
        extra["id"] = serde_json::json!(format!("extra{i}"));
        value["questions"].as_array_mut().unwrap().push(extra);
    }
    let (status, _, page) = upload(&browser, &value.to_string()).await;
    assert_eq!(status, 422);
    assert!(page.contains("$.questions"), "{page}");
    // Eligibility on a variable the panel does not have.
    let mut value: serde_json::Value = serde_json::from_str(QUESTIONNAIRE).unwrap();
    value["eligibility"] = serde_json::json!({"schoenmaat": ["42"]});
    let (status, _, page) = upload(&browser, &value.to_string()).await;
    assert_eq!(status, 422);
    assert!(page.contains("$.eligibility"), "{page}");
    // Too large.
    let big = format!("{{\"x\": \"{}\"}}", "a".repeat(1_100_000));
    let (status, _, _) = upload(&browser, &big).await;
    assert!(status == 422 || status == 413, "{status}");
    let (_, list) = browser
        .get_text("/beheer/panels/ggz-panel/vragenlijsten")
        .await;
    assert!(list.contains("Er zijn nog geen vragenlijsten"));
    app.stop().await;
}
