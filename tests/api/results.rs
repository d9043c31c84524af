//! A survey's results through the API: the manager's figures (open answers included),
//! weighted by raking to the panel's targets with the weights worked out by hand,
//! crosstabs, a weighting that cannot work said in words, unknown groupings refused,
//! and the feedback texts saved, refused with their problems, and published.

use klankbord::domain::questionnaire::AnswerValue;
use reqwest::Method;
use serde_json::{Value, json};

use crate::common::respondents::{answered_survey, answers, choice};
use crate::common::{ClockExt, TestApp};
use crate::{Api, paths};

fn question<'a>(body: &'a Value, id: &str) -> &'a Value {
    body["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["id"] == id)
        .unwrap_or_else(|| panic!("question {id} in {body}"))
}

fn close(a: &Value, b: f64) {
    let a = a.as_f64().unwrap_or_else(|| panic!("a number: {a}"));
    assert!((a - b).abs() < 1e-9, "{a} != {b}");
}

#[tokio::test]
async fn the_manager_reads_the_figures_weighted_and_split() {
    let app = TestApp::with_panel().await;
    // 12 respondents: 8 with experience (all work), 4 relatives (1 works); one open
    // answer.
    let (_, survey_id, _) = answered_survey(
        &app,
        12,
        |i| if i < 8 { "ervaring" } else { "naaste" },
        |i| {
            let mut a = vec![("werk_nu", choice(if i < 9 { "ja" } else { "nee" }))];
            if i == 0 {
                a.push((
                    "wat_beter",
                    AnswerValue::Text("Een baas die luistert".into()),
                ));
            }
            Some(answers(a))
        },
    )
    .await;
    let api = Api::admin(&app).await;
    let results = format!("/api/v1/surveys/{survey_id}/results");

    let (status, body) = api.get(&results).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["respondents"], 12);
    assert_eq!(
        body["by_mode"],
        json!([{"mode": "web", "finished": 12}, {"mode": "phone", "finished": 0}, {"mode": "paper", "finished": 0}])
    );
    assert_eq!(body["weighting"], Value::Null);
    let werk = question(&body, "werk_nu");
    assert_eq!(
        (werk["kind"].as_str(), &werk["answered"]),
        (Some("choice"), &json!(12))
    );
    let rows = werk["rows"].as_array().unwrap();
    assert_eq!((&rows[0]["n"], &rows[1]["n"]), (&json!(9), &json!(3)));
    close(&rows[0]["share"], 0.75);
    assert_eq!(rows[0]["weighted"], Value::Null);
    // The manager's own view: the open answer itself.
    assert_eq!(
        question(&body, "wat_beter")["open_answers"],
        json!(["Een baas die luistert"])
    );

    // Raked to the targets for rol (75% / 25%): experience 0.75·12/8 = 1.125, relatives
    // 0.25·12/4 = 0.75. Weighted "ja": (8·1.125 + 0.75) / 12 = 0.8125; design effect
    // 12·(8·1.125² + 4·0.75²) / 12² = 1.03125.
    let (status, body) = api
        .get(&format!("{results}?weight_by=rol&by=rol&by=:manier"))
        .await;
    assert_eq!(status, 200, "{body}");
    let w = &body["weighting"];
    assert_eq!(
        (&w["variables"], &w["weighted"]),
        (&json!(["rol"]), &json!(true))
    );
    close(&w["design_effect"], 1.03125);
    let ja = &question(&body, "werk_nu")["rows"][0];
    close(&ja["weighted"]["share"], 0.8125);
    close(&ja["share"], 0.75);
    let tabs = body["crosstabs"].as_array().unwrap();
    assert_eq!(tabs.len(), 2);
    assert_eq!(
        (tabs[0]["by"].as_str(), tabs[1]["by"].as_str()),
        (Some("rol"), Some(":manier"))
    );
    let werk = tabs[0]["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["id"] == "werk_nu")
        .unwrap();
    assert_eq!(werk["bases"], json!([8, 4]));
    assert_eq!(werk["rows"][0]["counts"], json!([8, 1]));
    assert_eq!(werk["rows"][1]["counts"], json!([0, 3]));

    // Nobody answered leeftijd: raking cannot work, said in words, figures unweighted.
    let (status, body) = api.get(&format!("{results}?weight_by=leeftijd")).await;
    assert_eq!(status, 200, "{body}");
    let w = &body["weighting"];
    assert_eq!(
        (&w["weighted"], w["error"].as_str()),
        (&json!(false), Some("uncovered_category"))
    );
    assert!(w["message"].as_str().unwrap().contains("leeftijd"), "{w}");
    assert_eq!(
        question(&body, "werk_nu")["rows"][0]["weighted"],
        Value::Null
    );

    // Unknown groupings and variables: 400 naming the parameter.
    for (query, name, code) in [
        ("by=bestaat_niet", "by", "unknown_grouping"),
        ("weight_by=bestaat_niet", "weight_by", "unknown_variable"),
    ] {
        let (status, body) = api.get(&format!("{results}?{query}")).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (400, Some("invalid_query")),
            "{body}"
        );
        assert_eq!(paths(&body), [(name.to_owned(), code.to_owned())]);
    }
    assert_eq!(api.get("/api/v1/surveys/999999/results").await.0, 404);
}

#[tokio::test]
async fn feedback_is_refused_with_its_problems_then_saved_and_published() {
    let app = TestApp::with_panel().await;
    let (_, survey_id, _) = answered_survey(
        &app,
        3,
        |_| "ervaring",
        |_| Some(answers(vec![("werk_nu", choice("ja"))])),
    )
    .await;
    let api = Api::admin(&app).await;
    let feedback = format!("/api/v1/surveys/{survey_id}/feedback");
    let put = |body: Value| {
        let api = api.clone();
        let feedback = feedback.clone();
        async move { api.send(Method::PUT, &feedback, &body).await }
    };

    // Publishing an open survey without texts: every problem, nothing stored.
    let (status, body) = put(json!({"action": "publish"})).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (422, Some("validation")),
        "{body}"
    );
    let found = paths(&body);
    for expected in [
        ("$.what_we_do", "what_we_do_empty"),
        ("$.what_changed", "what_changed_empty"),
        ("$.action", "not_closed"),
    ] {
        assert!(
            found.contains(&(expected.0.to_owned(), expected.1.to_owned())),
            "{expected:?} in {found:?}"
        );
    }
    let (status, body) = put(json!({"action": "bogus"})).await;
    assert_eq!(status, 422);
    assert_eq!(
        paths(&body),
        [("$.action".to_owned(), "unknown_action".to_owned())]
    );
    let results = format!("/api/v1/surveys/{survey_id}/results");
    assert_eq!(api.get(&results).await.1["feedback"], Value::Null);

    // Saved, then published once the survey closed.
    let texts = json!({
        "what_we_do": "We praten met de gemeente.",
        "what_changed": "Er komt een jobcoach.",
    });
    let mut save = texts.clone();
    save["action"] = json!("save");
    let (status, body) = put(save).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (&body["what_we_do"], &body["published_at"]),
        (&texts["what_we_do"], &Value::Null)
    );
    klankbord::service::fieldwork::close(&app.db, survey_id, app.clock.now_utc())
        .await
        .unwrap();
    let mut publish = texts.clone();
    publish["action"] = json!("publish");
    let (status, body) = put(publish).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["published_at"].is_string(), "{body}");
    let shown = api.get(&results).await.1;
    assert_eq!(shown["feedback"]["what_changed"], texts["what_changed"]);
    assert!(shown["feedback"]["published_at"].is_string());
}
