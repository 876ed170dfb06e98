//! The report: every metric over one window, and the flags that matter.

use super::funnel::Other;
use super::items::Item;
use super::maintainers::{Index, Landed};
use super::releases::Release;
use super::reviews::Review;
use super::{
    Contribution, Metric, Window, account_kinds, activity, adoption, bus_factor, conflicts,
    contributors, departures, elephant_factor, first_response, funnel, issue_triage, journey,
    lifecycle, load, mailing_lists, maintainers, non_maintainer_prs, org_exits, organizations,
    releases, replacement_cost, reviews, security_response, series, side_by_side, time_zones,
    truck_factor,
};
use crate::events::{ActivityKind, ItemKind};
use crate::identities::bots::AccountKind;
use crate::identities::org_kinds::{INDEPENDENT, OrgKind, UNKNOWN};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

/// What the metrics are computed from.
pub struct Inputs<'a> {
    /// Contributions (non-merge commits authored), any time.
    pub contributions: &'a [Contribution],
    /// Releases, any time.
    pub releases: &'a [Release],
    /// Reviews given, any time.
    pub reviews: &'a [Review],
    /// Work landed (merges, commits of others' work, pull requests merged), any time.
    pub landed: &'a [Landed],
    /// Acts with write access on the forge (by author association), any time: maintainers by the forge's word.
    pub write_access: &'a [Landed],
    /// Issues and pull requests from the forge, any time (empty without forge data).
    pub items: &'a [Item],
    /// Mailing-list messages, any time (empty without a list).
    pub posts: &'a [mailing_lists::Post],
    /// What commits say of list threads (`Discussion:` links, subjects).
    pub landings: &'a mailing_lists::Landings,
    /// People named in governance files.
    pub named_maintainers: &'a BTreeSet<String>,
    /// People any governance file lists (GOVERNANCE files too), for the roster audit.
    pub listed: &'a BTreeSet<String>,
    /// The organization of a person (by key) at the end of the window, if known.
    pub organization_of: &'a (dyn Fn(&str) -> Option<String> + Sync),
    /// Per repository: the files of the tree at the end of the window, and the history before it.
    pub files: &'a [(Vec<truck_factor::TreeFile>, Vec<truck_factor::FileChange>)],
    /// Whose identities the truck factor's developers are (the keys of `files`' changes).
    pub truck_factor_identities: truck_factor::Identities,
    /// Lines of code by language in the trees at the end of the window.
    pub code: &'a [replacement_cost::Language],
    /// Code files of those trees whose content is missing (a partial clone), not counted.
    pub files_without_content: u64,
    /// Commits whose authors came from their messages (`Author:` lines).
    pub commits_credited_from_messages: u64,
    /// The window `[since, until)`.
    pub window: Window,
    /// Whether bots count as contributors where a metric allows it.
    pub include_bots: bool,
    /// Advisories, packages and disclosure channel (`None`: not checked).
    pub security: Option<&'a security_response::Evidence>,
    /// What says the project is archived (its forge, its README), if anything does.
    pub archived: Option<&'a str>,
    /// Whether any of its repositories has forge data.
    pub has_forge: bool,
    /// When commits by people named an AI agent.
    pub assisted: &'a [i64],
    /// When AI agents authored commits.
    pub agent_commits: &'a [i64],
    /// The kind of account of a person key.
    pub kind_of: &'a (dyn Fn(&str) -> AccountKind + Sync),
    /// Whether a person (by key) of unknown organization writes from
    /// free-mail addresses: the "independent" row rather than "unknown".
    pub independent: &'a (dyn Fn(&str) -> bool + Sync),
    /// The kind of an organization (or row).
    pub org_kind: &'a (dyn Fn(&str) -> OrgKind + Sync),
    /// The organizations the project expects to contribute, and the share of
    /// the work below which one is flagged.
    pub partners: (&'a [String], f64),
    /// Commits that changed governance files, any time.
    pub governance_changes: &'a [Contribution],
    /// The labels that offer an issue to newcomers (lower case).
    pub good_first_labels: &'a [String],
    /// Adoption signals read from forges and registries (`None`: not checked).
    pub adoption: Option<&'a adoption::Evidence>,
}

/// Nobody named in a governance file.
static NOBODY: BTreeSet<String> = BTreeSet::new();
/// No commit naming a list thread.
static NO_LANDINGS: mailing_lists::Landings = mailing_lists::Landings {
    discussed: BTreeSet::new(),
    subjects: BTreeSet::new(),
};
/// Everyone a person.
static PEOPLE: fn(&str) -> AccountKind = |_| AccountKind::Person;
/// No organization known for anyone.
static UNAFFILIATED: fn(&str) -> Option<String> = |_| None;
/// Nobody known to be independent.
static NOT_INDEPENDENT: fn(&str) -> bool = |_| false;
/// Kinds by the built-in rules only.
static BUILT_IN_KINDS: fn(&str) -> OrgKind =
    |name| crate::identities::org_kinds::built_in(name).unwrap_or(OrgKind::Unknown);

impl Inputs<'static> {
    /// No data at all over `window` (bots not counted, the truck factor over
    /// people): the start of inputs built field by field with `..`.
    pub fn empty(window: Window) -> Self {
        Inputs {
            contributions: &[],
            releases: &[],
            reviews: &[],
            landed: &[],
            write_access: &[],
            items: &[],
            posts: &[],
            landings: &NO_LANDINGS,
            named_maintainers: &NOBODY,
            listed: &NOBODY,
            organization_of: &UNAFFILIATED,
            files: &[],
            truck_factor_identities: truck_factor::Identities::People,
            code: &[],
            files_without_content: 0,
            commits_credited_from_messages: 0,
            window,
            include_bots: false,
            security: None,
            archived: None,
            has_forge: false,
            assisted: &[],
            agent_commits: &[],
            kind_of: &PEOPLE,
            independent: &NOT_INDEPENDENT,
            org_kind: &BUILT_IN_KINDS,
            partners: (&[], side_by_side::PARTNER_THRESHOLD),
            governance_changes: &[],
            good_first_labels: &[],
            adoption: None,
        }
    }
}

/// Every metric, keyed as in the JSON contract.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Metrics {
    /// See [`bus_factor`].
    pub bus_factor: Metric<bus_factor::Details>,
    /// See [`elephant_factor`].
    pub elephant_factor: Metric<elephant_factor::Details>,
    /// See [`truck_factor`].
    pub truck_factor: Metric<truck_factor::Details>,
    /// See [`releases`].
    pub releases: Metric<releases::Details>,
    /// See [`time_zones`].
    pub time_zones: Metric<time_zones::Details>,
    /// See [`activity`].
    pub activity: Metric<activity::Details>,
    /// See [`contributors`].
    pub contributors: Metric<contributors::Details>,
    /// See [`funnel`].
    pub funnel: Metric<funnel::Details>,
    /// See [`maintainers`].
    pub maintainers: Metric<maintainers::Details>,
    /// See [`reviews`].
    pub reviews: Metric<reviews::Details>,
    /// See [`first_response`].
    pub first_response: Metric<first_response::Details>,
    /// See [`non_maintainer_prs`].
    pub non_maintainer_prs: Metric<non_maintainer_prs::Details>,
    /// See [`issue_triage`].
    pub issue_triage: Metric<issue_triage::Details>,
    /// See [`organizations`].
    pub organizations: Metric<organizations::Details>,
    /// See [`replacement_cost`].
    pub replacement_cost: Metric<replacement_cost::Details>,
    /// See [`mailing_lists`].
    pub mailing_lists: Metric<mailing_lists::Details>,
    /// See [`security_response`].
    pub security_response: Metric<security_response::Details>,
    /// See [`lifecycle`].
    pub lifecycle: Metric<lifecycle::Details, String>,
    /// See [`account_kinds`].
    pub account_kinds: Metric<account_kinds::Details>,
    /// See [`load`].
    pub maintainer_load: Metric<load::Details>,
    /// See [`departures`].
    pub maintainer_departures: Metric<departures::Details>,
    /// See [`org_exits`].
    pub organization_exits: Metric<org_exits::Details>,
    /// See [`side_by_side`].
    pub organizations_side_by_side: Metric<side_by_side::Details>,
    /// See [`conflicts`].
    pub conflicts_of_interest: Metric<conflicts::Details>,
    /// See [`adoption`].
    pub adoption: Metric<adoption::Details>,
    /// See [`journey`].
    pub user_journey: Metric<journey::Details>,
}

/// The metrics over `window` from the same inputs, without the trees (the
/// truck factor and the replacement cost have no value there): what the
/// health card compares a window with.
pub fn over(inputs: &Inputs<'_>, window: Window) -> Metrics {
    compute(&Inputs {
        window,
        files: &[],
        code: &[],
        files_without_content: 0,
        ..*inputs
    })
}

/// Computes every metric.
pub fn compute(inputs: &Inputs<'_>) -> Metrics {
    let w = inputs.window;
    let evidence = evidence(inputs);
    let maintainers = maintainers::compute(&evidence, inputs.named_maintainers, w);
    let index = Index::new(&evidence, inputs.named_maintainers);
    let is_maintainer = |person: &str, at: i64| index.is(person, at);
    let mut ever: BTreeSet<String> = inputs.named_maintainers.clone();
    ever.extend(evidence.iter().filter(|l| !l.bot).map(|l| l.person.clone()));
    let others = other_contributions(inputs);
    let times = contribution_times(inputs, &others);
    let first = first_times(&times);
    let commits = organizations::dimension(
        inputs
            .contributions
            .iter()
            .filter(|c| w.contains(c.time) && (inputs.include_bots || !c.bot))
            .map(|c| c.organization.as_deref()),
    );
    let maintainer_orgs: Vec<Option<String>> = maintainers
        .details
        .maintainers
        .iter()
        .map(|p| (inputs.organization_of)(p))
        .collect();
    let merges = organizations::dimension(
        inputs
            .landed
            .iter()
            .filter(|l| !l.bot && w.contains(l.time))
            .map(|l| l.organization.as_deref()),
    );
    let release_orgs = organizations::dimension(
        inputs
            .releases
            .iter()
            .filter(|r| !r.prerelease && w.contains(r.time))
            .map(|r| r.organization.as_deref()),
    );
    let activity = activity::compute(inputs.contributions, w);
    let lifecycle = lifecycle::compute(&lifecycle::Inputs {
        contributions: inputs.contributions,
        releases: inputs.releases,
        items: inputs.items,
        is_maintainer: &is_maintainer,
        last_maintainer_act: last_maintainer_act(inputs, &evidence, &is_maintainer),
        activity_change_pct: activity.value,
        archived: inputs.archived,
        has_forge: inputs.has_forge,
        window: w,
    });
    let last_commit = inputs
        .contributions
        .iter()
        .filter(|c| c.time < w.until)
        .map(|c| c.time)
        .max();
    let adoption = adoption::compute(inputs.adoption, lifecycle.value.as_deref(), last_commit, w);
    let (organizations_side_by_side, conflicts_of_interest, user_journey) =
        stakeholders(inputs, &maintainers.details.maintainers, &others, &first);
    let maintainer_departures = departures::compute(&departures::Inputs {
        evidence: &evidence,
        acts: &acts(inputs),
        named: inputs.listed,
        maintainers: &maintainers.details.maintainers,
        organization_of: inputs.organization_of,
        window: w,
    });
    let mut metrics = Metrics {
        bus_factor: bus_factor::compute(inputs.contributions, w, inputs.include_bots),
        elephant_factor: elephant_factor::compute(inputs.contributions, w, inputs.include_bots),
        truck_factor: truck_factor::compute(
            inputs.files,
            truck_factor::Options {
                identities: inputs.truck_factor_identities,
                include_bots: inputs.include_bots,
            },
        ),
        releases: releases::compute(inputs.releases, w),
        time_zones: time_zones::compute(
            inputs.contributions,
            &maintainers.details.maintainers.iter().cloned().collect(),
            w,
        ),
        contributors: contributors::compute(inputs.contributions, w),
        funnel: funnel::compute(inputs.contributions, &others, &ever, w),
        reviews: reviews::compute(inputs.reviews, w),
        first_response: first_response::compute(inputs.items, &is_maintainer, &first, w),
        non_maintainer_prs: non_maintainer_prs::compute(
            inputs.items,
            &is_maintainer,
            &times,
            &first,
            w,
        ),
        issue_triage: issue_triage::compute(inputs.items, &is_maintainer, w),
        organizations: organizations::compute(
            commits,
            organizations::dimension(maintainer_orgs.iter().map(Option::as_deref)),
            merges,
            release_orgs,
            w,
        ),
        maintainers,
        replacement_cost: replacement_cost::compute(
            inputs.code.to_vec(),
            inputs.files_without_content,
        ),
        mailing_lists: mailing_lists::compute(inputs.posts, &is_maintainer, inputs.landings, w),
        security_response: security_response::compute(inputs.security, inputs.releases, w),
        lifecycle,
        activity,
        maintainer_departures,
        maintainer_load: load::compute(&load::Inputs {
            contributions: inputs.contributions,
            reviews: inputs.reviews,
            landed: inputs.landed,
            items: inputs.items,
            posts: inputs.posts,
            is_maintainer: &is_maintainer,
            window: w,
        }),
        organization_exits: org_exits::compute(inputs.contributions, w),
        organizations_side_by_side,
        conflicts_of_interest,
        adoption,
        user_journey,
        account_kinds: account_kinds::compute(&account_kinds::Inputs {
            contributions: inputs.contributions,
            reviews: inputs.reviews,
            items: inputs.items,
            assisted: inputs.assisted,
            agent_commits: inputs.agent_commits,
            kind_of: inputs.kind_of,
            window: w,
        }),
    };
    let is_agent = |p: &str| (inputs.kind_of)(p) == AccountKind::Agent;
    metrics.first_response.details.by_agents =
        first_response::by_agents(inputs.items, &is_agent, &is_maintainer, &first, w);
    let maintainer_months = metrics
        .maintainer_load
        .details
        .months
        .iter()
        .map(|m| m.active_maintainers)
        .sum();
    metrics.account_kinds.details.agent_pull_requests = account_kinds::agent_prs(
        inputs.items,
        &is_agent,
        &is_maintainer,
        maintainer_months,
        w,
    );
    state_authorship(&mut metrics, inputs.commits_credited_from_messages);
    metrics
}

type Stakeholders = (
    Metric<side_by_side::Details>,
    Metric<conflicts::Details>,
    Metric<journey::Details>,
);

/// Organizations side by side, conflicts of interest and the users'
/// journey, once the maintainers and first contributions are known.
fn stakeholders(
    inputs: &Inputs<'_>,
    maintainers: &[String],
    others: &[Other],
    first: &HashMap<String, i64>,
) -> Stakeholders {
    let w = inputs.window;
    // Each person's row, looked up once: the lookups resolve identities.
    let rows: std::cell::RefCell<HashMap<String, String>> = Default::default();
    let stakeholder = |p: &str| {
        if let Some(row) = rows.borrow().get(p) {
            return row.clone();
        }
        let row = (inputs.organization_of)(p).unwrap_or_else(|| {
            if (inputs.independent)(p) {
                INDEPENDENT.to_owned()
            } else {
                UNKNOWN.to_owned()
            }
        });
        rows.borrow_mut().insert(p.to_owned(), row.clone());
        row
    };
    let side_by_side = side_by_side::compute(&side_by_side::Inputs {
        contributions: inputs.contributions,
        reviews: inputs.reviews,
        landed: inputs.landed,
        releases: inputs.releases,
        items: inputs.items,
        maintainers,
        stakeholder: &stakeholder,
        kind_of: inputs.org_kind,
        partners: inputs.partners.0,
        partner_threshold: inputs.partners.1,
        window: w,
    });
    let conflicts = conflicts::compute(&conflicts::Inputs {
        items: inputs.items,
        releases: inputs.releases,
        governance_changes: inputs.governance_changes,
        maintainers,
        stakeholder: &stakeholder,
        window: w,
    });
    let journey = journey::compute(&journey::Inputs {
        contributions: inputs.contributions,
        forge: others,
        items: inputs.items,
        posts: inputs.posts,
        first,
        good_first_labels: inputs.good_first_labels,
        window: w,
    });
    (side_by_side, conflicts, journey)
}

/// Every act by a person (not a bot): commits, reviews, opening and acting
/// on issues and pull requests, list posts.
fn acts(inputs: &Inputs<'_>) -> Vec<(String, i64)> {
    let commits = inputs
        .contributions
        .iter()
        .filter(|c| !c.bot)
        .map(|c| (c.person.clone(), c.time));
    let reviews = inputs
        .reviews
        .iter()
        .filter(|r| !r.bot)
        .map(|r| (r.person.clone(), r.time));
    let forge = forge_contributions(inputs.items)
        .into_iter()
        .filter(|o| !o.bot)
        .map(|o| (o.person, o.time));
    let posts = inputs
        .posts
        .iter()
        .filter(|p| !p.bot)
        .filter_map(|p| Some((p.person.clone()?, p.time)));
    commits.chain(reviews).chain(forge).chain(posts).collect()
}

/// When maintainers last acted before the window's end: work landed, acts
/// with write access, commits and acts on issues and pull requests by
/// people who were maintainers then (bots left out).
fn last_maintainer_act(
    inputs: &Inputs<'_>,
    evidence: &[Landed],
    is_maintainer: &dyn Fn(&str, i64) -> bool,
) -> Option<i64> {
    let until = inputs.window.until;
    let landed = evidence.iter().filter(|l| !l.bot).map(|l| l.time);
    let commits = inputs
        .contributions
        .iter()
        .filter(|c| !c.bot && is_maintainer(&c.person, c.time))
        .map(|c| c.time);
    let acts = inputs
        .items
        .iter()
        .flat_map(|i| &i.actions)
        .filter(|a| {
            !a.bot
                && a.person
                    .as_deref()
                    .is_some_and(|p| is_maintainer(p, a.time))
        })
        .map(|a| a.time);
    landed
        .chain(commits)
        .chain(acts)
        .filter(|t| *t < until)
        .max()
}

/// Which fields make a commit's authors, for the definitions of every metric that counts them.
pub const AUTHORSHIP: &str = "the git author; instead, the people of the commit's Author: lines when it has some (PostgreSQL's convention; [[conventions]] message_authors), and the people of Co-authored-by: lines besides; the truck factor takes the first Author: line";

/// Writes into each author-counting metric's definition which fields made
/// the authors and how many commits were credited from their messages.
fn state_authorship(m: &mut Metrics, credited: u64) {
    let value = serde_json::json!({
        "fields": AUTHORSHIP,
        "commits_credited_from_messages": credited,
    });
    for definition in [
        &mut m.bus_factor.definition,
        &mut m.elephant_factor.definition,
        &mut m.truck_factor.definition,
        &mut m.time_zones.definition,
        &mut m.activity.definition,
        &mut m.contributors.definition,
        &mut m.funnel.definition,
        &mut m.organizations.definition,
    ] {
        definition.parameters.insert("authors", value.clone());
    }
}

/// The series the report's charts draw (see [`series`]), from the same inputs.
pub fn series(inputs: &Inputs<'_>) -> series::Series {
    let evidence = evidence(inputs);
    let index = Index::new(&evidence, inputs.named_maintainers);
    let others = other_contributions(inputs);
    let first = first_times(&contribution_times(inputs, &others));
    series::compute(
        inputs.contributions,
        inputs.items,
        inputs.releases,
        &|p: &str, at: i64| index.is(p, at),
        &first,
        inputs.window,
    )
}

/// Contributions besides commits: the forge's, and list posts.
fn other_contributions(inputs: &Inputs<'_>) -> Vec<Other> {
    let mut out = forge_contributions(inputs.items);
    out.extend(inputs.posts.iter().filter_map(|p| {
        Some(Other {
            kind: "list_post",
            person: p.person.clone()?,
            time: p.time,
            bot: p.bot,
        })
    }));
    out
}

/// Maintainer evidence: work landed and acts with write access.
fn evidence(inputs: &Inputs<'_>) -> Vec<Landed> {
    inputs
        .landed
        .iter()
        .chain(inputs.write_access)
        .cloned()
        .collect()
}

/// Every contribution time (commits and forge contributions) per person, bots left out.
fn contribution_times(inputs: &Inputs<'_>, others: &[Other]) -> HashMap<String, Vec<i64>> {
    let mut times: HashMap<String, Vec<i64>> = HashMap::new();
    let commits = inputs
        .contributions
        .iter()
        .map(|c| (&c.person, c.time, c.bot));
    let forge = others.iter().map(|o| (&o.person, o.time, o.bot));
    for (person, time, _) in commits.chain(forge).filter(|(_, _, bot)| !bot) {
        times.entry(person.clone()).or_default().push(time);
    }
    times
}

/// Each person's first contribution time.
fn first_times(times: &HashMap<String, Vec<i64>>) -> HashMap<String, i64> {
    times
        .iter()
        .filter_map(|(p, t)| Some((p.clone(), *t.iter().min()?)))
        .collect()
}

/// The forge contributions in `items`: opening an issue or a pull request,
/// reviewing someone else's, commenting (conversation or diff).
pub fn forge_contributions(items: &[Item]) -> Vec<Other> {
    let mut out = Vec::new();
    for item in items {
        if let Some(author) = &item.author {
            out.push(Other {
                kind: match item.kind {
                    ItemKind::Issue => "issue",
                    ItemKind::PullRequest => "pull_request",
                },
                person: author.clone(),
                time: item.created,
                bot: item.author_bot,
            });
        }
        for a in &item.actions {
            let kind = match a.kind {
                ActivityKind::Review if a.person != item.author => "review",
                ActivityKind::Comment | ActivityKind::ReviewComment => "comment",
                _ => continue,
            };
            if let Some(person) = &a.person {
                out.push(Other {
                    kind,
                    person: person.clone(),
                    time: a.time,
                    bot: a.bot,
                });
            }
        }
    }
    out
}

/// A finding worth a reader's attention, with the metric it comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Flag {
    /// The metric id.
    pub metric: &'static str,
    /// What to say.
    pub text: String,
}

impl Metrics {
    /// Every person key the details name (bus factor, truck factor, releasers,
    /// maintainers, reviewers), for a directory of names beside them.
    pub fn people_keys(&self) -> BTreeSet<&str> {
        let mut keys: BTreeSet<&str> = BTreeSet::new();
        let d = &self.maintainer_departures.details;
        keys.extend(d.left.iter().map(|l| l.key.as_str()));
        let load = &self.maintainer_load.details;
        keys.extend(load.busiest.iter().map(|(k, _)| k.as_str()));
        keys.extend(load.off_hours.iter().map(|o| o.key.as_str()));
        keys.extend(
            d.listed_idle
                .iter()
                .chain(&d.acting_unlisted)
                .map(String::as_str),
        );
        keys.extend(
            self.organization_exits
                .details
                .exits
                .iter()
                .flat_map(|e| e.people.iter().map(|(k, _)| k.as_str())),
        );
        keys.extend(
            self.bus_factor
                .details
                .people
                .iter()
                .map(|s| s.key.as_str()),
        );
        keys.extend(
            self.truck_factor
                .details
                .removed
                .iter()
                .map(|(k, _)| k.as_str()),
        );
        keys.extend(
            self.releases
                .details
                .releasers
                .iter()
                .map(|(k, _)| k.as_str()),
        );
        keys.extend(
            self.maintainers
                .details
                .maintainers
                .iter()
                .map(String::as_str),
        );
        keys.extend(
            self.reviews
                .details
                .by_person
                .iter()
                .map(|(k, _)| k.as_str()),
        );
        let lists = &self.mailing_lists.details;
        keys.extend(
            lists
                .top_posters
                .iter()
                .chain(&lists.reviewers)
                .map(|(k, _)| k.as_str()),
        );
        keys
    }
}

/// Flags: bus factor 1, one organization above half of known work, an
/// overdue release, contributors down by a quarter or more, and fewer than
/// 12 hours of the day with anyone awake. People are shown by `name`.
pub fn flags(m: &Metrics, name: &dyn Fn(&str) -> String) -> Vec<Flag> {
    let mut out = Vec::new();
    let pct = |share: f64| (share * 100.0).round() as i64;
    if m.bus_factor.value == Some(1.0)
        && let Some(top) = m.bus_factor.details.people.first()
    {
        out.push(Flag {
            metric: "bus_factor",
            text: format!(
                "bus factor 1 ({} made {}% of commits)",
                name(&top.key),
                pct(top.share)
            ),
        });
    }
    if m.truck_factor.value == Some(1.0)
        && let Some((who, files)) = m.truck_factor.details.removed.first()
    {
        let who = name(who);
        out.push(Flag {
            metric: "truck_factor",
            text: format!(
                "truck factor 1 (without {who}, fewer than half of {} code files would have an author left; {who} authors {files})",
                m.truck_factor.details.files
            ),
        });
    }
    let r = &m.releases.details;
    if r.overdue
        && let (Some(days), Some(usual)) = (r.days_since_last, r.median_interval_days)
    {
        out.push(Flag {
            metric: "releases",
            text: format!(
                "no release for {} days; usual interval {} days",
                days.round(),
                usual.round()
            ),
        });
    }
    if let Some(change) = m.activity.value
        && change <= -25.0
    {
        out.push(Flag {
            metric: "activity",
            text: format!(
                "contributors down {}% against the same quarter a year before",
                -change
            ),
        });
    }
    for (dimension, org, share) in &m.organizations.details.dominant {
        let known = match *dimension {
            "commits" => m.organizations.details.commits.known_share,
            "maintainers" => m.organizations.details.maintainers.known_share,
            "merges" => m.organizations.details.merges.known_share,
            _ => m.organizations.details.releases.known_share,
        };
        let overall = match &m.organizations.details.confidence.note {
            Some(note) => format!("; overall, {note}"),
            None => String::new(),
        };
        out.push(Flag {
            metric: "organizations",
            text: format!(
                "one organization ({org}) {} {}% of {dimension} (of the {}% whose organization is known{overall})",
                if *dimension == "maintainers" { "holds" } else { "made" },
                pct(*share),
                pct(known)
            ),
        });
    }
    if let Some(hours) = m.time_zones.value
        && hours < 12.0
    {
        out.push(Flag {
            metric: "time_zones",
            text: format!(
                "contributors are awake (08:00–20:00) for only {hours} hours of the UTC day"
            ),
        });
    }
    out.extend(security_response::flags(&m.security_response.details));
    out.extend(departure_flags(m, name));
    out.extend(stakeholder_flags(m));
    out
}

/// Partners whose share fell, organizations merging their own work without
/// outside review, and forks more active than a stalled upstream.
fn stakeholder_flags(m: &Metrics) -> Vec<Flag> {
    let partners = m
        .organizations_side_by_side
        .details
        .partners
        .iter()
        .filter_map(|p| p.flag.clone())
        .map(|text| Flag {
            metric: "organizations_side_by_side",
            text,
        });
    let conflicts = m
        .conflicts_of_interest
        .details
        .flagged
        .iter()
        .map(|(org, share)| Flag {
            metric: "conflicts_of_interest",
            text: format!(
                "{org} merged {}% of its own pull requests without review from outside {org}",
                (share * 100.0).round()
            ),
        });
    let forks = m.adoption.details.flags.iter().map(|text| Flag {
        metric: "adoption",
        text: text.clone(),
    });
    partners.chain(conflicts).chain(forks).collect()
}

/// Maintainers who left, organizations that left, and a project maintained
/// by volunteers only.
fn departure_flags(m: &Metrics, name: &dyn Fn(&str) -> String) -> Vec<Flag> {
    let d = &m.maintainer_departures.details;
    let busiest = m
        .maintainer_load
        .details
        .busiest
        .as_ref()
        .filter(|(_, share)| *share > 0.5 && m.maintainers.value.is_some_and(|n| n > 1.0));
    let mut out: Vec<Flag> = busiest
        .map(|(who, share)| Flag {
            metric: "maintainer_load",
            text: format!(
                "{} did {}% of the maintainers' reviews and merges",
                name(who),
                (share * 100.0).round()
            ),
        })
        .into_iter()
        .collect();
    out.extend(d.left.iter().map(|l| Flag {
        metric: "maintainer_departures",
        text: format!("{} left (last act {})", name(&l.key), l.last_act),
    }));
    if d.volunteer_maintained {
        out.push(Flag {
            metric: "maintainer_departures",
            text: "volunteer-maintained: no active maintainer has a known employer (unknown, free-mail or independent)".into(),
        });
    }
    out.extend(m.organization_exits.details.exits.iter().map(|e| {
        let people: Vec<String> = e
            .people
            .iter()
            .map(|(k, last)| format!("{} {last}", name(k)))
            .collect();
        Flag {
            metric: "organization_exits",
            text: format!(
                "{} left: {}% of a year's contributions, none in the last two quarters ({})",
                e.organization,
                (e.share * 100.0).round(),
                people.join(", ")
            ),
        }
    }));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_name_the_facts() {
        let day = 86_400;
        let contributions: Vec<Contribution> = [("alice", 7), ("bob", 3)]
            .into_iter()
            .flat_map(|(p, n)| {
                (0..n).map(move |i| Contribution {
                    person: p.into(),
                    organization: Some(if p == "alice" { "ACME" } else { "Initech" }.into()),
                    time: (10 + i) * day,
                    offset_minutes: 60,
                    bot: false,
                })
            })
            .collect();
        let releases = vec![
            Release {
                name: "v1".into(),
                time: day,
                person: None,
                prerelease: false,
                organization: None,
            },
            Release {
                name: "v2".into(),
                time: 11 * day,
                person: None,
                prerelease: false,
                organization: None,
            },
        ];
        let m = compute(&Inputs {
            contributions: &contributions,
            releases: &releases,
            ..Inputs::empty(Window {
                since: 0,
                until: 100 * day,
            })
        });
        let name = |key: &str| match key {
            "alice" => "Alice Liddell".to_owned(),
            other => other.to_owned(),
        };
        let texts: Vec<String> = flags(&m, &name).into_iter().map(|f| f.text).collect();
        // alice 7 of 10; ACME 7 of 10 known; last release 89 days ago, usual interval 10;
        // everyone at +01:00, awake 07–19 UTC: 12 hours, so no time-zone flag.
        assert_eq!(
            texts,
            vec![
                "bus factor 1 (Alice Liddell made 70% of commits)",
                "no release for 89 days; usual interval 10 days",
                "one organization (ACME) made 70% of commits (of the 100% whose organization is known)",
            ]
        );
    }
}
