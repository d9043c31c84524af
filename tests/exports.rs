//! Research exports: a manager downloads a survey's responses as CSV, XLSX, SPSS syntax
//! and codebook, and finds what a researcher checks — one row per finished response,
//! codes in the right columns, 0/1 columns for multiple choice, distinct missing codes,
//! labels — while interviewers are refused and every download is audited. Python's
//! `csv` module and pandas read the CSV (PSPP runs the syntax when it is installed).
//! The cases live in `tests/exports/`.

mod common;

#[path = "exports/access.rs"]
mod access;
#[path = "exports/files.rs"]
mod files;
#[path = "exports/python.rs"]
mod python;
#[path = "exports/spss.rs"]
mod spss;
#[path = "exports/support.rs"]
mod support;
