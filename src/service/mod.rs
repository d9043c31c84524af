//! Flows that combine the store and the outbox in one transaction (sign-up, login
//! links, erasure, import). Free of HTTP, so the web pages, the API and the CLI share
//! them.

pub mod client_requests;
pub mod clients;
pub mod compensation;
pub mod exports;
pub mod feedback_mail;
pub mod fieldwork;
pub mod import;
pub mod members;
pub mod panel_health;
pub mod paper;
pub mod phone;
pub mod quality;
pub mod questionnaires;
pub mod results;
pub mod themes;
