//! A request from an outside organisation (*opdrachtgever*) to run a survey on the
//! panel, and its way through review: aangevraagd → in beoordeling → geaccepteerd or
//! afgewezen → in veldwerk → afgerond. No step is skipped and none goes back. The
//! manager accepts only with the mission checklist fully ticked and a quote, and
//! declines only with a reason; the checklist is stored with the decision.

use std::fmt;

use super::signup::FieldError;

/// Where a request stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RequestState {
    Requested,
    InReview,
    Accepted,
    Declined,
    Fieldwork,
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

    #[test]
    fn states_round_trip_through_their_codes() {
        for s in RequestState::ALL {
            assert_eq!(RequestState::from_code(s.code()), Some(s));
        }
        assert_eq!(RequestState::from_code("klaar"), None);
    }
}
