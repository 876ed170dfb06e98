//! The report, exactly as `upkeep report --format json` prints it
//! (docs/report-json.md): every metric over one window, the flags, the chart
//! series and the names of the people they name.

use crate::metrics::report::{Flag, Metrics};
use serde::Serialize;
use std::collections::BTreeMap;

/// One repository the report covers.
#[derive(Clone, Debug, Serialize)]
pub struct Repository {
    /// Its location (path or URL).
    pub location: String,
    /// When its data was last mined (RFC 3339).
    pub mined_at: Option<String>,
    /// Whether it is a shallow clone (history stops at its boundary).
    pub shallow: bool,
    /// Changed files whose content is missing (a partial clone): renames to or
    /// from them were found only when exact.
    pub changes_with_missing_blobs: i64,
    /// Commits credited to the people of their `Author:` lines rather than their git author.
    pub commits_credited_from_messages: u64,
    /// The forge its issues and pull requests come from (`github:owner/name`), if synced.
    pub forge: Option<String>,
}

impl Repository {
    /// What is missing from its data, in words (empty when nothing is).
    pub fn gaps(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.shallow {
            out.push("shallow clone: history stops at its boundary".to_owned());
        }
        if self.changes_with_missing_blobs > 0 {
            out.push(format!(
                "partial clone: {} changed files without content, renames to or from them found only when exact",
                self.changes_with_missing_blobs
            ));
        }
        out
    }

    /// How its records were read, in words (empty for git's author and committer alone).
    pub fn notes(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.commits_credited_from_messages > 0 {
            out.push(format!(
                "{} commits credited to the people of their Author: lines (the git author counted as the committer who applied them)",
                self.commits_credited_from_messages
            ));
        }
        out
    }
}

/// The window as dates: `[since, until)`.
#[derive(Clone, Debug, Serialize)]
pub struct WindowDates {
    /// First day inside the window (YYYY-MM-DD).
    pub since: String,
    /// First day after the window (YYYY-MM-DD).
    pub until: String,
}

/// The whole report, exactly as `--format json` prints it.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// The repositories, as one project.
    pub repositories: Vec<Repository>,
    /// The window.
    pub window: WindowDates,
    /// When the report was made (RFC 3339).
    pub generated_at: String,
    /// Every metric, keyed by id.
    pub metrics: Metrics,
    /// The findings that matter.
    pub flags: Vec<Flag>,
    /// What the charts draw: series over the window.
    pub series: crate::metrics::series::Series,
    /// The health card: the key figures, each against a year before and
    /// quarter by quarter (empty when not asked for).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub card: Vec<crate::catalog::card::Tile>,
    /// The name to show for each person key the metrics and series name (keys
    /// stay the stable identifiers; see `crate::identities::names`).
    pub people: BTreeMap<String, String>,
}

impl Report {
    /// The name to show for a person's key.
    pub fn name(&self, key: &str) -> String {
        self.people
            .get(key)
            .cloned()
            .unwrap_or_else(|| crate::identities::names::handle(key))
    }

    /// Whether any repository has forge data.
    pub fn has_forge(&self) -> bool {
        self.repositories.iter().any(|r| r.forge.is_some())
    }
}
