//! Contributor funnel: each person's first contribution puts them in the
//! cohort of that year; of each cohort, how many returned (contributed again
//! in a later calendar month), became regular (active in 3 or more distinct
//! months of some 12-month span) and became maintainers, with conversion
//! rates. Cohorts whose year overlaps the window `[since, until)` are shown.
//! With forge data, opening an issue or a pull request, reviewing and
//! commenting are contributions too; each kind is also counted on its own
//! (contributors and newcomers in the window). Bots are left out.

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

/// One kind of contribution in the window.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Kind {
    /// `commit`, `pull_request`, `issue`, `review` or `comment`.
    pub kind: &'static str,
    /// Contributions of this kind in the window.
    pub contributions: u64,
    /// Distinct people who made them.
    pub contributors: u64,
    /// Of them, people whose first contribution of this kind is in the window.
    pub newcomers: u64,
}

/// The cohorts, and the contributions by kind.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Details {
    /// Oldest first.
    pub cohorts: Vec<Cohort>,
    /// Per kind of contribution, in the order commit, pull request, issue, review, comment; kinds never seen are left out.
    pub kinds: Vec<Kind>,
}

/// A contribution of a kind other than a commit (those are [`Contribution`]s).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Other {
    /// `pull_request`, `issue`, `review`, `comment` or `list_post`.
    pub kind: &'static str,
    /// The person's key.
    pub person: String,
    /// When, seconds since the epoch.
    pub time: i64,
    /// Whether the person is a bot.
    pub bot: bool,
}

/// The kinds of contribution, in the order shown.
pub const KINDS: [&str; 6] = [
    "commit",
    "pull_request",
    "issue",
    "review",
    "comment",
    "list_post",
];

/// Computes the funnel over commits (`contributions`) and `others`;
/// `maintainers` are everyone who was ever a maintainer. The headline value
/// is the returning rate of all shown cohorts together.
pub fn compute(
    contributions: &[Contribution],
    others: &[Other],
    maintainers: &BTreeSet<String>,
    window: Window,
) -> Metric<Details> {
    let all: Vec<(&'static str, &str, i64)> = contributions
        .iter()
        .filter(|c| !c.bot)
        .map(|c| ("commit", c.person.as_str(), c.time))
        .chain(
            others
                .iter()
                .filter(|o| !o.bot)
                .map(|o| (o.kind, o.person.as_str(), o.time)),
        )
        .collect();
    let mut months: BTreeMap<&str, BTreeSet<i32>> = BTreeMap::new();
    for (_, person, time) in &all {
        months.entry(person).or_default().insert(month(*time));
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
            kinds: kinds(&all, window),
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
            "cohorts by year of first contribution (commit, or with forge data also a pull request, issue, review or comment); returning = contributed again in a later calendar month; regular = active in 3+ distinct months of a 12-month span; maintainer as in `maintainers`",
            window,
            false,
        ),
    }
}

/// Contributions, contributors and newcomers per kind.
fn kinds(all: &[(&'static str, &str, i64)], window: Window) -> Vec<Kind> {
    KINDS
        .iter()
        .filter(|kind| all.iter().any(|(k, _, _)| k == *kind))
        .map(|&kind| {
            let mut first: BTreeMap<&str, i64> = BTreeMap::new();
            let mut inside: BTreeSet<&str> = BTreeSet::new();
            let mut contributions = 0;
            for &(_, person, time) in all.iter().filter(|(k, _, _)| *k == kind) {
                let f = first.entry(person).or_insert(time);
                *f = (*f).min(time);
                if window.contains(time) {
                    contributions += 1;
                    inside.insert(person);
                }
            }
            Kind {
                kind,
                contributions,
                contributors: inside.len() as u64,
                newcomers: inside
                    .iter()
                    .filter(|p| first.get(*p).is_some_and(|&t| window.contains(t)))
                    .count() as u64,
            }
        })
        .collect()
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
        // ben comes back in November through a review; eve's first contribution is an issue.
        let other = |kind, person: &str, date| Other {
            kind,
            person: person.into(),
            time: on("x", date).time,
            bot: false,
        };
        let others = vec![
            other("review", "ben", "2024-11-05"),
            other("issue", "eve", "2024-08-01"),
            other("issue", "dan", "2023-03-01"),
            other("issue", "dan", "2024-04-01"),
        ];
        let m = compute(
            &c,
            &others,
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
            (2024, 4, 3, 1, 1)
        );
        assert_eq!(m.details.cohorts.len(), 1);
        // 3 of 4 returned (ann, ben through his review, cat); eve did not.
        assert_eq!(m.value, Some(0.75));
        let kinds: Vec<(&str, u64, u64, u64)> = m
            .details
            .kinds
            .iter()
            .map(|k| (k.kind, k.contributions, k.contributors, k.newcomers))
            .collect();
        // Commits: 6 in 2024 by ann, ben, cat, all first in 2024. Issues: eve's and dan's
        // 2024 issues; dan opened one in 2023 already.
        assert_eq!(
            kinds,
            vec![("commit", 6, 3, 3), ("issue", 2, 2, 1), ("review", 1, 1, 1)]
        );
    }
}
