//! Time to first response: for issues and pull requests opened in the window
//! `[since, until)`, the time from creation to the first comment, review,
//! label, assignment, close or merge by someone other than the author and not
//! a bot (see [`Item::first_response`]), before the end of the window. Median
//! and 90th percentile per kind of author (maintainer, returning contributor,
//! first-timer, bot); items never answered are counted, not dropped.

use super::items::{AuthorKind, Durations, IsMaintainer, Item};
use super::{Definition, Metric, Window};
use crate::events::ItemKind;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Response figures of a group of items.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Group {
    /// Items opened in the window.
    pub items: u64,
    /// Time to first response of those answered.
    pub answered: Durations,
    /// Items with no response before the end of the window.
    pub never_answered: u64,
}

/// Issues or pull requests: all, and per kind of author.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Split {
    /// Every item.
    pub all: Group,
    /// Items by kind of author (`maintainer`, `returning`, `first_timer`, `bot`).
    pub by_author: BTreeMap<&'static str, Group>,
}

/// Response times for issues and for pull requests.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Details {
    /// Issues.
    pub issues: Split,
    /// Pull requests.
    pub pull_requests: Split,
    /// Items by people who are neither maintainers nor bots, issues and pull requests together.
    pub non_maintainers: Group,
    /// What AI agents did on those items: reported apart, never a response.
    pub by_agents: AgentResponses,
}

/// AI agents' acts on non-maintainers' items: an agent's review or comment
/// is not a human response, and is reported as its own figure.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct AgentResponses {
    /// Items an agent acted on before the end of the window.
    pub items: u64,
    /// Of them, items where an agent acted before any human response.
    pub agent_first: u64,
    /// Time from creation to the first agent act.
    pub first_agent_act: Durations,
}

/// AI agents' acts on items opened in `window` by non-maintainers
/// (`is_agent` says which actors are agents).
pub fn by_agents(
    items: &[Item],
    is_agent: &dyn Fn(&str) -> bool,
    is_maintainer: IsMaintainer<'_>,
    first_contribution: &HashMap<String, i64>,
    window: Window,
) -> AgentResponses {
    let mut out = AgentResponses::default();
    let mut times = Vec::new();
    for item in items.iter().filter(|i| window.contains(i.created)) {
        let author = item.author_kind(is_maintainer, first_contribution);
        if !matches!(author, AuthorKind::Returning | AuthorKind::FirstTimer) {
            continue;
        }
        let agent = item
            .actions
            .iter()
            .filter(|a| a.time < window.until && a.person.as_deref().is_some_and(is_agent))
            .map(|a| a.time)
            .min();
        let Some(agent) = agent else { continue };
        out.items += 1;
        times.push(agent - item.created);
        let human = item.first_response().filter(|&t| t < window.until);
        if human.is_none_or(|h| agent < h) {
            out.agent_first += 1;
        }
    }
    out.first_agent_act = Durations::of(times);
    out
}

/// Computes response times. The headline value is the median hours to first
/// response of items opened by non-maintainers (returning and first-timers).
pub fn compute(
    items: &[Item],
    is_maintainer: IsMaintainer<'_>,
    first_contribution: &HashMap<String, i64>,
    window: Window,
) -> Metric<Details> {
    let mut times: BTreeMap<(ItemKind, Option<AuthorKind>), (Vec<i64>, u64)> = BTreeMap::new();
    let mut outside = (Vec::new(), 0);
    for item in items.iter().filter(|i| window.contains(i.created)) {
        let author = item.author_kind(is_maintainer, first_contribution);
        let response = item
            .first_response()
            .filter(|&t| t < window.until)
            .map(|t| t - item.created);
        let record = |entry: &mut (Vec<i64>, u64)| match response {
            Some(seconds) => entry.0.push(seconds),
            None => entry.1 += 1,
        };
        record(times.entry((item.kind, None)).or_default());
        record(times.entry((item.kind, Some(author))).or_default());
        if matches!(author, AuthorKind::Returning | AuthorKind::FirstTimer) {
            record(&mut outside);
        }
    }
    let group = |(answered, never): (Vec<i64>, u64)| Group {
        items: answered.len() as u64 + never,
        answered: Durations::of(answered),
        never_answered: never,
    };
    let mut details = Details::default();
    for ((kind, author), entry) in times {
        let split = match kind {
            ItemKind::Issue => &mut details.issues,
            ItemKind::PullRequest => &mut details.pull_requests,
        };
        match author {
            None => split.all = group(entry),
            Some(a) => {
                split.by_author.insert(a.as_str(), group(entry));
            }
        }
    }
    details.non_maintainers = group(outside);
    let value = details.non_maintainers.answered.median_hours;
    Metric {
        value,
        reason: value.is_none().then(|| {
            if details.non_maintainers.items == 0 {
                "no issue or pull request by a non-maintainer opened in the window (or no forge data)"
                    .to_owned()
            } else {
                "no issue or pull request by a non-maintainer was answered".to_owned()
            }
        }),
        details,
        definition: Definition::over(
            "hours from creation to the first comment, review, label, assignment, close or merge by someone other than the author and not a bot, for issues and pull requests opened in the window; median and 90th percentile per kind of author; value = median for non-maintainers",
            window,
            false,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::ActivityKind::*;
    use crate::metrics::items::{act, item};
    use ItemKind::{Issue, PullRequest as PR};

    #[test]
    fn an_ai_review_first_leaves_the_human_response_unchanged() {
        // ann's PR (hour 10): Copilot's reviewer at hour 10.2 (12 minutes),
        // mia at hour 13; bob's PR (hour 20): mia at 22, the agent never;
        // carl's issue (hour 30): only the agent, at hour 31.
        let first = HashMap::new();
        let maintainer = |p: &str, _: i64| p == "mia";
        let reviewer = "copilot-pull-request-reviewer[bot]";
        let mut early = act(Review, reviewer, 10);
        early.time += 12 * 60;
        let items = vec![
            item(PR, 1, "ann", 10, vec![early, act(Review, "mia", 13)]),
            item(PR, 2, "bob", 20, vec![act(Comment, "mia", 22)]),
            item(Issue, 3, "carl", 30, vec![act(Comment, reviewer, 31)]),
        ];
        let window = Window {
            since: 0,
            until: 100 * 3600,
        };
        let m = compute(&items, &maintainer, &first, window);
        // Human responses: 3 and 2 hours; carl's issue is unanswered.
        assert_eq!(m.details.non_maintainers.answered.median_hours, Some(2.5));
        assert_eq!(m.details.non_maintainers.never_answered, 1);
        let agents = by_agents(&items, &|p| p == reviewer, &maintainer, &first, window);
        assert_eq!((agents.items, agents.agent_first), (2, 2));
        // 0.2 and 1 hours.
        assert_eq!(agents.first_agent_act.median_hours, Some(0.6));
    }

    #[test]
    fn split_by_author_kind_with_unanswered_counted() {
        let first: HashMap<String, i64> = [("ret".to_owned(), 0)].into_iter().collect();
        let maintainer = |p: &str, _: i64| p == "mia";
        let items = vec![
            // Returning contributor's PR, answered by mia after 4 hours.
            item(PR, 1, "ret", 10, vec![act(Review, "mia", 14)]),
            // First-timer's PR, answered after 30 hours.
            item(PR, 2, "newbie", 20, vec![act(Comment, "mia", 50)]),
            // First-timer's PR answered only after the window ends (hour 1000): never answered.
            item(PR, 3, "other", 30, vec![act(Comment, "mia", 1000)]),
            // Maintainer's PR, closed by bob after 2 hours.
            item(PR, 4, "mia", 40, vec![act(Closed, "bob", 42)]),
            // Issue by ret, labeled by a bot (no response), then assigned after 8 hours.
            item(
                Issue,
                5,
                "ret",
                50,
                vec![act(Labeled, "x[bot]", 50), act(Assigned, "mia", 58)],
            ),
            // Issue before the window: not counted.
            item(Issue, 6, "ret", 1, vec![]),
        ];
        let m = compute(
            &items,
            &maintainer,
            &first,
            Window {
                since: 5 * 3600,
                until: 900 * 3600,
            },
        );
        let prs = &m.details.pull_requests;
        assert_eq!(prs.all.items, 4);
        assert_eq!(prs.all.never_answered, 1);
        // 4, 30, 2 hours → median 4, p90: rank 1.8 → 4 + 0.8 × 26 = 24.8
        assert_eq!(prs.all.answered.median_hours, Some(4.0));
        assert_eq!(prs.all.answered.p90_hours, Some(24.8));
        assert_eq!(prs.by_author["first_timer"].items, 2);
        assert_eq!(prs.by_author["first_timer"].never_answered, 1);
        assert_eq!(
            prs.by_author["first_timer"].answered.median_hours,
            Some(30.0)
        );
        assert_eq!(prs.by_author["maintainer"].answered.median_hours, Some(2.0));
        assert_eq!(m.details.issues.all.items, 1);
        assert_eq!(
            m.details.issues.by_author["returning"]
                .answered
                .median_hours,
            Some(8.0)
        );
        // Non-maintainers: 4, 30, 8 answered and one never → median 8.
        assert_eq!(m.details.non_maintainers.items, 4);
        assert_eq!(m.details.non_maintainers.never_answered, 1);
        assert_eq!(m.value, Some(8.0));
    }
}
