//! The texts the frame is handed over in, read: backgrounds (`rol=ervaring;regio=west`),
//! contact summaries (`survey@moment` or `survey@moment!`, joined by commas) and moments
//! as sqlx writes them on SQLite.

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::fieldwork::Background;
use crate::domain::ids::{CategoryValue, VariableId};

/// A background from its text; pairs that are not valid ids are left out.
pub fn parse_background(text: &str) -> Background {
    text.split(';')
        .filter_map(|pair| pair.split_once('='))
        .filter_map(|(v, c)| Some((VariableId::parse(v).ok()?, CategoryValue::parse(c).ok()?)))
        .collect()
}

/// The fields of a list joined by `separator`, found byte by byte: for the short fields
/// of the lists SQLite hands over (ids, variables, values) faster than `str::split`.
pub struct Fields<'a> {
    rest: Option<&'a str>,
    separator: u8,
}

impl<'a> Fields<'a> {
    /// `separator` is an ASCII character.
    pub fn new(list: &'a str, separator: u8) -> Fields<'a> {
        debug_assert!(separator.is_ascii());
        Fields {
            rest: Some(list),
            separator,
        }
    }
}

impl<'a> Iterator for Fields<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest?;
        match rest.bytes().position(|b| b == self.separator) {
            Some(at) => {
                self.rest = Some(&rest[at + 1..]);
                Some(&rest[..at])
            }
            None => self.rest.take(),
        }
    }
}

/// One invitation of a contact summary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SummaryItem {
    pub survey: i64,
    pub sent_at: DateTime<Utc>,
    pub flash_poll: bool,
}

/// The invitations of a summary's history, in its order; `Err` holds an item that does
/// not read.
pub fn summary_items(history: &str) -> impl Iterator<Item = Result<SummaryItem, &str>> {
    history
        .split(',')
        .filter(|item| !item.is_empty())
        .map(|item| summary_item(item).ok_or(item))
}

fn summary_item(item: &str) -> Option<SummaryItem> {
    let (survey, moment) = item.split_once('@')?;
    let (moment, flash_poll) = match moment.strip_suffix('!') {
        Some(moment) => (moment, true),
        None => (moment, false),
    };
    Some(SummaryItem {
        survey: survey.parse().ok()?,
        sent_at: parse_moment(moment)?,
        flash_poll,
    })
}

/// A moment as SQLite keeps it (`2026-11-29T10:00:00.123+00:00`, as sqlx writes it).
/// The usual UTC form is read by hand, a million times faster than a general parser
/// matters here; anything else goes through chrono's RFC 3339 parser.
pub fn parse_moment(text: &str) -> Option<DateTime<Utc>> {
    fast_utc(text).or_else(|| {
        DateTime::parse_from_rfc3339(text)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    })
}

fn fast_utc(text: &str) -> Option<DateTime<Utc>> {
    let body = text.strip_suffix("+00:00")?;
    let b = body.as_bytes();
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        b.get(range)?.iter().try_fold(0u32, |n, d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let nanos = match b.get(19) {
        None => 0,
        Some(b'.') => {
            let digits = &b[20..];
            if digits.is_empty() || digits.len() > 9 || !digits.iter().all(u8::is_ascii_digit) {
                return None;
            }
            let value = number(20..b.len())?;
            value * 10u32.pow(9 - digits.len() as u32)
        }
        Some(_) => return None,
    };
    if b[16] != b':' {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(number(0..4)? as i32, number(5..7)?, number(8..10)?)?;
    let time = date.and_hms_nano_opt(number(11..13)?, number(14..16)?, number(17..19)?, nanos)?;
    Some(time.and_utc())
}

#[cfg(test)]
mod tests {
    use chrono::{SecondsFormat, TimeZone, Timelike};

    use super::*;

    #[test]
    fn moments_read_as_sqlx_writes_them() {
        let whole = Utc.with_ymd_and_hms(2026, 2, 28, 23, 59, 59).unwrap();
        for at in [
            whole,
            whole.with_nanosecond(123_000_000).unwrap(),
            whole.with_nanosecond(7).unwrap(),
        ] {
            let text = at.to_rfc3339_opts(SecondsFormat::AutoSi, false);
            assert_eq!(fast_utc(&text), Some(at), "{text}");
            assert_eq!(parse_moment(&text), Some(at));
        }
        // Other offsets and forms go through chrono.
        assert_eq!(fast_utc("2026-03-01T00:59:59+01:00"), None);
        assert_eq!(parse_moment("2026-03-01T00:59:59+01:00"), Some(whole));
        assert_eq!(parse_moment("gisteren"), None);
        assert_eq!(fast_utc("2026-02-30T10:00:00+00:00"), None);
    }

    #[test]
    fn backgrounds_read_from_their_text() {
        let b = parse_background("regio=west;rol=ervaring;kapot");
        assert_eq!(b.len(), 2);
        assert_eq!(b.get("regio").map(|c| c.as_str()), Some("west"));
        assert!(parse_background("").is_empty());
    }

    #[test]
    fn fields_split_as_str_split_does() {
        for list in ["", ",", "1", "1,22,333", ",a,,b,", "é,ü"] {
            let fields: Vec<&str> = Fields::new(list, b',').collect();
            assert_eq!(fields, list.split(',').collect::<Vec<_>>(), "{list:?}");
        }
    }

    #[test]
    fn summaries_read_item_by_item() {
        let at = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
        let items: Vec<_> =
            summary_items("3@2026-03-01T09:00:00+00:00,4@2026-03-01T09:00:00+00:00!,x").collect();
        assert_eq!(
            items,
            [
                Ok(SummaryItem {
                    survey: 3,
                    sent_at: at,
                    flash_poll: false
                }),
                Ok(SummaryItem {
                    survey: 4,
                    sent_at: at,
                    flash_poll: true
                }),
                Err("x"),
            ]
        );
        assert_eq!(summary_items("").count(), 0);
    }
}
