//! `/api/openapi.json`: every `/api/v1` operation is listed, each needs the bearer key
//! (a manager's, or a client's with the scope the operation names),
//! every reference resolves, and every listed operation is served (and refuses callers
//! without a key).

use std::collections::BTreeSet;

use reqwest::Method;
use serde_json::Value;

use crate::common::TestApp;
use crate::json;

/// Every operation the API serves.
const OPERATIONS: [(&str, &str); 48] = [
    ("get", "/api/v1/panels"),
    ("put", "/api/v1/panels/{id}"),
    ("get", "/api/v1/panels/{id}/composition"),
    ("get", "/api/v1/panels/{id}/processing-records"),
    ("get", "/api/v1/panels/{id}/members"),
    ("post", "/api/v1/panels/{id}/members/import"),
    ("get", "/api/v1/panels/{id}/questionnaires"),
    ("post", "/api/v1/panels/{id}/questionnaires"),
    ("get", "/api/v1/questionnaire-versions/{id}"),
    ("post", "/api/v1/questionnaire-versions/{id}/versions"),
    ("post", "/api/v1/questionnaire-versions/{id}/acceptances"),
    ("post", "/api/v1/questionnaire-versions/{id}/publish"),
    ("get", "/api/v1/questionnaire-versions/{id}/pilot-links"),
    ("post", "/api/v1/questionnaire-versions/{id}/pilot-links"),
    ("delete", "/api/v1/pilot-links/{id}"),
    ("get", "/api/v1/panels/{id}/surveys"),
    ("post", "/api/v1/panels/{id}/surveys"),
    ("get", "/api/v1/surveys/{id}"),
    ("put", "/api/v1/surveys/{id}"),
    ("get", "/api/v1/surveys/{id}/sample"),
    ("post", "/api/v1/surveys/{id}/schedule"),
    ("post", "/api/v1/surveys/{id}/pause"),
    ("post", "/api/v1/surveys/{id}/resume"),
    ("post", "/api/v1/surveys/{id}/close"),
    ("get", "/api/v1/surveys/{id}/fieldwork"),
    ("get", "/api/v1/surveys/{id}/call-list"),
    ("get", "/api/v1/surveys/{id}/print-run"),
    ("get", "/api/v1/surveys/{id}/results"),
    ("put", "/api/v1/surveys/{id}/feedback"),
    ("get", "/api/v1/surveys/{id}/themes"),
    ("post", "/api/v1/surveys/{id}/themes"),
    ("put", "/api/v1/surveys/{id}/themes/{theme}"),
    ("delete", "/api/v1/surveys/{id}/themes/{theme}"),
    ("put", "/api/v1/surveys/{id}/responses/{response}/themes"),
    ("post", "/api/v1/surveys/{id}/themes/suggestions"),
    ("get", "/api/v1/surveys/{id}/calls"),
    ("post", "/api/v1/surveys/{id}/call-assignments"),
    ("get", "/api/v1/members/{id}"),
    ("put", "/api/v1/members/{id}"),
    ("post", "/api/v1/members/{id}/confirm"),
    ("get", "/api/v1/audit"),
    ("get", "/api/v1/tokens"),
    ("post", "/api/v1/tokens"),
    ("delete", "/api/v1/tokens/{id}"),
    ("get", "/api/v1/client/requests"),
    ("post", "/api/v1/client/requests"),
    ("get", "/api/v1/client/requests/{id}"),
    ("get", "/api/v1/client/requests/{id}/report"),
];

/// Every `$ref` in `value`.
fn refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("$ref", Value::String(r)) => out.push(r.clone()),
                    _ => refs(value, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[tokio::test]
async fn openapi_lists_every_operation_with_the_bearer_requirement() {
    let app = TestApp::with_panel().await;
    let client = reqwest::Client::new();
    let response = client
        .get(format!("{}/api/openapi.json", app.base))
        .send()
        .await
        .unwrap();
    let (status, doc) = json(response).await;
    assert_eq!(status, 200);
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["info"]["title"], "klankbord API");
    let scheme = &doc["components"]["securitySchemes"]["bearer"];
    assert_eq!(
        (scheme["type"].as_str(), scheme["scheme"].as_str()),
        (Some("http"), Some("bearer"))
    );

    let mut listed = BTreeSet::new();
    let mut operation_ids = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        assert!(path.starts_with("/api/v1/"), "{path}");
        for (method, op) in item.as_object().unwrap() {
            listed.insert((method.clone(), path.clone()));
            let security = if path.starts_with("/api/v1/client/") {
                let scope = match (method.as_str(), path.ends_with("/report")) {
                    ("post", _) => "requests:write",
                    (_, true) => "reports:read",
                    _ => "requests:read",
                };
                serde_json::json!([{"client_bearer": [scope]}])
            } else {
                serde_json::json!([{"bearer": []}])
            };
            assert_eq!(
                op["security"], security,
                "{method} {path} needs the right key"
            );
            assert!(
                op["responses"]["401"].is_object(),
                "{method} {path} documents 401"
            );
            assert!(
                op["responses"]
                    .as_object()
                    .unwrap()
                    .keys()
                    .any(|s| s.starts_with('2')),
                "{method} {path} documents its success"
            );
            let id = op["operationId"].as_str().unwrap().to_owned();
            assert!(operation_ids.insert(id.clone()), "operationId {id} twice");
            for param in op["parameters"].as_array().into_iter().flatten() {
                if param["in"] == "path" {
                    let name = param["name"].as_str().unwrap();
                    assert!(path.contains(&format!("{{{name}}}")), "{path} {name}");
                }
            }
        }
    }
    let expected: BTreeSet<_> = OPERATIONS
        .iter()
        .map(|(m, p)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    assert_eq!(listed, expected);

    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(!all.is_empty());
    for r in all {
        let pointer = r
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("external ref {r}"));
        assert!(doc.pointer(pointer).is_some(), "{r} does not resolve");
    }

    // Every listed operation is served, and refuses a caller without a key.
    for (method, path) in OPERATIONS {
        let url = format!("{}{}", app.base, path.replace("{id}", "1"));
        let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let (status, body) = json(client.request(method.clone(), &url).send().await.unwrap()).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (401, Some("unauthorized")),
            "{method} {path}"
        );
    }
    app.stop().await;
}
