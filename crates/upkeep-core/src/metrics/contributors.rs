//! Contributors per quarter of the window `[since, until)`: active (made a
//! contribution in the quarter), new (their first contribution ever),
//! returning (active, and contributed before the quarter), regular (active,
//! and active in 3 or more distinct months of the 12 months ending with the
//! quarter); and, for the window, inactive: people active before the last 6
//! months of the window and not in them. Bots are left out.

use super::{Contribution, Definition, Metric, Window, quarter};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Six months, in seconds (183 days).
pub const RECENT: i64 = 183 * 86_400;

/// One quarter's counts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Quarter {
    /// Like `2024-Q3`.
    pub quarter: String,
    /// Contributed in the quarter.
    pub active: u64,
    /// First contribution ever in the quarter.
    pub new: u64,
    /// Active and contributed before the quarter.
    pub returning: u64,
    /// Active, and active in 3+ distinct months of the 12 months ending with the quarter.
    pub regular: u64,
    /// Active in the quarter before, not in this one.
    pub lost: u64,
}

/// Contributors over the window.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Details {
    /// Per quarter, oldest first.
    pub quarters: Vec<Quarter>,
    /// Active in the window before its last 6 months, and not in them.
    pub inactive: u64,
    /// Bots active in the window (counted apart, never as contributors).
    pub bots: u64,
    /// Their contributions in the window.
    pub bot_contributions: u64,
}

/// A month index (year × 12 + month − 1) of a UTC instant.
pub(crate) fn month(time: i64) -> i32 {
    let date = jiff::Timestamp::from_second(time)
        .map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).date())
        .unwrap_or_default();
    i32::from(date.year()) * 12 + i32::from(date.month()) - 1
}

/// Computes the contributor counts; the headline value is the number active in the window.
pub fn compute(contributions: &[Contribution], window: Window) -> Metric<Details> {
    let humans: Vec<&Contribution> = contributions.iter().filter(|c| !c.bot).collect();
    let mut months: BTreeMap<&str, BTreeSet<i32>> = BTreeMap::new();
    for c in &humans {
        months.entry(&c.person).or_default().insert(month(c.time));
    }
    let (first_q, last_q) = (quarter(window.since), quarter(window.until - 1));
    let mut quarters = Vec::new();
    let mut q = first_q;
    while q <= last_q {
        let start = q.0 * 12 + i32::from(q.1 - 1) * 3;
        let end = start + 3; // first month after the quarter
        let (mut active, mut new, mut returning, mut regular, mut lost) = (0, 0, 0, 0, 0);
        for person_months in months.values() {
            if !person_months.range(start..end).any(|_| true) {
                lost += u64::from(person_months.range(start - 3..start).next().is_some());
                continue;
            }
            active += 1;
            if person_months.range(..start).next().is_some() {
                returning += 1;
            } else {
                new += 1;
            }
            if person_months.range(end - 12..end).count() >= 3 {
                regular += 1;
            }
        }
        quarters.push(Quarter {
            quarter: format!("{}-Q{}", q.0, q.1),
            active,
            new,
            returning,
            regular,
            lost,
        });
        q = if q.1 == 4 {
            (q.0 + 1, 1)
        } else {
            (q.0, q.1 + 1)
        };
    }
    let recent_from = window.until - RECENT;
    let mut before: BTreeSet<&str> = BTreeSet::new();
    let mut recent: BTreeSet<&str> = BTreeSet::new();
    let mut in_window: BTreeSet<&str> = BTreeSet::new();
    for c in humans.iter().filter(|c| window.contains(c.time)) {
        in_window.insert(&c.person);
        if c.time < recent_from {
            before.insert(&c.person);
        } else {
            recent.insert(&c.person);
        }
    }
    let inactive = before.difference(&recent).count() as u64;
    let any = !in_window.is_empty();
    Metric {
        value: any.then_some(in_window.len() as f64),
        reason: (!any).then(|| "no contributors in the window".to_owned()),
        details: Details {
            quarters,
            inactive,
            bots: contributions
                .iter()
                .filter(|c| c.bot && window.contains(c.time))
                .map(|c| c.person.as_str())
                .collect::<BTreeSet<_>>()
                .len() as u64,
            bot_contributions: contributions.iter().filter(|c| c.bot && window.contains(c.time)).count() as u64,
        },
        definition: Definition::over(
            "per quarter: active, new (first contribution ever), returning (contributed before), regular (3+ distinct months in the 12 months ending with the quarter), lost (active the quarter before, not in it); inactive: active before the window's last 6 months and not in them",
            window,
            false,
        )
        .with("regular_months", serde_json::json!(3))
        .with("inactive_after_days", serde_json::json!(183)),
    }
}

#[cfg(test)]
mod tests {
    use super::super::on;
    use super::*;

    #[test]
    fn active_new_returning_regular_inactive() {
        // ann: 2023-11, 2024-01, 2024-02 → in 2024-Q1 returning and regular (3 months in Feb 2023–Jan… 12 months).
        // ben: first ever 2024-02 → new in Q1. cat: 2024-01 only, then nothing → inactive by 2024-12-31.
        // dan: 2024-11 → new in Q4.
        let c = vec![
            on("ann", "2023-11-05"),
            on("ann", "2024-01-10"),
            on("ann", "2024-02-10"),
            on("ben", "2024-02-20"),
            on("cat", "2024-01-15"),
            on("dan", "2024-11-01"),
        ];
        let since = on("x", "2024-01-01").time;
        let until = on("x", "2025-01-01").time;
        let m = compute(&c, Window { since, until });
        assert_eq!(m.value, Some(4.0));
        let q1 = &m.details.quarters[0];
        assert_eq!((q1.active, q1.new, q1.returning, q1.regular), (3, 2, 1, 1));
        let q4 = &m.details.quarters[3];
        assert_eq!((q4.active, q4.new, q4.returning, q4.regular), (1, 1, 0, 0));
        // The last 6 months start 2024-07-01 (183 days before 2025-01-01): ann, ben and cat stopped before.
        assert_eq!(m.details.inactive, 3);
        assert_eq!((m.details.bots, m.details.bot_contributions), (0, 0));
        let mut with_bot = c.clone();
        with_bot.push(Contribution {
            bot: true,
            ..on("renovate[bot]", "2024-05-01")
        });
        let m = compute(&with_bot, Window { since, until });
        assert_eq!(m.value, Some(4.0), "bots are not contributors");
        assert_eq!((m.details.bots, m.details.bot_contributions), (1, 1));
        assert_eq!(compute(&[], Window { since, until }).value, None);
    }
}
