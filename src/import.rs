//! Reading member import files (CSV or XLSX) into rows, and checking every row against
//! the panel: bad emails, unknown categories, duplicates, missing consent. No database
//! here; `service::import` stores the result all-or-nothing.

use std::collections::{BTreeMap, HashMap};
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use serde::Serialize;

use crate::domain::panel::PanelDefinition;
use crate::domain::signup::{self, NewMember, ProfileInput, SignupError, SignupInput};
use crate::i18n::Lang;

/// Largest file accepted.
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    /// Guess from the file name, else from the content (XLSX files are ZIP archives).
    pub fn detect(name: &str, bytes: &[u8]) -> Format {
        let lower = name.to_lowercase();
        if lower.ends_with(".xlsx") || bytes.starts_with(b"PK\x03\x04") {
            Format::Xlsx
        } else {
            Format::Csv
        }
    }
}

/// The file as a whole cannot be read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FileError {
    #[error("the file is larger than 20 MB")]
    TooLarge,
    #[error("the file is empty")]
    Empty,
    #[error("the file is not UTF-8 text")]
    NotUtf8,
    #[error("line {line}: not valid CSV")]
    BadCsv { line: u64 },
    #[error("not a readable XLSX file")]
    BadXlsx,
    #[error("unknown column {column}")]
    UnknownColumn { column: String },
    #[error("column {column} appears twice")]
    DuplicateColumn { column: String },
    #[error("the file needs an email or phone column")]
    NoContactColumn,
}

impl FileError {
    pub fn i18n_key(&self) -> &'static str {
        match self {
            FileError::TooLarge => "import.file.too_large",
            FileError::Empty => "import.file.empty",
            FileError::NotUtf8 => "import.file.not_utf8",
            FileError::BadCsv { .. } => "import.file.bad_csv",
            FileError::BadXlsx => "import.file.bad_xlsx",
            FileError::UnknownColumn { .. } => "import.file.unknown_column",
            FileError::DuplicateColumn { .. } => "import.file.duplicate_column",
            FileError::NoContactColumn => "import.file.no_contact_column",
        }
    }
}

/// One data row with the line number a person sees in their spreadsheet (header = 1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub line: u64,
    pub fields: HashMap<String, String>,
}

/// Columns besides one per background variable.
pub const COLUMNS: [&str; 14] = [
    "name",
    "email",
    "phone",
    "address",
    "contact_preference",
    "birth_year",
    "language",
    "source",
    "consent",
    "health_consent",
    "keep_answers_anonymous",
    "supporter_name",
    "supporter_relation",
    "supporter_contact",
];

fn check_header(panel: &PanelDefinition, header: &[String]) -> Result<(), FileError> {
    let mut seen = Vec::new();
    for column in header {
        if column.is_empty() {
            continue;
        }
        if !COLUMNS.contains(&column.as_str()) && panel.variable(column).is_none() {
            return Err(FileError::UnknownColumn {
                column: column.clone(),
            });
        }
        if seen.contains(&column) {
            return Err(FileError::DuplicateColumn {
                column: column.clone(),
            });
        }
        seen.push(column);
    }
    if !header.iter().any(|c| c == "email" || c == "phone") {
        return Err(FileError::NoContactColumn);
    }
    Ok(())
}

fn normalise_header(raw: &str) -> String {
    raw.trim().trim_start_matches('\u{feff}').to_lowercase()
}

/// Read all rows of a file.
pub fn read(panel: &PanelDefinition, bytes: &[u8], format: Format) -> Result<Vec<Row>, FileError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(FileError::TooLarge);
    }
    if bytes.is_empty() {
        return Err(FileError::Empty);
    }
    match format {
        Format::Csv => read_csv(panel, bytes),
        Format::Xlsx => read_xlsx(panel, bytes),
    }
}

fn read_csv(panel: &PanelDefinition, bytes: &[u8]) -> Result<Vec<Row>, FileError> {
    let text = std::str::from_utf8(bytes).map_err(|_| FileError::NotUtf8)?;
    let first_line = text.lines().next().unwrap_or("");
    // Dutch spreadsheet programs write semicolons.
    let delimiter = if first_line.matches(';').count() > first_line.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(false)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|_| FileError::BadCsv { line: 1 })?
        .iter()
        .map(normalise_header)
        .collect();
    check_header(panel, &header)?;
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| FileError::BadCsv {
            line: e.position().map(|p| p.line()).unwrap_or(0),
        })?;
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let fields = header
            .iter()
            .zip(record.iter())
            .filter(|(h, _)| !h.is_empty())
            .map(|(h, v)| (h.clone(), v.trim().to_owned()))
            .collect();
        rows.push(Row { line, fields });
    }
    if rows.is_empty() {
        return Err(FileError::Empty);
    }
    Ok(rows)
}

fn cell_text(column: &str, cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_owned(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => {
            let digits = format!("{}", *f as i64);
            // Spreadsheets drop the leading zero of Dutch phone numbers (0612345678).
            if column == "phone" && digits.len() == 9 {
                format!("0{digits}")
            } else {
                digits
            }
        }
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "ja" } else { "nee" }.to_owned(),
        other => other.to_string(),
    }
}

fn read_xlsx(panel: &PanelDefinition, bytes: &[u8]) -> Result<Vec<Row>, FileError> {
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|_| FileError::BadXlsx)?;
    let sheet = workbook
        .sheet_names()
        .into_iter()
        .next()
        .ok_or(FileError::Empty)?;
    let range = workbook
        .worksheet_range(&sheet)
        .map_err(|_| FileError::BadXlsx)?;
    let first_line = u64::from(range.start().map(|(row, _)| row).unwrap_or(0)) + 1;
    let mut rows_iter = range.rows();
    let header: Vec<String> = rows_iter
        .next()
        .ok_or(FileError::Empty)?
        .iter()
        .map(|c| normalise_header(&cell_text("", c)))
        .collect();
    check_header(panel, &header)?;
    let mut rows = Vec::new();
    for (i, cells) in rows_iter.enumerate() {
        let fields: HashMap<String, String> = header
            .iter()
            .zip(cells.iter())
            .filter(|(h, _)| !h.is_empty())
            .map(|(h, c)| (h.clone(), cell_text(h, c)))
            .collect();
        if fields.values().all(String::is_empty) {
            continue;
        }
        rows.push(Row {
            line: first_line + 1 + i as u64,
            fields,
        });
    }
    if rows.is_empty() {
        return Err(FileError::Empty);
    }
    Ok(rows)
}

/// Why one row cannot be imported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RowError {
    pub line: u64,
    /// The column concerned, if one.
    pub column: Option<String>,
    /// i18n key of the reason.
    pub reason: &'static str,
    /// The earlier line with the same email or phone, for duplicates.
    pub duplicate_of_line: Option<u64>,
}

fn yes(value: &str) -> bool {
    matches!(
        value.trim().to_lowercase().as_str(),
        "ja" | "j" | "yes" | "y" | "1" | "true" | "waar" | "x"
    )
}

/// Turn one row into a new member, or the reasons it cannot be one.
pub fn validate_row(
    panel: &PanelDefinition,
    row: &Row,
    current_year: i32,
) -> Result<NewMember, Vec<RowError>> {
    let get = |k: &str| row.fields.get(k).cloned().unwrap_or_default();
    let mut contact_preference = get("contact_preference").to_lowercase();
    if contact_preference.is_empty() {
        contact_preference = if !get("email").is_empty() {
            "email"
        } else {
            "phone"
        }
        .to_owned();
    }
    let background: BTreeMap<String, String> = panel
        .background_variables
        .iter()
        .map(|v| (v.id.to_string(), get(v.id.as_str())))
        .collect();
    let source = get("source");
    let input = SignupInput {
        profile: ProfileInput {
            name: get("name"),
            email: get("email"),
            phone: get("phone"),
            address: get("address"),
            contact_preference,
            birth_year: get("birth_year"),
            supporter_name: get("supporter_name"),
            supporter_relation: get("supporter_relation"),
            supporter_contact: get("supporter_contact"),
            background,
        },
        consent_panel: yes(&get("consent")),
        consent_health: yes(&get("health_consent")),
        keep_answers_anonymous: yes(&get("keep_answers_anonymous")),
        source: if source.is_empty() {
            "import".to_owned()
        } else {
            source
        },
    };
    let lang = Lang::from_code(&get("language")).unwrap_or_default();
    let error = |column: &str, reason| RowError {
        line: row.line,
        column: Some(column.to_owned()),
        reason,
        duplicate_of_line: None,
    };
    match signup::validate_signup(panel, &input, lang, current_year) {
        Ok(new) => Ok(new),
        Err(SignupError::TooYoung { .. }) => Err(vec![error("birth_year", "import.row.too_young")]),
        Err(SignupError::Invalid(errors)) => Err(errors
            .into_iter()
            .map(|e| {
                let column = match e.field.as_str() {
                    "consent_panel" => "consent".to_owned(),
                    "consent_health" => "health_consent".to_owned(),
                    f => f.strip_prefix("bg_").unwrap_or(f).to_owned(),
                };
                let reason = match e.key {
                    "form.error.consent_panel" | "form.error.consent_health" => {
                        "import.row.missing_consent"
                    }
                    "form.error.unknown_category" => "import.row.unknown_category",
                    "form.error.email" => "import.row.bad_email",
                    "form.error.phone" => "import.row.bad_phone",
                    other => other,
                };
                error(&column, reason)
            })
            .collect()),
    }
}

/// The outcome of checking a whole file.
#[derive(Clone, Debug, Default)]
pub struct Checked {
    pub members: Vec<NewMember>,
    pub errors: Vec<RowError>,
}

/// Check every row, including duplicates within the file and against `existing`
/// normalised emails and phones. `progress` is told how many rows are done.
pub fn check_rows(
    panel: &PanelDefinition,
    rows: &[Row],
    existing_emails: &[String],
    existing_phones: &[String],
    current_year: i32,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Checked {
    let mut checked = Checked::default();
    let mut emails: HashMap<String, u64> = existing_emails.iter().map(|e| (e.clone(), 0)).collect();
    let mut phones: HashMap<String, u64> = existing_phones.iter().map(|p| (p.clone(), 0)).collect();
    for (i, row) in rows.iter().enumerate() {
        match validate_row(panel, row, current_year) {
            Err(errors) => checked.errors.extend(errors),
            Ok(new) => {
                let mut duplicate = None;
                if let Some(email) = &new.profile.email
                    && let Some(line) = emails.insert(email.normalized(), row.line)
                {
                    duplicate = Some(("email", line));
                }
                if let Some(phone) = &new.profile.phone
                    && let Some(line) = phones.insert(phone.normalized().to_owned(), row.line)
                    && duplicate.is_none()
                {
                    duplicate = Some(("phone", line));
                }
                match duplicate {
                    Some((column, line)) => checked.errors.push(RowError {
                        line: row.line,
                        column: Some(column.to_owned()),
                        reason: if line == 0 {
                            "import.row.duplicate_existing"
                        } else {
                            "import.row.duplicate_in_file"
                        },
                        duplicate_of_line: (line > 0).then_some(line),
                    }),
                    None => checked.members.push(new),
                }
            }
        }
        progress(i as u64 + 1, rows.len() as u64);
    }
    checked
}

#[cfg(test)]
mod tests {
    use super::*;

    fn panel() -> PanelDefinition {
        PanelDefinition::from_json(include_str!("../panel-schemas/examples/panel.json")).unwrap()
    }

    const GOOD: &str = "email;phone;birth_year;consent;health_consent;rol;regio\n\
        anna@voorbeeld.nl;06-12345678;1980;ja;ja;ervaring;west\n\
        bram@voorbeeld.nl;;1990;ja;ja;naaste;noord\n";

    #[test]
    fn reads_semicolon_csv_with_line_numbers() {
        let rows = read(&panel(), GOOD.as_bytes(), Format::Csv).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[1].fields["regio"], "noord");
        let checked = check_rows(&panel(), &rows, &[], &[], 2026, &|_, _| {});
        assert!(checked.errors.is_empty(), "{:?}", checked.errors);
        assert_eq!(checked.members.len(), 2);
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line() {
        let text = "email,birth_year,consent,health_consent,regio\n\
            goed@voorbeeld.nl,1980,ja,ja,west\n\
            geen-email,1980,ja,ja,west\n\
            c@voorbeeld.nl,1980,ja,ja,mars\n\
            d@voorbeeld.nl,1980,nee,ja,west\n\
            GOED@voorbeeld.nl,1980,ja,ja,west\n\
            bestaand@voorbeeld.nl,1980,ja,ja,west\n";
        let rows = read(&panel(), text.as_bytes(), Format::Csv).unwrap();
        let checked = check_rows(
            &panel(),
            &rows,
            &["bestaand@voorbeeld.nl".into()],
            &[],
            2026,
            &|_, _| {},
        );
        let got: Vec<_> = checked.errors.iter().map(|e| (e.line, e.reason)).collect();
        assert_eq!(
            got,
            vec![
                (3, "import.row.bad_email"),
                (4, "import.row.unknown_category"),
                (5, "import.row.missing_consent"),
                (6, "import.row.duplicate_in_file"),
                (7, "import.row.duplicate_existing"),
            ]
        );
        assert_eq!(checked.errors[3].duplicate_of_line, Some(2));
    }

    #[test]
    fn unknown_columns_and_broken_files_are_refused() {
        let p = panel();
        assert_eq!(
            read(&p, b"email,schoenmaat\na@b.nl,42\n", Format::Csv),
            Err(FileError::UnknownColumn {
                column: "schoenmaat".into()
            })
        );
        assert_eq!(
            read(&p, b"name\nAnna\n", Format::Csv),
            Err(FileError::NoContactColumn)
        );
        assert_eq!(
            read(&p, b"email,name\na@b.nl,Anna,extra\n", Format::Csv),
            Err(FileError::BadCsv { line: 2 })
        );
        assert_eq!(
            read(&p, &[0xff, 0xfe, 0x00], Format::Csv),
            Err(FileError::NotUtf8)
        );
        assert_eq!(
            read(&p, b"PK\x03\x04nonsense", Format::Xlsx),
            Err(FileError::BadXlsx)
        );
    }

    #[test]
    fn reads_xlsx_and_restores_the_leading_zero_of_phone_numbers() {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        for (col, header) in [
            "email",
            "phone",
            "birth_year",
            "consent",
            "health_consent",
            "rol",
        ]
        .iter()
        .enumerate()
        {
            sheet.write_string(0, col as u16, *header).unwrap();
        }
        sheet.write_string(1, 0, "anna@voorbeeld.nl").unwrap();
        sheet.write_number(1, 1, 612345678.0).unwrap();
        sheet.write_number(1, 2, 1980.0).unwrap();
        sheet.write_string(1, 3, "ja").unwrap();
        sheet.write_boolean(1, 4, true).unwrap();
        sheet.write_string(1, 5, "ervaring").unwrap();
        sheet.write_string(2, 0, "kapot").unwrap();
        let bytes = workbook.save_to_buffer().unwrap();
        assert_eq!(Format::detect("leden.xlsx", &bytes), Format::Xlsx);
        let rows = read(&panel(), &bytes, Format::Xlsx).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[0].fields["phone"], "0612345678");
        assert_eq!(rows[0].fields["birth_year"], "1980");
        let checked = check_rows(&panel(), &rows, &[], &[], 2026, &|_, _| {});
        assert_eq!(checked.members.len(), 1);
        assert_eq!(checked.errors.len(), 4, "{:?}", checked.errors);
        assert!(checked.errors.iter().all(|e| e.line == 3));
    }
}
