//! Maintainers' load (DESIGN.md), per month of the window: the active
//! maintainers (maintainers then, who acted that month), the work coming in
//! from others (issues and pull requests opened, patches posted to the
//! lists) and what the maintainers did (reviews, triage acts, merges); the
//! busiest maintainer's share of all reviews and merges; others' open pull
//! requests awaiting a maintainer's first response at the window's end; and
//! each maintainer's off-hours share (their commits outside 08:00–20:00
//! local time or at weekends, from each commit's UTC offset: a pattern, not
//! a diagnosis). The value is the median, over months with an active
//! maintainer, of the incoming work per active maintainer.

use super::items::{Item, quantile};
use super::mailing_lists::Post;
use super::maintainers::Landed;
use super::reviews::Review;
use super::{Contribution, Definition, Metric, Window};
use crate::events::{ActivityKind, ItemKind};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// One month's load.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Month {
    /// `YYYY-MM`.
    pub month: String,
    /// Maintainers who acted that month.
    pub active_maintainers: u64,
    /// Issues and pull requests others opened, and patches they posted.
    pub incoming: u64,
    /// Reviews by maintainers.
    pub reviews: u64,
    /// Labels, assignments and closes by maintainers on others' items.
    pub triage: u64,
    /// Work maintainers landed (merges, others' commits).
    pub merges: u64,
    /// Incoming per active maintainer.
    pub incoming_per_maintainer: Option<f64>,
}

/// A maintainer's off-hours share.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OffHours {
    /// Their key.
    pub key: String,
    /// Their commits in the window.
    pub commits: u64,
    /// The share (0–1) outside 08:00–20:00 local time or at weekends.
    pub share: f64,
}

/// What the load is made of.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Details {
    /// Each month of the window with any activity.
    pub months: Vec<Month>,
    /// The maintainer with the most reviews and merges in the window, and
    /// their share (0–1) of all maintainers' reviews and merges.
    pub busiest: Option<(String, f64)>,
    /// Others' pull requests open at the window's end that no maintainer has
    /// acted on.
    pub awaiting_first_response: u64,
    /// Those per maintainer active in the window's last month.
    pub awaiting_per_active_maintainer: Option<f64>,
    /// Each maintainer's off-hours share, the highest first.
    pub off_hours: Vec<OffHours>,
}

/// What the load is computed from.
pub struct Inputs<'a> {
    /// Contributions, any time.
    pub contributions: &'a [Contribution],
    /// Reviews, any time.
    pub reviews: &'a [Review],
    /// Work landed (merges, others' commits), any time.
    pub landed: &'a [Landed],
    /// Issues and pull requests.
    pub items: &'a [Item],
    /// List messages.
    pub posts: &'a [Post],
    /// Whether a person was a maintainer at a time.
    pub is_maintainer: &'a dyn Fn(&str, i64) -> bool,
    /// The window.
    pub window: Window,
}

const RULE: &str = "per month: maintainers active (a maintainer then, with a commit, review, merge or act on an issue or pull request that month), incoming work from others (issues and pull requests opened, patches posted to the lists by non-maintainers, bots left out), reviews, triage acts (labels, assignments, closes on others' items) and merges by maintainers; value: the median over months of incoming work per active maintainer; the busiest maintainer's share of reviews and merges (flagged above half); others' pull requests open at the end awaiting a maintainer; off-hours: a maintainer's commits outside 08:00-20:00 local or at weekends";

/// The load over `inputs.window`.
pub fn compute(inputs: &Inputs<'_>) -> Metric<Details> {
    let w = inputs.window;
    let is = inputs.is_maintainer;
    let mut months: Months = BTreeMap::new();
    fn entry(months: &mut Months, t: i64) -> &mut (BTreeSet<String>, Month) {
        months.entry(month(t)).or_default()
    }
    let mut by_maintainer: BTreeMap<String, u64> = BTreeMap::new();
    for c in inputs
        .contributions
        .iter()
        .filter(|c| !c.bot && w.contains(c.time) && is(&c.person, c.time))
    {
        entry(&mut months, c.time).0.insert(c.person.clone());
    }
    for r in inputs
        .reviews
        .iter()
        .filter(|r| !r.bot && w.contains(r.time) && is(&r.person, r.time))
    {
        let e = entry(&mut months, r.time);
        e.0.insert(r.person.clone());
        e.1.reviews += 1;
        *by_maintainer.entry(r.person.clone()).or_default() += 1;
    }
    for l in inputs
        .landed
        .iter()
        .filter(|l| !l.bot && w.contains(l.time))
    {
        let e = entry(&mut months, l.time);
        e.0.insert(l.person.clone());
        e.1.merges += 1;
        *by_maintainer.entry(l.person.clone()).or_default() += 1;
    }
    for item in inputs.items {
        let outside = !item.author_bot
            && !item.author_maintains
            && item.author.as_deref().is_some_and(|a| !is(a, item.created));
        if outside && w.contains(item.created) {
            entry(&mut months, item.created).1.incoming += 1;
        }
        for a in item.actions.iter().filter(|a| !a.bot && w.contains(a.time)) {
            let Some(p) = a.person.as_deref().filter(|p| is(p, a.time)) else {
                continue;
            };
            let e = entry(&mut months, a.time);
            e.0.insert(p.to_owned());
            let triage = matches!(
                a.kind,
                ActivityKind::Labeled | ActivityKind::Assigned | ActivityKind::Closed
            );
            if triage && Some(p) != item.author.as_deref() {
                e.1.triage += 1;
            }
        }
    }
    for p in inputs
        .posts
        .iter()
        .filter(|p| p.patch && !p.bot && w.contains(p.time))
    {
        if p.person.as_deref().is_some_and(|who| !is(who, p.time)) {
            entry(&mut months, p.time).1.incoming += 1;
        }
    }
    let months: Vec<Month> = months
        .into_iter()
        .map(|(key, (active, mut m))| {
            m.month = key;
            m.active_maintainers = active.len() as u64;
            m.incoming_per_maintainer = (m.active_maintainers > 0)
                .then(|| round2(m.incoming as f64 / m.active_maintainers as f64));
            m
        })
        .collect();
    let mut per: Vec<f64> = months
        .iter()
        .filter_map(|m| m.incoming_per_maintainer)
        .collect();
    per.sort_by(f64::total_cmp);
    // Without issues, pull requests or list messages, incoming work is unknown, not none.
    let known = !inputs.items.is_empty() || !inputs.posts.is_empty();
    let value = quantile(&per, 0.5).map(round2).filter(|_| known);
    let total: u64 = by_maintainer.values().sum();
    let busiest = by_maintainer
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(k, n)| (k.clone(), round2(*n as f64 / total as f64)));
    let awaiting = awaiting(inputs);
    let last_active = months.last().map_or(0, |m| m.active_maintainers);
    Metric {
        value,
        reason: value.is_none().then(|| match known {
            true => "no maintainer acted in the window".to_owned(),
            false => "no forge or list data: the work coming in from others is unknown".to_owned(),
        }),
        details: Details {
            busiest,
            awaiting_first_response: awaiting,
            awaiting_per_active_maintainer: (last_active > 0)
                .then(|| round2(awaiting as f64 / last_active as f64)),
            off_hours: off_hours(inputs),
            months,
        },
        definition: Definition::over(RULE, w, false),
    }
}

/// Others' pull requests open at the window's end that no maintainer acted on.
fn awaiting(inputs: &Inputs<'_>) -> u64 {
    let until = inputs.window.until;
    let is = inputs.is_maintainer;
    inputs
        .items
        .iter()
        .filter(|i| i.kind == ItemKind::PullRequest && i.created < until)
        .filter(|i| i.closed.is_none_or(|t| t >= until) && i.merged.is_none_or(|t| t >= until))
        .filter(|i| {
            !i.author_bot
                && !i.author_maintains
                && i.author.as_deref().is_some_and(|a| !is(a, i.created))
        })
        .filter(|i| {
            !i.actions.iter().any(|a| {
                !a.bot && a.time < until && a.person.as_deref().is_some_and(|p| is(p, a.time))
            })
        })
        .count() as u64
}

/// Each maintainer's share of commits outside 08:00–20:00 local or at weekends.
fn off_hours(inputs: &Inputs<'_>) -> Vec<OffHours> {
    let w = inputs.window;
    let mut counts: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    for c in inputs
        .contributions
        .iter()
        .filter(|c| !c.bot && w.contains(c.time))
    {
        if !(inputs.is_maintainer)(&c.person, c.time) {
            continue;
        }
        let local = c.time + i64::from(c.offset_minutes) * 60;
        let hour = local.rem_euclid(86_400) / 3_600;
        // 1970-01-01 was a Thursday: day 0 → Thursday.
        let weekday = (local.div_euclid(86_400) + 3).rem_euclid(7); // 0 = Monday
        let off = !(8..20).contains(&hour) || weekday >= 5;
        let e = counts.entry(c.person.as_str()).or_default();
        e.0 += 1;
        e.1 += u64::from(off);
    }
    let mut out: Vec<OffHours> = counts
        .into_iter()
        .map(|(k, (n, off))| OffHours {
            key: k.to_owned(),
            commits: n,
            share: round2(off as f64 / n as f64),
        })
        .collect();
    out.sort_by(|a, b| b.share.total_cmp(&a.share).then_with(|| a.key.cmp(&b.key)));
    out
}

/// Per month: the maintainers active, and the figures.
type Months = BTreeMap<String, (BTreeSet<String>, Month)>;

/// `YYYY-MM` of a UTC instant.
fn month(t: i64) -> String {
    super::day(t).get(..7).unwrap_or_default().to_owned()
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests;
