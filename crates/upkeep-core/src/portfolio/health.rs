//! An upstream's health figures, taken from the metrics `upkeep report`
//! computes for it. Pure: metrics and contributions in, figures out.

use crate::advisories::exposure::AdvisoryCheck;
use crate::advisories::severity::Level;
use crate::metrics::report::Metrics;
use crate::metrics::security_response::{self, UNFIXED_FLAG_DAYS};
use crate::metrics::{Contribution, Metric, Window};
use crate::portfolio::purl::Purl;
use crate::portfolio::upstreams::Listed;
use serde::Serialize;

/// The health figures of one upstream over the window, as `upkeep report`
/// computes them; `None` where unknown.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Health {
    /// Whether its history is in the store (if not, everything else is empty).
    pub mined: bool,
    /// Why it is not, when it is not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_mined_reason: Option<String>,
    /// Bus factor.
    pub bus_factor: Option<f64>,
    /// Truck factor.
    pub truck_factor: Option<f64>,
    /// Elephant factor.
    pub elephant_factor: Option<f64>,
    /// The organization with the largest share of known commits, and that share (0–1).
    pub top_organization: Option<(String, f64)>,
    /// Maintainers at the end of the window.
    pub maintainers: Option<u64>,
    /// The last commit (YYYY-MM-DD).
    pub last_commit: Option<String>,
    /// Days from the last commit to the end of the window.
    pub days_since_last_commit: Option<f64>,
    /// Contributors' change in percent against the same quarter a year before.
    pub activity_change_pct: Option<f64>,
    /// The last release (tag name).
    pub last_release: Option<String>,
    /// Days from it to the end of the window.
    pub days_since_last_release: Option<f64>,
    /// Whether the next release is overdue (twice the usual interval passed).
    pub release_overdue: bool,
    /// People who made releases in the window.
    pub release_bus_factor: Option<u64>,
    /// Share (0–1) of non-maintainers' pull requests never answered; `None`
    /// without forge data.
    pub unanswered_newcomers: Option<f64>,
    /// Replacement cost in engineer-months.
    pub replacement_engineer_months: Option<f64>,
    /// Funding links from FUNDING.yml.
    pub funding: Vec<String>,
    /// Our people who contributed in the window.
    pub our_people: Vec<String>,
    /// Of them, maintainers.
    pub our_maintainers: Vec<String>,
    /// Known vulnerabilities in our pinned versions of its packages (from
    /// `deps`' advisory check; empty when not checked).
    pub exposed: Exposed,
    /// How fast it fixes the advisories of its own packages.
    pub slow_to_fix: SlowToFix,
    /// Its lifecycle state at the end of the window, when measured.
    pub lifecycle: Option<String>,
    /// The evidence of that state, one line each.
    pub lifecycle_evidence: Vec<String>,
    /// Packages depending on it in the world, the largest count any source
    /// gives (deps.dev, crates.io's reverse dependencies), when one does.
    pub world_dependents: Option<WorldDependents>,
    /// Whether fewer than half of its commits in the window have a known
    /// organization: its elephant factor and top organization say little.
    pub affiliation_note: Option<String>,
}

/// How many packages depend on an upstream, as a source says.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WorldDependents {
    /// How many.
    pub count: f64,
    /// The signal (`dependents`, `reverse_dependencies`).
    pub signal: String,
    /// Its source (`deps.dev`, `crates.io`).
    pub source: String,
    /// When it was read.
    pub as_of: String,
}

/// An upstream's security response, as far as it makes it slow to fix.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct SlowToFix {
    /// Whether its advisories were checked.
    pub checked: bool,
    /// Median days from an advisory's publication to its fixed release.
    pub median_days: Option<f64>,
    /// Advisories published in the window.
    pub advisories: u64,
    /// One line per reason it is slow: a median above 90 days, a high or
    /// critical advisory unfixed for more than 90 days.
    pub lines: Vec<String>,
}

impl SlowToFix {
    /// What `metric` says.
    pub fn of(metric: &Metric<security_response::Details>) -> SlowToFix {
        let d = &metric.details;
        let checked = !metric
            .reason
            .as_deref()
            .is_some_and(|r| r.contains("not checked"))
            && d.missing.is_none()
            && !d.packages.is_empty();
        let mut lines = Vec::new();
        if let Some(days) = metric.value.filter(|d| *d > UNFIXED_FLAG_DAYS) {
            lines.push(format!(
                "median {} days from an advisory to its fixed release",
                days.round()
            ));
        }
        for a in &d.advisories {
            if a.severity >= Level::High
                && let Some(days) = a.unfixed_days.filter(|d| *d > UNFIXED_FLAG_DAYS)
            {
                lines.push(format!(
                    "{} ({}) unfixed for {} days",
                    a.id,
                    a.severity.name(),
                    days.round()
                ));
            }
        }
        SlowToFix {
            checked,
            median_days: metric.value,
            advisories: d.published_in_window,
            lines,
        }
    }
}

/// Known vulnerabilities in the pinned versions of an upstream's packages.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Exposed {
    /// Whether its packages were checked (not with `--no-advisories`).
    pub checked: bool,
    /// Advisories, one per vulnerability and package version.
    pub advisories: usize,
    /// The most severe of them.
    pub worst: Option<Level>,
    /// One line each: `lodash@4.17.20: CVE-2021-23337 (high), upgrade to 4.17.21`.
    pub lines: Vec<String>,
}

impl Exposed {
    /// What of `check` concerns `packages` (an upstream's), matched by
    /// ecosystem, name and version.
    pub fn of(check: &AdvisoryCheck, packages: &[Listed]) -> Exposed {
        let mut out = Exposed {
            checked: true,
            ..Exposed::default()
        };
        for listed in packages {
            let Some(purl) = listed.purl.as_deref().and_then(Purl::parse) else {
                continue;
            };
            let version = purl.version.as_deref().or(listed.version.as_deref());
            let hit = check.exposed.iter().find(|e| {
                Some(e.ecosystem.as_str()) == purl.ecosystem.osv_name()
                    && e.name == purl.name
                    && Some(e.version.as_str()) == version
            });
            let Some(hit) = hit else { continue };
            for a in &hit.advisories {
                out.advisories += 1;
                out.worst = out.worst.max(Some(a.severity.level));
                out.lines.push(format!(
                    "{}@{}: {} ({}), {}",
                    hit.name,
                    hit.version,
                    a.id,
                    a.severity.level.name(),
                    a.remedy()
                ));
            }
        }
        out
    }
}

const DAY: f64 = 86_400.0;

impl Health {
    /// An upstream that could not be measured, and why.
    pub fn not_mined(reason: impl Into<String>) -> Self {
        Health {
            not_mined_reason: Some(reason.into()),
            ..Health::default()
        }
    }

    /// The figures of a measured upstream: `metrics` over `window`, the
    /// `contributions` they came from, its FUNDING.yml links, and `ours` (our
    /// organization's name, compared without case) to find our people.
    pub fn measured(
        metrics: &Metrics,
        contributions: &[Contribution],
        window: Window,
        funding: Vec<String>,
        ours: Option<&str>,
    ) -> Self {
        let last_commit = contributions
            .iter()
            .filter(|c| !c.bot && c.time < window.until)
            .map(|c| c.time)
            .max();
        let is_ours = |org: &Option<String>| {
            ours.zip(org.as_deref())
                .is_some_and(|(a, b)| a.eq_ignore_ascii_case(b))
        };
        let mut our_people: Vec<String> = contributions
            .iter()
            .filter(|c| !c.bot && window.contains(c.time) && is_ours(&c.organization))
            .map(|c| c.person.clone())
            .collect();
        our_people.sort();
        our_people.dedup();
        let maintainers = &metrics.maintainers.details.maintainers;
        let our_maintainers = our_people
            .iter()
            .filter(|p| maintainers.contains(p))
            .cloned()
            .collect();
        let releases = &metrics.releases.details;
        let commits = &metrics.organizations.details.commits;
        Health {
            mined: true,
            not_mined_reason: None,
            bus_factor: metrics.bus_factor.value,
            truck_factor: metrics.truck_factor.value,
            elephant_factor: metrics.elephant_factor.value,
            top_organization: commits
                .shares
                .first()
                .filter(|_| commits.known_share >= 0.5)
                .map(|(org, _, share)| (org.clone(), *share)),
            maintainers: metrics.maintainers.value.map(|v| v as u64),
            last_commit: last_commit
                .and_then(crate::identities::Day::from_unix_seconds)
                .map(|d| d.to_string()),
            days_since_last_commit: last_commit
                .map(|t| ((window.until - t) as f64 / DAY * 10.0).round() / 10.0),
            activity_change_pct: metrics.activity.value,
            last_release: releases.last_release.clone(),
            days_since_last_release: releases.days_since_last,
            release_overdue: releases.overdue,
            release_bus_factor: Some(releases.release_bus_factor),
            unanswered_newcomers: {
                let prs = &metrics.non_maintainer_prs.details;
                (prs.opened > 0).then(|| {
                    ((prs.opened - prs.answered) as f64 / prs.opened as f64 * 1000.0).round()
                        / 1000.0
                })
            },
            replacement_engineer_months: metrics.replacement_cost.value,
            funding,
            our_people,
            our_maintainers,
            exposed: Exposed::default(),
            slow_to_fix: SlowToFix::of(&metrics.security_response),
            lifecycle: metrics.lifecycle.value.clone(),
            lifecycle_evidence: metrics.lifecycle.details.evidence.clone(),
            world_dependents: metrics
                .adoption
                .details
                .signals
                .iter()
                .filter(|s| matches!(s.name.as_str(), "dependents" | "reverse_dependencies"))
                .filter_map(|s| {
                    Some(WorldDependents {
                        count: s.value?,
                        signal: s.name.clone(),
                        source: s.source.clone(),
                        as_of: s.as_of.clone(),
                    })
                })
                .max_by(|a, b| a.count.total_cmp(&b.count)),
            affiliation_note: metrics.elephant_factor.details.confidence.note.clone(),
        }
    }
}
