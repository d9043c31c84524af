//! A request from an outside organisation (*opdrachtgever*) to run a survey on the
//! panel, and its way through review: aangevraagd → in beoordeling → geaccepteerd or
//! afgewezen → in veldwerk → afgerond. No step is skipped and none goes back. The
//! manager accepts only with the mission checklist fully ticked and a quote, and
//! declines only with a reason; the checklist is stored with the decision.

use std::fmt;

use chrono::NaiveDate;
use sea_orm::sea_query::StringLen;
use sea_orm::{DeriveActiveEnum, EnumIter};

use super::compensation::ungroup;
use super::contact::EmailAddress;
use super::ids::{CategoryValue, VariableId};
use super::panel::PanelDefinition;
use super::questionnaire::Eligibility;
use super::signup::FieldError;

/// Where a request stands; stored by its code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum RequestState {
    #[sea_orm(string_value = "aangevraagd")]
    Requested,
    #[sea_orm(string_value = "in_beoordeling")]
    InReview,
    #[sea_orm(string_value = "geaccepteerd")]
    Accepted,
    #[sea_orm(string_value = "afgewezen")]
    Declined,
    #[sea_orm(string_value = "in_veldwerk")]
    Fieldwork,
    #[sea_orm(string_value = "afgerond")]
    Done,
}

impl RequestState {
    pub const ALL: [RequestState; 6] = [
        RequestState::Requested,
        RequestState::InReview,
        RequestState::Accepted,
        RequestState::Declined,
        RequestState::Fieldwork,
        RequestState::Done,
    ];

    /// The code stored and used in addresses.
    pub fn code(self) -> &'static str {
        match self {
            RequestState::Requested => "aangevraagd",
            RequestState::InReview => "in_beoordeling",
            RequestState::Accepted => "geaccepteerd",
            RequestState::Declined => "afgewezen",
            RequestState::Fieldwork => "in_veldwerk",
            RequestState::Done => "afgerond",
        }
    }

    pub fn from_code(code: &str) -> Option<RequestState> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The states this one may go to.
    pub fn next(self) -> &'static [RequestState] {
        match self {
            RequestState::Requested => &[RequestState::InReview],
            RequestState::InReview => &[RequestState::Accepted, RequestState::Declined],
            RequestState::Accepted => &[RequestState::Fieldwork],
            RequestState::Fieldwork => &[RequestState::Done],
            RequestState::Declined | RequestState::Done => &[],
        }
    }

    /// No further change is possible.
    pub fn is_final(self) -> bool {
        self.next().is_empty()
    }
}

impl fmt::Display for RequestState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The manager's checklist against the panel's mission, stored with the decision.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MissionChecklist {
    /// The request fits the panel's mission.
    pub fits_mission: bool,
    /// Taking part does the members no harm.
    pub no_harm: bool,
    /// The results will be shared with the members.
    pub results_shared: bool,
}

impl MissionChecklist {
    pub fn all_ticked(&self) -> bool {
        self.fits_mission && self.no_harm && self.results_shared
    }
}

/// A change of state as the manager asks for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Transition {
    StartReview,
    /// Accept with the checklist and a quote (in euro cents).
    Accept {
        checklist: MissionChecklist,
        quote_cents: i64,
    },
    /// Decline with the checklist as far as ticked and the reason.
    Decline {
        checklist: MissionChecklist,
        reason: String,
    },
    /// Fieldwork starts on the survey made for the request.
    StartFieldwork {
        survey_id: i64,
    },
    Finish,
}

impl Transition {
    /// The state this change leads to.
    pub fn target(&self) -> RequestState {
        match self {
            Transition::StartReview => RequestState::InReview,
            Transition::Accept { .. } => RequestState::Accepted,
            Transition::Decline { .. } => RequestState::Declined,
            Transition::StartFieldwork { .. } => RequestState::Fieldwork,
            Transition::Finish => RequestState::Done,
        }
    }
}

/// The longest decline reason, in characters.
pub const MAX_REASON_CHARS: usize = 2000;

/// Why `transition` may not happen from `from`: a skipped or backward step (field
/// `state`), or what the decision lacks. Empty when it may.
pub fn check(from: RequestState, transition: &Transition) -> Vec<FieldError> {
    if !from.next().contains(&transition.target()) {
        return vec![FieldError::new("state", "requests.error.step")];
    }
    let mut out = Vec::new();
    match transition {
        Transition::Accept {
            checklist,
            quote_cents,
        } => {
            if !checklist.all_ticked() {
                out.push(FieldError::new("checklist", "requests.error.checklist"));
            }
            if *quote_cents <= 0 {
                out.push(FieldError::new("quote", "requests.error.quote"));
            }
        }
        Transition::Decline { reason, .. } => {
            let n = reason.trim().chars().count();
            if n == 0 {
                out.push(FieldError::new("reason", "requests.error.reason_empty"));
            } else if n > MAX_REASON_CHARS {
                out.push(FieldError::new("reason", "requests.error.too_long"));
            }
        }
        Transition::StartReview | Transition::StartFieldwork { .. } | Transition::Finish => {}
    }
    out
}

/// A request as the form gives it, raw.
#[derive(Clone, Debug, Default)]
pub struct RequestForm {
    pub client: String,
    pub contact_name: String,
    pub contact_email: String,
    pub topic: String,
    pub purpose: String,
    pub use_of_results: String,
    /// `(variable, category)` pairs ticked for the target group; none is everyone.
    pub target: Vec<(String, String)>,
    pub completes: String,
    pub start_on: String,
    pub end_on: String,
    /// Whole euros.
    pub budget: String,
}

/// A request that can be stored.
#[derive(Clone, Debug, PartialEq)]
pub struct NewRequest {
    pub client: String,
    pub contact_name: String,
    pub contact_email: EmailAddress,
    pub topic: String,
    pub purpose: String,
    pub use_of_results: String,
    pub eligibility: Eligibility,
    pub completes: u32,
    pub start_on: NaiveDate,
    pub end_on: NaiveDate,
    pub budget_cents: i64,
}

/// The longest organisation, person or topic name, in characters.
pub const MAX_NAME_CHARS: usize = 200;

/// An organisation's name as typed: spaces collapsed; the text key of the problem when
/// it is empty or too long.
pub fn organisation_name(text: &str) -> Result<String, &'static str> {
    let name = one_line(text);
    match name.chars().count() {
        0 => Err("requests.error.required"),
        n if n > MAX_NAME_CHARS => Err("requests.error.too_long"),
        _ => Ok(name),
    }
}

/// Who changed a request, as the log stores it: `manager:3`, `client:7`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestActor {
    Manager(i64),
    Client(i64),
}

impl RequestActor {
    pub fn code(self) -> String {
        match self {
            RequestActor::Manager(id) => format!("manager:{id}"),
            RequestActor::Client(id) => format!("client:{id}"),
        }
    }

    /// `None` for a code of another kind (the demo's `manager:demo`, say).
    pub fn parse(code: &str) -> Option<RequestActor> {
        let (kind, id) = code.split_once(':')?;
        let id = id.parse().ok()?;
        match kind {
            "manager" => Some(RequestActor::Manager(id)),
            "client" => Some(RequestActor::Client(id)),
            _ => None,
        }
    }
}

/// Text on one line: runs of white space become one space, none at the ends.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn paragraph(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .trim()
        .to_owned()
}

/// Whole euros, "2500", "2.500" or "€ 2.500"; a dot only between groups of three
/// digits ("2500.50" is not whole euros).
fn whole_euros(text: &str) -> Option<i64> {
    let digits = ungroup(text.trim().trim_start_matches('€').trim(), '.').ok()?;
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

fn date(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(t, "%d-%m-%Y"))
        .ok()
}

impl RequestForm {
    /// The request, or why not (each field's problem). `today` in the panel's zone: the
    /// fieldwork cannot start in the past.
    pub fn parse(
        &self,
        panel: &PanelDefinition,
        today: NaiveDate,
    ) -> Result<NewRequest, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut text = |field: &'static str, value: String, max: usize| {
            let n = value.chars().count();
            if n == 0 {
                errors.push(FieldError::new(field, "requests.error.required"));
            } else if n > max {
                errors.push(FieldError::new(field, "requests.error.too_long"));
            }
            value
        };
        let client = text("client", one_line(&self.client), MAX_NAME_CHARS);
        let contact_name = text("contact_name", one_line(&self.contact_name), MAX_NAME_CHARS);
        let topic = text("topic", one_line(&self.topic), MAX_NAME_CHARS);
        let purpose = text("purpose", paragraph(&self.purpose), MAX_REASON_CHARS);
        let use_of_results = text(
            "use_of_results",
            paragraph(&self.use_of_results),
            MAX_REASON_CHARS,
        );
        let contact_email = EmailAddress::parse(&self.contact_email);
        if contact_email.is_err() {
            errors.push(FieldError::new("contact_email", "requests.error.email"));
        }
        let mut eligibility = Eligibility::new();
        for (variable, category) in &self.target {
            let known = panel
                .background_variables
                .iter()
                .find(|v| v.id.as_str() == variable);
            let parsed = known.and_then(|v| {
                v.categories
                    .iter()
                    .find(|c| c.value.as_str() == category)
                    .map(|c| (v.id.clone(), c.value.clone()))
            });
            match parsed {
                Some((v, c)) => eligibility.entry(v).or_default().push(c),
                None => {
                    errors.push(FieldError::new("target", "requests.error.target"));
                    break;
                }
            }
        }
        let completes = self
            .completes
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| *n >= 1);
        if completes.is_none() {
            errors.push(FieldError::new("completes", "requests.error.completes"));
        }
        let start_on = date(&self.start_on);
        let end_on = date(&self.end_on);
        match start_on {
            None => errors.push(FieldError::new("start_on", "requests.error.date")),
            Some(d) if d < today => errors.push(FieldError::new("start_on", "requests.error.past")),
            Some(_) => {}
        }
        match (start_on, end_on) {
            (_, None) => errors.push(FieldError::new("end_on", "requests.error.date")),
            (Some(s), Some(e)) if e < s => {
                errors.push(FieldError::new("end_on", "requests.error.end_before_start"))
            }
            _ => {}
        }
        let budget = whole_euros(&self.budget).filter(|b| (0..=10_000_000).contains(b));
        if budget.is_none() {
            errors.push(FieldError::new("budget", "requests.error.budget"));
        }
        match (contact_email, completes, start_on, end_on, budget) {
            (Ok(contact_email), Some(completes), Some(start_on), Some(end_on), Some(budget))
                if errors.is_empty() =>
            {
                Ok(NewRequest {
                    client,
                    contact_name,
                    contact_email,
                    topic,
                    purpose,
                    use_of_results,
                    eligibility,
                    completes,
                    start_on,
                    end_on,
                    budget_cents: budget * 100,
                })
            }
            _ => Err(errors),
        }
    }
}

/// The target group as stored (JSON), and back.
pub fn eligibility_json(e: &Eligibility) -> String {
    serde_json::to_string(e).expect("eligibility serialises")
}

pub fn eligibility_from_json(text: &str) -> Option<Eligibility> {
    serde_json::from_str::<std::collections::BTreeMap<VariableId, Vec<CategoryValue>>>(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use RequestState::*;

    fn ticked() -> MissionChecklist {
        MissionChecklist {
            fits_mission: true,
            no_harm: true,
            results_shared: true,
        }
    }

    fn every_transition() -> Vec<Transition> {
        vec![
            Transition::StartReview,
            Transition::Accept {
                checklist: ticked(),
                quote_cents: 150_000,
            },
            Transition::Decline {
                checklist: MissionChecklist::default(),
                reason: "Past niet bij onze missie.".into(),
            },
            Transition::StartFieldwork { survey_id: 1 },
            Transition::Finish,
        ]
    }

    #[test]
    fn only_the_next_step_is_allowed() {
        let allowed: Vec<(RequestState, RequestState)> = RequestState::ALL
            .into_iter()
            .flat_map(|from| {
                every_transition()
                    .into_iter()
                    .filter(move |t| check(from, t).is_empty())
                    .map(move |t| (from, t.target()))
            })
            .collect();
        assert_eq!(
            allowed,
            [
                (Requested, InReview),
                (InReview, Accepted),
                (InReview, Declined),
                (Accepted, Fieldwork),
                (Fieldwork, Done),
            ]
        );
        // Skipping and going back get the same message.
        let skip = check(Requested, &Transition::Finish);
        assert_eq!(skip[0].key, "requests.error.step");
        let back = check(Done, &Transition::StartReview);
        assert_eq!(back[0].key, "requests.error.step");
        assert!(Declined.is_final() && Done.is_final() && !Accepted.is_final());
    }

    #[test]
    fn a_decision_needs_its_checklist_quote_or_reason() {
        let half = MissionChecklist {
            fits_mission: true,
            no_harm: true,
            results_shared: false,
        };
        let keys: Vec<&str> = check(
            InReview,
            &Transition::Accept {
                checklist: half,
                quote_cents: 0,
            },
        )
        .iter()
        .map(|e| e.key)
        .collect();
        assert_eq!(keys, ["requests.error.checklist", "requests.error.quote"]);
        let empty = Transition::Decline {
            checklist: half,
            reason: "  ".into(),
        };
        assert_eq!(
            check(InReview, &empty)[0].key,
            "requests.error.reason_empty"
        );
        let long = Transition::Decline {
            checklist: half,
            reason: "x".repeat(MAX_REASON_CHARS + 1),
        };
        assert_eq!(check(InReview, &long)[0].key, "requests.error.too_long");
    }

    fn form() -> RequestForm {
        RequestForm {
            client: " Gemeente  Utrecht ".into(),
            contact_name: "Sanne de Vries".into(),
            contact_email: "sanne@utrecht.example".into(),
            topic: "Ervaringen met de Wmo".into(),
            purpose: "Weten wat mensen merken van de nieuwe regels.".into(),
            use_of_results: "Het beleid aanpassen.\r\n\r\nEn de uitkomsten delen.".into(),
            target: vec![("rol".into(), "ervaring".into())],
            completes: "150".into(),
            start_on: "2027-01-11".into(),
            end_on: "25-01-2027".into(),
            budget: "€ 2.500".into(),
        }
    }

    fn panel() -> PanelDefinition {
        PanelDefinition::from_json(include_str!("../../panel-schemas/examples/panel.json"))
            .expect("the reference panel parses")
    }

    #[test]
    fn a_request_form_becomes_a_request() {
        let today = NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
        let r = form().parse(&panel(), today).unwrap();
        assert_eq!(r.client, "Gemeente Utrecht");
        assert_eq!(
            r.use_of_results,
            "Het beleid aanpassen.\n\nEn de uitkomsten delen."
        );
        assert_eq!(r.completes, 150);
        assert_eq!(r.end_on, NaiveDate::from_ymd_opt(2027, 1, 25).unwrap());
        assert_eq!(r.budget_cents, 250_000);
        assert_eq!(eligibility_json(&r.eligibility), r#"{"rol":["ervaring"]}"#);
        assert_eq!(
            eligibility_from_json(&eligibility_json(&r.eligibility)),
            Some(r.eligibility)
        );
    }

    #[test]
    fn a_bad_request_form_names_each_problem() {
        let today = NaiveDate::from_ymd_opt(2027, 1, 12).unwrap();
        let bad = RequestForm {
            topic: " ".into(),
            contact_email: "sanne@".into(),
            target: vec![("rol".into(), "baas".into())],
            completes: "0".into(),
            end_on: "2027-01-10".into(),
            budget: "2500,50".into(),
            ..form()
        };
        let keys: Vec<(String, &str)> = bad
            .parse(&panel(), today)
            .unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.key))
            .collect();
        assert_eq!(
            keys,
            [
                ("topic".to_owned(), "requests.error.required"),
                ("contact_email".to_owned(), "requests.error.email"),
                ("target".to_owned(), "requests.error.target"),
                ("completes".to_owned(), "requests.error.completes"),
                ("start_on".to_owned(), "requests.error.past"),
                ("end_on".to_owned(), "requests.error.end_before_start"),
                ("budget".to_owned(), "requests.error.budget"),
            ]
        );
    }

    #[test]
    fn budgets_are_whole_euros() {
        assert_eq!(whole_euros("2500"), Some(2500));
        assert_eq!(whole_euros(" € 12.500 "), Some(12500));
        assert_eq!(whole_euros("1.000.000"), Some(1_000_000));
        assert_eq!(whole_euros("2500.50"), None);
        assert_eq!(whole_euros("2500,50"), None);
        assert_eq!(whole_euros("12.50"), None);
        assert_eq!(whole_euros("-5"), None);
        assert_eq!(whole_euros(""), None);
    }

    #[test]
    fn states_round_trip_through_their_codes() {
        for s in RequestState::ALL {
            assert_eq!(RequestState::from_code(s.code()), Some(s));
        }
        assert_eq!(RequestState::from_code("klaar"), None);
    }

    #[test]
    fn actors_read_back_as_they_were_written() {
        for a in [RequestActor::Manager(3), RequestActor::Client(7)] {
            assert_eq!(RequestActor::parse(&a.code()), Some(a));
        }
        assert_eq!(RequestActor::parse("manager:demo"), None);
        assert_eq!(RequestActor::parse("systeem"), None);
    }
}
