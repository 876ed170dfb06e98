//! Organizations side by side: for each organization active in the window
//! `[since, until)` (and the rows "independent", people at free-mail
//! addresses, and "unknown"), what it gave: people, commits, reviews given,
//! merges, releases, issues triaged, first responses to others' issues and
//! pull requests, and maintainers at the window's end, with its share of
//! each and of all its work; the same a year before; the mix of stakeholder
//! kinds; and the partners a project expects to contribute, flagged when
//! their share of the work fell below a threshold or to zero.
//!
//! A commit, merge or release is credited to the organization of its date
//! when known; every other act to the organization of its person at the
//! window's end. Bots are left out.

use super::items::Item;
use super::maintainers::Landed;
use super::organizations::Confidence;
use super::releases::Release;
use super::reviews::Review;
use super::{Contribution, Definition, Metric, Window};
use crate::events::{ActivityKind, ItemKind};
use crate::identities::org_kinds::OrgKind;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// A partner below this share of the work is flagged, unless configured.
pub const PARTNER_THRESHOLD: f64 = 0.05;

/// A year, in seconds.
const YEAR: i64 = 365 * 86_400;

/// The dimensions, in the order shown.
pub const DIMENSIONS: [&str; 8] = [
    "people",
    "commits",
    "reviews",
    "merges",
    "releases",
    "triage",
    "responses",
    "maintainers",
];

/// What the metric reads.
pub struct Inputs<'a> {
    /// Non-merge commits authored, any time.
    pub contributions: &'a [Contribution],
    /// Reviews given, any time.
    pub reviews: &'a [Review],
    /// Work landed, any time.
    pub landed: &'a [Landed],
    /// Releases, any time.
    pub releases: &'a [Release],
    /// Issues and pull requests, any time.
    pub items: &'a [Item],
    /// Maintainers at the window's end.
    pub maintainers: &'a [String],
    /// The row of a person at the window's end: their organization,
    /// "independent" or "unknown".
    pub stakeholder: &'a dyn Fn(&str) -> String,
    /// The kind of a row.
    pub kind_of: &'a dyn Fn(&str) -> OrgKind,
    /// The organizations the project expects to contribute.
    pub partners: &'a [String],
    /// A partner below this share of the work is flagged.
    pub partner_threshold: f64,
    /// The window.
    pub window: Window,
}

/// One organization's figures over one window.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Figures {
    /// Per dimension (see [`DIMENSIONS`]): how many.
    pub counts: BTreeMap<&'static str, u64>,
    /// Per dimension: its share of all rows, 0–1 (absent when nobody did any).
    pub shares: BTreeMap<&'static str, f64>,
    /// Its share of all work (commits, reviews, merges, releases, triage
    /// and responses together), 0–1.
    pub work_share: f64,
}

/// One row.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    /// The organization, or "independent", or "unknown".
    pub organization: String,
    /// Its kind.
    pub kind: OrgKind,
    /// Whether the project names it a partner.
    pub partner: bool,
    /// In the window.
    pub now: Figures,
    /// In the same window a year before.
    pub year_before: Figures,
    /// Change of its work share, in percentage points.
    pub work_share_change_pts: f64,
}

/// A partner and how its share went.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Partner {
    /// Its name.
    pub organization: String,
    /// Its share of the work in the window.
    pub work_share: f64,
    /// A year before.
    pub work_share_year_before: f64,
    /// Why it is flagged, if it is.
    pub flag: Option<String>,
}

/// The figures.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Details {
    /// Every row active in the window or the year before, by work in the window.
    pub rows: Vec<Row>,
    /// Per kind: organizations active in the window and their share of the work.
    pub kinds: Vec<(OrgKind, u64, f64)>,
    /// The partners named, with their shares.
    pub partners: Vec<Partner>,
    /// How much of the window's commits has a known organization.
    pub confidence: Confidence,
}

/// Computes the rows; the value is the number of organizations (named,
/// not "independent" or "unknown") active in the window.
pub fn compute(inputs: &Inputs<'_>) -> Metric<Details> {
    let w = inputs.window;
    let before = Window {
        since: w.since - YEAR,
        until: w.until - YEAR,
    };
    let now = tally(inputs, w, true);
    let then = tally(inputs, before, false);
    let (now_totals, then_totals) = (totals(&now), totals(&then));
    let names: BTreeSet<&String> = now.keys().chain(then.keys()).collect();
    let mut rows: Vec<Row> = names
        .into_iter()
        .map(|name| {
            let (n, b) = (
                figures(now.get(name), &now_totals),
                figures(then.get(name), &then_totals),
            );
            Row {
                organization: name.clone(),
                kind: (inputs.kind_of)(name),
                partner: is_partner(inputs.partners, name),
                work_share_change_pts: round((n.work_share - b.work_share) * 100.0),
                now: n,
                year_before: b,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        work(&b.now)
            .cmp(&work(&a.now))
            .then_with(|| work(&b.year_before).cmp(&work(&a.year_before)))
            .then_with(|| a.organization.cmp(&b.organization))
    });
    let active = |r: &&Row| r.now.counts.values().any(|n| *n > 0);
    let named = rows
        .iter()
        .filter(active)
        .filter(|r| !is_unnamed(&r.organization))
        .count();
    let commits: u64 = rows.iter().map(|r| r.now.counts["commits"]).sum();
    let known: u64 = rows
        .iter()
        .filter(|r| !is_unnamed(&r.organization))
        .map(|r| r.now.counts["commits"])
        .sum();
    let details = Details {
        kinds: kinds(&rows),
        partners: partners(inputs, &rows),
        confidence: Confidence::of(known, commits),
        rows,
    };
    Metric {
        value: (!details.rows.is_empty()).then_some(named as f64),
        reason: details
            .rows
            .is_empty()
            .then(|| "no commits, reviews, merges, releases or forge acts in the window".into()),
        details,
        definition: Definition::over(
            "per organization (and independent: free-mail addresses; unknown): people, commits, reviews given, merges, releases, issues triaged (labels, assignments, closes of others' issues), first responses to others' issues and pull requests, maintainers at the window's end, each with its share of all; the same a year before; partners flagged below a share of the work or at zero",
            w,
            false,
        )
        .with(
            "partner_threshold",
            serde_json::json!(inputs.partner_threshold),
        )
        .with(
            "organization",
            serde_json::json!("of the act's date for commits, merges and releases; of the person at the window's end otherwise"),
        ),
    }
}

/// Whether `name` is a row of people without a named organization.
pub fn is_unnamed(name: &str) -> bool {
    name == crate::identities::org_kinds::INDEPENDENT
        || name == crate::identities::org_kinds::UNKNOWN
}

fn is_partner(partners: &[String], name: &str) -> bool {
    partners.iter().any(|p| p.eq_ignore_ascii_case(name))
}

fn work(f: &Figures) -> u64 {
    f.counts
        .iter()
        .filter(|(d, _)| !matches!(**d, "people" | "maintainers"))
        .map(|(_, n)| n)
        .sum()
}

fn round(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Per row, per dimension, the count in `w` (`maintainers` only when `at_end`).
fn tally<'a>(
    inputs: &'a Inputs<'_>,
    w: Window,
    at_end: bool,
) -> BTreeMap<String, BTreeMap<&'static str, u64>> {
    // Counts by dimension index, and the people, per row: hashed while counting.
    let mut rows: HashMap<String, ([u64; DIMENSIONS.len()], HashSet<&str>)> = HashMap::new();
    let mut count = |row: String, dimension: &'static str, person: &'a str| {
        let i = DIMENSIONS.iter().position(|d| *d == dimension).unwrap_or(0);
        let entry = rows.entry(row).or_default();
        entry.0[i] += 1;
        entry.1.insert(person);
    };
    let row = |org: &Option<String>, person: &str| {
        org.clone().unwrap_or_else(|| (inputs.stakeholder)(person))
    };
    for c in inputs
        .contributions
        .iter()
        .filter(|c| !c.bot && w.contains(c.time))
    {
        count(row(&c.organization, &c.person), "commits", &c.person);
    }
    for r in inputs
        .reviews
        .iter()
        .filter(|r| !r.bot && w.contains(r.time))
    {
        count((inputs.stakeholder)(&r.person), "reviews", &r.person);
    }
    for l in inputs
        .landed
        .iter()
        .filter(|l| !l.bot && w.contains(l.time))
    {
        count(row(&l.organization, &l.person), "merges", &l.person);
    }
    for r in inputs
        .releases
        .iter()
        .filter(|r| !r.prerelease && w.contains(r.time))
    {
        if let Some(p) = &r.person {
            count(row(&r.organization, p), "releases", p);
        }
    }
    for (person, dimension) in forge_acts(inputs.items, w) {
        count((inputs.stakeholder)(person), dimension, person);
    }
    if at_end {
        for m in inputs.maintainers {
            count((inputs.stakeholder)(m), "maintainers", m);
        }
    }
    rows.into_iter()
        .map(|(row, (counts, people))| {
            let mut by: BTreeMap<&'static str, u64> = DIMENSIONS
                .iter()
                .zip(counts)
                .filter(|(_, n)| *n > 0)
                .map(|(d, n)| (*d, n))
                .collect();
            by.insert("people", people.len() as u64);
            (row, by)
        })
        .collect()
}

/// Triage acts (labels, assignments and closes of others' issues) and first
/// responses to others' items opened in `w`, by person.
fn forge_acts(items: &[Item], w: Window) -> Vec<(&str, &'static str)> {
    let mut out = Vec::new();
    for item in items {
        let others =
            |a: &&super::items::Action| !a.bot && a.person.is_some() && a.person != item.author;
        if item.kind == ItemKind::Issue {
            out.extend(
                item.actions
                    .iter()
                    .filter(others)
                    .filter(|a| w.contains(a.time))
                    .filter(|a| {
                        matches!(
                            a.kind,
                            ActivityKind::Labeled
                                | ActivityKind::Unlabeled
                                | ActivityKind::Assigned
                                | ActivityKind::Closed
                        )
                    })
                    .filter_map(|a| Some((a.person.as_deref()?, "triage"))),
            );
        }
        if !w.contains(item.created) || item.author_bot {
            continue;
        }
        let first = item.first_response();
        let responder = item
            .actions
            .iter()
            .filter(others)
            .find(|a| Some(a.time) == first)
            .and_then(|a| a.person.as_deref());
        out.extend(responder.map(|p| (p, "responses")));
    }
    out
}

/// Per dimension, the count over all rows of a window.
fn totals(all: &BTreeMap<String, BTreeMap<&'static str, u64>>) -> BTreeMap<&'static str, u64> {
    let mut out = BTreeMap::new();
    for (d, n) in all.values().flatten() {
        *out.entry(*d).or_default() += n;
    }
    out
}

/// The figures of one row among all rows of a window (`totals` per dimension).
fn figures(
    mine: Option<&BTreeMap<&'static str, u64>>,
    totals: &BTreeMap<&'static str, u64>,
) -> Figures {
    let total = |d: &str| -> u64 { totals.get(d).copied().unwrap_or(0) };
    let get = |d: &str| mine.and_then(|m| m.get(d)).copied().unwrap_or(0);
    let counts: BTreeMap<&'static str, u64> = DIMENSIONS.iter().map(|d| (*d, get(d))).collect();
    let shares = DIMENSIONS
        .iter()
        .filter(|d| total(d) > 0)
        .map(|d| (*d, share(get(d), total(d))))
        .collect();
    let all_work: u64 = DIMENSIONS[1..7].iter().map(|d| total(d)).sum();
    let mine_work: u64 = DIMENSIONS[1..7].iter().map(|d| get(d)).sum();
    Figures {
        counts,
        shares,
        work_share: share(mine_work, all_work),
    }
}

fn share(n: u64, of: u64) -> f64 {
    if of == 0 {
        0.0
    } else {
        (n as f64 / of as f64 * 1000.0).round() / 1000.0
    }
}

/// Per kind: organizations active in the window and their work share.
fn kinds(rows: &[Row]) -> Vec<(OrgKind, u64, f64)> {
    OrgKind::ALL
        .iter()
        .filter_map(|k| {
            let mine: Vec<&Row> = rows
                .iter()
                .filter(|r| r.kind == *k && work(&r.now) > 0)
                .collect();
            let named = mine.iter().filter(|r| !is_unnamed(&r.organization)).count();
            let share: f64 = mine.iter().map(|r| r.now.work_share).sum();
            (!mine.is_empty()).then(|| (*k, named as u64, (share * 1000.0).round() / 1000.0))
        })
        .collect()
}

/// Each partner's shares, flagged at zero or below the threshold.
fn partners(inputs: &Inputs<'_>, rows: &[Row]) -> Vec<Partner> {
    inputs
        .partners
        .iter()
        .map(|name| {
            let row = rows
                .iter()
                .find(|r| r.organization.eq_ignore_ascii_case(name));
            let now = row.map_or(0.0, |r| r.now.work_share);
            let then = row.map_or(0.0, |r| r.year_before.work_share);
            let flag = if now == 0.0 {
                Some(format!(
                    "partner {name} did none of the work (a year before: {}%)",
                    round(then * 100.0)
                ))
            } else if now < inputs.partner_threshold {
                Some(format!(
                    "partner {name} did {}% of the work, below {}% (a year before: {}%)",
                    round(now * 100.0),
                    round(inputs.partner_threshold * 100.0),
                    round(then * 100.0)
                ))
            } else {
                None
            };
            Partner {
                organization: name.clone(),
                work_share: now,
                work_share_year_before: then,
                flag,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
