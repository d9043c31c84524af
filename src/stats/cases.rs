//! The final AAPOR disposition of each invited member, from what klankbord knows of the
//! invitation: whether it went out, was opened, bounced, was answered, and the last
//! phone outcome. Following the Standard Definitions for internet surveys of specifically
//! named persons, for mail surveys and for telephone surveys:
//!
//! - answers sent → complete (1.1); started and not sent → partial (1.2);
//! - the member withdrew from the panel after the invitation → refusal (2.11);
//! - a phone outcome, when there is one → its own code (`Disposition::aapor`);
//! - the link opened but nothing answered → break-off, "logged on, no items" (2.12);
//! - the email bounced for good → invitation returned undelivered (3.3, unknown other);
//! - on a call list but never called → not attempted (3.11, unknown household);
//! - sent and nothing came back → "nothing ever returned" (3.19 / 3.9, unknown other).
//!
//! Invitations that never went out (planned, or skipped by the contact policy) are not
//! cases of the fieldwork.

use super::aapor::FinalClass;
use crate::domain::phone::Disposition;
use crate::domain::response::{Channel, InvitationStatus, ResponseStatus};

/// What is known of one invitation.
#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    pub status: InvitationStatus,
    pub channel: Channel,
    pub opened: bool,
    pub response: Option<ResponseStatus>,
    /// The most recent phone outcome.
    pub last_call: Option<Disposition>,
    /// The invitation email failed for good.
    pub undeliverable: bool,
    /// The member withdrew from the panel.
    pub withdrawn: bool,
}

/// The case's final class; `None` for an invitation that never went out.
pub fn final_class(case: &Case) -> Option<FinalClass> {
    if case.status != InvitationStatus::Sent {
        return None;
    }
    Some(match (case.response, case.last_call) {
        (Some(ResponseStatus::Finished), _) => FinalClass::Complete,
        (Some(ResponseStatus::InProgress), _) => FinalClass::Partial,
        _ if case.withdrawn => FinalClass::Refusal,
        (None, Some(call)) => FinalClass::from(call),
        (None, None) if case.opened => FinalClass::Refusal,
        (None, None) if case.undeliverable => FinalClass::UnknownOther,
        (None, None) if case.channel == Channel::Phone => FinalClass::UnknownHousehold,
        (None, None) => FinalClass::UnknownOther,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent(channel: Channel) -> Case {
        Case {
            status: InvitationStatus::Sent,
            channel,
            opened: false,
            response: None,
            last_call: None,
            undeliverable: false,
            withdrawn: false,
        }
    }

    #[test]
    fn each_case_gets_its_aapor_class() {
        let email = sent(Channel::Email);
        assert_eq!(final_class(&email), Some(FinalClass::UnknownOther));
        let finished = Case {
            response: Some(ResponseStatus::Finished),
            opened: true,
            ..email.clone()
        };
        assert_eq!(final_class(&finished), Some(FinalClass::Complete));
        let started = Case {
            response: Some(ResponseStatus::InProgress),
            ..email.clone()
        };
        assert_eq!(final_class(&started), Some(FinalClass::Partial));
        let opened = Case {
            opened: true,
            ..email.clone()
        };
        assert_eq!(final_class(&opened), Some(FinalClass::Refusal));
        let bounced = Case {
            undeliverable: true,
            ..email.clone()
        };
        assert_eq!(final_class(&bounced), Some(FinalClass::UnknownOther));
        let withdrawn = Case {
            withdrawn: true,
            opened: true,
            ..email.clone()
        };
        assert_eq!(final_class(&withdrawn), Some(FinalClass::Refusal));
        // Answers count even from a member who left afterwards.
        let left_after = Case {
            response: Some(ResponseStatus::Finished),
            ..withdrawn
        };
        assert_eq!(final_class(&left_after), Some(FinalClass::Complete));
    }

    #[test]
    fn phone_cases_take_the_last_outcome() {
        let phone = sent(Channel::Phone);
        assert_eq!(final_class(&phone), Some(FinalClass::UnknownHousehold));
        for (call, class) in [
            (Disposition::Refusal, FinalClass::Refusal),
            (Disposition::NoAnswer, FinalClass::UnknownHousehold),
            (Disposition::AnsweringMachine, FinalClass::NonContact),
            (Disposition::WrongNumber, FinalClass::NotEligible),
        ] {
            let case = Case {
                last_call: Some(call),
                ..phone.clone()
            };
            assert_eq!(final_class(&case), Some(class), "{call:?}");
        }
    }

    #[test]
    fn invitations_that_never_went_out_are_no_cases() {
        for status in [InvitationStatus::Planned, InvitationStatus::Skipped] {
            let case = Case {
                status,
                ..sent(Channel::Email)
            };
            assert_eq!(final_class(&case), None);
        }
    }
}
