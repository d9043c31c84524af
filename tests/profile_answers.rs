//! Known profile answers are never asked again: a question tied to a background variable
//! (`"profile": "situatie"`) is answered from the member's profile, stored with the
//! response and left out of "Vraag X van Y". Without the value in the profile, in a pilot
//! and on paper it is asked; a badly tied question is refused at upload.

mod common;

use common::{Browser, ClockExt, TestApp};
use klankbord::domain::contact::EmailAddress;
use klankbord::domain::ids::VariableId;
use klankbord::domain::questionnaire::{AnswerValue, OptionValue};
use klankbord::domain::response::{Channel, ResponseStatus};
use klankbord::i18n::Lang;
use klankbord::store::entities::member;
use klankbord::store::{managers, members, panels, responses};
use serde_json::{Value, json};

/// The reference questionnaire with "Wat doet u nu het meest?" first, tied to the
/// panel's `situatie`, and a follow-up only for members with benefits.
fn tied_questionnaire() -> Value {
    serde_json::from_str(include_str!("fixtures/questionnaire-with-profile.json")).unwrap()
}

fn location(r: &reqwest::Response) -> String {
    r.headers()["location"].to_str().unwrap().to_owned()
}

fn choice(value: &str) -> AnswerValue {
    AnswerValue::Choice(OptionValue::parse(value).unwrap())
}

/// A survey of `questionnaire`, and a confirmed member (background from the usual
/// sign-up form: `situatie` is `uitkering`, `regio` is `west`) invited to it. Returns the
/// member, the survey, the version, and a fresh browser on the member's answering pages
/// with their address.
async fn setup(
    app: &TestApp,
    email: &str,
    questionnaire: &Value,
) -> (member::Model, i64, i64, Browser, String) {
    let now = app.clock.now_utc();
    let manager = managers::create(
        &app.db,
        "mia@voorbeeld.nl",
        "Mia",
        "geheim-wachtwoord-1",
        managers::ManagerRole::Manager,
        now,
    )
    .await
    .unwrap();
    let (version, survey) = app
        .open_survey_of(manager.id, &questionnaire.to_string())
        .await;
    app.browser().await.sign_up_and_confirm(app, email).await;
    let member = members::find_by_email(&app.db, "ggz-panel", &EmailAddress::parse(email).unwrap())
        .await
        .unwrap()
        .unwrap();
    let (_, token) = responses::invite(&app.db, survey, member.id, Channel::Email, now)
        .await
        .unwrap();
    let browser = app.browser().await;
    let base = location(&browser.get(&format!("/uitnodiging/{token}")).await);
    (member, survey, version, browser, base)
}

async fn stored(app: &TestApp, survey: i64, member: &member::Model) -> Vec<(String, AnswerValue)> {
    let response = responses::response_for(&app.db, survey, &member.pseudonym)
        .await
        .unwrap()
        .expect("a response");
    let answers = responses::answers(&app.db, response.id).await.unwrap();
    answers
        .into_iter()
        .map(|(id, value)| (id.to_string(), value))
        .collect()
}

#[tokio::test]
async fn a_member_is_never_asked_what_their_profile_says() {
    let app = TestApp::with_panel().await;
    let (member, survey, _, browser, base) =
        setup(&app, "anna@voorbeeld.nl", &tied_questionnaire()).await;

    let (_, intro) = browser.get_text(&base).await;
    assert!(!intro.contains("Verder waar u was"), "nothing answered yet");
    // Who answers, then straight to the follow-up: the profile says "uitkering".
    let r = browser
        .post(&format!("{base}/wie"), &[("proxy", "alone")])
        .await;
    assert_eq!(location(&r), format!("{base}/vraag/rondkomen"));
    assert_eq!(
        stored(&app, survey, &member).await,
        vec![("situatie_nu".to_owned(), choice("uitkering"))],
        "the profile's answer is stored with the response"
    );
    let (status, page) = browser.get_text(&format!("{base}/vraag/rondkomen")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Vraag 1 van 14"), "{page}");
    assert!(!page.contains("Wat doet u nu het meest?"));
    assert!(
        page.contains(&format!("href=\"{base}/wie\"")),
        "back to who answers"
    );

    // The tied question itself is never shown; a forged answer changes nothing.
    let r = browser.get(&format!("{base}/vraag/situatie_nu")).await;
    assert_eq!(location(&r), format!("{base}/controleren"));
    let r = browser
        .post(
            &format!("{base}/vraag/situatie_nu"),
            &[("answer", "regulier_werk")],
        )
        .await;
    assert_eq!(r.status(), 409);

    let r = browser
        .post(&format!("{base}/vraag/rondkomen"), &[("answer", "nee")])
        .await;
    assert_eq!(location(&r), format!("{base}/vraag/werk_nu"));
    let (_, page) = browser.get_text(&format!("{base}/vraag/werk_nu")).await;
    assert!(page.contains("Vraag 2 van 14"), "{page}");
    assert!(page.contains(&format!("href=\"{base}/vraag/rondkomen\"")));
    let r = browser
        .post(&format!("{base}/vraag/werk_nu"), &[("answer", "nee")])
        .await;
    assert_eq!(location(&r), format!("{base}/vraag/steun_helpt"));
    let (_, page) = browser.get_text(&format!("{base}/vraag/steun_helpt")).await;
    assert!(page.contains("Vraag 3 van 11"), "{page}");

    // Coming back later starts at the first question not answered, not at the tied one.
    let (_, intro) = browser.get_text(&base).await;
    assert!(intro.contains("Verder waar u was"));
    assert!(intro.contains(&format!("{base}/vraag/steun_helpt")));

    // The check page: numbered as asked, the profile's answer apart, without a change link.
    let (_, check) = browser.get_text(&format!("{base}/controleren")).await;
    assert!(
        check.contains("1. Kunt u rondkomen van uw uitkering?"),
        "{check}"
    );
    assert!(check.contains("2. Heeft u nu betaald werk?"), "{check}");
    assert!(check.contains("Uit uw profiel"));
    assert!(
        check.contains("<dt>Wat doet u nu het meest?</dt>"),
        "{check}"
    );
    assert!(check.contains("<dd>Ik heb een uitkering</dd>"), "{check}");
    assert!(!check.contains("/vraag/situatie_nu"), "no change link");
    assert!(check.contains("href=\"/mijn-gegevens\""));

    let r = browser.post(&format!("{base}/controleren"), &[]).await;
    assert_eq!(location(&r), format!("{base}/klaar"));
    let response = responses::response_for(&app.db, survey, &member.pseudonym)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(response.status, ResponseStatus::Finished);
    assert_eq!(
        stored(&app, survey, &member).await,
        vec![
            ("rondkomen".to_owned(), choice("nee")),
            ("situatie_nu".to_owned(), choice("uitkering")),
            ("werk_nu".to_owned(), choice("nee")),
        ]
    );
    app.stop().await;
}

#[tokio::test]
async fn without_the_value_in_the_profile_the_question_is_asked() {
    let app = TestApp::with_panel().await;
    let (member, survey, _, browser, base) =
        setup(&app, "bram@voorbeeld.nl", &tied_questionnaire()).await;
    let mut profile = members::profile(&app.db, &member).await.unwrap();
    profile
        .background
        .remove(&VariableId::parse("situatie").unwrap());
    members::update_profile(
        &app.db,
        member.id,
        member.version,
        &profile,
        app.clock.now_utc(),
    )
    .await
    .unwrap();

    let r = browser
        .post(&format!("{base}/wie"), &[("proxy", "alone")])
        .await;
    assert_eq!(location(&r), format!("{base}/vraag/situatie_nu"));
    let (_, page) = browser.get_text(&format!("{base}/vraag/situatie_nu")).await;
    assert!(page.contains("Vraag 1 van 15"), "{page}");
    assert!(
        !page.contains("in hun profiel"),
        "the pilot note is for pilots only"
    );
    let r = browser
        .post(
            &format!("{base}/vraag/situatie_nu"),
            &[("answer", "regulier_werk")],
        )
        .await;
    assert_eq!(location(&r), format!("{base}/vraag/werk_nu"));
    assert_eq!(
        stored(&app, survey, &member).await,
        vec![("situatie_nu".to_owned(), choice("regulier_werk"))]
    );
    let (_, check) = browser.get_text(&format!("{base}/controleren")).await;
    assert!(!check.contains("Uit uw profiel"));
    assert!(check.contains("1. Wat doet u nu het meest?"));
    app.stop().await;
}

#[tokio::test]
async fn a_pilot_and_a_paper_entry_ask_the_tied_question() {
    let app = TestApp::with_panel().await;
    let (member, survey, version, _, _) =
        setup(&app, "cor@voorbeeld.nl", &tied_questionnaire()).await;
    let mgr = app.browser().await;
    let r = mgr
        .post(
            "/beheer/inloggen",
            &[
                ("email", "mia@voorbeeld.nl"),
                ("password", "geheim-wachtwoord-1"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);

    let pilot = format!("/voorbeeld/{version}");
    assert_eq!(mgr.get(&pilot).await.status(), 200);
    let r = mgr
        .post(&format!("{pilot}/wie"), &[("proxy", "alone")])
        .await;
    assert_eq!(location(&r), format!("{pilot}/vraag/situatie_nu"));
    let (_, page) = mgr.get_text(&format!("{pilot}/vraag/situatie_nu")).await;
    assert!(page.contains("Vraag 1 van 15"), "{page}");
    assert!(
        page.contains("Leden bij wie het antwoord op deze vraag al in hun profiel staat"),
        "testers learn that members may not get it"
    );

    let manager = managers::list(&app.db).await.unwrap().remove(0);
    let survey = responses::survey(&app.db, survey).await.unwrap();
    let entry = klankbord::service::paper::start_entry(
        &app.db,
        &survey,
        member.id,
        &manager,
        false,
        app.clock.now_utc(),
    )
    .await
    .unwrap()
    .unwrap();
    let (status, page) = mgr
        .get_text(&format!("/beheer/papier/{}/alle", entry.id))
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("name=\"answer.situatie_nu\""), "{page}");
    assert!(!page.contains("Uit uw profiel"));
    app.stop().await;
}

#[tokio::test]
async fn a_badly_tied_question_is_refused_at_upload_with_its_path() {
    let app = TestApp::with_panel().await;
    let panel = panels::get(&app.db, "ggz-panel").await.unwrap();
    let mut bad = tied_questionnaire();
    bad["questions"][0]["options"][4]["value"] = json!("werk");
    bad["questions"][1]["profile"] = json!("inkomen");
    let check = |lang| {
        klankbord::service::questionnaires::check_upload(&panel, bad.to_string().as_bytes(), lang)
            .expect_err("refused")
    };
    let report = check(Lang::Nl);
    assert!(!report.valid);
    let found: Vec<(&str, &str)> = report
        .problems
        .iter()
        .map(|p| (p.path.as_str(), p.code.as_str()))
        .collect();
    assert_eq!(
        found,
        vec![
            (
                "$.questions[0].options[4].value",
                "problem.profile_unknown_category"
            ),
            ("$.questions[0].options", "problem.profile_missing_category"),
            ("$.questions[1].profile", "problem.profile_unknown_variable"),
        ]
    );
    assert!(
        report.problems[0]
            .message
            .starts_with("Het kenmerk \"situatie\" heeft geen groep \"werk\"."),
        "{}",
        report.problems[0].message
    );
    assert!(report.problems[0].message.contains("regulier_werk"));
    let english = check(Lang::En);
    assert!(
        english.problems[2]
            .message
            .starts_with("The panel has no background characteristic \"inkomen\""),
        "{}",
        english.problems[2].message
    );

    // Through the manager's upload page: refused, nothing stored, the path on the page.
    let mgr = app.manager().await;
    let r = mgr.upload_questionnaire(&bad.to_string()).await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("$.questions[0].options[4].value"), "{page}");
    let (_, list) = mgr.get_text("/beheer/panels/ggz-panel/vragenlijsten").await;
    assert!(list.contains("Er zijn nog geen vragenlijsten."));
    app.stop().await;
}

#[tokio::test]
async fn publishing_is_refused_when_the_panel_no_longer_fits() {
    use klankbord::domain::panel::PanelDefinition;
    use klankbord::service::questionnaires::{self as review, PublishRefusal};

    let app = TestApp::with_panel().await;
    let mgr = app.manager().await;
    let manager = managers::list(&app.db).await.unwrap().remove(0);
    let now = app.clock.now_utc();
    let panel = panels::get(&app.db, "ggz-panel").await.unwrap();
    let bytes = tied_questionnaire().to_string();
    let version = review::upload(&app.db, &panel, bytes.as_bytes(), manager.id, Lang::Nl, now)
        .await
        .unwrap()
        .unwrap();
    let items = review::review(&version, &[], Lang::Nl).items;
    let keys: Vec<&str> = items.iter().map(|i| i.key.as_str()).collect();
    review::accept(&app.db, &version, &keys, manager.id, None, Lang::Nl, now)
        .await
        .unwrap();

    // The panel drops "vrijwilligerswerk" after the upload.
    let mut changed = PanelDefinition::from_json(common::PANEL).unwrap();
    let situatie = changed
        .background_variables
        .iter_mut()
        .find(|v| v.id.as_str() == "situatie")
        .unwrap();
    situatie
        .categories
        .retain(|c| c.value.as_str() != "vrijwilligerswerk");
    panels::upsert(&app.db, &changed, now).await.unwrap();

    let r = mgr
        .post(
            &format!("/beheer/vragenlijsten/versies/{}/publiceren", version.id),
            &[],
        )
        .await;
    assert_eq!(r.status(), 409);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("Deze versie past niet meer bij het panel"),
        "{page}"
    );
    assert!(
        page.contains("$.questions[0].options[5].value: Het kenmerk"),
        "{page}"
    );
    let refusal = review::publish(&app.db, &version, manager.id, Lang::En, now)
        .await
        .unwrap()
        .unwrap_err();
    let PublishRefusal::PanelMismatch(problems) = refusal else {
        panic!("{refusal:?}");
    };
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].code, "problem.profile_unknown_category");

    // With the panel as it was, it publishes.
    panels::upsert(&app.db, &panel, now).await.unwrap();
    let published = review::publish(&app.db, &version, manager.id, Lang::Nl, now).await;
    assert_eq!(published.unwrap(), Ok(()));
    app.stop().await;
}

#[tokio::test]
async fn a_one_page_flash_poll_leaves_the_tied_question_out() {
    let app = TestApp::with_panel().await;
    let mut flash: Value =
        serde_json::from_str(include_str!("../panel-schemas/examples/flitspeiling.json")).unwrap();
    flash["one_page"] = json!(true);
    flash["questions"].as_array_mut().unwrap().insert(
        0,
        json!({
            "id": "regio_nu", "type": "single_choice", "profile": "regio",
            "text": "Waar woont u?",
            "options": [
                {"value": "noord", "label": "Noord"}, {"value": "oost", "label": "Oost"},
                {"value": "west", "label": "West"}, {"value": "zuid", "label": "Zuid"}
            ]
        }),
    );
    let (member, survey, _, browser, base) = setup(&app, "dirk@voorbeeld.nl", &flash).await;
    let r = browser
        .post(&format!("{base}/wie"), &[("proxy", "alone")])
        .await;
    assert_eq!(location(&r), format!("{base}/alle"));
    let (_, page) = browser.get_text(&format!("{base}/alle")).await;
    assert!(page.contains("name=\"answer.drempel\""), "{page}");
    assert!(!page.contains("Waar woont u?"), "{page}");
    let r = browser
        .post(&format!("{base}/alle"), &[("answer.drempel", "soms")])
        .await;
    assert_eq!(location(&r), format!("{base}/controleren"));
    assert_eq!(
        stored(&app, survey, &member).await,
        vec![
            ("drempel".to_owned(), choice("soms")),
            ("regio_nu".to_owned(), choice("west")),
        ]
    );
    let (_, check) = browser.get_text(&format!("{base}/controleren")).await;
    assert!(check.contains("1. Zijn reiskosten"), "{check}");
    assert!(check.contains("<dd>West</dd>"), "{check}");
    app.stop().await;
}
