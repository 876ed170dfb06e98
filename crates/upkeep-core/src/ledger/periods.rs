//! The periods a ledger is counted in: sprints (a fixed number of days from a
//! start date, before and after it), calendar months, quarters and years, all
//! in UTC. Periods cover the window `[since, until)`; the first and last may
//! reach beyond it (acts outside the window are never counted), and a period
//! is *complete* when it lies inside the window and has ended by "now".

use serde::Serialize;

/// The name of a kind of period, as goals, the command line, the server and
/// the ledger's JSON (`period`) write it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PeriodName {
    /// Sprints (their start and length are the ledger's parameters).
    Sprint,
    /// Calendar months.
    #[default]
    Month,
    /// Calendar quarters.
    Quarter,
    /// Calendar years.
    Year,
}

impl PeriodName {
    /// Every name, in order.
    pub const ALL: [PeriodName; 4] = [
        PeriodName::Sprint,
        PeriodName::Month,
        PeriodName::Quarter,
        PeriodName::Year,
    ];

    /// `sprint`, `month`, `quarter` or `year`.
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodName::Sprint => "sprint",
            PeriodName::Month => "month",
            PeriodName::Quarter => "quarter",
            PeriodName::Year => "year",
        }
    }

    /// The name `text` (`None` for anything else).
    pub fn parse(text: &str) -> Option<PeriodName> {
        PeriodName::ALL.into_iter().find(|p| p.as_str() == text)
    }

    /// The kind of period, with sprints as `sprint` says.
    pub fn kind(self, sprint: PeriodKind) -> PeriodKind {
        match self {
            PeriodName::Sprint => sprint,
            PeriodName::Month => PeriodKind::Month,
            PeriodName::Quarter => PeriodKind::Quarter,
            PeriodName::Year => PeriodKind::Year,
        }
    }
}

impl std::fmt::Display for PeriodName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How the window is cut.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PeriodKind {
    /// Sprints of `days` days, counted from `start` (seconds since the epoch).
    Sprint {
        /// A sprint's first second.
        start: i64,
        /// Its length in days.
        days: u32,
    },
    /// Calendar months.
    Month,
    /// Calendar quarters.
    Quarter,
    /// Calendar years.
    Year,
}

impl PeriodKind {
    /// The name goals and the command line use: `sprint`, `month`, `quarter`, `year`.
    pub fn name(self) -> &'static str {
        match self {
            PeriodKind::Sprint { .. } => "sprint",
            PeriodKind::Month => "month",
            PeriodKind::Quarter => "quarter",
            PeriodKind::Year => "year",
        }
    }
}

/// One period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Period {
    /// A label: `2026-03-02` (a sprint's first day), `2026-03`, `2026-Q1`, `2026`.
    pub label: String,
    /// First second.
    pub start: i64,
    /// First second after it.
    pub end: i64,
    /// Whether it lies inside the window and has ended by "now".
    pub complete: bool,
}

const DAY: i64 = 86_400;

/// The periods of `kind` covering `[since, until)`; `now` decides which are complete.
pub fn split(kind: PeriodKind, since: i64, until: i64, now: i64) -> Vec<Period> {
    let mut out = Vec::new();
    let mut start = first_start(kind, since);
    while start < until {
        let end = next_start(kind, start);
        out.push(Period {
            label: label(kind, start),
            start,
            end,
            complete: since <= start && end <= until && end <= now,
        });
        start = end;
    }
    out
}

/// The start of the period containing `time`.
fn first_start(kind: PeriodKind, time: i64) -> i64 {
    match kind {
        PeriodKind::Sprint { start, days } => {
            let len = i64::from(days.max(1)) * DAY;
            start + (time - start).div_euclid(len) * len
        }
        calendar => {
            let date = civil(time);
            let month = match calendar {
                PeriodKind::Month => date.month(),
                PeriodKind::Quarter => (date.month() - 1) / 3 * 3 + 1,
                _ => 1,
            };
            seconds(date.year(), month)
        }
    }
}

/// The start of the period after the one starting at `start`.
fn next_start(kind: PeriodKind, start: i64) -> i64 {
    let months = match kind {
        PeriodKind::Sprint { days, .. } => return start + i64::from(days.max(1)) * DAY,
        PeriodKind::Month => 1,
        PeriodKind::Quarter => 3,
        PeriodKind::Year => 12,
    };
    let date = civil(start);
    let index = i32::from(date.year()) * 12 + i32::from(date.month()) - 1 + months;
    seconds((index / 12) as i16, (index % 12 + 1) as i8)
}

fn label(kind: PeriodKind, start: i64) -> String {
    let date = civil(start);
    match kind {
        PeriodKind::Sprint { .. } => date.to_string(),
        PeriodKind::Month => format!("{:04}-{:02}", date.year(), date.month()),
        PeriodKind::Quarter => format!("{:04}-Q{}", date.year(), (date.month() - 1) / 3 + 1),
        PeriodKind::Year => format!("{:04}", date.year()),
    }
}

fn civil(time: i64) -> jiff::civil::Date {
    jiff::Timestamp::from_second(time)
        .map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).date())
        .unwrap_or_default()
}

fn seconds(year: i16, month: i8) -> i64 {
    jiff::civil::Date::new(year, month, 1)
        .ok()
        .and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC).ok())
        .map_or(0, |z| z.timestamp().as_second())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(date: &str) -> i64 {
        date.parse::<jiff::civil::Date>()
            .ok()
            .and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC).ok())
            .map_or(0, |z| z.timestamp().as_second())
    }

    #[test]
    fn sprints_count_from_their_start_both_ways() {
        // Sprints of 14 days from 2026-01-05 (a Monday); the window starts mid-sprint on
        // 2026-01-01, so the first sprint is the one from 2025-12-22, not complete.
        let kind = PeriodKind::Sprint {
            start: at("2026-01-05"),
            days: 14,
        };
        let p = split(kind, at("2026-01-01"), at("2026-02-02"), at("2026-01-25"));
        let labels: Vec<&str> = p.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(labels, ["2025-12-22", "2026-01-05", "2026-01-19"]);
        // Complete: inside the window and over by 2026-01-25. Only the second.
        let complete: Vec<bool> = p.iter().map(|p| p.complete).collect();
        assert_eq!(complete, [false, true, false]);
    }

    #[test]
    fn calendar_periods() {
        let (since, until) = (at("2026-01-01"), at("2026-07-01"));
        let months: Vec<String> = split(PeriodKind::Month, since, until, until)
            .into_iter()
            .map(|p| p.label)
            .collect();
        assert_eq!(
            months,
            [
                "2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"
            ]
        );
        let quarters = split(PeriodKind::Quarter, at("2025-11-15"), until, until);
        let labels: Vec<&str> = quarters.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(labels, ["2025-Q4", "2026-Q1", "2026-Q2"]);
        assert_eq!(quarters[1].start, at("2026-01-01"));
        assert_eq!(quarters[1].end, at("2026-04-01"));
        assert!(!quarters[0].complete && quarters[1].complete);
        let years = split(PeriodKind::Year, since, until, until);
        assert_eq!(years.len(), 1);
        assert_eq!(
            (years[0].label.as_str(), years[0].complete),
            ("2026", false)
        );
    }
}
