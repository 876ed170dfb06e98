//! What a forge's records (issues, pull requests, their activity, releases)
//! give the metrics, by rules stated once here:
//!
//! - **Triage**: the label a bot puts on every new issue (a repository's
//!   `untriaged_label` convention, e.g. Kubernetes' `needs-triage`) put on is
//!   no one's act; taking it off is.
//! - **Write access**: an author association of owner, member or
//!   collaborator on an item or an act makes its person a maintainer by the
//!   forge's word, at that time.
//! - **Merges**: a pull request's merger is its `merged_by`, or the actor of
//!   its merge event; a pull request closed unmerged that a commit names
//!   (`This closes #N`: Flink's committers apply pull requests themselves)
//!   was merged when that commit was made.
//! - **Reviews**: every review of a pull request by someone other than its
//!   author and not a bot is kept, tagged with the pull request; the reviews
//!   metric counts each (pull request, reviewer) pair once among the reviews
//!   inside its window (so a window never depends on data before it).
//! - **Releases**: drafts are not releases; a release is a pre-release when
//!   the forge says so or its tag looks like one.
//! - **Keys**: a tracker's issue is known by its key (`KAFKA-12`); the
//!   forge's own items and a GitLab project's issues by their number.
//!
//! People are resolved by the caller ([`People`]): this module reads no store.

use super::items::{Action, Item};
use super::maintainers::Landed;
use super::releases::Release;
use super::reviews::Review;
use crate::events::{
    Activity, ActivityKind, ForgeItem, ForgeRelease, GITLAB_ISSUES, ItemKind,
    association_maintains, is_prerelease,
};
use crate::identities::key::login_key;
use std::collections::HashMap;

/// One repository's forge records, and what its history says about them.
#[derive(Clone, Copy, Debug)]
pub struct ForgeRecords<'a> {
    /// Issues and pull requests (and tracker issues).
    pub items: &'a [ForgeItem],
    /// Their activity.
    pub activities: &'a [Activity],
    /// Releases.
    pub releases: &'a [ForgeRelease],
    /// Pull requests named by a commit (`This closes #N`), with that commit's time.
    pub applied: &'a HashMap<u64, i64>,
    /// The label a bot puts on every new issue, if the repository has one.
    pub untriaged_label: Option<&'a str>,
}

/// A forge login resolved to a person.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Actor<'a> {
    /// The person's key.
    pub key: &'a str,
    /// Whether the person is a bot.
    pub bot: bool,
}

/// How logins and people are resolved.
pub trait People {
    /// The person behind a forge login, if known.
    fn actor(&self, login: &str) -> Option<Actor<'_>>;
    /// The organization of the person `key` at `time`, if known.
    fn organization(&self, key: &str, time: i64) -> Option<String>;
}

/// What the forge adds to the metrics' inputs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ForgeInputs {
    /// Issues and pull requests with their actions.
    pub items: Vec<Item>,
    /// Pull requests merged, by whom.
    pub merges: Vec<Landed>,
    /// Acts with write access (owner, member, collaborator).
    pub write_access: Vec<Landed>,
    /// Reviews of others' pull requests, each tagged with the pull request.
    pub reviews: Vec<Review>,
    /// Published releases.
    pub releases: Vec<Release>,
    /// Repositories added so far (their reviews' pull requests are told apart by it).
    pub repositories: usize,
}

/// Adds what `records` give to `out`.
pub fn add(out: &mut ForgeInputs, records: &ForgeRecords<'_>, people: &dyn People) {
    let landed = |actor: Actor<'_>, time: i64, merge: bool| Landed {
        person: actor.key.to_owned(),
        time,
        bot: actor.bot,
        merge,
        organization: people.organization(actor.key, time),
    };
    // Numbers are per tracker (a JIRA project's issue 7 is not pull request 7).
    let mut actions: HashMap<(Option<&str>, u64), Vec<Action>> = HashMap::new();
    let mut merger: HashMap<u64, &str> = HashMap::new();
    for a in records.activities {
        if puts_untriaged_label(a, records.untriaged_label) {
            continue;
        }
        let who = a.actor.as_deref().and_then(|l| people.actor(l));
        if a.kind == ActivityKind::Merged
            && a.tracker.is_none()
            && let Some(login) = &a.actor
        {
            merger.insert(a.number, login);
        }
        if let (Some(p), Some(true)) = (who, a.association.as_deref().map(association_maintains)) {
            out.write_access.push(landed(p, a.time, false));
        }
        actions
            .entry((a.tracker.as_deref(), a.number))
            .or_default()
            .push(Action {
                kind: a.kind,
                person: who.map(|p| p.key.to_owned()),
                bot: who.is_some_and(|p| p.bot),
                time: a.time,
            });
    }
    for item in records.items {
        let author = item.author.as_deref().and_then(|l| people.actor(l));
        let maintains = item
            .author_association
            .as_deref()
            .is_some_and(association_maintains);
        if let (Some(p), true) = (author, maintains) {
            out.write_access.push(landed(p, item.created, false));
        }
        let merged_by = item.merged_by.as_deref().or_else(|| {
            item.tracker
                .is_none()
                .then(|| merger.get(&item.number).copied())
                .flatten()
        });
        let merger = merged_by.and_then(|l| people.actor(l));
        if let (Some(time), Some(p)) = (item.merged, merger) {
            out.merges.push(landed(p, time, true));
        }
        let mut acts = actions
            .remove(&(item.tracker.as_deref(), item.number))
            .unwrap_or_default();
        acts.sort_by_key(|a| a.time);
        if item.kind == ItemKind::PullRequest {
            let of = format!("{}#{}", out.repositories, item.number);
            out.reviews.extend(reviews_of(&acts, author, &of, people));
        }
        out.items.push(Item {
            number: item.number,
            kind: item.kind,
            author: author.map(|p| p.key.to_owned()),
            author_bot: author.is_some_and(|p| p.bot),
            author_maintains: maintains,
            assignees: item
                .assignees
                .iter()
                .map(|login| {
                    people
                        .actor(login)
                        .map_or_else(|| login_key(login), |p| p.key.to_owned())
                })
                .collect(),
            created: item.created,
            closed: item.closed,
            merged: item.merged.or_else(|| {
                let applied = records.applied.get(&item.number).copied()?;
                (item.kind == ItemKind::PullRequest && item.closed.is_some()).then_some(applied)
            }),
            key: item
                .tracker
                .as_ref()
                .filter(|t| t.as_str() != GITLAB_ISSUES)
                .map(|t| format!("{t}-{}", item.number)),
            first_commit: item.first_commit,
            merged_by: merger.map(|p| p.key.to_owned()),
            labels: item.labels.iter().map(|l| l.to_lowercase()).collect(),
            actions: acts,
        });
    }
    out.releases
        .extend(records.releases.iter().filter(|r| !r.draft).map(|r| {
            let time = r.published.unwrap_or(r.created);
            let by = r.author.as_deref().and_then(|l| people.actor(l));
            Release {
                name: r.tag.clone(),
                time,
                organization: by.and_then(|p| people.organization(p.key, time)),
                person: by.map(|p| p.key.to_owned()),
                prerelease: r.prerelease || is_prerelease(&r.tag),
            }
        }));
    out.repositories += 1;
}

/// Whether `a` puts the auto-applied untriaged label on (no one's triage).
fn puts_untriaged_label(a: &Activity, untriaged: Option<&str>) -> bool {
    a.kind == ActivityKind::Labeled
        && untriaged.is_some_and(|u| {
            a.detail
                .as_deref()
                .is_some_and(|d| d.eq_ignore_ascii_case(u))
        })
}

/// The reviews of the pull request `of` in its `acts` (oldest first): not by
/// its author, not by bots.
fn reviews_of(
    acts: &[Action],
    author: Option<Actor<'_>>,
    of: &str,
    people: &dyn People,
) -> Vec<Review> {
    let mut out = Vec::new();
    for a in acts
        .iter()
        .filter(|a| a.kind == ActivityKind::Review && !a.bot)
    {
        let Some(key) = a.person.as_deref() else {
            continue;
        };
        if Some(key) != author.map(|p| p.key) {
            out.push(Review {
                person: key.to_owned(),
                organization: people.organization(key, a.time),
                time: a.time,
                bot: false,
                of: Some(of.to_owned()),
            });
        }
    }
    out
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

#[cfg(test)]
mod tests {
    use super::*;

    /// ann maintains (ACME), bob contributes (no organization), ci-bot is a bot.
    struct Fixture;

    impl People for Fixture {
        fn actor(&self, login: &str) -> Option<Actor<'_>> {
            let key = ["ann", "bob", "ci-bot"].into_iter().find(|k| *k == login)?;
            Some(Actor {
                key,
                bot: key == "ci-bot",
            })
        }
        fn organization(&self, key: &str, _: i64) -> Option<String> {
            (key == "ann").then(|| "ACME".to_owned())
        }
    }

    fn item(number: u64, kind: ItemKind, tracker: Option<&str>) -> ForgeItem {
        ForgeItem {
            number,
            kind,
            author: Some("bob".into()),
            author_association: Some("CONTRIBUTOR".into()),
            title: String::new(),
            state: "closed".into(),
            draft: false,
            created: 100 * number as i64,
            updated: 0,
            closed: None,
            merged: None,
            merged_by: None,
            labels: Vec::new(),
            assignees: Vec::new(),
            tracker: tracker.map(str::to_owned),
            first_commit: None,
        }
    }

    fn act(
        number: u64,
        kind: ActivityKind,
        actor: &str,
        association: Option<&str>,
        time: i64,
        detail: Option<&str>,
    ) -> Activity {
        Activity {
            id: format!("{number}-{time}-{actor}"),
            number,
            kind,
            actor: Some(actor.into()),
            association: association.map(str::to_owned),
            time,
            detail: detail.map(str::to_owned),
            tracker: None,
        }
    }

    fn release(tag: &str, draft: bool, prerelease: bool) -> ForgeRelease {
        ForgeRelease {
            tag: tag.into(),
            name: tag.into(),
            author: Some("ann".into()),
            created: 2900,
            published: Some(3000),
            prerelease,
            draft,
        }
    }

    fn derive() -> ForgeInputs {
        use ActivityKind::{Labeled, Merged, Review};
        let mut pr1 = item(1, ItemKind::PullRequest, None);
        (pr1.closed, pr1.merged) = (Some(500), Some(500));
        let mut pr3 = item(3, ItemKind::PullRequest, None);
        pr3.closed = Some(2100);
        let mut pr4 = item(4, ItemKind::PullRequest, None);
        pr4.closed = Some(2200);
        let mut issue5 = item(5, ItemKind::Issue, None);
        issue5.closed = Some(2300);
        issue5.assignees = vec!["ann".into(), "zed".into()];
        let items = vec![
            pr1,
            item(2, ItemKind::Issue, None),
            pr3,
            pr4,
            issue5,
            item(7, ItemKind::Issue, Some("KAFKA")),
            item(8, ItemKind::Issue, Some(GITLAB_ISSUES)),
        ];
        let mut jira_merge = act(1, Merged, "bob", None, 600, None);
        jira_merge.tracker = Some("KAFKA".into());
        let activities = vec![
            act(1, Review, "ann", Some("MEMBER"), 200, None),
            act(1, Review, "bob", None, 250, None),
            act(1, Review, "ci-bot", None, 260, None),
            act(1, Review, "ann", None, 300, None),
            act(1, Merged, "ann", Some("MEMBER"), 500, None),
            jira_merge,
            act(2, Labeled, "ci-bot", None, 1000, Some("needs-triage")),
            act(2, Labeled, "ann", None, 1050, Some("Needs-Triage")),
            act(2, Labeled, "ann", None, 1100, Some("bug")),
        ];
        let applied: HashMap<u64, i64> = [(3, 2090), (5, 2290)].into();
        let mut out = ForgeInputs::default();
        add(
            &mut out,
            &ForgeRecords {
                items: &items,
                activities: &activities,
                releases: &[
                    release("v1.0", false, false),
                    release("v2.0-rc1", false, false),
                    release("v3.0", true, false),
                ],
                applied: &applied,
                untriaged_label: Some("needs-triage"),
            },
            &Fixture,
        );
        out
    }

    #[test]
    fn merges_write_access_and_applied_pull_requests() {
        let out = derive();
        // PR 1 has no merged_by: its merge event's actor, ann, at the merge time.
        // The JIRA project's "merge" of its issue 1 is not pull request 1's.
        let merges: Vec<(&str, i64, bool)> = out
            .merges
            .iter()
            .map(|l| (l.person.as_str(), l.time, l.merge))
            .collect();
        assert_eq!(merges, [("ann", 500, true)]);
        assert_eq!(out.merges[0].organization.as_deref(), Some("ACME"));
        // Write access: ann's MEMBER acts (review at 200, merge at 500); bob is a contributor.
        let write: Vec<(&str, i64)> = out
            .write_access
            .iter()
            .map(|l| (l.person.as_str(), l.time))
            .collect();
        assert_eq!(write, [("ann", 200), ("ann", 500)]);
        // PR 3, closed unmerged, is named by a commit at 2090: merged then.
        // PR 4 is not named; issue 5 is named but is no pull request.
        let merged = |n: u64| {
            out.items
                .iter()
                .find(|i| i.number == n)
                .and_then(|i| i.merged)
        };
        assert_eq!(
            (merged(1), merged(3), merged(4), merged(5)),
            (Some(500), Some(2090), None, None)
        );
    }

    #[test]
    fn reviews_never_the_authors_nor_bots_each_tagged_with_its_pull_request() {
        let out = derive();
        // PR 1: ann at 200 and 300 (both kept: the reviews metric counts the
        // pair once inside its window), bob is its author, ci-bot a bot.
        let reviews: Vec<(&str, i64, Option<&str>, Option<&str>)> = out
            .reviews
            .iter()
            .map(|r| {
                let of = r.of.as_deref();
                (r.person.as_str(), r.time, r.organization.as_deref(), of)
            })
            .collect();
        assert_eq!(
            reviews,
            [
                ("ann", 200, Some("ACME"), Some("0#1")),
                ("ann", 300, Some("ACME"), Some("0#1"))
            ]
        );
    }

    #[test]
    fn the_untriaged_label_put_on_is_no_ones_triage() {
        let out = derive();
        // Issue 2: the bot's and ann's `needs-triage` (any case) are left out; `bug` stays.
        let issue = out.items.iter().find(|i| i.number == 2).expect("issue 2");
        let acts: Vec<(Option<&str>, i64)> = issue
            .actions
            .iter()
            .map(|a| (a.person.as_deref(), a.time))
            .collect();
        assert_eq!(acts, [(Some("ann"), 1100)]);
        // PR 1 keeps its four reviews and the merge as actions, oldest first.
        let pr = out.items.iter().find(|i| i.number == 1).expect("pr 1");
        let times: Vec<i64> = pr.actions.iter().map(|a| a.time).collect();
        assert_eq!(times, [200, 250, 260, 300, 500]);
    }

    #[test]
    fn keys_assignees_and_releases() {
        let out = derive();
        let key = |n: u64| {
            out.items
                .iter()
                .find(|i| i.number == n)
                .and_then(|i| i.key.clone())
        };
        // A JIRA issue by its key; GitLab's issues and the forge's own by number.
        assert_eq!(
            (key(7), key(8), key(1)),
            (Some("KAFKA-7".into()), None, None)
        );
        let issue5 = out.items.iter().find(|i| i.number == 5).expect("issue 5");
        assert_eq!(issue5.assignees, ["ann", "login:zed"]);
        // Drafts are left out; an -rc tag is a pre-release whatever the forge says.
        let releases: Vec<(&str, bool, Option<&str>)> = out
            .releases
            .iter()
            .map(|r| (r.name.as_str(), r.prerelease, r.organization.as_deref()))
            .collect();
        assert_eq!(
            releases,
            [
                ("v1.0", false, Some("ACME")),
                ("v2.0-rc1", true, Some("ACME"))
            ]
        );
        assert!(out.releases.iter().all(|r| r.time == 3000));
    }

    #[test]
    fn forge_releases_join_tag_releases() {
        let tag = |name: &str, person: Option<&str>| Release {
            name: name.into(),
            time: 10,
            person: person.map(str::to_owned),
            prerelease: false,
            organization: None,
        };
        let mut tags = vec![tag("v1", None), tag("v2", Some("bob"))];
        let mut forge = vec![
            tag("v1", Some("ann")),
            tag("v2", Some("ann")),
            tag("v3", Some("ann")),
        ];
        forge.iter_mut().for_each(|r| r.time = 99);
        merge_releases(&mut tags, forge);
        // v1 (lightweight tag) gains ann, keeps the tag's time; v2 keeps bob; v3 is added.
        let got: Vec<(&str, i64, Option<&str>)> = tags
            .iter()
            .map(|r| (r.name.as_str(), r.time, r.person.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("v1", 10, Some("ann")),
                ("v2", 10, Some("bob")),
                ("v3", 99, Some("ann"))
            ]
        );
    }
}
