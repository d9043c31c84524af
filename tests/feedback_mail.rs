//! The results email: on the first publication the respondents who asked for the
//! results get them by email (key results in sentences, what was done, a link), and
//! nobody else: not those who said no or did not answer that question, not members who
//! did not respond, not twice.

mod common;

use std::collections::BTreeSet;

use common::fieldwork::members;
use common::{ClockExt, TestApp};
use klankbord::domain::questionnaire::{AnswerValue, Answers, OptionValue, QuestionId};
use klankbord::domain::response::{Channel, Mode};
use klankbord::store::{members as member_store, responses};

fn choice(v: &str) -> AnswerValue {
    AnswerValue::Choice(OptionValue::parse(v).unwrap())
}

#[tokio::test]
async fn results_reach_the_respondents_who_asked_and_nobody_else() {
    let app = TestApp::with_panel().await;
    let manager = app.manager().await;
    let manager_id = klankbord::store::managers::list(&app.db).await.unwrap()[0].id;
    let (_, survey_id) = app.open_survey(manager_id).await;
    let now = app.clock.now_utc();
    let ids = members(&app.db, 26, now, |_| vec![("rol", "ervaring")]).await;
    let survey = responses::survey(&app.db, survey_id).await.unwrap();
    let mut invitation_of = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        let (inv, _) = responses::invite(&app.db, survey_id, *id, Channel::Email, now)
            .await
            .unwrap();
        invitation_of.push(inv.id);
        // Members 24 and 25 are invited and never answer.
        if i >= 24 {
            continue;
        }
        let m = member_store::get(&app.db, *id).await.unwrap();
        let r = responses::start_response(&app.db, &survey, &m.pseudonym, Mode::Web, None, now)
            .await
            .unwrap();
        let mut given: Answers = Answers::new();
        given.insert(
            QuestionId::parse("werk_nu").unwrap(),
            choice(if i < 14 { "ja" } else { "nee" }),
        );
        // 0, 3, …, 21 want the results; 1, 4, …, 22 do not; the others left it open.
        match i % 3 {
            0 => given.insert(QuestionId::parse("_eval_results").unwrap(), choice("ja")),
            1 => given.insert(QuestionId::parse("_eval_results").unwrap(), choice("nee")),
            _ => None,
        };
        let qids: Vec<QuestionId> = given.keys().cloned().collect();
        responses::save_answers(&app.db, r.id, &given, &qids, now)
            .await
            .unwrap();
        responses::finish(&app.db, r.id, now).await.unwrap();
    }
    app.deliver_mail().await;

    let feedback = format!("/beheer/enquetes/{survey_id}/terugkoppeling");
    let texts = [
        (
            "what_we_do",
            "We praten met de gemeente over vaste gesprekken.",
        ),
        ("what_changed", "Twee werkgevers hebben nu een jobcoach."),
    ];
    // Saving without publishing sends nothing.
    let r = manager
        .post(&feedback, &[texts[0], texts[1], ("action", "save")])
        .await;
    assert_eq!(r.status(), 303);
    let close = format!("/beheer/enquetes/{survey_id}/sluiten");
    assert_eq!(manager.post(&close, &[]).await.status(), 303);
    assert!(
        app.deliver_mail()
            .await
            .iter()
            .all(|m| !m.subject.contains("uitkomsten"))
    );

    let r = manager
        .post(&feedback, &[texts[0], texts[1], ("action", "publish")])
        .await;
    assert_eq!(r.status(), 303);
    let mails: Vec<_> = app
        .deliver_mail()
        .await
        .into_iter()
        .filter(|m| m.subject.contains("uitkomsten"))
        .collect();
    let to: BTreeSet<String> = mails.iter().map(|m| m.to.clone()).collect();
    let expected: BTreeSet<String> = (0..24)
        .step_by(3)
        .map(|i| format!("m{i}@voorbeeld.nl"))
        .collect();
    assert_eq!(to, expected);
    let mail = mails.iter().find(|m| m.to == "m3@voorbeeld.nl").unwrap();
    assert!(
        mail.subject.contains("Wat betekent betaald werk voor u?"),
        "{}",
        mail.subject
    );
    // The key result in a sentence: 14 of 24 work. Questions too few answered are
    // left out of the email.
    assert!(
        mail.text.contains("Heeft u nu betaald werk?"),
        "{}",
        mail.text
    );
    assert!(mail.text.contains("(58%)"), "{}", mail.text);
    assert!(
        !mail.text.contains("Hoeveel uur per week werkt u?"),
        "{}",
        mail.text
    );
    assert!(
        mail.text
            .contains("We praten met de gemeente over vaste gesprekken.")
    );
    assert!(
        mail.html
            .contains("Twee werkgevers hebben nu een jobcoach.")
    );
    assert_eq!(
        mail.path("/vragenlijst/"),
        format!("/vragenlijst/{}/resultaten", invitation_of[3])
    );

    // Withdrawing and publishing again sends nothing new.
    for action in ["withdraw", "publish"] {
        let r = manager
            .post(&feedback, &[texts[0], texts[1], ("action", action)])
            .await;
        assert_eq!(r.status(), 303);
    }
    assert!(
        app.deliver_mail()
            .await
            .iter()
            .all(|m| !m.subject.contains("uitkomsten"))
    );
}
