//! The CSV, XLSX and codebook downloads as a researcher checks them.

use crate::common::TestApp;
use crate::python::check_with_python;
use crate::support::{OTHER, download, download_csv, parse, path, setup};

#[tokio::test]
async fn the_csv_has_a_row_per_finished_response_with_its_codes() {
    let app = TestApp::with_panel().await;
    let s = setup(&app).await;
    let text = download_csv(&s).await;
    let (header, rows) = parse(&text);
    assert_eq!(
        header[..9],
        [
            "respondent",
            "mode",
            "proxy",
            "helped",
            "finished",
            "bg_rol",
            "bg_leeftijd",
            "bg_situatie",
            "bg_regio"
        ]
    );
    assert_eq!(header.last().map(String::as_str), Some("weight"));
    // Four finished members and the erased one; the unfinished response is not there.
    assert_eq!(rows.len(), 5);
    assert_eq!(text.matches("\r\n").count(), 6, "one line per response");
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    };
    let column = |name: &str| {
        rows.iter()
            .map(|r| r[col(name)].as_str())
            .collect::<Vec<_>>()
    };
    assert_eq!(column("mode"), ["1", "2", "3", "1", "1"]);
    assert_eq!(column("proxy"), ["0", "1", "0", "0", "0"]);
    assert_eq!(column("helped"), ["0", "0", "1", "0", "0"]);
    assert_eq!(column("finished"), ["2026-11-29"; 5]);
    // Background from the profile; the erased member's is gone.
    assert_eq!(column("bg_rol"), ["1", "1", "1", "1", "-9"]);
    assert_eq!(column("bg_leeftijd"), ["1", "2", "3", "1", "-9"]);
    assert_eq!(column("bg_situatie"), ["-9"; 5]);
    assert_eq!(column("werk_nu"), ["1", "2", "1", "2", "2"]);
    // Skipped by the routing (-8) or shown and left empty (-9).
    assert_eq!(column("effect_leven"), ["1", "-8", "-9", "-8", "-8"]);
    assert_eq!(column("cijfer_steun"), ["7", "-8", "4", "-8", "-8"]);
    assert_eq!(column("uren_week"), ["32", "-8", "0", "-8", "-8"]);
    assert_eq!(column("steun_helpt_gesprek"), ["1", "0", "-9", "0", "-9"]);
    assert_eq!(column("steun_helpt_uren"), ["1", "0", "-9", "0", "-9"]);
    assert_eq!(column("steun_helpt_jobcoach"), ["0", "0", "-9", "1", "-9"]);
    assert_eq!(column("steun_helpt_niets"), ["0", "1", "-9", "0", "-9"]);
    assert_eq!(column("steun_helpt_other"), ["1", "0", "-9", "0", "-9"]);
    assert_eq!(
        column("steun_helpt_other_text"),
        ["Een maatje, \"echt\" thuis", "", "", "", ""]
    );
    assert_eq!(column("eens_zeker"), ["5", "-1", "-9", "2", "-9"]);
    assert_eq!(column("wat_beter"), ["Meer begrip", "", "", "", ""]);
    assert_eq!(column("kb_eval_answering"), ["9", "-9", "-9", "-9", "-9"]);
    assert_eq!(column("weight"), ["1"; 5]);

    // Pseudonymous ids: unique, not the member's id or pseudonym, the same next time.
    let ids = column("respondent");
    for id in &ids {
        assert_eq!(id.len(), 17, "{id}");
        assert!(id.starts_with('R') && id[1..].chars().all(|c| c.is_ascii_hexdigit()));
    }
    let unique: std::collections::BTreeSet<_> = ids.iter().collect();
    assert_eq!(unique.len(), 5);
    for p in &s.pseudonyms {
        assert!(!text.contains(p.as_str()), "pseudonym {p} in the export");
    }
    for m in &s.member_ids {
        assert!(!ids.contains(&m.to_string().as_str()));
    }
    for private in ["Lid 0", "m0@voorbeeld.nl", "Straat 0"] {
        assert!(!text.contains(private), "{private} in the export");
    }
    assert!(
        !header
            .iter()
            .any(|h| h.contains("birth") || h.contains("name"))
    );
    let again = download_csv(&s).await;
    assert_eq!(parse(&again).1, rows, "a second download is the same");
    app.stop().await;
}

#[tokio::test]
async fn the_xlsx_opens_with_a_data_and_a_codebook_sheet() {
    use calamine::{Data, Reader, Xlsx};
    let app = TestApp::with_panel().await;
    let s = setup(&app).await;
    let (header, _) = parse(&download_csv(&s).await);
    let bytes = download(
        &s.manager,
        s.survey_id,
        "antwoorden.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &format!("antwoorden-enquete-{}.xlsx", s.survey_id),
    )
    .await;
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("the XLSX opens");
    assert_eq!(book.sheet_names(), ["Gegevens", "Codeboek"]);
    let data = book.worksheet_range("Gegevens").unwrap();
    assert_eq!(data.height(), 6);
    let names: Vec<String> = (0..data.width())
        .map(|c| data.get((0, c)).unwrap().to_string())
        .collect();
    assert_eq!(names, header);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(data.get((1, col("uren_week"))), Some(&Data::Float(32.0)));
    assert_eq!(data.get((2, col("eens_zeker"))), Some(&Data::Float(-1.0)));
    // The spreadsheet keeps the line break the CSV turns into a space.
    assert_eq!(
        data.get((1, col("steun_helpt_other_text"))),
        Some(&Data::String(OTHER.into()))
    );
    let codebook = book.worksheet_range("Codeboek").unwrap();
    assert_eq!(codebook.height(), header.len() + 1);
    let row = col("eens_zeker") + 1;
    assert_eq!(
        codebook.get((row, 0)),
        Some(&Data::String("eens_zeker".into()))
    );
    assert!(
        codebook
            .get((row, 4))
            .unwrap()
            .to_string()
            .contains("-1 = Weet ik niet")
    );
    app.stop().await;
}

#[tokio::test]
async fn the_codebook_explains_every_column() {
    let app = TestApp::with_panel().await;
    let s = setup(&app).await;
    let (header, _) = parse(&download_csv(&s).await);
    let html = download(
        &s.manager,
        s.survey_id,
        "codeboek.html",
        "text/html; charset=utf-8",
        &format!("codeboek-enquete-{}.html", s.survey_id),
    )
    .await;
    let html = String::from_utf8(html).unwrap();
    assert!(html.contains("<h1>Codeboek: Wat betekent betaald werk voor u?</h1>"));
    for name in &header {
        assert!(html.contains(&format!("<code>{name}</code>")), "{name}");
    }
    assert!(html.contains("<li>1 = Ja (ja)</li>"));
    assert!(html.contains("<li>-8 = Niet gevraagd</li>"));
    assert!(html.contains("5 personen stuurden hun antwoorden"));
    app.stop().await;
}

#[tokio::test]
async fn a_survey_without_responses_exports_only_the_header() {
    let app = TestApp::with_panel().await;
    let manager = app.manager().await;
    let manager_id = klankbord::store::managers::list(&app.db).await.unwrap()[0].id;
    let (_, survey_id) = app.open_survey(manager_id).await;
    let (status, text) = manager.get_text(&path(survey_id, "antwoorden.csv")).await;
    assert_eq!(status, 200);
    assert_eq!(text.matches("\r\n").count(), 1);
    assert!(text.starts_with("\u{feff}respondent,mode,"));
    let (status, sps) = manager.get_text(&path(survey_id, "antwoorden.sps")).await;
    assert_eq!(status, 200);
    assert!(sps.contains("    respondent A1\n"));
    check_with_python(&app, &text, 0, None);
    app.stop().await;
}
