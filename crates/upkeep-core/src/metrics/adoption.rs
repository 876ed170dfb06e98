//! Adoption: who uses the project, as the forges and registries say —
//! stars, forks and watchers, package downloads, dependents — each with its
//! source and date, and `null` with the reason when a source has no such
//! figure or could not be reached (never 0); the change against the earliest
//! stored reading at least a year older; and active forks: forks with commits
//! the upstream does not have, pushed in the last 90 days before the window's
//! end, flagged when one is more active than a stalled upstream (a lifecycle
//! of Declining, Inert or Abandoned, or no upstream commit for 180 days).

use super::{Definition, Metric, Window};
use serde::Serialize;

/// A fork counts as active when pushed this recently before the window's end.
pub const ACTIVE_DAYS: i64 = 90;
/// Without a commit for this long, an upstream is stalled.
pub const STALLED_DAYS: i64 = 180;
const DAY: i64 = 86_400;

/// One figure and where it comes from.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Signal {
    /// What it is (`stars`, `forks`, `watchers`, `downloads_total`,
    /// `downloads_recent`, `downloads_last_month`, `dependents`, …).
    pub name: String,
    /// The package or repository it is of.
    pub of: String,
    /// Its value; `None` when unavailable.
    pub value: Option<f64>,
    /// Where it comes from (`github`, `crates.io`, `npm downloads API`, `deps.dev`, …).
    pub source: String,
    /// When it was read (YYYY-MM-DD).
    pub as_of: String,
    /// Why there is no value.
    pub reason: Option<String>,
    /// The change against the reading closest to a year before, in percent.
    pub change_pct: Option<f64>,
    /// That reading: (date, value).
    pub year_before: Option<(String, f64)>,
}

/// A fork of the upstream.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Fork {
    /// `owner/name`.
    pub name: String,
    /// When it was last pushed, seconds since the epoch.
    pub pushed: i64,
    /// Commits it has that the upstream does not, if compared.
    pub ahead_by: Option<u64>,
}

/// What was read about a project's adoption.
#[derive(Clone, Debug, PartialEq)]
pub struct Evidence {
    /// The latest signals, with earlier readings joined (see [`Signal::year_before`]).
    pub signals: Vec<Signal>,
    /// Its forks, most recently pushed first, or why they were not listed.
    pub forks: Result<Vec<Fork>, String>,
}

/// The figures.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Details {
    /// Every signal.
    pub signals: Vec<Signal>,
    /// Active forks: ahead of the upstream, pushed in the last 90 days.
    pub active_forks: Vec<Fork>,
    /// Why forks were not checked, if they were not.
    pub forks_unchecked: Option<String>,
    /// Whether the upstream is stalled.
    pub upstream_stalled: bool,
    /// Forks more active than a stalled upstream, in words.
    pub flags: Vec<String>,
}

/// Computes adoption from `evidence` (`None`: not checked); the value is
/// the stars of the project's repositories, when known.
/// `last_commit` is the upstream's last commit before the window's end.
pub fn compute(
    evidence: Option<&Evidence>,
    lifecycle: Option<&str>,
    last_commit: Option<i64>,
    window: Window,
) -> Metric<Details> {
    let definition = Definition::over(
        "stars, forks and watchers (forge), downloads and dependents (registries, deps.dev), each with its source and date, null with the reason when unavailable; change against the reading closest to a year before; active forks (commits not in the upstream, pushed in the last 90 days), flagged when more active than a stalled upstream",
        window,
        false,
    )
    .with("active_days", serde_json::json!(ACTIVE_DAYS))
    .with("stalled_days", serde_json::json!(STALLED_DAYS));
    let Some(e) = evidence else {
        return Metric {
            value: None,
            reason: Some("adoption was not checked (no forge or registry data; see --no-adoption and --offline)".into()),
            details: Details::default(),
            definition,
        };
    };
    let end = window.until;
    let stalled = matches!(lifecycle, Some("Declining" | "Inert" | "Abandoned"))
        || last_commit.is_none_or(|t| end - t > STALLED_DAYS * DAY);
    let active: Vec<Fork> = match &e.forks {
        Ok(forks) => forks
            .iter()
            .filter(|f| {
                f.ahead_by.is_some_and(|n| n > 0)
                    && end - f.pushed <= ACTIVE_DAYS * DAY
                    && f.pushed < end
            })
            .cloned()
            .collect(),
        Err(_) => Vec::new(),
    };
    let flags = if stalled {
        active
            .iter()
            .filter(|f| last_commit.is_none_or(|t| f.pushed > t))
            .map(|f| {
                format!(
                    "fork {} is more active than the stalled upstream ({} commits ahead, pushed {}; upstream's last commit {})",
                    f.name,
                    f.ahead_by.unwrap_or(0),
                    super::day(f.pushed),
                    last_commit.map_or_else(|| "never".to_owned(), super::day)
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let stars: Vec<f64> = e
        .signals
        .iter()
        .filter(|s| s.name == "stars")
        .filter_map(|s| s.value)
        .collect();
    Metric {
        value: (!stars.is_empty()).then(|| stars.iter().sum()),
        reason: stars
            .is_empty()
            .then(|| "no forge gave a star count".to_owned()),
        details: Details {
            signals: e.signals.clone(),
            active_forks: active,
            forks_unchecked: e.forks.as_ref().err().cloned(),
            upstream_stalled: stalled,
            flags,
        },
        definition,
    }
}

/// Joins each signal to the reading closest to a year before it (at least a year older):
/// `readings` are `(name, of, time, value)`, `now` the signals' time.
pub fn with_history(
    mut signals: Vec<Signal>,
    readings: &[(String, String, i64, f64)],
    now: i64,
) -> Vec<Signal> {
    for s in &mut signals {
        let Some(value) = s.value else { continue };
        let old = readings
            .iter()
            .filter(|(n, of, t, _)| *n == s.name && *of == s.of && now - t >= 365 * DAY)
            .min_by_key(|(_, _, t, _)| now - t);
        if let Some((_, _, t, before)) = old {
            s.year_before = Some((super::day(*t), *before));
            s.change_pct =
                (*before > 0.0).then(|| ((value - before) / before * 1000.0).round() / 10.0);
        }
    }
    signals
}

#[cfg(test)]
mod tests;
