//! `issues_worked_on` and `issues_triaged`.
//!
//! An issue is worked on by one of ours who opened it, commented on it,
//! labeled, assigned or closed it, was assigned to it, or referred to it from
//! a commit they authored (`Fixes #12` for a forge issue; an issue-tracker key
//! such as `KAFKA-1234` in the subject, for projects that keep issues
//! elsewhere). An issue is triaged by us when its first triage act — a label,
//! an assignment, a close, or a comment by a maintainer other than its author,
//! by anyone but a bot — was ours; every triage act by ours is counted too.

use super::{Context, Credit, Inputs, Produced, ours_at, short};
use crate::events::{ActivityKind, ItemKind};
use crate::metrics::items::Item;
use std::collections::{BTreeMap, HashSet};

/// The definition of `issues_worked_on`.
pub const WORKED_ON: &str = "distinct issues our people opened, commented on, labeled, assigned, closed or were assigned to, or referred to from commits they authored (Fixes #N; tracker keys such as KAFKA-1234 in commit subjects); on the act's date";

/// The definition of `issues_triaged`.
pub const TRIAGED: &str = "issues whose first triage act (a label, an assignment, a close, or a comment by a maintainer other than the author; bots never count) was by one of ours; extra.triage_acts counts every such act by ours";

/// The credits of `issues_worked_on`.
pub fn worked_on(inputs: &Inputs<'_>) -> Produced {
    let mut credits = Vec::new();
    for u in inputs.upstreams {
        // `#N` names an issue unless the forge knows N only as a pull request
        // (GitLab numbers issues and merge requests apart).
        let issues: HashSet<u64> = u
            .items
            .iter()
            .filter(|i| i.kind == ItemKind::Issue && i.key.is_none())
            .map(|i| i.number)
            .collect();
        let prs: HashSet<u64> = u
            .items
            .iter()
            .filter(|i| i.kind == ItemKind::PullRequest && !issues.contains(&i.number))
            .map(|i| i.number)
            .collect();
        let mut credit = |key: String, person: &str, time: i64, what: String| {
            credits.push(Credit {
                key,
                upstream: u.name.clone(),
                person: person.to_owned(),
                time,
                what,
            });
        };
        for issue in u.items.iter().filter(|i| i.kind == ItemKind::Issue) {
            let key = credit_key(&u.name, issue);
            for (person, time, what) in issue_acts(issue) {
                if (inputs.ours)(person, time) {
                    credit(
                        key.clone(),
                        person,
                        time,
                        format!("{what} {}", label(issue)),
                    );
                }
            }
        }
        for c in u.commits.iter().filter(|c| inputs.window.contains(c.time)) {
            let Some(author) = c.author.as_deref() else {
                continue;
            };
            if !ours_at(inputs, Some(author), c.author_bot, c.time) {
                continue;
            }
            for r in &c.issue_refs {
                let key = match r.strip_prefix('#').and_then(|n| n.parse::<u64>().ok()) {
                    // A number the forge knows as a pull request is not an issue.
                    Some(n) if prs.contains(&n) => continue,
                    Some(n) => format!("{}#{n}", u.name),
                    None => r.clone(),
                };
                credit(
                    key,
                    author,
                    c.time,
                    format!("referred to {r} in {}", short(&c.id)),
                );
            }
        }
    }
    Produced::credits(credits)
}

/// What an issue is counted as: its tracker key (`KAFKA-12`, the same key a
/// commit subject names it by), or the upstream's `#N`.
fn credit_key(upstream: &str, issue: &Item) -> String {
    issue
        .key
        .clone()
        .unwrap_or_else(|| format!("{upstream}#{}", issue.number))
}

/// How an issue is named in words: `KAFKA-12` or `#12`.
fn label(issue: &Item) -> String {
    issue
        .key
        .clone()
        .unwrap_or_else(|| format!("#{}", issue.number))
}

/// Who did what on an issue, when: opening, acts, and assignments to it.
fn issue_acts(issue: &Item) -> Vec<(&str, i64, &'static str)> {
    let mut out = Vec::new();
    if let (Some(author), false) = (issue.author.as_deref(), issue.author_bot) {
        out.push((author, issue.created, "opened"));
    }
    for a in issue.actions.iter().filter(|a| !a.bot) {
        let what = match a.kind {
            ActivityKind::Comment => "commented on",
            ActivityKind::Labeled => "labeled",
            ActivityKind::Unlabeled => "unlabeled",
            ActivityKind::Assigned => "assigned",
            ActivityKind::Closed => "closed",
            _ => continue,
        };
        if let Some(p) = a.person.as_deref() {
            out.push((p, a.time, what));
        }
    }
    // An assignee worked on it from the first assignment (or its opening).
    let assigned = issue
        .actions
        .iter()
        .filter(|a| a.kind == ActivityKind::Assigned)
        .map(|a| a.time)
        .min()
        .unwrap_or(issue.created);
    for p in &issue.assignees {
        out.push((p, assigned, "was assigned to"));
    }
    out
}

/// The credits of `issues_triaged`.
pub fn triaged(inputs: &Inputs<'_>, context: &Context<'_>) -> Produced {
    let mut credits = Vec::new();
    let mut acts = 0u64;
    for (u, maintainers) in inputs.upstreams.iter().zip(&context.maintainers) {
        for issue in u.items.iter().filter(|i| i.kind == ItemKind::Issue) {
            let triage: Vec<(&str, i64, &'static str)> = issue
                .actions
                .iter()
                .filter(|a| !a.bot && a.time >= issue.created)
                .filter_map(|a| {
                    let p = a.person.as_deref()?;
                    let what = match a.kind {
                        ActivityKind::Labeled => "labeled",
                        ActivityKind::Unlabeled => "unlabeled",
                        ActivityKind::Assigned => "assigned",
                        ActivityKind::Closed => "closed",
                        ActivityKind::Comment
                            if a.person != issue.author && maintainers.is(p, a.time) =>
                        {
                            "answered"
                        }
                        _ => return None,
                    };
                    Some((p, a.time, what))
                })
                .collect();
            acts += triage
                .iter()
                .filter(|(p, t, _)| inputs.window.contains(*t) && (inputs.ours)(p, *t))
                .count() as u64;
            let first = triage.iter().min_by_key(|(_, t, _)| *t);
            if let Some((person, time, what)) = first
                && (inputs.ours)(person, *time)
            {
                credits.push(Credit {
                    key: credit_key(&u.name, issue),
                    upstream: u.name.clone(),
                    person: (*person).to_owned(),
                    time: *time,
                    what: format!("first to triage {} ({what})", label(issue)),
                });
            }
        }
    }
    Produced {
        credits,
        extra: BTreeMap::from([("triage_acts", serde_json::json!(acts))]),
    }
}

#[cfg(test)]
mod tests {
    use crate::events::{ActivityKind::*, ItemKind::*};
    use crate::ledger::testing::*;

    #[test]
    fn issues_worked_on_count_each_issue_once() {
        // ann (ours) opens #1 and comments on it twice; is assigned #2; closes #3;
        // her commit refers to #2 (again), #9 (a pull request: not an issue) and KAFKA-7.
        // bob (not ours) opens #4. Distinct: #1, #2, #3, KAFKA-7 = 4.
        let mut w = World::new("2026-01-01", "2026-02-01");
        w.joins("ann", "2020-01-01");
        let one = w.item(Issue, 1, "ann", "2026-01-02", 0);
        one.actions = vec![
            act(Comment, "ann", "2026-01-02", 1),
            act(Comment, "ann", "2026-01-03", 0),
        ];
        w.item(Issue, 2, "bob", "2026-01-04", 0).assignees = vec!["ann".into()];
        w.item(Issue, 3, "bob", "2026-01-05", 0).actions =
            vec![act(Closed, "ann", "2026-01-06", 0)];
        w.item(Issue, 4, "bob", "2026-01-07", 0);
        w.item(PullRequest, 9, "bob", "2026-01-07", 0);
        w.commit("ann", "2026-01-10").issue_refs = vec!["#2".into(), "#9".into(), "KAFKA-7".into()];
        let kpi = w.kpi("issues_worked_on");
        assert_eq!(kpi.counts.total, 4);
        let mut keys: Vec<&str> = kpi.credits.iter().map(|c| c.key.as_str()).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys, ["KAFKA-7", "o/r#1", "o/r#2", "o/r#3"]);
    }

    #[test]
    fn on_gitlab_an_issue_and_a_merge_request_share_a_number() {
        // GitLab's issue #5 and merge request !5 are two things: `Fixes #5` is the issue.
        let mut w = World::new("2026-01-01", "2026-02-01");
        w.joins("ann", "2020-01-01");
        w.item(Issue, 5, "bob", "2026-01-02", 0);
        w.item(PullRequest, 5, "bob", "2026-01-03", 0);
        w.commit("ann", "2026-01-10").issue_refs = vec!["#5".into()];
        let kpi = w.kpi("issues_worked_on");
        assert_eq!(kpi.counts.total, 1);
        assert_eq!(kpi.credits[0].key, "o/r#5");
    }

    #[test]
    fn triage_credits_the_first_act_and_counts_every_act_of_ours() {
        // #1: bob (a contributor) opens; ann (ours) labels after 2 h, max (a maintainer, not
        // ours) comments after 1 h: max was first → not ours; ann's label is one act.
        // #2: ann labels after 1 h, then assigns: first is ours; two acts.
        // #3: a comment by carol (not a maintainer) after 1 h is no triage; ann closes after 5 h.
        // Issues triaged by us: #2, #3 = 2; acts by ours: 1 + 2 + 1 = 4.
        let mut w = World::new("2026-01-01", "2026-02-01");
        w.joins("ann", "2020-01-01");
        w.lands("max", "2025-12-01");
        w.item(Issue, 1, "bob", "2026-01-02", 0).actions = vec![
            act(Labeled, "ann", "2026-01-02", 2),
            act(Comment, "max", "2026-01-02", 1),
        ];
        w.item(Issue, 2, "bob", "2026-01-03", 0).actions = vec![
            act(Labeled, "ann", "2026-01-03", 1),
            act(Assigned, "ann", "2026-01-03", 2),
        ];
        w.item(Issue, 3, "bob", "2026-01-04", 0).actions = vec![
            act(Comment, "carol", "2026-01-04", 1),
            act(Closed, "ann", "2026-01-04", 5),
        ];
        let kpi = w.kpi("issues_triaged");
        assert_eq!(kpi.counts.total, 2);
        assert_eq!(kpi.extra["triage_acts"], 4);
        assert_eq!(kpi.credits[0].what, "first to triage #2 (labeled)");
    }
}
