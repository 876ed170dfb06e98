//! A commit, as mined from git.

use super::{Oid, RawText};
use serde::Serialize;

/// Who did something in git, and when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Signature {
    /// The name as written.
    pub name: RawText,
    /// The email as written (without angle brackets).
    pub email: RawText,
    /// Seconds since the Unix epoch, UTC.
    pub time: i64,
    /// The author's or committer's UTC offset in minutes, east positive (`+0530` is 330).
    pub offset_minutes: i32,
}

/// A `Key: value` line from the trailer block at the end of a commit message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Trailer {
    /// The key in its canonical spelling for well-known keys (`Signed-off-by`), else as written.
    pub key: String,
    /// The value as written (for `Reviewers:` lines, the one entry of the list this trailer stands for).
    pub value: RawText,
    /// The name of the identity in the value, when it has the form `Name <email>` or a bare email.
    pub name: Option<RawText>,
    /// The email of the identity in the value, when there is one.
    pub email: Option<RawText>,
}

/// How a path changed in a commit relative to its first parent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// The path did not exist in the parent.
    Added,
    /// The path exists on both sides with different content or mode.
    Modified,
    /// The path existed in the parent and is gone.
    Deleted,
    /// The content moved from another path (exact or similar enough).
    Renamed,
}

impl ChangeKind {
    /// A one-letter code, as `git log --name-status` prints it.
    pub fn code(self) -> &'static str {
        match self {
            ChangeKind::Added => "A",
            ChangeKind::Modified => "M",
            ChangeKind::Deleted => "D",
            ChangeKind::Renamed => "R",
        }
    }

    /// The kind for a one-letter code written by [`ChangeKind::code`].
    pub fn from_code(code: &str) -> Option<Self> {
        Some(match code {
            "A" => ChangeKind::Added,
            "M" => ChangeKind::Modified,
            "D" => ChangeKind::Deleted,
            "R" => ChangeKind::Renamed,
            _ => return None,
        })
    }
}

/// One file a commit changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PathChange {
    /// The path after the change (for deletions, the deleted path).
    pub path: RawText,
    /// What happened to it.
    pub kind: ChangeKind,
    /// For renames, where it came from.
    pub old_path: Option<RawText>,
    /// Lines added and removed, when line counting was asked for and the file is text.
    pub lines: Option<(u32, u32)>,
    /// Whether a blob this change needed was missing from the repository (a
    /// partial clone): a rename to or from it could only be found when exact,
    /// so it may stand here as a deletion and an addition, and its lines are unknown.
    pub blob_missing: bool,
}

/// A commit with everything the git source knows about it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Commit {
    /// The commit's id.
    pub id: Oid,
    /// Its parents, in order.
    pub parents: Vec<Oid>,
    /// Who wrote the change.
    pub author: Signature,
    /// Who committed it.
    pub committer: Signature,
    /// The first line of the message.
    pub subject: RawText,
    /// Parsed trailers, in message order.
    pub trailers: Vec<Trailer>,
    /// The pull/merge request number the message names, if any.
    pub pr_number: Option<u64>,
    /// The issues the message refers to: `#N` for a forge issue it closes
    /// (`Fixes #12`), `KEY-N` for an issue-tracker key in the subject (`KAFKA-1234`).
    pub issue_refs: Vec<String>,
    /// Paths changed against the first parent; empty for merge commits.
    pub changes: Vec<PathChange>,
}

impl Commit {
    /// Whether this is a merge commit (more than one parent).
    pub fn is_merge(&self) -> bool {
        self.parents.len() > 1
    }
}
