//! Member import with the file as the request body: all or nothing, every bad row
//! reported with its line, CSV and XLSX.

use crate::common::TestApp;
use crate::{Api, audit_log, member_count};

const BAD: &str = "email,birth_year,consent,health_consent,regio\n\
    goed@voorbeeld.nl,1980,ja,ja,west\n\
    geen-email,1980,ja,ja,west\n\
    c@voorbeeld.nl,1980,ja,ja,mars\n\
    d@voorbeeld.nl,1980,nee,ja,west\n\
    GOED@voorbeeld.nl,1980,ja,ja,west\n";

const GOOD: &str = "email;phone;birth_year;consent;health_consent;rol;regio\n\
    anna@voorbeeld.nl;06-12345678;1980;ja;ja;ervaring;west\n\
    bram@voorbeeld.nl;;1990;ja;ja;naaste;noord\n\
    cor@voorbeeld.nl;;1970;ja;ja;ervaring;zuid\n";

#[tokio::test]
async fn a_dry_run_reports_every_bad_row_and_stores_nothing() {
    let app = TestApp::with_panel().await;
    let api = Api::admin(&app).await;

    for query in ["dry_run=true&lang=en", "dry_run=false&lang=en", "lang=en"] {
        let (status, body) = api.import(query, "text/csv", BAD.as_bytes().to_vec()).await;
        assert_eq!(status, 422, "{query}: {body}");
        assert_eq!(body["error"], "import_rows");
        assert_eq!(body["message"], "Nothing imported: the file has errors.");
        let report = &body["report"];
        assert_eq!(
            (report["rows"].as_u64(), report["imported"].as_u64()),
            (Some(5), Some(0))
        );
        assert_eq!(report["dry_run"], query.starts_with("dry_run=true"));
        let rows: Vec<_> = report["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["line"].as_u64().unwrap(),
                    e["reason"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                (3, "bad_email".to_owned()),
                (4, "unknown_category".to_owned()),
                (5, "missing_consent".to_owned()),
                (6, "duplicate_in_file".to_owned()),
            ]
        );
        let duplicate = &report["errors"][3];
        assert_eq!(
            (
                duplicate["column"].as_str(),
                duplicate["duplicate_of_line"].as_u64()
            ),
            (Some("email"), Some(2))
        );
        assert_eq!(duplicate["message"], "Line 6: this email is also on line 2");
        assert_eq!(member_count(&app).await, 0, "{query}: nothing stored");
    }
    let (_, body) = api
        .import("dry_run=true", "text/csv", BAD.as_bytes().to_vec())
        .await;
    assert_eq!(
        body["report"]["errors"][0]["message"],
        "Regel 3: het e-mailadres klopt niet"
    );

    // A good file: the dry run stores nothing, the real run everything.
    let (status, body) = api
        .import("dry_run=true", "text/csv", GOOD.as_bytes().to_vec())
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (body["rows"].as_u64(), body["imported"].as_u64()),
        (Some(3), Some(0))
    );
    assert_eq!(body["errors"], serde_json::json!([]));
    assert_eq!(member_count(&app).await, 0);
    assert!(audit_log(&app).await.is_empty());

    let (status, body) = api.import("", "text/csv", GOOD.as_bytes().to_vec()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (body["imported"].as_u64(), body["dry_run"].as_bool()),
        (Some(3), Some(false))
    );
    assert_eq!(member_count(&app).await, 3);
    let entry = &audit_log(&app).await[0];
    assert_eq!(
        (entry.action.as_str(), entry.detail.as_str()),
        ("import_members", "3 rows")
    );
    assert_eq!(entry.manager_id, Some(api.manager_id));

    // The same file again: every row is already a member.
    let (status, body) = api.import("", "text/csv", GOOD.as_bytes().to_vec()).await;
    assert_eq!(status, 422);
    assert_eq!(body["report"]["errors"][0]["reason"], "duplicate_existing");
    assert_eq!(member_count(&app).await, 3);
    app.stop().await;
}

fn xlsx(rows: &[&[&str]]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write(r as u32, c as u16, *cell).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

#[tokio::test]
async fn xlsx_files_import_and_unreadable_files_are_file_errors() {
    let app = TestApp::with_panel().await;
    let api = Api::admin(&app).await;
    let file = xlsx(&[
        &["email", "birth_year", "consent", "health_consent", "regio"],
        &["xlsx1@voorbeeld.nl", "1980", "ja", "ja", "oost"],
        &["xlsx2@voorbeeld.nl", "1981", "ja", "ja", "west"],
    ]);
    // No format given: told by the content (an XLSX file is a ZIP archive).
    let (status, body) = api
        .import("", "application/octet-stream", file.clone())
        .await;
    assert_eq!(
        (status, body["imported"].as_u64()),
        (200, Some(2)),
        "{body}"
    );
    assert_eq!(member_count(&app).await, 2);

    let (status, body) = api
        .import("format=xlsx&lang=en", "text/csv", GOOD.as_bytes().to_vec())
        .await;
    assert_eq!(
        (status, body["error"].as_str(), body["reason"].as_str()),
        (422, Some("import_file"), Some("bad_xlsx"))
    );
    assert_eq!(body["message"], "This is not a readable XLSX file.");

    let unknown = "email,schoenmaat\na@voorbeeld.nl,42\n";
    let (status, body) = api
        .import("format=csv", "text/csv", unknown.as_bytes().to_vec())
        .await;
    assert_eq!(
        (status, body["reason"].as_str()),
        (422, Some("unknown_column"))
    );
    assert!(body["message"].as_str().unwrap().contains("schoenmaat"));

    let (status, body) = api.import("", "text/csv", Vec::new()).await;
    assert_eq!((status, body["reason"].as_str()), (422, Some("empty")));

    let (status, body) = api
        .import("format=pdf", "text/csv", GOOD.as_bytes().to_vec())
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_query"))
    );
    assert_eq!(body["problems"][0]["path"], "format");
    let (status, body) = api
        .import("droog=ja", "text/csv", GOOD.as_bytes().to_vec())
        .await;
    assert_eq!(
        (status, body["problems"][0]["code"].as_str()),
        (400, Some("unknown_field"))
    );

    // Larger than 20 MiB: refused before it is read.
    let huge = vec![b'a'; klankbord::web::UPLOAD_LIMIT + 1];
    let (status, body) = api.import("dry_run=true", "text/csv", huge).await;
    assert_eq!((status, body["error"].as_str()), (413, Some("too_large")));
    assert_eq!(member_count(&app).await, 2);
    app.stop().await;
}
