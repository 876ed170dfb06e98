//! The OSV schema (<https://ossf.github.io/osv-schema/>), the parts upkeep
//! reads: identity and aliases, dates, severity, affected packages with
//! their version ranges, and references (the `FIX` commits).

use serde::{Deserialize, Serialize};

/// One advisory as OSV publishes it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Record {
    /// Its id in its database (`GHSA-…`, `PYSEC-…`, `GO-…`, `RUSTSEC-…`).
    pub id: String,
    /// Other ids of the same vulnerability (`CVE-…`, …).
    pub aliases: Vec<String>,
    /// When it was last changed (RFC 3339).
    pub modified: String,
    /// When it was published (RFC 3339).
    pub published: Option<String>,
    /// When it was withdrawn, if it was: it then counts for nothing.
    pub withdrawn: Option<String>,
    /// One line on what it is.
    pub summary: Option<String>,
    /// Scores (`CVSS_V3`, `CVSS_V4` vectors).
    pub severity: Vec<Severity>,
    /// The packages and versions it affects.
    pub affected: Vec<Affected>,
    /// Links: `FIX` commits, `ADVISORY` pages, …
    pub references: Vec<Reference>,
    /// The database's own fields (GitHub's `severity`: `LOW` … `CRITICAL`).
    pub database_specific: serde_json::Value,
}

/// A score of a record.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Severity {
    /// `CVSS_V3`, `CVSS_V4`, `CVSS_V2`, `Ubuntu`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The vector (`CVSS:3.1/AV:N/…`) or rating.
    pub score: String,
}

/// A package a record affects, and which of its versions.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Affected {
    /// The package.
    pub package: Package,
    /// Ranges of versions, by events.
    pub ranges: Vec<Range>,
    /// Versions named one by one.
    pub versions: Vec<String>,
    /// The database's own fields (GitHub's `last_known_affected_version_range`).
    pub database_specific: serde_json::Value,
}

/// A package in an ecosystem.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Package {
    /// OSV's ecosystem name: `npm`, `PyPI`, `crates.io`, `Go`, …
    pub ecosystem: String,
    /// The package's name in it.
    pub name: String,
    /// Its package URL, when given.
    pub purl: Option<String>,
}

/// A range of versions, as the events that open and close it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Range {
    /// `ECOSYSTEM`, `SEMVER` or `GIT` (commits, not versions: not read).
    #[serde(rename = "type")]
    pub kind: String,
    /// The events in the order given.
    pub events: Vec<Event>,
}

/// One event of a range: exactly one field is set.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Event {
    /// Affected from this version on (`0`: from the first).
    pub introduced: Option<String>,
    /// Fixed in this version.
    pub fixed: Option<String>,
    /// Affected up to and including this version.
    pub last_affected: Option<String>,
    /// Not past this version (for ranges on branches).
    pub limit: Option<String>,
}

/// A link of a record.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    /// `FIX`, `ADVISORY`, `WEB`, `PACKAGE`, `REPORT`, …
    #[serde(rename = "type")]
    pub kind: String,
    /// Where.
    pub url: String,
}

impl Record {
    /// Every id of the vulnerability: its own and its aliases.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.id.as_str()).chain(self.aliases.iter().map(String::as_str))
    }

    /// The commits named as fixes: `FIX` references to a commit URL (the
    /// last path segment of each, when it looks like a commit id), and the
    /// `fixed` commits of `GIT` ranges.
    pub fn fix_commits(&self) -> Vec<String> {
        let referenced = self
            .references
            .iter()
            .filter(|r| r.kind == "FIX")
            .filter_map(|r| r.url.trim_end_matches('/').rsplit('/').next());
        let ranges = self
            .affected
            .iter()
            .flat_map(|a| &a.ranges)
            .filter(|r| r.kind == "GIT")
            .flat_map(|r| &r.events)
            .filter_map(|e| e.fixed.as_deref());
        referenced
            .chain(ranges)
            .filter(|id| {
                id.len() >= 7 && id.len() <= 40 && id.bytes().all(|b| b.is_ascii_hexdigit())
            })
            .map(str::to_ascii_lowercase)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_with_ranges_aliases_and_fixes() {
        let json = r#"{"id":"GHSA-x","aliases":["CVE-2021-1"],"modified":"2024-01-01T00:00:00Z",
            "published":"2021-05-06T16:05:51Z",
            "affected":[{"package":{"ecosystem":"npm","name":"lodash"},
              "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"4.17.21"}]}]}],
            "references":[{"type":"FIX","url":"https://github.com/lodash/lodash/commit/3469357cff396a26c363f8c1b5a91dde28ba4b1c"},
              {"type":"WEB","url":"https://example.org/"}],
            "database_specific":{"severity":"HIGH"}}"#;
        let record: Record = serde_json::from_str(json).expect("parses");
        assert_eq!(record.ids().collect::<Vec<_>>(), ["GHSA-x", "CVE-2021-1"]);
        assert_eq!(
            record.affected[0].ranges[0].events[1].fixed.as_deref(),
            Some("4.17.21")
        );
        assert_eq!(
            record.fix_commits(),
            ["3469357cff396a26c363f8c1b5a91dde28ba4b1c"]
        );
        assert_eq!(record.database_specific["severity"], "HIGH");
        assert!(record.withdrawn.is_none());
    }
}
