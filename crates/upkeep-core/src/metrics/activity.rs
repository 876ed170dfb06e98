//! Activity trend: contributors and contributions per calendar quarter (UTC)
//! of the window `[since, until)`, and the change against the same quarter a
//! year before (from all data, inside the window or not). Bots are left out.

use super::{Contribution, Definition, Metric, Window, quarter};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// One quarter.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Quarter {
    /// Like `2024-Q3`.
    pub quarter: String,
    /// Distinct contributors.
    pub contributors: u64,
    /// Contributions.
    pub contributions: u64,
    /// Change in contributors against the same quarter a year before, in percent.
    pub contributors_change_pct: Option<f64>,
    /// Change in contributions against the same quarter a year before, in percent.
    pub contributions_change_pct: Option<f64>,
}

/// The quarters of the window, oldest first.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Details {
    /// Per quarter.
    pub quarters: Vec<Quarter>,
}

/// Computes the trend; the headline value is the change in contributors of
/// the latest quarter that ends inside the window (a quarter still under way
/// would compare a part with a whole), in percent.
pub fn compute(contributions: &[Contribution], window: Window) -> Metric<Details> {
    let mut people: BTreeMap<(i32, u8), BTreeSet<&str>> = BTreeMap::new();
    let mut counts: BTreeMap<(i32, u8), u64> = BTreeMap::new();
    for c in contributions.iter().filter(|c| !c.bot) {
        let q = quarter(c.time);
        people.entry(q).or_default().insert(&c.person);
        *counts.entry(q).or_default() += 1;
    }
    let change = |now: u64, before: Option<u64>| match before {
        Some(b) if b > 0 => Some(((now as f64 - b as f64) / b as f64 * 1000.0).round() / 10.0),
        _ => None,
    };
    let (first, last) = (quarter(window.since), quarter(window.until - 1));
    let mut quarters = Vec::new();
    let mut q = first;
    while q <= last {
        let year_before = (q.0 - 1, q.1);
        let contributors = people.get(&q).map_or(0, |p| p.len() as u64);
        let count = counts.get(&q).copied().unwrap_or(0);
        quarters.push(Quarter {
            quarter: format!("{}-Q{}", q.0, q.1),
            contributors,
            contributions: count,
            contributors_change_pct: change(
                contributors,
                people.get(&year_before).map(|p| p.len() as u64),
            ),
            contributions_change_pct: change(count, counts.get(&year_before).copied()),
        });
        q = if q.1 == 4 {
            (q.0 + 1, 1)
        } else {
            (q.0, q.1 + 1)
        };
    }
    let complete = quarters_ending_by(window.until);
    let value = quarters
        .iter()
        .rev()
        .find(|q| complete.as_deref().is_some_and(|c| q.quarter.as_str() <= c))
        .and_then(|q| q.contributors_change_pct);
    Metric {
        value,
        reason: value.is_none().then(|| {
            "no complete quarter in the window with contributors a year before it".to_owned()
        }),
        details: Details { quarters },
        definition: Definition::over(
            "contributors and contributions per calendar quarter, and the change against the same quarter a year before",
            window,
            false,
        ),
    }
}

/// The latest quarter (`YYYY-Qn`) that ends at or before `until`.
fn quarters_ending_by(until: i64) -> Option<String> {
    let (year, q) = quarter(until - 1);
    let next_start_month = i8::try_from(q * 3 + 1).ok()?;
    let (end_year, end_month) = if next_start_month > 12 {
        (year + 1, 1)
    } else {
        (year, next_start_month)
    };
    let quarter_end = jiff::civil::date(i16::try_from(end_year).ok()?, end_month, 1)
        .to_zoned(jiff::tz::TimeZone::UTC)
        .ok()?
        .timestamp()
        .as_second();
    let (y, q) = if quarter_end <= until {
        (year, q)
    } else if q == 1 {
        (year - 1, 4)
    } else {
        (year, q - 1)
    };
    Some(format!("{y}-Q{q}"))
}

#[cfg(test)]
mod tests {
    use super::super::on as at;
    use super::*;

    #[test]
    fn quarters_and_year_over_year_change() {
        // 2023-Q1: alice, bob (3 commits). 2024-Q1: alice (1). 2024-Q2: nobody.
        let c = vec![
            at("alice", "2023-01-10"),
            at("bob", "2023-02-10"),
            at("bob", "2023-03-31"),
            at("alice", "2024-03-01"),
        ];
        let since = at("x", "2024-01-01").time;
        let until = at("x", "2024-07-01").time;
        let m = compute(&c, Window { since, until });
        type Row<'a> = (&'a str, u64, u64, Option<f64>, Option<f64>);
        let q: Vec<Row<'_>> = m
            .details
            .quarters
            .iter()
            .map(|q| {
                (
                    q.quarter.as_str(),
                    q.contributors,
                    q.contributions,
                    q.contributors_change_pct,
                    q.contributions_change_pct,
                )
            })
            .collect();
        // Q1: 1 contributor vs 2 → −50%; 1 contribution vs 3 → −66.7%. Q2: no data a year before.
        assert_eq!(
            q,
            vec![
                ("2024-Q1", 1, 1, Some(-50.0), Some(-66.7)),
                ("2024-Q2", 0, 0, None, None),
            ]
        );
        // The window ends at 2024-07-01: Q2 is complete and has no year-earlier data.
        assert_eq!(m.value, None);
        assert!(m.reason.is_some());
        // Ending mid-Q2, the headline is Q1's −50%.
        let mid = compute(
            &c,
            Window {
                since,
                until: at("x", "2024-05-15").time,
            },
        );
        assert_eq!(mid.value, Some(-50.0));
    }
}
