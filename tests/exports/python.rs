//! Python's `csv` module and pandas read the CSV download.

use std::process::Command;

use crate::common::TestApp;
use crate::support::{download_csv, parse, setup};

#[tokio::test]
async fn python_reads_the_csv_with_its_csv_module_and_pandas() {
    let app = TestApp::with_panel().await;
    let s = setup(&app).await;
    let text = download_csv(&s).await;
    check_with_python(
        &app,
        &text,
        5,
        Some(("steun_helpt_other_text", 0, "Een maatje, \"echt\" thuis")),
    );
    app.stop().await;
}

/// Python's `csv` module and `pandas.read_csv` read `csv_text` with `rows` rows and as
/// many columns as its header, the given cell holding the given text. Without python3
/// and pandas the check is skipped, unless `KLANKBORD_REQUIRE_PYTHON` is set (CI).
pub fn check_with_python(
    app: &TestApp,
    csv_text: &str,
    rows: usize,
    cell: Option<(&str, usize, &str)>,
) {
    let found = Command::new("python3")
        .args(["-c", "import pandas"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("KLANKBORD_REQUIRE_PYTHON").is_none(),
            "python3 with pandas is required (KLANKBORD_REQUIRE_PYTHON is set)"
        );
        eprintln!("SKIPPED: python3 with pandas not found");
        return;
    }
    let file = app.dir.path().join("antwoorden.csv");
    std::fs::write(&file, csv_text).unwrap();
    let columns = parse(csv_text).0.len();
    let (name, row, value) = cell.unwrap_or(("respondent", 0, ""));
    let script = r#"
import csv, sys
import pandas as pd
path, rows, columns, name, row, value = sys.argv[1:]
rows, columns, row = int(rows), int(columns), int(row)
with open(path, newline="", encoding="utf-8-sig") as f:
    lines = list(csv.reader(f))
assert len(lines) == rows + 1, ("csv rows", len(lines))
assert all(len(l) == columns for l in lines), "csv columns"
header = lines[0]
assert header[0] == "respondent", header[0]
if rows:
    assert lines[row + 1][header.index(name)] == value, lines[row + 1][header.index(name)]
df = pd.read_csv(path)
assert df.shape == (rows, columns), ("pandas shape", df.shape)
assert list(df.columns) == header, "pandas header"
if rows:
    assert str(df[name].iloc[row]) == value, df[name].iloc[row]
    assert df["werk_nu"].dtype.kind == "i", df["werk_nu"].dtype
    assert df["respondent"].is_unique
print("python ok")
"#;
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&file)
        .args([
            rows.to_string(),
            columns.to_string(),
            name.to_owned(),
            row.to_string(),
            value.to_owned(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "python check failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("python ok"));
}
