//! The SPSS syntax: it reads the CSV's columns in order, with variable and value labels
//! and missing values; PSPP runs it when installed.

use std::process::Command;

use crate::common::TestApp;
use crate::support::{download, download_csv, parse, setup};

#[tokio::test]
async fn the_spss_syntax_reads_the_csv_with_labels_and_missing_values() {
    let app = TestApp::with_panel().await;
    let s = setup(&app).await;
    let csv_name = format!("antwoorden-enquete-{}.csv", s.survey_id);
    let csv_text = download_csv(&s).await;
    let (header, _) = parse(&csv_text);
    let sps = download(
        &s.manager,
        s.survey_id,
        "antwoorden.sps",
        "text/plain; charset=utf-8",
        &format!("antwoorden-enquete-{}.sps", s.survey_id),
    )
    .await;
    let sps = String::from_utf8(sps).unwrap();
    assert!(sps.contains(&format!("FILE HANDLE antwoorden /NAME='{csv_name}'.")));
    assert!(sps.contains("/TYPE=TXT") && sps.contains("/FIRSTCASE=2"));
    let start = sps.find("/VARIABLES=\n").unwrap();
    let listed: Vec<&str> = sps[start..]
        .lines()
        .skip(1)
        .take(header.len())
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(
        listed, header,
        "the syntax reads the CSV's columns in order"
    );
    assert!(sps.contains("    finished SDATE10\n"));
    assert!(sps.contains("  /werk_nu 'Heeft u nu betaald werk?'\n"));
    assert!(sps.contains("  /werk_nu\n    1 'Ja'\n    2 'Nee'\n"));
    assert!(sps.contains("  /eens_zeker (-1, -8, -9)\n"));
    assert!(sps.contains("  /steun_helpt_jobcoach\n    0 'Niet gekozen'\n    1 'Gekozen'\n"));
    assert!(sps.contains("  /bg_leeftijd\n    1 '18 tot 35 jaar'\n"));
    assert!(sps.contains("VARIABLE LEVEL\n"));
    run_pspp(&csv_name, &csv_text, &sps);
    app.stop().await;
}

/// With PSPP installed: run the syntax on the CSV, write the data back out with user
/// missing values made empty, and check what it read.
fn run_pspp(csv_name: &str, csv_text: &str, sps: &str) {
    if Command::new("pspp").arg("--version").output().is_err() {
        eprintln!("pspp not found: the syntax was checked as text only");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(csv_name), csv_text).unwrap();
    let script = format!(
        "{sps}SAVE TRANSLATE /OUTFILE='back.csv' /TYPE=CSV /FIELDNAMES /MISSING=RECODE /REPLACE.\n"
    );
    std::fs::write(dir.path().join("check.sps"), script).unwrap();
    let out = Command::new("pspp")
        .arg("check.sps")
        .current_dir(dir.path())
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "pspp failed:\n{log}");
    assert!(!log.contains("error") && !log.contains("warning"), "{log}");
    let back = std::fs::read_to_string(dir.path().join("back.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(back.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 5);
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(rows[0][at("uren_week")].trim(), "32");
    // "Weet ik niet" and "niet gevraagd" are user missing: empty once recoded.
    assert_eq!(rows[1][at("eens_zeker")].trim(), "");
    assert_eq!(rows[1][at("effect_leven")].trim(), "");
    assert_eq!(
        rows[0][at("steun_helpt_other_text")].trim(),
        "Een maatje, \"echt\" thuis"
    );
}
