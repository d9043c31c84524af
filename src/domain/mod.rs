//! Pure types and rules of the panel domain: no I/O, no HTTP, no SQL. Enums carry
//! sea-orm derives only so the store can keep them as columns.

pub mod client_access;
pub mod client_request;
pub mod compensation;
pub mod composition;
pub mod contact;
pub mod feedback;
pub mod fieldwork;
pub mod grouping;
pub mod ids;
pub mod member;
pub mod panel;
pub mod phone;
pub mod plain_language;
pub mod processing;
pub mod questionnaire;
pub mod response;
pub mod retention;
pub mod signup;
pub mod themes;
