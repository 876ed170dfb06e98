//! Contributor funnel: each person's first contribution puts them in the
//! cohort of that year; of each cohort, how many returned (contributed again
//! in a later calendar month), became regular (active in 3 or more distinct
//! months of some 12-month span) and became maintainers, with conversion
//! rates. Cohorts whose year overlaps the window `[since, until)` are shown.
//! Bots are left out.

use super::contributors::month;
use super::{Contribution, Definition, Metric, Window, quarter};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// One cohort.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Cohort {
    /// The year of their first contribution.
    pub year: i32,
    /// People in it.
    pub people: u64,
    /// Of them, contributed again in a later month.
    pub returning: u64,
    /// Of them, active in 3+ distinct months of some 12-month span.
    pub regular: u64,
    /// Of them, maintainers at some point.
    pub maintainers: u64,
    /// returning / people.
    pub returning_rate: f64,
    /// regular / people.
    pub regular_rate: f64,
    /// maintainers / people.
    pub maintainer_rate: f64,
}

/// The cohorts.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Details {
    /// Oldest first.
    pub cohorts: Vec<Cohort>,
}

/// Computes the funnel; `maintainers` are everyone who was ever a maintainer.
/// The headline value is the returning rate of all shown cohorts together.
pub fn compute(
    contributions: &[Contribution],
    maintainers: &BTreeSet<String>,
    window: Window,
) -> Metric<Details> {
    let mut months: BTreeMap<&str, BTreeSet<i32>> = BTreeMap::new();
    for c in contributions.iter().filter(|c| !c.bot) {
        months.entry(&c.person).or_default().insert(month(c.time));
    }
    let (from, to) = (quarter(window.since).0, quarter(window.until - 1).0);
    let mut cohorts: BTreeMap<i32, (u64, u64, u64, u64)> = BTreeMap::new();
    for (person, ms) in &months {
        let Some(&first) = ms.iter().next() else {
            continue;
        };
        let year = first.div_euclid(12);
        if year < from || year > to {
            continue;
        }
        let e = cohorts.entry(year).or_default();
        e.0 += 1;
        if ms.len() > 1 {
            e.1 += 1;
        }
        if ms.iter().any(|&m| ms.range(m..m + 12).count() >= 3) {
            e.2 += 1;
        }
        if maintainers.contains(*person) {
            e.3 += 1;
        }
    }
    let rate = |n: u64, d: u64| if d == 0 { 0.0 } else { n as f64 / d as f64 };
    let (people, returning): (u64, u64) = cohorts
        .values()
        .fold((0, 0), |acc, c| (acc.0 + c.0, acc.1 + c.1));
    Metric {
        value: (people > 0).then(|| rate(returning, people)),
        reason: (people == 0)
            .then(|| "nobody made a first contribution in the window's years".to_owned()),
        details: Details {
            cohorts: cohorts
                .into_iter()
                .map(|(year, (n, r, g, m))| Cohort {
                    year,
                    people: n,
                    returning: r,
                    regular: g,
                    maintainers: m,
                    returning_rate: rate(r, n),
                    regular_rate: rate(g, n),
                    maintainer_rate: rate(m, n),
                })
                .collect(),
        },
        definition: Definition::over(
            "cohorts by year of first contribution; returning = contributed again in a later calendar month; regular = active in 3+ distinct months of a 12-month span; maintainer as in `maintainers`",
            window,
            false,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::super::on;
    use super::*;

    #[test]
    fn cohorts_and_conversion() {
        // 2024 cohort: ann (Jan, Mar, May → returning, regular, maintainer), ben (Feb only), cat (Jun, Jul → returning).
        // dan started in 2023 and is outside the shown years.
        let c = vec![
            on("ann", "2024-01-05"),
            on("ann", "2024-03-05"),
            on("ann", "2024-05-05"),
            on("ben", "2024-02-05"),
            on("cat", "2024-06-05"),
            on("cat", "2024-07-05"),
            on("dan", "2023-06-05"),
        ];
        let maintainers: BTreeSet<String> = ["ann".to_owned()].into_iter().collect();
        let m = compute(
            &c,
            &maintainers,
            Window {
                since: on("x", "2024-01-01").time,
                until: on("x", "2025-01-01").time,
            },
        );
        let cohort = &m.details.cohorts[0];
        assert_eq!(
            (
                cohort.year,
                cohort.people,
                cohort.returning,
                cohort.regular,
                cohort.maintainers
            ),
            (2024, 3, 2, 1, 1)
        );
        assert_eq!(m.details.cohorts.len(), 1);
        // 2 of 3 returned.
        assert!((m.value.unwrap_or_default() - 2.0 / 3.0).abs() < 1e-12);
    }
}
