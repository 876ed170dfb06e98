//! The forge's records of the measured repositories, their logins resolved
//! to people: the items the forge metrics read, and what the forge adds to
//! maintainers (merges, write access), reviews and releases.

use crate::resolving::Resolved;
use std::collections::{BTreeSet, HashMap};
use upkeep_core::events::{ActivityKind, ItemKind, association_maintains, is_prerelease};
use upkeep_core::identities::Day;
use upkeep_core::identities::people::Person;
use upkeep_core::metrics::items::{Action, Item};
use upkeep_core::metrics::maintainers::Landed;
use upkeep_core::metrics::releases::Release;
use upkeep_core::metrics::reviews::Review;
use upkeep_store::{RepoId, Store};

/// What the forge adds to the metrics' inputs.
#[derive(Default)]
pub struct ForgeInputs {
    /// Issues and pull requests with their actions.
    pub items: Vec<Item>,
    /// Pull requests merged, by whom.
    pub merges: Vec<Landed>,
    /// Acts with write access (owner, member, collaborator).
    pub write_access: Vec<Landed>,
    /// Reviews of others' pull requests, one per pull request and reviewer.
    pub reviews: Vec<Review>,
    /// Published releases.
    pub releases: Vec<Release>,
}

/// Reads and resolves the forge data of `ids`.
pub fn read(store: &Store, resolved: &Resolved, ids: &[RepoId]) -> anyhow::Result<ForgeInputs> {
    let person = |login: &str| resolved.people.with_login(login);
    let org = |p: &Person, time: i64| {
        Day::from_unix_seconds(time)
            .and_then(|day| resolved.affiliations.credit(p, &p.key, day).organization)
    };
    let landed = |p: &Person, time: i64, merge: bool| Landed {
        person: p.key.clone(),
        time,
        bot: p.bot.is_some(),
        merge,
        organization: org(p, time),
    };
    let mut out = ForgeInputs::default();
    for id in ids {
        let data = store.forge_data(*id)?;
        let untriaged = crate::events::conventions_of(store, resolved, *id)?.untriaged_label;
        // A pull request closed unmerged that a commit names (`This closes #N`:
        // Flink's committers apply pull requests themselves) landed with that commit.
        let applied = store.pull_request_commits(*id)?;
        // Numbers are per tracker (a JIRA project's issue 7 is not pull request 7).
        let mut actions: HashMap<(Option<String>, u64), Vec<Action>> = HashMap::new();
        let mut merger: HashMap<u64, String> = HashMap::new();
        for a in &data.activities {
            // The auto-applied `untriaged` label put on is no one's triage (its removal is).
            if a.kind == ActivityKind::Labeled
                && untriaged.as_deref().is_some_and(|u| {
                    a.detail
                        .as_deref()
                        .is_some_and(|d| d.eq_ignore_ascii_case(u))
                })
            {
                continue;
            }
            let who = a.actor.as_deref().and_then(person);
            if a.kind == ActivityKind::Merged
                && a.tracker.is_none()
                && let Some(login) = &a.actor
            {
                merger.insert(a.number, login.clone());
            }
            if let (Some(p), Some(true)) =
                (who, a.association.as_deref().map(association_maintains))
            {
                out.write_access.push(landed(p, a.time, false));
            }
            actions
                .entry((a.tracker.clone(), a.number))
                .or_default()
                .push(Action {
                    kind: a.kind,
                    person: who.map(|p| p.key.clone()),
                    bot: who.is_some_and(|p| p.bot.is_some()),
                    time: a.time,
                });
        }
        for item in &data.items {
            let author = item.author.as_deref().and_then(person);
            let maintains = item
                .author_association
                .as_deref()
                .is_some_and(association_maintains);
            if let (Some(p), true) = (author, maintains) {
                out.write_access.push(landed(p, item.created, false));
            }
            let merged_by = item.merged_by.clone().or_else(|| {
                item.tracker
                    .is_none()
                    .then(|| merger.get(&item.number).cloned())
                    .flatten()
            });
            if let (Some(time), Some(p)) = (item.merged, merged_by.as_deref().and_then(person)) {
                out.merges.push(landed(p, time, true));
            }
            let mut acts = actions
                .remove(&(item.tracker.clone(), item.number))
                .unwrap_or_default();
            acts.sort_by_key(|a| a.time);
            if item.kind == ItemKind::PullRequest {
                let mut reviewed: BTreeSet<&str> = BTreeSet::new();
                for a in acts
                    .iter()
                    .filter(|a| a.kind == ActivityKind::Review && !a.bot)
                {
                    let Some(key) = a.person.as_deref() else {
                        continue;
                    };
                    if Some(key) != author.map(|p| p.key.as_str()) && reviewed.insert(key) {
                        let p = resolved.people.find(key).into_iter().next();
                        out.reviews.push(Review {
                            person: key.to_owned(),
                            organization: p.and_then(|p| org(p, a.time)),
                            time: a.time,
                            bot: false,
                        });
                    }
                }
            }
            out.items.push(Item {
                number: item.number,
                kind: item.kind,
                author: author.map(|p| p.key.clone()),
                author_bot: author.is_some_and(|p| p.bot.is_some()),
                author_maintains: maintains,
                assignees: item
                    .assignees
                    .iter()
                    .map(|login| {
                        person(login).map_or_else(|| format!("login:{login}"), |p| p.key.clone())
                    })
                    .collect(),
                created: item.created,
                closed: item.closed,
                merged: item.merged.or_else(|| {
                    let applied = applied.get(&item.number).copied()?;
                    (item.kind == ItemKind::PullRequest && item.closed.is_some()).then_some(applied)
                }),
                // A JIRA issue is known by its key; GitLab's issues (tracker `#`)
                // by their number, as the forge's own.
                key: item
                    .tracker
                    .as_ref()
                    .filter(|t| t.as_str() != upkeep_forge::gitlab::parse::ISSUES)
                    .map(|t| format!("{t}-{}", item.number)),
                actions: acts,
            });
        }
        for r in data.releases.iter().filter(|r| !r.draft) {
            let time = r.published.unwrap_or(r.created);
            let by = r.author.as_deref().and_then(person);
            out.releases.push(Release {
                name: r.tag.clone(),
                time,
                person: by.map(|p| p.key.clone()),
                prerelease: r.prerelease || is_prerelease(&r.tag),
                organization: by.and_then(|p| org(p, time)),
            });
        }
    }
    Ok(out)
}

/// Adds forge releases to the tag releases: a release whose tag is already a
/// release keeps the tag's time and gains the forge's author when the tag has
/// none (a lightweight tag); others are added.
pub fn merge_releases(tags: &mut Vec<Release>, forge: Vec<Release>) {
    for r in forge {
        match tags.iter_mut().find(|t| t.name == r.name) {
            Some(t) => {
                if t.person.is_none() {
                    t.person = r.person;
                    t.organization = r.organization;
                }
            }
            None => tags.push(r),
        }
    }
}
