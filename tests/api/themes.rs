//! The themes of open answers through the API: a theme refused with its problems at
//! their JSON paths, made, suggested by its keywords, given to answers one by one and by
//! taking over the suggestions, counted per respondent, changed, and removed.

use klankbord::domain::questionnaire::AnswerValue;
use reqwest::Method;
use serde_json::{Value, json};

use crate::common::TestApp;
use crate::common::respondents::{answered_survey, answers, choice};
use crate::{Api, paths};

#[tokio::test]
async fn themes_are_made_given_to_answers_counted_and_removed() {
    let app = TestApp::with_panel().await;
    let texts = [
        "Mijn baas luistert niet",
        "Een baas die luistert zou helpen",
        "Minder reistijd",
    ];
    let (_, survey_id, _) = answered_survey(
        &app,
        4,
        |_| "ervaring",
        |i| {
            let mut a = vec![("werk_nu", choice("nee"))];
            if let Some(text) = texts.get(i) {
                a.push(("wat_beter", AnswerValue::Text((*text).into())));
            }
            Some(answers(a))
        },
    )
    .await;
    let api = Api::admin(&app).await;
    let themes = format!("/api/v1/surveys/{survey_id}/themes");

    // Refused: an empty name and too long a text; nothing made.
    let long = "x".repeat(2001);
    let (status, body) = api
        .send(
            Method::POST,
            &themes,
            &json!({"name": " ", "problem": long}),
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (422, Some("validation")),
        "{body}"
    );
    let mut found = paths(&body);
    found.sort();
    assert_eq!(
        found,
        [
            ("$.name".to_owned(), "name_empty".to_owned()),
            ("$.problem".to_owned(), "too_long".to_owned()),
        ]
    );
    let (status, board) = api.get(&themes).await;
    assert_eq!(status, 200, "{board}");
    assert_eq!(
        (
            board["themes"].as_array().unwrap().len(),
            &board["answered"]
        ),
        (0, &json!(3))
    );

    // Made, with a keyword that suggests it for the two answers about the boss.
    let (status, made) = api
        .send(
            Method::POST,
            &themes,
            &json!({"name": "Een baas die luistert", "keywords": ["Baas"],
                    "problem": "Werkgevers weten niet wat iemand nodig heeft."}),
        )
        .await;
    assert_eq!(status, 201, "{made}");
    let listening = made["id"].as_i64().unwrap();
    let (status, body) = api
        .send(
            Method::POST,
            &themes,
            &json!({"name": "een baas die LUISTERT"}),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        paths(&body),
        [("$.name".to_owned(), "name_taken".to_owned())]
    );
    let (_, board) = api.get(&themes).await;
    let answers_of = |board: &Value| -> Vec<(String, Vec<i64>, Vec<i64>)> {
        board["answers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                let ids = |v: &Value| {
                    v.as_array()
                        .unwrap()
                        .iter()
                        .map(|t| t.as_i64().unwrap())
                        .collect()
                };
                (
                    a["text"].as_str().unwrap().to_owned(),
                    ids(&a["themes"]),
                    ids(&a["suggested"]),
                )
            })
            .collect()
    };
    let mut seen = answers_of(&board);
    seen.sort();
    assert_eq!(
        seen,
        [
            (texts[1].to_owned(), vec![], vec![listening]),
            (texts[0].to_owned(), vec![], vec![listening]),
            (texts[2].to_owned(), vec![], vec![]),
        ]
    );
    assert_eq!(board["themes"][0]["keywords"], json!(["baas"]));

    // A second theme given by hand to the answer about travelling.
    let (_, made) = api
        .send(Method::POST, &themes, &json!({"name": "Reizen"}))
        .await;
    let travel = made["id"].as_i64().unwrap();
    let travel_answer = board["answers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["text"] == texts[2])
        .unwrap();
    let response = travel_answer["response_id"].as_i64().unwrap();
    let path = format!("/api/v1/surveys/{survey_id}/responses/{response}/themes");
    let (status, _) = api
        .send(
            Method::PUT,
            &path,
            &json!({"question_id": "wat_beter", "themes": [travel]}),
        )
        .await;
    assert_eq!(status, 204);
    // Not an open answer, or a theme of no survey: not found, nothing changed.
    let (status, body) = api
        .send(
            Method::PUT,
            &path,
            &json!({"question_id": "werk_nu", "themes": [travel]}),
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (404, Some("not_found")),
        "{body}"
    );
    let (status, _) = api
        .send(
            Method::PUT,
            &path,
            &json!({"question_id": "wat_beter", "themes": [999_999]}),
        )
        .await;
    assert_eq!(status, 404);

    // The suggestions taken over: the two answers about the boss.
    let (status, body) = api
        .send(Method::POST, &format!("{themes}/suggestions"), &json!({}))
        .await;
    assert_eq!((status, &body["answers"]), (200, &json!(2)), "{body}");
    let (_, board) = api.get(&themes).await;
    let counts: Vec<(&str, &Value)> = board["themes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["name"].as_str().unwrap(), &t["respondents"]))
        .collect();
    assert_eq!(
        counts,
        [("Een baas die luistert", &json!(2)), ("Reizen", &json!(1))]
    );
    assert_eq!(board["coded"], 3);

    // Changed, then removed (and from the answer that had it).
    let (status, _) = api
        .send(
            Method::PUT,
            &format!("{themes}/{travel}"),
            &json!({"name": "Reistijd", "change": "Vervoer dat op tijd komt."}),
        )
        .await;
    assert_eq!(status, 200);
    let (_, board) = api.get(&themes).await;
    assert_eq!(board["themes"][1]["change"], "Vervoer dat op tijd komt.");
    let (status, _) = api
        .send(Method::DELETE, &format!("{themes}/{travel}"), &Value::Null)
        .await;
    assert_eq!(status, 204);
    let (_, board) = api.get(&themes).await;
    assert_eq!(board["themes"].as_array().unwrap().len(), 1);
    assert_eq!(board["coded"], 2);
    let (status, _) = api
        .send(Method::DELETE, &format!("{themes}/{travel}"), &Value::Null)
        .await;
    assert_eq!(status, 404);
}
