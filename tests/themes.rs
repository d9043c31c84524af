//! Coding open answers with themes (the guide's step 6): themes made from the form and
//! from words that come back, keyword suggestions taken over, an answer coded by hand,
//! counts per theme and per group, the problem, insight and change written per theme,
//! and all of it in the reports — small themes and the answers themselves never outside
//! the manager's view.

mod common;

use common::respondents::{answered_survey, answers, choice};
use common::{TestApp, html};
use klankbord::domain::questionnaire::AnswerValue;
use klankbord::store::themes as theme_store;

/// 40 respondents (the first 28 with lived experience, the last 12 relatives); 32 give
/// an open answer: 14 about income, 10 about their boss, 8 relatives about the rules on
/// income.
async fn setup(app: &TestApp) -> (common::Browser, i64, Vec<i64>) {
    answered_survey(
        app,
        40,
        |i| if i < 28 { "ervaring" } else { "naaste" },
        |i| {
            let mut a = vec![("werk_nu", choice("ja"))];
            let text = match i {
                0..14 => Some("Mijn inkomen is onzeker als ik meer ga werken."),
                14..24 => Some("Mijn baas luistert niet naar mij."),
                28..36 => Some("De regels over inkomen zijn onduidelijk voor ons."),
                _ => None,
            };
            if let Some(t) = text {
                a.push(("wat_beter", AnswerValue::Text(t.into())));
            }
            Some(answers(a))
        },
    )
    .await
}

fn theme_id(themes: &[klankbord::store::entities::survey_theme::Model], name: &str) -> i64 {
    themes.iter().find(|t| t.name == name).expect(name).id
}

#[tokio::test]
async fn the_manager_codes_open_answers_and_the_themes_reach_the_reports() {
    let app = TestApp::with_panel().await;
    let (manager, survey_id, invitations) = setup(&app).await;
    let path = format!("/beheer/enquetes/{survey_id}/themas");

    // Linked from the results page; managers only.
    let (_, results) = manager
        .get_text(&format!("/beheer/enquetes/{survey_id}/resultaten"))
        .await;
    assert!(results.contains(&format!("href=\"{path}\"")));
    assert_eq!(app.browser().await.get(&path).await.status(), 303);

    let (status, page) = manager.get_text(&path).await;
    assert_eq!(status, 200);
    assert!(page.contains("32 mensen gaven een open antwoord"), "{page}");
    assert!(page.contains("Er zijn nog geen thema"));
    // Words that come back: "inkomen" is in 22 answers.
    assert!(page.contains("inkomen: in 22 antwoorden"), "{page}");
    assert!(page.contains(&html("Mijn baas luistert niet naar mij.")));

    // A theme without a name is refused with a message; nothing is stored.
    let r = manager
        .post(&path, &[("name", "  "), ("keywords", "x")])
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("Geef het thema een naam."));
    assert!(
        theme_store::list(&app.db, survey_id)
            .await
            .unwrap()
            .is_empty()
    );

    let r = manager
        .post(&path, &[("name", "Inkomen"), ("keywords", "inkomen, geld")])
        .await;
    assert_eq!(r.status(), 303);
    let r = manager
        .post(&path, &[("name", "inkomen"), ("keywords", "")])
        .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Er is al een thema met deze naam.")
    );
    // From a suggested word: name and keyword the word.
    let r = manager
        .post(&path, &[("name", "baas"), ("keywords", "baas")])
        .await;
    assert_eq!(r.status(), 303);
    let r = manager
        .post(&path, &[("name", "Regels"), ("keywords", "regels")])
        .await;
    assert_eq!(r.status(), 303);
    let themes = theme_store::list(&app.db, survey_id).await.unwrap();
    assert_eq!(themes.len(), 3);
    let (inkomen, baas) = (theme_id(&themes, "Inkomen"), theme_id(&themes, "baas"));

    // Every open answer has a suggestion; taking them over codes all 32 (the relatives'
    // answers get two themes).
    let (_, page) = manager.get_text(&path).await;
    assert!(
        page.contains("32 antwoorden zonder thema hebben een voorstel"),
        "{page}"
    );
    assert!(page.contains("(voorstel)"));
    let r = manager.post(&format!("{path}/voorstellen"), &[]).await;
    assert_eq!(r.status(), 303);
    assert!(
        r.headers()["location"]
            .to_str()
            .unwrap()
            .contains("klaar=voorstellen&n=32")
    );
    assert_eq!(
        theme_store::codes(&app.db, survey_id).await.unwrap().len(),
        40
    );

    // One answer by hand: the first relative's answer is about the boss only.
    let codes = theme_store::codes(&app.db, survey_id).await.unwrap();
    let responses = klankbord::store::results::finished_responses(&app.db, survey_id)
        .await
        .unwrap();
    let relative = responses[28].id;
    assert!(
        codes
            .iter()
            .any(|c| c.response_id == relative && c.theme_id == inkomen)
    );
    let r = manager
        .post(
            &format!("{path}/codes"),
            &[
                ("response", &relative.to_string()),
                ("question", "wat_beter"),
                ("theme", &baas.to_string()),
                ("back", "per=rol&toon=ongecodeerd"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let to = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(to.contains("per=rol&toon=ongecodeerd"), "{to}");
    assert!(
        to.ends_with(&format!("#antwoord-{relative}-wat_beter")),
        "{to}"
    );

    // Counts: Inkomen 21 of 32 (14 of 24 with lived experience, 7 of 8 relatives);
    // baas 11, Regels 7.
    let (_, page) = manager.get_text(&format!("{path}?per=rol")).await;
    assert!(page.contains("21 (65,6%)"), "{page}");
    assert!(page.contains("14 (58,3%)"), "{page}");
    assert!(page.contains("7 (87,5%)"), "{page}");
    assert!(page.contains("11 (34,4%)"), "{page}");
    assert!(page.contains("7 (21,9%)"), "{page}");

    // A theme of another survey, or an answer of another survey: not found.
    let (_, other) = app
        .open_survey(klankbord::store::managers::list(&app.db).await.unwrap()[0].id)
        .await;
    let r = manager
        .post(
            &format!("/beheer/enquetes/{other}/themas/codes"),
            &[
                ("response", &relative.to_string()),
                ("question", "wat_beter"),
            ],
        )
        .await;
    assert_eq!(r.status(), 404);
    assert_eq!(
        manager
            .get(&format!("/beheer/enquetes/{other}/themas/{inkomen}"))
            .await
            .status(),
        404
    );
    let r = manager
        .post(
            &format!("{path}/codes"),
            &[("response", "abc"), ("question", "wat_beter")],
        )
        .await;
    assert_eq!(r.status(), 400);

    // The meaning of the theme: a text that is too long is refused and changes nothing.
    let edit = format!("{path}/{inkomen}");
    let long = "x".repeat(2001);
    let r = manager
        .post(
            &edit,
            &[
                ("name", "Inkomen"),
                ("keywords", "inkomen"),
                ("problem", &long),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("Deze tekst is te lang"));
    assert_eq!(
        theme_store::get(&app.db, survey_id, inkomen)
            .await
            .unwrap()
            .keywords,
        "inkomen, geld"
    );
    let r = manager
        .post(
            &edit,
            &[
                ("name", "Inkomen"),
                ("keywords", "inkomen, geld"),
                (
                    "problem",
                    "Mensen weten niet wat ze overhouden als ze meer werken.",
                ),
                ("insight", "Onzekerheid over inkomen houdt mensen tegen."),
                ("change", "Eén rekenhulp voor werk en uitkering samen."),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, page) = manager.get_text(&edit).await;
    assert!(page.contains("21 van de 32 mensen met een open antwoord schreven hierover."));

    // The client's report: the themes with their counts and texts; Regels (7, below 10)
    // left out; no open answer.
    let (status, client) = manager
        .get_text(&format!(
            "/beheer/enquetes/{survey_id}/rapport/opdrachtgever.html"
        ))
        .await;
    assert_eq!(status, 200);
    assert!(
        client.contains(&html("21 van de 32 mensen (66%) schreven over ‘Inkomen’.")),
        "{client}"
    );
    assert!(client.contains(&html("Onzekerheid over inkomen houdt mensen tegen.")));
    assert!(client.contains(&html("Eén rekenhulp voor werk en uitkering samen.")));
    assert!(client.contains(&html("11 van de 32 mensen (34%) schreven over ‘baas’.")));
    assert!(!client.contains("‘Regels’"));
    assert!(client.contains("minder dan 10 mensen schreven, laten we weg"));
    assert!(!client.contains("luistert niet"));
    // Per group: 8 relatives with an open answer, below 10: hidden, and so are the 24
    // beside them (their sum is published).
    let table = &client[client.find("aantal mensen per groep").expect("the table")..];
    let table = &table[..table.find("</table>").unwrap()];
    assert!(!table.contains(">24<") && !table.contains(">8<"), "{table}");
    assert!(table.contains("minder dan 10"));

    // The respondents' report has the sentences too; the manager's has every theme.
    let (_, respondents) = manager
        .get_text(&format!(
            "/beheer/enquetes/{survey_id}/rapport/deelnemers.html"
        ))
        .await;
    assert!(respondents.contains(&html("21 van de 32 mensen (66%) schreven over ‘Inkomen’.")));
    assert!(!respondents.contains("‘Regels’"));
    let (_, manager_report) = manager
        .get_text(&format!("/beheer/enquetes/{survey_id}/rapport/beheer.html"))
        .await;
    assert!(manager_report.contains(&html("7 van de 32 mensen (22%) schreven over ‘Regels’.")));

    // Deleting a theme removes its codes, not the answers.
    let r = manager
        .post(&format!("{path}/{baas}/verwijderen"), &[])
        .await;
    assert_eq!(r.status(), 303);
    let codes = theme_store::codes(&app.db, survey_id).await.unwrap();
    assert_eq!(codes.len(), 28);
    assert!(codes.iter().all(|c| c.theme_id != baas));
    let (_, page) = manager.get_text(&path).await;
    assert!(page.contains(&html("Mijn baas luistert niet naar mij.")));

    // Erasing a member erases their response, and the codes on it.
    let invitation = klankbord::store::responses::invitation(&app.db, invitations[0])
        .await
        .unwrap();
    klankbord::service::members::erase(&app.db, invitation.member_id)
        .await
        .unwrap();
    assert_eq!(
        theme_store::codes(&app.db, survey_id).await.unwrap().len(),
        27
    );
}
