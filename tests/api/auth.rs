//! Bearer tokens: no, wrong and revoked keys are refused at once; only admins read the
//! audit log; bodies and queries the API cannot use are refused as JSON.

use reqwest::Method;
use serde_json::json;

use crate::common::TestApp;
use crate::{Api, json};
use klankbord::store::managers::ManagerRole;

#[tokio::test]
async fn no_wrong_or_revoked_key_gets_a_json_401_at_once() {
    let app = TestApp::with_panel().await;
    let api = Api::admin(&app).await;
    let client = reqwest::Client::new();
    let url = format!("{}/api/v1/panels", app.base);

    let response = client.get(&url).send().await.unwrap();
    assert_eq!(response.headers()["www-authenticate"], "Bearer");
    let (status, body) = json(response).await;
    assert_eq!(status, 401);
    assert_eq!(body["error"], "unauthorized");
    assert!(
        body["message"].as_str().unwrap().contains("Bearer"),
        "{body}"
    );

    for header in [
        "Bearer kb_nonsense",
        "Basic YTpi",
        "Bearer",
        api.token.as_str(),
    ] {
        let response = client
            .get(&url)
            .header("authorization", header)
            .send()
            .await;
        let (status, body) = json(response.unwrap()).await;
        assert_eq!(status, 401, "{header}: {body}");
    }
    // A logged-in manager's session cookie opens nothing under /api: no CSRF there.
    let browser = app.browser().await;
    let login = [
        ("email", "admin@voorbeeld.nl"),
        ("password", "geheim-wachtwoord"),
    ];
    assert_eq!(browser.post("/beheer/inloggen", &login).await.status(), 303);
    assert_eq!(browser.get("/beheer").await.status(), 200);
    let (status, _) = json(browser.get("/api/v1/panels").await).await;
    assert_eq!(status, 401);

    let (status, panels) = api.get("/api/v1/panels").await;
    assert_eq!(status, 200);
    assert_eq!(panels[0]["id"], "ggz-panel");

    // A second key, made through the API: the secret is shown once, stored only hashed.
    let (status, created) = api
        .send(
            Method::POST,
            "/api/v1/tokens",
            &json!({"name": "rapportage"}),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let secret = created["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("kb_"));
    let stored = klankbord::store::api_tokens::list(&app.db, api.manager_id)
        .await
        .unwrap();
    assert!(
        stored
            .iter()
            .all(|t| t.token_hash != secret && !t.token_hash.contains(&secret))
    );
    let (_, tokens) = api.get("/api/v1/tokens").await;
    assert_eq!(tokens.as_array().unwrap().len(), 2);
    assert!(
        tokens
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t.get("secret").is_none())
    );

    let second = Api {
        token: secret,
        ..api.clone()
    };
    assert_eq!(second.get("/api/v1/panels").await.0, 200);

    // Revoking takes effect with the next request.
    let id = created["id"].as_i64().unwrap();
    let (status, _) = json(
        second
            .request(Method::DELETE, &format!("/api/v1/tokens/{id}"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 204);
    let (status, body) = second.get("/api/v1/panels").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("unauthorized"))
    );
    assert_eq!(
        api.get("/api/v1/panels").await.0,
        200,
        "the other key still works"
    );
    let (status, body) = api
        .send(Method::DELETE, &format!("/api/v1/tokens/{id}"), &json!({}))
        .await;
    assert_eq!((status, body["error"].as_str()), (404, Some("not_found")));
    let (_, tokens) = api.get("/api/v1/tokens").await;
    let revoked = tokens
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == id)
        .unwrap();
    assert!(revoked["revoked_at"].is_string());
    app.stop().await;
}

#[tokio::test]
async fn only_admins_read_the_audit_log() {
    let app = TestApp::with_panel().await;
    let admin = Api::admin(&app).await;
    let manager = Api::new(&app, "beheerder@voorbeeld.nl", ManagerRole::Manager).await;
    assert_eq!(manager.get("/api/v1/panels/ggz-panel/members").await.0, 200);

    let (status, body) = manager.get("/api/v1/audit").await;
    assert_eq!((status, body["error"].as_str()), (403, Some("forbidden")));

    let (status, log) = admin.get("/api/v1/audit").await;
    assert_eq!(status, 200, "{log}");
    assert_eq!(log["total"], 1);
    assert_eq!(log["page"], 1);
    let entry = &log["entries"][0];
    assert_eq!(entry["action"], "list_members");
    assert_eq!(entry["manager_id"], manager.manager_id);
    assert_eq!(entry["panel_id"], "ggz-panel");

    let (status, log) = admin.get("/api/v1/audit?member_id=12345").await;
    assert_eq!((status, log["total"].as_u64()), (200, Some(0)));
    let (status, body) = admin.get("/api/v1/audit?page=0").await;
    assert_eq!(
        (status, body["problems"][0]["path"].as_str()),
        (400, Some("page"))
    );
    let (status, body) = admin.get("/api/v1/audit?lid=3&lang=en").await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_query");
    assert_eq!(
        body["problems"][0]["message"],
        "Unknown query parameter 'lid'."
    );
    app.stop().await;
}

#[tokio::test]
async fn bodies_the_api_cannot_use_are_refused_as_json_in_the_callers_language() {
    let app = TestApp::with_panel().await;
    let api = Api::admin(&app).await;

    let (status, body) = api
        .send(
            Method::POST,
            "/api/v1/tokens?lang=en",
            &json!({"name": "x", "scope": "all"}),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"], "invalid_body");
    assert_eq!(body["problems"][0]["path"], "$.scope");
    assert_eq!(body["problems"][0]["code"], "unknown_field");
    assert_eq!(body["problems"][0]["message"], "Unknown field 'scope'.");

    let response = api
        .request(Method::POST, "/api/v1/tokens")
        .header("accept-language", "nl-NL,nl;q=0.9")
        .json(&json!({"name": "x", "scope": "all"}))
        .send()
        .await
        .unwrap();
    let (_, body) = json(response).await;
    assert_eq!(body["problems"][0]["message"], "Onbekend veld 'scope'.");

    let (status, body) = api.send(Method::POST, "/api/v1/tokens", &json!({})).await;
    assert_eq!(
        (status, body["problems"][0]["path"].as_str()),
        (422, Some("$.name"))
    );
    assert_eq!(body["problems"][0]["code"], "missing_field");

    let (status, body) = api
        .send(Method::POST, "/api/v1/tokens", &json!({"name": "  "}))
        .await;
    assert_eq!((status, body["error"].as_str()), (422, Some("validation")));

    let broken = api
        .request(Method::POST, "/api/v1/tokens?lang=en")
        .header("content-type", "application/json")
        .body("{\"name\": ")
        .send()
        .await
        .unwrap();
    let (status, body) = json(broken).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_json"))
    );
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .starts_with("The body is not valid JSON")
    );

    let plain = api
        .request(Method::POST, "/api/v1/tokens")
        .body("{\"name\": \"x\"}")
        .send()
        .await
        .unwrap();
    let (status, body) = json(plain).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (415, Some("unsupported_media_type"))
    );

    let huge = json!({"name": "x".repeat(300 * 1024)});
    let (status, body) = api.send(Method::POST, "/api/v1/tokens", &huge).await;
    assert_eq!((status, body["error"].as_str()), (413, Some("too_large")));

    let (status, body) = api.get("/api/v1/nergens").await;
    assert_eq!((status, body["error"].as_str()), (404, Some("not_found")));
    let (status, _) = api.get("/api/v1/members/geen-getal").await;
    assert_eq!(status, 400);
    assert_eq!(
        klankbord::store::api_tokens::list(&app.db, api.manager_id)
            .await
            .unwrap()
            .len(),
        1,
        "no key was made"
    );
    app.stop().await;
}
