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
pub mod report;
pub mod schema_check;
pub mod schema_cli;
pub mod service;
pub mod stats;
pub mod store;
pub mod web;
