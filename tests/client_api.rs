//! Outside organisations (*opdrachtgevers*) through their API and the manager's pages
//! for requests and client keys: a client sees only its own requests, a key does only
//! what its scopes allow, a revoked key stops at once, and a report keeps small groups
//! hidden and never holds open answers or contact data.

mod common;

use common::respondents::{answered_survey, answers, choice};
use common::{ClockExt, TestApp};
use klankbord::domain::client_access::Scopes;
use klankbord::domain::client_request::{MissionChecklist, RequestForm, Transition};
use klankbord::domain::questionnaire::{AnswerValue, QuestionId};
use klankbord::domain::themes::ThemeInput;
use klankbord::service::client_requests::{manager_actor, submit, transition};
use klankbord::service::themes::{code_answer, save_theme};
use klankbord::store::client_requests as store;
use klankbord::store::results::finished_responses;
use klankbord::store::{api_tokens, client_tokens, managers};
use reqwest::StatusCode;
use serde_json::{Value, json};

const ALL: [&str; 3] = ["requests:read", "requests:write", "reports:read"];

/// A client of the reference panel and a key for it with `scopes`.
async fn client_key(app: &TestApp, name: &str, scopes: &[&str]) -> (i64, String) {
    let now = app.clock.now_utc();
    let client = store::client_named(&app.db, "ggz-panel", name, now)
        .await
        .unwrap();
    let scopes = Scopes::parse(scopes.iter().copied()).unwrap();
    let (_, secret) = client_tokens::create(&app.db, client.id, "tests", &scopes, "manager:1", now)
        .await
        .unwrap();
    (client.id, secret)
}

async fn call(
    app: &TestApp,
    key: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = reqwest::Client::new()
        .request(method, format!("{}{path}", app.base))
        .bearer_auth(key);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

async fn get(app: &TestApp, key: &str, path: &str) -> (StatusCode, Value) {
    call(app, key, reqwest::Method::GET, path, None).await
}

fn new_request(topic: &str) -> Value {
    json!({
        "contact_name": "Sanne de Vries",
        "contact_email": "sanne@utrecht.example",
        "topic": topic,
        "purpose": "Weten wat mensen merken van de nieuwe regels.",
        "use_of_results": "Het beleid aanpassen en de uitkomsten delen.",
        "target": {"rol": ["ervaring"]},
        "completes": 150,
        "start_on": "2027-01-11",
        "end_on": "2027-01-25",
        "budget_euros": 2500
    })
}

fn ids(list: &Value) -> Vec<i64> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn a_client_sees_only_its_own_requests() {
    let app = TestApp::with_panel().await;
    let (_, a) = client_key(&app, "Gemeente Utrecht", &ALL).await;
    let (_, b) = client_key(&app, "Zorgverzekeraar Noord", &ALL).await;
    let post = reqwest::Method::POST;

    let (status, made_a) = call(
        &app,
        &a,
        post.clone(),
        "/api/v1/client/requests",
        Some(new_request("Wmo")),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{made_a}");
    assert_eq!(made_a["state"], "aangevraagd");
    assert_eq!(made_a["budget_cents"], 250_000);
    assert_eq!(made_a["target"], json!({"rol": ["ervaring"]}));
    let (status, made_b) = call(
        &app,
        &b,
        post,
        "/api/v1/client/requests",
        Some(new_request("Vervoer")),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let (id_a, id_b) = (
        made_a["id"].as_i64().unwrap(),
        made_b["id"].as_i64().unwrap(),
    );

    // Each list holds only the caller's own request.
    assert_eq!(
        ids(&get(&app, &a, "/api/v1/client/requests").await.1),
        vec![id_a]
    );
    assert_eq!(
        ids(&get(&app, &b, "/api/v1/client/requests").await.1),
        vec![id_b]
    );

    // Another client's request is "not found", exactly as one that does not exist.
    for path in [
        format!("/api/v1/client/requests/{id_b}"),
        format!("/api/v1/client/requests/{id_b}/report"),
    ] {
        let (status, body) = get(&app, &a, &path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(body["error"], "not_found");
        assert!(!body.to_string().contains("Vervoer"));
    }
    let (status, missing) = get(&app, &a, "/api/v1/client/requests/999999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        missing,
        get(&app, &a, &format!("/api/v1/client/requests/{id_b}"))
            .await
            .1
    );

    // A client key opens no manager operation (members are microdata), and a
    // manager's key is no client key.
    for path in [
        "/api/v1/panels",
        "/api/v1/panels/ggz-panel/members",
        "/api/v1/panels/ggz-panel/composition",
    ] {
        assert_eq!(
            get(&app, &a, path).await.0,
            StatusCode::UNAUTHORIZED,
            "{path}"
        );
    }
    let now = app.clock.now_utc();
    let manager = managers::create(
        &app.db,
        "beheer@voorbeeld.nl",
        "Beheerder",
        "geheim-wachtwoord",
        klankbord::store::managers::ManagerRole::Admin,
        now,
    )
    .await
    .unwrap();
    let (_, manager_key) = api_tokens::create(&app.db, manager.id, "tests", now)
        .await
        .unwrap();
    let (status, _) = get(&app, &manager_key, "/api/v1/client/requests").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = get(&app, "kbc_not-a-key", "/api/v1/client/requests").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_key_does_only_what_its_scopes_allow() {
    let app = TestApp::with_panel().await;
    let (_, read_only) = client_key(&app, "Gemeente Utrecht", &["requests:read"]).await;
    let (status, body) = call(
        &app,
        &read_only,
        reqwest::Method::POST,
        "/api/v1/client/requests",
        Some(new_request("Wmo")),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["error"], "insufficient_scope");
    assert!(
        body["message"].as_str().unwrap().contains("requests:write"),
        "{body}"
    );
    assert!(store::list(&app.db, "ggz-panel").await.unwrap().is_empty());

    let (_, writer) = client_key(&app, "Gemeente Utrecht", &["requests:write"]).await;
    let (status, made) = call(
        &app,
        &writer,
        reqwest::Method::POST,
        "/api/v1/client/requests",
        Some(new_request("Wmo")),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    // Writing is not reading: the write-only key cannot list or fetch a report.
    assert_eq!(
        get(&app, &writer, "/api/v1/client/requests").await.0,
        StatusCode::FORBIDDEN
    );
    let report = format!("/api/v1/client/requests/{}/report", made["id"]);
    assert_eq!(
        get(&app, &read_only, &report).await.0,
        StatusCode::FORBIDDEN
    );
    // The read-only key of the same client sees the request.
    assert_eq!(
        ids(&get(&app, &read_only, "/api/v1/client/requests").await.1).len(),
        1
    );
}

#[tokio::test]
async fn a_bad_request_is_refused_with_every_problem_and_nothing_is_stored() {
    let app = TestApp::with_panel().await;
    let (_, key) = client_key(&app, "Gemeente Utrecht", &ALL).await;
    let mut body = new_request("Wmo");
    body["completes"] = json!(0);
    body["contact_email"] = json!("geen-adres");
    body["start_on"] = json!("2020-01-01");
    body["target"] = json!({"rol": ["astronaut"]});
    let (status, refused) = call(
        &app,
        &key,
        reqwest::Method::POST,
        "/api/v1/client/requests?lang=en",
        Some(body),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    let paths: Vec<&str> = refused["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["path"].as_str().unwrap())
        .collect();
    for path in ["$.completes", "$.contact_email", "$.start_on", "$.target"] {
        assert!(paths.contains(&path), "{path} in {paths:?}");
    }
    assert!(refused["message"].as_str().unwrap().contains("not saved"));
    // A budget with cents is not a whole number of euros: refused by the JSON check.
    let mut body = new_request("Wmo");
    body["budget_euros"] = json!(2500.5);
    let (status, refused) = call(
        &app,
        &key,
        reqwest::Method::POST,
        "/api/v1/client/requests",
        Some(body),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused["problems"][0]["path"], "$.budget_euros");
    assert!(store::list(&app.db, "ggz-panel").await.unwrap().is_empty());
}

#[tokio::test]
async fn a_revoked_key_stops_at_once_and_the_pages_show_the_key_only_once() {
    let app = TestApp::with_panel().await;
    let manager = app.manager().await;
    let client = store::client_named(
        &app.db,
        "ggz-panel",
        "Gemeente Utrecht",
        app.clock.now_utc(),
    )
    .await
    .unwrap();
    let page = format!("/beheer/opdrachtgevers/{}", client.id);
    let keys = format!("{page}/sleutels");

    // No scope ticked: the form comes back with the problem; no key is made.
    let response = manager.post(&keys, &[("name", "rapportage")]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Kies minstens één ding dat de sleutel mag.")
    );
    assert!(
        client_tokens::list(&app.db, client.id)
            .await
            .unwrap()
            .is_empty()
    );

    let response = manager
        .post(
            &keys,
            &[("name", "rapportage"), ("scope_requests_read", "ja")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let text = response.text().await.unwrap();
    let start = text.find("kbc_").expect("the new key is shown");
    let secret: String = text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    assert_eq!(
        get(&app, &secret, "/api/v1/client/requests").await.0,
        StatusCode::OK
    );
    // The key is not stored, and the page never shows it again.
    let (_, again) = manager.get_text(&page).await;
    assert!(!again.contains(&secret));
    let stored = client_tokens::list(&app.db, client.id).await.unwrap();
    assert_ne!(stored[0].token_hash, secret);
    assert!(stored[0].last_used_at.is_some());

    let revoke = format!("{keys}/{}/intrekken", stored[0].id);
    let response = manager.post(&revoke, &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (status, body) = get(&app, &secret, "/api/v1/client/requests").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    let (_, shown) = manager.get_text(&format!("{page}?ingetrokken=1")).await;
    assert!(shown.contains("De sleutel is ingetrokken."));
    // The audit log has both, with the manager who did it.
    let (entries, _) = klankbord::store::audit::list(&app.db, None, 0, 10)
        .await
        .unwrap();
    let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions[..2], ["revoke_client_token", "create_client_token"]);
    assert!(entries[..2].iter().all(|e| e.manager_id.is_some()));
}

fn ticked() -> MissionChecklist {
    MissionChecklist {
        fits_mission: true,
        no_harm: true,
        results_shared: true,
    }
}

#[tokio::test]
async fn the_report_keeps_small_groups_hidden_and_holds_no_open_answers() {
    let app = TestApp::with_panel().await;
    // 24 respondents: 14 work; relatives (naaste) are the last 4, fewer than 10. The
    // first 22 write an open answer.
    let (_, survey_id, _) = answered_survey(
        &app,
        24,
        |i| if i < 20 { "ervaring" } else { "naaste" },
        |i| {
            let mut a = vec![("werk_nu", choice(if i < 14 { "ja" } else { "nee" }))];
            if i < 22 {
                a.push((
                    "wat_beter",
                    AnswerValue::Text(format!("Een baas die luistert ({i})")),
                ));
            }
            Some(answers(a))
        },
    )
    .await;
    // Themes: one 12 people wrote about, one only the first did (left out for clients).
    let now = app.clock.now_utc();
    let theme = |name: &str| ThemeInput {
        name: name.into(),
        keywords: vec!["baas".into()],
        problem: format!("Probleem bij {name}."),
        insight: format!("Inzicht bij {name}."),
        change: format!("Verandering bij {name}."),
    };
    let listening = save_theme(&app.db, survey_id, None, &theme("Luisteren"), now)
        .await
        .unwrap()
        .unwrap();
    let rare = save_theme(&app.db, survey_id, None, &theme("Zeldzaam"), now)
        .await
        .unwrap()
        .unwrap();
    let wat_beter = QuestionId::parse("wat_beter").unwrap();
    for r in finished_responses(&app.db, survey_id).await.unwrap() {
        let Some(AnswerValue::Text(text)) = r.answers.get(&wat_beter) else {
            continue;
        };
        let i: usize = text
            .trim_start_matches("Een baas die luistert (")
            .trim_end_matches(')')
            .parse()
            .unwrap();
        let themes = match i {
            0 => vec![listening, rare],
            1..12 => vec![listening],
            _ => Vec::new(),
        };
        code_answer(&app.db, survey_id, r.id, &wat_beter, &themes)
            .await
            .unwrap();
    }
    let (client_id, key) = client_key(&app, "Gemeente Utrecht", &ALL).await;
    let (_, other) = client_key(&app, "Zorgverzekeraar Noord", &ALL).await;
    let form = RequestForm {
        client: "Gemeente Utrecht".into(),
        contact_name: "Sanne de Vries".into(),
        contact_email: "sanne@utrecht.example".into(),
        topic: "Werk".into(),
        purpose: "Weten hoe het gaat met werk.".into(),
        use_of_results: "Beleid.".into(),
        target: Vec::new(),
        completes: "20".into(),
        start_on: "2026-12-01".into(),
        end_on: "2026-12-20".into(),
        budget: "1000".into(),
    };
    let actor = manager_actor(1);
    let r = submit(&app.db, "ggz-panel", &form, &actor, now.date_naive(), now)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(r.client_id, client_id);
    let path = format!("/api/v1/client/requests/{}/report", r.id);
    for step in [
        Transition::StartReview,
        Transition::Accept {
            checklist: ticked(),
            quote_cents: 90_000,
        },
        Transition::StartFieldwork { survey_id },
    ] {
        transition(&app.db, r.id, &step, &actor, now)
            .await
            .unwrap()
            .unwrap();
    }
    // Fieldwork still open: no figures yet.
    let (status, body) = get(&app, &key, &path).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"], "not_ready");
    let (_, listed) = get(&app, &key, "/api/v1/client/requests").await;
    assert_eq!(listed[0]["report_ready"], false);

    klankbord::service::fieldwork::close(&app.db, survey_id, now)
        .await
        .unwrap();
    let (status, report) = get(&app, &key, &path).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["respondents"], 24);
    assert_eq!(report["min_cell_size"], 10);
    let werk = report["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["id"] == "werk_nu")
        .unwrap();
    assert_eq!(werk["answered"], 24);
    let counts: Vec<Value> = werk["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["n"].clone())
        .collect();
    assert_eq!(counts, vec![json!(14), json!(10)]);
    // By role: the 4 relatives are hidden whole, counts and base.
    let by_rol = report["crosstabs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| {
            c["groups"].as_array().unwrap().iter().any(|g| {
                g.as_str().unwrap().contains("naaste")
                    || g.as_str().unwrap().to_lowercase().contains("naast")
            })
        })
        .expect("a crosstab by role");
    let naaste = by_rol["groups"]
        .as_array()
        .unwrap()
        .iter()
        .position(|g| g.as_str().unwrap().to_lowercase().contains("naast"))
        .unwrap();
    let werk_cross = by_rol["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["id"] == "werk_nu")
        .unwrap();
    assert_eq!(werk_cross["bases"][naaste], Value::Null);
    for row in werk_cross["rows"].as_array().unwrap() {
        assert_eq!(row["cells"][naaste]["n"], Value::Null, "{row}");
    }
    // The theme 12 of the 22 with an open answer wrote about, with the panel's texts;
    // the theme one person wrote about is left out whole.
    assert_eq!(report["open_answered"], 22);
    assert_eq!(
        report["themes"],
        json!([{
            "name": "Luisteren",
            "problem": "Probleem bij Luisteren.",
            "insight": "Inzicht bij Luisteren.",
            "change": "Verandering bij Luisteren.",
            "respondents": {"n": 12, "share": 12.0 / 22.0},
        }])
    );
    // No open answers, no contact data, none of the panel's own evaluation questions.
    let text = report.to_string();
    assert!(!text.contains("Zeldzaam"));
    assert!(!text.contains("Een baas die luistert"));
    assert!(!text.contains('@'));
    assert!(!text.contains("_eval_"));
    assert!(
        report["questions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|q| q["id"] != "wat_beter")
    );
    // Ready now, and still only for this client.
    let (_, listed) = get(&app, &key, "/api/v1/client/requests").await;
    assert_eq!(listed[0]["report_ready"], true);
    assert_eq!(get(&app, &other, &path).await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_manager_takes_a_request_through_its_steps_on_the_pages() {
    let app = TestApp::with_panel().await;
    let manager = app.manager().await;
    let (_, key) = client_key(&app, "Gemeente Utrecht", &ALL).await;
    let (_, made) = call(
        &app,
        &key,
        reqwest::Method::POST,
        "/api/v1/client/requests",
        Some(new_request("Wmo")),
    )
    .await;
    let id = made["id"].as_i64().unwrap();

    let (status, list) = manager
        .get_text("/beheer/panels/ggz-panel/opdrachten")
        .await;
    assert_eq!(status, 200);
    assert!(
        list.contains("Wmo") && list.contains("Gemeente Utrecht") && list.contains("aangevraagd")
    );

    let step = format!("/beheer/opdrachten/{id}/stap");
    // Accepting before the review is a skipped step: refused, the page says why.
    let response = manager
        .post(
            &step,
            &[
                ("stap", "accepteren"),
                ("quote", "1800"),
                ("fits_mission", "ja"),
                ("no_harm", "ja"),
                ("results_shared", "ja"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Deze stap kan nu niet.")
    );

    let response = manager.post(&step, &[("stap", "beoordelen")]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    // Accept with one box not ticked: refused with the checklist's message.
    let response = manager
        .post(
            &step,
            &[
                ("stap", "accepteren"),
                ("quote", "1800"),
                ("fits_mission", "ja"),
                ("no_harm", "ja"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    assert!(
        page.contains("Vink alle punten van de controlelijst aan."),
        "{page}"
    );
    let response = manager
        .post(
            &step,
            &[
                ("stap", "accepteren"),
                ("quote", "1.800,00"),
                ("fits_mission", "ja"),
                ("no_harm", "ja"),
                ("results_shared", "ja"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, page) = manager
        .get_text(&format!("/beheer/opdrachten/{id}?opgeslagen=1"))
        .await;
    assert!(page.contains("De aanvraag is nu: geaccepteerd."), "{page}");
    assert!(page.contains("€ 1.800,00"));

    // The client sees the new state, the quote and its history.
    let (_, seen) = get(&app, &key, &format!("/api/v1/client/requests/{id}")).await;
    assert_eq!(seen["state"], "geaccepteerd");
    assert_eq!(seen["quote_cents"], 180_000);
    let history: Vec<&str> = seen["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["to"].as_str().unwrap())
        .collect();
    assert_eq!(
        history,
        vec!["aangevraagd", "in_beoordeling", "geaccepteerd"]
    );
}
