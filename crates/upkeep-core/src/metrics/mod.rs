//! Metrics: pure functions from contributions, people and a window to plain,
//! serializable results. No I/O and no clock: "now" is a parameter. Every
//! result says what it is (`value`, or `null` with a `reason`), what it is
//! made of (`details`) and how it was computed (`definition`), so a number
//! can always be explained. Ties are broken the same way every time: count
//! descending, then key.

pub mod account_kinds;
pub mod activity;
pub mod adoption;
pub mod bus_factor;
pub mod conflicts;
pub mod contributors;
pub mod departures;
pub mod elephant_factor;
pub mod file_kinds;
pub mod first_response;
#[cfg(test)]
pub(crate) mod fixtures;
pub mod forge_inputs;
pub mod funnel;
pub mod git_inputs;
pub mod issue_triage;
pub mod items;
pub mod journey;
pub mod lifecycle;
pub mod load;
pub mod mailing_lists;
pub mod maintainers;
pub mod non_maintainer_prs;
pub mod org_exits;
pub mod organizations;
pub mod releases;
pub mod replacement_cost;
pub mod report;
pub mod reviews;
pub mod security_response;
pub mod series;
pub mod side_by_side;
pub mod time_zones;
pub mod truck_factor;

use serde::Serialize;
use std::collections::BTreeMap;

/// A half-open time window `[since, until)`, in seconds since the Unix epoch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Window {
    /// First second inside the window.
    pub since: i64,
    /// First second after the window.
    pub until: i64,
}

impl Window {
    /// Whether `time` (seconds since the epoch) falls inside the window.
    pub fn contains(&self, time: i64) -> bool {
        self.since <= time && time < self.until
    }
}

/// One contribution: in git-only mode, a non-merge commit authored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contribution {
    /// The person's key (see `identities::people::Person::key`).
    pub person: String,
    /// The organization credited on that day, if known.
    pub organization: Option<String>,
    /// When, in seconds since the epoch.
    pub time: i64,
    /// The author's UTC offset in minutes.
    pub offset_minutes: i32,
    /// Whether the person is a bot.
    pub bot: bool,
}

/// How a metric was computed: its rule in words and its parameters.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Definition {
    /// The rule, as DESIGN.md states it.
    pub rule: &'static str,
    /// Threshold, window, whether bots count, and anything else it used.
    pub parameters: BTreeMap<&'static str, serde_json::Value>,
}

impl Definition {
    /// A definition over `window`, recording its bounds and whether bots count.
    pub fn over(rule: &'static str, window: Window, bots_included: bool) -> Self {
        Definition {
            rule,
            parameters: [
                ("since", serde_json::json!(window.since)),
                ("until", serde_json::json!(window.until)),
                ("bots_included", serde_json::json!(bots_included)),
            ]
            .into_iter()
            .collect(),
        }
    }

    /// Adds a parameter.
    pub fn with(mut self, name: &'static str, value: serde_json::Value) -> Self {
        self.parameters.insert(name, value);
        self
    }
}

/// A metric's result: the headline value (a number, or for a state its
/// name) or why there is none, the details, and the definition.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Metric<D, V = f64> {
    /// The headline value; `None` when it cannot be computed.
    pub value: Option<V>,
    /// Why there is no value.
    pub reason: Option<String>,
    /// What the value is made of.
    pub details: D,
    /// How it was computed.
    pub definition: Definition,
}

/// The contributions inside `window`, bots only if `include_bots`.
pub(crate) fn counted(
    contributions: &[Contribution],
    window: Window,
    include_bots: bool,
) -> Vec<&Contribution> {
    contributions
        .iter()
        .filter(|c| window.contains(c.time) && (include_bots || !c.bot))
        .collect()
}

/// Counts per key, sorted by count descending, then key.
pub(crate) fn ranked<'a>(keys: impl Iterator<Item = &'a str>) -> Vec<(String, u64)> {
    let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
    for key in keys {
        *counts.entry(key).or_default() += 1;
    }
    let mut out: Vec<(String, u64)> = counts.into_iter().map(|(k, n)| (k.to_owned(), n)).collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out
}

/// The smallest number of leading entries of `ranked` whose counts reach `threshold` of the total.
pub(crate) fn cover(ranked: &[(String, u64)], threshold: f64) -> usize {
    let total: u64 = ranked.iter().map(|(_, n)| n).sum();
    let mut sum = 0;
    for (i, (_, n)) in ranked.iter().enumerate() {
        sum += n;
        if sum as f64 >= threshold * total as f64 {
            return i + 1;
        }
    }
    ranked.len()
}

/// Test helper: a contribution by `person` at 00:00 UTC of `date` (YYYY-MM-DD).
#[cfg(test)]
pub(crate) fn on(person: &str, date: &str) -> Contribution {
    let time = date
        .parse::<jiff::civil::Date>()
        .ok()
        .and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC).ok())
        .map_or(0, |z| z.timestamp().as_second());
    Contribution {
        person: person.into(),
        organization: None,
        time,
        offset_minutes: 0,
        bot: false,
    }
}

/// A UTC instant as its day (`YYYY-MM-DD`).
pub(crate) fn day(time: i64) -> String {
    crate::identities::Day::from_unix_seconds(time)
        .map(|d| d.to_string())
        .unwrap_or_default()
}

/// The calendar quarter (year, 1–4) of a UTC instant.
pub(crate) fn quarter(time: i64) -> (i32, u8) {
    let date = jiff::Timestamp::from_second(time)
        .map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).date())
        .unwrap_or_default();
    (i32::from(date.year()), (date.month() as u8 - 1) / 3 + 1)
}

/// The first second of quarter `q` (1–4) of `year`, UTC.
pub(crate) fn quarter_start(year: i32, q: u8) -> Option<i64> {
    let (year, q) = (i16::try_from(year).ok()?, i8::try_from(q).ok()?);
    let date = jiff::civil::Date::new(year, (q - 1) * 3 + 1, 1).ok()?;
    Some(
        date.to_zoned(jiff::tz::TimeZone::UTC)
            .ok()?
            .timestamp()
            .as_second(),
    )
}

/// The `n` calendar quarters up to the one holding the last second before
/// `until`, oldest first, each labelled `2026-Q3`; the last ends at `until`.
pub fn quarters_to(until: i64, n: usize) -> Vec<(String, Window)> {
    let (mut year, mut q) = quarter(until - 1);
    let mut out = Vec::new();
    let mut end = until;
    while out.len() < n {
        let Some(since) = quarter_start(year, q) else {
            break;
        };
        out.push((format!("{year}-Q{q}"), Window { since, until: end }));
        end = since;
        (year, q) = if q == 1 { (year - 1, 4) } else { (year, q - 1) };
    }
    out.reverse();
    out
}
