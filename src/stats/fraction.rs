//! A share in words people read easily: 76% is "3 van de 4", 4% "een paar", 96%
//! "bijna iedereen". The words themselves live in the language files.

/// The denominators people read easily.
const DENOMINATORS: [u32; 5] = [2, 3, 4, 5, 10];

/// A share as a simple portion of the people.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Portion {
    Nobody,
    /// Above 0 and below 7.5%: no simple fraction fits.
    Few,
    /// `a` of `b`, with `b` one of 2, 3, 4, 5 or 10 and the fraction reduced.
    Fraction(u32, u32),
    /// 92.5% or more, but not all.
    AlmostAll,
    Everyone,
}

/// The portion closest to `share` (0..1); on a tie the smaller denominator wins. A share
/// that is not exactly 0 or 1 is never "nobody" or "everyone".
pub fn portion(share: f64) -> Portion {
    if !share.is_finite() || share <= 0.0 {
        return Portion::Nobody;
    }
    if share >= 1.0 {
        return Portion::Everyone;
    }
    if share < 0.075 {
        return Portion::Few;
    }
    if share >= 0.925 {
        return Portion::AlmostAll;
    }
    let mut best = (1, 2);
    let mut best_gap = f64::INFINITY;
    for b in DENOMINATORS {
        for a in 1..b {
            let gap = (f64::from(a) / f64::from(b) - share).abs();
            if gap < best_gap - 1e-12 && gcd(a, b) == 1 {
                best = (a, b);
                best_gap = gap;
            }
        }
    }
    Portion::Fraction(best.0, best.1)
}

fn gcd(a: u32, b: u32) -> u32 {
    if b == 0 { a } else { gcd(b, a % b) }
}

#[cfg(test)]
mod tests {
    use super::{Portion, portion};

    #[test]
    fn shares_become_portions_people_read_easily() {
        let f = Portion::Fraction;
        assert_eq!(portion(0.76), f(3, 4));
        assert_eq!(portion(0.75), f(3, 4));
        assert_eq!(portion(0.5), f(1, 2));
        assert_eq!(portion(0.52), f(1, 2));
        assert_eq!(portion(0.35), f(1, 3));
        assert_eq!(portion(0.67), f(2, 3));
        assert_eq!(portion(0.2), f(1, 5));
        assert_eq!(portion(0.1), f(1, 10));
        assert_eq!(portion(0.08), f(1, 10));
        assert_eq!(portion(0.9), f(9, 10));
        assert_eq!(portion(0.04), Portion::Few);
        assert_eq!(portion(0.96), Portion::AlmostAll);
        assert_eq!(portion(0.0), Portion::Nobody);
        assert_eq!(portion(1.0), Portion::Everyone);
        assert_eq!(portion(f64::NAN), Portion::Nobody);
    }
}
