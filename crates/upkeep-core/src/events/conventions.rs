//! How a repository records who did what beyond git's author and committer:
//! PostgreSQL names authors in `Author:` lines (the git author is the
//! committer who applied the patch), Kafka squash-merges on GitHub with
//! `Reviewers:` lines, Flink closes pull requests with `This closes #N`,
//! OpenSearch labels new issues `untriaged`. A [`Conventions`] value says
//! which of these rules apply to one repository; [`detect`] names the ones a
//! history shows.

use serde::{Deserialize, Serialize};

/// The rules that read a repository's records.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Conventions {
    /// Credit a commit to the people of its `Author:` lines when it has some
    /// (its git author is then the committer who applied it), and to its
    /// `Co-authored-by:` people besides.
    pub message_authors: bool,
    /// A bare `Closes #N` names the pull request the commit closes (Flink's
    /// habit), not an issue. `This closes #N` always does.
    pub closes_pull_request: bool,
    /// The label a bot puts on every new issue; its removal by a person is
    /// triage, and putting it on is not.
    pub untriaged_label: Option<String>,
}

impl Default for Conventions {
    /// The built-in rules: message authors on, `Closes #N` an issue, `untriaged`.
    fn default() -> Self {
        Conventions {
            message_authors: true,
            closes_pull_request: false,
            untriaged_label: Some("untriaged".to_owned()),
        }
    }
}

/// The people a commit credits as its authors, by identity: the `Author:`
/// people when the rule allows and there are any, else the git author; then
/// the `Co-authored-by:` people. Each once, in that order. The flag says
/// whether the message replaced the git author.
pub fn credited_authors<T: Copy + PartialEq>(
    git_author: T,
    message_authors: &[T],
    co_authors: &[T],
    conventions: &Conventions,
) -> (Vec<T>, bool) {
    let from_message = conventions.message_authors && !message_authors.is_empty();
    let mut out: Vec<T> = Vec::new();
    let first: &[T] = if from_message {
        message_authors
    } else {
        std::slice::from_ref(&git_author)
    };
    for who in first.iter().chain(co_authors) {
        if !out.contains(who) {
            out.push(*who);
        }
    }
    (out, from_message)
}

/// A commit's pull request and issue references under `rules`: with
/// `closes_pull_request`, the first `#N` it closes is its pull request when
/// it names none otherwise.
pub fn pull_request_of(
    pr_number: Option<u64>,
    issue_refs: &[String],
    rules: &Conventions,
) -> (Option<u64>, Vec<String>) {
    if pr_number.is_some() || !rules.closes_pull_request {
        return (pr_number, issue_refs.to_vec());
    }
    let closed = issue_refs
        .iter()
        .find_map(|r| r.strip_prefix('#')?.parse::<u64>().ok());
    let refs = issue_refs
        .iter()
        .filter(|r| closed.is_none_or(|n| **r != format!("#{n}")))
        .cloned()
        .collect();
    (closed, refs)
}

/// How many commits of a history show each habit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Commits in all.
    pub commits: u64,
    /// With `Author:` lines.
    pub author_lines: u64,
    /// With `Co-authored-by:` lines.
    pub co_authored: u64,
    /// With `Reviewers:` (or `Reviewer:`) lines.
    pub reviewers_lines: u64,
    /// With `Reviewed-by:` or `Acked-by:` lines.
    pub reviewed_by: u64,
    /// With `Discussion:` links.
    pub discussion_links: u64,
    /// Non-merge commits committed by GitHub's web interface (`noreply@github.com`): squash merges and edits.
    pub committed_by_github: u64,
    /// Non-merge commits naming a pull request in a `This closes #N` line.
    pub closing_lines: u64,
    /// Naming an issue-tracker key in the subject (`KAFKA-1234`).
    pub tracker_keys: u64,
}

/// A habit a history shows, and in how many commits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Detected {
    /// A short name (`author-lines`, `reviewers-lines`, …).
    pub name: &'static str,
    /// What it means for the figures.
    pub effect: &'static str,
    /// Commits showing it.
    pub commits: u64,
}

/// The habits of a history: each one seen in at least one commit.
pub fn detect(counts: &Counts) -> Vec<Detected> {
    let all = [
        (
            "author-lines",
            "Author: lines credit the commit's authors; the git author counts as the committer who applied it",
            counts.author_lines,
        ),
        (
            "co-authored-by",
            "Co-authored-by: people are credited as authors too",
            counts.co_authored,
        ),
        (
            "reviewers-lines",
            "Reviewers: lines (Kafka) are reviews",
            counts.reviewers_lines,
        ),
        (
            "reviewed-by",
            "Reviewed-by: and Acked-by: lines are reviews",
            counts.reviewed_by,
        ),
        (
            "discussion-links",
            "Discussion: links join commits to mailing-list threads",
            counts.discussion_links,
        ),
        (
            "github-squash-merges",
            "committed by GitHub (squash merges): who merged comes from the forge",
            counts.committed_by_github,
        ),
        (
            "this-closes",
            "This closes #N joins a commit to the pull request it closes",
            counts.closing_lines,
        ),
        (
            "tracker-keys",
            "issue-tracker keys in subjects (KEY-123) link commits to issues",
            counts.tracker_keys,
        ),
    ];
    all.into_iter()
        .filter(|(_, _, n)| *n > 0)
        .map(|(name, effect, commits)| Detected {
            name,
            effect,
            commits,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn author_lines_replace_the_git_author() {
        let rules = Conventions::default();
        assert_eq!(
            credited_authors(1, &[7, 8], &[9, 7], &rules),
            (vec![7, 8, 9], true)
        );
        assert_eq!(credited_authors(1, &[], &[9], &rules), (vec![1, 9], false));
        let off = Conventions {
            message_authors: false,
            ..Conventions::default()
        };
        assert_eq!(credited_authors(1, &[7], &[], &off), (vec![1], false));
    }

    #[test]
    fn only_habits_seen_are_detected() {
        let found = detect(&Counts {
            commits: 10,
            author_lines: 4,
            discussion_links: 2,
            ..Counts::default()
        });
        let names: Vec<(&str, u64)> = found.iter().map(|d| (d.name, d.commits)).collect();
        assert_eq!(names, vec![("author-lines", 4), ("discussion-links", 2)]);
    }

    #[test]
    fn closes_names_the_pull_request_only_by_rule() {
        let refs = vec!["FLINK-1".to_owned(), "#302".to_owned(), "#7".to_owned()];
        let default = Conventions::default();
        assert_eq!(pull_request_of(None, &refs, &default), (None, refs.clone()));
        let flink = Conventions {
            closes_pull_request: true,
            ..Conventions::default()
        };
        assert_eq!(
            pull_request_of(None, &refs, &flink),
            (Some(302), vec!["FLINK-1".to_owned(), "#7".to_owned()])
        );
        assert_eq!(pull_request_of(Some(5), &refs, &flink), (Some(5), refs));
    }
}
