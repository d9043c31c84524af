//! Whole numbers as people type them on a form, by phone or on paper: the one place that
//! decides what "1.000", "1,5" or " 12 " mean.

/// Why [`parse_whole_number`] refused its input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WholeNumberError {
    NotWhole,
    /// A whole number beyond the 64-bit range.
    TooLarge,
}

/// A whole number as people type it: surrounding spaces, an optional `-` or `+`, ASCII
/// digits. Dots are accepted only as Dutch thousands separators in their proper places
/// ("1.000", "12.500.000" but not "1.5", "1.00" or "01.000"): a Dutch member writes a
/// thousand that way, and a misplaced dot is refused rather than guessed at. A comma is
/// always refused: in Dutch it is the decimal sign ("1,5"), in English a separator, so
/// "1,000" is ambiguous.
pub fn parse_whole_number(text: &str) -> Result<i64, WholeNumberError> {
    let text = text.trim();
    let (sign, rest) = match text.as_bytes().first() {
        Some(b'-') => ("-", &text[1..]),
        Some(b'+') => ("", &text[1..]),
        _ => ("", text),
    };
    let mut groups = rest.split('.');
    let head = groups.next().unwrap_or_default();
    let digits = |g: &str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
    let mut plain = head.to_owned();
    if rest.contains('.') {
        if !(digits(head) && head.len() <= 3 && !head.starts_with('0')) {
            return Err(WholeNumberError::NotWhole);
        }
        for group in groups {
            if !(digits(group) && group.len() == 3) {
                return Err(WholeNumberError::NotWhole);
            }
            plain.push_str(group);
        }
    }
    if !digits(&plain) {
        return Err(WholeNumberError::NotWhole);
    }
    // Only ASCII digits with an optional minus: any parse error is an overflow.
    format!("{sign}{plain}")
        .parse()
        .map_err(|_| WholeNumberError::TooLarge)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_are_read_as_people_type_them() {
        let accepted: &[(&str, i64)] = &[
            ("0", 0),
            ("12", 12),
            (" 12 ", 12),
            ("+7", 7),
            ("-3", -3),
            ("007", 7),
            ("1.000", 1000),
            ("-1.000", -1000),
            ("12.500.000", 12_500_000),
            ("999.999", 999_999),
            ("9223372036854775807", i64::MAX),
            ("-9223372036854775808", i64::MIN),
        ];
        for (text, n) in accepted {
            assert_eq!(parse_whole_number(text), Ok(*n), "{text}");
        }
        let refused = [
            "", "-", "+", "1,5", "1,000", "12abc", "1.5", "1.00", "1.0000", "01.000", "0.000",
            ".000", "1.", "1..000", "1000.000", "1 000", "١٢", "--3", "+-3", "3-", "1e3", "0x10",
        ];
        for text in refused {
            assert_eq!(
                parse_whole_number(text),
                Err(WholeNumberError::NotWhole),
                "{text}"
            );
        }
        for text in [
            "9223372036854775808",
            "-9223372036854775809",
            "1.000.000.000.000.000.000.000",
        ] {
            assert_eq!(
                parse_whole_number(text),
                Err(WholeNumberError::TooLarge),
                "{text}"
            );
        }
    }
}
