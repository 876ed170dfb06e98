//! Security response (DESIGN.md): the advisories (OSV, the forge's own)
//! affecting the project's packages and published in the window; for each,
//! the first fixed version to ship and when (its registry's publish time or
//! its version tag, the earlier); the days from publication to that release
//! (negative when the fix shipped first: coordinated disclosure); the
//! advisories still without a fixed release at the window's end, and their
//! age; and the disclosure channel, reported apart from the advisory count.
//! Records of one vulnerability (joined by aliases) count once; withdrawn
//! records are left out. The value is the median days to fix.

use super::releases::Release;
use super::{Definition, Metric, Window};
use crate::advisories::disclosure::Disclosure;
use crate::advisories::osv::{Affected, Record};
use crate::advisories::severity::{self, Level};
use crate::advisories::{affected, groups, named};
use crate::portfolio::purl::pypi_name;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

const DAY: f64 = 86_400.0;

/// Beyond this many days, an unfixed high or critical advisory is flagged.
pub const UNFIXED_FLAG_DAYS: f64 = 90.0;

/// A package the project publishes, and where that was seen.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ProjectPackage {
    /// Its package URL, without a version (`pkg:pypi/urllib3`).
    pub purl: String,
    /// OSV's name of its ecosystem (`PyPI`).
    pub ecosystem: String,
    /// Its name in that ecosystem.
    pub name: String,
    /// Where it was seen: a manifest's path, a registry naming the
    /// repository, or upkeep.toml.
    pub source: String,
}

/// When a version of a package was published, as its registry says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shipped {
    /// OSV's name of the ecosystem.
    pub ecosystem: String,
    /// The package's name.
    pub name: String,
    /// The version.
    pub version: String,
    /// When, in seconds since the epoch.
    pub time: i64,
    /// Which registry said so.
    pub source: String,
}

/// A record upkeep could not read, or a part of one it could not use.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// The record's id.
    pub id: String,
    /// Why.
    pub reason: String,
}

/// What the security response is computed from.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Evidence {
    /// The advisory records naming the project's packages (any order).
    pub records: Vec<Record>,
    /// The project's packages.
    pub packages: Vec<ProjectPackage>,
    /// Registry publish times of the packages' versions.
    pub shipped: Vec<Shipped>,
    /// The disclosure channel.
    pub disclosure: Disclosure,
    /// Records that could not be read.
    pub skipped: Vec<Skipped>,
    /// Why the advisories are missing or incomplete (OSV unreachable), if they are.
    pub missing: Option<String>,
}

/// Whether a fix had shipped by the window's end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// A fixed version shipped before the window's end.
    Fixed,
    /// No fixed version had shipped by then (or none is named).
    Unfixed,
    /// Fixed versions are named, but when any shipped is not known.
    FixDateUnknown,
}

/// One vulnerability (its records joined by aliases).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Advisory {
    /// Its id: the first of its records' ids and aliases, sorted (a CVE
    /// when it has one), as `deps` shows it.
    pub id: String,
    /// Every other id of its records, sorted.
    pub aliases: Vec<String>,
    /// Its summary, when a record has one.
    pub summary: Option<String>,
    /// Its severity level (the highest of its records).
    pub severity: Level,
    /// The CVSS base score behind it, when a vector gave one.
    pub score: Option<f64>,
    /// When it was first published (RFC 3339).
    pub published: String,
    /// Whether it was published in the window (the others listed are older
    /// and still unfixed at its end).
    pub in_window: bool,
    /// The fixed version that shipped first.
    pub fixed_version: Option<String>,
    /// When it shipped (RFC 3339).
    pub fix_released: Option<String>,
    /// What said when it shipped: a registry, or `tag NAME`.
    pub fix_source: Option<String>,
    /// Days from publication to that release, one decimal; negative when
    /// the fix shipped first; `None` when unfixed.
    pub days_to_fix: Option<f64>,
    /// Days from publication to the window's end, when unfixed then.
    pub unfixed_days: Option<f64>,
    /// Whether a fix had shipped.
    pub status: Status,
    /// The project's packages it affects (package URLs).
    pub packages: Vec<String>,
}

/// What the security response is made of.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Details {
    /// The advisories published in the window, then the older ones still
    /// unfixed at its end; by publication.
    pub advisories: Vec<Advisory>,
    /// Advisories published in the window.
    pub published_in_window: u64,
    /// Those by severity level.
    pub by_severity: BTreeMap<String, u64>,
    /// The longest days to fix among them.
    pub worst_days_to_fix: Option<f64>,
    /// Advisories without a fixed release at the window's end (any listed).
    pub unfixed: u64,
    /// The age in days of the oldest of them.
    pub oldest_unfixed_days: Option<f64>,
    /// The project's packages advisories were looked up for.
    pub packages: Vec<ProjectPackage>,
    /// The disclosure channel.
    pub disclosure: Disclosure,
    /// Records skipped, with why.
    pub skipped: Vec<Skipped>,
    /// Why the advisories are missing or incomplete, if they are.
    pub missing: Option<String>,
}

/// The rule, as DESIGN.md states it.
const RULE: &str = "advisories (OSV, the forge's own) affecting the project's packages, published in the window, records of one vulnerability joined by aliases and withdrawn ones left out; value: median days from publication to the first release of a fixed version (registry publish time or version tag, the earlier; negative when the fix shipped first); unfixed advisories and their age at the window's end; the disclosure channel reported apart";

/// The security response over `window`; `None` evidence: advisories were
/// not checked.
pub fn compute(
    evidence: Option<&Evidence>,
    releases: &[Release],
    window: Window,
) -> Metric<Details> {
    let definition = Definition::over(RULE, window, true)
        .with("unfixed_flag_days", serde_json::json!(UNFIXED_FLAG_DAYS));
    let Some(evidence) = evidence else {
        return Metric {
            value: None,
            reason: Some("advisories were not checked (--no-advisories, or not synced yet)".into()),
            details: Details::default(),
            definition,
        };
    };
    let live: Vec<&Record> = evidence.records.iter().collect();
    let mut advisories: Vec<Advisory> = groups(&live)
        .iter()
        .filter_map(|group| advisory(group, evidence, releases, window))
        .collect();
    advisories.sort_by(|a, b| a.published.cmp(&b.published).then_with(|| a.id.cmp(&b.id)));
    let mut skipped = evidence.skipped.clone();
    skipped.extend(unpublished(&live, evidence));
    let details = summarize(advisories, evidence, skipped);
    let mut fixed: Vec<f64> = in_window(&details).filter_map(|a| a.days_to_fix).collect();
    fixed.sort_by(f64::total_cmp);
    let value = super::items::quantile(&fixed, 0.5).map(tenth);
    let reason = value.is_none().then(|| why_none(&details));
    Metric {
        value,
        reason,
        details,
        definition,
    }
}

/// The advisories published in the window.
fn in_window(details: &Details) -> impl Iterator<Item = &Advisory> {
    details.advisories.iter().filter(|a| a.in_window)
}

/// The figures over the advisories.
fn summarize(advisories: Vec<Advisory>, evidence: &Evidence, skipped: Vec<Skipped>) -> Details {
    let mut details = Details {
        packages: evidence.packages.clone(),
        disclosure: evidence.disclosure.clone(),
        skipped,
        missing: evidence.missing.clone(),
        advisories,
        ..Details::default()
    };
    for a in details.advisories.iter().filter(|a| a.in_window) {
        details.published_in_window += 1;
        *details
            .by_severity
            .entry(a.severity.name().to_owned())
            .or_default() += 1;
    }
    details.worst_days_to_fix = in_window(&details)
        .filter_map(|a| a.days_to_fix)
        .max_by(f64::total_cmp);
    let unfixed: Vec<f64> = details
        .advisories
        .iter()
        .filter_map(|a| a.unfixed_days)
        .collect();
    details.unfixed = unfixed.len() as u64;
    details.oldest_unfixed_days = unfixed.into_iter().max_by(f64::total_cmp);
    details
}

/// Why there is no median.
fn why_none(details: &Details) -> String {
    if let Some(missing) = &details.missing {
        return format!("the advisories are missing: {missing}");
    }
    if details.packages.is_empty() {
        return "no package of the project is known (manifests at the tip, registries naming the repository, or upkeep.toml's packages)".into();
    }
    match details.published_in_window {
        0 => "no advisory affecting the project's packages was published in the window".into(),
        n => format!("none of the {n} advisories published in the window has a fixed release yet"),
    }
}

/// The advisory of one group, when it names a package of the project, has
/// a publication date, and is in the window or still unfixed at its end.
fn advisory(
    group: &[&Record],
    evidence: &Evidence,
    releases: &[Release],
    window: Window,
) -> Option<Advisory> {
    let published = group.iter().filter_map(|r| published_time(r)).min()?;
    if published >= window.until {
        return None;
    }
    let matched: Vec<(&Affected, &ProjectPackage)> = group
        .iter()
        .flat_map(|r| &r.affected)
        .filter_map(|a| Some((a, package_of(a, &evidence.packages)?)))
        .collect();
    if matched.is_empty() {
        return None;
    }
    // Every fixed version known to have shipped, at any time; the first
    // before the window's end is the fix.
    let shipped: Vec<Fix> = ships(&matched, &evidence.shipped, releases).collect();
    let fix = shipped
        .iter()
        .filter(|f| f.time < window.until)
        .min_by(|a, b| a.time.cmp(&b.time).then_with(|| a.version.cmp(&b.version)));
    let named_fix = matched
        .iter()
        .any(|(a, _)| !affected::fixed_versions(a).is_empty());
    let status = match (fix, named_fix) {
        (Some(_), _) => Status::Fixed,
        (None, true) if shipped.is_empty() => Status::FixDateUnknown,
        (None, _) => Status::Unfixed,
    };
    let in_window = window.contains(published);
    if !in_window && status != Status::Unfixed {
        return None;
    }
    let severest = group.iter().map(|r| severity::of(r)).max_by(|a, b| {
        let score = |s: Option<f64>| s.unwrap_or(-1.0);
        a.level
            .cmp(&b.level)
            .then(score(a.score).total_cmp(&score(b.score)))
    })?;
    let mut packages: Vec<String> = matched.iter().map(|(_, p)| p.purl.clone()).collect();
    packages.sort();
    packages.dedup();
    let (id, aliases) = named(group);
    Some(Advisory {
        id,
        aliases,
        summary: group.iter().find_map(|r| r.summary.clone()),
        severity: severest.level,
        score: severest.score,
        published: rfc3339(published),
        in_window,
        fixed_version: fix.map(|f| f.version.clone()),
        fix_released: fix.map(|f| rfc3339(f.time)),
        fix_source: fix.map(|f| f.source.clone()),
        days_to_fix: fix
            .as_ref()
            .map(|f| tenth((f.time - published) as f64 / DAY)),
        unfixed_days: (status == Status::Unfixed)
            .then(|| tenth((window.until - published) as f64 / DAY)),
        status,
        packages,
    })
}

/// The records in `records` that name a package of the project but carry
/// no publication date: skipped, by id.
fn unpublished(records: &[&Record], evidence: &Evidence) -> Vec<Skipped> {
    records
        .iter()
        .filter(|r| r.withdrawn.is_none() && published_time(r).is_none())
        .filter(|r| {
            r.affected
                .iter()
                .any(|a| package_of(a, &evidence.packages).is_some())
        })
        .map(|r| Skipped {
            id: r.id.clone(),
            reason: "no publication date".into(),
        })
        .collect()
}

/// When `record` was published; `None` for none or the zero time (some
/// databases write `0001-01-01T00:00:00Z`).
fn published_time(record: &Record) -> Option<i64> {
    let text = record.published.as_deref()?;
    let t = text.parse::<jiff::Timestamp>().ok()?.as_second();
    (t > 0).then_some(t)
}

/// The project package an affected entry names.
fn package_of<'a>(a: &Affected, packages: &'a [ProjectPackage]) -> Option<&'a ProjectPackage> {
    packages
        .iter()
        .find(|p| same_package(&p.ecosystem, &p.name, &a.package.ecosystem, &a.package.name))
}

/// Whether two (ecosystem, name) pairs are one package (PyPI names compared normalized).
fn same_package(eco_a: &str, name_a: &str, eco_b: &str, name_b: &str) -> bool {
    eco_a == eco_b
        && match eco_a {
            "PyPI" => pypi_name(name_a) == pypi_name(name_b),
            _ => name_a == name_b,
        }
}

/// A fixed version and when it shipped.
struct Fix {
    version: String,
    time: i64,
    source: String,
}

/// Every fixed version of `matched` with the earliest time it is known to
/// have shipped: its registry's time or its tag's, the earlier.
fn ships<'a>(
    matched: &'a [(&Affected, &ProjectPackage)],
    shipped: &'a [Shipped],
    releases: &'a [Release],
) -> impl Iterator<Item = Fix> + 'a {
    matched.iter().flat_map(move |(a, p)| {
        affected::fixed_versions(a)
            .into_iter()
            .filter_map(move |version| {
                let registry = shipped
                    .iter()
                    .filter(|s| {
                        s.version == version
                            && same_package(&s.ecosystem, &s.name, &p.ecosystem, &p.name)
                    })
                    .map(|s| (s.time, s.source.clone()));
                let tagged = releases
                    .iter()
                    .filter(|r| tag_names(&r.name, &version, &p.name))
                    .map(|r| (r.time, format!("tag {}", r.name)));
                let (time, source) = registry.chain(tagged).min_by_key(|(t, _)| *t)?;
                Some(Fix {
                    version: version.clone(),
                    time,
                    source,
                })
            })
    })
}

/// Whether the tag `tag` names `version` of the package `name`: `1.2.3`,
/// `v1.2.3`, `NAME-1.2.3`, `NAME@1.2.3`, `NAME/v1.2.3`, `release-1.2.3`.
pub fn tag_names(tag: &str, version: &str, name: &str) -> bool {
    let Some(prefix) = tag.strip_suffix(version) else {
        return false;
    };
    let prefix = prefix.strip_suffix('v').unwrap_or(prefix);
    if prefix.is_empty() {
        return true;
    }
    let Some(stem) = prefix.strip_suffix(['-', '@', '/', '_']) else {
        return false;
    };
    let short = name.rsplit('/').next().unwrap_or(name);
    stem == "release" || stem.eq_ignore_ascii_case(short) || stem.eq_ignore_ascii_case(name)
}

/// The security flags: each high or critical advisory unfixed for more
/// than [`UNFIXED_FLAG_DAYS`], and advisories without a disclosure channel.
pub fn flags(details: &Details) -> Vec<super::report::Flag> {
    let mut out: Vec<super::report::Flag> = details
        .advisories
        .iter()
        .filter(|a| a.severity >= Level::High)
        .filter_map(|a| {
            let days = a.unfixed_days.filter(|d| *d > UNFIXED_FLAG_DAYS)?;
            Some(super::report::Flag {
                metric: "security_response",
                text: format!(
                    "{} ({}) has had no fixed release for {} days",
                    a.id,
                    a.severity.name(),
                    days.round()
                ),
            })
        })
        .collect();
    if !details.advisories.is_empty() && !details.disclosure.channel {
        out.push(super::report::Flag {
            metric: "security_response",
            text: format!(
                "{} advisories, and no way to report a vulnerability privately (no security policy, private reporting or contact found)",
                details.advisories.len()
            ),
        });
    }
    out
}

/// Rounded to a tenth.
fn tenth(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// RFC 3339 in UTC, seconds.
fn rfc3339(time: i64) -> String {
    jiff::Timestamp::from_second(time)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
