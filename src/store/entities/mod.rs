//! sea-orm entities, one per table (see `migrations/`).

pub mod answer;
pub mod api_token;
pub mod audit;
pub mod call_attempt;
pub mod consent_event;
pub mod finding_acceptance;
pub mod invitation;
pub mod invitation_link;
pub mod job;
pub mod manager;
pub mod member;
pub mod member_background;
pub mod member_token;
pub mod outbox;
pub mod panel;
pub mod pilot_comment;
pub mod pilot_link;
pub mod pilot_session;
pub mod questionnaire;
pub mod questionnaire_version;
pub mod rate_limit;
pub mod response;
pub mod session;
pub mod setting;
pub mod survey;
pub mod survey_feedback;
