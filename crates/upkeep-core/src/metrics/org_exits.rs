//! Organizations that left (DESIGN.md): one whose people made at least 10%
//! of a year's contributions (the year that ends two quarters before the
//! window's end) and none in those last two quarters has left the project,
//! with its people and their last contributions. The value is how many
//! left.

use super::{Contribution, Definition, Metric, Window, day};
use serde::Serialize;
use std::collections::BTreeMap;

const DAY: i64 = 86_400;
/// The last two quarters, in days.
pub const QUIET_DAYS: i64 = 182;
/// The share of the year before them that makes an organization a carrier.
pub const MIN_SHARE: f64 = 0.10;

/// An organization that left.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Exit {
    /// Its name.
    pub organization: String,
    /// Its share (0–1) of the year's contributions.
    pub share: f64,
    /// Its people then, with the day of their last contribution.
    pub people: Vec<(String, String)>,
}

/// The organizations that left.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Details {
    /// Each exit, the largest share first.
    pub exits: Vec<Exit>,
}

const RULE: &str = "an organization whose people made at least 10% of the contributions of the year that ends two quarters before the window's end, and none in those two quarters, has left";

/// The organizations that left by the end of `window`.
pub fn compute(contributions: &[Contribution], window: Window) -> Metric<Details> {
    let quiet_from = window.until - QUIET_DAYS * DAY;
    let year_from = quiet_from - 365 * DAY;
    let people: Vec<&Contribution> = contributions.iter().filter(|c| !c.bot).collect();
    let year: Vec<&&Contribution> = people
        .iter()
        .filter(|c| c.time >= year_from && c.time < quiet_from)
        .collect();
    let mut by_org: BTreeMap<&str, Vec<&Contribution>> = BTreeMap::new();
    for c in &year {
        if let Some(org) = c.organization.as_deref() {
            by_org.entry(org).or_default().push(c);
        }
    }
    let active_late = |org: &str| {
        people.iter().any(|c| {
            c.organization.as_deref() == Some(org) && c.time >= quiet_from && c.time < window.until
        })
    };
    let mut exits: Vec<Exit> = by_org
        .into_iter()
        .filter(|(org, made)| {
            made.len() as f64 >= MIN_SHARE * year.len() as f64 && !active_late(org)
        })
        .map(|(org, made)| {
            let mut last: BTreeMap<&str, i64> = BTreeMap::new();
            for c in &made {
                let e = last.entry(c.person.as_str()).or_insert(c.time);
                *e = (*e).max(c.time);
            }
            Exit {
                organization: org.to_owned(),
                share: (made.len() as f64 / year.len() as f64 * 1000.0).round() / 1000.0,
                people: last
                    .into_iter()
                    .map(|(p, t)| (p.to_owned(), day(t)))
                    .collect(),
            }
        })
        .collect();
    exits.sort_by(|a, b| {
        b.share
            .total_cmp(&a.share)
            .then_with(|| a.organization.cmp(&b.organization))
    });
    Metric {
        value: Some(exits.len() as f64),
        reason: None,
        details: Details { exits },
        definition: Definition::over(RULE, window, false)
            .with("quiet_days", serde_json::json!(QUIET_DAYS))
            .with("min_share", serde_json::json!(MIN_SHARE)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::on;

    fn by(person: &str, org: Option<&str>, date: &str) -> Contribution {
        let mut c = on(person, date);
        c.organization = org.map(str::to_owned);
        c
    }

    #[test]
    fn an_organization_that_carried_a_tenth_and_went_quiet() {
        // Window 2025. The year that counts: 2024-07-03 .. 2025-07-03 (182
        // days before 2026-01-01, and the 365 days before that). Of its 10
        // contributions, Initech made 2 (20%) and none after 2025-07-03;
        // ACME made 7 and goes on; Hooli made 1 (10%) and goes on too.
        let mut c = vec![
            by("ivy", Some("Initech"), "2024-09-01"),
            by("ike", Some("Initech"), "2025-03-01"),
            by("hal", Some("Hooli"), "2025-01-01"),
            by("hal", Some("Hooli"), "2025-10-01"),
            by("ann", Some("ACME"), "2025-12-01"),
        ];
        for date in [
            "2024-08-15",
            "2024-09-15",
            "2024-10-15",
            "2024-11-15",
            "2024-12-15",
            "2025-01-15",
            "2025-02-15",
        ] {
            c.push(by("ann", Some("ACME"), date));
        }
        let m = compute(
            &c,
            Window {
                since: on("x", "2025-01-01").time,
                until: on("x", "2026-01-01").time,
            },
        );
        assert_eq!(m.value, Some(1.0));
        assert_eq!(
            m.details.exits,
            [Exit {
                organization: "Initech".into(),
                share: 0.2,
                people: vec![
                    ("ike".into(), "2025-03-01".into()),
                    ("ivy".into(), "2024-09-01".into())
                ],
            }]
        );
    }
}
