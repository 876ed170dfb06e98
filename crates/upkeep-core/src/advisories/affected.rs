//! Which versions an advisory affects, and the release that fixes a given
//! one, by OSV's rules: a version is affected when it is named in
//! `versions`, or lies in a range from an `introduced` event up to (not
//! including) the next `fixed`, or up to and including a `last_affected`;
//! a range may hold several such pairs. Events are taken in version order
//! (`introduced: "0"` first).

use crate::advisories::osv::{Affected, Event, Range};
use crate::advisories::version;
use std::cmp::Ordering;

/// Whether `version` of the package is affected by `affected`: `None` when
/// that cannot be said (its ecosystem has no order here, or the version is
/// not one).
pub fn affects(affected: &Affected, version: &str) -> Option<bool> {
    if affected.versions.iter().any(|v| v == version) {
        return Some(true);
    }
    let ecosystem = affected.package.ecosystem.as_str();
    version::parse(ecosystem, version)?;
    let mut verdict = Some(false);
    for range in versioned(affected) {
        match in_range(ecosystem, range, version) {
            Some(true) => return Some(true),
            Some(false) => {}
            None => verdict = None,
        }
    }
    verdict
}

/// The first `fixed` version above `version` in the range that affects it:
/// the release to move to.
pub fn fixed_after(affected: &Affected, version: &str) -> Option<String> {
    let ecosystem = affected.package.ecosystem.as_str();
    versioned(affected)
        .filter(|range| in_range(ecosystem, range, version) == Some(true))
        .flat_map(|range| range.events.iter().filter_map(|e| e.fixed.as_deref()))
        .filter(|fixed| version::compare(ecosystem, fixed, version) == Some(Ordering::Greater))
        .min_by(|a, b| version::compare(ecosystem, a, b).unwrap_or(Ordering::Equal))
        .map(str::to_owned)
}

/// Every `fixed` version of `affected`, in version order.
pub fn fixed_versions(affected: &Affected) -> Vec<String> {
    let ecosystem = affected.package.ecosystem.as_str();
    // An empty `fixed` (some GitHub records write one for "no fix") names none.
    let mut fixed: Vec<String> = versioned(affected)
        .flat_map(|range| range.events.iter().filter_map(|e| e.fixed.clone()))
        .filter(|v| !v.trim().is_empty())
        .collect();
    fixed.sort_by(|a, b| version::compare(ecosystem, a, b).unwrap_or(Ordering::Equal));
    fixed.dedup();
    fixed
}

/// The ranges of versions (not of commits).
fn versioned(affected: &Affected) -> impl Iterator<Item = &Range> {
    affected
        .ranges
        .iter()
        .filter(|r| r.kind == "ECOSYSTEM" || r.kind == "SEMVER")
}

/// An event's version and whether it opens (`introduced`) or closes
/// (`fixed`: excluded, `last_affected`: included) an affected stretch.
enum Mark<'a> {
    Open(&'a str),
    CloseBefore(&'a str),
    CloseAfter(&'a str),
}

fn mark(event: &Event) -> Option<Mark<'_>> {
    if let Some(v) = &event.introduced {
        return Some(Mark::Open(v));
    }
    if let Some(v) = &event.fixed {
        return Some(Mark::CloseBefore(v));
    }
    event.last_affected.as_deref().map(Mark::CloseAfter)
}

/// Whether `version` lies in an affected stretch of `range`.
fn in_range(ecosystem: &str, range: &Range, version: &str) -> Option<bool> {
    let kind = if range.kind == "SEMVER" {
        "SEMVER"
    } else {
        ecosystem
    };
    let at = |v: &str| -> Option<version::Version> {
        match v {
            "0" => None,
            v => Some(version::parse(kind, v)?),
        }
    };
    let target = version::parse(kind, version)?;
    let mut marks: Vec<(Option<version::Version>, Mark<'_>)> = Vec::new();
    for event in &range.events {
        let Some(m) = mark(event) else { continue };
        let text = match &m {
            Mark::Open(v) | Mark::CloseBefore(v) | Mark::CloseAfter(v) => *v,
        };
        let parsed = at(text);
        if parsed.is_none() && text != "0" {
            return None;
        }
        marks.push((parsed, m));
    }
    // `None` (introduced "0") sorts first; an opening before a closing at
    // the same version.
    marks.sort_by(|(a, ma), (b, mb)| {
        a.cmp(b)
            .then_with(|| matches!(mb, Mark::Open(_)).cmp(&matches!(ma, Mark::Open(_))))
    });
    let mut affected = false;
    for (at, m) in &marks {
        let position = at.as_ref().map_or(Ordering::Greater, |v| target.cmp(v));
        match m {
            Mark::Open(_) if position != Ordering::Less => affected = true,
            Mark::CloseBefore(_) if position != Ordering::Less => affected = false,
            Mark::CloseAfter(_) if position == Ordering::Greater => affected = false,
            _ => break,
        }
    }
    Some(affected)
}

/// Test helper: an event of `kind` (`introduced`, `fixed`, else
/// `last_affected`) at `v`.
#[cfg(test)]
pub(crate) fn event(kind: &str, v: &str) -> Event {
    let v = Some(v.to_owned());
    match kind {
        "introduced" => Event {
            introduced: v,
            ..Event::default()
        },
        "fixed" => Event {
            fixed: v,
            ..Event::default()
        },
        _ => Event {
            last_affected: v,
            ..Event::default()
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advisories::osv::Package;

    fn affected(ecosystem: &str, events: &[(&str, &str)]) -> Affected {
        Affected {
            package: Package {
                ecosystem: ecosystem.into(),
                name: "p".into(),
                purl: None,
            },
            ranges: vec![Range {
                kind: "ECOSYSTEM".into(),
                events: events.iter().map(|(k, v)| event(k, v)).collect(),
            }],
            ..Affected::default()
        }
    }

    #[test]
    fn several_introduced_and_fixed_pairs() {
        // Affected: [0, 1.2.3) and [2.0.0, 2.1.5); 1.2.3 … 1.x and 2.1.5+ are not.
        let a = affected(
            "npm",
            &[
                ("introduced", "2.0.0"),
                ("fixed", "2.1.5"),
                ("introduced", "0"),
                ("fixed", "1.2.3"),
            ],
        );
        assert_eq!(affects(&a, "0.9.0"), Some(true));
        assert_eq!(affects(&a, "1.2.3"), Some(false));
        assert_eq!(affects(&a, "1.9.9"), Some(false));
        assert_eq!(affects(&a, "2.0.0"), Some(true));
        assert_eq!(affects(&a, "2.1.4"), Some(true));
        assert_eq!(affects(&a, "2.1.5"), Some(false));
        assert_eq!(fixed_after(&a, "0.9.0").as_deref(), Some("1.2.3"));
        assert_eq!(fixed_after(&a, "2.0.1").as_deref(), Some("2.1.5"));
        assert_eq!(fixed_after(&a, "1.9.9"), None);
        assert_eq!(fixed_versions(&a), ["1.2.3", "2.1.5"]);
        let marsdb = affected("npm", &[("introduced", "0.0.0"), ("fixed", "")]);
        assert!(
            fixed_versions(&marsdb).is_empty(),
            "GHSA-5mrr-rgp6-x4gr: no fix"
        );
    }

    #[test]
    fn last_affected_is_included_and_unknown_is_not_guessed() {
        let a = affected("PyPI", &[("introduced", "1.0"), ("last_affected", "1.4.2")]);
        assert_eq!(affects(&a, "1.4.2"), Some(true));
        assert_eq!(affects(&a, "1.4.2.post1"), Some(false));
        assert_eq!(affects(&a, "0.9"), Some(false));
        assert_eq!(fixed_after(&a, "1.2"), None, "no fix released");
        let maven = affected("Maven", &[("introduced", "0"), ("fixed", "2.0")]);
        assert_eq!(affects(&maven, "1.0"), None);
        let mut listed = maven.clone();
        listed.versions = vec!["1.0".into()];
        assert_eq!(affects(&listed, "1.0"), Some(true), "named one by one");
        assert_eq!(affects(&a, "not a version"), None);
    }
}
