//! Conflict-of-interest signals (signals, not verdicts) over pull requests
//! merged in the window `[since, until)` whose author and merger are known
//! people (not bots):
//!
//! - *same-organization merges*: per organization, the pull requests its
//!   people merged, how many of those its own people wrote, against the
//!   share expected from its share of maintainers at the window's end;
//! - *self-merges without review*: an author merging their own pull request
//!   with no review by anyone else (not a bot) before the merge;
//! - *own pull requests without outside review*: per organization, its
//!   people's pull requests merged by its people with no review by anyone of
//!   another row before the merge, flagged above half;
//! - who made the releases and the changes to governance files
//!   (CODEOWNERS, MAINTAINERS, OWNERS, GOVERNANCE), with the organization
//!   named when one made all of them.
//!
//! Organizations are those of people at the window's end; "independent" and
//! "unknown" rows are counted but never flagged.

use super::items::{Action, Item};
use super::releases::Release;
use super::side_by_side::is_unnamed;
use super::{Contribution, Definition, Metric, Window, ranked};
use crate::events::{ActivityKind, ItemKind};
use serde::Serialize;
use std::collections::BTreeMap;

/// Above this share of its own merged pull requests without outside review, an organization is flagged.
pub const FLAG_ABOVE: f64 = 0.5;

/// What the signals read.
pub struct Inputs<'a> {
    /// Issues and pull requests, any time.
    pub items: &'a [Item],
    /// Releases, any time.
    pub releases: &'a [Release],
    /// Commits that changed governance files, any time (person, organization of the day, time).
    pub governance_changes: &'a [Contribution],
    /// Maintainers at the window's end.
    pub maintainers: &'a [String],
    /// The row of a person at the window's end.
    pub stakeholder: &'a dyn Fn(&str) -> String,
    /// The window.
    pub window: Window,
}

/// One organization's merges.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct OrgMerges {
    /// The organization (or "independent", "unknown").
    pub organization: String,
    /// Pull requests its people merged.
    pub merged: u64,
    /// Of those, written by its own people.
    pub same_organization: u64,
    /// `same_organization / merged`.
    pub same_organization_share: f64,
    /// Its share of maintainers at the window's end: the share expected.
    pub expected_share: f64,
    /// Its people's pull requests merged by its people.
    pub own_merged: u64,
    /// Of those, with no review by anyone of another row before the merge.
    pub own_without_outside_review: u64,
    /// `own_without_outside_review / own_merged`.
    pub own_without_outside_review_share: f64,
}

/// Who made a kind of act: per row, how many, and the row that made all of them.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct MadeBy {
    /// How many in the window.
    pub total: u64,
    /// `[row, count]`, most first.
    pub by: Vec<(String, u64)>,
    /// The organization that made every one of them, if one did.
    pub one_organization: Option<String>,
}

/// The signals.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Details {
    /// Pull requests merged in the window with known author and merger.
    pub merged: u64,
    /// Per row, most merges first.
    pub organizations: Vec<OrgMerges>,
    /// Authors who merged their own pull request without anyone else's review.
    pub self_merges_without_review: u64,
    /// The pull requests merged so: `[person, number]`.
    pub self_merged: Vec<(String, u64)>,
    /// Who made the releases.
    pub releases: MadeBy,
    /// Who changed governance files.
    pub governance_changes: MadeBy,
    /// Organizations that merged more than half of their own pull requests
    /// without outside review: `[organization, share]`.
    pub flagged: Vec<(String, f64)>,
}

/// Computes the signals; the value is the share of merged pull requests
/// whose author and merger share a named organization.
pub fn compute(inputs: &Inputs<'_>) -> Metric<Details> {
    let w = inputs.window;
    let row = inputs.stakeholder;
    let merged: Vec<(&Item, &str, &str, i64)> = inputs
        .items
        .iter()
        .filter(|i| i.kind == ItemKind::PullRequest && !i.author_bot)
        .filter_map(|i| {
            let at = i.merged.filter(|t| w.contains(*t))?;
            Some((i, i.author.as_deref()?, i.merged_by.as_deref()?, at))
        })
        .collect();
    let mut orgs: BTreeMap<String, OrgMerges> = BTreeMap::new();
    let mut self_merged = Vec::new();
    let mut same_named = 0u64;
    for (item, author, merger, at) in &merged {
        let (a, m) = (row(author), row(merger));
        let reviews: Vec<&Action> = item
            .actions
            .iter()
            .filter(|x| x.kind == ActivityKind::Review && !x.bot && x.time <= *at)
            .filter(|x| x.person.as_deref().is_some_and(|p| p != *author))
            .collect();
        if author == merger && reviews.is_empty() {
            self_merged.push(((*author).to_owned(), item.number));
        }
        let entry = orgs.entry(m.clone()).or_insert_with(|| OrgMerges {
            organization: m.clone(),
            ..OrgMerges::default()
        });
        entry.merged += 1;
        if a == m {
            entry.same_organization += 1;
            entry.own_merged += 1;
            same_named += u64::from(!is_unnamed(&m));
            let outside = reviews
                .iter()
                .any(|x| x.person.as_deref().is_some_and(|p| row(p) != a));
            entry.own_without_outside_review += u64::from(!outside);
        }
    }
    let maintainer_rows = ranked_rows(inputs.maintainers.iter().map(|m| row(m)));
    let maintainers_total = inputs.maintainers.len() as f64;
    let mut organizations: Vec<OrgMerges> = orgs
        .into_values()
        .map(|mut o| {
            o.same_organization_share = ratio(o.same_organization, o.merged);
            o.own_without_outside_review_share = ratio(o.own_without_outside_review, o.own_merged);
            o.expected_share = maintainer_rows
                .iter()
                .find(|(r, _)| *r == o.organization)
                .map_or(0.0, |(_, n)| {
                    (*n as f64 / maintainers_total * 1000.0).round() / 1000.0
                });
            o
        })
        .collect();
    organizations.sort_by(|a, b| {
        b.merged
            .cmp(&a.merged)
            .then_with(|| a.organization.cmp(&b.organization))
    });
    let flagged = organizations
        .iter()
        .filter(|o| !is_unnamed(&o.organization))
        .filter(|o| o.own_without_outside_review_share > FLAG_ABOVE)
        .map(|o| (o.organization.clone(), o.own_without_outside_review_share))
        .collect();
    let releases = made_by(
        inputs
            .releases
            .iter()
            .filter(|r| !r.prerelease && w.contains(r.time))
            .filter_map(|r| {
                let p = r.person.as_deref()?;
                Some(r.organization.clone().unwrap_or_else(|| row(p)))
            }),
    );
    let governance_changes = made_by(
        inputs
            .governance_changes
            .iter()
            .filter(|c| !c.bot && w.contains(c.time))
            .map(|c| c.organization.clone().unwrap_or_else(|| row(&c.person))),
    );
    let details = Details {
        merged: merged.len() as u64,
        organizations,
        self_merges_without_review: self_merged.len() as u64,
        self_merged,
        releases,
        governance_changes,
        flagged,
    };
    Metric {
        value: (details.merged > 0).then(|| ratio(same_named, details.merged)),
        reason: (details.merged == 0).then(|| {
            "no pull request merged in the window with a known author and merger".into()
        }),
        details,
        definition: Definition::over(
            "signals, not verdicts: pull requests merged where author and merger share an organization, per organization against its share of maintainers; authors merging their own pull request without another person's review; an organization's own pull requests merged by its people without review from outside it (flagged above half); who made the releases and the changes to governance files",
            w,
            false,
        )
        .with("flag_above", serde_json::json!(FLAG_ABOVE))
        .with(
            "organization",
            serde_json::json!("of each person at the window's end; of the day for releases and governance changes when known"),
        ),
    }
}

fn ratio(n: u64, of: u64) -> f64 {
    if of == 0 {
        0.0
    } else {
        (n as f64 / of as f64 * 1000.0).round() / 1000.0
    }
}

fn ranked_rows(rows: impl Iterator<Item = String>) -> Vec<(String, u64)> {
    let rows: Vec<String> = rows.collect();
    ranked(rows.iter().map(String::as_str))
}

fn made_by(rows: impl Iterator<Item = String>) -> MadeBy {
    let by = ranked_rows(rows);
    let total = by.iter().map(|(_, n)| n).sum();
    MadeBy {
        total,
        one_organization: (by.len() == 1 && !is_unnamed(&by[0].0)).then(|| by[0].0.clone()),
        by,
    }
}

#[cfg(test)]
mod tests;
