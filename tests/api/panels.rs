//! Panels: loading a panel file (problems named by JSON path), the composition against a
//! hand-computed fixture, and the records of processing as the web export has them.

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::{PANEL, TestApp, as_refs, signup_form};
use crate::{Api, paths};

fn panel_file() -> Value {
    serde_json::from_str(PANEL).unwrap()
}

#[tokio::test]
async fn a_broken_panel_file_is_refused_naming_each_json_path() {
    let app = TestApp::with_panel().await;
    let api = Api::admin(&app).await;

    let mut broken = panel_file();
    broken["name"] = json!("Nieuwe naam");
    broken["targets"]["rol"]["onbekend"] = json!(0.1);
    broken["contact_policy"]["quiet_hours"]["from"] = json!("9:00");
    let (status, body) = api
        .send(Method::PUT, "/api/v1/panels/ggz-panel?lang=en", &broken)
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"], "validation");
    let found = paths(&body);
    for expected in [
        ("$.targets.rol.onbekend", "unknown_target_category"),
        ("$.targets.rol", "targets_do_not_sum_to_one"),
        ("$.contact_policy.quiet_hours.from", "bad_time"),
    ] {
        assert!(
            found.contains(&(expected.0.to_owned(), expected.1.to_owned())),
            "{expected:?} in {found:?}"
        );
    }
    let sum = body["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == "targets_do_not_sum_to_one")
        .unwrap();
    assert_eq!(sum["message"], "The targets add up to 1.1, not to 1.");

    let mut wrong_type = panel_file();
    wrong_type["background_variables"][1]["categories"][0]["label"] = json!(7);
    let (status, body) = api
        .send(Method::PUT, "/api/v1/panels/ggz-panel", &wrong_type)
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        paths(&body),
        [(
            "$.background_variables[1].categories[0].label".to_owned(),
            "invalid_value".to_owned()
        )]
    );

    let mut unknown = panel_file();
    unknown["reporting"]["min_groep"] = json!(5);
    let (status, body) = api
        .send(Method::PUT, "/api/v1/panels/ggz-panel", &unknown)
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        paths(&body),
        [(
            "$.reporting.min_groep".to_owned(),
            "unknown_field".to_owned()
        )]
    );

    let (status, body) = api
        .send(Method::PUT, "/api/v1/panels/ander-panel", &panel_file())
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        paths(&body),
        [("$.id".to_owned(), "id_mismatch".to_owned())]
    );

    // Nothing of it was stored.
    let (_, panels) = api.get("/api/v1/panels").await;
    assert_eq!(panels.as_array().unwrap().len(), 1);
    assert_eq!(panels[0]["name"], "Ervaringspanel werk en ggz");
    let mut stored = panel_file();
    stored["min_age"] = json!(18);
    stored["consent_version"] = json!("1");
    stored["contact_policy"]["max_call_attempts"] = json!(5);
    stored["reporting"]["recruitment"] = json!("opt_in");
    assert_eq!(
        panels[0], stored,
        "the file comes back as loaded, with its defaults"
    );

    // A good file: created, then replaced.
    let mut second = panel_file();
    second["id"] = json!("wajong-panel");
    let (status, body) = api
        .send(Method::PUT, "/api/v1/panels/wajong-panel", &second)
        .await;
    assert_eq!((status, body["id"].as_str()), (201, Some("wajong-panel")));
    second["name"] = json!("Wajongpanel");
    let (status, body) = api
        .send(Method::PUT, "/api/v1/panels/wajong-panel", &second)
        .await;
    assert_eq!((status, body["name"].as_str()), (200, Some("Wajongpanel")));
    let (_, panels) = api.get("/api/v1/panels").await;
    let names: Vec<_> = panels
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].clone())
        .collect();
    assert_eq!(
        names,
        [json!("Ervaringspanel werk en ggz"), json!("Wajongpanel")]
    );
    app.stop().await;
}

fn approx(value: &Value, expected: f64) -> bool {
    value.as_f64().is_some_and(|v| (v - expected).abs() < 1e-9)
}

/// Per category: (value, count, percent, target, gap).
type Row = (&'static str, u64, f64, f64, f64);

fn check_variable(var: &Value, answered: u64, unknown: u64, rows: &[Row]) {
    assert_eq!(
        (var["answered"].as_u64(), var["unknown"].as_u64()),
        (Some(answered), Some(unknown)),
        "{var}"
    );
    let categories = var["categories"].as_array().unwrap();
    assert_eq!(categories.len(), rows.len());
    for (cat, (value, count, percent, target, gap)) in categories.iter().zip(rows) {
        assert_eq!(cat["value"], *value);
        assert_eq!(cat["count"], *count, "{cat}");
        assert!(approx(&cat["percent"], *percent), "{cat}");
        assert!(approx(&cat["target_percent"], *target), "{cat}");
        assert!(approx(&cat["gap_points"], *gap), "{cat}");
    }
}

#[tokio::test]
async fn composition_equals_a_hand_computed_fixture() {
    let app = TestApp::with_panel().await;
    let api = Api::admin(&app).await;
    let imported = api
        .import_csv(
            "email,birth_year,consent,health_consent,rol,leeftijd,regio\n\
             a@voorbeeld.nl,1990,ja,ja,ervaring,18-34,west\n\
             b@voorbeeld.nl,1980,ja,ja,ervaring,35-54,west\n\
             c@voorbeeld.nl,1975,ja,ja,ervaring,35-54,noord\n\
             d@voorbeeld.nl,1960,ja,ja,naaste,,zuid\n",
        )
        .await;
    assert_eq!(imported, 4);
    // A pending sign-up is not counted: only members taking part are.
    let browser = app.browser().await;
    let r = browser
        .post("/aanmelden", &as_refs(&signup_form("e@voorbeeld.nl")))
        .await;
    assert_eq!(r.status(), 303);

    let (status, body) = api.get("/api/v1/panels/ggz-panel/composition").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["panel"], "ggz-panel");
    assert_eq!(body["members"], 4);
    let vars = body["variables"].as_array().unwrap();
    let ids: Vec<_> = vars
        .iter()
        .map(|v| v["variable"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["rol", "leeftijd", "situatie", "regio"]);
    // rol: 3 of 4 and 1 of 4 against 75% and 25%.
    check_variable(
        &vars[0],
        4,
        0,
        &[
            ("ervaring", 3, 75.0, 75.0, 0.0),
            ("naaste", 1, 25.0, 25.0, 0.0),
        ],
    );
    // leeftijd: one member did not answer, so shares are of 3.
    check_variable(
        &vars[1],
        3,
        1,
        &[
            ("18-34", 1, 33.3, 30.0, 3.3),
            ("35-54", 2, 66.7, 40.0, 26.7),
            ("55+", 0, 0.0, 30.0, -30.0),
        ],
    );
    // situatie: nobody answered (the pending member did, but does not count).
    assert_eq!(
        (vars[2]["answered"].as_u64(), vars[2]["unknown"].as_u64()),
        (Some(0), Some(4))
    );
    assert_eq!(vars[2]["categories"][0]["count"], 0);
    assert!(approx(&vars[2]["categories"][0]["gap_points"], -30.0));
    check_variable(
        &vars[3],
        4,
        0,
        &[
            ("noord", 1, 25.0, 10.0, 15.0),
            ("oost", 0, 0.0, 22.0, -22.0),
            ("west", 2, 50.0, 47.0, 3.0),
            ("zuid", 1, 25.0, 21.0, 4.0),
        ],
    );
    let (status, _) = api.get("/api/v1/panels/geen-panel/composition").await;
    assert_eq!(status, 404);
    app.stop().await;
}

#[tokio::test]
async fn processing_records_are_the_web_export() {
    let app = TestApp::with_panel().await;
    let api = Api::admin(&app).await;
    let browser = app.browser().await;
    let r = browser
        .post(
            "/beheer/inloggen",
            &[
                ("email", "admin@voorbeeld.nl"),
                ("password", "geheim-wachtwoord"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303, "manager logs in");

    for lang in ["nl", "en"] {
        let path = format!("/beheer/panels/ggz-panel/verwerkingsregister.json?lang={lang}");
        let web: Value = browser.get(&path).await.json().await.unwrap();
        let (status, from_api) = api
            .get(&format!(
                "/api/v1/panels/ggz-panel/processing-records?lang={lang}"
            ))
            .await;
        assert_eq!(status, 200);
        assert_eq!(from_api, web, "{lang}");
    }
    let (_, en) = api
        .get("/api/v1/panels/ggz-panel/processing-records?lang=en")
        .await;
    assert_eq!(en["records"][1]["data"], "Year of birth");
    assert_eq!(
        en["records"][0]["retention_rule"],
        json!({"kind": "membership_or_inactive_months", "value": 24})
    );
    app.stop().await;
}
