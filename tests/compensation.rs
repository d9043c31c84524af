//! The compensation ledger end to end on a real database: entries on finishing a
//! survey, the yearly limit crossed across surveys (flag, manager warning, notice
//! email), the member's choice, bad amounts, an unconfirmed year and the payout file.

mod common;

use chrono::{TimeZone, Utc};
use common::{Browser, ClockExt, QUESTIONNAIRE, TestApp};
use klankbord::domain::compensation::{Choice, EntryKind, Money};
use klankbord::domain::response::{Mode, SurveyStatus};
use klankbord::store::{self, compensation as ledger};

/// A questionnaire version offering `compensation` (JSON), under its own id.
async fn version_offering(app: &TestApp, manager_id: i64, id: &str, compensation: &str) -> i64 {
    let json = QUESTIONNAIRE
        .replace("\"betaald-werk-2026\"", &format!("\"{id}\""))
        .replace(r#"{"amount_eur": 5.00, "kind": "cadeaubon"}"#, compensation);
    assert_ne!(json, QUESTIONNAIRE, "the example questionnaire changed");
    let panel = store::panels::get(&app.db, "ggz-panel").await.unwrap();
    klankbord::service::questionnaires::upload(
        &app.db,
        &panel,
        json.as_bytes(),
        manager_id,
        klankbord::i18n::Lang::Nl,
        app.clock.now_utc(),
    )
    .await
    .unwrap()
    .unwrap()
    .id
}

/// A new open survey of `version`, answered and finished by the member now, through
/// the flow the answering pages use.
async fn finish_survey(app: &TestApp, version: i64, title: &str, member_id: i64) {
    let now = app.clock.now_utc();
    let survey = store::responses::create_survey(
        &app.db,
        "ggz-panel",
        version,
        title,
        SurveyStatus::Open,
        now,
        now + chrono::Duration::days(21),
        None,
        now,
    )
    .await
    .unwrap();
    let m = store::members::get(&app.db, member_id).await.unwrap();
    let r = store::responses::start_response(&app.db, &survey, &m.pseudonym, Mode::Web, None, now)
        .await
        .unwrap();
    klankbord::service::compensation::finish_response(&app.db, r.id, &app.base, now)
        .await
        .unwrap();
}

/// A member who signed up through the site and is logged in, with their id.
async fn member(app: &TestApp, email: &str) -> (Browser, i64) {
    let browser = app.browser().await;
    browser.sign_up_and_confirm(app, email).await;
    let m = store::members::find_by_email(
        &app.db,
        "ggz-panel",
        &klankbord::domain::contact::EmailAddress::parse(email).unwrap(),
    )
    .await
    .unwrap()
    .expect("member exists");
    (browser, m.id)
}

/// A panel with a logged-in manager and a logged-in member, the clock set to `at`
/// (year, month, day) when given; the sign-up mail is already delivered.
struct Setup {
    app: TestApp,
    manager: Browser,
    manager_id: i64,
    member: Browser,
    member_id: i64,
}

async fn setup(at: Option<(i32, u32, u32)>, email: &str) -> Setup {
    let app = TestApp::with_panel().await;
    if let Some((y, m, d)) = at {
        app.clock
            .set(Utc.with_ymd_and_hms(y, m, d, 10, 0, 0).unwrap());
    }
    let manager = app.manager().await;
    let manager_id = store::managers::list(&app.db).await.unwrap()[0].id;
    let (member, member_id) = member(&app, email).await;
    app.deliver_mail().await;
    Setup {
        app,
        manager,
        manager_id,
        member,
        member_id,
    }
}

/// A questionnaire version offering `euros` of `kind` ("geld", "cadeaubon").
async fn offering(s: &Setup, id: &str, euros: &str, kind: &str) -> i64 {
    let json = format!(r#"{{"amount_eur": {euros}, "kind": "{kind}"}}"#);
    version_offering(&s.app, s.manager_id, id, &json).await
}

#[tokio::test]
async fn crossing_the_yearly_limit_flags_warns_and_sends_a_notice() {
    // 2025 has the figures klankbord ships: €210 a month, €2,100 a year.
    let s = setup(Some((2025, 6, 10)), "anna@voorbeeld.nl").await;
    let hundred = offering(&s, "honderd", "100.00", "geld").await;
    let five = offering(&s, "vijf", "5.00", "cadeaubon").await;
    let Setup {
        app,
        manager,
        member: browser,
        member_id,
        ..
    } = s;

    // €1,900 from elsewhere this year, typed the Dutch way.
    let r = browser
        .post(
            "/mijn-gegevens/vergoedingen/andere",
            &[("other", "€ 1.900,00")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        ledger::declared(&app.db, member_id, 2025).await.unwrap(),
        Money::from_cents(190_000)
    );

    // 1900 + 100 = 2000, then exactly 2100: equal to the limit is allowed.
    finish_survey(&app, hundred, "Eerste", member_id).await;
    finish_survey(&app, hundred, "Tweede", member_id).await;
    // One more €5 gift card: 2105 crosses the yearly limit by €5 (month: 205, within).
    finish_survey(&app, five, "Derde", member_id).await;

    let entries = ledger::entries_for_member(&app.db, member_id)
        .await
        .unwrap();
    assert_eq!(entries.len(), 3);
    let flagged: Vec<_> = entries.iter().filter(|e| e.flagged).collect();
    assert_eq!(flagged.len(), 1, "only the third payment crosses");
    assert_eq!(flagged[0].survey_title, "Derde");
    assert_eq!(flagged[0].kind, EntryKind::GiftCard);
    assert_eq!(flagged[0].year_over_cents, Some(500));
    assert_eq!(flagged[0].month_over_cents, None);
    assert!(!flagged[0].unconfirmed);

    // The member gets one notice, in plain Dutch, about benefits.
    let mails = app.deliver_mail().await;
    let notices: Vec<_> = mails
        .iter()
        .filter(|m| m.subject.contains("let op de grens"))
        .collect();
    assert_eq!(notices.len(), 1, "one notice: {mails:?}");
    let notice = notices[0];
    assert_eq!(notice.to, "anna@voorbeeld.nl");
    for phrase in [
        "€ 5,00",
        "bijstand",
        "jonger dan 27 jaar",
        "gemeente",
        "/mijn-gegevens/vergoedingen",
    ] {
        assert!(
            notice.text.contains(phrase),
            "notice mentions {phrase}: {}",
            notice.text
        );
    }

    // The manager sees the flagged entry and the yearly total.
    let (status, page) = manager
        .get_text("/beheer/panels/ggz-panel/vergoedingen")
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("Gemarkeerde vergoedingen"));
    assert!(page.contains("Boven de grens"));
    assert!(page.contains("Derde"));
    assert!(page.contains("€ 205,00"), "total received in 2025");
    assert!(page.contains("Bekende bedragen van de Belastingdienst"));
    assert!(page.contains("<title>Vergoedingen – "));

    // The member sees their entries and totals, and the benefit advice.
    let (status, page) = browser.get_text("/mijn-gegevens/vergoedingen").await;
    assert_eq!(status, 200);
    assert!(page.contains("€ 205,00"));
    assert!(page.contains("bijstand"));
    assert!(page.contains("<title>Uw vergoedingen"));

    // The payout file has exact decimal amounts, and downloading it is audited.
    let r = manager
        .get("/beheer/panels/ggz-panel/vergoedingen/uitbetaling.csv")
        .await;
    assert_eq!(r.status(), 200);
    let csv = r.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 4, "header and three entries: {csv}");
    assert!(lines[0].starts_with("boeking,datum,lidnummer"));
    assert!(lines[1].contains(",100.00,nee"), "{}", lines[1]);
    assert!(lines[3].contains("cadeaukaart,5.00,ja"), "{}", lines[3]);
    assert!(lines[1].contains("anna@voorbeeld.nl"));
    let (audit, _) = store::audit::list(&app.db, None, 0, 20).await.unwrap();
    assert!(audit.iter().any(|a| a.action == "export_payout"));
    app.stop().await;
}

#[tokio::test]
async fn the_members_choice_is_honoured_and_bad_amounts_change_nothing() {
    let s = setup(Some((2025, 3, 3)), "bram@voorbeeld.nl").await;
    let ten = offering(&s, "tien", "10.00", "geld").await;
    let Setup {
        app,
        member: browser,
        member_id,
        ..
    } = s;

    let r = browser
        .post(
            "/mijn-gegevens/vergoedingen/keuze",
            &[("choice", "decline")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        ledger::choice(&app.db, member_id).await.unwrap(),
        Choice::Decline
    );
    finish_survey(&app, ten, "Geweigerd", member_id).await;

    let r = browser
        .post("/mijn-gegevens/vergoedingen/keuze", &[("choice", "donate")])
        .await;
    assert_eq!(r.status(), 303);
    finish_survey(&app, ten, "Gedoneerd", member_id).await;

    let entries = ledger::entries_for_member(&app.db, member_id)
        .await
        .unwrap();
    let by_title = |t: &str| entries.iter().find(|e| e.survey_title == t).unwrap();
    assert_eq!(by_title("Geweigerd").kind, EntryKind::None);
    assert_eq!(by_title("Geweigerd").amount_cents, 0);
    assert_eq!(by_title("Gedoneerd").kind, EntryKind::Donation);
    assert_eq!(by_title("Gedoneerd").amount_cents, 1000);
    assert_eq!(by_title("Gedoneerd").offered_cents, 1000);
    let (_, page) = browser.get_text("/mijn-gegevens/vergoedingen").await;
    assert!(page.contains("Geen vergoeding"));
    assert!(page.contains("Gift aan een goed doel"));
    // The member's own data download holds the ledger, amounts as exact decimals.
    let r = browser.get("/mijn-gegevens/download").await;
    assert_eq!(r.status(), 200);
    let data: serde_json::Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
    let ledger_data = data
        .pointer("/compensation")
        .expect("ledger in the download");
    assert_eq!(ledger_data["choice"], "donate");
    let amounts: Vec<&str> = ledger_data["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["amount"].as_str().unwrap())
        .collect();
    assert_eq!(amounts.len(), 2);
    assert!(amounts.contains(&"10.00") && amounts.contains(&"0.00"));

    // A choice that is not offered is refused.
    let r = browser
        .post("/mijn-gegevens/vergoedingen/keuze", &[("choice", "alles")])
        .await;
    assert_eq!(r.status(), 400);
    assert_eq!(
        ledger::choice(&app.db, member_id).await.unwrap(),
        Choice::Donate
    );

    // A bad amount: a clear Dutch message, and nothing is stored.
    let r = browser
        .post("/mijn-gegevens/vergoedingen/andere", &[("other", "150")])
        .await;
    assert_eq!(r.status(), 303);
    for (typed, message) in [
        ("vijf euro", "Vul een bedrag in met alleen cijfers"),
        ("1.000,505", "hoogstens 2 cijfers achter de komma"),
        ("2.100", "Wij weten niet zeker welk bedrag u bedoelt"),
        ("-20", "niet lager zijn dan 0"),
    ] {
        let r = browser
            .post("/mijn-gegevens/vergoedingen/andere", &[("other", typed)])
            .await;
        assert_eq!(r.status(), 422, "{typed} is refused");
        let page = r.text().await.unwrap();
        assert!(page.contains(message), "{typed}: {message}");
        assert!(
            page.contains("<title>Fout: "),
            "the title says there is an error"
        );
        assert!(page.contains("aria-invalid=\"true\""));
        assert_eq!(
            ledger::declared(&app.db, member_id, 2025).await.unwrap(),
            Money::from_cents(15_000),
            "{typed} changed nothing"
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn an_unconfirmed_year_warns_until_a_manager_confirms_it() {
    // The test clock stands in 2026: klankbord ships no figures for it.
    let s = setup(None, "cor@voorbeeld.nl").await;
    let ten = offering(&s, "tien", "10.00", "geld").await;
    let Setup {
        app,
        manager,
        member_id,
        ..
    } = s;

    let (_, page) = manager
        .get_text("/beheer/panels/ggz-panel/vergoedingen")
        .await;
    assert!(
        page.contains("Niemand heeft de grenzen voor vrijwilligersvergoedingen van 2026 bevestigd")
    );

    finish_survey(&app, ten, "Onbevestigd", member_id).await;
    let entries = ledger::entries_for_member(&app.db, member_id)
        .await
        .unwrap();
    assert!(entries[0].flagged && entries[0].unconfirmed);
    let (_, page) = manager
        .get_text("/beheer/panels/ggz-panel/vergoedingen")
        .await;
    assert!(page.contains("Grenzen niet bevestigd"));
    let mails = app.deliver_mail().await;
    assert!(
        mails.iter().all(|m| !m.subject.contains("let op de grens")),
        "no member notice for the manager's missing confirmation"
    );

    // A bad figure is refused with a message and confirms nothing.
    let form = |per_year: &'static str| {
        vec![
            ("year", "2026"),
            ("per_hour_21_plus", "5,70"),
            ("per_hour_under_21", "3,35"),
            ("per_month", "210,00"),
            ("per_year", per_year),
            ("source", "Belastingdienst"),
        ]
    };
    let r = manager
        .post(
            "/beheer/panels/ggz-panel/vergoedingen/grenzen",
            &form("twee"),
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Vul een bedrag in met alleen cijfers")
    );
    assert!(
        ledger::limits(&app.db, 2026)
            .await
            .unwrap()
            .usable()
            .is_none()
    );

    let r = manager
        .post(
            "/beheer/panels/ggz-panel/vergoedingen/grenzen",
            &form("2.100,00"),
        )
        .await;
    assert_eq!(r.status(), 303);
    let limits = ledger::limits(&app.db, 2026).await.unwrap();
    let usable = limits.usable().expect("confirmed");
    assert_eq!(usable.per_year, Money::from_cents(210_000));
    assert_eq!(usable.per_hour_21_plus, Money::from_cents(570));
    let (_, page) = manager
        .get_text("/beheer/panels/ggz-panel/vergoedingen")
        .await;
    assert!(!page.contains("Niemand heeft de grenzen"));
    assert!(page.contains("Bevestigd door een beheerder"));

    // Payments after the confirmation are checked against the figures, not flagged.
    finish_survey(&app, ten, "Bevestigd", member_id).await;
    let entries = ledger::entries_for_member(&app.db, member_id)
        .await
        .unwrap();
    let after = entries
        .iter()
        .find(|e| e.survey_title == "Bevestigd")
        .unwrap();
    assert!(!after.flagged);
    app.stop().await;
}

#[tokio::test]
async fn erasing_a_member_keeps_the_payment_without_a_name() {
    let s = setup(Some((2025, 3, 3)), "dirk@voorbeeld.nl").await;
    let ten = offering(&s, "tien", "10.00", "geld").await;
    let Setup {
        app,
        member: browser,
        member_id,
        ..
    } = s;
    let r = browser
        .post("/mijn-gegevens/vergoedingen/andere", &[("other", "50")])
        .await;
    assert_eq!(r.status(), 303);
    finish_survey(&app, ten, "Voor het wissen", member_id).await;

    klankbord::service::members::erase(&app.db, member_id)
        .await
        .unwrap();
    let csv = klankbord::service::compensation::payout_csv(&app.db, "ggz-panel")
        .await
        .unwrap()
        .0;
    assert!(csv.contains("Voor het wissen"));
    assert!(csv.contains("10.00"));
    assert!(
        !csv.contains("dirk@voorbeeld.nl"),
        "no name or address left: {csv}"
    );
    assert_eq!(
        ledger::declared(&app.db, member_id, 2025).await.unwrap(),
        Money::ZERO,
        "the declaration went with the member"
    );
    app.stop().await;
}
