//! Non-maintainer pull requests: pull requests opened in the window
//! `[since, until)` by people who were not maintainers at the time (and not
//! bots). How many got a response, were merged, closed unmerged, or are still
//! open at the end of the window; how long the first response and the merge
//! took; and how many of their authors came back: contributed again (commit,
//! issue, pull request, review or comment) in a later calendar month than
//! their first such pull request in the window.

use super::contributors::month;
use super::items::{AuthorKind, Durations, IsMaintainer, Item};
use super::{Definition, Metric, Window};
use crate::events::ItemKind;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// The figures.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Details {
    /// Pull requests opened by non-maintainers in the window.
    pub opened: u64,
    /// Of them, with a response before the end of the window.
    pub answered: u64,
    /// Merged before the end of the window.
    pub merged: u64,
    /// Closed without merging before the end of the window.
    pub closed_unmerged: u64,
    /// Still open at the end of the window.
    pub open: u64,
    /// Time to first response of those answered.
    pub first_response: Durations,
    /// Time from opening to merge of those merged.
    pub time_to_merge: Durations,
    /// Distinct authors.
    pub authors: u64,
    /// Of them, contributed again in a later calendar month.
    pub authors_returned: u64,
}

/// Computes the figures; `contributions` holds every contribution time per
/// person. The headline value is the share of those pull requests answered.
pub fn compute(
    items: &[Item],
    is_maintainer: IsMaintainer<'_>,
    contributions: &HashMap<String, Vec<i64>>,
    first_contribution: &HashMap<String, i64>,
    window: Window,
) -> Metric<Details> {
    let mut d = Details::default();
    let (mut responses, mut merges) = (Vec::new(), Vec::new());
    let mut first_pr: BTreeMap<&str, i64> = BTreeMap::new();
    for item in items.iter().filter(|i| {
        i.kind == ItemKind::PullRequest
            && window.contains(i.created)
            && matches!(
                i.author_kind(is_maintainer, first_contribution),
                AuthorKind::Returning | AuthorKind::FirstTimer
            )
    }) {
        d.opened += 1;
        if let Some(t) = item.first_response().filter(|&t| t < window.until) {
            d.answered += 1;
            responses.push(t - item.created);
        }
        match (item.merged, item.closed) {
            (Some(m), _) if m < window.until => {
                d.merged += 1;
                merges.push(m - item.created);
            }
            (_, Some(c)) if c < window.until => d.closed_unmerged += 1,
            _ => d.open += 1,
        }
        if let Some(author) = &item.author {
            let first = first_pr.entry(author).or_insert(item.created);
            *first = (*first).min(item.created);
        }
    }
    d.first_response = Durations::of(responses);
    d.time_to_merge = Durations::of(merges);
    d.authors = first_pr.len() as u64;
    d.authors_returned = first_pr
        .iter()
        .filter(|(author, first)| {
            contributions.get(**author).is_some_and(|times| {
                times
                    .iter()
                    .any(|&t| t < window.until && month(t) > month(**first))
            })
        })
        .count() as u64;
    let any = d.opened > 0;
    Metric {
        value: any.then(|| (d.answered as f64 / d.opened as f64 * 1000.0).round() / 1000.0),
        reason: (!any).then(|| {
            "no pull request by a non-maintainer opened in the window (or no forge data)".to_owned()
        }),
        details: d,
        definition: Definition::over(
            "pull requests opened in the window by people who were not maintainers then (nor bots): answered, merged, closed unmerged, open at the end; hours to first response and to merge; authors who contributed again in a later calendar month; value = share answered",
            window,
            false,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::ActivityKind::*;
    use crate::events::ItemKind::{Issue, PullRequest};
    use crate::metrics::items::{act, item};

    const DAY: i64 = 24;

    #[test]
    fn counts_states_times_and_returning_authors() {
        let maintainer = |p: &str, _: i64| p == "mia";
        let mut merged = item(PullRequest, 1, "ann", 10, vec![act(Review, "mia", 12)]);
        merged.merged = Some(40 * 3600);
        merged.closed = Some(40 * 3600);
        let mut closed = item(PullRequest, 2, "ben", 20, vec![act(Closed, "mia", 21)]);
        closed.closed = Some(21 * 3600);
        let open = item(PullRequest, 3, "ann", 30, vec![]);
        let mut late = item(PullRequest, 4, "cy", 50, vec![act(Comment, "mia", 55)]);
        // Merged after the window: still open at its end.
        late.merged = Some(5000 * 3600);
        let own = item(PullRequest, 5, "mia", 60, vec![]);
        let bot = item(PullRequest, 6, "dep[bot]", 60, vec![]);
        let issue = item(Issue, 7, "ann", 60, vec![]);
        let items = vec![merged, closed, open, late, own, bot, issue];
        // ann contributes again 40 days later (a later month); ben only the same day; cy never.
        let contributions: HashMap<String, Vec<i64>> = [
            ("ann".to_owned(), vec![10 * 3600, 40 * DAY * 3600]),
            ("ben".to_owned(), vec![20 * 3600, 22 * 3600]),
            ("cy".to_owned(), vec![50 * 3600]),
        ]
        .into_iter()
        .collect();
        let first = HashMap::new();
        let m = compute(
            &items,
            &maintainer,
            &contributions,
            &first,
            Window {
                since: 0,
                until: 100 * DAY * 3600,
            },
        );
        let d = &m.details;
        assert_eq!(
            (d.opened, d.answered, d.merged, d.closed_unmerged, d.open),
            (4, 3, 1, 1, 2)
        );
        // Responses after 2, 1 and 5 hours → median 2; merge after 30 hours.
        assert_eq!(d.first_response.median_hours, Some(2.0));
        assert_eq!(d.time_to_merge.median_hours, Some(30.0));
        assert_eq!((d.authors, d.authors_returned), (3, 1));
        assert_eq!(m.value, Some(0.75));
    }
}
