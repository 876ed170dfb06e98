use super::*;
use crate::advisories::osv::{Package, Range, Severity};

fn at(text: &str) -> i64 {
    text.parse::<jiff::Timestamp>().expect("a time").as_second()
}

/// A record of urllib3 (or `package`) with `events` in one ECOSYSTEM range.
fn record(
    id: &str,
    aliases: &[&str],
    published: &str,
    package: &str,
    events: &[(&str, &str)],
) -> Record {
    Record {
        id: id.into(),
        aliases: aliases.iter().map(|a| (*a).into()).collect(),
        published: Some(published.into()),
        affected: vec![Affected {
            package: Package {
                ecosystem: "PyPI".into(),
                name: package.into(),
                purl: None,
            },
            ranges: vec![Range {
                kind: "ECOSYSTEM".into(),
                events: events
                    .iter()
                    .map(|(kind, v)| crate::advisories::affected::event(kind, v))
                    .collect(),
            }],
            ..Affected::default()
        }],
        ..Record::default()
    }
}

fn rated(mut r: Record, rating: &str) -> Record {
    r.database_specific = serde_json::json!({ "severity": rating });
    r
}

fn shipped(version: &str, time: &str) -> Shipped {
    Shipped {
        ecosystem: "PyPI".into(),
        name: "urllib3".into(),
        version: version.into(),
        time: at(time),
        source: "PyPI".into(),
    }
}

fn tag(name: &str, time: &str) -> Release {
    Release {
        name: name.into(),
        time: at(time),
        person: None,
        prerelease: false,
        organization: None,
    }
}

fn evidence() -> Evidence {
    let fixed_twice = [
        ("introduced", "2.0.0"),
        ("fixed", "2.0.6"),
        ("introduced", "0"),
        ("fixed", "1.26.17"),
    ];
    let mut withdrawn = record(
        "F",
        &[],
        "2023-07-01T00:00:00Z",
        "urllib3",
        &[("introduced", "0")],
    );
    withdrawn.withdrawn = Some("2023-07-02T00:00:00Z".into());
    let mut critical = record(
        "E",
        &[],
        "2023-06-01T00:00:00Z",
        "urllib3",
        &[("introduced", "0"), ("last_affected", "1.26.0")],
    );
    critical.severity = vec![Severity {
        kind: "CVSS_V3".into(),
        score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H".into(),
    }];
    Evidence {
        records: vec![
            // One vulnerability under three ids: published first by B.
            record(
                "PYSEC-2023-192",
                &["CVE-2023-43804", "GHSA-v845-jxx5-vc9f"],
                "2023-10-04T17:15:00Z",
                "urllib3",
                &fixed_twice,
            ),
            rated(
                record(
                    "GHSA-v845-jxx5-vc9f",
                    &["CVE-2023-43804"],
                    "2023-10-03T17:22:30Z",
                    "urllib3",
                    &fixed_twice,
                ),
                "HIGH",
            ),
            record(
                "CVE-2023-43804",
                &[],
                "2023-10-05T00:00:00Z",
                "URLLib3",
                &fixed_twice,
            ),
            record(
                "D",
                &[],
                "2023-03-01T00:00:00Z",
                "urllib3",
                &[("introduced", "0"), ("fixed", "1.2.0")],
            ),
            critical,
            withdrawn,
            record(
                "G",
                &[],
                "2022-05-01T00:00:00Z",
                "urllib3",
                &[("introduced", "0"), ("fixed", "1.0.1")],
            ),
            record(
                "H",
                &[],
                "2022-12-01T00:00:00Z",
                "urllib3",
                &[("introduced", "0")],
            ),
            record(
                "I",
                &[],
                "2023-08-01T00:00:00Z",
                "requests",
                &[("introduced", "0")],
            ),
            record(
                "J",
                &[],
                "2023-09-01T00:00:00Z",
                "urllib3",
                &[("introduced", "0"), ("fixed", "9.9.9")],
            ),
            rated(
                record(
                    "K",
                    &[],
                    "2023-05-01T00:00:00Z",
                    "urllib3",
                    &[("introduced", "0"), ("fixed", "1.3.0")],
                ),
                "MODERATE",
            ),
            record(
                "Z",
                &[],
                "0001-01-01T00:00:00Z",
                "urllib3",
                &[("introduced", "0")],
            ),
        ],
        packages: vec![ProjectPackage {
            purl: "pkg:pypi/urllib3".into(),
            ecosystem: "PyPI".into(),
            name: "urllib3".into(),
            source: "pyproject.toml".into(),
        }],
        shipped: vec![
            shipped("1.26.17", "2023-10-02T17:22:30Z"),
            shipped("2.0.6", "2023-10-02T17:22:34Z"),
            shipped("1.0.1", "2022-06-01T00:00:00Z"),
            shipped("1.3.0", "2024-02-01T00:00:00Z"),
        ],
        skipped: vec![Skipped {
            id: "BAD-1".into(),
            reason: "not an OSV record".into(),
        }],
        ..Evidence::default()
    }
}

fn window() -> Window {
    Window {
        since: at("2023-01-01T00:00:00Z"),
        until: at("2024-01-01T00:00:00Z"),
    }
}

#[test]
fn days_to_fix_negative_days_unfixed_ages_and_aliases_once() {
    let releases = [
        tag("2.0.6", "2023-10-03T00:00:00Z"),
        tag("v1.2.0", "2023-03-11T12:00:00Z"),
    ];
    let m = compute(Some(&evidence()), &releases, window());
    let d = &m.details;
    let ids: Vec<(&str, bool, Status)> = d
        .advisories
        .iter()
        .map(|a| (a.id.as_str(), a.in_window, a.status))
        .collect();
    assert_eq!(
        ids,
        [
            ("H", false, Status::Unfixed),
            ("D", true, Status::Fixed),
            ("K", true, Status::Unfixed),
            ("E", true, Status::Unfixed),
            ("J", true, Status::FixDateUnknown),
            ("CVE-2023-43804", true, Status::Fixed),
        ]
    );
    let joined = &d.advisories[5];
    assert_eq!(joined.aliases, ["GHSA-v845-jxx5-vc9f", "PYSEC-2023-192"]);
    assert_eq!(
        joined.published, "2023-10-03T17:22:30Z",
        "the earliest record's"
    );
    // 1.26.17 shipped on PyPI a day before: coordinated disclosure.
    assert_eq!(joined.fixed_version.as_deref(), Some("1.26.17"));
    assert_eq!(joined.fix_released.as_deref(), Some("2023-10-02T17:22:30Z"));
    assert_eq!(joined.days_to_fix, Some(-1.0));
    assert_eq!(joined.severity, Level::High);
    assert_eq!(joined.packages, ["pkg:pypi/urllib3"]);
    // D's fix is known from its tag alone: 10 days and 12 hours.
    let d_fix = &d.advisories[1];
    assert_eq!(d_fix.fix_source.as_deref(), Some("tag v1.2.0"));
    assert_eq!(d_fix.days_to_fix, Some(10.5));
    assert_eq!(
        d.advisories[3].unfixed_days,
        Some(214.0),
        "E: June 1 to January 1"
    );
    assert_eq!(d.advisories[3].severity, Level::Critical);
    assert_eq!(
        d.advisories[2].unfixed_days,
        Some(245.0),
        "K: its fix shipped after the window"
    );
    assert_eq!(
        d.advisories[0].unfixed_days,
        Some(396.0),
        "H: older, still unfixed"
    );
    assert_eq!(
        d.advisories[4].unfixed_days, None,
        "J: when 9.9.9 shipped is unknown"
    );
    // Median of -1.0 and 10.5.
    assert_eq!(m.value, Some(4.8));
    assert_eq!(d.worst_days_to_fix, Some(10.5));
    assert_eq!(d.published_in_window, 5);
    assert_eq!((d.unfixed, d.oldest_unfixed_days), (3, Some(396.0)));
    let severities: Vec<(&str, u64)> = d
        .by_severity
        .iter()
        .map(|(k, n)| (k.as_str(), *n))
        .collect();
    assert_eq!(
        severities,
        [("critical", 1), ("high", 1), ("medium", 1), ("unknown", 2)]
    );
    let skipped: Vec<&str> = d.skipped.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(skipped, ["BAD-1", "Z"]);
    // E (critical, 214 days) is flagged, and so is the missing channel; H
    // (unknown severity) and K (medium) are not.
    let flags: Vec<String> = flags(d).into_iter().map(|f| f.text).collect();
    assert_eq!(
        flags,
        [
            "E (critical) has had no fixed release for 214 days",
            "6 advisories, and no way to report a vulnerability privately (no security policy, private reporting or contact found)"
        ]
    );
    let mut told = evidence();
    told.disclosure.channel = true;
    assert_eq!(flags_of(&told).len(), 1);
}

fn flags_of(evidence: &Evidence) -> Vec<crate::metrics::report::Flag> {
    flags(&compute(Some(evidence), &[], window()).details)
}

#[test]
fn nothing_checked_no_package_and_no_advisory_say_why() {
    let none = compute(None, &[], window());
    assert_eq!(none.value, None);
    assert!(none.reason.expect("a reason").contains("not checked"));
    let no_packages = compute(Some(&Evidence::default()), &[], window());
    assert!(no_packages.reason.expect("a reason").contains("no package"));
    let mut quiet = evidence();
    quiet.records.clear();
    let m = compute(Some(&quiet), &[], window());
    assert_eq!((m.value, m.details.published_in_window), (None, 0));
    assert!(m.reason.expect("a reason").contains("no advisory"));
    quiet.missing = Some("OSV could not be asked".into());
    let missing = compute(Some(&quiet), &[], window());
    assert!(
        missing
            .reason
            .expect("a reason")
            .contains("missing: OSV could not be asked")
    );
}

#[test]
fn tags_name_versions_with_the_usual_prefixes() {
    assert!(tag_names("1.2.3", "1.2.3", "x"));
    assert!(tag_names("v1.2.3", "1.2.3", "x"));
    assert!(tag_names("urllib3-1.2.3", "1.2.3", "urllib3"));
    assert!(tag_names("net/v0.7.0", "0.7.0", "golang.org/x/net"));
    assert!(tag_names("@scope/pkg@1.0.0", "1.0.0", "@scope/pkg"));
    assert!(tag_names("release-2.0", "2.0", "x"));
    assert!(!tag_names("v11.2.3", "1.2.3", "x"));
    assert!(!tag_names("other-1.2.3", "1.2.3", "x"));
    assert!(!tag_names("1.2.3-rc1", "1.2.3", "x"));
}
