//! Users becoming contributors: people (not bots) who first appeared in the
//! window `[since, until)` as users — opening an issue, commenting, or
//! posting to a list (not a patch) — and how many of them, by the window's
//! end, went on to each step: opened a pull request or posted a patch or
//! authored a commit; had one land (a pull request merged, or a commit
//! authored: it is in the history); contributed code on a second day. Per
//! cohort (the quarter they first appeared), with the drop-off at each step.
//! Beside it, the good-first issues offered (issues opened in the window with
//! one of the configured labels) and how many were taken by newcomers (an
//! assignee whose first contribution came after the issue was opened).

use super::funnel::Other;
use super::items::Item;
use super::mailing_lists::Post;
use super::{Contribution, Definition, Metric, Window, quarter};
use crate::events::ItemKind;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The labels that offer an issue to newcomers, unless configured.
pub const GOOD_FIRST_LABELS: [&str; 6] = [
    "good first issue",
    "good-first-issue",
    "help wanted",
    "help-wanted",
    "beginner",
    "first-timers-only",
];

/// The steps, in order.
pub const STEPS: [&str; 4] = ["appeared", "opened", "landed", "repeated"];

/// What the journey reads.
pub struct Inputs<'a> {
    /// Non-merge commits authored, any time.
    pub contributions: &'a [Contribution],
    /// Forge contributions (issues, pull requests, reviews, comments), any time.
    pub forge: &'a [Other],
    /// Issues and pull requests, any time.
    pub items: &'a [Item],
    /// Mailing-list posts, any time.
    pub posts: &'a [Post],
    /// Each person's first contribution of any kind.
    pub first: &'a HashMap<String, i64>,
    /// The labels that offer an issue to newcomers (lower case).
    pub good_first_labels: &'a [String],
    /// The window.
    pub window: Window,
}

/// One cohort: how many reached each step, and the share lost at each.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Cohort {
    /// `YYYY-Qn`, the quarter they first appeared.
    pub quarter: String,
    /// Per step (see [`STEPS`]): people who reached it.
    pub reached: Vec<u64>,
    /// Per step after the first: the share of the step before who did not reach it.
    pub drop_off: Vec<f64>,
}

/// Good-first issues.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct GoodFirst {
    /// The labels counted.
    pub labels: Vec<String>,
    /// Issues opened in the window with one of them.
    pub offered: u64,
    /// Of those, assigned to someone.
    pub taken: u64,
    /// Of those, assigned to a newcomer.
    pub taken_by_newcomers: u64,
}

/// The figures.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Details {
    /// All cohorts together, per step.
    pub reached: Vec<u64>,
    /// All cohorts together, the drop-off at each step after the first.
    pub drop_off: Vec<f64>,
    /// Per quarter of first appearance.
    pub cohorts: Vec<Cohort>,
    /// Good-first issues.
    pub good_first: GoodFirst,
}

/// One person's code contributions: when, and whether it landed.
#[derive(Default)]
struct Code {
    opened: bool,
    landed: bool,
    days: BTreeSet<i64>,
}

/// Computes the journey; the value is the share of the window's new users
/// who had a contribution land.
pub fn compute(inputs: &Inputs<'_>) -> Metric<Details> {
    let w = inputs.window;
    let users = users(inputs);
    let code = code(inputs);
    let mut cohorts: BTreeMap<(i32, u8), Vec<u64>> = BTreeMap::new();
    for (person, first) in &users {
        let steps = cohorts.entry(quarter(*first)).or_insert_with(|| vec![0; 4]);
        let c = code.get(person.as_str());
        let reached = [
            true,
            c.is_some_and(|c| c.opened),
            c.is_some_and(|c| c.landed),
            c.is_some_and(|c| c.days.len() >= 2),
        ];
        for (i, r) in reached.iter().enumerate() {
            steps[i] += u64::from(*r);
        }
    }
    let mut all = vec![0; 4];
    for steps in cohorts.values() {
        for (a, s) in all.iter_mut().zip(steps) {
            *a += s;
        }
    }
    let details = Details {
        drop_off: drop_off(&all),
        cohorts: cohorts
            .into_iter()
            .map(|((y, q), reached)| Cohort {
                quarter: format!("{y}-Q{q}"),
                drop_off: drop_off(&reached),
                reached,
            })
            .collect(),
        good_first: good_first(inputs),
        reached: all,
    };
    let appeared = details.reached[0];
    Metric {
        value: (appeared > 0).then(|| ratio(details.reached[2], appeared)),
        reason: (appeared == 0).then(|| {
            "nobody first appeared in the window as an issue reporter, commenter or list poster"
                .into()
        }),
        details,
        definition: Definition::over(
            "people first seen in the window opening an issue, commenting or posting to a list (not a patch), and how many by the window's end opened a pull request, posted a patch or authored a commit; had one land (merged, or a commit in the history); contributed code on a second day; per quarter of first appearance, with the drop-off at each step. Good-first issues: issues opened in the window with one of the labels, and how many were assigned to a newcomer (first contribution after the issue opened)",
            w,
            false,
        )
        .with(
            "good_first_labels",
            serde_json::json!(inputs.good_first_labels),
        ),
    }
}

/// People whose first act was a user's act, inside the window: person →
/// when. At one instant, any other act wins over a user's act.
fn users<'a>(inputs: &'a Inputs<'_>) -> BTreeMap<String, i64> {
    let w = inputs.window;
    let mut first: HashMap<&'a str, (i64, bool)> = HashMap::new();
    let mut see = |person: &'a str, time: i64, user: bool| {
        let e = first.entry(person).or_insert((time, user));
        if time < e.0 {
            *e = (time, user);
        } else if time == e.0 {
            e.1 &= user;
        }
    };
    for c in inputs.contributions.iter().filter(|c| !c.bot) {
        see(&c.person, c.time, false);
    }
    for o in inputs.forge.iter().filter(|o| !o.bot) {
        see(&o.person, o.time, matches!(o.kind, "issue" | "comment"));
    }
    for p in inputs.posts.iter().filter(|p| !p.bot) {
        if let Some(person) = &p.person {
            see(person, p.time, !p.patch);
        }
    }
    first
        .into_iter()
        .filter(|(_, (t, user))| *user && w.contains(*t))
        .map(|(p, (t, _))| (p.to_owned(), t))
        .collect()
}

/// Each person's code contributions before the window's end.
fn code<'a>(inputs: &'a Inputs<'_>) -> HashMap<&'a str, Code> {
    let until = inputs.window.until;
    let mut out: HashMap<&str, Code> = HashMap::new();
    let day = |t: i64| t.div_euclid(86_400);
    for c in inputs
        .contributions
        .iter()
        .filter(|c| !c.bot && c.time < until)
    {
        let e = out.entry(&c.person).or_default();
        e.opened = true;
        e.landed = true;
        e.days.insert(day(c.time));
    }
    for i in inputs.items.iter() {
        let Some(author) = i.author.as_deref() else {
            continue;
        };
        if i.kind != ItemKind::PullRequest || i.author_bot || i.created >= until {
            continue;
        }
        let e = out.entry(author).or_default();
        e.opened = true;
        e.landed |= i.merged.is_some_and(|t| t < until);
        e.days.insert(day(i.created));
    }
    for p in inputs
        .posts
        .iter()
        .filter(|p| p.patch && !p.bot && p.time < until)
    {
        if let Some(person) = &p.person {
            let e = out.entry(person).or_default();
            e.opened = true;
            e.days.insert(day(p.time));
        }
    }
    out
}

/// The share lost at each step after the first.
fn drop_off(reached: &[u64]) -> Vec<f64> {
    reached
        .windows(2)
        .map(|w| {
            if w[0] == 0 {
                0.0
            } else {
                ratio(w[0] - w[1].min(w[0]), w[0])
            }
        })
        .collect()
}

fn ratio(n: u64, of: u64) -> f64 {
    if of == 0 {
        0.0
    } else {
        (n as f64 / of as f64 * 1000.0).round() / 1000.0
    }
}

/// Good-first issues opened in the window and who took them.
fn good_first(inputs: &Inputs<'_>) -> GoodFirst {
    let labels = inputs.good_first_labels;
    let offered: Vec<&Item> = inputs
        .items
        .iter()
        .filter(|i| i.kind == ItemKind::Issue && inputs.window.contains(i.created))
        .filter(|i| i.labels.iter().any(|l| labels.contains(l)))
        .collect();
    let newcomer =
        |person: &str, created: i64| inputs.first.get(person).is_none_or(|f| *f >= created);
    GoodFirst {
        labels: labels.to_vec(),
        offered: offered.len() as u64,
        taken: offered.iter().filter(|i| !i.assignees.is_empty()).count() as u64,
        taken_by_newcomers: offered
            .iter()
            .filter(|i| i.assignees.iter().any(|a| newcomer(a, i.created)))
            .count() as u64,
    }
}

#[cfg(test)]
mod tests;
