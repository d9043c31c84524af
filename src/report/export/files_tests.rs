//! What each file format makes of the fixture in `tests`: the CSV, the SPSS syntax,
//! the codebook and the XLSX workbook.

use super::tests::dataset;
use super::*;

#[test]
fn the_csv_is_rfc_4180_with_a_bom_and_one_line_per_response() {
    let d = dataset();
    let bytes = csv::write(&d).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.starts_with("\u{feff}respondent,mode,proxy,helped,finished,bg_rol,"));
    assert_eq!(text.matches("\r\n").count(), 4, "a header and three lines");
    assert!(text.contains("\"Een \"\"maatje\"\", thuis\""), "{text}");
    assert!(text.contains(",'=1+1 is meer begrip,"), "{text}");
    let mut reader = ::csv::Reader::from_reader(text.trim_start_matches(csv::BOM).as_bytes());
    let header = reader.headers().unwrap().clone();
    assert_eq!(header.len(), d.variables.len());
    let records: Vec<::csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 3);
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(&records[0][at("finished")], "2026-11-02");
    assert_eq!(&records[1][at("eens_zeker")], "-1");
    assert_eq!(&records[1][at("effect_leven")], "-8");
    assert_eq!(&records[2][at("wat_beter")], "");
    assert_eq!(&records[2][at("weight")], "1");
}

#[test]
fn the_spss_syntax_reads_the_csv_columns_in_order_with_labels() {
    let d = dataset();
    let sps = spss::syntax(&d, "antwoorden-enquete-7.csv");
    assert!(sps.starts_with("* Encoding: UTF-8.\n"));
    assert!(sps.contains("FILE HANDLE antwoorden /NAME='antwoorden-enquete-7.csv'."));
    let start = sps.find("/VARIABLES=\n").unwrap();
    let listed: Vec<&str> = sps[start..]
        .lines()
        .skip(1)
        .take(d.variables.len())
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    let names: Vec<&str> = d.variables.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(listed, names);
    assert!(sps.contains("    respondent A5\n"));
    assert!(sps.contains("    finished SDATE10\n"));
    assert!(sps.contains("    weight F12.10.\n"));
    assert!(sps.contains("  /werk_nu 'Heeft u nu betaald werk?'\n"));
    assert!(sps.contains(
        "  /werk_nu\n    1 'Ja'\n    2 'Nee'\n    -8 'Niet gevraagd'\n    -9 'Geen antwoord'\n"
    ));
    assert!(sps.contains("  /eens_zeker (-1, -8, -9)\n"));
    assert!(sps.contains("  /werk_nu (-8, -9)\n"));
    // A label longer than a line is split with `+` after a space.
    assert!(
        sps.contains(
            "'Ik weet zeker dat mijn geld goed blijft als ik meer ga ' +\n      'werken.'"
        ),
        "{sps}"
    );
    assert!(sps.contains("VARIABLE LEVEL\n  respondent\n"));
    assert!(sps.trim_end().ends_with("EXECUTE."));
}

#[test]
fn the_codebook_explains_every_variable_and_escapes_text() {
    let mut d = dataset();
    d.title = "Werk & <inkomen>".into();
    let html = codebook::html(&d);
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"nl\">"));
    assert!(html.contains("<h1>Codeboek: Werk &amp; &lt;inkomen&gt;</h1>"));
    for v in &d.variables {
        assert!(
            html.contains(&format!("<code>{}</code>", v.name)),
            "{}",
            v.name
        );
    }
    assert!(html.contains("<li>1 = Ja (ja)</li>"));
    assert!(html.contains("<li>-1 = Weet ik niet</li>"));
}

#[test]
fn the_xlsx_holds_the_data_and_the_codebook() {
    use calamine::{Data, Reader, Xlsx};
    let d = dataset();
    let bytes = xlsx::write(&d).unwrap();
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names(), ["Gegevens", "Codeboek"]);
    let data = book.worksheet_range("Gegevens").unwrap();
    assert_eq!(data.height(), 4);
    assert_eq!(data.width(), d.variables.len());
    assert_eq!(data.get((0, 0)), Some(&Data::String("respondent".into())));
    let col = d.column("eens_zeker").unwrap();
    assert_eq!(data.get((2, col)), Some(&Data::Float(-1.0)));
    let other = d.column("steun_helpt_other_text").unwrap();
    assert_eq!(
        data.get((1, other)),
        Some(&Data::String("Een \"maatje\",\nthuis".into()))
    );
    let codebook = book.worksheet_range("Codeboek").unwrap();
    assert_eq!(codebook.height(), d.variables.len() + 1);
    let row = d.column("werk_nu").unwrap() + 1;
    assert_eq!(
        codebook.get((row, 3)),
        Some(&Data::String("1 = Ja (ja)\n2 = Nee (nee)".into()))
    );
}
