//! `patches_reviewed`, `non_maintainer_prs_reviewed` and
//! `returning_contributors_reviewed`.
//!
//! A change is a pull request, or a commit that names none. Our people review
//! it by a forge review or review comment on someone else's pull request, or
//! by being named in a `Reviewed-by:`, `Acked-by:` or `Reviewers:` trailer of
//! one of its commits, or on a mailing list (a reply to a patch thread, or a
//! `Reviewed-by:` in one); a (change, reviewer) pair is counted once, so a
//! review recorded both ways is one.

use super::{Context, Credit, Inputs, Produced, change_key};
use crate::events::{ActivityKind, ItemKind};
use crate::metrics::contributors::month;
use crate::metrics::items::{Durations, Item};
use std::collections::{BTreeMap, HashMap};

/// The definition of `patches_reviewed`.
pub const PATCHES: &str = "distinct (change, reviewer of ours) pairs: forge reviews and review comments on others' pull requests, our people named in Reviewed-by, Acked-by or Reviewers trailers (a commit naming a pull request is that pull request), and our replies or Reviewed-by:/Acked-by: lines on others' patch threads of the mailing lists; on the review's date (a trailer: the commit's)";

/// The definition of `non_maintainer_prs_reviewed`.
pub const NON_MAINTAINER_PRS: &str = "pull requests opened by people who were neither maintainers nor ours (nor bots) when they opened them, on which one of ours reviewed, commented, labeled, merged or closed; on the date of our first such act; extra: outcomes at the window's end, hours from opening to our first act, and how often ours was the first response";

/// The definition of `returning_contributors_reviewed`.
pub const RETURNING: &str = "authors of the pull requests counted in non_maintainer_prs_reviewed who contributed again (a commit, issue, pull request, review or comment) in a calendar month after the one they opened it in, before the window's end; on the date of our first act on their pull request";

/// The credits of `patches_reviewed`.
pub fn patches(inputs: &Inputs<'_>) -> Produced {
    let mut credits = Vec::new();
    for u in inputs.upstreams {
        for (item, a) in our_review_acts(inputs, u.items) {
            let person = a.person.clone().unwrap_or_default();
            credits.push(Credit {
                key: format!("{}#{} {person}", u.name, item.number),
                upstream: u.name.clone(),
                what: format!("reviewed #{}", item.number),
                person,
                time: a.time,
            });
        }
        for c in u
            .commits
            .iter()
            .filter(|c| !c.merge && inputs.window.contains(c.time))
        {
            for person in c.reviewers.iter().filter(|p| (inputs.ours)(p, c.time)) {
                let change = change_key(&u.name, c);
                credits.push(Credit {
                    key: format!("{change} {person}"),
                    upstream: u.name.clone(),
                    person: person.clone(),
                    time: c.time,
                    what: format!("named reviewer of {}", change.trim_start_matches(&u.name)),
                });
            }
        }
        for r in crate::metrics::mailing_lists::list_reviews(u.posts)
            .into_iter()
            .filter(|r| (inputs.ours)(&r.reviewer, r.time))
        {
            credits.push(Credit {
                key: format!("{} list:{} {}", u.name, r.thread, r.reviewer),
                upstream: u.name.clone(),
                what: format!("reviewed on the list: {}", r.subject),
                person: r.reviewer,
                time: r.time,
            });
        }
    }
    Produced::credits(credits)
}

/// Forge reviews and review comments by ours on pull requests they did not open.
fn our_review_acts<'a>(
    inputs: &'a Inputs<'_>,
    items: &'a [Item],
) -> impl Iterator<Item = (&'a Item, &'a crate::metrics::items::Action)> {
    items
        .iter()
        .filter(|i| i.kind == ItemKind::PullRequest)
        .flat_map(|i| i.actions.iter().map(move |a| (i, a)))
        .filter(move |(i, a)| {
            matches!(a.kind, ActivityKind::Review | ActivityKind::ReviewComment)
                && !a.bot
                && a.person.is_some()
                && a.person != i.author
                && a.person
                    .as_deref()
                    .is_some_and(|p| (inputs.ours)(p, a.time))
        })
}

/// A non-maintainer's pull request that one of ours acted on, and that act.
struct Reviewed<'a> {
    upstream: &'a str,
    item: &'a Item,
    author: &'a str,
    person: &'a str,
    first_act: i64,
}

/// The pull requests counted by `non_maintainer_prs_reviewed`, any time.
fn reviewed<'a>(inputs: &'a Inputs<'_>, context: &'a Context<'_>) -> Vec<Reviewed<'a>> {
    let mut out = Vec::new();
    for (u, maintainers) in inputs.upstreams.iter().zip(&context.maintainers) {
        for item in u.items.iter().filter(|i| i.kind == ItemKind::PullRequest) {
            let Some(author) = item.author.as_deref() else {
                continue;
            };
            let outsider = !item.author_bot
                && !item.author_maintains
                && !maintainers.is(author, item.created)
                && !(inputs.ours)(author, item.created);
            if !outsider {
                continue;
            }
            let first = item
                .actions
                .iter()
                .filter(|a| {
                    !a.bot
                        && a.person.as_deref() != Some(author)
                        && matches!(
                            a.kind,
                            ActivityKind::Review
                                | ActivityKind::ReviewComment
                                | ActivityKind::Comment
                                | ActivityKind::Labeled
                                | ActivityKind::Merged
                                | ActivityKind::Closed
                        )
                        && a.person
                            .as_deref()
                            .is_some_and(|p| (inputs.ours)(p, a.time))
                })
                .min_by_key(|a| a.time);
            if let Some(a) = first {
                out.push(Reviewed {
                    upstream: &u.name,
                    item,
                    author,
                    person: a.person.as_deref().unwrap_or_default(),
                    first_act: a.time,
                });
            }
        }
    }
    out
}

/// The credits of `non_maintainer_prs_reviewed`, with outcomes and times.
pub fn non_maintainer_prs(inputs: &Inputs<'_>, context: &Context<'_>) -> Produced {
    let until = inputs.window.until;
    let mut outcomes: BTreeMap<&str, u64> = [("merged", 0), ("closed", 0), ("open", 0)]
        .into_iter()
        .collect();
    let mut hours = Vec::new();
    let mut ours_first = 0u64;
    let mut credits = Vec::new();
    for r in reviewed(inputs, context) {
        if inputs.window.contains(r.first_act) {
            let outcome = match (r.item.merged, r.item.closed) {
                (Some(m), _) if m < until => "merged",
                (_, Some(c)) if c < until => "closed",
                _ => "open",
            };
            *outcomes.entry(outcome).or_default() += 1;
            hours.push(r.first_act - r.item.created);
            ours_first += u64::from(r.item.first_response() == Some(r.first_act));
        }
        credits.push(Credit {
            key: format!("{}#{}", r.upstream, r.item.number),
            upstream: r.upstream.to_owned(),
            person: r.person.to_owned(),
            time: r.first_act,
            what: format!("answered #{} by {}", r.item.number, r.author),
        });
    }
    Produced {
        credits,
        extra: BTreeMap::from([
            ("outcomes", serde_json::json!(outcomes)),
            (
                "hours_to_our_first_act",
                serde_json::json!(Durations::of(hours)),
            ),
            ("ours_first_response", serde_json::json!(ours_first)),
        ]),
    }
}

/// The credits of `returning_contributors_reviewed`.
pub fn returning(inputs: &Inputs<'_>, context: &Context<'_>) -> Produced {
    let until = inputs.window.until;
    let mut contributed: HashMap<&str, Vec<i64>> = HashMap::new();
    for u in inputs.upstreams {
        for c in u.commits.iter().filter(|c| !c.merge && !c.author_bot) {
            if let Some(a) = c.author.as_deref() {
                contributed.entry(a).or_default().push(c.time);
            }
        }
        for i in u.items {
            if let Some(a) = i.author.as_deref() {
                contributed.entry(a).or_default().push(i.created);
            }
            for a in i.actions.iter().filter(|a| {
                matches!(
                    a.kind,
                    ActivityKind::Comment | ActivityKind::Review | ActivityKind::ReviewComment
                )
            }) {
                if let Some(p) = a.person.as_deref() {
                    contributed.entry(p).or_default().push(a.time);
                }
            }
        }
    }
    let credits = reviewed(inputs, context)
        .into_iter()
        .filter(|r| {
            let opened = month(r.item.created);
            contributed
                .get(r.author)
                .is_some_and(|times| times.iter().any(|&t| t < until && month(t) > opened))
        })
        .map(|r| Credit {
            key: r.author.to_owned(),
            upstream: r.upstream.to_owned(),
            person: r.person.to_owned(),
            time: r.first_act,
            what: format!("answered {} on #{}, who came back", r.author, r.item.number),
        })
        .collect();
    Produced::credits(credits)
}

#[cfg(test)]
mod tests {
    use crate::events::{ActivityKind::*, ItemKind::*};
    use crate::ledger::testing::*;

    #[test]
    fn a_review_recorded_as_trailer_and_forge_review_counts_once() {
        // PR #5 by bob: ann (ours) approves it on 01-03; its squash commit (#5) names
        // ann in Reviewed-by. Commit abc (no PR) by bob names ann in Acked-by.
        // A review of her own PR #6 does not count. Pairs: (#5, ann), (@abc, ann) = 2.
        let mut w = World::new("2026-01-01", "2026-02-01");
        w.joins("ann", "2020-01-01");
        w.item(PullRequest, 5, "bob", "2026-01-02", 0).actions =
            vec![act(Review, "ann", "2026-01-03", 0)];
        w.item(PullRequest, 6, "ann", "2026-01-02", 0).actions =
            vec![act(Review, "ann", "2026-01-03", 0)];
        let squash = w.commit("bob", "2026-01-04");
        squash.pr_number = Some(5);
        squash.reviewers = vec!["ann".into()];
        w.commit("bob", "2026-01-05").reviewers = vec!["ann".into()];
        let kpi = w.kpi("patches_reviewed");
        assert_eq!(kpi.counts.total, 2);
    }

    #[test]
    fn reviews_on_the_list_count_once_per_patch() {
        // bob's patch: ann (ours) replies twice and names herself in a Reviewed-by
        // of carol's reply: one review. ann's own patch, answered by ann: none.
        // carol (not ours) reviews bob's patch: not ours.
        let mut w = World::new("2026-01-01", "2026-02-01");
        w.joins("ann", "2020-01-01");
        w.post("p@x", None, "bob", "2026-01-02", "[PATCH] fix");
        w.post("r1@x", Some("p@x"), "ann", "2026-01-03", "Re: [PATCH] fix");
        w.post("r2@x", Some("r1@x"), "ann", "2026-01-04", "Re: [PATCH] fix");
        w.post(
            "r3@x",
            Some("p@x"),
            "carol",
            "2026-01-05",
            "Re: [PATCH] fix",
        );
        w.posts[3].reviewers = vec!["ann".into()];
        w.post("own@x", None, "ann", "2026-01-06", "[PATCH] mine");
        w.post(
            "own2@x",
            Some("own@x"),
            "ann",
            "2026-01-07",
            "Re: [PATCH] mine",
        );
        let kpi = w.kpi("patches_reviewed");
        assert_eq!(kpi.counts.total, 1);
        assert_eq!(kpi.counts.by_period, vec![1]);
        // Her four list posts are engagement.
        let engagement = w.kpi("engagement");
        assert_eq!(engagement.counts.total, 4);
        assert_eq!(engagement.extra["list_posts"], 4);
    }

    #[test]
    fn non_maintainer_prs_with_outcomes_and_returning_authors() {
        // max is a maintainer (landed work in 2025); ann is ours.
        // #1 by bob (01-05 00:00): ann comments after 3 h (first response), merged 01-06.
        // #2 by carol (01-10): max labels after 1 h, ann reviews after 5 h; closed 01-12.
        // #3 by max (a maintainer): ann reviews: not counted.
        // #4 by dan (01-20): ann reviews after 2 h; still open.
        // #5 by erin (01-25): nobody of ours acts.
        // Counted: #1, #2, #4 = 3; merged 1, closed 1, open 1; hours 3, 5, 2 → median 3;
        // ours first on #1 and #4 = 2.
        // bob commits again in February (a later month): returning; carol only in January.
        let mut w = World::new("2026-01-01", "2026-03-01");
        w.joins("ann", "2020-01-01");
        w.lands("max", "2025-06-01");
        let one = w.item(PullRequest, 1, "bob", "2026-01-05", 0);
        one.actions = vec![act(Comment, "ann", "2026-01-05", 3)];
        one.merged = Some(day("2026-01-06"));
        one.closed = Some(day("2026-01-06"));
        let two = w.item(PullRequest, 2, "carol", "2026-01-10", 0);
        two.actions = vec![
            act(Labeled, "max", "2026-01-10", 1),
            act(Review, "ann", "2026-01-10", 5),
        ];
        two.closed = Some(day("2026-01-12"));
        w.item(PullRequest, 3, "max", "2026-01-15", 0).actions =
            vec![act(Review, "ann", "2026-01-15", 1)];
        w.item(PullRequest, 4, "dan", "2026-01-20", 0).actions =
            vec![act(Review, "ann", "2026-01-20", 2)];
        w.item(PullRequest, 5, "erin", "2026-01-25", 0);
        w.commit("bob", "2026-02-03");
        w.commit("carol", "2026-01-30");
        let kpi = w.kpi("non_maintainer_prs_reviewed");
        assert_eq!(kpi.counts.total, 3);
        assert_eq!(kpi.counts.by_period, vec![3, 0]);
        assert_eq!(
            kpi.extra["outcomes"],
            serde_json::json!({"merged": 1, "closed": 1, "open": 1})
        );
        assert_eq!(kpi.extra["hours_to_our_first_act"]["median_hours"], 3.0);
        assert_eq!(kpi.extra["ours_first_response"], 2);
        let back = w.kpi("returning_contributors_reviewed");
        assert_eq!(back.counts.total, 1);
        assert_eq!(back.credits[0].key, "bob");
    }
}
