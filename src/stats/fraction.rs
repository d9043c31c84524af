//! A share as a simple fraction for plain-language sentences: 76% is "3 van de 4".

/// The denominators people read easily, in order of preference.
const DENOMINATORS: [u32; 6] = [2, 3, 4, 5, 10, 20];

/// The simple fraction `(a, b)` closest to `share` (0..1), with `b` one of 2, 3, 4, 5,
/// 10 or 20; on a tie the smaller denominator wins. 1 gives `(1, 1)` and 0
/// gives `(0, 1)`, so the caller can say "iedereen" or "niemand"; a share that is not
/// exactly 0 or 1 never becomes one of them.
pub fn simple_fraction(share: f64) -> (u32, u32) {
    if !share.is_finite() || share <= 0.0 {
        return (0, 1);
    }
    if share >= 1.0 {
        return (1, 1);
    }
    let mut best = (1, 2);
    let mut best_gap = f64::INFINITY;
    for b in DENOMINATORS {
        for a in 1..b {
            let gap = (f64::from(a) / f64::from(b) - share).abs();
            // Reduced fractions only (2/4 is 1/2, found first).
            if gap < best_gap - 1e-12 && gcd(a, b) == 1 {
                best = (a, b);
                best_gap = gap;
            }
        }
    }
    best
}

fn gcd(a: u32, b: u32) -> u32 {
    if b == 0 { a } else { gcd(b, a % b) }
}

#[cfg(test)]
mod tests {
    use super::simple_fraction;

    #[test]
    fn shares_become_fractions_people_read_easily() {
        assert_eq!(simple_fraction(0.76), (3, 4));
        assert_eq!(simple_fraction(0.75), (3, 4));
        assert_eq!(simple_fraction(0.5), (1, 2));
        assert_eq!(simple_fraction(0.52), (1, 2));
        assert_eq!(simple_fraction(0.34), (1, 3));
        assert_eq!(simple_fraction(0.67), (2, 3));
        assert_eq!(simple_fraction(0.2), (1, 5));
        assert_eq!(simple_fraction(0.1), (1, 10));
        assert_eq!(simple_fraction(0.04), (1, 20));
        assert_eq!(simple_fraction(0.01), (1, 20));
        assert_eq!(simple_fraction(0.99), (19, 20));
        assert_eq!(simple_fraction(0.0), (0, 1));
        assert_eq!(simple_fraction(1.0), (1, 1));
        assert_eq!(simple_fraction(f64::NAN), (0, 1));
    }
}
