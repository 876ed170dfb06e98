//! Maintainers arriving and leaving (DESIGN.md): a maintainer who was
//! active and then did nothing for six months has left, on the date of
//! their last act; the days since the last new maintainer; arrivals and
//! departures per year; the roster audit (people governance files name who
//! did nothing in the window, people acting as maintainers whom no file
//! names); and whether the project is volunteer-maintained (every active
//! maintainer of unknown, free-mail or independent affiliation). The value
//! is the number of maintainers who left in the window.

use super::maintainers::Landed;
use super::{Definition, Metric, Window, day, quarter};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

const DAY: i64 = 86_400;
/// Idle this long after their last act, a maintainer has left.
pub const IDLE_DAYS: i64 = 182;

/// A maintainer who left.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Left {
    /// Their key.
    pub key: String,
    /// Their last act (YYYY-MM-DD).
    pub last_act: String,
}

/// Who came and went.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Details {
    /// Maintainers who left in the window (their six idle months ended in it).
    pub left: Vec<Left>,
    /// Days from the newest maintainer's first maintainer act to the window's end.
    pub days_since_last_new_maintainer: Option<f64>,
    /// Maintainers who first acted as one, per year.
    pub arrivals_by_year: BTreeMap<i32, u64>,
    /// Maintainers who left, per year (the year their idle months ended).
    pub departures_by_year: BTreeMap<i32, u64>,
    /// People governance files name who did nothing in the window.
    pub listed_idle: Vec<String>,
    /// People acting as maintainers at the window's end whom no file names
    /// (only when files name someone).
    pub acting_unlisted: Vec<String>,
    /// Whether every active maintainer (one at the window's end who acted
    /// in it) is of unknown, free-mail or independent affiliation.
    pub volunteer_maintained: bool,
}

/// What departures are computed from.
pub struct Inputs<'a> {
    /// Maintainer evidence: work landed, acts with write access.
    pub evidence: &'a [Landed],
    /// Every act of every person (commits, reviews, acts on issues and pull
    /// requests, list posts): (key, time), bots left out.
    pub acts: &'a [(String, i64)],
    /// People named in governance files.
    pub named: &'a BTreeSet<String>,
    /// Maintainers at the window's end.
    pub maintainers: &'a [String],
    /// The organization of a person at the window's end, if known.
    pub organization_of: &'a dyn Fn(&str) -> Option<String>,
    /// The window.
    pub window: Window,
}

const RULE: &str = "a maintainer (someone who landed others' work or acted with write access) who did nothing (no commit, review, act on an issue or pull request, or list post) for 182 days after their last act has left on that date; counted in the window when those days ended in it; roster audit against CODEOWNERS/MAINTAINERS/OWNERS/GOVERNANCE; volunteer-maintained when every active maintainer's organization is unknown, free-mail or independent";

/// Departures over `inputs.window`.
pub fn compute(inputs: &Inputs<'_>) -> Metric<Details> {
    let w = inputs.window;
    let mut last: BTreeMap<&str, i64> = BTreeMap::new();
    for (key, t) in inputs.acts.iter().filter(|(_, t)| *t < w.until) {
        let e = last.entry(key.as_str()).or_insert(*t);
        *e = (*e).max(*t);
    }
    let mut first_as_maintainer: BTreeMap<&str, i64> = BTreeMap::new();
    for l in inputs
        .evidence
        .iter()
        .filter(|l| !l.bot && l.time < w.until)
    {
        let e = first_as_maintainer
            .entry(l.person.as_str())
            .or_insert(l.time);
        *e = (*e).min(l.time);
        let e = last.entry(l.person.as_str()).or_insert(l.time);
        *e = (*e).max(l.time);
    }
    let mut details = Details::default();
    for (person, first) in &first_as_maintainer {
        *details
            .arrivals_by_year
            .entry(quarter(*first).0)
            .or_default() += 1;
        let gone = last[person] + IDLE_DAYS * DAY;
        if gone >= w.until {
            continue;
        }
        *details
            .departures_by_year
            .entry(quarter(gone).0)
            .or_default() += 1;
        if w.contains(gone) {
            details.left.push(Left {
                key: (*person).to_owned(),
                last_act: day(last[person]),
            });
        }
    }
    details.days_since_last_new_maintainer = first_as_maintainer
        .values()
        .max()
        .map(|t| ((w.until - t) as f64 / DAY as f64 * 10.0).round() / 10.0);
    details.listed_idle = inputs
        .named
        .iter()
        .filter(|p| last.get(p.as_str()).is_none_or(|t| *t < w.since))
        .cloned()
        .collect();
    if !inputs.named.is_empty() {
        details.acting_unlisted = inputs
            .maintainers
            .iter()
            .filter(|p| !inputs.named.contains(*p))
            .cloned()
            .collect();
    }
    // Active: a maintainer at the end who acted in the window.
    let active: Vec<&String> = inputs
        .maintainers
        .iter()
        .filter(|p| last.get(p.as_str()).is_some_and(|t| w.contains(*t)))
        .collect();
    details.volunteer_maintained = !active.is_empty()
        && active.iter().all(|p| {
            (inputs.organization_of)(p).is_none_or(|o| o.eq_ignore_ascii_case("independent"))
        });
    Metric {
        value: Some(details.left.len() as f64),
        reason: None,
        details,
        definition: Definition::over(RULE, w, false)
            .with("idle_days", serde_json::json!(IDLE_DAYS)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::on;

    fn landed(person: &str, date: &str) -> Landed {
        Landed {
            person: person.into(),
            time: on(person, date).time,
            bot: false,
            merge: true,
            organization: None,
        }
    }

    #[test]
    fn a_maintainer_leaving_one_listed_but_idle_and_one_acting_unlisted() {
        // ann lands work until 2025-02-01 and does nothing after: 182 days
        // later (2025-08-02) she has left, inside the 2025 window. bob lands
        // work through the year; carl (named in MAINTAINERS) did nothing in
        // 2025; dan became a maintainer on 2025-06-01 and commented in October.
        let evidence = [
            landed("ann", "2024-01-10"),
            landed("ann", "2025-02-01"),
            landed("bob", "2023-05-01"),
            landed("bob", "2025-11-01"),
            landed("dan", "2025-06-01"),
        ];
        let acts = vec![
            ("ann".to_owned(), on("ann", "2025-01-15").time),
            ("carl".to_owned(), on("carl", "2024-03-01").time),
            ("dan".to_owned(), on("dan", "2025-10-01").time),
        ];
        let named: BTreeSet<String> = ["bob".into(), "carl".into()].into();
        let maintainers = ["bob".to_owned(), "carl".to_owned(), "dan".to_owned()];
        let org = |p: &str| (p == "bob").then(|| "ACME".to_owned());
        let m = compute(&Inputs {
            evidence: &evidence,
            acts: &acts,
            named: &named,
            maintainers: &maintainers,
            organization_of: &org,
            window: Window {
                since: on("x", "2025-01-01").time,
                until: on("x", "2026-01-01").time,
            },
        });
        assert_eq!(m.value, Some(1.0));
        assert_eq!(
            m.details.left,
            [Left {
                key: "ann".into(),
                last_act: "2025-02-01".into()
            }]
        );
        // dan's first act, 2025-06-01, is 214 days before the window's end.
        assert_eq!(m.details.days_since_last_new_maintainer, Some(214.0));
        let arrivals: Vec<(i32, u64)> = m.details.arrivals_by_year.into_iter().collect();
        assert_eq!(arrivals, [(2023, 1), (2024, 1), (2025, 1)]);
        let departures: Vec<(i32, u64)> = m.details.departures_by_year.into_iter().collect();
        assert_eq!(departures, [(2025, 1)]);
        assert_eq!(m.details.listed_idle, ["carl"]);
        assert_eq!(m.details.acting_unlisted, ["dan"]);
        assert!(!m.details.volunteer_maintained, "bob is ACME's");
    }

    #[test]
    fn volunteer_maintained_when_no_maintainer_has_an_organization() {
        let named = BTreeSet::new();
        let maintainers = ["ann".to_owned()];
        let org = |_: &str| Some("Independent".to_owned());
        let acts = [("ann".to_owned(), 0)];
        let m = compute(&Inputs {
            evidence: &[],
            acts: &acts,
            named: &named,
            maintainers: &maintainers,
            organization_of: &org,
            window: Window { since: 0, until: 1 },
        });
        assert!(m.details.volunteer_maintained);
        assert!(m.details.acting_unlisted.is_empty(), "no file names anyone");
        assert_eq!(m.value, Some(0.0));
    }
}
