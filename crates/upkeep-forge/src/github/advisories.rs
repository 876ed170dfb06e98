//! A repository's own security advisories (`GET
//! /repos/{o}/{r}/security-advisories`, the published ones) as OSV records,
//! so that they join OSV's by their ids and aliases; and whether private
//! vulnerability reporting is enabled (`GET
//! /repos/{o}/{r}/private-vulnerability-reporting`).

use serde::Deserialize;
use upkeep_core::advisories::osv::{Affected, Event, Package, Range, Record, Severity};

#[derive(Deserialize)]
struct Advisory {
    ghsa_id: String,
    cve_id: Option<String>,
    summary: Option<String>,
    severity: Option<String>,
    state: Option<String>,
    #[serde(default)]
    identifiers: Vec<Identifier>,
    updated_at: Option<String>,
    published_at: Option<String>,
    withdrawn_at: Option<String>,
    #[serde(default)]
    vulnerabilities: Option<Vec<Vulnerability>>,
    cvss_severities: Option<CvssSeverities>,
    cvss: Option<Cvss>,
}

#[derive(Deserialize)]
struct Identifier {
    value: String,
}

#[derive(Deserialize)]
struct CvssSeverities {
    cvss_v3: Option<Cvss>,
    cvss_v4: Option<Cvss>,
}

#[derive(Deserialize)]
struct Cvss {
    vector_string: Option<String>,
}

#[derive(Deserialize)]
struct Vulnerability {
    package: Option<VulnerablePackage>,
    vulnerable_version_range: Option<String>,
    patched_versions: Option<String>,
}

#[derive(Deserialize)]
struct VulnerablePackage {
    ecosystem: String,
    name: Option<String>,
}

/// The published advisories of one page of the list, as OSV records.
pub fn repository_advisories(json: &str) -> Result<Vec<Record>, String> {
    let list: Vec<Advisory> = serde_json::from_str(json).map_err(|e| e.to_string())?;
    Ok(list
        .into_iter()
        .filter(|a| a.state.as_deref().is_none_or(|s| s == "published"))
        .map(record)
        .collect())
}

/// Whether private vulnerability reporting is enabled (`{"enabled": …}`).
pub fn private_reporting(json: &str) -> Option<bool> {
    serde_json::from_str::<serde_json::Value>(json)
        .ok()?
        .get("enabled")?
        .as_bool()
}

fn record(a: Advisory) -> Record {
    let mut aliases: Vec<String> = a.cve_id.into_iter().collect();
    for i in a.identifiers {
        if i.value != a.ghsa_id && !aliases.contains(&i.value) {
            aliases.push(i.value);
        }
    }
    let mut severity = Vec::new();
    let vectors = a.cvss_severities.map(|s| (s.cvss_v4, s.cvss_v3));
    let (v4, v3) = vectors.unwrap_or((None, None));
    for (kind, cvss) in [("CVSS_V4", v4), ("CVSS_V3", v3.or(a.cvss))] {
        if let Some(score) = cvss.and_then(|c| c.vector_string) {
            severity.push(Severity {
                kind: kind.into(),
                score,
            });
        }
    }
    Record {
        id: a.ghsa_id,
        aliases,
        modified: a.updated_at.unwrap_or_default(),
        published: a.published_at,
        withdrawn: a.withdrawn_at,
        summary: a.summary,
        severity,
        affected: a
            .vulnerabilities
            .unwrap_or_default()
            .into_iter()
            .filter_map(affected)
            .collect(),
        references: Vec::new(),
        database_specific: serde_json::json!({ "severity": a.severity, "source": "GitHub repository advisory" }),
    }
}

/// OSV's name of a GitHub advisory ecosystem.
fn ecosystem(github: &str) -> String {
    match github {
        "pip" => "PyPI",
        "npm" => "npm",
        "rust" => "crates.io",
        "go" => "Go",
        "maven" => "Maven",
        "nuget" => "NuGet",
        "rubygems" => "RubyGems",
        "composer" => "Packagist",
        "pub" => "Pub",
        "swift" => "SwiftURL",
        other => other,
    }
    .to_owned()
}

/// One vulnerable package: its range (`>= 1.0.0, < 1.0.1`) as OSV events,
/// the first patched version as the fix.
fn affected(v: Vulnerability) -> Option<Affected> {
    let package = v.package?;
    let mut events = Vec::new();
    let range = v.vulnerable_version_range.unwrap_or_default();
    let introduced = range
        .split(',')
        .find_map(|part| part.trim().strip_prefix(">="))
        .map_or("0".to_owned(), |v| v.trim().to_owned());
    events.push(Event {
        introduced: Some(introduced),
        ..Event::default()
    });
    let patched = v.patched_versions.unwrap_or_default();
    let fixed = patched.split(',').map(str::trim).find(|p| !p.is_empty());
    let last = range
        .split(',')
        .find_map(|part| part.trim().strip_prefix("<="))
        .map(|v| v.trim().to_owned());
    match (fixed, last) {
        (Some(fixed), _) => events.push(Event {
            fixed: Some(fixed.to_owned()),
            ..Event::default()
        }),
        (None, Some(last)) => events.push(Event {
            last_affected: Some(last),
            ..Event::default()
        }),
        (None, None) => {}
    }
    Some(Affected {
        package: Package {
            ecosystem: ecosystem(&package.ecosystem),
            name: package.name?,
            purl: None,
        },
        ranges: vec![Range {
            kind: "ECOSYSTEM".into(),
            events,
        }],
        ..Affected::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_s_example_becomes_osv_records() {
        upkeep_testdata::needs_data!();
        let path = upkeep_testdata::path(
            "advisories/github-openapi-examples/security-advisories-list-repository-advisories.json",
        );
        let json = std::fs::read_to_string(path).expect("the example");
        let records = repository_advisories(&json).expect("parses");
        let first = &records[0];
        assert_eq!(first.id, "GHSA-abcd-1234-efgh");
        assert_eq!(first.aliases, ["CVE-2050-00000"]);
        assert_eq!(first.published.as_deref(), Some("2020-01-03T00:00:00Z"));
        assert_eq!(first.modified, "2020-01-02T00:00:00Z");
        assert_eq!(first.severity[0].kind, "CVSS_V4");
        assert_eq!(first.severity[1].kind, "CVSS_V3");
        let a = &first.affected[0];
        assert_eq!(
            (a.package.ecosystem.as_str(), a.package.name.as_str()),
            ("PyPI", "a-package")
        );
        let events = &a.ranges[0].events;
        assert_eq!(events[0].introduced.as_deref(), Some("1.0.0"));
        assert_eq!(events[1].fixed.as_deref(), Some("1.0.1"));
        assert_eq!(
            upkeep_core::advisories::severity::of(first).level,
            upkeep_core::advisories::severity::Level::Critical
        );
        let reporting = upkeep_testdata::path(
            "advisories/github-openapi-examples/repos-check-private-vulnerability-reporting.json",
        );
        let body = std::fs::read_to_string(reporting).expect("the example");
        assert_eq!(private_reporting(&body), Some(true));
        assert_eq!(private_reporting("{}"), None);
    }
}
