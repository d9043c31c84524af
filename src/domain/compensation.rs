//! The compensation ledger's rules: exact money in euro cents, what a member receives
//! for a finished survey given their choice, and the yearly volunteer-allowance limits.
//! Pure: the store keeps the entries, this module says what they mean.
//!
//! Which entries count towards the limits: money and gift cards reach the member, so
//! they count; a donation goes to a charity and "none" is nothing, so they do not.
//! The limits count what a member receives from all organisations, so the other
//! volunteer allowances the member declared for the year count towards the yearly
//! limit (the member declares a yearly amount, so it is not spread over months).

use std::fmt;

use sea_orm::sea_query::StringLen;
use sea_orm::{DeriveActiveEnum, EnumIter};
use serde::{Deserialize, Serialize};

use super::questionnaire::CompensationKind as OfferedKind;

/// An exact amount of money in euro cents. Never a float.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money {
    cents: i64,
}

/// The largest amount a form may name; anything above is a typo.
pub const MAX_CENTS: i64 = 100_000_000;

/// Why an amount typed in a form was refused. Each has a text key
/// `compensation.money_error.<key>` in both languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("no amount given")]
    Empty,
    #[error("the amount is not a number")]
    NotANumber,
    #[error("an amount has at most two decimals")]
    TooManyDecimals,
    #[error("an amount cannot be negative")]
    Negative,
    #[error("the amount is too large")]
    TooLarge,
    /// `2.100` or `2,100`: thousands or a decimal? We ask instead of guessing.
    #[error("the amount is ambiguous")]
    Ambiguous,
}

impl MoneyError {
    /// The i18n key of the message for members and managers.
    pub fn key(self) -> &'static str {
        match self {
            MoneyError::Empty => "compensation.money_error.empty",
            MoneyError::NotANumber => "compensation.money_error.not_a_number",
            MoneyError::TooManyDecimals => "compensation.money_error.too_many_decimals",
            MoneyError::Negative => "compensation.money_error.negative",
            MoneyError::TooLarge => "compensation.money_error.too_large",
            MoneyError::Ambiguous => "compensation.money_error.ambiguous",
        }
    }
}

impl Money {
    pub const ZERO: Money = Money { cents: 0 };

    pub const fn from_cents(cents: i64) -> Self {
        Self { cents }
    }

    pub const fn cents(self) -> i64 {
        self.cents
    }

    pub fn saturating_add(self, other: Money) -> Money {
        Money::from_cents(self.cents.saturating_add(other.cents))
    }

    /// Parse an amount typed in a form: `5,50`, `5.50`, `€ 2.100,00`, `2100`, `€5`.
    /// The last `,` or `.` followed by one or two digits is the decimal separator; the
    /// other separator groups thousands. A single separator followed by exactly three
    /// digits (`2.100`) is refused as ambiguous.
    pub fn parse(input: &str) -> Result<Money, MoneyError> {
        let s: String = input
            .trim()
            .trim_start_matches('€')
            .trim_start_matches("EUR")
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if s.is_empty() {
            return Err(MoneyError::Empty);
        }
        let (negative, s) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s.as_str()),
        };
        if s.is_empty()
            || !s
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
        {
            return Err(MoneyError::NotANumber);
        }
        let (whole, fraction) = split_decimal(s)?;
        if whole.is_empty() || !whole.chars().all(|c| c.is_ascii_digit()) {
            return Err(MoneyError::NotANumber);
        }
        if fraction.len() > 2 {
            return Err(MoneyError::TooManyDecimals);
        }
        let euros: i64 = whole.parse().map_err(|_| MoneyError::TooLarge)?;
        let cents_part: i64 = match fraction.len() {
            0 => 0,
            1 => {
                fraction
                    .parse::<i64>()
                    .map_err(|_| MoneyError::NotANumber)?
                    * 10
            }
            _ => fraction.parse().map_err(|_| MoneyError::NotANumber)?,
        };
        let cents = euros
            .checked_mul(100)
            .and_then(|c| c.checked_add(cents_part))
            .ok_or(MoneyError::TooLarge)?;
        if negative && cents > 0 {
            return Err(MoneyError::Negative);
        }
        if cents > MAX_CENTS {
            return Err(MoneyError::TooLarge);
        }
        Ok(Money { cents })
    }

    /// Dutch notation for people: `€ 2.100,00`.
    pub fn format_nl(self) -> String {
        format!("€ {}", self.format_nl_bare())
    }

    /// Dutch notation without the euro sign, as a form field shows it: `2.100,00`.
    pub fn format_nl_bare(self) -> String {
        let sign = if self.cents < 0 { "-" } else { "" };
        let abs = self.cents.unsigned_abs();
        let euros = (abs / 100).to_string();
        let mut grouped = String::new();
        for (i, c) in euros.chars().enumerate() {
            if i > 0 && (euros.len() - i).is_multiple_of(3) {
                grouped.push('.');
            }
            grouped.push(c);
        }
        format!("{sign}{grouped},{:02}", abs % 100)
    }
}

/// Split into the whole part (thousands separators removed) and the decimals.
fn split_decimal(s: &str) -> Result<(String, &str), MoneyError> {
    let Some(pos) = s.rfind(['.', ',']) else {
        return Ok((s.to_owned(), ""));
    };
    let sep = s.as_bytes()[pos] as char;
    let after = &s[pos + 1..];
    let before = &s[..pos];
    let other = if sep == ',' { '.' } else { ',' };
    let same_count = s.matches(sep).count();
    let decimal = if before.contains(other) {
        // Both separators: the last one is the decimal separator.
        true
    } else if same_count > 1 {
        // `1.000.000`: only thousands separators.
        false
    } else if after.len() == 3 {
        return Err(MoneyError::Ambiguous);
    } else {
        true
    };
    if decimal {
        if after.is_empty() || s.matches(sep).count() > 1 {
            return Err(MoneyError::NotANumber);
        }
        Ok((ungroup(before, other)?, after))
    } else {
        Ok((ungroup(s, sep)?, ""))
    }
}

/// Remove thousands separators, checking they group by three.
pub(crate) fn ungroup(s: &str, sep: char) -> Result<String, MoneyError> {
    if !s.contains(sep) {
        return Ok(s.to_owned());
    }
    let groups: Vec<&str> = s.split(sep).collect();
    let first_ok = (1..=3).contains(&groups[0].len());
    if !first_ok || groups[1..].iter().any(|g| g.len() != 3) {
        return Err(MoneyError::NotANumber);
    }
    Ok(groups.concat())
}

/// A questionnaire's offered amount (whole cents, at most a million euros).
impl From<super::questionnaire::Euros> for Money {
    fn from(e: super::questionnaire::Euros) -> Self {
        Money::from_cents(i64::try_from(e.cents()).unwrap_or(i64::MAX))
    }
}

impl fmt::Display for Money {
    /// `5.50`: the exact decimal for files such as the payout CSV.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.cents < 0 { "-" } else { "" };
        let abs = self.cents.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

/// What a ledger entry gives the member.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    #[sea_orm(string_value = "money")]
    Money,
    #[sea_orm(string_value = "gift_card")]
    GiftCard,
    #[sea_orm(string_value = "donation")]
    Donation,
    #[sea_orm(string_value = "none")]
    None,
}

impl EntryKind {
    /// Whether the member receives it, so it counts towards the allowance limits.
    pub fn counts_towards_limits(self) -> bool {
        matches!(self, EntryKind::Money | EntryKind::GiftCard)
    }

    pub fn key(self) -> &'static str {
        match self {
            EntryKind::Money => "compensation.kind.money",
            EntryKind::GiftCard => "compensation.kind.gift_card",
            EntryKind::Donation => "compensation.kind.donation",
            EntryKind::None => "compensation.kind.none",
        }
    }
}

/// The member's standing choice in Mijn gegevens.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    Serialize,
    Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum Choice {
    #[default]
    #[sea_orm(string_value = "accept")]
    Accept,
    #[sea_orm(string_value = "donate")]
    Donate,
    #[sea_orm(string_value = "decline")]
    Decline,
}

impl Choice {
    pub const ALL: [Choice; 3] = [Choice::Accept, Choice::Donate, Choice::Decline];

    pub fn parse(s: &str) -> Option<Choice> {
        Choice::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Choice::Accept => "accept",
            Choice::Donate => "donate",
            Choice::Decline => "decline",
        }
    }
}

/// The entry a finished survey gives, from what the survey offers and the member's
/// choice: declining gives nothing, donating turns any offer into a donation.
pub fn entry_for(offered: OfferedKind, amount: Money, choice: Choice) -> (EntryKind, Money) {
    match choice {
        Choice::Decline => (EntryKind::None, Money::ZERO),
        Choice::Donate => (EntryKind::Donation, amount),
        Choice::Accept => (
            match offered {
                OfferedKind::Money | OfferedKind::VolunteerAllowance => EntryKind::Money,
                OfferedKind::GiftVoucher => EntryKind::GiftCard,
                OfferedKind::Donation => EntryKind::Donation,
            },
            amount,
        ),
    }
}

/// The volunteer-allowance limits of one calendar year, with where they come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AllowanceLimits {
    pub year: i32,
    pub per_hour_21_plus: Money,
    pub per_hour_under_21: Money,
    pub per_month: Money,
    pub per_year: Money,
    pub source: String,
}

/// The figures klankbord ships; a manager still confirms them once per year.
pub fn shipped_limits(year: i32) -> Option<AllowanceLimits> {
    let (h21, h, m, y) = match year {
        2024 => (550, 325, 21_000, 210_000),
        2025 => (560, 330, 21_000, 210_000),
        _ => return None,
    };
    Some(AllowanceLimits {
        year,
        per_hour_21_plus: Money::from_cents(h21),
        per_hour_under_21: Money::from_cents(h),
        per_month: Money::from_cents(m),
        per_year: Money::from_cents(y),
        source: "Belastingdienst".to_owned(),
    })
}

/// An allowance for `minutes` of work that comes to more per hour than the limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HourlyExcess {
    /// The allowance per hour, rounded down to the cent.
    pub per_hour: Money,
    /// The per-hour limit for members of 21 and over (the higher limit).
    pub limit_21_plus: Money,
    pub limit_under_21: Money,
}

/// Whether `amount` for `minutes` of work comes to more per hour than the year's
/// per-hour limit for members of 21 and over: above it, the allowance may count as
/// income for a benefit even when the month and year stay within their limits. Members
/// under 21 have a lower limit; the result names both. `None` when within the limit, or
/// when no time is known.
pub fn hourly_excess(
    limits: &AllowanceLimits,
    amount: Money,
    minutes: u32,
) -> Option<HourlyExcess> {
    if minutes == 0 {
        return None;
    }
    let per_hour = Money::from_cents(amount.cents().saturating_mul(60) / i64::from(minutes));
    (per_hour.cents() > limits.per_hour_21_plus.cents()).then_some(HourlyExcess {
        per_hour,
        limit_21_plus: limits.per_hour_21_plus,
        limit_under_21: limits.per_hour_under_21,
    })
}

/// What the member has received so far, as the ledger and their declaration say.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReceivedSoFar {
    /// Counting entries from this panel in the payment's calendar year.
    pub this_year: Money,
    /// Counting entries from this panel in the payment's calendar month.
    pub this_month: Money,
    /// Other volunteer allowances the member declared for the year.
    pub declared_other: Money,
}

/// The outcome of checking a new payment against the year's limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LimitCheck {
    /// Stays within the month and year limits (equal to a limit is within).
    Within,
    /// Crosses at least one limit; each by how much, if crossed.
    Crosses {
        month_over: Option<Money>,
        year_over: Option<Money>,
    },
    /// Nobody confirmed the year's figures yet: the manager must first.
    Unconfirmed,
}

impl LimitCheck {
    pub fn is_flagged(self) -> bool {
        !matches!(self, LimitCheck::Within)
    }
}

/// Check a new payment. `limits` are the year's *confirmed* figures, if any.
pub fn check_payment(
    limits: Option<&AllowanceLimits>,
    so_far: ReceivedSoFar,
    payment: Money,
) -> LimitCheck {
    let Some(limits) = limits else {
        return LimitCheck::Unconfirmed;
    };
    let over = |total: Money, limit: Money| {
        (total.cents() > limit.cents()).then(|| Money::from_cents(total.cents() - limit.cents()))
    };
    let month_total = so_far.this_month.saturating_add(payment);
    let year_total = so_far
        .this_year
        .saturating_add(so_far.declared_other)
        .saturating_add(payment);
    let month_over = over(month_total, limits.per_month);
    let year_over = over(year_total, limits.per_year);
    if month_over.is_none() && year_over.is_none() {
        LimitCheck::Within
    } else {
        LimitCheck::Crosses {
            month_over,
            year_over,
        }
    }
}

/// One year of a ledger, summed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct YearTotals {
    pub year: i32,
    /// Money and gift cards: what counts towards the limits.
    pub received: Money,
    pub donated: Money,
    pub entries: usize,
    pub flagged: usize,
}

/// Totals per calendar year, newest year first, from (year, kind, amount, flagged).
pub fn totals_per_year(
    entries: impl IntoIterator<Item = (i32, EntryKind, Money, bool)>,
) -> Vec<YearTotals> {
    let mut years: std::collections::BTreeMap<i32, YearTotals> = Default::default();
    for (year, kind, amount, flagged) in entries {
        let t = years.entry(year).or_insert(YearTotals {
            year,
            ..YearTotals::default()
        });
        t.entries += 1;
        t.flagged += usize::from(flagged);
        match kind {
            EntryKind::Money | EntryKind::GiftCard => {
                t.received = t.received.saturating_add(amount)
            }
            EntryKind::Donation => t.donated = t.donated.saturating_add(amount),
            EntryKind::None => {}
        }
    }
    years.into_values().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn eur(cents: i64) -> Money {
        Money::from_cents(cents)
    }

    #[test]
    fn parses_the_ways_people_write_amounts() {
        assert_eq!(Money::parse("5,50"), Ok(eur(550)));
        assert_eq!(Money::parse("5.50"), Ok(eur(550)));
        assert_eq!(Money::parse("€ 2.100,00"), Ok(eur(210_000)));
        assert_eq!(Money::parse("2,100.00"), Ok(eur(210_000)));
        assert_eq!(Money::parse("€5"), Ok(eur(500)));
        assert_eq!(Money::parse(" 12,5 "), Ok(eur(1250)));
        assert_eq!(Money::parse("1.000.000"), Ok(eur(100_000_000)));
        assert_eq!(Money::parse("0"), Ok(eur(0)));
        assert_eq!(Money::parse("-0"), Ok(eur(0)));
    }

    #[test]
    fn refuses_bad_amounts_with_a_reason() {
        assert_eq!(Money::parse(""), Err(MoneyError::Empty));
        assert_eq!(Money::parse("€ "), Err(MoneyError::Empty));
        assert_eq!(Money::parse("vijf"), Err(MoneyError::NotANumber));
        assert_eq!(Money::parse("5,505"), Err(MoneyError::Ambiguous));
        assert_eq!(Money::parse("2.100"), Err(MoneyError::Ambiguous));
        assert_eq!(Money::parse("5,5,5"), Err(MoneyError::NotANumber));
        assert_eq!(Money::parse("5,"), Err(MoneyError::NotANumber));
        assert_eq!(Money::parse("1.000,005"), Err(MoneyError::TooManyDecimals));
        assert_eq!(Money::parse("12.34.567"), Err(MoneyError::NotANumber));
        assert_eq!(Money::parse("-5"), Err(MoneyError::Negative));
        assert_eq!(Money::parse("1e3"), Err(MoneyError::NotANumber));
        assert_eq!(Money::parse("1000001"), Err(MoneyError::TooLarge));
        assert_eq!(
            Money::parse("99999999999999999999"),
            Err(MoneyError::TooLarge)
        );
    }

    #[test]
    fn formats_dutch_and_exact() {
        assert_eq!(eur(550).format_nl(), "€ 5,50");
        assert_eq!(eur(210_000).format_nl(), "€ 2.100,00");
        assert_eq!(eur(5).format_nl(), "€ 0,05");
        assert_eq!(eur(210_000).format_nl_bare(), "2.100,00");
        assert_eq!(eur(100_000_000).format_nl(), "€ 1.000.000,00");
        assert_eq!(eur(550).to_string(), "5.50");
        assert_eq!(eur(-1).to_string(), "-0.01");
    }

    #[test]
    fn the_choice_decides_the_entry() {
        let five = eur(500);
        assert_eq!(
            entry_for(OfferedKind::Money, five, Choice::Accept),
            (EntryKind::Money, five)
        );
        assert_eq!(
            entry_for(OfferedKind::VolunteerAllowance, five, Choice::Accept),
            (EntryKind::Money, five)
        );
        assert_eq!(
            entry_for(OfferedKind::GiftVoucher, five, Choice::Accept),
            (EntryKind::GiftCard, five)
        );
        assert_eq!(
            entry_for(OfferedKind::GiftVoucher, five, Choice::Donate),
            (EntryKind::Donation, five)
        );
        assert_eq!(
            entry_for(OfferedKind::Money, five, Choice::Decline),
            (EntryKind::None, Money::ZERO)
        );
        assert!(!EntryKind::Donation.counts_towards_limits());
        assert!(EntryKind::GiftCard.counts_towards_limits());
    }

    #[test]
    fn ships_the_known_figures() {
        let y24 = shipped_limits(2024).unwrap();
        assert_eq!(y24.per_hour_21_plus, eur(550));
        assert_eq!(y24.per_hour_under_21, eur(325));
        assert_eq!(y24.per_month, eur(21_000));
        assert_eq!(y24.per_year, eur(210_000));
        let y25 = shipped_limits(2025).unwrap();
        assert_eq!(y25.per_hour_21_plus, eur(560));
        assert_eq!(y25.per_hour_under_21, eur(330));
        assert_eq!(y25.source, "Belastingdienst");
        assert_eq!(shipped_limits(2026), None);
    }

    #[test]
    fn equal_to_the_yearly_limit_is_allowed_one_cent_more_crosses() {
        let limits = shipped_limits(2025).unwrap();
        // €1,990 from this panel and €100 declared elsewhere; €10 more is exactly €2,100.
        let so_far = ReceivedSoFar {
            this_year: eur(199_000),
            this_month: eur(0),
            declared_other: eur(10_000),
        };
        assert_eq!(
            check_payment(Some(&limits), so_far, eur(1_000)),
            LimitCheck::Within
        );
        assert_eq!(
            check_payment(Some(&limits), so_far, eur(1_001)),
            LimitCheck::Crosses {
                month_over: None,
                year_over: Some(eur(1)),
            }
        );
    }

    #[test]
    fn the_monthly_limit_counts_this_panel_only() {
        let limits = shipped_limits(2024).unwrap();
        let so_far = ReceivedSoFar {
            this_year: eur(50_000),
            this_month: eur(20_000),
            declared_other: eur(150_000),
        };
        // Month: 200 + 10 = 210, equal. Year: 500 + 1500 + 10 = 2010, within.
        assert_eq!(
            check_payment(Some(&limits), so_far, eur(1_000)),
            LimitCheck::Within
        );
        // Month: 200 + 15 = 215 → €5 over. Year: 2015, within.
        assert_eq!(
            check_payment(Some(&limits), so_far, eur(1_500)),
            LimitCheck::Crosses {
                month_over: Some(eur(500)),
                year_over: None,
            }
        );
        // Both: month 200 + 100 = 300 → €90 over; year 500 + 1500 + 100 = 2100, equal.
        let both = ReceivedSoFar {
            declared_other: eur(150_001),
            ..so_far
        };
        assert_eq!(
            check_payment(Some(&limits), both, eur(10_000)),
            LimitCheck::Crosses {
                month_over: Some(eur(9_000)),
                year_over: Some(eur(1)),
            }
        );
    }

    #[test]
    fn an_unconfirmed_year_is_flagged() {
        let check = check_payment(None, ReceivedSoFar::default(), eur(500));
        assert_eq!(check, LimitCheck::Unconfirmed);
        assert!(check.is_flagged());
    }

    #[test]
    fn totals_per_year_split_received_and_donated() {
        let totals = totals_per_year([
            (2024, EntryKind::Money, eur(550), false),
            (2025, EntryKind::Money, eur(1_000), true),
            (2025, EntryKind::GiftCard, eur(250), false),
            (2025, EntryKind::Donation, eur(500), false),
            (2025, EntryKind::None, Money::ZERO, false),
        ]);
        assert_eq!(totals.len(), 2);
        assert_eq!(totals[0].year, 2025);
        assert_eq!(totals[0].received, eur(1_250));
        assert_eq!(totals[0].donated, eur(500));
        assert_eq!((totals[0].entries, totals[0].flagged), (4, 1));
        assert_eq!(totals[1].received, eur(550));
    }

    proptest! {
        #![proptest_config(crate::proptest_config(256))]
        #[test]
        fn dutch_and_plain_notation_read_back(cents in 0i64..=MAX_CENTS) {
            let m = eur(cents);
            let nl = m.format_nl();
            prop_assert_eq!(Money::parse(&nl), Ok(m));
            prop_assert_eq!(Money::parse(&m.to_string()), Ok(m));
        }

        #[test]
        fn crossing_is_exactly_the_excess(year in 0i64..300_000, other in 0i64..300_000, pay in 0i64..50_000) {
            let limits = shipped_limits(2025).unwrap();
            let so_far = ReceivedSoFar { this_year: eur(year), this_month: eur(0), declared_other: eur(other) };
            let total = year + other + pay;
            let check = check_payment(Some(&limits), so_far, eur(pay));
            let year_over = match check {
                LimitCheck::Crosses { year_over, .. } => year_over,
                _ => None,
            };
            prop_assert_eq!(year_over, (total > 210_000).then(|| eur(total - 210_000)));
        }
    }

    #[test]
    fn an_allowance_above_the_hourly_limit_is_named_with_its_rate() {
        let limits = shipped_limits(2025).unwrap();
        // €5 for 8 minutes is €37.50 an hour: far above €5.60.
        let excess = hourly_excess(&limits, eur(500), 8).unwrap();
        assert_eq!(excess.per_hour, eur(3_750));
        assert_eq!(excess.limit_21_plus, eur(560));
        assert_eq!(excess.limit_under_21, eur(330));
        // €5.60 for an hour is exactly the limit: within. €0.93 for 10 minutes is
        // €5.58 an hour (rounded down): within.
        assert_eq!(hourly_excess(&limits, eur(560), 60), None);
        assert_eq!(hourly_excess(&limits, eur(93), 10), None);
        assert_eq!(
            hourly_excess(&limits, eur(561), 60).unwrap().per_hour,
            eur(561)
        );
        // No time known: nothing to say.
        assert_eq!(hourly_excess(&limits, eur(500), 0), None);
    }
}
