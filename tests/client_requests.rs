//! Requests from outside organisations through their states: aangevraagd → in
//! beoordeling → geaccepteerd or afgewezen → in veldwerk → afgerond. Skipped and backward
//! steps are refused and change nothing; a decision needs its checklist and quote or
//! reason; two managers moving the same request at once cannot both win; every change is
//! logged and emailed to the contact person.

mod common;

use common::{ClockExt, TestApp};
use klankbord::domain::client_request::{MissionChecklist, RequestForm, RequestState, Transition};
use klankbord::service::client_requests::{manager_actor, submit, transition};
use klankbord::store::StoreError;
use klankbord::store::client_requests as store;
use klankbord::store::entities::outbox;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

fn form(topic: &str) -> RequestForm {
    RequestForm {
        client: "Gemeente Utrecht".into(),
        contact_name: "Sanne de Vries".into(),
        contact_email: "Sanne@Utrecht.example".into(),
        topic: topic.into(),
        purpose: "Weten wat mensen merken van de nieuwe regels.".into(),
        use_of_results: "Het beleid aanpassen en de uitkomsten delen.".into(),
        target: vec![("rol".into(), "ervaring".into())],
        completes: "150".into(),
        start_on: "2027-01-11".into(),
        end_on: "2027-01-25".into(),
        budget: "2.500".into(),
    }
}

fn ticked() -> MissionChecklist {
    MissionChecklist {
        fits_mission: true,
        no_harm: true,
        results_shared: true,
    }
}

async fn mails(app: &TestApp) -> Vec<outbox::Model> {
    outbox::Entity::find()
        .filter(outbox::Column::IdempotencyKey.starts_with("request:"))
        .order_by_asc(outbox::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_request_goes_step_by_step_and_every_step_is_logged_and_emailed() {
    let app = TestApp::with_panel().await;
    let now = app.clock.now_utc();
    let today = now.date_naive();
    let actor = manager_actor(1);

    // A bad form is refused with the problems; nothing is stored.
    let mut bad = form("Wmo");
    bad.completes = "nul".into();
    let refused = submit(&app.db, "ggz-panel", &bad, &actor, today, now)
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(refused[0].key, "requests.error.completes");
    assert!(store::list(&app.db, "ggz-panel").await.unwrap().is_empty());

    let r = submit(
        &app.db,
        "ggz-panel",
        &form("Ervaringen met de Wmo"),
        &actor,
        today,
        now,
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(r.state.code(), "aangevraagd");
    assert_eq!(r.budget_cents, 250_000);
    let sent = mails(&app).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].recipient, "sanne@utrecht.example");
    assert_eq!(
        sent[0].subject,
        "Uw aanvraag ‘Ervaringen met de Wmo’: aangevraagd"
    );

    // Skipping review, or finishing at once: refused, nothing changes, no email.
    let accept = Transition::Accept {
        checklist: ticked(),
        quote_cents: 180_000,
    };
    for skip in [accept.clone(), Transition::Finish] {
        let problems = transition(&app.db, r.id, &skip, &actor, now)
            .await
            .unwrap()
            .unwrap_err();
        assert_eq!(problems[0].key, "requests.error.step");
    }
    assert_eq!(
        store::get(&app.db, r.id).await.unwrap().state.code(),
        "aangevraagd"
    );
    assert_eq!(mails(&app).await.len(), 1);

    transition(&app.db, r.id, &Transition::StartReview, &actor, now)
        .await
        .unwrap()
        .unwrap();
    // Accepting without the whole checklist, or without a quote: refused.
    let half = Transition::Accept {
        checklist: MissionChecklist {
            results_shared: false,
            ..ticked()
        },
        quote_cents: 0,
    };
    let problems = transition(&app.db, r.id, &half, &actor, now)
        .await
        .unwrap()
        .unwrap_err();
    let keys: Vec<&str> = problems.iter().map(|p| p.key).collect();
    assert_eq!(keys, ["requests.error.checklist", "requests.error.quote"]);
    let accepted = transition(&app.db, r.id, &accept, &actor, now)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(accepted.quote_cents, Some(180_000));
    assert!(accepted.fits_mission && accepted.no_harm && accepted.results_shared);
    let sent = mails(&app).await;
    assert!(
        sent.last()
            .unwrap()
            .body_text
            .contains("Prijs: € 1.800,00.")
    );

    // Fieldwork on a survey of this panel only.
    let manager_id = {
        app.manager().await;
        klankbord::store::managers::list(&app.db).await.unwrap()[0].id
    };
    let (_, survey_id) = app.open_survey(manager_id).await;
    let missing = Transition::StartFieldwork {
        survey_id: survey_id + 1000,
    };
    let problems = transition(&app.db, r.id, &missing, &actor, now)
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(problems[0].key, "requests.error.survey");
    let fieldwork = Transition::StartFieldwork { survey_id };
    transition(&app.db, r.id, &fieldwork, &actor, now)
        .await
        .unwrap()
        .unwrap();
    let done = transition(&app.db, r.id, &Transition::Finish, &actor, now)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(done.state.code(), "afgerond");
    assert_eq!(done.survey_id, Some(survey_id));

    // Going back from the end: refused.
    let problems = transition(&app.db, r.id, &Transition::StartReview, &actor, now)
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(problems[0].key, "requests.error.step");

    let log: Vec<(Option<String>, String, String)> = store::events(&app.db, r.id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| {
            let from = e.from_state.map(|s| s.code().to_owned());
            (from, e.to_state.code().to_owned(), e.actor)
        })
        .collect();
    let step =
        |from: Option<&str>, to: &str| (from.map(str::to_owned), to.to_owned(), actor.clone());
    assert_eq!(
        log,
        [
            step(None, "aangevraagd"),
            step(Some("aangevraagd"), "in_beoordeling"),
            step(Some("in_beoordeling"), "geaccepteerd"),
            step(Some("geaccepteerd"), "in_veldwerk"),
            step(Some("in_veldwerk"), "afgerond"),
        ]
    );
    let subjects: Vec<String> = mails(&app).await.into_iter().map(|m| m.subject).collect();
    assert_eq!(subjects.len(), 5);
    assert!(subjects[4].ends_with(": afgerond"));
}

#[tokio::test]
async fn a_declined_request_ends_there_and_only_one_of_two_managers_wins() {
    let app = TestApp::with_panel().await;
    let now = app.clock.now_utc();
    let actor = manager_actor(1);
    let r = submit(
        &app.db,
        "ggz-panel",
        &form("Reclame"),
        &actor,
        now.date_naive(),
        now,
    )
    .await
    .unwrap()
    .unwrap();
    transition(&app.db, r.id, &Transition::StartReview, &actor, now)
        .await
        .unwrap()
        .unwrap();
    let no_reason = Transition::Decline {
        checklist: MissionChecklist::default(),
        reason: " ".into(),
    };
    let problems = transition(&app.db, r.id, &no_reason, &actor, now)
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(problems[0].key, "requests.error.reason_empty");
    let decline = Transition::Decline {
        checklist: MissionChecklist::default(),
        reason: "Dit past niet bij het doel van het panel.".into(),
    };
    let declined = transition(&app.db, r.id, &decline, &actor, now)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(declined.state.code(), "afgewezen");
    assert!(
        mails(&app)
            .await
            .last()
            .unwrap()
            .body_text
            .contains("Reden: Dit past niet bij het doel van het panel.")
    );
    for next in [
        Transition::StartFieldwork { survey_id: 1 },
        Transition::Finish,
        Transition::StartReview,
    ] {
        let problems = transition(&app.db, r.id, &next, &actor, now)
            .await
            .unwrap()
            .unwrap_err();
        assert_eq!(problems[0].key, "requests.error.step");
    }

    // Two managers start the review of a second request from the same state: the
    // store lets only the first through.
    let second = submit(
        &app.db,
        "ggz-panel",
        &form("Wonen"),
        &actor,
        now.date_naive(),
        now,
    )
    .await
    .unwrap()
    .unwrap();
    store::apply(
        &app.db,
        second.id,
        RequestState::Requested,
        &Transition::StartReview,
        "manager:1",
        now,
    )
    .await
    .unwrap();
    let late = store::apply(
        &app.db,
        second.id,
        RequestState::Requested,
        &Transition::StartReview,
        "manager:2",
        now,
    )
    .await;
    assert!(matches!(late, Err(StoreError::Conflict)));
    assert_eq!(store::events(&app.db, second.id).await.unwrap().len(), 2);
    // The same client and contact person, whatever the case of the address.
    let all = store::list(&app.db, "ggz-panel").await.unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].1.id, all[1].1.id);
    assert_eq!(all[0].0.contact_id, all[1].0.contact_id);
}
