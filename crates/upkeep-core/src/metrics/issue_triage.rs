//! Issue triage: for issues opened in the window `[since, until)` by anyone
//! but a bot, the time to the first label change (a label put on, or one taken
//! off: the removal of an auto-applied `untriaged` label is how OpenSearch
//! triages; putting that label on is not, see the forge inputs), the first
//! assignment, the first comment by a maintainer and the close, and to
//! whichever came first (triage); and the issues open at the end of the
//! window that were never triaged, by age. A triage act is always by someone
//! other than the issue's author and not a bot: the labels an issue form puts
//! on as its author opens it, or an author closing their own issue, are no
//! one's triage.

use super::items::{Durations, IsMaintainer, Item};
use super::{Definition, Metric, Window};
use crate::events::{ActivityKind, ItemKind};
use serde::Serialize;

/// Age buckets of untriaged open issues, in days: `[0, 7)`, `[7, 30)`, `[30, 90)`, `[90, 365)`, 365 and more.
pub const AGE_BUCKETS: [(&str, i64); 5] = [
    ("under 7 days", 7),
    ("7-30 days", 30),
    ("30-90 days", 90),
    ("90-365 days", 365),
    ("over a year", i64::MAX),
];

/// The figures.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Details {
    /// Issues opened in the window (not by bots).
    pub issues: u64,
    /// Time to the first label (by a person, not a bot).
    pub first_label: Durations,
    /// Time to the first assignment (by a person, not a bot).
    pub first_assignment: Durations,
    /// Time to the first comment by a maintainer other than the author.
    pub first_maintainer_comment: Durations,
    /// Time to the close by someone other than the author (not a bot).
    pub first_close: Durations,
    /// Time to the first of the four.
    pub triaged: Durations,
    /// Opened in the window and not triaged before its end.
    pub never_triaged: u64,
    /// Open at the end of the window (opened any time) and never triaged, by age: `[bucket, count]`.
    pub open_untriaged_by_age: Vec<(&'static str, u64)>,
}

/// When `item` was first triaged in each way: label, assignment, maintainer
/// comment, close; each by a known person other than its author, not a bot.
fn triage_times(item: &Item, is_maintainer: IsMaintainer<'_>, until: i64) -> [Option<i64>; 4] {
    let first = |pred: &dyn Fn(&super::items::Action) -> bool| {
        item.actions
            .iter()
            .filter(|a| {
                !a.bot
                    && a.person.is_some()
                    && a.person != item.author
                    && a.time < until
                    && a.time >= item.created
                    && pred(a)
            })
            .map(|a| a.time)
            .min()
    };
    [
        first(&|a| matches!(a.kind, ActivityKind::Labeled | ActivityKind::Unlabeled)),
        first(&|a| a.kind == ActivityKind::Assigned),
        first(&|a| {
            a.kind == ActivityKind::Comment
                && a.person
                    .as_deref()
                    .is_some_and(|p| is_maintainer(p, a.time))
        }),
        first(&|a| a.kind == ActivityKind::Closed),
    ]
}

/// Computes triage figures; the headline value is the median hours to triage.
pub fn compute(items: &[Item], is_maintainer: IsMaintainer<'_>, window: Window) -> Metric<Details> {
    let mut d = Details::default();
    let mut times: [Vec<i64>; 5] = Default::default();
    let mut ages = [0u64; AGE_BUCKETS.len()];
    for item in items
        .iter()
        .filter(|i| i.kind == ItemKind::Issue && !i.author_bot)
    {
        let each = triage_times(item, is_maintainer, window.until);
        let triaged = each.iter().flatten().min().copied();
        if window.contains(item.created) {
            d.issues += 1;
            for (k, t) in each.iter().chain([&triaged]).enumerate() {
                if let Some(t) = t {
                    times[k].push(t - item.created);
                }
            }
            if triaged.is_none() {
                d.never_triaged += 1;
            }
        }
        if triaged.is_none() && item.open_at(window.until) {
            let days = (window.until - item.created) / 86_400;
            if let Some(b) = AGE_BUCKETS.iter().position(|(_, below)| days < *below) {
                ages[b] += 1;
            }
        }
    }
    let [label, assignment, comment, close, triaged] = times;
    d.first_label = Durations::of(label);
    d.first_assignment = Durations::of(assignment);
    d.first_maintainer_comment = Durations::of(comment);
    d.first_close = Durations::of(close);
    d.triaged = Durations::of(triaged);
    d.open_untriaged_by_age = AGE_BUCKETS
        .iter()
        .map(|(name, _)| *name)
        .zip(ages)
        .collect();
    let value = d.triaged.median_hours;
    Metric {
        value,
        reason: value.is_none().then(|| {
            if d.issues == 0 {
                "no issue opened in the window (or no forge data)".to_owned()
            } else {
                "no issue opened in the window was triaged".to_owned()
            }
        }),
        details: d,
        definition: Definition::over(
            "issues opened in the window: hours to the first label, first assignment, first comment by a maintainer and the close, each by someone other than the author and not a bot, and to the first of these; open issues never triaged by age; value = median hours to triage",
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

    #[test]
    fn label_assignment_and_maintainer_comment() {
        let maintainer = |p: &str, _: i64| p == "mia";
        let day = 24;
        let items = vec![
            // Labeled after 2 h, assigned after 5 h → triaged after 2 h.
            item(
                ItemKind::Issue,
                1,
                "ann",
                0,
                vec![act(Labeled, "mia", 2), act(Assigned, "mia", 5)],
            ),
            // A non-maintainer's comment is no triage; mia's comment after 10 h is.
            item(
                ItemKind::Issue,
                2,
                "ann",
                0,
                vec![act(Comment, "bob", 1), act(Comment, "mia", 10)],
            ),
            // A bot's label is no triage: never triaged, open, 20 days old at the end.
            item(
                ItemKind::Issue,
                3,
                "ann",
                80 * day,
                vec![act(Labeled, "x[bot]", 80 * day)],
            ),
            // Opened before the window, still open and untriaged: 400 days old.
            item(ItemKind::Issue, 4, "ann", -300 * day, vec![]),
            // A pull request is not an issue.
            item(ItemKind::PullRequest, 5, "ann", 0, vec![]),
        ];
        let m = compute(
            &items,
            &maintainer,
            Window {
                since: 0,
                until: 100 * day * 3600,
            },
        );
        let d = &m.details;
        assert_eq!(d.issues, 3);
        assert_eq!(d.first_label.median_hours, Some(2.0));
        assert_eq!(d.first_assignment.median_hours, Some(5.0));
        assert_eq!(d.first_maintainer_comment.median_hours, Some(10.0));
        // 2 and 10 hours → median 6.
        assert_eq!(d.triaged.median_hours, Some(6.0));
        assert_eq!(d.never_triaged, 1);
        assert_eq!(
            d.open_untriaged_by_age,
            vec![
                ("under 7 days", 0),
                ("7-30 days", 1),
                ("30-90 days", 0),
                ("90-365 days", 0),
                ("over a year", 1)
            ]
        );
        assert_eq!(m.value, Some(6.0));
    }

    #[test]
    fn the_authors_own_labels_assignments_and_close_are_no_triage() {
        let maintainer = |p: &str, _: i64| p == "mia";
        let items = vec![
            // An issue form labels ann's issue as she opens it (hour 0), she
            // assigns herself at 1 and comments at 2 (she is a maintainer);
            // bob labels it at 6: triaged after 6 h, not 0.
            item(
                ItemKind::Issue,
                1,
                "mia",
                0,
                vec![
                    act(Labeled, "mia", 0),
                    act(Assigned, "mia", 1),
                    act(Comment, "mia", 2),
                    act(Labeled, "bob", 6),
                ],
            ),
            // ann labels and closes her own issue: never triaged.
            item(
                ItemKind::Issue,
                2,
                "ann",
                0,
                vec![act(Labeled, "ann", 0), act(Closed, "ann", 3)],
            ),
            // bob closes ann's issue after 4 h without a word: triaged at 4.
            item(ItemKind::Issue, 3, "ann", 0, vec![act(Closed, "bob", 4)]),
        ];
        let window = Window {
            since: 0,
            until: 100 * 3600,
        };
        let d = compute(&items, &maintainer, window).details;
        assert_eq!(d.first_label.median_hours, Some(6.0));
        assert_eq!(d.first_assignment.count, 0);
        assert_eq!(d.first_maintainer_comment.count, 0);
        assert_eq!(d.first_close.median_hours, Some(4.0));
        // Triaged: issue 1 at 6 h, issue 3 at 4 h → median 5; issue 2 never.
        assert_eq!((d.triaged.median_hours, d.never_triaged), (Some(5.0), 1));
    }

    #[test]
    fn taking_a_label_off_is_triage() {
        let items = vec![item(
            ItemKind::Issue,
            1,
            "ann",
            0,
            vec![act(Unlabeled, "mia", 3), act(Assigned, "mia", 7)],
        )];
        let window = Window {
            since: -3600,
            until: 100 * 3600,
        };
        let m = compute(&items, &|_: &str, _: i64| false, window);
        assert_eq!(m.details.first_label.median_hours, Some(3.0));
        assert_eq!(m.value, Some(3.0));
    }
}
