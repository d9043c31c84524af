//! The fieldwork quality page: AAPOR outcomes per invitation, the participation rate for
//! an opt-in panel, and the R-indicator showing which group answered less.

mod common;

use common::fieldwork::members;
use common::{ClockExt, TestApp, html};
use klankbord::domain::questionnaire::{AnswerValue, Answers, OptionValue, QuestionId};
use klankbord::domain::response::{Channel, Mode};
use klankbord::store::{members as member_store, responses};

#[tokio::test]
async fn the_manager_sees_outcomes_participation_and_the_r_indicator() {
    let app = TestApp::with_panel().await;
    let manager = app.manager().await;
    let manager_id = klankbord::store::managers::list(&app.db).await.unwrap()[0].id;
    let (_, survey_id) = app.open_survey(manager_id).await;
    let now = app.clock.now_utc();
    // 20 with lived experience, 20 relatives; 15 and 5 of them answer.
    let ids = members(&app.db, 40, now, |i| {
        vec![("rol", if i < 20 { "ervaring" } else { "naaste" })]
    })
    .await;
    let survey = responses::survey(&app.db, survey_id).await.unwrap();
    for (i, id) in ids.iter().enumerate() {
        responses::invite(&app.db, survey_id, *id, Channel::Email, now)
            .await
            .unwrap();
        let answers = i < 15 || (20..25).contains(&i);
        if !answers {
            continue;
        }
        let m = member_store::get(&app.db, *id).await.unwrap();
        let r = responses::start_response(&app.db, &survey, &m.pseudonym, Mode::Web, None, now)
            .await
            .unwrap();
        let given: Answers = [(
            QuestionId::parse("werk_nu").unwrap(),
            AnswerValue::Choice(OptionValue::parse("ja").unwrap()),
        )]
        .into_iter()
        .collect();
        let qids: Vec<QuestionId> = given.keys().cloned().collect();
        responses::save_answers(&app.db, r.id, &given, &qids, now)
            .await
            .unwrap();
        responses::finish(&app.db, r.id, now).await.unwrap();
    }

    let path = format!("/beheer/enquetes/{survey_id}/kwaliteit");
    let (_, results) = manager
        .get_text(&format!("/beheer/enquetes/{survey_id}/resultaten"))
        .await;
    assert!(results.contains(&format!("href=\"{path}\"")));
    assert_eq!(app.browser().await.get(&path).await.status(), 303);
    let (status, page) = manager.get_text(&path).await;
    assert_eq!(status, 200);
    // Opt-in panel: the participation rate leads. 20 of 40.
    assert!(
        page.contains("Deelname: 50,0% van de uitnodigingen gaf een bruikbaar antwoord."),
        "{page}"
    );
    assert!(
        page.contains(
            "<th scope=\"row\">Helemaal ingevuld</th><td>1.1</td><td class=\"num\">20</td>"
        )
    );
    assert!(page.contains(
        "<th scope=\"row\">Onbekend: niets teruggekregen</th><td>3.2–3.9</td><td class=\"num\">20</td>"
    ));
    // RR1 = I / (I + P + R + NC + O + UH + UO) = 20 / 40.
    assert!(
        page.contains(
            "<th scope=\"row\">Responsgraad</th><td>RR1</td><td class=\"num\">50,0%</td>"
        )
    );
    // Propensities 0.75 and 0.25 (one variable: the cell response rates); sample sd
    // sqrt(40 · 0.0625 / 39) = 0.2532, so R = 1 − 2 · 0.2532 = 0.494. Relatives:
    // sqrt(20/40) · (0.25 − 0.5) = −0.177, under-represented.
    assert!(page.contains("R-indicator: 0,494"), "{page}");
    let relatives = html("Ik ben naaste van iemand met psychische klachten");
    assert!(page.contains(&format!(
        "<th scope=\"row\">{relatives} <span class=\"small\">(minder respons)</span></th><td class=\"num\">20</td><td class=\"num\">5</td><td class=\"num\">25,0%</td><td class=\"num\">-0,177</td>"
    )));
    assert!(page.contains(&format!("<li>{relatives}</li>")));
    assert!(page.contains("(partiële indicator 0,250)"));
}
