//! Surveys through the API: a plan refused with every problem at its JSON path (nothing
//! stored), a draft with default quotas, the sample preview, scheduling, the fieldwork
//! figures, pause/resume/close with refused state changes, and the audited call list.

use chrono::Duration;
use klankbord::domain::member::ContactPreference;
use reqwest::Method;
use serde_json::{Value, json};

use crate::common::fieldwork::{Policy, members, members_from, panel, published_version, runner};
use crate::common::{ClockExt, TestApp};
use crate::{Api, paths};

const SURVEYS: &str = "/api/v1/panels/ggz-panel/surveys";

fn survey_path(body: &Value, rest: &str) -> String {
    format!("/api/v1/surveys/{}{rest}", body["id"].as_i64().unwrap())
}

#[tokio::test]
async fn a_bad_plan_is_refused_with_every_problem_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let now = app.clock.now_utc();
    panel(&app.db, &Policy::default(), now).await;
    let api = Api::admin(&app).await;

    let (status, body) = api
        .send(
            Method::POST,
            SURVEYS,
            &json!({
                "title": " ",
                "version_id": 999_999,
                "eligibility": {"onbekend": ["x"], "rol": ["buurman"]},
                "send_at": (now - Duration::days(1)).to_rfc3339(),
                "closes_after_days": 14
            }),
        )
        .await;
    assert_eq!((status, body["error"].as_str()), (422, Some("validation")));
    let found = paths(&body);
    for expected in [
        ("$.title", "empty_title"),
        ("$.version_id", "not_published"),
        ("$.eligibility.onbekend", "unknown_variable"),
        ("$.eligibility.rol", "unknown_category"),
        ("$.send_at", "send_in_past"),
    ] {
        assert!(
            found.contains(&(expected.0.to_owned(), expected.1.to_owned())),
            "{expected:?} in {found:?}"
        );
    }
    // Two closings, an unknown field, and a name that cannot be a category.
    let (status, body) = api
        .send(
            Method::POST,
            SURVEYS,
            &json!({"title": "X", "version_id": 1, "send_at": now.to_rfc3339(),
                    "closes_at": now.to_rfc3339(), "closes_after_days": 3,
                    "eligibility": {"rol": ["a b"]}}),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        paths(&body),
        vec![
            (
                "$.eligibility.rol[0]".to_owned(),
                "unknown_category".to_owned()
            ),
            ("$.closes_after_days".to_owned(), "two_closings".to_owned()),
        ]
    );
    let (status, body) = api
        .send(Method::POST, SURVEYS, &json!({"title": "X", "grootte": 3}))
        .await;
    assert_eq!(status, 422, "{body}");
    let (_, list) = api.get(SURVEYS).await;
    assert_eq!(list, json!([]));
}

#[tokio::test]
async fn plan_preview_schedule_and_follow_a_survey() {
    let app = TestApp::spawn().await;
    let now = app.clock.now_utc();
    let panel = panel(&app.db, &Policy::default(), now).await;
    members(&app.db, 16, now, |i| {
        vec![
            ("rol", "ervaring"),
            ("leeftijd", ["18-34", "35-54", "55+"][i % 3]),
        ]
    })
    .await;
    members_from(&app.db, 16, 4, now, ContactPreference::Phone, |_| {
        vec![("rol", "ervaring"), ("leeftijd", "35-54")]
    })
    .await;
    let version = published_version(&app, &panel).await;
    let api = Api::admin(&app).await;

    let plan = json!({
        "title": "Werk en inkomen",
        "version_id": version,
        "eligibility": {"rol": ["ervaring"]},
        "sample_size": 10,
        "quota_variables": ["leeftijd"],
        "seed": 42,
        "send_at": (now + Duration::hours(1)).to_rfc3339(),
        "reminder_after_days": 3,
        "closes_after_days": 14
    });
    let (status, survey) = api.send(Method::POST, SURVEYS, &plan).await;
    assert_eq!(status, 201, "{survey}");
    assert_eq!(survey["status"], "draft");
    assert_eq!(survey["sample_size"], 10);
    assert_eq!(survey["seed"], 42);
    // Default quotas from the panel's targets (30/40/30%) for 10 members.
    let targets: Vec<(String, u64)> = survey["quotas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            (
                q["category"].as_str().unwrap().to_owned(),
                q["target"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        targets,
        vec![("18-34".into(), 3), ("35-54".into(), 4), ("55+".into(), 3)]
    );

    let (status, sample) = api.get(&survey_path(&survey, "/sample")).await;
    assert_eq!(status, 200, "{sample}");
    assert_eq!(sample["picked"], 10);
    assert_eq!(sample["per_category"].as_array().unwrap().len(), 3);
    assert_eq!(sample["left_out"]["not_eligible"], 0);

    let mut bigger = plan.clone();
    bigger["sample_size"] = json!(12);
    let (status, changed) = api
        .send(Method::PUT, &survey_path(&survey, ""), &bigger)
        .await;
    assert_eq!((status, changed["sample_size"].clone()), (200, json!(12)));

    let response = api
        .request(Method::POST, &survey_path(&survey, "/schedule"))
        .send()
        .await
        .unwrap();
    let (status, scheduled) = crate::json(response).await;
    assert_eq!(status, 200, "{scheduled}");
    assert_eq!(scheduled["survey"]["status"], "scheduled");
    assert_eq!(scheduled["sample"]["picked"], 12);
    // A scheduled survey is no longer a draft.
    let (status, body) = api
        .send(Method::PUT, &survey_path(&survey, ""), &bigger)
        .await;
    assert_eq!((status, body["error"].as_str()), (409, Some("not_draft")));
    let (status, _) = api.get(&survey_path(&survey, "/sample")).await;
    assert_eq!(status, 409);

    let (_, figures) = api.get(&survey_path(&survey, "/fieldwork")).await;
    assert_eq!(
        (figures["planned"].clone(), figures["sent"].clone()),
        (json!(12), json!(0))
    );

    // The wave goes out at the send time: phone members go onto the call list.
    app.clock.advance(Duration::hours(2));
    runner(&app).run_due().await.unwrap();
    let (_, figures) = api.get(&survey_path(&survey, "/fieldwork")).await;
    assert_eq!(figures["sent"], 12, "{figures}");
    let by_phone = figures["by_channel"]["phone"].as_u64().unwrap_or(0);
    let (status, calls) = api.get(&survey_path(&survey, "/call-list")).await;
    assert_eq!(status, 200);
    let calls = calls.as_array().unwrap();
    assert_eq!(calls.len() as u64, by_phone);
    assert!(
        calls
            .iter()
            .all(|c| c["contact"].as_str().unwrap().starts_with("06"))
    );
    let (_, log) = api.get("/api/v1/audit").await;
    assert!(
        log.to_string().contains("export_call_list"),
        "the call list is audited: {log}"
    );

    // The call list goes to an interviewer; the calls resource shows it.
    let (status, body) = api
        .send(
            Method::POST,
            &survey_path(&survey, "/call-assignments"),
            &json!({"interviewer_id": 999_999, "count": 0}),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        paths(&body),
        vec![
            (
                "$.interviewer_id".to_owned(),
                "unknown_interviewer".to_owned()
            ),
            ("$.count".to_owned(), "count".to_owned()),
        ]
    );
    let interviewer = klankbord::store::managers::create(
        &app.db,
        "ivo@bellers.nl",
        "Ivo Beller",
        "geheim-wachtwoord-1",
        klankbord::store::managers::ManagerRole::Interviewer,
        now,
    )
    .await
    .unwrap();
    let (status, body) = api
        .send(
            Method::POST,
            &survey_path(&survey, "/call-assignments"),
            &json!({"interviewer_id": interviewer.id}),
        )
        .await;
    assert_eq!((status, body["assigned"].as_u64()), (200, Some(by_phone)));
    let (status, calls) = api.get(&survey_path(&survey, "/calls")).await;
    assert_eq!(status, 200);
    assert_eq!(calls["total"].as_u64(), Some(by_phone));
    assert_eq!(calls["unassigned"], 0);
    assert_eq!(calls["interviewers"][0]["members"].as_u64(), Some(by_phone));
    assert_eq!(calls["calls"], json!([]));

    // Pause, resume, close; changes the state does not allow are refused.
    let (status, paused) = api
        .send(Method::POST, &survey_path(&survey, "/pause"), &Value::Null)
        .await;
    assert_eq!((status, paused["status"].as_str()), (200, Some("paused")));
    let (status, body) = api
        .send(Method::POST, &survey_path(&survey, "/pause"), &Value::Null)
        .await;
    assert_eq!((status, body["error"].as_str()), (409, Some("state")));
    let (_, open) = api
        .send(Method::POST, &survey_path(&survey, "/resume"), &Value::Null)
        .await;
    assert_eq!(open["status"], "open");
    let (_, closed) = api
        .send(Method::POST, &survey_path(&survey, "/close"), &Value::Null)
        .await;
    assert_eq!(closed["status"], "closed");
    let (status, _) = api
        .send(Method::POST, &survey_path(&survey, "/close"), &Value::Null)
        .await;
    assert_eq!(status, 409);
    let (_, list) = api.get(SURVEYS).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
}
