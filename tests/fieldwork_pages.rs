//! The manager's fieldwork pages: a new survey through the form (refused input stores
//! nothing), the sample preview of a small panel whose numbers can be worked out by
//! hand, scheduling, the invitation wave run by hand, the dashboard, pause, resume,
//! close, and the call list download with its audit entry.

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{Datelike, Duration};
use common::{Browser, ClockExt, QUESTIONNAIRE, TestApp, html};
use klankbord::domain::contact::{EmailAddress, PhoneNumber};
use klankbord::domain::ids::{CategoryValue, VariableId};
use klankbord::domain::member::{ContactPreference, MemberStatus, Profile};
use klankbord::domain::response::{Channel, Mode, SurveyStatus};
use klankbord::domain::signup::NewMember;
use klankbord::i18n::Lang;
use klankbord::service::questionnaires as review;
use klankbord::store::entities::survey;
use klankbord::store::{audit, fieldwork, members, outbox, panels, responses};
use sea_orm::EntityTrait;

const PANEL: &str = "ggz-panel";

fn location(r: &reqwest::Response) -> String {
    r.headers()["location"].to_str().unwrap().to_owned()
}

/// The reference questionnaire, uploaded, its findings accepted, published.
async fn published_version(app: &TestApp, manager_id: i64) -> i64 {
    let panel = panels::get(&app.db, PANEL).await.unwrap();
    let now = app.clock.now_utc();
    let version = review::upload(
        &app.db,
        &panel,
        QUESTIONNAIRE.as_bytes(),
        manager_id,
        Lang::Nl,
        now,
    )
    .await
    .unwrap()
    .unwrap();
    let keys: Vec<String> = review::review(&version, &[], Lang::Nl)
        .items
        .into_iter()
        .map(|item| item.key)
        .collect();
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    review::accept(
        &app.db,
        &version,
        &keys,
        manager_id,
        Some("test"),
        Lang::Nl,
        now,
    )
    .await
    .unwrap();
    review::publish(&app.db, &version, manager_id, Lang::Nl, now)
        .await
        .unwrap()
        .unwrap();
    version.id
}

/// The reference panel, a logged-in manager (and their id) and a published version.
async fn setup() -> (TestApp, Browser, i64, i64) {
    let app = TestApp::with_panel().await;
    let manager = app.manager().await;
    let manager_id = klankbord::store::managers::list(&app.db).await.unwrap()[0].id;
    let version = published_version(&app, manager_id).await;
    (app, manager, manager_id, version)
}

/// An active member with these background answers.
async fn member(
    app: &TestApp,
    n: usize,
    name: &str,
    background: &[(&str, &str)],
    preference: ContactPreference,
) {
    let background: BTreeMap<VariableId, CategoryValue> = background
        .iter()
        .map(|(v, c)| {
            (
                VariableId::parse(v).unwrap(),
                CategoryValue::parse(c).unwrap(),
            )
        })
        .collect();
    let new = NewMember {
        profile: Profile {
            name: Some(name.to_owned()),
            email: Some(EmailAddress::parse(&format!("lid{n}@voorbeeld.nl")).unwrap()),
            phone: Some(PhoneNumber::parse(&format!("06 1000 {n:04}")).unwrap()),
            address: Some(format!("Dorpsstraat {n}, 1234 AB Utrecht")),
            contact_preference: preference,
            birth_year: Some(1980),
            language: Lang::Nl,
            supporter: None,
            background,
        },
        consent_version: "1".to_owned(),
        keep_answers_anonymous: true,
        source: "website".to_owned(),
    };
    members::insert(
        &app.db,
        PANEL,
        &new,
        MemberStatus::Active,
        app.clock.now_utc(),
    )
    .await
    .unwrap();
}

/// The small panel: 8 members with experience (email), 4 relatives (phone), one who did
/// not answer the role question, and one aged 55 or older — all 35-54 otherwise.
async fn small_panel(app: &TestApp) {
    let mut n = 0;
    for i in 0..8 {
        n += 1;
        let name = format!("Ervaring {i}");
        let bg = [("rol", "ervaring"), ("leeftijd", "35-54")];
        member(app, n, &name, &bg, ContactPreference::Email).await;
    }
    for i in 0..4 {
        n += 1;
        let name = format!("Naaste {i}");
        let bg = [("rol", "naaste"), ("leeftijd", "35-54")];
        member(app, n, &name, &bg, ContactPreference::Phone).await;
    }
    member(
        app,
        13,
        "Zonder rol",
        &[("leeftijd", "35-54")],
        ContactPreference::Email,
    )
    .await;
    let bg = [("rol", "ervaring"), ("leeftijd", "55+")];
    member(app, 14, "Ouder lid", &bg, ContactPreference::Post).await;
}

/// A complete plan form: leeftijd 18-34 and 35-54 may take part, quotas on rol.
fn plan_form(version: i64, size_n: &str) -> Vec<(String, String)> {
    [
        ("version", version.to_string()),
        ("title", "Werk en ggz, winter".to_owned()),
        ("elig-1", "18-34".to_owned()),
        ("elig-1", "35-54".to_owned()),
        ("size_mode", "n".to_owned()),
        ("size_n", size_n.to_owned()),
        ("quota_var", "rol".to_owned()),
        ("seed", "4711".to_owned()),
        ("send_mode", "now".to_owned()),
        ("send_date", String::new()),
        ("send_time", "09:00".to_owned()),
        ("reminder_days", "7".to_owned()),
        ("close_mode", "days".to_owned()),
        ("close_days", "14".to_owned()),
        ("close_date", String::new()),
        ("action", "save".to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

fn set(form: &mut Vec<(String, String)>, name: &str, value: &str) {
    form.retain(|(k, _)| k != name);
    form.push((name.to_owned(), value.to_owned()));
}

async fn post_form(browser: &Browser, path: &str, form: &[(String, String)]) -> reqwest::Response {
    let refs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    browser.post(path, &refs).await
}

async fn surveys(app: &TestApp) -> Vec<survey::Model> {
    survey::Entity::find().all(&app.db).await.unwrap()
}

/// A row of a quota table: the category's cells from its label on.
fn row(page: &str, category: &str, numbers: &[u32]) -> bool {
    let cells: String = numbers
        .iter()
        .map(|n| format!("<td class=\"num\">{n}</td>"))
        .collect();
    let label = format!("<span class=\"small\">({category})</span></th>{cells}");
    page.contains(&label)
}

#[tokio::test]
async fn bad_input_shows_the_form_again_and_stores_nothing() {
    let (app, manager, _, version) = setup().await;

    let (status, page) = manager
        .get_text(&format!("/beheer/panels/{PANEL}/enquetes"))
        .await;
    assert_eq!(status, 200);
    assert!(page.contains(&format!("href=\"/beheer/panels/{PANEL}/enquetes/nieuw\"")));
    let (status, page) = manager
        .get_text(&format!("/beheer/panels/{PANEL}/enquetes/nieuw"))
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("<title>Nieuwe enquête –"));
    assert!(page.contains(&format!("<option value=\"{version}\">")));
    assert!(page.contains("<legend>Wie mag meedoen?</legend>"));

    let mut form = plan_form(version, "twintig");
    set(&mut form, "title", "  ");
    set(&mut form, "send_mode", "at");
    set(&mut form, "send_date", "31-02-2026");
    set(&mut form, "reminder_days", "0");
    let r = post_form(
        &manager,
        &format!("/beheer/panels/{PANEL}/enquetes/nieuw"),
        &form,
    )
    .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("<title>Fout: Nieuwe enquête –"), "{page}");
    for (anchor, message) in [
        ("f-title", "Geef de enquête een naam."),
        (
            "f-size_n",
            "Vul bij 'Aantal leden' een heel getal in, 1 of meer.",
        ),
        ("f-send_date", "Vul een datum in, zoals 2027-03-15."),
    ] {
        assert!(
            page.contains(&format!("<a href=\"#{anchor}\">{}</a>", html(message))),
            "summary lacks {anchor}: {message}"
        );
        assert!(
            page.contains(&format!("id=\"{anchor}-error\"")),
            "{anchor} has no error"
        );
    }
    // The schedule could not be read, so its other problems wait.
    assert!(!page.contains("herinnering op de dag zelf"));
    // What was typed is kept.
    assert!(page.contains("value=\"twintig\""));
    assert!(page.contains("value=\"31-02-2026\""));
    assert!(page.contains("value=\"18-34\" checked"));
    assert!(surveys(&app).await.is_empty(), "nothing is stored");

    // A quota whose target is outside its bounds: said at its row.
    let mut form = plan_form(version, "8");
    for (k, v) in [
        ("quota-0-0-min", "4"),
        ("quota-0-0-target", "9"),
        ("quota-0-0-max", "8"),
        ("quota-0-1-min", "1"),
        ("quota-0-1-target", "2"),
        ("quota-0-1-max", "3"),
    ] {
        set(&mut form, k, v);
    }
    let r = post_form(
        &manager,
        &format!("/beheer/panels/{PANEL}/enquetes/nieuw"),
        &form,
    )
    .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    let message =
        "Bij rol = ervaring ligt het doel (9) niet tussen het minimum (4) en het maximum (8).";
    assert!(
        page.contains(&format!("<a href=\"#f-quota-0-0-min\">{message}</a>")),
        "{page}"
    );
    assert!(page.contains("id=\"f-quota-0-0-error\""));
    assert!(surveys(&app).await.is_empty(), "nothing is stored");
    app.stop().await;
}

#[tokio::test]
async fn a_survey_is_planned_previewed_scheduled_followed_and_closed() {
    let (app, manager, manager_id, version) = setup().await;
    small_panel(&app).await;
    let new = format!("/beheer/panels/{PANEL}/enquetes/nieuw");

    // "Quota opnieuw berekenen" shows the defaults for 20 of the targets 75% / 25%:
    // 15 and 5, with 80% and 120% of them as bounds. Nothing is stored yet.
    let mut form = plan_form(version, "20");
    set(&mut form, "action", "quotas");
    let r = post_form(&manager, &new, &form).await;
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    assert!(page.contains("voor 20 leden"));
    for (field, value) in [
        ("quota-0-0-min", 12),
        ("quota-0-0-target", 15),
        ("quota-0-0-max", 18),
        ("quota-0-1-min", 4),
        ("quota-0-1-target", 5),
        ("quota-0-1-max", 6),
    ] {
        assert!(
            page.contains(&format!("name=\"{field}\" value=\"{value}\"")),
            "{field} should be {value}"
        );
    }
    assert!(surveys(&app).await.is_empty());

    // Saved as it is: 20 asked, 8 + 4 members there.
    let r = post_form(&manager, &new, &plan_form(version, "20")).await;
    assert_eq!(r.status(), 303);
    let page_path = location(&r);
    let id = surveys(&app).await[0].id;
    assert_eq!(page_path, format!("/beheer/enquetes/{id}?klaar=opgeslagen"));
    let (status, page) = manager.get_text(&page_path).await;
    assert_eq!(status, 200);
    assert!(page.contains("<title>Concept: Werk en ggz, winter –"));
    assert!(page.contains("Het concept is opgeslagen."));
    // Nobody confirmed 2026's allowance limits yet: no word about the hourly limit.
    assert!(!page.contains("per uur"));
    let limits = [
        ("year", "2026"),
        ("per_hour_21_plus", "5,60"),
        ("per_hour_under_21", "3,30"),
        ("per_month", "210"),
        ("per_year", "2.100,00"),
        ("source", "Belastingdienst"),
    ];
    let r = manager
        .post(
            &format!("/beheer/panels/{PANEL}/vergoedingen/grenzen"),
            &limits,
        )
        .await;
    assert_eq!(r.status(), 303);
    // Confirmed: the €5 gift card for 8 minutes is €37.50 an hour, above the limit.
    let (_, page) = manager.get_text(&page_path).await;
    assert!(
        page.contains("De vergoeding is € 5,00 voor 8 minuten: € 37,50 per uur."),
        "{page}"
    );
    assert!(page.contains("€ 5,60 per uur vanaf 21 jaar, € 3,30 per uur onder 21 jaar"));
    assert!(
        page.contains("rol = ervaring: nodig 12, beschikbaar 8."),
        "{page}"
    );
    assert!(page.contains(
        "U wilt 20 leden uitnodigen. Er zijn er maar 12 die we mogen uitnodigen. We kiezen er 12."
    ));
    assert!(row(&page, "ervaring", &[12, 15, 18, 8, 8]));
    assert!(page.contains("<td class=\"num\">8 <strong>(te weinig)</strong></td>"));

    // Changed to 8 members, quotas left to the defaults: 6 and 2, bounds 4–8 and 1–3.
    let edit = format!("/beheer/enquetes/{id}/wijzigen");
    let (status, page) = manager.get_text(&edit).await;
    assert_eq!(status, 200);
    assert!(page.contains("name=\"quota-0-0-min\" value=\"12\""));
    assert!(page.contains("id=\"f-size_n\" name=\"size_n\" type=\"number\" value=\"20\""));
    // "Nu versturen" stays "now" (its moment has passed by the time the plan changes).
    assert!(page.contains("name=\"send_mode\" value=\"now\" checked"));
    let r = post_form(&manager, &edit, &plan_form(version, "8")).await;
    assert_eq!(r.status(), 303);
    let (_, page) = manager.get_text(&format!("/beheer/enquetes/{id}")).await;
    assert!(page.contains("We kiezen 8 leden."), "{page}");
    assert!(page.contains("e-mail 6 · telefoon 2 · post 0"));
    //                              min target max eligible available picked
    assert!(row(&page, "ervaring", &[4, 6, 8, 8, 8, 6]), "{page}");
    assert!(row(&page, "naaste", &[1, 2, 3, 4, 4, 2]), "{page}");
    assert!(page.contains("1 leden passen niet bij de vragenlijst."));
    assert!(page.contains("1 leden vallen buiten de quota."));
    assert!(!page.contains("nodig "), "no shortfall");
    // The reference questionnaire is meant for members with experience only.
    assert!(page.contains("De vragenlijst is bedoeld voor: Hoe doet u mee aan het panel?"));
    assert_eq!(surveys(&app).await[0].status, SurveyStatus::Draft);

    // Plannen, sending now.
    let r = manager
        .post(
            &format!("/beheer/enquetes/{id}/plannen"),
            &[("send_now", "ja")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), format!("/beheer/enquetes/{id}?klaar=gepland"));
    let (_, page) = manager.get_text(&location(&r)).await;
    assert!(
        page.contains("<title>Veldwerk: Werk en ggz, winter –"),
        "{page}"
    );
    assert!(page.contains("<dt>Nog te versturen</dt><dd>8</dd>"));
    assert!(page.contains("<dt>Uitgenodigd</dt><dd>0</dd>"));

    // The wave, run by hand.
    klankbord::jobs::Runner::new(
        app.db.clone(),
        app.config.base_url.clone(),
        app.clock.clone(),
        Arc::new(tokio::sync::Notify::new()),
        chrono::Duration::seconds(30),
    )
    .run_due()
    .await
    .unwrap();
    let (_, page) = manager.get_text(&format!("/beheer/enquetes/{id}")).await;
    assert!(page.contains("Stand: Open."));
    assert!(page.contains("<dt>Uitgenodigd</dt><dd>8</dd>"), "{page}");
    assert!(page.contains("<dt>Nog te versturen</dt><dd>0</dd>"));
    assert!(page.contains("<dt>Per telefoon (belijst)</dt><dd>2</dd>"));
    //                   invited started finished
    assert!(row(&page, "ervaring", &[6, 0, 0]), "{page}");
    assert!(row(&page, "naaste", &[2, 0, 0]));
    assert!(page.contains("4 – 6 – 8</td><td>Nog onder het minimum</td>"));
    assert!(page.contains("Niet afgeleverd: 0. Wacht nog op versturen: 6."));

    // One invitation bounces; the dashboard says why, without the address.
    let now = app.clock.now_utc();
    let bounced = outbox::claim_due(&app.db, now, Duration::minutes(5), 1)
        .await
        .unwrap()
        .remove(0);
    let error = format!(
        "550 5.1.1 <{}>: Recipient address rejected",
        bounced.recipient
    );
    outbox::mark_attempt_failed(&app.db, &bounced, &error, true, now)
        .await
        .unwrap();
    assert_eq!(app.deliver_mail().await.len(), 5);
    // The two relatives are called: one finishes, one stops halfway.
    let s = responses::survey(&app.db, id).await.unwrap();
    let called = fieldwork::sent_by_channel(&app.db, id, Channel::Phone)
        .await
        .unwrap();
    assert_eq!(called.len(), 2);
    for (i, (_, m)) in called.iter().enumerate() {
        let r = responses::start_response(&app.db, &s, &m.pseudonym, Mode::Phone, None, now)
            .await
            .unwrap();
        if i == 0 {
            responses::finish(&app.db, r.id, now).await.unwrap();
        }
    }
    let (_, page) = manager.get_text(&format!("/beheer/enquetes/{id}")).await;
    assert!(
        page.contains("Niet afgeleverd: 1. Wacht nog op versturen: 0."),
        "{page}"
    );
    assert!(
        page.contains("550 5.1.1 &#60;[adres]&#62;: Recipient address rejected"),
        "{page}"
    );
    assert!(
        !page.contains(&bounced.recipient),
        "the address is not shown"
    );
    assert!(page.contains("<dt>Begonnen</dt><dd>2</dd>"));
    assert!(page.contains("<dt>Klaar</dt><dd>1</dd>"));
    assert!(page.contains("<dt>Respons</dt><dd>12%</dd>"));
    assert!(row(&page, "naaste", &[2, 2, 1]), "{page}");
    assert!(page.contains("1 – 2 – 3</td><td>Tussen minimum en maximum</td>"));

    // The call list: the two relatives picked, with their numbers; audited.
    let r = manager
        .get(&format!("/beheer/enquetes/{id}/belijst.csv"))
        .await;
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = r.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "lidnummer,naam,telefoon");
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(
        lines[1..]
            .iter()
            .all(|l| l.contains(",Naaste ") && l.contains(",06 1000 "))
    );
    let (entries, _) = audit::list(&app.db, None, 0, 10).await.unwrap();
    let entry = entries
        .iter()
        .find(|e| e.action == "export_call_list")
        .expect("the download is audited");
    assert_eq!(entry.manager_id, Some(manager_id));
    assert!(entry.detail.contains(&format!("survey {id}: 2 members")));

    // Pause (not without the form's token), resume, close after the question.
    let r = manager
        .post_without_csrf(&format!("/beheer/enquetes/{id}/pauzeren"), &[])
        .await;
    assert_eq!(r.status(), 403);
    let r = manager
        .post(&format!("/beheer/enquetes/{id}/pauzeren"), &[])
        .await;
    assert_eq!(r.status(), 303);
    let (_, page) = manager.get_text(&location(&r)).await;
    assert!(page.contains("Stand: Gepauzeerd."));
    assert!(page.contains("Weer laten lopen"));
    let r = manager
        .post(&format!("/beheer/enquetes/{id}/hervatten"), &[])
        .await;
    assert_eq!(r.status(), 303);
    let s = responses::survey(&app.db, id).await.unwrap();
    assert_eq!(s.status, SurveyStatus::Open);

    let (status, page) = manager
        .get_text(&format!("/beheer/enquetes/{id}/sluiten"))
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("Ja, enquête nu sluiten"));
    assert_eq!(
        responses::survey(&app.db, id).await.unwrap().status,
        SurveyStatus::Open,
        "asking closes nothing"
    );
    let r = manager
        .post(&format!("/beheer/enquetes/{id}/sluiten"), &[])
        .await;
    assert_eq!(r.status(), 303);
    let (_, page) = manager.get_text(&location(&r)).await;
    assert!(page.contains("De enquête is gesloten."));
    assert!(!page.contains("/sluiten\""), "no second close");
    assert_eq!(
        responses::survey(&app.db, id).await.unwrap().status,
        SurveyStatus::Closed
    );
    app.stop().await;
}

#[tokio::test]
async fn a_send_time_that_has_passed_is_said_kindly() {
    let (app, manager, _, version) = setup().await;
    small_panel(&app).await;

    // Today at 13:00 Dutch time (the test clock starts at 29-11-2026 11:00 Dutch time).
    let today = app.clock.now_utc().date_naive();
    let mut form = plan_form(version, "8");
    set(&mut form, "send_mode", "at");
    set(&mut form, "send_time", "13:00");
    set(
        &mut form,
        "send_date",
        &format!(
            "{:04}-{:02}-{:02}",
            today.year(),
            today.month(),
            today.day()
        ),
    );
    let r = post_form(
        &manager,
        &format!("/beheer/panels/{PANEL}/enquetes/nieuw"),
        &form,
    )
    .await;
    assert_eq!(r.status(), 303);
    let id = surveys(&app).await[0].id;
    let (_, page) = manager.get_text(&format!("/beheer/enquetes/{id}")).await;
    assert!(
        page.contains("gaan de uitnodigingen weg op 29-11-2026 13:00"),
        "{page}"
    );

    // Three hours later (the manager is still logged in).
    app.clock.advance(Duration::hours(3));
    let (_, page) = manager.get_text(&format!("/beheer/enquetes/{id}")).await;
    assert!(page.contains("Het moment van versturen (29-11-2026 13:00) is voorbij."));
    let r = manager
        .post(&format!("/beheer/enquetes/{id}/plannen"), &[])
        .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("<title>Fout: Concept: Werk en ggz, winter –"));
    let message =
        "Het moment van versturen (29-11-2026 13:00) is al voorbij. Kies een later moment.";
    assert!(
        page.contains(&format!("<a href=\"#plannen\">{message}</a>")),
        "{page}"
    );
    assert_eq!(
        responses::survey(&app.db, id).await.unwrap().status,
        SurveyStatus::Draft
    );

    let r = manager
        .post(
            &format!("/beheer/enquetes/{id}/plannen"),
            &[("send_now", "ja")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let s = responses::survey(&app.db, id).await.unwrap();
    assert_eq!(s.status, SurveyStatus::Scheduled);
    assert_eq!(s.opens_at, app.clock.now_utc());
    // Closed before the wave ran: nothing goes out, and the dashboard says why.
    let r = manager
        .post(&format!("/beheer/enquetes/{id}/sluiten"), &[])
        .await;
    assert_eq!(r.status(), 303);
    let (_, page) = manager.get_text(&location(&r)).await;
    assert!(page.contains("<dt>Niet verstuurd</dt><dd>8</dd>"), "{page}");
    assert!(page.contains(
        "<th scope=\"row\">enquête gesloten voor het versturen</th><td class=\"num\">8</td>"
    ));
    // A scheduled plan no longer changes.
    let r = manager
        .get(&format!("/beheer/enquetes/{id}/wijzigen"))
        .await;
    assert_eq!(r.status(), 303);
    app.stop().await;
}
