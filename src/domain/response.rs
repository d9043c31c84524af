//! Responses: how a member answered (web, phone, paper), whether someone helped, and
//! where the response stands. Surveys and invitations: a questionnaire version sent to
//! members of a panel, each with their own link.

use sea_orm::sea_query::StringLen;
use sea_orm::{DeriveActiveEnum, EnumIter};
use serde::{Deserialize, Serialize};

use super::member::ContactPreference;

macro_rules! code_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
        #[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vdoc])* #[sea_orm(string_value = $code)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code),+
                }
            }

            pub fn from_code(code: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.code() == code)
            }
        }
    };
}

code_enum!(
    /// How the answers reached us.
    Mode {
        Web = "web",
        Phone = "phone",
        Paper = "paper",
    }
);

code_enum!(
    /// Who answered: the member alone, with help, or someone else for them.
    Proxy {
        Alone = "alone",
        WithHelp = "with_help",
        ByOther = "by_other",
    }
);

code_enum!(
    ResponseStatus {
        InProgress = "in_progress",
        Finished = "finished",
    }
);

code_enum!(
    /// Where a survey stands.
    SurveyStatus {
        /// Being prepared: plan, sample preview; nothing sent.
        Draft = "draft",
        /// Planned: invitations go out at the send time.
        Scheduled = "scheduled",
        Open = "open",
        Paused = "paused",
        Closed = "closed",
    }
);

code_enum!(
    /// Where an invitation stands.
    InvitationStatus {
        /// Drawn in the sample, waiting for the send time.
        Planned = "planned",
        /// Handed out: emailed, put on the call list or the print run.
        Sent = "sent",
        /// Not sent: the contact policy, a withdrawal or a deleted account said no at
        /// the moment of sending.
        Skipped = "skipped",
    }
);

code_enum!(
    /// How an invitation reaches the member.
    Channel {
        Email = "email",
        Phone = "phone",
        Post = "post",
    }
);

impl Proxy {
    pub fn i18n_key(self) -> &'static str {
        match self {
            Proxy::Alone => "answering.proxy.alone",
            Proxy::WithHelp => "answering.proxy.with_help",
            Proxy::ByOther => "answering.proxy.by_other",
        }
    }
}

impl Mode {
    pub fn i18n_key(self) -> &'static str {
        match self {
            Mode::Web => "response.mode.web",
            Mode::Phone => "response.mode.phone",
            Mode::Paper => "response.mode.paper",
        }
    }
}

impl SurveyStatus {
    pub fn i18n_key(self) -> &'static str {
        match self {
            SurveyStatus::Draft => "survey.status.draft",
            SurveyStatus::Scheduled => "survey.status.scheduled",
            SurveyStatus::Open => "survey.status.open",
            SurveyStatus::Paused => "survey.status.paused",
            SurveyStatus::Closed => "survey.status.closed",
        }
    }
}

impl Channel {
    /// The way to invite a member who prefers to be contacted this way.
    pub fn for_preference(preference: ContactPreference) -> Channel {
        match preference {
            ContactPreference::Email => Channel::Email,
            ContactPreference::Phone => Channel::Phone,
            ContactPreference::Post => Channel::Post,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for p in Proxy::ALL {
            assert_eq!(Proxy::from_code(p.code()), Some(*p));
        }
        assert_eq!(Mode::from_code("paper"), Some(Mode::Paper));
        assert_eq!(Mode::from_code("fax"), None);
    }
}
