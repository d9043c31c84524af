//! The questionnaire editor: a manager builds a questionnaire without writing JSON.

mod common;

use common::TestApp;

fn location(r: &reqwest::Response) -> String {
    r.headers()["location"].to_str().unwrap().to_owned()
}

/// The version id in an editor path.
fn version_of(path: &str) -> i64 {
    path.split("/versies/")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn a_manager_builds_a_questionnaire_in_the_editor() {
    let app = TestApp::with_panel().await;
    let mgr = app.manager().await;
    let general = [
        ("id", "werk-en-geld"),
        ("kind", "vragenlijst"),
        ("title", "Werk en geld"),
        ("purpose", "We willen weten of werken loont voor u."),
        (
            "use_of_results",
            "We praten hierover met de gemeente. U krijgt de uitkomsten van ons.",
        ),
        ("estimated_minutes", "3"),
        ("closes_after_days", "14"),
        ("contact", "panel@voorbeeld.nl"),
        ("closing_remarks", "ja"),
    ];
    // Bad input first: no id and no minutes.
    let mut bad: Vec<(&str, &str)> = general
        .iter()
        .copied()
        .filter(|(k, _)| *k != "estimated_minutes")
        .collect();
    bad.retain(|(k, _)| *k != "id");
    bad.extend([
        ("id", "met spatie"),
        ("first_text", "Werkt u?"),
        ("first_kind", "single_choice"),
    ]);
    let r = mgr
        .post("/beheer/panels/ggz-panel/vragenlijsten/nieuw", &bad)
        .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("href=\"#f-id\"") && page.contains("href=\"#f-estimated_minutes\""),
        "{page}"
    );

    let mut fields = general.to_vec();
    fields.extend([
        ("first_text", "Heeft u nu betaald werk?"),
        ("first_kind", "single_choice"),
    ]);
    let r = mgr
        .post("/beheer/panels/ggz-panel/vragenlijsten/nieuw", &fields)
        .await;
    assert_eq!(r.status(), 303);
    let question_page = location(&r);
    assert!(question_page.ends_with("/editor/vraag/0"));
    let (_, page) = mgr.get_text(&question_page).await;
    assert!(
        page.contains("value=\"Ja\"") && page.contains("value=\"Nee\""),
        "starter options"
    );

    // Make it required; then add a number question shown only to people who work.
    let v1 = version_of(&question_page);
    let r = mgr
        .post(
            &format!("/beheer/vragenlijsten/versies/{v1}/editor/vraag/0"),
            &[
                ("kind", "single_choice"),
                ("text", "Heeft u nu betaald werk?"),
                ("required", "ja"),
                ("option_value_0", "ja"),
                ("option_label_0", "Ja"),
                ("option_value_1", "nee"),
                ("option_label_1", "Nee"),
                ("option_value_2", ""),
                ("option_label_2", "Soms"),
                ("show_if", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let v2 = version_of(&location(&r));
    let r = mgr
        .post(
            &format!("/beheer/vragenlijsten/versies/{v2}/editor/nieuw"),
            &[
                ("text", "Hoeveel uur werkt u per week?"),
                ("kind", "number"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let edit = location(&r);
    assert!(edit.ends_with("/editor/vraag/1"));
    let (_, page) = mgr.get_text(&edit).await;
    assert!(
        page.contains("Alleen als bij vraag 1 (&#39;Heeft u nu betaald werk?&#39;) is gekozen: Ja"),
        "{page}"
    );
    let v3 = version_of(&edit);
    // A minimum that is not a number is refused at the field.
    let r = mgr
        .post(
            &format!("/beheer/vragenlijsten/versies/{v3}/editor/vraag/1"),
            &[
                ("kind", "number"),
                ("text", "Hoeveel uur werkt u per week?"),
                ("min", "nul"),
                ("show_if", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("href=\"#f-min\""));
    let r = mgr
        .post(
            &format!("/beheer/vragenlijsten/versies/{v3}/editor/vraag/1"),
            &[
                ("kind", "number"),
                ("text", "Hoeveel uur werkt u per week?"),
                ("min", "0"),
                ("max", "80"),
                ("unit", "uur per week"),
                ("show_if", "vraag_1=ja"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap_or_default());
    let v4 = version_of(&location(&r));

    // Moving the conditional question above its condition would break routing: refused.
    let r = mgr
        .post(
            &format!("/beheer/vragenlijsten/versies/{v4}/editor/vraag/1/omhoog"),
            &[],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("Niet opgeslagen"));

    // The result is a valid questionnaire with the routing, and it can be piloted.
    let version = klankbord::store::questionnaires::version(&app.db, v4)
        .await
        .unwrap();
    let q = klankbord::store::questionnaires::parsed(&version).unwrap();
    assert_eq!(q.questions.len(), 2);
    assert!(q.questions[0].required);
    assert_eq!(q.questions[0].kind.options().len(), 3);
    assert_eq!(q.questions[0].kind.options()[2].value.as_str(), "soms");
    assert!(q.questions[1].show_if.is_some());
    let (_, review) = mgr
        .get_text(&format!("/beheer/vragenlijsten/versies/{v4}"))
        .await;
    assert!(review.contains("versie 4"));
    let (status, _) = mgr.get_text(&format!("/voorbeeld/{v4}")).await;
    assert_eq!(status, 200);
    app.stop().await;
}

#[tokio::test]
async fn a_question_is_tied_to_a_background_variable_in_the_editor() {
    let app = TestApp::with_panel().await;
    let mgr = app.manager().await;
    let fields = [
        ("id", "dagbesteding"),
        ("kind", "vragenlijst"),
        ("title", "Uw dag"),
        ("purpose", "We willen weten wat u overdag doet."),
        (
            "use_of_results",
            "We praten hierover met de gemeente. U krijgt de uitkomsten van ons.",
        ),
        ("estimated_minutes", "3"),
        ("closes_after_days", "14"),
        ("contact", "panel@voorbeeld.nl"),
        ("first_text", "Wat doet u nu het meest?"),
        ("first_kind", "single_choice"),
    ];
    let r = mgr
        .post("/beheer/panels/ggz-panel/vragenlijsten/nieuw", &fields)
        .await;
    assert_eq!(r.status(), 303);
    let question_page = location(&r);
    let (_, page) = mgr.get_text(&question_page).await;
    assert!(page.contains("name=\"profile\""), "{page}");
    assert!(
        page.contains("Ja: Wat doet u nu het meest? (kenmerk situatie)"),
        "{page}"
    );
    let v1 = version_of(&question_page);
    let action = format!("/beheer/vragenlijsten/versies/{v1}/editor/vraag/0");

    // Only a question with one answer can come from the profile.
    let r = mgr
        .post(
            &action,
            &[
                ("kind", "grade"),
                ("text", "Wat doet u nu het meest?"),
                ("profile", "situatie"),
                ("show_if", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("href=\"#f-profile\""));

    // Tied: the answers become the groups of the characteristic, with the panel's labels
    // (which the manager can reword afterwards).
    let r = mgr
        .post(
            &action,
            &[
                ("kind", "single_choice"),
                ("text", "Wat doet u nu het meest?"),
                ("profile", "situatie"),
                ("option_value_0", ""),
                ("option_label_0", "Ja"),
                ("option_value_1", ""),
                ("option_label_1", "Nee"),
                ("show_if", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap_or_default());
    let v2 = version_of(&location(&r));
    let version = klankbord::store::questionnaires::version(&app.db, v2)
        .await
        .unwrap();
    let q = klankbord::store::questionnaires::parsed(&version).unwrap();
    let tied = &q.questions[0].kind;
    assert_eq!(tied.profile().map(|v| v.as_str()), Some("situatie"));
    let values: Vec<&str> = tied.options().iter().map(|o| o.value.as_str()).collect();
    assert_eq!(
        values,
        [
            "uitkering",
            "dagbesteding",
            "beschut_werk",
            "banenafspraak",
            "regulier_werk",
            "vrijwilligerswerk"
        ]
    );
    let (_, page) = mgr
        .get_text(&format!(
            "/beheer/vragenlijsten/versies/{v2}/editor/vraag/0"
        ))
        .await;
    assert!(page.contains("value=\"situatie\" selected"), "{page}");
    assert!(page.contains("value=\"Ik ga naar dagbesteding\""));
    let (_, review) = mgr
        .get_text(&format!("/beheer/vragenlijsten/versies/{v2}"))
        .await;
    assert!(
        review.contains("uit het profiel (kenmerk situatie)"),
        "{review}"
    );
    app.stop().await;
}
