//! The command line as an operator uses it: `schema check`, `members import`, `purge`.

mod common;

use std::process::Command;

use chrono::Duration;
use common::{ClockExt, TestApp};

fn klankbord(args: &[&str], database_url: Option<&str>) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_klankbord"));
    cmd.args(args).env("KLANKBORD_LOG", "warn");
    if let Some(url) = database_url {
        cmd.env("DATABASE_URL", url);
    }
    let out = cmd.output().expect("klankbord runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn schema_check_accepts_the_reference_files_and_names_the_path_of_each_problem() {
    let dir = tempfile::TempDir::new().unwrap();
    let root = env!("CARGO_MANIFEST_DIR");
    let (code, out, _) = klankbord(
        &[
            "schema",
            "check",
            &format!("{root}/panel-schemas/examples/panel.json"),
            &format!("{root}/panel-schemas/examples/questionnaire.json"),
            &format!("{root}/panel-schemas/examples/flitspeiling.json"),
        ],
        None,
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("3 van 3 bestanden in orde"), "{out}");

    let mut panel: serde_json::Value =
        serde_json::from_str(include_str!("../panel-schemas/examples/panel.json")).unwrap();
    panel["targets"]["rol"]["ervaring"] = serde_json::json!(0.9);
    panel["reporting"]["min_cel_size"] = serde_json::json!(10);
    panel["background_variables"][1]["categories"][0]
        .as_object_mut()
        .unwrap()
        .remove("label");
    let bad = dir.path().join("kapot-panel.json");
    std::fs::write(&bad, serde_json::to_string_pretty(&panel).unwrap()).unwrap();
    let (code, out, _) = klankbord(&["schema", "check", bad.to_str().unwrap()], None);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("$.reporting.min_cel_size"), "{out}");
    assert!(
        out.contains("$.background_variables[1].categories[0]"),
        "{out}"
    );

    let (code, out, _) = klankbord(
        &["schema", "check", "--format", "json", bad.to_str().unwrap()],
        None,
    );
    assert_eq!(code, 1);
    let report: serde_json::Value = serde_json::from_str(&out).expect("json output");
    assert_eq!(report["valid"], false);

    let broken = dir.path().join("half.json");
    std::fs::write(&broken, "{\n  \"id\": \"x\",\n  \"name\": \n}").unwrap();
    let (code, out, _) = klankbord(
        &["schema", "check", "--lang", "en", broken.to_str().unwrap()],
        None,
    );
    assert_eq!(code, 1);
    assert!(
        out.contains("line 4"),
        "line and column of malformed JSON: {out}"
    );
}

#[tokio::test]
async fn import_dry_run_then_all_or_nothing_then_purge() {
    let app = TestApp::with_panel().await;
    let url = app.config.database_url.expose().to_owned();
    let good = app.dir.path().join("leden.csv");
    std::fs::write(
        &good,
        "email;phone;birth_year;consent;health_consent;rol;regio\n\
         a@voorbeeld.nl;06-11111111;1970;ja;ja;ervaring;west\n\
         b@voorbeeld.nl;;1980;ja;ja;naaste;oost\n\
         c@voorbeeld.nl;;1990;ja;ja;ervaring;zuid\n",
    )
    .unwrap();
    let bad = app.dir.path().join("fout.csv");
    std::fs::write(
        &bad,
        "email;birth_year;consent;health_consent;rol\n\
         d@voorbeeld.nl;1970;ja;ja;ervaring\n\
         niet-goed;1980;ja;ja;ervaring\n",
    )
    .unwrap();

    let count = || async {
        klankbord::store::members::list(&app.db, "ggz-panel", &Default::default(), 0, 1)
            .await
            .unwrap()
            .1
    };

    let (code, out, err) = klankbord(
        &[
            "members",
            "import",
            good.to_str().unwrap(),
            "--panel",
            "ggz-panel",
            "--dry-run",
        ],
        Some(&url),
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("alle 3 regels zijn goed"), "{out}");
    assert_eq!(count().await, 0, "dry run stores nothing");

    let (code, _, err) = klankbord(
        &[
            "members",
            "import",
            bad.to_str().unwrap(),
            "--panel",
            "ggz-panel",
        ],
        Some(&url),
    );
    assert_eq!(code, 1);
    assert!(err.contains("Regel 3: het e-mailadres klopt niet"), "{err}");
    assert!(err.contains("Niets ingelezen"), "{err}");
    assert_eq!(count().await, 0, "one bad row imports nothing");

    let (code, out, err) = klankbord(
        &[
            "members",
            "import",
            good.to_str().unwrap(),
            "--panel",
            "ggz-panel",
        ],
        Some(&url),
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("3 leden ingelezen"), "{out}");
    assert_eq!(count().await, 3);

    // The same file again: every row is now a duplicate of an existing member.
    let (code, _, err) = klankbord(
        &[
            "members",
            "import",
            good.to_str().unwrap(),
            "--panel",
            "ggz-panel",
        ],
        Some(&url),
    );
    assert_eq!(code, 1);
    assert!(err.contains("hoort al bij iemand in het panel"), "{err}");
    assert_eq!(count().await, 3);

    // Purge with a clock 25 months on: all three are inactive past the 24-month retention.
    app.clock.advance(Duration::days(31 * 25));
    let report = klankbord::store::purge::purge(&app.db, app.clock.now_utc())
        .await
        .unwrap();
    assert_eq!(report.inactive_members, 3);
    assert_eq!(count().await, 0);
    let (code, out, _) = klankbord(&["purge"], Some(&url));
    assert_eq!(code, 0);
    assert!(
        out.contains("Leden weggehaald die te lang niet meededen: 0"),
        "{out}"
    );
    app.stop().await;
}
