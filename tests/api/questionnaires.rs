//! Questionnaires through the API: upload with every problem reported, the review with
//! its plain-language findings and suggestions, accepting and publishing, edits into new
//! versions, and pilot links that work in a browser until revoked.

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::TestApp;
use crate::{Api, paths};

const QUESTIONNAIRE: &str = include_str!("../../panel-schemas/examples/questionnaire.json");
const FLASH: &str = include_str!("../../panel-schemas/examples/flitspeiling.json");
const BAD_SENTENCE: &str = "Indien u gebruikmaakt van re-integratievoorzieningen conform de Participatiewet, wordt verzocht het formulier middels de antwoordenvelop te retourneren.";
const UPLOAD: &str = "/api/v1/panels/ggz-panel/questionnaires";

fn with_purpose(json: &str, purpose: &str) -> String {
    let mut value: Value = serde_json::from_str(json).unwrap();
    value["purpose"] = json!(purpose);
    serde_json::to_string_pretty(&value).unwrap()
}

fn version_path(id: &Value) -> String {
    format!("/api/v1/questionnaire-versions/{}", id.as_i64().unwrap())
}

/// Upload a file that must be stored; returns the body (version and review).
async fn upload(api: &Api, file: &str) -> Value {
    let (status, body) = api.post_file(UPLOAD, file).await;
    assert_eq!(status, 201, "{body}");
    body
}

/// The problems of a refused upload, as (path, code).
async fn refused(api: &Api, path: &str, file: impl Into<Vec<u8>>) -> Vec<(String, String)> {
    let (status, body) = api.post_file(path, file).await;
    assert_eq!((status, body["error"].as_str()), (422, Some("validation")));
    paths(&body)
}

#[tokio::test]
async fn reference_files_upload_without_findings_and_publish() {
    let app = TestApp::with_panel().await;
    let api = Api::admin(&app).await;
    for file in [QUESTIONNAIRE, FLASH] {
        let body = upload(&api, file).await;
        let version = &body["version"];
        assert_eq!(version["version"], 1);
        assert_eq!(version["published_at"], Value::Null);
        assert_eq!(body["review"]["findings"], json!([]), "{body}");
        assert_eq!(body["review"]["open"], 0);
        assert_eq!(body["review"]["readability"]["b1_or_easier"], true);

        let path = version_path(&version["id"]);
        let (status, detail) = api.get(&path).await;
        assert_eq!(status, 200);
        let original: Value = serde_json::from_str(file).unwrap();
        assert_eq!(detail["definition"], original);
        assert_eq!(detail["slug"], original["id"]);
        assert_eq!(detail["pilots"], json!({"started": 0, "finished": 0}));
        assert_eq!(detail["comments"], json!([]));

        let (status, published) = api
            .send(Method::POST, &format!("{path}/publish"), &json!({}))
            .await;
        assert_eq!(status, 200, "{published}");
        assert!(published["published_at"].is_string());
        let (status, body) = api
            .send(Method::POST, &format!("{path}/publish"), &json!({}))
            .await;
        assert_eq!(
            (status, body["error"].as_str()),
            (409, Some("already_published"))
        );
    }
    let (status, list) = api.get(UPLOAD).await;
    assert_eq!(status, 200);
    let titles: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["versions"][0]["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles.len(), 2);
    assert!(
        titles.contains(&"Wat betekent betaald werk voor u?"),
        "{list}"
    );
    assert!(titles.contains(&"Korte vraag over reiskosten"), "{list}");
    let kinds: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["versions"][0]["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"flitspeiling") && kinds.contains(&"vragenlijst"));
    let (status, _) = api.get("/api/v1/panels/geen-panel/questionnaires").await;
    assert_eq!(status, 404);
    app.stop().await;
}

/// The language finding at `excerpt` with `code`: (message, suggestion).
fn finding<'a>(findings: &'a [Value], code: &str, excerpt: &str) -> (&'a str, Option<&'a str>) {
    let f = findings
        .iter()
        .find(|f| f["code"] == code && f["excerpt"] == excerpt)
        .unwrap_or_else(|| panic!("no {code} finding for {excerpt}"));
    assert_eq!(f["path"], "$.purpose");
    assert_eq!(f["source"], "language");
    assert!(f["key"].as_str().is_some_and(|k| !k.is_empty()));
    (f["message"].as_str().unwrap(), f["suggestion"].as_str())
}

#[tokio::test]
async fn the_bad_sentence_is_flagged_and_must_be_accepted_before_publishing() {
    let app = TestApp::with_panel().await;
    let api = Api::admin(&app).await;
    let bad = with_purpose(QUESTIONNAIRE, BAD_SENTENCE);
    let body = upload(&api, &bad).await;
    let findings = body["review"]["findings"].as_array().unwrap().clone();

    // Each problem of the sentence, with its suggestion.
    for (word, suggestion) in [
        ("Indien", "als"),
        ("conform", "volgens"),
        ("middels", "met"),
        ("retourneren", "terugsturen"),
    ] {
        let (message, found) = finding(&findings, "jargon", word);
        assert_eq!(found, Some(suggestion), "{word}");
        assert!(message.contains(word), "{message}");
    }
    let (_, found) = finding(&findings, "jargon", "Participatiewet");
    assert!(found.is_some_and(|s| s.contains("wet")), "{found:?}");
    let (_, found) = finding(&findings, "jargon", "re-integratievoorzieningen");
    assert!(found.is_some(), "re-integratie has an alternative");
    let (_, found) = finding(&findings, "passive_voice", "wordt verzocht");
    assert_eq!(found, Some("Wij vragen u …"));
    for word in ["re-integratievoorzieningen", "antwoordenvelop"] {
        let (message, _) = finding(&findings, "long_word", word);
        assert!(message.contains("Kies een korter woord"), "{message}");
    }
    let (message, _) = finding(&findings, "long_sentence", BAD_SENTENCE);
    assert!(message.contains("Deze zin heeft 17 woorden"), "{message}");
    assert!(message.contains("Maak er twee of meer korte zinnen van"));

    // Every finding has its own key.
    let keys: Vec<String> = findings
        .iter()
        .map(|f| f["key"].as_str().unwrap().to_owned())
        .collect();
    let distinct: std::collections::BTreeSet<_> = keys.iter().collect();
    assert_eq!(distinct.len(), keys.len(), "{keys:?}");
    let open = keys.len() as u64;
    assert!(open >= 12, "{open} findings");
    assert_eq!(body["review"]["open"], open);

    // In English on request.
    let path = version_path(&body["version"]["id"]);
    let (_, detail) = api.get(&format!("{path}?lang=en")).await;
    let english = detail["review"]["findings"].as_array().unwrap();
    let (message, _) = finding(english, "long_sentence", BAD_SENTENCE);
    assert!(message.contains("17 words"), "{message}");

    // Publishing is refused while findings are open.
    let publish = format!("{path}/publish");
    let (status, body) = api.send(Method::POST, &publish, &json!({})).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("open_findings"))
    );
    assert_eq!(body["open_findings"], open);
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains(&open.to_string())
    );

    // Accept some, with a key that is no finding; then the rest.
    let accept = format!("{path}/acceptances");
    let (status, body) = api
        .send(
            Method::POST,
            &accept,
            &json!({"keys": [keys[0], keys[1], "geen-bevinding"]}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, json!({"accepted": 2, "ignored": 1, "open": open - 2}));
    let (status, body) = api.send(Method::POST, &publish, &json!({})).await;
    assert_eq!(
        (status, body["open_findings"].as_u64()),
        (409, Some(open - 2))
    );

    let (status, body) = api.send(Method::POST, &accept, &json!({"keys": []})).await;
    assert_eq!(
        (status, body["problems"][0]["path"].as_str()),
        (422, Some("$.keys"))
    );
    let (status, body) = api
        .send(
            Method::POST,
            &accept,
            &json!({"keys": [keys[2]], "reden": "x"}),
        )
        .await;
    assert_eq!(
        (status, body["problems"][0]["path"].as_str()),
        (422, Some("$.reden"))
    );

    let reason = "Besproken met de klankbordgroep";
    let (status, body) = api
        .send(
            Method::POST,
            &accept,
            &json!({"keys": keys, "reason": reason}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (body["accepted"].as_u64(), body["open"].as_u64()),
        (Some(open), Some(0))
    );
    let (_, detail) = api.get(&path).await;
    let accepted: Vec<&Value> = detail["review"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| &f["accepted"])
        .collect();
    assert!(accepted.iter().all(|a| a["manager_id"] == api.manager_id));
    assert_eq!(
        accepted[0]["reason"],
        Value::Null,
        "the first acceptance stays"
    );
    assert_eq!(accepted[2]["reason"], reason);

    let (status, body) = api.send(Method::POST, &publish, &json!({})).await;
    assert_eq!(status, 200, "{body}");

    // An edit makes version 2; the published version 1 stays as it was.
    let (status, body) = api
        .post_file(&format!("{path}/versions"), QUESTIONNAIRE)
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["version"]["version"], 2);
    assert_eq!(body["version"]["published_at"], Value::Null);
    assert_eq!(body["review"]["findings"], json!([]));
    let (_, v1) = api.get(&path).await;
    assert_eq!(
        v1["definition"],
        serde_json::from_str::<Value>(&bad).unwrap()
    );
    assert!(v1["version"]["published_at"].is_string());
    assert_eq!(v1["versions"].as_array().unwrap().len(), 2);

    // An edit may not change the questionnaire's id.
    let mut other: Value = serde_json::from_str(QUESTIONNAIRE).unwrap();
    other["id"] = json!("iets-anders");
    let problems = refused(&api, &format!("{path}/versions"), other.to_string()).await;
    assert_eq!(problems, [("$.id".to_owned(), "other_id".to_owned())]);
    let (_, list) = api.get(UPLOAD).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["versions"].as_array().unwrap().len(), 2);
    app.stop().await;
}

#[tokio::test]
async fn bad_files_are_refused_with_their_problems_and_nothing_is_stored() {
    let app = TestApp::with_panel().await;
    let api = Api::admin(&app).await;

    // Malformed JSON: line and column.
    let (status, body) = api
        .post_file(UPLOAD, "{\n  \"id\": \"x\",\n  \"title\": \n}")
        .await;
    assert_eq!(status, 422, "{body}");
    let problem = &body["problems"][0];
    assert_eq!(problem["line"], 4, "{body}");
    assert!(problem["column"].as_u64().is_some(), "{body}");
    assert!(problem["message"].as_str().unwrap().contains("regel 4"));

    // Unknown field: its path.
    let mut value: Value = serde_json::from_str(QUESTIONNAIRE).unwrap();
    value["questions"][0]["tekst"] = json!("typo");
    let problems = refused(&api, UPLOAD, value.to_string()).await;
    assert!(
        problems
            .iter()
            .any(|(path, _)| path == "$.questions[0].tekst"),
        "{problems:?}"
    );

    // A flash poll with 6 questions.
    let mut value: Value = serde_json::from_str(FLASH).unwrap();
    let q = value["questions"][1].clone();
    for i in 0..4 {
        let mut extra = q.clone();
        extra["id"] = json!(format!("extra{i}"));
        value["questions"].as_array_mut().unwrap().push(extra);
    }
    let problems = refused(&api, UPLOAD, value.to_string()).await;
    assert!(
        problems.iter().any(|(p, _)| p.starts_with("$.questions")),
        "{problems:?}"
    );

    // Eligibility on a variable the panel lacks; a panel file; nothing at all.
    let mut value: Value = serde_json::from_str(QUESTIONNAIRE).unwrap();
    value["eligibility"] = json!({"schoenmaat": ["42"]});
    let problems = refused(&api, UPLOAD, value.to_string()).await;
    assert!(
        problems.iter().any(|(p, _)| p.starts_with("$.eligibility")),
        "{problems:?}"
    );
    let panel = include_str!("../../panel-schemas/examples/panel.json");
    let problems = refused(&api, UPLOAD, panel).await;
    assert_eq!(
        problems,
        [("$".to_owned(), "upload.not_a_questionnaire".to_owned())]
    );
    let problems = refused(&api, UPLOAD, " \n").await;
    assert_eq!(problems, [("$".to_owned(), "upload.empty".to_owned())]);

    // Larger than the limit: refused before it is read.
    let big = format!(
        "{{\"x\": \"{}\"}}",
        "a".repeat(klankbord::service::questionnaires::MAX_BYTES)
    );
    let (status, body) = api.post_file(UPLOAD, big).await;
    assert_eq!((status, body["error"].as_str()), (413, Some("too_large")));

    let (_, list) = api.get(UPLOAD).await;
    assert_eq!(list, json!([]), "nothing stored");
    let (status, _) = api
        .post_file("/api/v1/questionnaire-versions/999/versions", QUESTIONNAIRE)
        .await;
    assert_eq!(status, 404);
    app.stop().await;
}

#[tokio::test]
async fn a_pilot_link_from_the_api_works_in_a_browser_until_revoked() {
    let app = TestApp::with_panel().await;
    let api = Api::admin(&app).await;
    let body = upload(&api, QUESTIONNAIRE).await;
    let version = body["version"]["id"].as_i64().unwrap();
    let links = format!("/api/v1/questionnaire-versions/{version}/pilot-links");

    let (status, body) = api
        .send(Method::POST, &links, &json!({"label": "  "}))
        .await;
    assert_eq!(
        (status, body["problems"][0]["path"].as_str()),
        (422, Some("$.label"))
    );
    let (status, body) = api
        .send(Method::POST, &links, &json!({"label": "Jan", "dagen": 3}))
        .await;
    assert_eq!(
        (status, body["problems"][0]["code"].as_str()),
        (422, Some("unknown_field"))
    );
    let (status, _) = api
        .send(
            Method::POST,
            "/api/v1/questionnaire-versions/999/pilot-links",
            &json!({"label": "Jan"}),
        )
        .await;
    assert_eq!(status, 404);

    let (status, created) = api
        .send(
            Method::POST,
            &links,
            &json!({"label": "Jan, ervaringsdeskundige"}),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let url = created["url"].as_str().unwrap();
    let prefix = format!("{}/voorbeeld/{version}?toegang=", app.base);
    assert!(url.starts_with(&prefix), "{url}");
    assert_eq!(created["label"], "Jan, ervaringsdeskundige");
    assert!(created["expires_at"].is_string());

    // The list shows the link, never its address or secret.
    let (status, list) = api.get(&links).await;
    assert_eq!(status, 200);
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["id"], created["id"]);
    let secret = url.trim_start_matches(&prefix);
    assert!(!list.to_string().contains(secret));
    assert!(list[0].get("url").is_none());

    // An outsider opens the link.
    let outsider = app.browser().await;
    let r = outsider.get(url.trim_start_matches(&app.base)).await;
    assert_eq!(r.status(), 303, "the token leaves the address bar");
    let base = format!("/voorbeeld/{version}");
    let (status, intro) = outsider.get_text(&base).await;
    assert_eq!(status, 200);
    assert!(intro.contains("Dit is een proef"), "{intro}");
    let r = outsider
        .post(
            &format!("{base}/vraag/werk_nu"),
            &[
                ("answer", "ja"),
                ("comment", "Bedoelen jullie ook vrijwilligerswerk?"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);

    // The manager sees the comment at its question, and the pilot count.
    let (_, detail) = api.get(&version_path(&json!(version))).await;
    assert_eq!(detail["pilots"]["started"], 1);
    assert_eq!(
        detail["comments"],
        json!([{
            "question_id": "werk_nu",
            "number": 1,
            "comments": [{
                "comment": "Bedoelen jullie ook vrijwilligerswerk?",
                "created_at": detail["comments"][0]["comments"][0]["created_at"],
            }],
        }])
    );

    // Revoked: closed at once, for the running session and for the link.
    let link = format!("/api/v1/pilot-links/{}", created["id"]);
    let (status, _) = api.send(Method::DELETE, &link, &json!({})).await;
    assert_eq!(status, 204);
    let r = outsider.get(&format!("{base}/vraag/werk_nu")).await;
    assert_eq!(r.status(), 303);
    let r = outsider.get(&base).await;
    assert_eq!(r.status(), 403);
    let stranger = app.browser().await;
    let r = stranger.get(url.trim_start_matches(&app.base)).await;
    assert_ne!(r.status(), 303, "the link opens nothing");
    let (_, list) = api.get(&links).await;
    assert!(list[0]["revoked_at"].is_string());
    let (status, _) = api
        .send(Method::DELETE, "/api/v1/pilot-links/999", &json!({}))
        .await;
    assert_eq!(status, 404);
    app.stop().await;
}
