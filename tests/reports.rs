//! `klankbord report SURVEY --out DIR` and the report pages: the respondents' report in
//! sentences, the client's with small groups hidden and no open answers, the manager's
//! with everything; charts as SVG, figures as CSV.

mod common;

use std::process::Command;

use common::TestApp;
use common::respondents::small_group_survey;

fn report(app: &TestApp, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_klankbord"))
        .arg("report")
        .args(args)
        .env("KLANKBORD_LOG", "warn")
        .env("DATABASE_URL", app.config.database_url.expose())
        .output()
        .expect("klankbord runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test]
async fn the_report_command_writes_html_svg_and_csv() {
    let app = TestApp::with_panel().await;
    let (_, survey_id) = small_group_survey(&app).await;
    let dir = app.dir.path().join("rapport");
    let (code, out, err) = report(
        &app,
        &[&survey_id.to_string(), "--out", dir.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{err}");
    for file in [
        "deelnemers.html",
        "opdrachtgever.html",
        "beheer.html",
        "cijfers.csv",
    ] {
        assert!(out.contains(file), "{file} not listed in {out}");
    }
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap();

    // Respondents: the key result as a sentence, 14 of 24 (58%).
    let respondents = read("deelnemers.html");
    assert!(respondents.contains("<html lang=\"nl\">"));
    assert!(respondents.contains("(58%)"), "{respondents}");
    assert!(!respondents.contains("Een baas die luistert"));

    // Client: aggregate only; the 4 relatives are hidden in the crosstab by role.
    let client = read("opdrachtgever.html");
    assert!(!client.contains("Een baas die luistert"));
    assert!(
        client.contains("Per groep: Hoe doet u mee aan het panel?"),
        "{client}"
    );
    assert!(client.contains("minder dan 10"));
    assert!(!client.contains(">4<"), "a group of 4 is shown");

    // Manager: everything, the open answer and the small group too.
    let manager = read("beheer.html");
    assert!(manager.contains("Een baas die luistert"));
    assert!(manager.contains("<td class=\"num\">4</td>"));
    let charts: Vec<_> = std::fs::read_dir(dir.join("beheer-grafieken"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert!(!charts.is_empty());
    assert!(
        charts
            .iter()
            .all(|svg| svg.contains("role=\"img\"") && svg.contains("<desc"))
    );

    // The figures: outsiders' CSV has "Ja" 14 at 58.3%.
    let mut csv = csv::Reader::from_path(dir.join("cijfers.csv")).unwrap();
    let rows: Vec<csv::StringRecord> = csv.records().map(Result::unwrap).collect();
    assert!(
        rows.iter()
            .any(|r| &r[0] == "werk_nu" && &r[2] == "Ja" && &r[3] == "14" && &r[4] == "58.3"),
        "{rows:?}"
    );

    // An unknown survey: a clear message, nothing written.
    let (code, _, err) = report(&app, &["999", "--out", dir.join("x").to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("there is no survey number 999"), "{err}");
    assert!(!dir.join("x").exists());
}

#[tokio::test]
async fn managers_open_the_reports_as_pages() {
    let app = TestApp::with_panel().await;
    let (manager, survey_id) = small_group_survey(&app).await;
    let base = format!("/beheer/enquetes/{survey_id}/rapport");
    let (_, results) = manager
        .get_text(&format!("/beheer/enquetes/{survey_id}/resultaten"))
        .await;
    assert!(results.contains(&format!("href=\"{base}/opdrachtgever.html\"")));
    let (status, page) = manager
        .get_text(&format!("{base}/opdrachtgever.html"))
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("<title>Rapport voor de opdrachtgever: "));
    assert_eq!(
        manager.get(&format!("{base}/geheim.html")).await.status(),
        404
    );
    assert_eq!(
        app.browser()
            .await
            .get(&format!("{base}/beheer.html"))
            .await
            .status(),
        303
    );
}
