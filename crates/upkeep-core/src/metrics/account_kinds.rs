//! Who carries the work: people, automation bots and AI agents. Commits
//! (each credited contributor, co-authors included), pull requests opened
//! and reviews given, by the kind of account, per quarter of the window;
//! and the commits of people that name an agent (AI-assisted). People-only
//! metrics (contributors, the factors, the funnel) already leave bots and
//! agents out; this says how much work they leave out. The value is the
//! share of the window's commits an agent authored or assisted.

use super::items::Item;
use super::reviews::Review;
use super::{Contribution, Definition, Metric, Window, quarter};
use crate::events::{ActivityKind, ItemKind};
use crate::identities::bots::AccountKind;
use serde::Serialize;
use std::collections::BTreeMap;

/// Counts by account kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ByKind {
    /// By people.
    pub people: u64,
    /// By automation bots.
    pub bots: u64,
    /// By AI agents.
    pub agents: u64,
}

impl ByKind {
    fn add(&mut self, kind: AccountKind) {
        match kind {
            AccountKind::Person => self.people += 1,
            AccountKind::Bot => self.bots += 1,
            AccountKind::Agent => self.agents += 1,
        }
    }
}

/// One quarter's (or the window's) work by kind.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Work {
    /// The quarter (`2025-Q3`), or `window`.
    pub quarter: String,
    /// Contributions to commits (authors and co-authors).
    pub commits: ByKind,
    /// Commits an agent authored.
    pub agent_commits: u64,
    /// Commits by people that name an agent (co-author, `Assisted-by`, `Generated-by`).
    pub ai_assisted_commits: u64,
    /// Pull requests opened.
    pub pull_requests: ByKind,
    /// Reviews given (forge reviews and review trailers).
    pub reviews: ByKind,
}

/// What the shares are made of.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Details {
    /// The whole window.
    pub window: Work,
    /// Each quarter of the window with any work.
    pub quarters: Vec<Work>,
    /// The agents seen in the window, with their commits, pull requests and reviews.
    pub agents: Vec<(String, u64)>,
    /// The load of agents' pull requests on the maintainers.
    pub agent_pull_requests: AgentPrs,
}

/// Pull requests AI agents opened in the window, and what they cost the
/// maintainers.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct AgentPrs {
    /// Opened by agents.
    pub opened: u64,
    /// Of them, merged before the window's end.
    pub merged: u64,
    /// `merged / opened`.
    pub merge_rate: Option<f64>,
    /// Reviews and comments maintainers gave them.
    pub maintainer_acts: u64,
    /// Opened per active maintainer per month (over the months' active
    /// maintainers, see the maintainer load).
    pub per_active_maintainer_month: Option<f64>,
}

/// The agents' pull requests of `window` (`is_agent` says which authors are
/// agents), over `maintainer_months` (active maintainers summed over the
/// window's months).
pub fn agent_prs(
    items: &[Item],
    is_agent: &dyn Fn(&str) -> bool,
    is_maintainer: &dyn Fn(&str, i64) -> bool,
    maintainer_months: u64,
    window: Window,
) -> AgentPrs {
    let prs: Vec<&Item> = items
        .iter()
        .filter(|i| i.kind == ItemKind::PullRequest && window.contains(i.created))
        .filter(|i| i.author.as_deref().is_some_and(is_agent))
        .collect();
    let opened = prs.len() as u64;
    let merged = prs
        .iter()
        .filter(|i| i.merged.is_some_and(|t| t < window.until))
        .count() as u64;
    let maintainer_acts = prs
        .iter()
        .flat_map(|i| &i.actions)
        .filter(|a| {
            matches!(
                a.kind,
                ActivityKind::Review | ActivityKind::Comment | ActivityKind::ReviewComment
            ) && !a.bot
                && a.time < window.until
                && a.person
                    .as_deref()
                    .is_some_and(|p| is_maintainer(p, a.time))
        })
        .count() as u64;
    let round = |x: f64| (x * 1000.0).round() / 1000.0;
    AgentPrs {
        opened,
        merged,
        merge_rate: (opened > 0).then(|| round(merged as f64 / opened as f64)),
        maintainer_acts,
        per_active_maintainer_month: (maintainer_months > 0)
            .then(|| round(opened as f64 / maintainer_months as f64)),
    }
}

/// What the figures are computed from.
pub struct Inputs<'a> {
    /// Contributions (people, bots and agents), any time.
    pub contributions: &'a [Contribution],
    /// Reviews by people (trailers and forge reviews), any time; the
    /// forge's reviews by bots and agents are read from `items`.
    pub reviews: &'a [Review],
    /// Issues and pull requests.
    pub items: &'a [Item],
    /// When commits by people named an agent.
    pub assisted: &'a [i64],
    /// When agents authored commits.
    pub agent_commits: &'a [i64],
    /// The kind of a person key.
    pub kind_of: &'a dyn Fn(&str) -> AccountKind,
    /// The window.
    pub window: Window,
}

const RULE: &str = "every account is a person, an automation bot (dependency, CI and release robots) or an AI agent (coding and review agents, and the AI trailers name), by built-in lists and [bots]/[agents]; commits (each credited contributor), pull requests opened and reviews given are counted by kind per quarter; a commit by a person naming an agent (Co-authored-by, Assisted-by, Generated-by) is AI-assisted; value: the share of the window's commits an agent authored or assisted";

/// The work by kind over `inputs.window`.
pub fn compute(inputs: &Inputs<'_>) -> Metric<Details> {
    let w = inputs.window;
    let mut by_quarter: BTreeMap<(i32, u8), Work> = BTreeMap::new();
    let mut agents: BTreeMap<String, u64> = BTreeMap::new();
    fn at(by_quarter: &mut BTreeMap<(i32, u8), Work>, time: i64) -> &mut Work {
        by_quarter.entry(quarter(time)).or_default()
    }
    for c in inputs.contributions.iter().filter(|c| w.contains(c.time)) {
        let kind = kind(inputs, &c.person, c.bot);
        at(&mut by_quarter, c.time).commits.add(kind);
        if kind == AccountKind::Agent {
            *agents.entry(c.person.clone()).or_default() += 1;
        }
    }
    for t in inputs.assisted.iter().filter(|t| w.contains(**t)) {
        at(&mut by_quarter, *t).ai_assisted_commits += 1;
    }
    for t in inputs.agent_commits.iter().filter(|t| w.contains(**t)) {
        at(&mut by_quarter, *t).agent_commits += 1;
    }
    for item in inputs
        .items
        .iter()
        .filter(|i| i.kind == ItemKind::PullRequest)
    {
        let Some(author) = item.author.as_deref().filter(|_| w.contains(item.created)) else {
            continue;
        };
        let kind = kind(inputs, author, item.author_bot);
        at(&mut by_quarter, item.created).pull_requests.add(kind);
        if kind == AccountKind::Agent {
            *agents.entry(author.to_owned()).or_default() += 1;
        }
    }
    // Reviews by people come from `reviews`; the forge's reviews by bots and
    // agents, which those leave out, from the items.
    let automated = inputs
        .items
        .iter()
        .flat_map(|i| &i.actions)
        .filter(|a| a.bot && a.kind == ActivityKind::Review && w.contains(a.time))
        .filter_map(|a| Some((a.person.as_deref()?, a.time)));
    for (person, time) in automated {
        let kind = kind(inputs, person, true);
        at(&mut by_quarter, time).reviews.add(kind);
        if kind == AccountKind::Agent {
            *agents.entry(person.to_owned()).or_default() += 1;
        }
    }
    for r in inputs
        .reviews
        .iter()
        .filter(|r| !r.bot && w.contains(r.time))
    {
        let kind = kind(inputs, &r.person, r.bot);
        at(&mut by_quarter, r.time).reviews.add(kind);
        if kind == AccountKind::Agent {
            *agents.entry(r.person.clone()).or_default() += 1;
        }
    }
    let quarters: Vec<Work> = by_quarter
        .into_iter()
        .map(|((year, q), mut work)| {
            work.quarter = format!("{year}-Q{q}");
            work
        })
        .collect();
    let window = total(&quarters);
    let human_or_agent = window.commits.people + window.agent_commits;
    let value = (human_or_agent > 0).then(|| {
        let share =
            (window.agent_commits + window.ai_assisted_commits) as f64 / human_or_agent as f64;
        (share * 1000.0).round() / 1000.0
    });
    let mut agents: Vec<(String, u64)> = agents.into_iter().collect();
    agents.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Metric {
        value,
        reason: value
            .is_none()
            .then(|| "no commit in the window".to_owned()),
        details: Details {
            window,
            quarters,
            agents,
            agent_pull_requests: AgentPrs::default(),
        },
        definition: Definition::over(RULE, w, true),
    }
}

/// The kind of `person`: a person unless flagged a bot (bots and agents
/// both are), then an agent or a bot as its account says.
fn kind(inputs: &Inputs<'_>, person: &str, bot: bool) -> AccountKind {
    match bot {
        false => AccountKind::Person,
        true if (inputs.kind_of)(person) == AccountKind::Agent => AccountKind::Agent,
        true => AccountKind::Bot,
    }
}

/// The sum of `quarters`.
fn total(quarters: &[Work]) -> Work {
    let mut out = Work {
        quarter: "window".into(),
        ..Work::default()
    };
    for q in quarters {
        for (sum, part) in [
            (&mut out.commits, q.commits),
            (&mut out.pull_requests, q.pull_requests),
            (&mut out.reviews, q.reviews),
        ] {
            sum.people += part.people;
            sum.bots += part.bots;
            sum.agents += part.agents;
        }
        out.agent_commits += q.agent_commits;
        out.ai_assisted_commits += q.ai_assisted_commits;
    }
    out
}

#[cfg(test)]
mod tests;
