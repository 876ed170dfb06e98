//! The OSPO ledger: what an organization's own people did upstream, per
//! period and in total, per upstream and for the whole portfolio, against the
//! goals it set. Pure, like the metrics: acts and identities in, plain
//! serializable numbers out, "now" a parameter.
//!
//! Every KPI is computed the same way: a KPI file turns the acts of each
//! upstream into *credits* (one per act that counts, naming the thing counted,
//! the person of ours behind it and when), and [`tally`] counts the distinct
//! things credited inside the window, in each period and in total. A thing is
//! counted once however many acts credit it (an issue commented on twice, a
//! review that is both a `Reviewed-by` trailer and a forge review). "Ours" is
//! decided per act, on its date ([`Inputs::ours`]); bots never count.

pub mod commits;
pub mod context;
pub mod engagement;
pub mod evenness;
pub mod goals;
pub mod issues;
pub mod mentoring;
pub mod periods;
pub mod proposals;
pub mod releases;
pub mod reviews;
pub mod security;

use crate::metrics::Window;
use crate::metrics::items::Item;
use crate::metrics::maintainers::{Index, Landed};
use crate::metrics::releases::Release;
use periods::Period;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// A commit with its people resolved to person keys.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CommitAct {
    /// The commit id (hex).
    pub id: String,
    /// The author's key; `None` when the identity is unknown.
    pub author: Option<String>,
    /// Whether the author is a bot.
    pub author_bot: bool,
    /// Author time, seconds since the epoch.
    pub time: i64,
    /// The author's UTC offset in minutes.
    pub offset_minutes: i32,
    /// Whether it is a merge commit.
    pub merge: bool,
    /// The pull request its message names, if any.
    pub pr_number: Option<u64>,
    /// People credited by `Co-authored-by` trailers (bots left out by the caller).
    pub co_authors: Vec<String>,
    /// People named by `Reviewed-by`, `Acked-by` and `Reviewers:` trailers.
    pub reviewers: Vec<String>,
    /// Issues its message refers to (`#N`, `KEY-N`).
    pub issue_refs: Vec<String>,
    /// Its subject (the first line of its message).
    pub subject: String,
}

/// One upstream's acts, any time.
pub struct Upstream<'a> {
    /// Its short name (`owner/name`), as goals and reports name it.
    pub name: String,
    /// Every commit.
    pub commits: &'a [CommitAct],
    /// Issues and pull requests with their actions (empty without forge data).
    pub items: &'a [Item],
    /// Releases (tags and forge releases).
    pub releases: &'a [Release],
    /// Maintainer evidence: work landed, acts with write access.
    pub landed: &'a [Landed],
    /// People named maintainers in governance files.
    pub named_maintainers: &'a BTreeSet<String>,
    /// Messages of its mailing lists (empty without a list).
    pub posts: &'a [crate::metrics::mailing_lists::Post],
    /// Its vulnerabilities and what fixed them (empty when not checked).
    pub advisories: &'a [security::Fixable],
    /// Per commit (hex id): the first release, by time, whose commit
    /// reaches it, and when that release was (see [`first_releases`]).
    pub released_in: &'a HashMap<String, (String, i64)>,
}

/// An engagement entry recorded by hand (a talk, a blog post, a meetup, office hours).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Engagement {
    /// When (00:00 UTC of its day), seconds since the epoch.
    pub time: i64,
    /// The person's key.
    pub person: String,
    /// The upstream it was for.
    pub upstream: String,
    /// What kind of engagement.
    pub kind: String,
    /// Where it can be seen.
    pub url: String,
}

/// When someone is mentored: reviews by our people within a look-back.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct MentoringRule {
    /// Distinct pull requests or patches of theirs our people reviewed.
    pub reviews: u64,
    /// Seconds before the act being credited that the reviews count in.
    pub lookback_seconds: i64,
}

impl Default for MentoringRule {
    fn default() -> Self {
        MentoringRule {
            reviews: 3,
            lookback_seconds: 365 * 86_400,
        }
    }
}

/// Is `person` ours at `time` (seconds since the epoch)?
pub type Ours<'a> = &'a dyn Fn(&str, i64) -> bool;

/// What the ledger is computed from.
pub struct Inputs<'a> {
    /// The upstreams of the portfolio.
    pub upstreams: &'a [Upstream<'a>],
    /// Hand-recorded engagement, any time.
    pub engagement: &'a [Engagement],
    /// Whether a person belonged to us at a time.
    pub ours: Ours<'a>,
    /// People named as mentored by us, from a time on (`[[organization.mentees]]`).
    pub mentees: &'a [(String, i64)],
    /// The mentoring rule.
    pub mentoring: MentoringRule,
    /// The organization of a person at a time, if known (for the context).
    pub organization_of: &'a dyn Fn(&str, i64) -> Option<String>,
    /// The team of one of our people at a time, if they have one.
    pub team_of: &'a dyn Fn(&str, i64) -> Option<String>,
    /// The window `[since, until)`.
    pub window: Window,
    /// The periods to count in (see [`periods::split`]).
    pub periods: &'a [Period],
}

/// One thing a KPI counts, credited to one of our people.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Credit {
    /// What is counted, unique within the KPI (`owner/name#12`, `owner/name@<commit>`, …).
    pub key: String,
    /// The upstream.
    pub upstream: String,
    /// Our person behind it.
    pub person: String,
    /// When the act was, seconds since the epoch.
    pub time: i64,
    /// What they did, in words.
    pub what: String,
}

/// Counts: in total over the window, and per period.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Distinct things credited in the window.
    pub total: u64,
    /// Distinct things credited in each period (in the order of the ledger's periods).
    pub by_period: Vec<u64>,
}

/// One KPI over the portfolio.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Kpi {
    /// Its id, as goals and the JSON name it.
    pub id: &'static str,
    /// What it counts, with its parameters.
    pub definition: String,
    /// The counts over the whole portfolio.
    #[serde(flatten)]
    pub counts: Counts,
    /// The counts per upstream (by short name).
    pub by_upstream: BTreeMap<String, Counts>,
    /// Further figures this KPI reports (outcomes, co-authored commits, …).
    pub extra: BTreeMap<&'static str, serde_json::Value>,
    /// Every credit in the window, oldest first: anyone can check why.
    pub credits: Vec<Credit>,
}

/// The KPIs in the order reports show them.
pub const KPI_IDS: [&str; 11] = [
    "commits",
    "issues_worked_on",
    "patches_reviewed",
    "non_maintainer_prs_reviewed",
    "returning_contributors_reviewed",
    "issues_triaged",
    "releases_by_us",
    "releases_by_mentees",
    "maintainers_grown",
    "engagement",
    "security_fixes",
];

/// What a KPI file produces: its credits (any time) and extra figures.
pub struct Produced {
    /// The credits.
    pub credits: Vec<Credit>,
    /// Extra figures.
    pub extra: BTreeMap<&'static str, serde_json::Value>,
}

impl Produced {
    /// Credits without extra figures.
    pub fn credits(credits: Vec<Credit>) -> Self {
        Produced {
            credits,
            extra: BTreeMap::new(),
        }
    }
}

/// Shared lookups: maintainers and mentoring across the portfolio.
pub struct Context<'a> {
    /// Maintainers per upstream (by index in [`Inputs::upstreams`]).
    pub maintainers: Vec<Index<'a>>,
    /// Who we mentored when.
    pub mentoring: mentoring::Mentored,
}

/// Every KPI, with its counts.
pub fn compute(inputs: &Inputs<'_>) -> Vec<Kpi> {
    kpis(inputs, &lookups(inputs))
}

/// Every KPI, and each upstream's context (see [`context`]); `dependence`
/// gives an upstream's criticality in our portfolio, if known.
pub fn compute_with_context(
    inputs: &Inputs<'_>,
    dependence: &dyn Fn(&str) -> Option<f64>,
) -> (Vec<Kpi>, Vec<context::UpstreamContext>) {
    let lookups = lookups(inputs);
    (
        kpis(inputs, &lookups),
        context::compute(inputs, &lookups, dependence),
    )
}

fn lookups<'a>(inputs: &Inputs<'a>) -> Context<'a> {
    Context {
        maintainers: inputs
            .upstreams
            .iter()
            .map(|u| Index::new(u.landed, u.named_maintainers))
            .collect(),
        mentoring: mentoring::Mentored::new(inputs),
    }
}

fn kpis(inputs: &Inputs<'_>, context: &Context<'_>) -> Vec<Kpi> {
    let produced: [(&'static str, String, Produced); 11] = [
        (
            "commits",
            commits::DEFINITION.to_owned(),
            commits::commits(inputs),
        ),
        (
            "issues_worked_on",
            issues::WORKED_ON.to_owned(),
            issues::worked_on(inputs),
        ),
        (
            "patches_reviewed",
            reviews::PATCHES.to_owned(),
            reviews::patches(inputs),
        ),
        (
            "non_maintainer_prs_reviewed",
            reviews::NON_MAINTAINER_PRS.to_owned(),
            reviews::non_maintainer_prs(inputs, context),
        ),
        (
            "returning_contributors_reviewed",
            reviews::RETURNING.to_owned(),
            reviews::returning(inputs, context),
        ),
        (
            "issues_triaged",
            issues::TRIAGED.to_owned(),
            issues::triaged(inputs, context),
        ),
        (
            "releases_by_us",
            releases::BY_US.to_owned(),
            releases::by_us(inputs),
        ),
        (
            "releases_by_mentees",
            mentoring::definition(releases::BY_MENTEES, inputs.mentoring),
            releases::by_mentees(inputs, context),
        ),
        (
            "maintainers_grown",
            mentoring::definition(mentoring::GROWN, inputs.mentoring),
            mentoring::grown(inputs, context),
        ),
        (
            "engagement",
            engagement::DEFINITION.to_owned(),
            engagement::engagement(inputs),
        ),
        (
            "security_fixes",
            security::DEFINITION.to_owned(),
            security::security_fixes(inputs),
        ),
    ];
    produced
        .into_iter()
        .map(|(id, definition, p)| kpi(id, definition, p, inputs))
        .collect()
}

fn kpi(id: &'static str, definition: String, p: Produced, inputs: &Inputs<'_>) -> Kpi {
    let mut credits: Vec<Credit> = p
        .credits
        .into_iter()
        .filter(|c| inputs.window.contains(c.time))
        .collect();
    credits.sort_by(|a, b| a.time.cmp(&b.time).then_with(|| a.key.cmp(&b.key)));
    let by_upstream = inputs
        .upstreams
        .iter()
        .map(|u| {
            let mine: Vec<&Credit> = credits.iter().filter(|c| c.upstream == u.name).collect();
            (u.name.clone(), tally(&mine, inputs.periods))
        })
        .collect();
    let all: Vec<&Credit> = credits.iter().collect();
    Kpi {
        id,
        definition,
        counts: tally(&all, inputs.periods),
        by_upstream,
        extra: p.extra,
        credits,
    }
}

/// Distinct keys among `credits` (all inside the window), in total and per period.
pub fn tally(credits: &[&Credit], periods: &[Period]) -> Counts {
    let distinct = |pick: &dyn Fn(&Credit) -> bool| {
        credits
            .iter()
            .filter(|c| pick(c))
            .map(|c| c.key.as_str())
            .collect::<HashSet<_>>()
            .len() as u64
    };
    Counts {
        total: distinct(&|_| true),
        by_period: periods
            .iter()
            .map(|p| distinct(&|c| p.start <= c.time && c.time < p.end))
            .collect(),
    }
}

/// Whether the act of `person` (if any, not a bot) at `time` is ours.
pub(crate) fn ours_at(inputs: &Inputs<'_>, person: Option<&str>, bot: bool, time: i64) -> bool {
    !bot && person.is_some_and(|p| (inputs.ours)(p, time))
}

/// The key of a change: its pull request when the commit names one, else the commit.
pub(crate) fn change_key(upstream: &str, commit: &CommitAct) -> String {
    match commit.pr_number {
        Some(n) => format!("{upstream}#{n}"),
        None => format!("{upstream}@{}", short(&commit.id)),
    }
}

/// The first release containing each commit: `releases` are (name, its
/// commit, when), `parents` the commit graph. Releases are taken by time;
/// each commit belongs to the first whose commit reaches it. One walk of
/// the graph in all.
pub fn first_releases<K: Clone + Eq + std::hash::Hash>(
    releases: &[(String, K, i64)],
    parents: &dyn Fn(&K) -> Vec<K>,
) -> HashMap<K, (String, i64)> {
    let mut order: Vec<&(String, K, i64)> = releases.iter().collect();
    order.sort_by(|a, b| a.2.cmp(&b.2).then_with(|| a.0.cmp(&b.0)));
    let mut out: HashMap<K, (String, i64)> = HashMap::new();
    for (name, target, time) in order {
        let mut stack = vec![target.clone()];
        while let Some(commit) = stack.pop() {
            if out.contains_key(&commit) {
                continue;
            }
            stack.extend(parents(&commit));
            out.insert(commit, (name.clone(), *time));
        }
    }
    out
}

/// A commit id shortened as git shows it.
pub(crate) fn short(id: &str) -> &str {
    &id[..id.len().min(10)]
}

#[cfg(test)]
pub(crate) mod testing;
