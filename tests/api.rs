//! The JSON API under `/api/v1`: bearer tokens, every manager action, the audit log,
//! JSON errors, and the OpenAPI document. The cases live in `tests/api/`.

mod common;

#[path = "api/auth.rs"]
mod auth;
#[path = "api/import.rs"]
mod import;
#[path = "api/members.rs"]
mod members;
#[path = "api/openapi.rs"]
mod openapi;
#[path = "api/panels.rs"]
mod panels;
#[path = "api/questionnaires.rs"]
mod questionnaires;
#[path = "api/results.rs"]
mod results;
#[path = "api/surveys.rs"]
mod surveys;
#[path = "api/themes.rs"]
mod themes;

use common::{ClockExt, TestApp};
use klankbord::store::managers::ManagerRole;
use klankbord::store::{api_tokens, managers};
use reqwest::Method;
use serde_json::Value;

/// A program calling the API with one manager's key.
#[derive(Clone)]
pub struct Api {
    pub client: reqwest::Client,
    pub base: String,
    pub token: String,
    pub manager_id: i64,
}

/// A status and a JSON body (every API answer, errors too, is JSON).
pub async fn json(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let text = response.text().await.unwrap();
    if status == 204 {
        return (status, Value::Null);
    }
    assert!(
        content_type.starts_with("application/json"),
        "{status}: {content_type}: {text}"
    );
    (status, serde_json::from_str(&text).unwrap())
}

impl Api {
    /// A new manager with `role`, and a key for them.
    pub async fn new(app: &TestApp, email: &str, role: ManagerRole) -> Api {
        let now = app.clock.now_utc();
        let manager = managers::create(
            &app.db,
            email,
            "Beheerder Test",
            "geheim-wachtwoord",
            role,
            now,
        )
        .await
        .unwrap();
        let (_, token) = api_tokens::create(&app.db, manager.id, "tests", now)
            .await
            .unwrap();
        Api {
            client: reqwest::Client::new(),
            base: app.base.clone(),
            token,
            manager_id: manager.id,
        }
    }

    pub async fn admin(app: &TestApp) -> Api {
        Self::new(app, "admin@voorbeeld.nl", ManagerRole::Admin).await
    }

    pub fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.client
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token)
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        json(self.request(Method::GET, path).send().await.unwrap()).await
    }

    pub async fn send(&self, method: Method, path: &str, body: &Value) -> (u16, Value) {
        json(self.request(method, path).json(body).send().await.unwrap()).await
    }

    /// Post a file as the raw body of an import.
    pub async fn import(&self, query: &str, content_type: &str, file: Vec<u8>) -> (u16, Value) {
        let path = format!("/api/v1/panels/ggz-panel/members/import?{query}");
        let response = self
            .request(Method::POST, &path)
            .header("content-type", content_type)
            .body(file)
            .send()
            .await
            .unwrap();
        json(response).await
    }

    /// Post a file (a questionnaire) as the raw JSON body.
    pub async fn post_file(&self, path: &str, file: impl Into<Vec<u8>>) -> (u16, Value) {
        let response = self
            .request(Method::POST, path)
            .header("content-type", "application/json")
            .body(file.into())
            .send()
            .await
            .unwrap();
        json(response).await
    }

    /// Import a CSV file that must be fine; returns how many members were imported.
    pub async fn import_csv(&self, csv: &str) -> u64 {
        let (status, body) = self
            .import("dry_run=false", "text/csv", csv.as_bytes().to_vec())
            .await;
        assert_eq!(status, 200, "{body}");
        body["imported"].as_u64().unwrap()
    }
}

/// The problems of an error body, as (JSON path, code).
pub fn paths(body: &Value) -> Vec<(String, String)> {
    body["problems"]
        .as_array()
        .unwrap_or_else(|| panic!("no problems in {body}"))
        .iter()
        .map(|p| {
            (
                p["path"].as_str().unwrap().to_owned(),
                p["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// Members in the reference panel, straight from the store.
pub async fn member_count(app: &TestApp) -> u64 {
    klankbord::store::members::list(&app.db, "ggz-panel", &Default::default(), 0, 1)
        .await
        .unwrap()
        .1
}

/// The audit log, newest first, straight from the store.
pub async fn audit_log(app: &TestApp) -> Vec<klankbord::store::entities::audit::Model> {
    klankbord::store::audit::list(&app.db, None, 0, 1000)
        .await
        .unwrap()
        .0
}
