//! klankbord: a survey panel platform for panels of people with a disability, a chronic
//! illness or mental health problems.
//!
//! Error policy: every layer has one `thiserror` type (`store::StoreError`,
//! `web::WebError`, ...); `anyhow` is used only in `cli`, jobs and tests.

pub mod app;
pub mod cli;
pub mod clock;
pub mod config;
pub mod demo;
pub mod domain;
pub mod i18n;
pub mod import;
pub mod jobs;
pub mod mail;
pub(crate) mod parallel;
pub mod report;
pub mod schema_check;
pub mod schema_cli;
pub mod service;
pub mod stats;
pub mod store;
pub mod web;

/// Property tests keep the seeds of failures they found next to their source file
/// (`<file>.proptest-regressions`), not in a folder at the top of the project.
#[cfg(test)]
pub(crate) fn proptest_config(cases: u32) -> proptest::test_runner::Config {
    proptest::test_runner::Config {
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::WithSource("proptest-regressions"),
        )),
        ..proptest::test_runner::Config::with_cases(cases)
    }
}
