//! Identifier newtypes of questionnaire files (questionnaire, question and option ids),
//! defined with the other ids in `domain::ids`.

pub use crate::domain::ids::{OptionValue, QuestionId, QuestionnaireId};
