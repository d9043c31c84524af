//! Demo outside organisations: a municipality whose request ran as the closed demo
//! survey (its report can be fetched through the client API) and a second request of
//! it under review, so the manager's request pages have something to show.

use chrono::{DateTime, Duration, Utc};
use sea_orm::DatabaseConnection;

use crate::domain::client_request::{MissionChecklist, NewRequest, Transition};
use crate::domain::contact::EmailAddress;
use crate::store::{StoreResult, client_requests};

pub const DEMO_CLIENT: &str = "Gemeente Voorbeeldstad";

fn request(topic: &str, purpose: &str, completes: u32, start: DateTime<Utc>) -> NewRequest {
    NewRequest {
        client: DEMO_CLIENT.to_owned(),
        contact_name: "Sanne de Vries".to_owned(),
        contact_email: EmailAddress::parse("opdracht@voorbeeldstad.demo.klankbord.invalid")
            .expect("a valid demo address"),
        topic: topic.to_owned(),
        purpose: purpose.to_owned(),
        use_of_results: "Het beleid van de gemeente aanpassen. De leden van het panel krijgen \
                         de uitkomsten te zien."
            .to_owned(),
        eligibility: Default::default(),
        completes,
        start_on: start.date_naive(),
        end_on: (start + Duration::days(20)).date_naive(),
        budget_cents: 300_000,
    }
}

/// The demo client with one finished request (run as `survey_id`) and one under review.
pub async fn seed(
    db: &DatabaseConnection,
    panel_id: &str,
    survey_id: i64,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let actor = "manager:demo";
    let asked = now - Duration::days(90);
    let done = client_requests::create(
        db,
        panel_id,
        &request(
            "Werk en dagbesteding",
            "Weten wat mensen merken van werk en dagbesteding in onze gemeente.",
            80,
            now - Duration::days(60),
        ),
        "client:demo",
        asked,
    )
    .await?;
    let ticked = MissionChecklist {
        fits_mission: true,
        no_harm: true,
        results_shared: true,
    };
    let steps = [
        (Transition::StartReview, asked + Duration::days(2)),
        (
            Transition::Accept {
                checklist: ticked,
                quote_cents: 240_000,
            },
            asked + Duration::days(9),
        ),
        (
            Transition::StartFieldwork { survey_id },
            now - Duration::days(60),
        ),
        (Transition::Finish, now - Duration::days(39)),
    ];
    let mut state = done.state;
    for (step, at) in steps {
        state = client_requests::apply(db, done.id, state, &step, actor, at)
            .await?
            .state;
    }
    let open = client_requests::create(
        db,
        panel_id,
        &request(
            "Vervoer naar de dagbesteding",
            "Weten of het vervoer op tijd is en of mensen zich veilig voelen.",
            120,
            now + Duration::days(30),
        ),
        "client:demo",
        now - Duration::days(3),
    )
    .await?;
    client_requests::apply(
        db,
        open.id,
        open.state,
        &Transition::StartReview,
        actor,
        now - Duration::days(1),
    )
    .await?;
    Ok(())
}
