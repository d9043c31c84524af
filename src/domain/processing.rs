//! The records of processing (GDPR art. 30), derived from the panel's configuration:
//! which personal data klankbord holds, why, on which legal basis, for how long, and
//! who can see it.

use serde::Serialize;

use super::panel::PanelDefinition;
use super::retention::{AUDIT_MONTHS, PENDING_SIGNUP_DAYS, SENT_MAIL_DAYS};

/// How long a kind of data is kept.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Keep {
    /// Until the member leaves, or this many months without taking part.
    MembershipOrInactiveMonths(u32),
    Months(u32),
    Days(i64),
    Hours(i64),
}

/// One line of the register. Text fields are i18n keys, except `detail`, which comes from
/// the panel file (the question asked).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProcessingRecord {
    pub data_key: &'static str,
    pub detail: Option<String>,
    pub purpose_key: &'static str,
    pub legal_basis_key: &'static str,
    pub keep: Keep,
    pub access_key: &'static str,
}

pub fn records(panel: &PanelDefinition) -> Vec<ProcessingRecord> {
    let membership = Keep::MembershipOrInactiveMonths(panel.retention.inactive_member_months);
    let mut records = vec![
        ProcessingRecord {
            data_key: "processing.data.contact",
            detail: None,
            purpose_key: "processing.purpose.contact",
            legal_basis_key: "processing.basis.consent",
            keep: membership.clone(),
            access_key: "processing.access.managers",
        },
        ProcessingRecord {
            data_key: "processing.data.birth_year",
            detail: None,
            purpose_key: "processing.purpose.age",
            legal_basis_key: "processing.basis.consent",
            keep: membership.clone(),
            access_key: "processing.access.managers",
        },
    ];
    records.extend(
        panel
            .background_variables
            .iter()
            .map(|var| ProcessingRecord {
                data_key: "processing.data.background",
                detail: Some(var.question.clone()),
                purpose_key: "processing.purpose.representative",
                legal_basis_key: "processing.basis.explicit_consent",
                keep: membership.clone(),
                access_key: "processing.access.managers",
            }),
    );
    records.extend([
        ProcessingRecord {
            data_key: "processing.data.supporter",
            detail: None,
            purpose_key: "processing.purpose.supporter",
            legal_basis_key: "processing.basis.consent",
            keep: membership.clone(),
            access_key: "processing.access.managers",
        },
        ProcessingRecord {
            data_key: "processing.data.consent",
            detail: None,
            purpose_key: "processing.purpose.proof",
            legal_basis_key: "processing.basis.legal_obligation",
            keep: membership,
            access_key: "processing.access.admins",
        },
        ProcessingRecord {
            data_key: "processing.data.answers",
            detail: None,
            purpose_key: "processing.purpose.research",
            legal_basis_key: "processing.basis.explicit_consent",
            keep: Keep::Months(panel.retention.response_months),
            access_key: "processing.access.answers",
        },
        ProcessingRecord {
            data_key: "processing.data.audit",
            detail: None,
            purpose_key: "processing.purpose.audit",
            legal_basis_key: "processing.basis.legal_obligation",
            keep: Keep::Months(AUDIT_MONTHS),
            access_key: "processing.access.admins",
        },
        ProcessingRecord {
            data_key: "processing.data.mail",
            detail: None,
            purpose_key: "processing.purpose.mail",
            legal_basis_key: "processing.basis.consent",
            keep: Keep::Days(SENT_MAIL_DAYS),
            access_key: "processing.access.admins",
        },
        ProcessingRecord {
            data_key: "processing.data.pending",
            detail: None,
            purpose_key: "processing.purpose.signup",
            legal_basis_key: "processing.basis.consent",
            keep: Keep::Days(PENDING_SIGNUP_DAYS),
            access_key: "processing.access.managers",
        },
        ProcessingRecord {
            data_key: "processing.data.tokens",
            detail: None,
            purpose_key: "processing.purpose.security",
            legal_basis_key: "processing.basis.legitimate_interest",
            keep: Keep::Hours(24),
            access_key: "processing.access.nobody",
        },
    ]);
    records
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_background_variable_and_the_retention_appear() {
        let panel =
            PanelDefinition::from_json(include_str!("../../panel-schemas/examples/panel.json"))
                .unwrap();
        let recs = records(&panel);
        let background = recs
            .iter()
            .filter(|r| r.data_key == "processing.data.background")
            .count();
        assert_eq!(background, 4);
        assert!(recs.iter().any(|r| r.keep == Keep::Months(36)));
        assert!(
            recs.iter()
                .any(|r| r.keep == Keep::MembershipOrInactiveMonths(24))
        );
    }
}
