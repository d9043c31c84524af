//! The manager's views of the panel over time, as the manager sees them: the panel's
//! health (members per month with who joined and who left, invitations per member
//! against the contact policy, composition then and now) and the process evaluation
//! (the evaluation questions per survey and per quarter).

mod common;

use chrono::{DateTime, Duration, TimeZone, Utc};
use common::fieldwork::{Policy, members_from, panel};
use common::respondents::{answers, choice};
use common::{ClockExt, TestApp};
use klankbord::domain::member::ContactPreference;
use klankbord::domain::questionnaire::{AnswerValue, QuestionId};
use klankbord::domain::response::{Channel, Mode, SurveyStatus};
use klankbord::store::audit::{self, Action, Actor};
use klankbord::store::{self, members as member_store, responses};

fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 10, 0, 0).unwrap()
}

/// `<tr>` of a table row: the heading, then the cells.
fn row(heading: &str, cells: &[&str]) -> String {
    let cells: String = cells
        .iter()
        .map(|c| format!("<td class=\"num\">{c}</td>"))
        .collect();
    format!("<tr><th scope=\"row\">{heading}</th>{cells}</tr>")
}

/// A closed survey of `version`, closing at `closes`.
async fn survey(app: &TestApp, version: i64, title: &str, closes: DateTime<Utc>) -> i64 {
    responses::create_survey(
        &app.db,
        "ggz-panel",
        version,
        title,
        SurveyStatus::Closed,
        closes - Duration::days(20),
        closes,
        None,
        closes - Duration::days(20),
    )
    .await
    .unwrap()
    .id
}

#[tokio::test]
async fn the_manager_sees_members_coming_and_going_invitations_and_composition() {
    let app = TestApp::spawn().await;
    let now = app.clock.now_utc();
    let policy = Policy {
        per_year: 3,
        ..Policy::default()
    };
    panel(&app.db, &policy, now).await;
    let ervaring = |_| vec![("rol", "ervaring")];
    let naaste = |_| vec![("rol", "naaste")];
    let email = ContactPreference::Email;
    let a = members_from(&app.db, 0, 4, at(2025, 6, 1), email, ervaring).await;
    let b = members_from(&app.db, 4, 2, at(2026, 10, 5), email, naaste).await;
    members_from(&app.db, 6, 1, at(2026, 11, 2), email, naaste).await;
    // Joined long ago and never took part: removed as inactive on 15 September.
    let d = members_from(&app.db, 7, 1, at(2024, 6, 1), email, ervaring).await;
    let report = store::purge::purge(&app.db, at(2026, 9, 15)).await.unwrap();
    assert_eq!(report.inactive_members, 1);
    assert!(member_store::get(&app.db, d[0]).await.is_err());

    // Signs up on 20 October and withdraws consent an hour later, on their page.
    app.clock.set(at(2026, 10, 20) - Duration::hours(1));
    let member = app.browser().await;
    member.sign_up_and_confirm(&app, "weg@voorbeeld.nl").await;
    app.clock.set(at(2026, 10, 20));
    let r = member.post("/mijn-gegevens/toestemming", &[]).await;
    assert_eq!(r.status(), 200);
    // A member since June 2025 deletes their account on 3 November (as the page does).
    klankbord::service::members::erase(&app.db, a[3])
        .await
        .unwrap();
    audit::record(
        &app.db,
        &Actor::member(),
        Action::EraseMember,
        Some(a[3]),
        Some("ggz-panel"),
        "account",
        at(2026, 11, 3),
    )
    .await
    .unwrap();
    app.clock.set(now);

    // Invitations: a[0] three in the past year (the limit), a[1] one (and one before
    // that year), b[0] two; the withdrawn member's does not count.
    let manager = app.manager().await;
    let manager_id = store::managers::list(&app.db).await.unwrap()[0].id;
    let (version, _) = app.open_survey(manager_id).await;
    let mut surveys = Vec::new();
    for (i, closes) in [
        at(2025, 10, 1),
        at(2026, 2, 1),
        at(2026, 6, 1),
        at(2026, 9, 1),
    ]
    .into_iter()
    .enumerate()
    {
        surveys.push((
            survey(&app, version, &format!("Ronde {i}"), closes).await,
            closes,
        ));
    }
    let withdrawn = member_store::list(&app.db, "ggz-panel", &Default::default(), 0, 100)
        .await
        .unwrap()
        .0
        .into_iter()
        .find(|m| m.email.as_deref() == Some("weg@voorbeeld.nl"))
        .unwrap()
        .id;
    for (member, rounds) in [
        (a[0], &[1usize, 2, 3][..]),
        (a[1], &[0, 3]),
        (b[0], &[2, 3]),
        (withdrawn, &[3]),
    ] {
        for &i in rounds {
            let (id, closes) = surveys[i];
            responses::invite(
                &app.db,
                id,
                member,
                Channel::Email,
                closes - Duration::days(20),
            )
            .await
            .unwrap();
        }
    }

    let (status, page) = manager
        .get_text("/beheer/panels/ggz-panel/gezondheid")
        .await;
    assert_eq!(status, 200);
    assert!(
        page.contains("<title>Gezondheid van Ervaringspanel werk en ggz"),
        "{page}"
    );
    // Members at the end of the month, new, withdrew, deleted, inactive, left in total.
    // The erased member counts as a member until they left.
    for expected in [
        row("december 2025", &["5", "0", "0", "0", "0", "0"]),
        row("augustus 2026", &["5", "0", "0", "0", "0", "0"]),
        row("september 2026", &["4", "0", "0", "0", "1", "1"]),
        row("oktober 2026", &["6", "3", "1", "0", "0", "1"]),
        row("november 2026", &["6", "1", "0", "1", "0", "1"]),
    ] {
        assert!(page.contains(&expected), "missing {expected} in {page}");
    }
    assert!(page.contains("ten hoogste 3 uitnodigingen in 12 maanden"));
    // Six active members: three without invitations, one each with 1, 2 and 3.
    let spread = |n: &str, members: &str, percent: &str, note: &str| {
        format!(
            "<tr><th scope=\"row\" class=\"num\">{n}</th><td class=\"num\">{members}</td><td class=\"num\">{percent}</td><td>{note}</td></tr>"
        )
    };
    for expected in [
        spread("0", "3", "50,0", ""),
        spread("1", "1", "16,7", ""),
        spread("2", "1", "16,7", ""),
        spread(
            "3",
            "1",
            "16,7",
            "<strong>Grens: dit lid krijgt nu geen nieuwe uitnodiging</strong>",
        ),
    ] {
        assert!(page.contains(&expected), "missing {expected} in {page}");
    }
    assert!(page.contains("<dt>Leden op de grens</dt><dd>1</dd>"));
    assert!(page.contains("<dt>Leden boven de grens</dt><dd>0</dd>"));
    assert!(page.contains("<dt>Gemiddeld aantal uitnodigingen</dt><dd>1,0</dd>"));
    // Composition of the members still known (the erased have no background left): a
    // year and half a year ago three, all "ervaring"; now six, half of them relatives,
    // against a target of 75/25.
    assert!(page.contains("12 maanden geleden (29-11-2025)"));
    assert!(page.contains(&row(
        "Ik heb zelf psychische klachten (gehad)",
        &["100,0", "100,0", "50,0", "75,0", "-25,0"]
    )));
    assert!(page.contains(&row(
        "Ik ben naaste van iemand met psychische klachten",
        &["0,0", "0,0", "50,0", "25,0", "+25,0"]
    )));
    assert!(page.contains(&row("Leden die dit invulden", &["3", "3", "6", "–", "–"])));

    // The dashboard links to it, and the page is in English too.
    let (_, dashboard) = manager.get_text("/beheer").await;
    assert!(dashboard.contains("href=\"/beheer/panels/ggz-panel/gezondheid\""));
    assert!(dashboard.contains("href=\"/beheer/panels/ggz-panel/evaluatie\""));
    let (_, english) = manager
        .get_text("/beheer/panels/ggz-panel/gezondheid?lang=en")
        .await;
    assert!(english.contains(&row("October 2026", &["6", "3", "1", "0", "0", "1"])));

    // Outsiders get the login page, not the figures.
    let (status, text) = app
        .browser()
        .await
        .get_text("/beheer/panels/ggz-panel/gezondheid")
        .await;
    assert!(!text.contains("Leden per maand"), "status {status}");
    app.stop().await;
}

#[tokio::test]
async fn the_manager_sees_the_evaluation_per_survey_and_per_quarter() {
    let app = TestApp::with_panel().await;
    let manager = app.manager().await;
    let manager_id = store::managers::list(&app.db).await.unwrap()[0].id;

    let (_, empty) = manager.get_text("/beheer/panels/ggz-panel/evaluatie").await;
    assert!(empty.contains("Er zijn nog geen antwoorden op de evaluatievragen."));

    let (version, _) = app.open_survey(manager_id).await;
    let spring = survey(&app, version, "Werk (voorjaar)", at(2026, 4, 10)).await;
    let summer = survey(&app, version, "Werk (zomer)", at(2026, 8, 10)).await;
    let now = app.clock.now_utc();
    let ids = common::fieldwork::members(&app.db, 7, now, |_| vec![("rol", "ervaring")]).await;
    let mark = |g| AnswerValue::Grade(g);
    let given = [
        (
            spring,
            true,
            vec![
                ("_eval_length", choice("goed")),
                ("_eval_answering", mark(7)),
            ],
        ),
        (
            spring,
            true,
            vec![
                ("_eval_length", choice("goed")),
                ("_eval_answering", mark(8)),
            ],
        ),
        (
            spring,
            true,
            vec![
                ("_eval_length", choice("goed")),
                ("_eval_again", choice("ja")),
            ],
        ),
        (
            spring,
            true,
            vec![
                ("_eval_length", choice("te_lang")),
                ("werk_nu", choice("ja")),
            ],
        ),
        (summer, true, vec![("_eval_length", choice("te_lang"))]),
        (summer, true, vec![("_eval_length", choice("goed"))]),
        // Not finished: not counted.
        (summer, false, vec![("_eval_length", choice("te_lang"))]),
    ];
    for (member, (survey_id, finished, pairs)) in ids.iter().zip(given) {
        let s = responses::survey(&app.db, survey_id).await.unwrap();
        let m = member_store::get(&app.db, *member).await.unwrap();
        let r = responses::start_response(&app.db, &s, &m.pseudonym, Mode::Web, None, now)
            .await
            .unwrap();
        let a = answers(pairs);
        let qids: Vec<QuestionId> = a.keys().cloned().collect();
        responses::save_answers(&app.db, r.id, &a, &qids, now)
            .await
            .unwrap();
        if finished {
            responses::finish(&app.db, r.id, now).await.unwrap();
        }
    }

    let (status, page) = manager.get_text("/beheer/panels/ggz-panel/evaluatie").await;
    assert_eq!(status, 200);
    assert!(page.contains("<title>Evaluatie van de vragenlijsten van Ervaringspanel werk en ggz"));
    assert!(page.contains("Vragenlijsten met antwoorden: 2."));
    let survey_row = |title: &str, date: &str, cells: &[&str]| {
        let cells: String = cells
            .iter()
            .map(|c| format!("<td class=\"num\">{c}</td>"))
            .collect();
        format!("<tr><th scope=\"row\">{title}</th><td>{date}</td>{cells}</tr>")
    };
    // Length: base, too short, good, too long.
    for expected in [
        survey_row(
            "Werk (voorjaar)",
            "10-04-2026",
            &["4", "0,0% (0)", "75,0% (3)", "25,0% (1)"],
        ),
        survey_row(
            "Werk (zomer)",
            "10-08-2026",
            &["2", "0,0% (0)", "50,0% (1)", "50,0% (1)"],
        ),
        row(
            "2026 kwartaal 2",
            &["4", "0,0% (0)", "75,0% (3)", "25,0% (1)"],
        ),
        row(
            "2026 kwartaal 3",
            &["2", "0,0% (0)", "50,0% (1)", "50,0% (1)"],
        ),
        // The mark: the average of 7 and 8; nobody in summer gave one.
        survey_row("Werk (voorjaar)", "10-04-2026", &["2", "7,5"]),
        survey_row("Werk (zomer)", "10-08-2026", &["0", "–"]),
        // Join again: one in spring said yes.
        survey_row(
            "Werk (voorjaar)",
            "10-04-2026",
            &["1", "100,0% (1)", "0,0% (0)", "0,0% (0)"],
        ),
    ] {
        assert!(page.contains(&expected), "missing {expected} in {page}");
    }
    // A chart per choice question, with its text alternative.
    assert!(page.contains("role=\"img\""));
    assert!(page.contains("percentage „Te lang” per vragenlijst"));
    app.stop().await;
}
