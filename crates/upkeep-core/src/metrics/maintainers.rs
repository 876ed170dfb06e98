//! Maintainers at a date: people who, in the 12 months before it, committed
//! or merged someone else's work (committer ≠ author, the committer of a
//! merge commit, or who merged a pull request on the forge), or opened or
//! answered an item with write access as the forge says, and people named in CODEOWNERS, MAINTAINERS or OWNERS (at the
//! tip, so they count at every date). Counted at the end of the window
//! `[since, until)` and at the end of each year; new maintainers per year are
//! those who first became one in that year. Bots are never maintainers.

use super::{Definition, Metric, Window};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// A year, in seconds (365 days), the look-back of the behavioural rule.
pub const LOOKBACK: i64 = 365 * 86_400;

/// Evidence that someone maintains: they landed work.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Landed {
    /// The committer's (or merger's) key.
    pub person: String,
    /// When, seconds since the epoch.
    pub time: i64,
    /// Whether they are a bot.
    pub bot: bool,
    /// Whether this was a merge commit (else a commit of someone else's work).
    pub merge: bool,
    /// Their organization on that day, if known.
    pub organization: Option<String>,
}

/// Maintainers now and over time.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Details {
    /// Maintainers at the end of the window, by key.
    pub maintainers: Vec<String>,
    /// Of them, named in governance files.
    pub named: Vec<String>,
    /// Maintainer count at the end of each calendar year with data (`YYYY` → count).
    pub count_by_year: BTreeMap<i32, u64>,
    /// People who first became maintainers in each year (`YYYY` → count).
    pub new_by_year: BTreeMap<i32, u64>,
}

/// Who is a maintainer when, for many questions at many dates.
#[derive(Clone, Debug)]
pub struct Index<'a> {
    named: &'a BTreeSet<String>,
    times: BTreeMap<&'a str, Vec<i64>>,
}

impl<'a> Index<'a> {
    /// An index of `landed` and `named`.
    pub fn new(landed: &'a [Landed], named: &'a BTreeSet<String>) -> Self {
        let mut times: BTreeMap<&str, Vec<i64>> = BTreeMap::new();
        for l in landed.iter().filter(|l| !l.bot) {
            times.entry(&l.person).or_default().push(l.time);
        }
        for t in times.values_mut() {
            t.sort_unstable();
        }
        Index { named, times }
    }

    /// Whether `person` is a maintainer at `at` (the same rule as [`at`]).
    pub fn is(&self, person: &str, at: i64) -> bool {
        self.named.contains(person)
            || self.times.get(person).is_some_and(|t| {
                let i = t.partition_point(|&x| x < at - LOOKBACK);
                t.get(i).is_some_and(|&x| x < at)
            })
    }
}

/// The people who are maintainers at `at`.
pub fn at(landed: &[Landed], named: &BTreeSet<String>, at: i64) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = named.clone();
    out.extend(
        landed
            .iter()
            .filter(|l| !l.bot && l.time < at && l.time >= at - LOOKBACK)
            .map(|l| l.person.clone()),
    );
    out
}

/// Computes the maintainers; the headline value is their number at the end of the window.
pub fn compute(landed: &[Landed], named: &BTreeSet<String>, window: Window) -> Metric<Details> {
    let now = at(landed, named, window.until);
    let mut first_year: BTreeMap<&str, i32> = BTreeMap::new();
    let mut sorted: Vec<&Landed> = landed.iter().filter(|l| !l.bot).collect();
    sorted.sort_by_key(|l| l.time);
    for l in &sorted {
        first_year
            .entry(&l.person)
            .or_insert_with(|| super::quarter(l.time).0);
    }
    let mut new_by_year: BTreeMap<i32, u64> = BTreeMap::new();
    for year in first_year.values() {
        *new_by_year.entry(*year).or_default() += 1;
    }
    let mut count_by_year = BTreeMap::new();
    if let (Some(first), Some(last)) = (sorted.first(), sorted.last()) {
        for year in super::quarter(first.time).0..=super::quarter(last.time).0 {
            let end = jiff::civil::date(i16::try_from(year + 1).unwrap_or(i16::MAX), 1, 1)
                .to_zoned(jiff::tz::TimeZone::UTC)
                .map_or(i64::MAX, |z| z.timestamp().as_second());
            count_by_year.insert(year, at(landed, named, end).len() as u64);
        }
    }
    let any = !now.is_empty();
    Metric {
        value: any.then_some(now.len() as f64),
        reason: (!any).then(|| "nobody landed others' work in the 12 months before the end of the window, and no governance file names anyone".to_owned()),
        details: Details {
            named: now.iter().filter(|p| named.contains(*p)).cloned().collect(),
            maintainers: now.into_iter().collect(),
            count_by_year,
            new_by_year,
        },
        definition: Definition {
            rule: "people who in the 12 months before the date committed or merged someone else's work (merge commits, committer ≠ author, pull requests merged), or acted with write access on the forge, or are named in CODEOWNERS/MAINTAINERS/OWNERS",
            parameters: [
                ("lookback_days", serde_json::json!(365)),
                ("at", serde_json::json!(window.until)),
                ("bots_included", serde_json::json!(false)),
            ]
            .into_iter()
            .collect(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400;

    fn landed(person: &str, day: i64) -> Landed {
        Landed {
            person: person.into(),
            time: day * DAY,
            bot: person.ends_with("[bot]"),
            merge: false,
            organization: None,
        }
    }

    #[test]
    fn twelve_month_lookback_and_named_people() {
        // carol landed work on day 10 (1970) and day 400 (1971); dave on day 100 (1970); the bot never counts.
        // At day 450: the look-back covers days 85–449 → carol (400) and dave (100); plus erin, named.
        // At day 470: dave's day 100 is 370 days ago → out.
        let l = vec![
            landed("carol", 10),
            landed("dave", 100),
            landed("carol", 400),
            landed("merge[bot]", 420),
        ];
        let named: BTreeSet<String> = ["erin".to_owned()].into_iter().collect();
        let m = compute(
            &l,
            &named,
            Window {
                since: 0,
                until: 450 * DAY,
            },
        );
        assert_eq!(m.value, Some(3.0));
        assert_eq!(m.details.maintainers, vec!["carol", "dave", "erin"]);
        assert_eq!(m.details.named, vec!["erin"]);
        assert_eq!(at(&l, &named, 470 * DAY).len(), 2);
        let index = Index::new(&l, &named);
        assert!(index.is("dave", 450 * DAY));
        assert!(!index.is("dave", 470 * DAY));
        assert!(!index.is("dave", 100 * DAY), "not before landing anything");
        assert!(index.is("erin", 0));
        assert!(!index.is("merge[bot]", 421 * DAY));
        // First landed: carol and dave in 1970. End of 1970 (day 365): carol, dave, erin.
        // End of 1971 (day 730): carol (day 400), erin.
        assert_eq!(m.details.new_by_year, [(1970, 2)].into_iter().collect());
        assert_eq!(
            m.details.count_by_year,
            [(1970, 3), (1971, 2)].into_iter().collect()
        );
        let none = compute(
            &[],
            &BTreeSet::new(),
            Window {
                since: 0,
                until: 10,
            },
        );
        assert_eq!(none.value, None);
    }
}
