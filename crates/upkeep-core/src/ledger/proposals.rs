//! Our proposals: the pull requests our people opened upstream in the
//! window, and the patch series they posted to its lists (a patch message
//! that starts a thread), with what became of each by the window's end —
//! merged, closed unmerged, or open (a list patch is merged when a commit
//! with its subject, by its author, landed after it was posted) — the time
//! to the first response by someone else, the time to merge, and the time
//! from the merge to the first release that contains it (the first version
//! tag or forge release, by time, whose commit reaches the merge). Per
//! upstream: the acceptance rate (merged of those decided) and a flag when
//! it answers ours later than others' (median time to first response,
//! those unanswered counted until the window's end).

use super::periods::Period;
use super::{Inputs, Upstream, ours_at};
use crate::events::ItemKind;
use crate::metrics::items::quantile;
use serde::Serialize;
use std::collections::HashMap;

/// What became of a proposal by the window's end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Merged (a pull request) or landed (a list patch).
    Merged,
    /// Closed without a merge.
    Closed,
    /// Still open (a list patch not landed).
    Open,
}

/// One proposal.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Proposal {
    /// The upstream.
    pub upstream: String,
    /// `owner/name#12`, or a list patch's message id.
    pub key: String,
    /// `pull_request` or `patch`.
    pub kind: &'static str,
    /// Our person who opened it.
    pub person: String,
    /// A list patch's subject (a pull request's title is not stored).
    pub subject: Option<String>,
    /// When it was opened (YYYY-MM-DD).
    pub opened: String,
    /// What became of it.
    pub outcome: Outcome,
    /// Hours to the first response by someone else, if any came.
    pub first_response_hours: Option<f64>,
    /// Hours from opening to the merge, when merged.
    pub merge_hours: Option<f64>,
    /// The first release containing the merge, and the days from the merge to it.
    pub released: Option<(String, f64)>,
}

/// Counts of one period.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PeriodCounts {
    /// The period's label.
    pub period: String,
    /// Proposals opened in it.
    pub opened: u64,
    /// Of those, merged by the window's end.
    pub merged: u64,
    /// Closed unmerged.
    pub closed: u64,
    /// Still open.
    pub open: u64,
}

/// One upstream's figures.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct UpstreamProposals {
    /// The upstream.
    pub upstream: String,
    /// Opened in the window.
    pub opened: u64,
    /// Merged by its end.
    pub merged: u64,
    /// Closed unmerged.
    pub closed: u64,
    /// Still open.
    pub open: u64,
    /// `merged / (merged + closed)`, when any was decided.
    pub acceptance_rate: Option<f64>,
    /// Median hours to the first response to ours (unanswered counted until the window's end).
    pub first_response_median_hours: Option<f64>,
    /// The same for everyone else's pull requests (not bots).
    pub others_first_response_median_hours: Option<f64>,
    /// Median hours from opening to merge.
    pub merge_median_hours: Option<f64>,
    /// Median days from merge to the first release containing it.
    pub release_median_days: Option<f64>,
    /// Merged but in no release by the window's end.
    pub unreleased: u64,
    /// Why it is flagged, if it is.
    pub flag: Option<String>,
}

/// Our proposals over the portfolio.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct OurProposals {
    /// What is counted.
    pub definition: &'static str,
    /// Per period.
    pub by_period: Vec<PeriodCounts>,
    /// Per upstream.
    pub upstreams: Vec<UpstreamProposals>,
    /// Every proposal, oldest first.
    pub proposals: Vec<Proposal>,
}

/// The definition, as the ledger states it.
pub const DEFINITION: &str = "pull requests our people opened in the window and patch series they posted to lists (a patch starting a thread), with their outcome at the window's end (merged; closed unmerged; open), the time to the first response by someone else, to the merge, and from the merge to the first release containing it (the first version tag or forge release by time whose commit reaches the merge); per upstream the acceptance rate (merged of those decided) and a flag when it answers ours later than others' (median time to first response, unanswered counted until the window's end)";

const HOUR: f64 = 3600.0;

/// Our proposals.
pub fn compute(inputs: &Inputs<'_>) -> OurProposals {
    let mut proposals = Vec::new();
    let mut upstreams = Vec::new();
    for u in inputs.upstreams {
        let (mine, waits) = of_upstream(inputs, u);
        upstreams.push(summary(u, &mine, waits));
        proposals.extend(mine.into_iter().map(|(p, _)| p));
    }
    proposals.sort_by(|a, b| a.opened.cmp(&b.opened).then_with(|| a.key.cmp(&b.key)));
    OurProposals {
        definition: DEFINITION,
        by_period: by_period(inputs.periods, &proposals),
        upstreams,
        proposals,
    }
}

/// Hours to first response: ours and others', unanswered counted until the window's end.
type Waits = (Vec<f64>, Vec<f64>);

/// One upstream's proposals (each with when it opened), and the waits for a first response.
fn of_upstream(inputs: &Inputs<'_>, u: &Upstream<'_>) -> (Vec<(Proposal, i64)>, Waits) {
    let w = inputs.window;
    let mut out = Vec::new();
    let (mut ours_waits, mut others_waits) = (Vec::new(), Vec::new());
    let merge_commits = merge_commits(u);
    for item in u.items.iter().filter(|i| i.kind == ItemKind::PullRequest) {
        if !w.contains(item.created) || item.author_bot || item.key.is_some() {
            continue;
        }
        let response = item.first_response().filter(|t| *t < w.until);
        let wait = (response.unwrap_or(w.until) - item.created) as f64 / HOUR;
        let ours = ours_at(inputs, item.author.as_deref(), false, item.created);
        if !ours {
            others_waits.push(wait);
            continue;
        }
        ours_waits.push(wait);
        let merged = item.merged.filter(|t| *t < w.until);
        let outcome = match (merged, item.closed.filter(|t| *t < w.until)) {
            (Some(_), _) => Outcome::Merged,
            (None, Some(_)) => Outcome::Closed,
            (None, None) => Outcome::Open,
        };
        let released = merged.and_then(|at| {
            let commits = merge_commits.get(&item.number)?;
            released(u, commits.iter().map(String::as_str), at, w.until)
        });
        out.push((
            Proposal {
                upstream: u.name.clone(),
                key: format!("{}#{}", u.name, item.number),
                kind: "pull_request",
                person: item.author.clone().unwrap_or_default(),
                subject: None,
                opened: crate::metrics::day(item.created),
                outcome,
                first_response_hours: response.map(|t| round((t - item.created) as f64 / HOUR)),
                merge_hours: merged.map(|t| round((t - item.created) as f64 / HOUR)),
                released,
            },
            item.created,
        ));
    }
    out.extend(patches(inputs, u));
    (out, (ours_waits, others_waits))
}

/// The commits naming each pull request (its merge or squash commit).
fn merge_commits(u: &Upstream<'_>) -> HashMap<u64, Vec<String>> {
    let mut out: HashMap<u64, Vec<String>> = HashMap::new();
    for c in u.commits {
        if let Some(n) = c.pr_number {
            out.entry(n).or_default().push(c.id.clone());
        }
    }
    out
}

/// The first release containing any of `commits` (merged at `merged`), by
/// the window's end: its name and the days from the merge to it.
fn released<'a>(
    u: &Upstream<'_>,
    commits: impl Iterator<Item = &'a str>,
    merged: i64,
    until: i64,
) -> Option<(String, f64)> {
    commits
        .filter_map(|id| u.released_in.get(id))
        .filter(|(_, t)| *t < until)
        .min_by_key(|(_, t)| *t)
        .map(|(name, t)| (name.clone(), round((t - merged).max(0) as f64 / 86_400.0)))
}

/// Our patch series posted in the window: a patch message starting a thread.
fn patches(inputs: &Inputs<'_>, u: &Upstream<'_>) -> Vec<(Proposal, i64)> {
    let w = inputs.window;
    let mut out = Vec::new();
    for p in u
        .posts
        .iter()
        .filter(|p| p.patch && p.in_reply_to.is_none())
    {
        let Some(person) = p.person.as_deref() else {
            continue;
        };
        if !w.contains(p.time) || !ours_at(inputs, Some(person), p.bot, p.time) {
            continue;
        }
        let response = u
            .posts
            .iter()
            .filter(|r| {
                r.in_reply_to.as_deref() == Some(&p.id)
                    || r.first_reference.as_deref() == Some(&p.id)
            })
            .filter(|r| !r.bot && r.person.as_deref().is_some_and(|x| x != person))
            .map(|r| r.time)
            .filter(|t| *t < w.until)
            .min();
        let subject = patch_subject(&p.subject);
        let landed = u
            .commits
            .iter()
            .filter(|c| c.author.as_deref() == Some(person) && c.time < w.until)
            .filter(|c| c.time + 86_400 >= p.time && c.subject.trim() == subject)
            .min_by_key(|c| c.time);
        let released =
            landed.and_then(|c| released(u, std::iter::once(c.id.as_str()), c.time, w.until));
        out.push((
            Proposal {
                upstream: u.name.clone(),
                key: p.id.clone(),
                kind: "patch",
                person: person.to_owned(),
                subject: Some(p.subject.clone()),
                opened: crate::metrics::day(p.time),
                outcome: if landed.is_some() {
                    Outcome::Merged
                } else {
                    Outcome::Open
                },
                first_response_hours: response.map(|t| round((t - p.time) as f64 / HOUR)),
                merge_hours: landed.map(|c| round((c.time - p.time).max(0) as f64 / HOUR)),
                released,
            },
            p.time,
        ));
    }
    out
}

/// A patch's subject without its `[PATCH v2 1/3]` tags.
fn patch_subject(subject: &str) -> &str {
    let mut s = subject.trim();
    while let Some(rest) = s.strip_prefix('[').and_then(|r| r.split_once(']')) {
        s = rest.1.trim_start();
    }
    s
}

fn round(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn median(mut values: Vec<f64>) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    quantile(&values, 0.5).map(round)
}

/// One upstream's figures and flag.
fn summary(u: &Upstream<'_>, mine: &[(Proposal, i64)], (ours, others): Waits) -> UpstreamProposals {
    let count = |o: Outcome| mine.iter().filter(|(p, _)| p.outcome == o).count() as u64;
    let (merged, closed, open) = (
        count(Outcome::Merged),
        count(Outcome::Closed),
        count(Outcome::Open),
    );
    let ours_median = median(ours);
    let others_median = median(others);
    let flag = match (ours_median, others_median) {
        (Some(a), Some(b)) if a > b => Some(format!(
            "{} answers our proposals later than others' (median {a} hours to a first response against {b})",
            u.name
        )),
        _ => None,
    };
    UpstreamProposals {
        upstream: u.name.clone(),
        opened: mine.len() as u64,
        merged,
        closed,
        open,
        acceptance_rate: (merged + closed > 0)
            .then(|| (merged as f64 / (merged + closed) as f64 * 1000.0).round() / 1000.0),
        first_response_median_hours: ours_median,
        others_first_response_median_hours: others_median,
        merge_median_hours: median(mine.iter().filter_map(|(p, _)| p.merge_hours).collect()),
        release_median_days: median(
            mine.iter()
                .filter_map(|(p, _)| p.released.as_ref().map(|r| r.1))
                .collect(),
        ),
        unreleased: mine
            .iter()
            .filter(|(p, _)| p.outcome == Outcome::Merged && p.released.is_none())
            .count() as u64,
        flag,
    }
}

/// Proposals opened in each period, by outcome.
fn by_period(periods: &[Period], proposals: &[Proposal]) -> Vec<PeriodCounts> {
    periods
        .iter()
        .map(|period| {
            let start = crate::metrics::day(period.start);
            let end = crate::metrics::day(period.end);
            let inside: Vec<&Proposal> = proposals
                .iter()
                .filter(|p| start <= p.opened && p.opened < end)
                .collect();
            let count = |o: Outcome| inside.iter().filter(|p| p.outcome == o).count() as u64;
            PeriodCounts {
                period: period.label.clone(),
                opened: inside.len() as u64,
                merged: count(Outcome::Merged),
                closed: count(Outcome::Closed),
                open: count(Outcome::Open),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
