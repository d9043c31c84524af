//! The results email: on the first publication the respondents who asked for the
//! results get them by email (key results in sentences, what was done, a link), and
//! nobody else: not those who said no or did not answer that question, not members who
//! did not respond, not twice.

mod common;

use std::collections::BTreeSet;

use common::TestApp;
use common::respondents::{answered_survey, answers, choice};

#[tokio::test]
async fn results_reach_the_respondents_who_asked_and_nobody_else() {
    let app = TestApp::with_panel().await;
    // 26 members, 24 answer: 14 work. 0, 3, …, 21 want the results; 1, 4, …, 22 do
    // not; the others left that question open.
    let (manager, survey_id, invitation_of) = answered_survey(
        &app,
        26,
        |_| "ervaring",
        |i| {
            (i < 24).then(|| {
                let mut a = vec![("werk_nu", choice(if i < 14 { "ja" } else { "nee" }))];
                match i % 3 {
                    0 => a.push(("_eval_results", choice("ja"))),
                    1 => a.push(("_eval_results", choice("nee"))),
                    _ => {}
                }
                answers(a)
            })
        },
    )
    .await;
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
