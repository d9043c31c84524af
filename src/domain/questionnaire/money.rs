//! The compensation a questionnaire offers. Amounts are whole cents inside; the file
//! writes euros as a JSON number (`5.00`), converted once at the edge.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Compensation {
    pub amount_eur: Euros,
    pub kind: CompensationKind,
}

impl Compensation {
    /// In words for members: "Een cadeaubon van € 10,00."
    pub fn describe(&self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::tf;
        let cents = self.amount_eur.cents();
        let amount = tf(
            lang,
            "paper.print.amount",
            &[
                ("euros", &(cents / 100)),
                ("cents", &format!("{:02}", cents % 100)),
            ],
        );
        let key = match self.kind {
            CompensationKind::GiftVoucher => "paper.print.compensation.gift_voucher",
            CompensationKind::Money => "paper.print.compensation.money",
            CompensationKind::VolunteerAllowance => "paper.print.compensation.volunteer",
            CompensationKind::Donation => "paper.print.compensation.donation",
        };
        tf(lang, key, &[("amount", &amount)])
    }
}

/// How the compensation is paid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CompensationKind {
    #[serde(rename = "cadeaubon")]
    GiftVoucher,
    /// Paid into the member's bank account.
    #[serde(rename = "geld")]
    Money,
    /// A volunteer allowance: counts towards the yearly legal maximum.
    #[serde(rename = "vrijwilligersvergoeding")]
    VolunteerAllowance,
    /// Given to a charity on the member's behalf.
    #[serde(rename = "donatie")]
    Donation,
}

/// An amount in euros, kept as whole cents.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Euros {
    cents: u64,
}

/// The largest amount a file may name; anything above is a typo.
const MAX_CENTS: u64 = 100_000_000;

impl Euros {
    pub fn from_cents(cents: u64) -> Self {
        Self { cents }
    }

    pub fn cents(self) -> u64 {
        self.cents
    }

    /// Convert a JSON number of euros; refuses negative amounts, fractions of a cent and
    /// amounts above one million.
    pub fn from_json_number(euros: f64) -> Result<Self, &'static str> {
        if !euros.is_finite() || euros < 0.0 {
            return Err("an amount must be zero or more");
        }
        let scaled = euros * 100.0;
        let cents = scaled.round();
        // Tolerance covers binary rounding of two-decimal numbers, far below half a cent.
        if (scaled - cents).abs() > 1e-4 {
            return Err("an amount has at most two decimals (whole cents)");
        }
        if cents > MAX_CENTS as f64 {
            return Err("an amount must be at most 1000000 euros");
        }
        // In range and integral, so the conversion is exact.
        Ok(Self {
            cents: cents as u64,
        })
    }
}

impl fmt::Display for Euros {
    /// `5.00`: the file notation, not a localised amount.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.cents / 100, self.cents % 100)
    }
}

impl Serialize for Euros {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.cents.is_multiple_of(100) {
            serializer.serialize_u64(self.cents / 100)
        } else {
            // cents / 100 rounded once to the nearest double prints as the two-decimal
            // number again, and `from_json_number` reads it back to the same cents.
            serializer.serialize_f64(self.cents as f64 / 100.0)
        }
    }
}

impl<'de> Deserialize<'de> for Euros {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let euros = f64::deserialize(deserializer)?;
        Euros::from_json_number(euros).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_euros_into_cents() {
        assert_eq!(Euros::from_json_number(5.0), Ok(Euros::from_cents(500)));
        assert_eq!(Euros::from_json_number(0.29), Ok(Euros::from_cents(29)));
        assert_eq!(Euros::from_json_number(12.5), Ok(Euros::from_cents(1250)));
        assert!(Euros::from_json_number(5.001).is_err());
        assert!(Euros::from_json_number(-1.0).is_err());
        assert!(Euros::from_json_number(f64::NAN).is_err());
        assert!(Euros::from_json_number(2e6).is_err());
        assert_eq!(Euros::from_cents(505).to_string(), "5.05");
    }

    proptest! {
        #![proptest_config(crate::proptest_config(256))]
        #[test]
        fn cents_survive_a_json_round_trip(cents in 0u64..=MAX_CENTS) {
            let amount = Euros::from_cents(cents);
            let json = serde_json::to_string(&amount).unwrap();
            prop_assert_eq!(serde_json::from_str::<Euros>(&json).unwrap(), amount);
        }
    }
}
