//! Issues and pull requests with their people resolved: the input of the
//! forge metrics ([`super::first_response`], [`super::non_maintainer_prs`],
//! [`super::issue_triage`]), and the rules they share: who counts as responding,
//! and what kind of author opened an item.

use crate::events::{ActivityKind, ItemKind};
use serde::Serialize;
use std::collections::HashMap;

/// An issue or pull request, its author resolved to a person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    /// Its number.
    pub number: u64,
    /// Issue or pull request.
    pub kind: ItemKind,
    /// The author's person key; `None` for a deleted account.
    pub author: Option<String>,
    /// Whether the author is a bot.
    pub author_bot: bool,
    /// Whether the forge says the author has write access (owner, member, collaborator).
    pub author_maintains: bool,
    /// The people it is assigned to (person keys).
    pub assignees: Vec<String>,
    /// Created, seconds since the epoch.
    pub created: i64,
    /// Closed, if it is.
    pub closed: Option<i64>,
    /// Merged, for a merged pull request.
    pub merged: Option<i64>,
    /// Its issue-tracker key (`KAFKA-1234`) when it comes from a tracker
    /// rather than the repository's forge (then `number` is the key's).
    pub key: Option<String>,
    /// When a pull request's first commit was authored, if known: its own
    /// commits, from then on, never make its author returning.
    pub first_commit: Option<i64>,
    /// Who merged it (a person key), for a merged pull request whose merger is known.
    pub merged_by: Option<String>,
    /// Its labels at the last sync, lower-cased.
    pub labels: Vec<String>,
    /// What happened on it, oldest first.
    pub actions: Vec<Action>,
}

/// One act on an item, its actor resolved to a person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Action {
    /// What was done.
    pub kind: ActivityKind,
    /// The actor's person key; `None` for a deleted account.
    pub person: Option<String>,
    /// Whether the actor is a bot.
    pub bot: bool,
    /// When, seconds since the epoch.
    pub time: i64,
}

/// Who opened an item, at the time they opened it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthorKind {
    /// A maintainer at that time.
    Maintainer,
    /// Someone who had contributed before (commit, issue, pull request, review or comment).
    Returning,
    /// Their first contribution of any kind.
    FirstTimer,
    /// A bot.
    Bot,
}

impl AuthorKind {
    /// Every kind, in the order reports show them.
    pub const ALL: [AuthorKind; 4] = [
        AuthorKind::Maintainer,
        AuthorKind::Returning,
        AuthorKind::FirstTimer,
        AuthorKind::Bot,
    ];

    /// The name shown: `maintainer`, `returning`, `first_timer`, `bot`.
    pub fn as_str(self) -> &'static str {
        match self {
            AuthorKind::Maintainer => "maintainer",
            AuthorKind::Returning => "returning",
            AuthorKind::FirstTimer => "first_timer",
            AuthorKind::Bot => "bot",
        }
    }
}

/// Whether `person` was a maintainer at a time.
pub type IsMaintainer<'a> = &'a dyn Fn(&str, i64) -> bool;

impl Item {
    /// When someone other than the author, not a bot, first commented,
    /// reviewed, labeled, assigned, closed or merged it.
    pub fn first_response(&self) -> Option<i64> {
        self.actions
            .iter()
            .filter(|a| {
                !a.bot
                    && a.time >= self.created
                    && a.person.is_some()
                    && a.person != self.author
                    && !matches!(
                        a.kind,
                        ActivityKind::Reopened | ActivityKind::ReadyForReview
                    )
            })
            .map(|a| a.time)
            .min()
    }

    /// What kind of author opened it: a bot, a maintainer (by behaviour, by
    /// name, or with write access as the forge says), someone whose first
    /// contribution (`first_contribution`, by person) came before it, or a
    /// first-timer. "Before it" is before it opened and before its first
    /// commit was authored: what the item itself contributes (its commits,
    /// authored before it opened, and its merge) never makes its author
    /// returning. Deleted accounts count as returning: nothing says otherwise.
    pub fn author_kind(
        &self,
        is_maintainer: IsMaintainer<'_>,
        first_contribution: &HashMap<String, i64>,
    ) -> AuthorKind {
        let Some(author) = &self.author else {
            return AuthorKind::Returning;
        };
        if self.author_bot {
            AuthorKind::Bot
        } else if self.author_maintains || is_maintainer(author, self.created) {
            AuthorKind::Maintainer
        } else if first_contribution.get(author).is_some_and(|&first| {
            first < self.created && self.first_commit.is_none_or(|own| first < own)
        }) {
            AuthorKind::Returning
        } else {
            AuthorKind::FirstTimer
        }
    }

    /// Whether it was open at `at`: created before, and not closed (or merged) before.
    pub fn open_at(&self, at: i64) -> bool {
        self.created < at
            && self.closed.is_none_or(|c| c >= at)
            && self.merged.is_none_or(|m| m >= at)
    }
}

/// Median and 90th percentile of durations, and how many there were.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Durations {
    /// How many durations.
    pub count: u64,
    /// Their median, in hours.
    pub median_hours: Option<f64>,
    /// Their 90th percentile, in hours.
    pub p90_hours: Option<f64>,
}

impl Durations {
    /// The figures of `seconds` (any order). Quantiles interpolate linearly
    /// between the closest ranks, so the median of 1, 2, 3, 4 is 2.5.
    pub fn of(mut seconds: Vec<i64>) -> Self {
        seconds.sort_unstable();
        let hours: Vec<f64> = seconds.iter().map(|&s| s as f64 / 3600.0).collect();
        Durations {
            count: hours.len() as u64,
            median_hours: quantile(&hours, 0.5),
            p90_hours: quantile(&hours, 0.9),
        }
    }
}

/// The `q` quantile of sorted `values`, interpolating between the closest ranks.
pub(crate) fn quantile(sorted: &[f64], q: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let rank = q * last as f64;
    let (lo, hi) = (rank.floor() as usize, rank.ceil() as usize);
    let value = sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo as f64);
    Some((value * 100.0).round() / 100.0)
}

/// Test helper: an action `kind` by `person` (a bot when its name ends in `[bot]`) at `hour`.
#[cfg(test)]
pub(crate) fn act(kind: ActivityKind, person: &str, hour: i64) -> Action {
    Action {
        kind,
        person: Some(person.into()),
        bot: person.ends_with("[bot]"),
        time: hour * 3600,
    }
}

/// Test helper: an item `number` of `kind` by `author`, created at `hour`.
#[cfg(test)]
pub(crate) fn item(
    kind: ItemKind,
    number: u64,
    author: &str,
    hour: i64,
    actions: Vec<Action>,
) -> Item {
    Item {
        number,
        kind,
        author: Some(author.into()),
        author_bot: author.ends_with("[bot]"),
        author_maintains: false,
        assignees: Vec::new(),
        created: hour * 3600,
        closed: None,
        merged: None,
        key: None,
        first_commit: None,
        merged_by: None,
        labels: Vec::new(),
        actions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ActivityKind::*;

    #[test]
    fn first_response_skips_the_author_bots_and_reopening() {
        // Created at hour 10: the author comments (11), a bot labels (12), carol reopens (13),
        // dave reviews (15), erin comments (14) → first response at 14.
        let i = item(
            ItemKind::PullRequest,
            1,
            "bob",
            10,
            vec![
                act(Comment, "bob", 11),
                act(Labeled, "triage[bot]", 12),
                act(Reopened, "carol", 13),
                act(Review, "dave", 15),
                act(Comment, "erin", 14),
            ],
        );
        assert_eq!(i.first_response(), Some(14 * 3600));
        assert_eq!(
            item(ItemKind::Issue, 2, "bob", 1, vec![]).first_response(),
            None
        );
    }

    #[test]
    fn author_kinds() {
        let first: HashMap<String, i64> = [("old".to_owned(), 0), ("new".to_owned(), 5 * 3600)]
            .into_iter()
            .collect();
        let maintainer = |p: &str, _: i64| p == "mia";
        let kind = |author: &str| {
            item(ItemKind::Issue, 1, author, 5, vec![]).author_kind(&maintainer, &first)
        };
        assert_eq!(kind("mia"), AuthorKind::Maintainer);
        assert_eq!(kind("old"), AuthorKind::Returning);
        // Their first contribution is this very item.
        assert_eq!(kind("new"), AuthorKind::FirstTimer);
        assert_eq!(kind("never-seen"), AuthorKind::FirstTimer);
        assert_eq!(kind("renovate[bot]"), AuthorKind::Bot);
        // A pull request opened at hour 5 whose first commit was authored at
        // hour 3: "mid"'s commits from hour 4 are its own (first-timer);
        // "old"'s contribution at hour 0 came before them (returning).
        let first: HashMap<String, i64> = [("old".to_owned(), 0), ("mid".to_owned(), 4 * 3600)]
            .into_iter()
            .collect();
        let pr = |author: &str| {
            let mut pr = item(ItemKind::PullRequest, 2, author, 5, vec![]);
            pr.first_commit = Some(3 * 3600);
            pr.author_kind(&maintainer, &first)
        };
        assert_eq!(pr("mid"), AuthorKind::FirstTimer);
        assert_eq!(pr("old"), AuthorKind::Returning);
        let mut owner = item(ItemKind::Issue, 1, "new", 5, vec![]);
        owner.author_maintains = true;
        assert_eq!(
            owner.author_kind(&maintainer, &first),
            AuthorKind::Maintainer
        );
    }

    #[test]
    fn quantiles_interpolate() {
        let d = Durations::of(vec![3600, 4 * 3600, 2 * 3600, 3 * 3600]);
        assert_eq!(d.count, 4);
        assert_eq!(d.median_hours, Some(2.5));
        // rank 0.9 × 3 = 2.7 → 3 + 0.7 × (4 − 3) = 3.7
        assert_eq!(d.p90_hours, Some(3.7));
        assert_eq!(Durations::of(vec![]).median_hours, None);
    }
}
