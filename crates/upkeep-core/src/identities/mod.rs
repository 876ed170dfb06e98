//! Identities: who a name or e-mail is, and which organization they belonged
//! to on a given day. This module is pure: callers read the files and pass
//! their text in.

pub mod bots;
pub mod by_name;
pub mod email;
pub mod gitdm;
pub mod governance;
pub mod key;
pub mod names;
pub mod org_kinds;
pub mod organizations;
pub mod people;
pub mod suggest;

use std::fmt;

/// A calendar day (UTC), the resolution of affiliation data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(jiff::civil::Date);

impl Day {
    /// The day written as `YYYY-MM-DD`, or `None` if that is not a valid date.
    pub fn parse(text: &str) -> Option<Day> {
        let bytes = text.as_bytes();
        let shaped = bytes.len() == 10 && bytes[4] == b'-' && bytes[7] == b'-';
        if !shaped {
            return None;
        }
        text.parse::<jiff::civil::Date>().ok().map(Day)
    }

    /// The day on which the UTC instant `seconds` (since the Unix epoch) falls.
    pub fn from_unix_seconds(seconds: i64) -> Option<Day> {
        let ts = jiff::Timestamp::from_second(seconds).ok()?;
        Some(Day(ts.to_zoned(jiff::tz::TimeZone::UTC).date()))
    }
}

impl serde::Serialize for Day {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::Day;

    #[test]
    fn days() {
        assert_eq!(
            Day::parse("2014-08-01").map(|d| d.to_string()).as_deref(),
            Some("2014-08-01")
        );
        assert_eq!(Day::parse("2014-13-01"), None);
        assert_eq!(Day::parse("2014-8-1"), None);
        assert!(Day::parse("2014-07-31") < Day::parse("2014-08-01"));
        // 2020-01-01T09:00:00Z.
        assert_eq!(
            Day::from_unix_seconds(1_577_869_200),
            Day::parse("2020-01-01")
        );
    }
}
