//! The document of `mine`: what one repository's sync did (its history
//! mined, its forge and trackers synced). `mine --format json` prints a list
//! of them; the terminal renders them as a summary.

use crate::events::conventions::Detected;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// Counts over what is stored for one repository.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// All commits.
    pub commits: i64,
    /// Merge commits among them.
    pub merges: i64,
    /// Distinct author emails (case-insensitive).
    pub authors: i64,
    /// Tags.
    pub tags: i64,
    /// Tags that look like versions.
    pub version_tags: i64,
    /// Earliest author time (seconds since the epoch).
    pub first_commit: Option<i64>,
    /// Latest author time (seconds since the epoch).
    pub last_commit: Option<i64>,
    /// Whether the repository is a shallow clone.
    pub shallow: bool,
    /// The default branch.
    pub head_ref: Option<String>,
    /// Governance files and `.mailmap` found at the tip.
    pub tip_files: i64,
    /// Changed files whose blobs were missing (a partial clone): renames to or
    /// from them were found only when exact, and their lines are unknown.
    #[serde(default)]
    pub changes_with_missing_blobs: i64,
    /// The conventions its commit messages show, in how many commits.
    #[serde(default)]
    pub conventions: crate::events::conventions::Counts,
}

/// What one run did to one repository.
#[derive(Debug, Serialize)]
pub struct MineReport {
    /// The repository as stored: a canonical path or a URL.
    pub location: String,
    /// Where its git directory is on this machine.
    pub git_dir: PathBuf,
    /// Whether nothing had changed since the last complete run.
    pub unchanged: bool,
    /// Commits mined in this run.
    pub new_commits: usize,
    /// Stored commits dropped because they are no longer reachable (history rewritten).
    pub dropped_commits: usize,
    /// Whether the stored commits were discarded because the mining options changed.
    pub remined: bool,
    /// Whether the repository was cloned in this run.
    pub cloned: bool,
    /// With `--lines`, changed files whose content is missing from the
    /// repository (a partial clone): their line counts are unknown.
    pub files_without_line_counts: usize,
    /// Commits whose headers git's decoder refuses (an identity without
    /// `<…>`, an impossible time zone), mined as far as they could be read:
    /// their ids, in this run.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub repaired_commits: Vec<String>,
    /// Counts over everything stored for it.
    pub summary: Summary,
    /// The conventions its commit messages show (`Author:` lines, `Reviewers:`, …).
    pub conventions: Vec<Detected>,
    /// Wall-clock seconds this repository took.
    pub seconds: f64,
    /// What the forge sync did, when the repository is on a forge.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub forge: Option<ForgeReport>,
    /// What the syncs of its issue trackers (JIRA projects) did.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub trackers: Vec<ForgeReport>,
    /// What the check of its packages' advisories found, when it ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub advisories: Option<AdvisorySync>,
    /// What the adoption check read, when it ran (at most once a day).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adoption: Option<AdoptionSync>,
}

/// What an adoption check of one repository read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct AdoptionSync {
    /// Signals with a value.
    pub known: usize,
    /// Signals without one (each stored with its reason).
    pub unavailable: usize,
    /// Forks listed.
    pub forks: usize,
    /// Requests sent to the forge (GitHub) for it.
    pub forge_requests: u64,
}

/// What an advisory check of one repository found.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct AdvisorySync {
    /// The packages it publishes, checked.
    pub packages: usize,
    /// The advisories OSV lists for them.
    pub advisories: usize,
    /// Why OSV could not be asked, if it could not.
    pub missing: Option<String>,
}

/// What a forge sync did, as `mine` reports it.
#[derive(Debug, Serialize)]
pub struct ForgeReport {
    /// `github:owner/name`.
    pub repository: String,
    /// What the sync did.
    #[serde(flatten)]
    pub sync: ForgeSync,
    /// Until when the forge asked to wait (`Retry-After`), seconds since the epoch.
    #[serde(skip)]
    pub waited_until: Option<i64>,
}

/// What one forge or tracker sync did (the forge sources return it).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ForgeSync {
    /// Requests made.
    pub requests: u64,
    /// GraphQL points spent, as the answers' `rateLimit.cost` said (0 for
    /// the other forges).
    pub points: u64,
    /// Issues and pull requests written (new or changed).
    pub items: u64,
    /// Comments, reviews and triage events written.
    pub activities: u64,
    /// Releases written.
    pub releases: u64,
    /// Whether the sync stopped early (the `--max-requests` cap) and will
    /// resume.
    pub incomplete: bool,
    /// The rate limit as the last response said: requests left, and when it
    /// resets (seconds since the epoch). The fleet's shared token budget
    /// keeps it.
    #[serde(skip)]
    pub rate: Option<(u64, Option<u64>)>,
}
