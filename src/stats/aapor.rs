//! Fieldwork outcome rates after AAPOR's Standard Definitions (Final Dispositions of
//! Case Codes and Outcome Rates for Surveys): final dispositions counted per class, the
//! response, cooperation, refusal and contact rates for panels recruited by probability
//! sampling, and the participation rate AAPOR recommends for opt-in panels.
//!
//! The classes, with their AAPOR codes:
//! - I, complete (1.1); P, partial (1.2);
//! - R, refusal and break-off (2.1x); NC, non-contact (2.2x); O, other (2.3x);
//! - UH, unknown if household/occupied or if the invitation reached anyone (3.1x);
//!   UO, unknown eligibility, other (3.2x to 3.9x);
//! - NE, not eligible (4.x).
//!
//! `e` is the estimated share of the cases of unknown eligibility that are eligible
//! (Standard Definitions leave its estimate to the researcher; `Dispositions::
//! estimated_e` gives the usual proportional one). Every rate is `None` when its
//! denominator is 0, or when it needs `e` and `e` is not within 0..1.

use crate::domain::phone::Disposition;

/// The AAPOR class of a final disposition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FinalClass {
    Complete,
    Partial,
    Refusal,
    NonContact,
    Other,
    UnknownHousehold,
    UnknownOther,
    NotEligible,
}

impl FinalClass {
    /// The class of an AAPOR disposition code such as `1.1`, `2.12` or `3.13`. `None`
    /// for a code outside the scheme.
    pub fn from_code(code: &str) -> Option<FinalClass> {
        let (major, minor) = code.trim().split_once('.')?;
        let minor = minor.chars().next()?;
        match (major, minor) {
            ("1", '1') => Some(FinalClass::Complete),
            ("1", '2') => Some(FinalClass::Partial),
            ("2", '1') => Some(FinalClass::Refusal),
            ("2", '2') => Some(FinalClass::NonContact),
            ("2", '3'..='9') => Some(FinalClass::Other),
            ("3", '1') => Some(FinalClass::UnknownHousehold),
            ("3", '2'..='9') => Some(FinalClass::UnknownOther),
            ("4", '0'..='9') => Some(FinalClass::NotEligible),
            _ => None,
        }
    }
}

impl From<Disposition> for FinalClass {
    /// A phone outcome's class, through its AAPOR code (`Disposition::aapor`).
    fn from(disposition: Disposition) -> FinalClass {
        match FinalClass::from_code(disposition.aapor()) {
            Some(class) => class,
            // Every code `aapor()` returns is in the scheme (see the tests).
            None => FinalClass::Other,
        }
    }
}

/// Final dispositions counted per class, one case per invited member.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Dispositions {
    pub complete: u64,
    pub partial: u64,
    pub refusal: u64,
    pub non_contact: u64,
    pub other: u64,
    pub unknown_household: u64,
    pub unknown_other: u64,
    pub not_eligible: u64,
}

impl Dispositions {
    pub fn add(&mut self, class: FinalClass, cases: u64) {
        let field = match class {
            FinalClass::Complete => &mut self.complete,
            FinalClass::Partial => &mut self.partial,
            FinalClass::Refusal => &mut self.refusal,
            FinalClass::NonContact => &mut self.non_contact,
            FinalClass::Other => &mut self.other,
            FinalClass::UnknownHousehold => &mut self.unknown_household,
            FinalClass::UnknownOther => &mut self.unknown_other,
            FinalClass::NotEligible => &mut self.not_eligible,
        };
        *field += cases;
    }

    /// All cases: the invitations sent.
    pub fn total(&self) -> u64 {
        self.interviews() + self.eligible_non_interviews() + self.unknown() + self.not_eligible
    }

    /// I + P.
    pub fn interviews(&self) -> u64 {
        self.complete + self.partial
    }

    /// R + NC + O.
    pub fn eligible_non_interviews(&self) -> u64 {
        self.refusal + self.non_contact + self.other
    }

    /// UH + UO.
    pub fn unknown(&self) -> u64 {
        self.unknown_household + self.unknown_other
    }

    /// The proportional estimate of `e`: the share eligible among the cases whose
    /// eligibility is known, `(I + P + R + NC + O) / (I + P + R + NC + O + NE)`.
    pub fn estimated_e(&self) -> Option<f64> {
        let eligible = self.interviews() + self.eligible_non_interviews();
        ratio(eligible as f64, (eligible + self.not_eligible) as f64)
    }

    /// AAPOR's participation rate for opt-in panels: "the number of respondents who have
    /// provided a usable response divided by the total number of initial personal
    /// invitations requesting participation" (Standard Definitions, since the 2011
    /// edition; response rates do not apply when the panel was not recruited by
    /// probability sampling). Usable responses are I + P, so a partial counts only when
    /// it answers enough to be classed P; invitations are all cases.
    pub fn participation_rate(&self) -> Option<f64> {
        participation_rate(self.interviews(), self.total())
    }

    /// The rates of the Standard Definitions, with `e` the estimated share of unknown
    /// eligibility cases that are eligible.
    pub fn rates(&self, e: f64) -> Rates {
        let [i, p, r, nc, o, uh, uo] = [
            self.complete,
            self.partial,
            self.refusal,
            self.non_contact,
            self.other,
            self.unknown_household,
            self.unknown_other,
        ]
        .map(|n| n as f64);
        let e = (0.0..=1.0).contains(&e).then_some(e);
        let interviews = i + p;
        let eligible = interviews + r + nc + o;
        let unknown = uh + uo;
        let with_e =
            |numerator: f64, base: f64| e.and_then(|e| ratio(numerator, base + e * unknown));
        let contacted = interviews + r + o;
        Rates {
            rr1: ratio(i, eligible + unknown),
            rr2: ratio(interviews, eligible + unknown),
            rr3: with_e(i, eligible),
            rr4: with_e(interviews, eligible),
            rr5: ratio(i, eligible),
            rr6: ratio(interviews, eligible),
            coop1: ratio(i, interviews + r + o),
            coop2: ratio(interviews, interviews + r + o),
            coop3: ratio(i, interviews + r),
            coop4: ratio(interviews, interviews + r),
            ref1: ratio(r, eligible + unknown),
            ref2: with_e(r, eligible),
            ref3: ratio(r, eligible),
            con1: ratio(contacted, contacted + nc + unknown),
            con2: with_e(contacted, contacted + nc),
            con3: ratio(contacted, contacted + nc),
        }
    }
}

impl FromIterator<FinalClass> for Dispositions {
    fn from_iter<T: IntoIterator<Item = FinalClass>>(classes: T) -> Self {
        let mut counts = Dispositions::default();
        for class in classes {
            counts.add(class, 1);
        }
        counts
    }
}

/// The outcome rates of AAPOR's Standard Definitions, shares 0..1. With
/// `E = I + P + R + NC + O` and `U = UH + UO`:
/// - RR1 = I / (E + U), RR2 = (I + P) / (E + U), RR3 = I / (E + eU),
///   RR4 = (I + P) / (E + eU), RR5 = I / E, RR6 = (I + P) / E;
/// - COOP1 = I / (I + P + R + O), COOP2 = (I + P) / (I + P + R + O),
///   COOP3 = I / (I + P + R), COOP4 = (I + P) / (I + P + R);
/// - REF1 = R / (E + U), REF2 = R / (E + eU), REF3 = R / E;
/// - CON1 = (I + P + R + O) / (E + U), CON2 = (I + P + R + O) / (E + eU),
///   CON3 = (I + P + R + O) / E.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Rates {
    pub rr1: Option<f64>,
    pub rr2: Option<f64>,
    pub rr3: Option<f64>,
    pub rr4: Option<f64>,
    pub rr5: Option<f64>,
    pub rr6: Option<f64>,
    pub coop1: Option<f64>,
    pub coop2: Option<f64>,
    pub coop3: Option<f64>,
    pub coop4: Option<f64>,
    pub ref1: Option<f64>,
    pub ref2: Option<f64>,
    pub ref3: Option<f64>,
    pub con1: Option<f64>,
    pub con2: Option<f64>,
    pub con3: Option<f64>,
}

/// Usable responses (complete and sufficient partial) per invitation: AAPOR's
/// participation rate for opt-in panels (see `Dispositions::participation_rate`).
pub fn participation_rate(usable: u64, invitations: u64) -> Option<f64> {
    ratio(usable as f64, invitations as f64)
}

fn ratio(numerator: f64, denominator: f64) -> Option<f64> {
    (denominator > 0.0).then(|| numerator / denominator)
}

#[cfg(test)]
mod tests {
    use super::{Dispositions, FinalClass, participation_rate};
    use crate::domain::phone::Disposition;

    fn close(a: Option<f64>, b: f64) {
        let a = a.expect("a rate");
        assert!((a - b).abs() < 1e-12, "{a} is not {b}");
    }

    /// I 40, P 10, R 15, NC 10, O 5, UH 12, UO 8, NE 20: E = 80 eligible cases, U = 20
    /// of unknown eligibility, 120 cases in all.
    fn fixture() -> Dispositions {
        Dispositions {
            complete: 40,
            partial: 10,
            refusal: 15,
            non_contact: 10,
            other: 5,
            unknown_household: 12,
            unknown_other: 8,
            not_eligible: 20,
        }
    }

    #[test]
    fn rates_of_a_small_count_table() {
        let rates = fixture().rates(0.5);
        // E + U = 100, E + eU = 80 + 10 = 90, E = 80.
        close(rates.rr1, 40.0 / 100.0);
        close(rates.rr2, 50.0 / 100.0);
        close(rates.rr3, 40.0 / 90.0);
        close(rates.rr4, 50.0 / 90.0);
        close(rates.rr5, 40.0 / 80.0);
        close(rates.rr6, 50.0 / 80.0);
        // I + P + R + O = 70, I + P + R = 65.
        close(rates.coop1, 40.0 / 70.0);
        close(rates.coop2, 50.0 / 70.0);
        close(rates.coop3, 40.0 / 65.0);
        close(rates.coop4, 50.0 / 65.0);
        close(rates.ref1, 15.0 / 100.0);
        close(rates.ref2, 15.0 / 90.0);
        close(rates.ref3, 15.0 / 80.0);
        // Contacted I + P + R + O = 70; + NC = 80; + U = 100; + eU = 90.
        close(rates.con1, 70.0 / 100.0);
        close(rates.con2, 70.0 / 90.0);
        close(rates.con3, 70.0 / 80.0);
        // e = 1 makes RR3 equal RR1; e = 0 makes it equal RR5.
        assert_eq!(fixture().rates(1.0).rr3, rates.rr1);
        assert_eq!(fixture().rates(0.0).rr3, rates.rr5);
        // e estimated from known eligibility: 80 / (80 + 20) = 0.8.
        close(fixture().estimated_e(), 0.8);
        // Opt-in: usable responses I + P = 50 of 120 invitations.
        close(fixture().participation_rate(), 50.0 / 120.0);
        assert_eq!(fixture().total(), 120);
    }

    #[test]
    fn a_rate_without_a_denominator_is_none() {
        let empty = Dispositions::default().rates(0.5);
        assert_eq!(empty.rr1, None);
        assert_eq!(empty.coop4, None);
        assert_eq!(empty.con3, None);
        assert_eq!(Dispositions::default().participation_rate(), None);
        assert_eq!(participation_rate(3, 0), None);
        // Only not eligible and unknown cases: no eligible base for RR5, but RR1 has U.
        let unknown_only = Dispositions {
            unknown_household: 4,
            not_eligible: 2,
            ..Dispositions::default()
        };
        let rates = unknown_only.rates(0.0);
        close(rates.rr1, 0.0);
        assert_eq!(rates.rr3, None, "E + 0·U = 0");
        assert_eq!(rates.rr5, None);
        // An e outside 0..1 gives no e-rates, the others stay.
        let odd = fixture().rates(1.5);
        assert_eq!((odd.rr3, odd.ref2, odd.con2), (None, None, None));
        close(odd.rr1, 0.4);
        assert_eq!(fixture().rates(f64::NAN).rr4, None);
    }

    #[test]
    fn aapor_codes_and_phone_outcomes_map_to_classes() {
        use FinalClass::*;
        for (code, class) in [
            ("1.1", Complete),
            ("1.2", Partial),
            ("2.11", Refusal),
            ("2.112", Refusal),
            ("2.12", Refusal),
            ("2.21", NonContact),
            ("2.30", Other),
            ("3.12", UnknownHousehold),
            ("3.20", UnknownOther),
            ("3.90", UnknownOther),
            ("4.20", NotEligible),
        ] {
            assert_eq!(FinalClass::from_code(code), Some(class), "{code}");
        }
        for bad in ["", "1", "5.1", "1.3", "2.0", "x.y"] {
            assert_eq!(FinalClass::from_code(bad), None, "{bad}");
        }
        for d in Disposition::ALL {
            assert!(FinalClass::from_code(d.aapor()).is_some(), "{d:?}");
        }
        assert_eq!(FinalClass::from(Disposition::BreakOff), Refusal);
        assert_eq!(FinalClass::from(Disposition::AnsweringMachine), NonContact);
        assert_eq!(FinalClass::from(Disposition::Busy), UnknownHousehold);
        assert_eq!(FinalClass::from(Disposition::WrongNumber), NotEligible);
        let counted: Dispositions = [Complete, Complete, Refusal, NotEligible]
            .into_iter()
            .collect();
        assert_eq!(
            (counted.complete, counted.refusal, counted.total()),
            (2, 1, 4)
        );
    }
}
