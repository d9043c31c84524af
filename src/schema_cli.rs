//! `klankbord schema check`: validate panel and questionnaire files and print every
//! problem with its JSON path (and, for questionnaires, the plain-language findings).

use std::path::PathBuf;
use std::process::ExitCode;

use crate::i18n::Lang;
use crate::schema_check::{self, Format};

/// Check each file; exit code 1 when any file is invalid.
pub fn check(files: &[PathBuf], format: &str, lang: &str) -> ExitCode {
    let (out, code) = schema_check::check_files(
        files,
        Format::from_name(format).unwrap_or_default(),
        Lang::from_code(lang).unwrap_or_default(),
    );
    print!("{out}");
    ExitCode::from(u8::try_from(code).unwrap_or(1))
}
