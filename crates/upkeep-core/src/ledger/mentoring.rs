//! Mentoring, and `maintainers_grown`.
//!
//! Someone is mentored by us at a time when, in the look-back before it (12
//! months by default), our people reviewed at least N (3 by default) distinct
//! pull requests or patches of theirs — forge reviews and review comments, and
//! review trailers on commits they authored — or when
//! `[[organization.mentees]]` names them from a date on. A maintainer is grown
//! when someone first became a maintainer (their first landing of others'
//! work: a merge, a commit of another's change, a pull request merged; people
//! named in governance files have no such date) inside the window, and was
//! mentored by us at that moment.

use super::{Context, Credit, Inputs, MentoringRule, Produced, change_key};
use crate::events::{ActivityKind, ItemKind};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The definition of `maintainers_grown`, before its parameters.
pub const GROWN: &str = "people who first became maintainers (their first merge or landing of someone else's work) in the window while mentored by us";

/// A definition with the mentoring rule's parameters spelled out.
pub fn definition(rule: &str, m: MentoringRule) -> String {
    format!(
        "{rule}; mentored = at least {} of their pull requests or patches reviewed by our people in the {} days before, or named in [[organization.mentees]] from a date on",
        m.reviews,
        m.lookback_seconds / 86_400
    )
}

/// A review by one of ours of someone's change.
#[derive(Clone, Debug)]
struct Given {
    time: i64,
    change: String,
    reviewer: String,
}

/// Who was reviewed by us when, and who is named a mentee.
pub struct Mentored {
    reviews: HashMap<String, Vec<Given>>,
    named: HashMap<String, i64>,
    rule: MentoringRule,
}

/// Why someone counts as mentored at a time: the changes of theirs we reviewed
/// (empty when they are named), and which of ours reviewed most.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evidence {
    /// The reviewed changes in the look-back, oldest first.
    pub changes: Vec<String>,
    /// The reviewer of ours with the most of them (ties: the smaller key); `None` if named.
    pub mentor: Option<String>,
}

impl Mentored {
    /// The reviews our people gave in `inputs`, by the author reviewed.
    pub fn new(inputs: &Inputs<'_>) -> Self {
        // Reviews older than a look-back before the window never count.
        let from = inputs.window.since - inputs.mentoring.lookback_seconds;
        let relevant = |t: i64| from <= t && t < inputs.window.until;
        let mut reviews: HashMap<String, Vec<Given>> = HashMap::new();
        for u in inputs.upstreams {
            for i in u.items.iter().filter(|i| i.kind == ItemKind::PullRequest) {
                let Some(author) = &i.author else { continue };
                for a in &i.actions {
                    let Some(p) = a.person.as_deref() else {
                        continue;
                    };
                    if matches!(a.kind, ActivityKind::Review | ActivityKind::ReviewComment)
                        && relevant(a.time)
                        && !a.bot
                        && p != author
                        && (inputs.ours)(p, a.time)
                    {
                        reviews.entry(author.clone()).or_default().push(Given {
                            time: a.time,
                            change: format!("{}#{}", u.name, i.number),
                            reviewer: p.to_owned(),
                        });
                    }
                }
            }
            for c in u.commits.iter().filter(|c| !c.merge && relevant(c.time)) {
                let Some(author) = &c.author else { continue };
                for r in c
                    .reviewers
                    .iter()
                    .filter(|r| *r != author && (inputs.ours)(r, c.time))
                {
                    reviews.entry(author.clone()).or_default().push(Given {
                        time: c.time,
                        change: change_key(&u.name, c),
                        reviewer: r.clone(),
                    });
                }
            }
        }
        for given in reviews.values_mut() {
            given.sort_by(|a, b| a.time.cmp(&b.time).then_with(|| a.change.cmp(&b.change)));
        }
        Mentored {
            reviews,
            named: inputs.mentees.iter().cloned().collect(),
            rule: inputs.mentoring,
        }
    }

    /// Whether `person` was mentored by us at `at`, and the evidence.
    pub fn at(&self, person: &str, at: i64) -> Option<Evidence> {
        let from = at - self.rule.lookback_seconds;
        let mut changes: Vec<String> = Vec::new();
        let mut by_reviewer: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for g in self
            .reviews
            .get(person)
            .into_iter()
            .flatten()
            .filter(|g| from <= g.time && g.time < at)
        {
            if !changes.contains(&g.change) {
                changes.push(g.change.clone());
            }
            by_reviewer
                .entry(&g.reviewer)
                .or_default()
                .insert(&g.change);
        }
        if changes.len() as u64 >= self.rule.reviews {
            let mentor = by_reviewer
                .iter()
                .max_by(|a, b| a.1.len().cmp(&b.1.len()).then_with(|| b.0.cmp(a.0)))
                .map(|(r, _)| (*r).to_owned());
            return Some(Evidence { changes, mentor });
        }
        self.named
            .get(person)
            .is_some_and(|&since| since <= at)
            .then_some(Evidence {
                changes: Vec::new(),
                mentor: None,
            })
    }
}

/// The credits of `maintainers_grown`: one per person, credited to their main mentor.
pub fn grown(inputs: &Inputs<'_>, context: &Context<'_>) -> Produced {
    let mut credits = Vec::new();
    for u in inputs.upstreams {
        let mut first: BTreeMap<&str, i64> = BTreeMap::new();
        for l in u.landed.iter().filter(|l| !l.bot) {
            let t = first.entry(&l.person).or_insert(l.time);
            *t = (*t).min(l.time);
        }
        for (person, became) in first {
            if u.named_maintainers.contains(person) || !inputs.window.contains(became) {
                continue;
            }
            let Some(evidence) = context.mentoring.at(person, became) else {
                continue;
            };
            let why = match evidence.changes.is_empty() {
                true => "named as our mentee".to_owned(),
                false => format!("after we reviewed {}", evidence.changes.join(", ")),
            };
            credits.push(Credit {
                key: person.to_owned(),
                upstream: u.name.clone(),
                person: evidence.mentor.unwrap_or_else(|| person.to_owned()),
                time: became,
                what: format!("{person} became a maintainer, {why}"),
            });
        }
    }
    Produced::credits(credits)
}

#[cfg(test)]
mod tests {
    use crate::events::{ActivityKind::*, ItemKind::*};
    use crate::ledger::testing::*;

    #[test]
    fn a_mentee_who_becomes_a_maintainer() {
        // ann (ours) reviews three of bob's pull requests in 2025 (#1, #2 forge reviews,
        // and a Reviewed-by on bob's commit naming #3). bob first merges someone's work on
        // 2026-02-10: grown, credited to ann. carol had two reviewed (#4, #5) and merges on
        // 2026-02-11: not mentored. dan merged already in 2025: not new in the window.
        let mut w = World::new("2026-01-01", "2026-04-01");
        w.joins("ann", "2020-01-01");
        w.item(PullRequest, 1, "bob", "2025-06-01", 0).actions =
            vec![act(Review, "ann", "2025-06-02", 0)];
        w.item(PullRequest, 2, "bob", "2025-08-01", 0).actions =
            vec![act(ReviewComment, "ann", "2025-08-02", 0)];
        let c = w.commit("bob", "2025-10-01");
        c.pr_number = Some(3);
        c.reviewers = vec!["ann".into()];
        w.item(PullRequest, 4, "carol", "2025-09-01", 0).actions =
            vec![act(Review, "ann", "2025-09-02", 0)];
        w.item(PullRequest, 5, "carol", "2025-09-03", 0).actions =
            vec![act(Review, "ann", "2025-09-04", 0)];
        w.lands("bob", "2026-02-10");
        w.lands("carol", "2026-02-11");
        w.lands("dan", "2025-03-01");
        w.lands("dan", "2026-02-12");
        let kpi = w.kpi("maintainers_grown");
        assert_eq!(kpi.counts.total, 1);
        assert_eq!(kpi.counts.by_period, vec![0, 1, 0]);
        assert_eq!(kpi.credits[0].key, "bob");
        assert_eq!(kpi.credits[0].person, "ann");
        assert_eq!(
            kpi.credits[0].what,
            "bob became a maintainer, after we reviewed o/r#1, o/r#2, o/r#3"
        );
        assert!(kpi.definition.contains("at least 3"));
    }

    #[test]
    fn a_named_mentee_counts_from_its_date() {
        let mut w = World::new("2026-01-01", "2026-04-01");
        w.joins("ann", "2020-01-01");
        w.mentees = vec![("erin".into(), day("2026-03-01"))];
        w.lands("erin", "2026-02-01");
        assert_eq!(w.kpi("maintainers_grown").counts.total, 0);
        w.mentees = vec![("erin".into(), day("2026-01-15"))];
        assert_eq!(w.kpi("maintainers_grown").counts.total, 1);
    }
}
