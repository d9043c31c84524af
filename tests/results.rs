//! Results: the manager's page shows every figure of a hand-worked fixture (small groups
//! marked), the feedback form refuses to publish too early, and the respondents' page
//! shows the key results in sentences with small groups hidden, the manager's texts,
//! and only to respondents once published.

mod common;

use chrono::Duration;
use common::fieldwork::members;
use common::{Browser, ClockExt, TestApp, html};
use klankbord::domain::contact::EmailAddress;
use klankbord::domain::questionnaire::{
    AnswerValue, Answers, OptionValue, QuestionId, ScaleAnswer,
};
use klankbord::domain::response::{Channel, Mode, Proxy};
use klankbord::store::{members as member_store, responses};

fn choice(v: &str) -> AnswerValue {
    AnswerValue::Choice(OptionValue::parse(v).unwrap())
}

/// Respondent `i` of 24: 12 work (4 give a 5 and 8 an 8; half work 20 hours, half 30;
/// 10 say life is better, 2 the same); 12 choose "gesprek", 3 "jobcoach"; 14 agree and
/// 10 do not know; one writes an open answer.
fn answers(i: usize) -> Answers {
    let mut a: Vec<(&str, AnswerValue)> = Vec::new();
    let works = i < 12;
    a.push(("werk_nu", choice(if works { "ja" } else { "nee" })));
    if works {
        a.push((
            "effect_leven",
            choice(if i < 10 { "beter" } else { "gelijk" }),
        ));
        a.push((
            "cijfer_steun",
            AnswerValue::Grade(if i < 4 { 5 } else { 8 }),
        ));
        a.push((
            "uren_week",
            AnswerValue::Number(if i.is_multiple_of(2) { 20 } else { 30 }),
        ));
    }
    let mut chosen = Vec::new();
    if i.is_multiple_of(2) {
        chosen.push(OptionValue::parse("gesprek").unwrap());
    }
    if i % 8 == 1 {
        chosen.push(OptionValue::parse("jobcoach").unwrap());
    }
    if chosen.is_empty() {
        chosen.push(OptionValue::parse("uren").unwrap());
    }
    a.push((
        "steun_helpt",
        AnswerValue::Choices {
            values: chosen,
            other: None,
        },
    ));
    let scale = if i < 14 {
        ScaleAnswer::Point(4)
    } else {
        ScaleAnswer::DontKnow
    };
    a.push(("eens_zeker", AnswerValue::Scale(scale)));
    if i == 3 {
        a.push((
            "wat_beter",
            AnswerValue::Text("Meer begrip van mijn baas".into()),
        ));
    }
    a.into_iter()
        .map(|(id, v)| (QuestionId::parse(id).unwrap(), v))
        .collect()
}

/// Invite the member and store their finished response; returns the invitation's link.
async fn respond(app: &TestApp, survey_id: i64, member_id: i64, given: &Answers) -> String {
    let now = app.clock.now_utc();
    let (_, token) = responses::invite(&app.db, survey_id, member_id, Channel::Email, now)
        .await
        .unwrap();
    let survey = responses::survey(&app.db, survey_id).await.unwrap();
    let m = member_store::get(&app.db, member_id).await.unwrap();
    let r = responses::start_response(&app.db, &survey, &m.pseudonym, Mode::Web, None, now)
        .await
        .unwrap();
    responses::set_proxy(&app.db, r.id, Proxy::Alone, now)
        .await
        .unwrap();
    let ids: Vec<QuestionId> = given.keys().cloned().collect();
    responses::save_answers(&app.db, r.id, given, &ids, now)
        .await
        .unwrap();
    responses::finish(&app.db, r.id, now).await.unwrap();
    format!("/uitnodiging/{token}")
}

struct Setup {
    manager: Browser,
    survey_id: i64,
    /// Respondent 0, signed up and logged in in this browser.
    respondent: Browser,
    respondent_invitation: i64,
    /// The link of respondent 1 (not logged in).
    link: String,
}

async fn setup(app: &TestApp) -> Setup {
    let manager = app.manager().await;
    let manager_id = klankbord::store::managers::list(&app.db).await.unwrap()[0].id;
    let (_, survey_id) = app.open_survey(manager_id).await;
    let respondent = app.browser().await;
    respondent
        .sign_up_and_confirm(app, "anna@voorbeeld.nl")
        .await;
    let anna = member_store::find_by_email(
        &app.db,
        "ggz-panel",
        &EmailAddress::parse("anna@voorbeeld.nl").unwrap(),
    )
    .await
    .unwrap()
    .unwrap();
    respond(app, survey_id, anna.id, &answers(0)).await;
    let respondent_invitation = responses::invitation_for(&app.db, survey_id, anna.id)
        .await
        .unwrap()
        .unwrap()
        .id;
    let others = members(&app.db, 24, app.clock.now_utc(), |_| {
        vec![("rol", "ervaring")]
    })
    .await;
    let mut link = String::new();
    for (i, id) in others.iter().take(23).enumerate() {
        let l = respond(app, survey_id, *id, &answers(i + 1)).await;
        if i == 0 {
            link = l;
        }
    }
    // The 24th member is invited and does not answer.
    responses::invite(
        &app.db,
        survey_id,
        others[23],
        Channel::Email,
        app.clock.now_utc(),
    )
    .await
    .unwrap();
    Setup {
        manager,
        survey_id,
        respondent,
        respondent_invitation,
        link,
    }
}

/// The part of a page about one question.
fn section<'a>(page: &'a str, question: &str) -> &'a str {
    let start = page
        .find(&format!("<section aria-labelledby=\"v-{question}\">"))
        .unwrap_or_else(|| panic!("no section for {question}"));
    let end = page[start..].find("</section>").unwrap() + start;
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
async fn the_manager_sees_every_figure_with_small_groups_marked() {
    let app = TestApp::with_panel().await;
    let s = setup(&app).await;
    let path = format!("/beheer/enquetes/{}/resultaten", s.survey_id);

    // Linked from the fieldwork dashboard; managers only.
    let (_, dashboard) = s
        .manager
        .get_text(&format!("/beheer/enquetes/{}", s.survey_id))
        .await;
    assert!(dashboard.contains(&format!("href=\"{path}\"")));
    let r = app.browser().await.get(&path).await;
    assert_eq!(r.status(), 303);

    let (status, page) = s.manager.get_text(&path).await;
    assert_eq!(status, 200);
    assert!(page.contains("24 mensen stuurden hun antwoorden."));
    // 12 of 24: 50% with Wilson's interval 31.4–68.6%.
    let werk = section(&page, "werk_nu");
    assert!(
        werk.contains(&row("Ja", &["12", "50,0%", "31,4–68,6%"])),
        "{werk}"
    );
    assert!(werk.contains(&row("Nee", &["12", "50,0%", "31,4–68,6%"])));
    assert!(werk.contains("role=\"img\"") && werk.contains("<title id="));
    // Routing: only the 12 who work were asked; 2 is a small group, 10 its complement.
    let effect = section(&page, "effect_leven");
    assert!(effect.contains("Gesteld aan 12 mensen. 12 gaven antwoord, 0 niet."));
    assert!(effect.contains(&row(
        "Mijn leven is beter door mijn werk",
        &[
            "10 <span class=\"small\">(kleine groep)</span>",
            "83,3%",
            "55,2–95,3%"
        ]
    )));
    assert!(
        effect.contains("<td class=\"num\">2 <span class=\"small\">(kleine groep)</span></td>")
    );
    // Marks: 4 × 5 and 8 × 8: mean 7.0 (t interval 6.1–7.9), median 8, 4 below six.
    let grade = section(&page, "cijfer_steun");
    assert!(grade.contains(&row(
        "Onvoldoende (lager dan 6)",
        &[
            "4 <span class=\"small\">(kleine groep)</span>",
            "33,3%",
            "13,8–60,9%"
        ]
    )));
    for (label, value) in [
        ("Gemiddelde", "7,0"),
        ("95%-interval van het gemiddelde", "6,1–7,9"),
        ("Mediaan", "8,0"),
    ] {
        assert!(grade.contains(&row(label, &[value])), "{label}: {grade}");
    }
    // Numbers: 20 and 30 hours, six each.
    let hours = section(&page, "uren_week");
    assert!(hours.contains(&row("Gemiddelde", &["25,0"])));
    assert!(hours.contains(&row("Eerste kwartiel", &["20,0"])));
    // Multiple choice: a share of the 24 who answered.
    let support = section(&page, "steun_helpt");
    assert!(support.contains(&row(
        "Een vast gesprek met mijn leidinggevende",
        &["12", "50,0%", "31,4–68,6%"]
    )));
    // "Weet ik niet" apart.
    let scale = section(&page, "eens_zeker");
    assert!(scale.contains(
        "<tr class=\"apart\"><th scope=\"row\">Weet ik niet</th><td class=\"num\">10</td>"
    ));
    // Open answers: for the manager.
    assert!(page.contains("Meer begrip van mijn baas"));
}

#[tokio::test]
async fn respondents_see_published_results_with_small_groups_hidden() {
    let app = TestApp::with_panel().await;
    let s = setup(&app).await;
    let member_path = format!("/vragenlijst/{}/resultaten", s.respondent_invitation);

    // Not published yet: a kind message, no figures.
    let (status, page) = s.respondent.get_text(&member_path).await;
    assert_eq!(status, 200);
    assert!(page.contains("De uitkomsten zijn er nog niet"));
    assert!(!page.contains("De helft van de mensen"));

    // Publishing needs both texts and a closed survey.
    let feedback = format!("/beheer/enquetes/{}/terugkoppeling", s.survey_id);
    let r = s
        .manager
        .post(
            &feedback,
            &[
                ("what_we_do", ""),
                ("what_changed", ""),
                ("action", "publish"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("<title>Fout: "));
    assert!(page.contains("Schrijf wat u met de uitkomsten doet."));
    assert!(page.contains("Sluit eerst de enquête."));
    let texts = [
        (
            "what_we_do",
            "We praten met het ministerie over vaste gesprekken.",
        ),
        (
            "what_changed",
            "Twee werkgevers hebben nu een jobcoach. Over geld is nog niets veranderd.",
        ),
    ];
    let r = s
        .manager
        .post(&feedback, &[texts[0], texts[1], ("action", "save")])
        .await;
    assert_eq!(r.status(), 303);
    let close = format!("/beheer/enquetes/{}/sluiten", s.survey_id);
    assert_eq!(s.manager.post(&close, &[]).await.status(), 303);
    let r = s
        .manager
        .post(&feedback, &[texts[0], texts[1], ("action", "publish")])
        .await;
    assert_eq!(r.status(), 303);
    let (_, manager_page) = s.manager.follow(r).await;
    assert!(manager_page.contains("De uitkomsten staan nu klaar voor de deelnemers."));

    // The logged-in respondent: from Mijn vragenlijsten to the results.
    let (_, mine) = s.respondent.get_text("/mijn-vragenlijsten").await;
    assert!(mine.contains(&format!("href=\"{member_path}\"")));
    let (status, page) = s.respondent.get_text(&member_path).await;
    assert_eq!(status, 200);
    assert!(page.contains("24 mensen vulden deze vragenlijst in."));
    assert!(page.contains("De helft van de mensen (50%) zegt: Ja."));
    assert!(page.contains("3 van de 5 mensen (58%) zegt: Eens."));
    assert!(page.contains("Het gemiddelde cijfer is een 7,0."));
    assert!(page.contains("Gemiddeld is het antwoord 25,0 uur per week."));
    // Small groups: "minder dan 10", never the number; the complement goes too.
    let effect = section(&page, "effect_leven");
    assert_eq!(effect.matches(">minder dan 10<").count(), 2, "{effect}");
    assert!(!effect.contains(">2<") && !effect.contains(">10<"));
    assert!(effect.contains("De groepjes per antwoord zijn te klein"));
    let grade = section(&page, "cijfer_steun");
    assert!(!grade.contains(">4<") && !grade.contains("33%"));
    let support = section(&page, "steun_helpt");
    assert!(support.contains(&row("Een jobcoach", &["minder dan 10", "–"])));
    // Open answers never; the manager's texts and the privacy note always.
    assert!(!page.contains("Meer begrip van mijn baas"));
    assert!(page.contains(&html(texts[0].1)) && page.contains(&html(texts[1].1)));
    assert!(
        page.contains("Wat doen we ermee?") && page.contains("Wat is er veranderd, en wat niet?")
    );
    assert!(page.contains("Groepjes van minder dan 10 mensen laten we niet zien."));
    assert!(page.contains("<caption"));

    // Through the invitation link, without logging in: the confirmation page leads here.
    let linked = app.browser().await;
    let r = linked.get(&s.link).await;
    assert_eq!(r.status(), 303);
    let base = r.headers()["location"].to_str().unwrap().to_owned();
    let (status, done) = linked.get_text(&format!("{base}/klaar")).await;
    assert_eq!(status, 200);
    assert!(done.contains(&format!("href=\"{base}/resultaten\"")));
    let (status, page) = linked.get_text(&format!("{base}/resultaten")).await;
    assert_eq!(status, 200);
    assert!(page.contains("De helft van de mensen (50%) zegt: Ja."));

    // In English the page's own words change; the questionnaire's stay as written.
    let (_, en) = s
        .respondent
        .get_text(&format!("{member_path}?lang=en"))
        .await;
    assert!(en.contains("Half of the people (50%) answered: Ja."));
}

#[tokio::test]
async fn non_respondents_and_visitors_do_not_see_the_results() {
    let app = TestApp::with_panel().await;
    let s = setup(&app).await;
    let close = format!("/beheer/enquetes/{}/sluiten", s.survey_id);
    assert_eq!(s.manager.post(&close, &[]).await.status(), 303);
    let feedback = format!("/beheer/enquetes/{}/terugkoppeling", s.survey_id);
    let r = s
        .manager
        .post(
            &feedback,
            &[
                ("what_we_do", "Praten."),
                ("what_changed", "Niets."),
                ("action", "publish"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);

    // A visitor without login or link: to the login page.
    let visitor = app.browser().await;
    let path = format!("/vragenlijst/{}/resultaten", s.respondent_invitation);
    let r = visitor.get(&path).await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/inloggen");

    // An invited member who did not answer, logged in: a kind refusal.
    let bert = app.browser().await;
    bert.sign_up_and_confirm(&app, "bert@voorbeeld.nl").await;
    let bert_id = member_store::find_by_email(
        &app.db,
        "ggz-panel",
        &EmailAddress::parse("bert@voorbeeld.nl").unwrap(),
    )
    .await
    .unwrap()
    .unwrap()
    .id;
    let (inv, _) = responses::invite(
        &app.db,
        s.survey_id,
        bert_id,
        Channel::Email,
        app.clock.now_utc() - Duration::days(1),
    )
    .await
    .unwrap();
    let (status, page) = bert
        .get_text(&format!("/vragenlijst/{}/resultaten", inv.id))
        .await;
    assert_eq!(status, 403);
    assert!(page.contains("voor de mensen die de vragenlijst hebben ingevuld"));
    assert!(!page.contains("zegt: Ja"));
    // Nor another member's results page.
    let (status, _) = bert.get_text(&path).await;
    assert_eq!(status, 303);

    // Withdrawn: respondents no longer see the figures.
    let r = s
        .manager
        .post(
            &feedback,
            &[
                ("what_we_do", "Praten."),
                ("what_changed", "Niets."),
                ("action", "withdraw"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, page) = s.respondent.get_text(&path).await;
    assert!(page.contains("De uitkomsten zijn er nog niet"));

    // The manager's preview shows what respondents would see, published or not.
    let (status, preview) = s
        .manager
        .get_text(&format!(
            "/beheer/enquetes/{}/resultaten/deelnemers",
            s.survey_id
        ))
        .await;
    assert_eq!(status, 200);
    assert!(preview.contains("Voorbeeld: zo zien deelnemers deze pagina."));
    assert!(preview.contains("minder dan 10"));
    assert!(!preview.contains("Meer begrip van mijn baas"));
}
