//! What a forge (GitHub) or an issue tracker (JIRA) knows: issues and pull
//! requests, what happened on them, releases and repository metadata. People
//! are logins here (a tracker's user names are its own); identities resolve
//! them to persons.

use serde::Serialize;

/// Whether an item is an issue or a pull request.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// An issue.
    #[default]
    Issue,
    /// A pull (merge) request.
    PullRequest,
}

impl ItemKind {
    /// The name stored and shown: `issue` or `pull_request`.
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Issue => "issue",
            ItemKind::PullRequest => "pull_request",
        }
    }

    /// The kind named by [`ItemKind::as_str`].
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "issue" => Some(ItemKind::Issue),
            "pull_request" => Some(ItemKind::PullRequest),
            _ => None,
        }
    }
}

/// An issue or a pull request, as it stands when fetched.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ForgeItem {
    /// Its number in the repository.
    pub number: u64,
    /// Issue or pull request.
    pub kind: ItemKind,
    /// The author's login; `None` for deleted accounts.
    pub author: Option<String>,
    /// The author's association with the repository as the forge states it
    /// (`OWNER`, `MEMBER`, `COLLABORATOR`, `CONTRIBUTOR`, `FIRST_TIME_CONTRIBUTOR`, `NONE`, …).
    pub author_association: Option<String>,
    /// The title.
    pub title: String,
    /// `open` or `closed` (a merged pull request is closed and has `merged`).
    pub state: String,
    /// Whether a pull request is a draft.
    pub draft: bool,
    /// Created, seconds since the epoch.
    pub created: i64,
    /// Last updated, seconds since the epoch.
    pub updated: i64,
    /// Closed, if it is.
    pub closed: Option<i64>,
    /// Merged, for a merged pull request.
    pub merged: Option<i64>,
    /// Who merged it.
    pub merged_by: Option<String>,
    /// Label names.
    pub labels: Vec<String>,
    /// Assignee logins.
    pub assignees: Vec<String>,
    /// The issue tracker it comes from (a JIRA project's key, `KAFKA`), or
    /// `None` for the repository's forge. Numbers are per tracker
    /// ([`GITLAB_ISSUES`] for a GitLab project's issues).
    pub tracker: Option<String>,
    /// When a pull request's first commit was authored, when the forge says:
    /// its commits from then on are its own, never an earlier contribution
    /// of its author.
    pub first_commit: Option<i64>,
}

/// What someone did on an item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActivityKind {
    /// A comment on the conversation.
    Comment,
    /// A pull request review (approved, changes requested, commented, dismissed).
    Review,
    /// A comment on a line of a pull request's diff.
    ReviewComment,
    /// A label added.
    Labeled,
    /// A label taken off (the removal of an auto-applied `untriaged` is triage).
    Unlabeled,
    /// Someone assigned.
    Assigned,
    /// Closed.
    Closed,
    /// Reopened.
    Reopened,
    /// Merged.
    Merged,
    /// A draft marked ready for review.
    ReadyForReview,
}

impl ActivityKind {
    /// Every kind, in a fixed order.
    pub const ALL: [ActivityKind; 10] = [
        ActivityKind::Comment,
        ActivityKind::Review,
        ActivityKind::ReviewComment,
        ActivityKind::Labeled,
        ActivityKind::Unlabeled,
        ActivityKind::Assigned,
        ActivityKind::Closed,
        ActivityKind::Reopened,
        ActivityKind::Merged,
        ActivityKind::ReadyForReview,
    ];

    /// The name stored and shown (`comment`, `review`, `review_comment`, `labeled`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            ActivityKind::Comment => "comment",
            ActivityKind::Review => "review",
            ActivityKind::ReviewComment => "review_comment",
            ActivityKind::Labeled => "labeled",
            ActivityKind::Unlabeled => "unlabeled",
            ActivityKind::Assigned => "assigned",
            ActivityKind::Closed => "closed",
            ActivityKind::Reopened => "reopened",
            ActivityKind::Merged => "merged",
            ActivityKind::ReadyForReview => "ready_for_review",
        }
    }

    /// The kind named by [`ActivityKind::as_str`].
    pub fn parse(name: &str) -> Option<Self> {
        ActivityKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// One act on an item: a comment, a review, a triage event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Activity {
    /// The forge's id of the act, unique in the repository (so a refetch replaces, never doubles).
    pub id: String,
    /// The item's number.
    pub number: u64,
    /// What was done.
    pub kind: ActivityKind,
    /// Who did it (login); `None` for deleted accounts.
    pub actor: Option<String>,
    /// The actor's association with the repository, when the forge states it.
    pub association: Option<String>,
    /// When, seconds since the epoch.
    pub time: i64,
    /// The label name, the assignee, or the review state.
    pub detail: Option<String>,
    /// The tracker of its item (see [`ForgeItem::tracker`]).
    pub tracker: Option<String>,
}

/// A release published on the forge.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ForgeRelease {
    /// The tag it points at.
    pub tag: String,
    /// Its title.
    pub name: String,
    /// Who published it (login).
    pub author: Option<String>,
    /// Created, seconds since the epoch.
    pub created: i64,
    /// Published, if it is (drafts are not).
    pub published: Option<i64>,
    /// Whether the forge marks it as a pre-release.
    pub prerelease: bool,
    /// Whether it is a draft.
    pub draft: bool,
}

/// What the forge says about the repository itself.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RepoMeta {
    /// Archived (read-only).
    pub archived: bool,
    /// The default branch.
    pub default_branch: Option<String>,
    /// The license's SPDX id, if the forge detected one.
    pub license: Option<String>,
    /// Whether a security policy is published, when the forge says.
    pub security_policy: Option<bool>,
    /// Funding links (`platform: url`).
    pub funding: Vec<String>,
    /// Whether private vulnerability reporting is enabled, when the forge says.
    pub private_reporting: Option<bool>,
}

/// A login the forge tied to a commit identity (the commit-author login it returns).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct LoginLink {
    /// The login.
    pub login: String,
    /// The commit author's name.
    pub name: String,
    /// The commit author's address.
    pub email: String,
}

/// Whether an author association means write access (owner, organization member, collaborator).
pub fn association_maintains(association: &str) -> bool {
    matches!(association, "OWNER" | "MEMBER" | "COLLABORATOR")
}

/// The tracker of a GitLab project's issues: their numbers are their own,
/// apart from merge requests' (GitLab's `#12` and `!12` are two things), and
/// they are known by number like the forge's own.
pub const GITLAB_ISSUES: &str = "#";
