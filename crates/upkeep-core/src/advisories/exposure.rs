//! Which pinned packages are affected by known advisories, and the release
//! to move to: advisories that are aliases of one another count once, and
//! withdrawn ones not at all.

use crate::advisories::osv::Record;
use crate::advisories::severity::{self, Severity};
use crate::advisories::{affected, groups, named};
use serde::Serialize;

/// One advisory affecting one package at its pinned version.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Exposure {
    /// The advisory's id (the first in id order of its group of aliases).
    pub id: String,
    /// Every other id of the same vulnerability, sorted.
    pub aliases: Vec<String>,
    /// How severe.
    pub severity: Severity,
    /// One line on what it is.
    pub summary: Option<String>,
    /// The first release that fixes the pinned version, if one does.
    pub fixed_version: Option<String>,
}

impl Exposure {
    /// What to do: `upgrade to VERSION`, or `no fix released`.
    pub fn remedy(&self) -> String {
        match &self.fixed_version {
            Some(v) => format!("upgrade to {v}"),
            None => "no fix released".to_owned(),
        }
    }
}

/// A pinned package with the advisories that affect it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExposedPackage {
    /// Its package URL, version included.
    pub package: String,
    /// OSV's ecosystem.
    pub ecosystem: String,
    /// Its name.
    pub name: String,
    /// The pinned version.
    pub version: String,
    /// The advisories, most severe first.
    pub advisories: Vec<Exposure>,
}

/// What checking a portfolio's pinned packages against advisories found.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct AdvisoryCheck {
    /// Packages checked: those with a version in an ecosystem whose
    /// versions upkeep orders.
    pub checked: usize,
    /// The affected ones, most severe advisory first, then by package.
    pub exposed: Vec<ExposedPackage>,
    /// Records that could not be read, with their id and why (never fatal).
    pub skipped: Vec<(String, String)>,
    /// Why the advisories are missing, when they are (OSV unreachable and
    /// nothing cached): the data is missing, not zero.
    pub missing: Option<String>,
}

impl AdvisoryCheck {
    /// Sorts the exposed packages: the most severe advisory first, then by
    /// package URL.
    pub fn sort(&mut self) {
        let worst = |p: &ExposedPackage| p.advisories.first().map(|a| a.severity.level);
        self.exposed.sort_by(|a, b| {
            worst(b)
                .cmp(&worst(a))
                .then_with(|| a.package.cmp(&b.package))
        });
    }
}

/// What checking one package found: the advisories that affect it, and
/// the ids of records naming it whose ranges could not be read (a version
/// that is not one of its ecosystem): skipped, and said.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Found {
    /// Most severe first (then by id), one per vulnerability.
    pub exposures: Vec<Exposure>,
    /// Records naming the package whose ranges could not be read.
    pub unreadable: Vec<String>,
}

/// The advisories among `records` that affect `name` at `version` in OSV's
/// `ecosystem` (see [`Found`]).
pub fn exposures(records: &[&Record], ecosystem: &str, name: &str, version: &str) -> Found {
    let mut found: Vec<Exposure> = Vec::new();
    let mut unreadable = Vec::new();
    for group in groups(records) {
        let mut hits: Vec<(&Record, Option<String>)> = Vec::new();
        for record in &group {
            let named = record
                .affected
                .iter()
                .filter(|a| a.package.ecosystem == ecosystem && a.package.name == name);
            for a in named {
                match affected::affects(a, version) {
                    Some(true) => hits.push((record, affected::fixed_after(a, version))),
                    Some(false) => {}
                    None => unreadable.push(record.id.clone()),
                }
            }
        }
        let Some((first, _)) = hits.first() else {
            continue;
        };
        let (id, ids) = named(&group);
        let severity = group
            .iter()
            .map(|r| severity::of(r))
            .max_by(|a, b| a.level.cmp(&b.level))
            .unwrap_or_else(|| severity::of(first));
        let fixed_version = hits.iter().find_map(|(_, fixed)| fixed.clone());
        found.push(Exposure {
            id,
            aliases: ids,
            severity,
            summary: first.summary.clone(),
            fixed_version,
        });
    }
    found.sort_by(|a, b| {
        b.severity
            .level
            .cmp(&a.severity.level)
            .then_with(|| a.id.cmp(&b.id))
    });
    unreadable.sort();
    unreadable.dedup();
    Found {
        exposures: found,
        unreadable,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advisories::osv::{Affected, Event, Package, Range};
    use crate::advisories::severity::Level;

    fn record(id: &str, aliases: &[&str], rating: &str, fixed: &str) -> Record {
        Record {
            id: id.into(),
            aliases: aliases.iter().map(|a| (*a).into()).collect(),
            database_specific: serde_json::json!({ "severity": rating }),
            affected: vec![Affected {
                package: Package {
                    ecosystem: "npm".into(),
                    name: "lodash".into(),
                    purl: None,
                },
                ranges: vec![Range {
                    kind: "ECOSYSTEM".into(),
                    events: vec![
                        Event {
                            introduced: Some("0".into()),
                            ..Event::default()
                        },
                        Event {
                            fixed: Some(fixed.into()),
                            ..Event::default()
                        },
                    ],
                }],
                ..Affected::default()
            }],
            ..Record::default()
        }
    }

    #[test]
    fn one_vulnerability_under_three_ids_counts_once_and_withdrawn_ones_not() {
        // GHSA-a and PYSEC-a are CVE-1 (their alias); GHSA-b is another
        // vulnerability, fixed earlier; GHSA-w is withdrawn.
        let mut withdrawn = record("GHSA-w", &[], "CRITICAL", "9.0.0");
        withdrawn.withdrawn = Some("2024-01-01T00:00:00Z".into());
        let owned = [
            record("GHSA-a", &["CVE-1"], "HIGH", "4.17.21"),
            record("PYSEC-a", &["CVE-1", "GHSA-a"], "MODERATE", "4.17.21"),
            record("GHSA-b", &[], "LOW", "4.17.12"),
            withdrawn,
        ];
        let records: Vec<&Record> = owned.iter().collect();
        let at_4_17_20 = exposures(&records, "npm", "lodash", "4.17.20").exposures;
        assert_eq!(at_4_17_20.len(), 1, "GHSA-b is fixed in 4.17.12");
        let e = &at_4_17_20[0];
        assert_eq!(e.id, "CVE-1");
        assert_eq!(e.aliases, ["GHSA-a", "PYSEC-a"]);
        assert_eq!(
            e.severity.level,
            Level::High,
            "the most severe rating of the group"
        );
        assert_eq!(e.fixed_version.as_deref(), Some("4.17.21"));
        let at_4_17_4 = exposures(&records, "npm", "lodash", "4.17.4").exposures;
        let ids: Vec<&str> = at_4_17_4.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["CVE-1", "GHSA-b"], "most severe first");
        assert_eq!(
            exposures(&records, "npm", "lodash", "4.17.21"),
            Found::default()
        );
        assert_eq!(
            exposures(&records, "npm", "underscore", "1.0.0"),
            Found::default()
        );
        // A range whose version is not one: the record is said, not counted.
        let mut bent = record("GHSA-bent", &[], "HIGH", "4.17.21");
        bent.affected[0].ranges[0].events[1].fixed = Some("latest".into());
        let found = exposures(&[&bent], "npm", "lodash", "4.17.4");
        assert!(found.exposures.is_empty());
        assert_eq!(found.unreadable, ["GHSA-bent"]);
    }
}
