//! What an OSPO needs beside its KPIs, per upstream: who commits and who
//! maintains it now (how many, by organization, by time zone, ours among
//! them), our share of its maintainers, merges and releases (flagged above
//! half: an upstream must not depend on one company, us included), and the
//! three questions that choose where our hours go — its need, our dependence
//! on it, our ability to help.
//!
//! - *contributors*: people (not bots) who authored a non-merge commit in the
//!   12 months before the window's end; *maintainers*: the `maintainers`
//!   definition at the window's end. Organizations are as of the window's
//!   end; a person's time zone is the UTC offset they committed from most.
//! - *need* = 0.1 + points: bus factor 1 (+1) or 2 (+0.5) over the window's
//!   commits, at most one maintainer (+1) or two (+0.5), fewer than half of
//!   non-maintainers' pull requests answered (+1), a release overdue (+0.5),
//!   no commit in the window's last 6 months (+1).
//! - *dependence*: the upstream's criticality in our dependency portfolio when
//!   one was given, else unknown. *ability* = 1 + 0.25 × our active
//!   contributors (at most 4) + 0.5 if one of ours maintains it.
//! - *focus* = need × ability × dependence (1 when unknown).

use super::{Context, Inputs, Upstream};
use crate::events::ItemKind;
use crate::metrics::items::IsMaintainer;
use crate::metrics::{Contribution, Window, bus_factor, releases};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A year, in seconds.
const YEAR: i64 = 365 * 86_400;

/// People of one kind (contributors or maintainers), broken down.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct People {
    /// How many.
    pub count: u64,
    /// How many are ours.
    pub ours: u64,
    /// `[organization, people]`, most first; unknown left out.
    pub by_organization: Vec<(String, u64)>,
    /// Of unknown organization.
    pub unknown_organization: u64,
    /// `[UTC offset in minutes, people]`, by offset; people without commits left out.
    pub by_utc_offset: Vec<(i32, u64)>,
    /// Their keys.
    pub keys: Vec<String>,
}

/// Our share of something, and how much there was.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Share {
    /// Ours.
    pub ours: u64,
    /// All.
    pub total: u64,
    /// `ours / total`, or `None` when there is none.
    pub share: Option<f64>,
}

/// Where our hours should go: the upstream's need, our dependence, our ability.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Focus {
    /// 0.1 + risk points.
    pub need: f64,
    /// The risks behind it.
    pub risks: Vec<String>,
    /// Criticality in our portfolio, if known.
    pub dependence: Option<f64>,
    /// 1 + 0.25 × our active contributors (≤ 4) + 0.5 with a maintainer of ours.
    pub ability: f64,
    /// need × ability × dependence (1 when unknown).
    pub score: f64,
}

/// The context of one upstream.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UpstreamContext {
    /// The upstream's short name.
    pub name: String,
    /// People who authored commits in the last 12 months.
    pub contributors: People,
    /// Maintainers at the window's end.
    pub maintainers: People,
    /// Our share of maintainers (at the end), merges and releases (in the window).
    pub our_share: BTreeMap<&'static str, Share>,
    /// Shares above half, in words.
    pub flags: Vec<String>,
    /// Need, dependence, ability.
    pub focus: Focus,
}

/// The context of every upstream; `dependence` gives an upstream's criticality, if known.
pub fn compute(
    inputs: &Inputs<'_>,
    context: &Context<'_>,
    dependence: &dyn Fn(&str) -> Option<f64>,
) -> Vec<UpstreamContext> {
    inputs
        .upstreams
        .iter()
        .zip(&context.maintainers)
        .map(|(u, index)| {
            let is_maintainer = |p: &str, t: i64| index.is(p, t);
            one(inputs, u, &is_maintainer, dependence(&u.name))
        })
        .collect()
}

fn one(
    inputs: &Inputs<'_>,
    u: &Upstream<'_>,
    is_maintainer: IsMaintainer<'_>,
    dependence: Option<f64>,
) -> UpstreamContext {
    let w = inputs.window;
    let end = w.until - 1;
    let offsets = offsets(u);
    let recent: BTreeSet<&str> = u
        .commits
        .iter()
        .filter(|c| !c.merge && !c.author_bot && w.until - YEAR <= c.time && c.time < w.until)
        .filter_map(|c| c.author.as_deref())
        .collect();
    let mut candidates: BTreeSet<&str> = u.named_maintainers.iter().map(String::as_str).collect();
    candidates.extend(
        u.landed
            .iter()
            .filter(|l| !l.bot)
            .map(|l| l.person.as_str()),
    );
    let maintainers: BTreeSet<&str> = candidates
        .into_iter()
        .filter(|p| is_maintainer(p, w.until))
        .collect();
    let people = |keys: &BTreeSet<&str>| breakdown(inputs, keys, &offsets, end);
    let (contributors, maintainers) = (people(&recent), people(&maintainers));
    let share = |ours: u64, total: u64| Share {
        ours,
        total,
        share: (total > 0).then(|| ours as f64 / total as f64),
    };
    let merges: Vec<_> = u
        .landed
        .iter()
        .filter(|l| !l.bot && w.contains(l.time))
        .collect();
    let releases: Vec<_> = u
        .releases
        .iter()
        .filter(|r| !r.prerelease && w.contains(r.time))
        .collect();
    let our_share = BTreeMap::from([
        ("maintainers", share(maintainers.ours, maintainers.count)),
        (
            "merges",
            share(
                merges
                    .iter()
                    .filter(|l| (inputs.ours)(&l.person, l.time))
                    .count() as u64,
                merges.len() as u64,
            ),
        ),
        (
            "releases",
            share(
                releases
                    .iter()
                    .filter(|r| {
                        r.person
                            .as_deref()
                            .is_some_and(|p| (inputs.ours)(p, r.time))
                    })
                    .count() as u64,
                releases.len() as u64,
            ),
        ),
    ]);
    let flags = our_share
        .iter()
        .filter(|(_, s)| s.share.is_some_and(|x| x > 0.5))
        .map(|(what, s)| {
            format!(
                "we hold {:.0}% of {}'s {what} ({} of {}): it depends on us",
                s.share.unwrap_or_default() * 100.0,
                u.name,
                s.ours,
                s.total
            )
        })
        .collect();
    let focus = focus(
        inputs,
        u,
        is_maintainer,
        &contributors,
        &maintainers,
        dependence,
    );
    UpstreamContext {
        name: u.name.clone(),
        contributors,
        maintainers,
        our_share,
        flags,
        focus,
    }
}

/// Each person's most used UTC offset in the upstream's commits.
fn offsets(u: &Upstream<'_>) -> HashMap<String, i32> {
    let mut counts: HashMap<&str, BTreeMap<i32, u64>> = HashMap::new();
    for c in u.commits.iter().filter(|c| !c.merge) {
        if let Some(a) = c.author.as_deref() {
            *counts
                .entry(a)
                .or_default()
                .entry(c.offset_minutes)
                .or_default() += 1;
        }
    }
    counts
        .into_iter()
        .filter_map(|(p, by)| {
            let (offset, _) = by
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))?;
            Some((p.to_owned(), *offset))
        })
        .collect()
}

fn breakdown(
    inputs: &Inputs<'_>,
    keys: &BTreeSet<&str>,
    offsets: &HashMap<String, i32>,
    at: i64,
) -> People {
    let mut by_org: BTreeMap<String, u64> = BTreeMap::new();
    let mut by_offset: BTreeMap<i32, u64> = BTreeMap::new();
    let mut out = People {
        count: keys.len() as u64,
        keys: keys.iter().map(|k| (*k).to_owned()).collect(),
        ..People::default()
    };
    for k in keys {
        out.ours += u64::from((inputs.ours)(k, at));
        match (inputs.organization_of)(k, at) {
            Some(org) => *by_org.entry(org).or_default() += 1,
            None => out.unknown_organization += 1,
        }
        if let Some(o) = offsets.get(*k) {
            *by_offset.entry(*o).or_default() += 1;
        }
    }
    let mut orgs: Vec<(String, u64)> = by_org.into_iter().collect();
    orgs.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out.by_organization = orgs;
    out.by_utc_offset = by_offset.into_iter().collect();
    out
}

fn focus(
    inputs: &Inputs<'_>,
    u: &Upstream<'_>,
    is_maintainer: IsMaintainer<'_>,
    contributors: &People,
    maintainers: &People,
    dependence: Option<f64>,
) -> Focus {
    let w: Window = inputs.window;
    let mut risks: Vec<(f64, String)> = Vec::new();
    let contributions: Vec<Contribution> = u
        .commits
        .iter()
        .filter(|c| !c.merge)
        .filter_map(|c| {
            Some(Contribution {
                person: c.author.clone()?,
                organization: None,
                time: c.time,
                offset_minutes: c.offset_minutes,
                bot: c.author_bot,
            })
        })
        .collect();
    match bus_factor::compute(&contributions, w, false).value {
        Some(1.0) => risks.push((1.0, "bus factor 1".into())),
        Some(2.0) => risks.push((0.5, "bus factor 2".into())),
        _ => {}
    }
    match maintainers.count {
        0 | 1 => risks.push((1.0, format!("{} maintainer(s)", maintainers.count))),
        2 => risks.push((0.5, "2 maintainers".into())),
        _ => {}
    }
    let outside: Vec<_> = u
        .items
        .iter()
        .filter(|i| {
            i.kind == ItemKind::PullRequest
                && w.contains(i.created)
                && !i.author_bot
                && !i.author_maintains
                && i.author
                    .as_deref()
                    .is_some_and(|a| !is_maintainer(a, i.created))
        })
        .collect();
    let answered = outside
        .iter()
        .filter(|i| i.first_response().is_some_and(|t| t < w.until))
        .count();
    if !outside.is_empty() && answered * 2 < outside.len() {
        risks.push((
            1.0,
            format!(
                "{answered} of {} non-maintainer pull requests answered",
                outside.len()
            ),
        ));
    }
    if releases::compute(u.releases, w).details.overdue {
        risks.push((0.5, "release overdue".into()));
    }
    let half_year = w.until - YEAR / 2;
    if !contributions
        .iter()
        .any(|c| half_year <= c.time && c.time < w.until)
    {
        risks.push((1.0, "no commit in the last 6 months".into()));
    }
    let need = 0.1 + risks.iter().map(|(p, _)| p).sum::<f64>();
    let ability =
        1.0 + 0.25 * contributors.ours.min(4) as f64 + if maintainers.ours > 0 { 0.5 } else { 0.0 };
    Focus {
        need,
        risks: risks.into_iter().map(|(_, r)| r).collect(),
        dependence,
        ability,
        score: need * ability * dependence.unwrap_or(1.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::testing::*;
    use crate::ledger::{Context as Lookups, mentoring, periods};
    use crate::metrics::maintainers::Index;

    #[test]
    fn who_commits_and_maintains_and_our_share() {
        // In 2025: ann (ours, +01:00) commits 3 times, bob (+05:30) twice, carol once
        // (−05:00). ann and max land work (maintainers); ann makes 2 of 3 merges and the
        // one release: we hold 1 of 2 maintainers (50%: no flag), 2/3 of merges and all
        // releases (flags). Bus factor: ann 3 of 6 = 50%: 1 → need 0.1 + 1 + 0.5 (two
        // maintainers) = 1.6; ability 1 + 0.25 + 0.5 = 1.75; no portfolio: score 2.8.
        let mut w = World::new("2025-01-01", "2026-01-01");
        w.joins("ann", "2020-01-01");
        for d in ["2025-02-01", "2025-05-01", "2025-09-01"] {
            w.commit("ann", d).offset_minutes = 60;
        }
        for d in ["2025-03-01", "2025-10-01"] {
            w.commit("bob", d).offset_minutes = 330;
        }
        w.commit("carol", "2025-11-01").offset_minutes = -300;
        w.lands("ann", "2025-04-01");
        w.lands("ann", "2025-08-01");
        w.lands("max", "2025-06-01");
        w.release("v1", "ann", "2025-07-01");
        let periods = periods::split(
            periods::PeriodKind::Year,
            w.window.since,
            w.window.until,
            w.window.until,
        );
        let upstreams = [Upstream {
            name: "o/r".into(),
            commits: &w.commits,
            items: &w.items,
            releases: &w.releases,
            landed: &w.landed,
            named_maintainers: &w.named,
            posts: &[],
            advisories: &[],
            released_in: &w.released_in,
        }];
        let ours = |p: &str, _: i64| p == "ann";
        let inputs = Inputs {
            upstreams: &upstreams,
            engagement: &[],
            ours: &ours,
            mentees: &[],
            mentoring: Default::default(),
            organization_of: &|p: &str, _| (p == "ann").then(|| "Us".to_owned()),
            team_of: &|_: &str, _| None,
            window: w.window,
            periods: &periods,
        };
        let lookups = Lookups {
            maintainers: vec![Index::new(&w.landed, &w.named)],
            mentoring: mentoring::Mentored::new(&inputs),
        };
        let c = &compute(&inputs, &lookups, &|_| None)[0];
        assert_eq!((c.contributors.count, c.contributors.ours), (3, 1));
        assert_eq!(
            c.contributors.by_utc_offset,
            vec![(-300, 1), (60, 1), (330, 1)]
        );
        assert_eq!(c.contributors.by_organization, vec![("Us".to_owned(), 1)]);
        assert_eq!(c.contributors.unknown_organization, 2);
        assert_eq!(c.maintainers.keys, vec!["ann", "max"]);
        assert_eq!(c.our_share["maintainers"].share, Some(0.5));
        assert_eq!(c.our_share["merges"].ours, 2);
        assert_eq!(c.flags.len(), 2);
        assert!(c.flags[0].starts_with("we hold 67% of o/r's merges"));
        assert_eq!(c.focus.risks, vec!["bus factor 1", "2 maintainers"]);
        assert!((c.focus.need - 1.6).abs() < 1e-9);
        assert!((c.focus.ability - 1.75).abs() < 1e-9);
        assert!((c.focus.score - 2.8).abs() < 1e-9);
    }
}
