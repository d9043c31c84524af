//! Paper: the printable questionnaire, and a manager typing in a returned paper
//! questionnaire for an invited member (mode paper, entered by, who filled it in,
//! times and version), with the same checks as on the web and an audit entry.

mod common;

use chrono::Duration;
use common::{Browser, ClockExt, TestApp, html};
use klankbord::domain::contact::EmailAddress;
use klankbord::domain::questionnaire::flow::Flow;
use klankbord::domain::questionnaire::{AnswerValue, ScaleAnswer, parse_questionnaire};
use klankbord::domain::response::{Channel, Mode, Proxy, ResponseStatus};
use klankbord::i18n::Lang;
use klankbord::store::entities::member;
use klankbord::store::{audit, members, responses};

use common::QUESTIONNAIRE;

/// The manager's browser, the uploaded version and an open survey of it.
struct Setup {
    manager: Browser,
    manager_id: i64,
    version_id: i64,
    survey_id: i64,
}

async fn setup(app: &TestApp) -> Setup {
    let manager = app.manager().await;
    let manager_id = klankbord::store::managers::list(&app.db).await.unwrap()[0].id;
    let (version_id, survey_id) = app.open_survey(manager_id).await;
    Setup {
        manager,
        manager_id,
        version_id,
        survey_id,
    }
}

/// A confirmed member, invited to the survey by post; returns the member and the token
/// of their invitation link.
async fn invited_member(app: &TestApp, survey_id: i64, email: &str) -> (member::Model, String) {
    app.browser().await.sign_up_and_confirm(app, email).await;
    let m = members::find_by_email(&app.db, "ggz-panel", &EmailAddress::parse(email).unwrap())
        .await
        .unwrap()
        .unwrap();
    let (_, token) =
        responses::invite(&app.db, survey_id, m.id, Channel::Post, app.clock.now_utc())
            .await
            .unwrap();
    (m, token)
}

fn location(r: &reqwest::Response) -> String {
    r.headers()["location"].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn the_printable_questionnaire_has_every_question_its_routing_and_boxes() {
    let app = TestApp::with_panel().await;
    let s = setup(&app).await;
    let path = format!("/beheer/vragenlijsten/versies/{}/papier", s.version_id);

    // Without a manager login: the login page.
    let r = app.browser().await.get(&path).await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/beheer/inloggen");

    let (status, page) = s.manager.get_text(&path).await;
    assert_eq!(status, 200);
    assert!(page.contains(r#"<html lang="nl">"#));
    assert!(page.contains("/static/papier.css"));
    assert!(
        !page.contains(r#"class="site""#),
        "no site header or footer"
    );
    let q = parse_questionnaire(QUESTIONNAIRE.as_bytes()).unwrap();
    let flow = Flow::new(&q, Lang::Nl);
    assert_eq!(flow.questions().len(), 13);
    for (i, question) in flow.questions().iter().enumerate() {
        let heading = format!(
            "<span class=\"num\">{}.</span> {}",
            i + 1,
            html(&question.text)
        );
        assert!(
            page.contains(&heading),
            "question {} missing: {heading}",
            i + 1
        );
    }
    for text in [
        // Front matter: purpose, use, time, deadline, return, contact, who fills it in.
        &q.purpose,
        &q.use_of_results,
        "Ongeveer 8 minuten.",
        "Een cadeaubon van € 5,00.",
        "Stuur de vragenlijst terug vóór:",
        "Doe de ingevulde vragenlijst in de envelop die erbij zat.",
        "Mail naar panel@voorbeeld.nl.",
        "Wie vult de vragen in?",
        "Ik vul in met hulp van iemand anders",
        // Routing in words, boxes and lines in words.
        "Alleen invullen als u bij vraag 1 &#39;Ja&#39; koos.",
        "Kruis één hokje aan.",
        "U mag meer hokjes aankruisen (ten hoogste 3).",
        "kruis dit alleen aan als niets anders past",
        "Iets anders, namelijk:",
        "Kruis één cijfer aan, van 1 tot en met 10.",
        "Weet ik niet",
        "Schrijf een heel getal op de lijn, van 0 tot en met 80.",
        "uur per week",
        "Schrijf uw antwoord op de lijnen.",
        "(optioneel)",
    ] {
        assert!(
            page.contains(&html(text)) || page.contains(text),
            "missing: {text}"
        );
    }
    assert!(page.matches(r#"class="box""#).count() > 30, "boxes to tick");
    assert!(page.contains(r#"class="lines""#), "ruled lines");
    // Routing is said once per conditional question: three follow up on question 1.
    assert_eq!(page.matches("Alleen invullen als u bij vraag 1").count(), 3);

    let css = s
        .manager
        .get("/static/papier.css")
        .await
        .text()
        .await
        .unwrap();
    assert!(css.contains("@media print") && css.contains("break-inside: avoid"));
    assert!(css.contains("size: A4"));

    // The review page links to it.
    let (_, review) = s
        .manager
        .get_text(&format!("/beheer/vragenlijsten/versies/{}", s.version_id))
        .await;
    assert!(review.contains(&path));
    app.stop().await;
}

#[tokio::test]
async fn a_manager_enters_a_paper_questionnaire_once() {
    let app = TestApp::with_panel().await;
    let s = setup(&app).await;
    let (member, _) = invited_member(&app, s.survey_id, "anna@voorbeeld.nl").await;
    let entry = format!("/beheer/enquetes/{}/papier", s.survey_id);

    // The panel's surveys link to the paper entry; the dashboard links to the surveys.
    let (_, dashboard) = s.manager.get_text("/beheer").await;
    assert!(dashboard.contains("/beheer/panels/ggz-panel/enquetes"));
    let (status, list) = s
        .manager
        .get_text("/beheer/panels/ggz-panel/enquetes")
        .await;
    assert_eq!(status, 200);
    assert!(list.contains("Wat betekent betaald werk voor u?"));
    assert!(list.contains(&entry));

    // Find the member by email address, and by member number.
    let (_, page) = s
        .manager
        .get_text(&format!("{entry}?q=anna%40voorbeeld"))
        .await;
    assert!(page.contains(&format!("Anna de Vries (lid {})", member.id)));
    assert!(page.contains("uitgenodigd per post"));
    assert!(page.contains("nog geen antwoorden"));
    let (_, page) = s
        .manager
        .get_text(&format!("{entry}?q={}", member.id))
        .await;
    assert!(page.contains(&format!("value=\"{}\"", member.id)));

    let started = app.clock.now_utc();
    let id = member.id.to_string();
    let r = s
        .manager
        .post(&entry, &[("member", &id), ("q", "anna")])
        .await;
    assert_eq!(r.status(), 303);
    let base = location(&r).trim_end_matches("/wie").to_owned();
    assert!(base.starts_with("/beheer/papier/"), "{base}");

    // Other people do not get to the entry pages.
    let r = app.browser().await.get(&format!("{base}/alle")).await;
    assert_eq!(location(&r), "/beheer/inloggen");

    let (_, who) = s.manager.get_text(&format!("{base}/wie")).await;
    assert!(who.contains("U typt de papieren vragenlijst over van Anna de Vries"));
    let r = s
        .manager
        .post(&format!("{base}/wie"), &[("proxy", "by_other")])
        .await;
    assert_eq!(location(&r), format!("{base}/alle"));
    let (_, all) = s.manager.get_text(&format!("{base}/alle")).await;
    assert!(
        all.contains("5. Hoeveel uur per week werkt u?"),
        "numbered as on paper"
    );

    // A number out of range: refused at the field, not stored.
    let r = s
        .manager
        .post(
            &format!("{base}/alle"),
            &[("answer.werk_nu", "ja"), ("answer.uren_week", "120")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("Vul een getal in van 0 tot en met 80."));
    assert!(
        page.contains(r##"href="#a-uren_week""##),
        "the summary links to the field"
    );
    assert!(page.contains(r#"id="a-uren_week-error""#));
    let response_id: i64 = base.rsplit('/').next().unwrap().parse().unwrap();
    let stored = responses::answers(&app.db, response_id).await.unwrap();
    assert!(!stored.contains_key("uren_week"), "{stored:?}");
    let response = responses::response(&app.db, response_id).await.unwrap();
    assert_eq!(response.status, ResponseStatus::InProgress);

    // The whole questionnaire as written on paper. A question that is required on the web
    // (effect_leven) was left blank on paper, and is entered blank.
    let r = s
        .manager
        .post(
            &format!("{base}/alle"),
            &[
                ("answer.werk_nu", "ja"),
                ("answer.cijfer_steun", "7"),
                ("answer.steun_helpt", "jobcoach"),
                ("answer.steun_helpt", "uren"),
                ("answer.uren_week", "24"),
                ("answer.eens_zeker", "dont_know"),
                ("answer.wat_beter", "Meer begrip."),
                ("answer._eval_answering", "8"),
            ],
        )
        .await;
    assert_eq!(location(&r), format!("{base}/controleren"));
    let (_, check) = s.manager.get_text(&format!("{base}/controleren")).await;
    assert!(check.contains("Iemand anders vult de vragen voor mij in"));
    app.clock.advance(Duration::minutes(7));
    let r = s.manager.post(&format!("{base}/controleren"), &[]).await;
    assert_eq!(location(&r), format!("{base}/klaar"));
    let (_, done) = s.manager.get_text(&format!("{base}/klaar")).await;
    assert!(done.contains("Ingevoerd"));
    assert!(done.contains(&entry), "a link to enter the next one");

    let response = responses::response(&app.db, response_id).await.unwrap();
    assert_eq!(response.mode, Mode::Paper);
    assert_eq!(response.entered_by, Some(s.manager_id));
    assert_eq!(response.proxy, Some(Proxy::ByOther));
    assert_eq!(response.status, ResponseStatus::Finished);
    assert_eq!(response.started_at, started);
    assert_eq!(response.finished_at, Some(started + Duration::minutes(7)));
    assert_eq!(response.version_id, s.version_id);
    assert_eq!(response.respondent, member.pseudonym);
    let stored = responses::answers(&app.db, response_id).await.unwrap();
    assert_eq!(stored["uren_week"], AnswerValue::Number(24));
    assert_eq!(
        stored["eens_zeker"],
        AnswerValue::Scale(ScaleAnswer::DontKnow)
    );
    assert!(!stored.contains_key("effect_leven"));
    assert_eq!(stored.len(), 7);

    // The audit log says who entered whose questionnaire, without personal values.
    let (entries, _) = audit::list(&app.db, Some(member.id), 0, 50).await.unwrap();
    let entered: Vec<_> = entries
        .iter()
        .filter(|e| e.action == "enter_paper_response")
        .collect();
    assert_eq!(entered.len(), 1);
    assert_eq!(entered[0].manager_id, Some(s.manager_id));
    assert!(!entered[0].detail.contains("Anna") && !entered[0].detail.contains('@'));

    // A second time for the same member: refused, with the reason at the field.
    let r = s.manager.post(&entry, &[("member", &id), ("q", "")]).await;
    assert_eq!(r.status(), 409);
    let page = r.text().await.unwrap();
    assert!(page.contains("Dit lid heeft de antwoorden al gestuurd (papier)."));
    assert!(page.contains(r#"id="f-member-error""#));
    // The finished entry cannot be changed either.
    let r = s
        .manager
        .post(&format!("{base}/alle"), &[("answer.werk_nu", "nee")])
        .await;
    assert_eq!(location(&r), format!("{base}/klaar"));
    assert_eq!(
        responses::answers(&app.db, response_id)
            .await
            .unwrap()
            .len(),
        7
    );

    // The surveys list counts it as a paper response.
    let (_, list) = s
        .manager
        .get_text("/beheer/panels/ggz-panel/enquetes")
        .await;
    assert!(list.contains("web 0 · telefoon 0 · papier 1"), "{list}");
    app.stop().await;
}

#[tokio::test]
async fn answers_begun_on_the_web_are_only_replaced_when_the_manager_says_so() {
    let app = TestApp::with_panel().await;
    let s = setup(&app).await;
    let (member, token) = invited_member(&app, s.survey_id, "bram@voorbeeld.nl").await;
    let entry = format!("/beheer/enquetes/{}/papier", s.survey_id);

    // The member begins on the web.
    let web = app.browser().await;
    let r = web.get(&format!("/uitnodiging/{token}")).await;
    let link = location(&r);
    web.post(&format!("{link}/wie"), &[("proxy", "alone")])
        .await;
    web.post(&format!("{link}/vraag/werk_nu"), &[("answer", "nee")])
        .await;
    let begun = responses::response_for(&app.db, s.survey_id, &member.pseudonym)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(begun.mode, Mode::Web);

    let id = member.id.to_string();
    let r = s
        .manager
        .post(&entry, &[("member", &id), ("q", "bram")])
        .await;
    assert_eq!(r.status(), 409);
    let page = r.text().await.unwrap();
    assert!(page.contains("Dit lid is al begonnen met invullen (web)"));
    assert!(page.contains(r#"name="replace""#), "offers to replace");
    let kept = responses::response(&app.db, begun.id).await.unwrap();
    assert_eq!(kept.mode, Mode::Web);
    assert_eq!(
        responses::answers(&app.db, begun.id).await.unwrap().len(),
        1
    );

    let r = s
        .manager
        .post(&entry, &[("member", &id), ("q", "bram"), ("replace", "ja")])
        .await;
    assert_eq!(location(&r), format!("/beheer/papier/{}/wie", begun.id));
    let replaced = responses::response(&app.db, begun.id).await.unwrap();
    assert_eq!(replaced.mode, Mode::Paper);
    assert_eq!(replaced.entered_by, Some(s.manager_id));
    assert_eq!(replaced.proxy, None);
    assert!(
        responses::answers(&app.db, begun.id)
            .await
            .unwrap()
            .is_empty()
    );
    app.stop().await;
}

#[tokio::test]
async fn only_invited_members_and_only_paper_responses() {
    let app = TestApp::with_panel().await;
    let s = setup(&app).await;
    let (invited, token) = invited_member(&app, s.survey_id, "cor@voorbeeld.nl").await;
    app.browser()
        .await
        .sign_up_and_confirm(&app, "dirk@voorbeeld.nl")
        .await;
    let other = members::find_by_email(
        &app.db,
        "ggz-panel",
        &EmailAddress::parse("dirk@voorbeeld.nl").unwrap(),
    )
    .await
    .unwrap()
    .unwrap();
    let entry = format!("/beheer/enquetes/{}/papier", s.survey_id);

    // Someone not invited is neither found nor accepted.
    let (_, page) = s.manager.get_text(&format!("{entry}?q=dirk")).await;
    assert!(page.contains("Geen uitgenodigd lid gevonden"));
    let r = s
        .manager
        .post(&entry, &[("member", &other.id.to_string()), ("q", "dirk")])
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("niet uitgenodigd"));
    // Nothing chosen.
    let r = s.manager.post(&entry, &[("q", "cor")]).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("Kies het lid"));

    // A response given on the web cannot be opened as a paper entry.
    let web = app.browser().await;
    let r = web.get(&format!("/uitnodiging/{token}")).await;
    let link = location(&r);
    web.post(&format!("{link}/wie"), &[("proxy", "alone")])
        .await;
    let response = responses::response_for(&app.db, s.survey_id, &invited.pseudonym)
        .await
        .unwrap()
        .unwrap();
    let r = s
        .manager
        .get(&format!("/beheer/papier/{}/alle", response.id))
        .await;
    assert_eq!(r.status(), 404);
    app.stop().await;
}
