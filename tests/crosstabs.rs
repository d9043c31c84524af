//! Crosstabs on the manager's breakdown page: counts and percentages per background
//! group and per way of answering, small groups marked for the manager, and hidden with
//! their complements in the view outsiders get.

mod common;

use common::fieldwork::members;
use common::{ClockExt, TestApp, html};
use klankbord::domain::questionnaire::{AnswerValue, Answers, OptionValue, QuestionId};
use klankbord::domain::response::{Channel, Mode, Proxy};
use klankbord::store::{members as member_store, responses};

/// Member `i` of 30: the first 20 have lived experience, the last 10 are relatives.
/// Members 0–14 and 20–29 work; every third member answered by phone.
async fn setup(app: &TestApp) -> (common::Browser, i64) {
    let manager = app.manager().await;
    let manager_id = klankbord::store::managers::list(&app.db).await.unwrap()[0].id;
    let (_, survey_id) = app.open_survey(manager_id).await;
    let now = app.clock.now_utc();
    let ids = members(&app.db, 30, now, |i| {
        vec![("rol", if i < 20 { "ervaring" } else { "naaste" })]
    })
    .await;
    let survey = responses::survey(&app.db, survey_id).await.unwrap();
    for (i, id) in ids.iter().enumerate() {
        responses::invite(&app.db, survey_id, *id, Channel::Email, now)
            .await
            .unwrap();
        let m = member_store::get(&app.db, *id).await.unwrap();
        let mode = if i % 3 == 0 { Mode::Phone } else { Mode::Web };
        let r = responses::start_response(&app.db, &survey, &m.pseudonym, mode, None, now)
            .await
            .unwrap();
        responses::set_proxy(&app.db, r.id, Proxy::Alone, now)
            .await
            .unwrap();
        let works = !(15..20).contains(&i);
        let value = OptionValue::parse(if works { "ja" } else { "nee" }).unwrap();
        let given: Answers = [(
            QuestionId::parse("werk_nu").unwrap(),
            AnswerValue::Choice(value),
        )]
        .into_iter()
        .collect();
        let ids: Vec<QuestionId> = given.keys().cloned().collect();
        responses::save_answers(&app.db, r.id, &given, &ids, now)
            .await
            .unwrap();
        responses::finish(&app.db, r.id, now).await.unwrap();
    }
    (manager, survey_id)
}

/// The table of the question "Heeft u nu betaald werk?".
fn werk_table(page: &str) -> &str {
    let start = page.find("Heeft u nu betaald werk?").expect("the question");
    let end = page[start..].find("</table>").unwrap() + start;
    &page[start..end]
}

fn row(label: &str, cells: &[&str]) -> String {
    let cells: String = cells
        .iter()
        .map(|c| format!("<td class=\"num\">{c}</td>"))
        .collect();
    format!("<th scope=\"row\">{}</th>{cells}", html(label))
}

#[tokio::test]
async fn the_manager_splits_answers_by_background_and_by_mode() {
    let app = TestApp::with_panel().await;
    let (manager, survey_id) = setup(&app).await;

    // Linked from the results page; managers only.
    let results = format!("/beheer/enquetes/{survey_id}/resultaten");
    let (_, page) = manager.get_text(&results).await;
    let path = format!("/beheer/enquetes/{survey_id}/uitsplitsing");
    assert!(page.contains(&format!("href=\"{path}\"")));
    assert_eq!(app.browser().await.get(&path).await.status(), 303);

    let (status, page) = manager.get_text(&format!("{path}?per=rol")).await;
    assert_eq!(status, 200);
    assert!(page.contains("<option value=\"rol\" selected>"));
    let table = werk_table(&page);
    assert!(table.contains(&html("Ik ben naaste van iemand met psychische klachten")));
    // Lived experience: 15 of 20 work; relatives: all 10. The 5 is a small group, and
    // outsiders will not see the other three either (its complements): all marked.
    let small = |c: &str| format!("{c} <span class=\"small\">(kleine groep)</span>");
    assert!(
        table.contains(&row("Ja", &[&small("15 (75,0%)"), &small("10 (100,0%)")])),
        "{table}"
    );
    assert!(table.contains(&row("Nee", &[&small("5 (25,0%)"), &small("0 (0,0%)")])));
    assert!(table.contains(&row("Aantal mensen dat antwoord gaf", &["20", "10"])));

    // As outsiders see it: the 5 is a small group; with it go a complement in its row
    // and one in each column, so none of the four can be worked out.
    let (_, public) = manager
        .get_text(&format!("{path}?per=rol&weergave=publiek"))
        .await;
    let table = werk_table(&public);
    let hidden = "minder dan 10";
    assert!(table.contains(&row("Ja", &[hidden, hidden])), "{table}");
    assert!(table.contains(&row("Nee", &[hidden, hidden])));
    assert!(table.contains(&row("Aantal mensen dat antwoord gaf", &["20", "10"])));
    assert!(!table.contains("(75,0%)"));

    // By way of answering: every third by phone, nobody on paper.
    let (_, page) = manager.get_text(&format!("{path}?per=%3Amanier")).await;
    let table = werk_table(&page);
    assert!(table.contains("<th scope=\"col\" class=\"num\">telefoon</th>"));
    assert!(
        table.contains(&row("Aantal mensen dat antwoord gaf", &["20", "10", "0"])),
        "{table}"
    );
}

#[tokio::test]
async fn the_manager_weights_the_figures_to_the_panel_targets() {
    let app = TestApp::with_panel().await;
    let (manager, survey_id) = setup(&app).await;
    let path = format!("/beheer/enquetes/{survey_id}/resultaten");
    let (_, page) = manager.get_text(&path).await;
    assert!(page.contains("name=\"wegen\" value=\"rol\""));
    assert!(!page.contains("Gewogen %"));

    // Targets 75% / 25%; the respondents are 20 / 10. Weights 1.125 and 0.75: Σw² =
    // 30.9375, design effect 30 · 30.9375 / 900 = 1.03, effective n 900 / 30.9375 = 29.1.
    let (status, page) = manager.get_text(&format!("{path}?wegen=rol")).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("30 antwoorden tellen samen als 29,1 (effectieve steekproefgrootte). Het designeffect van de weging is 1,03."),
        "{page}"
    );
    assert!(page.contains("<th scope=\"col\" class=\"num\">Gewogen %</th>"));
    // "Ja": unweighted 25 of 30 (83.3%); weighted (15 · 1.125 + 10 · 0.75) / 30 = 81.25%.
    let ja = page.find("<th scope=\"row\">Ja</th>").unwrap();
    let line = &page[ja..ja + page[ja..].find("</tr>").unwrap()];
    assert!(line.contains("83,3%"), "{line}");
    assert!(line.contains("81,2%") || line.contains("81,3%"), "{line}");

    // The downloads carry the same weights: 1.125 for lived experience, 0.75 for
    // relatives.
    let csv = format!("/beheer/enquetes/{survey_id}/export/antwoorden.csv?wegen=rol");
    assert!(
        page.contains(&html(&csv)),
        "the results page links the weighted CSV"
    );
    let r = manager.get(&csv).await;
    assert_eq!(r.status(), 200);
    let text = r.text().await.unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let (rol, weight) = (
        header.iter().position(|h| *h == "bg_rol").unwrap(),
        header.iter().position(|h| *h == "weight").unwrap(),
    );
    let mut seen: Vec<(String, String)> = lines
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            (cells[rol].to_owned(), cells[weight].to_owned())
        })
        .collect();
    seen.sort();
    seen.dedup();
    assert_eq!(
        seen,
        [
            ("1".to_owned(), "1.125".to_owned()),
            ("2".to_owned(), "0.75".to_owned())
        ]
    );
    // Without weighting every weight is 1; a weighting that cannot work is refused.
    let plain = manager
        .get(&format!(
            "/beheer/enquetes/{survey_id}/export/antwoorden.csv"
        ))
        .await
        .text()
        .await
        .unwrap();
    assert!(plain.lines().skip(1).all(|l| l.ends_with(",1")));
    let r = manager
        .get(&format!(
            "/beheer/enquetes/{survey_id}/export/antwoorden.csv?wegen=leeftijd"
        ))
        .await;
    assert_eq!(r.status(), 400);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Wegen lukte niet met deze kenmerken.")
    );

    // Nobody answered the age question: a clear message, unweighted figures.
    let (status, page) = manager.get_text(&format!("{path}?wegen=leeftijd")).await;
    assert_eq!(status, 200);
    assert!(
        page.contains(
            "30 mensen zitten in de groep Onbekend van leeftijd, maar die groep heeft geen doel."
        ),
        "{page}"
    );
    assert!(!page.contains("Gewogen %"));
}
