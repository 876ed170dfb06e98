//! The report: every metric over one window, and the flags that matter.

use super::releases::Release;
use super::{
    Contribution, Metric, Window, activity, bus_factor, elephant_factor, releases, time_zones,
};
use serde::Serialize;

/// What the metrics are computed from.
pub struct Inputs<'a> {
    /// Contributions (non-merge commits authored), any time.
    pub contributions: &'a [Contribution],
    /// Releases, any time.
    pub releases: &'a [Release],
    /// The window `[since, until)`.
    pub window: Window,
    /// Whether bots count as contributors where a metric allows it.
    pub include_bots: bool,
}

/// Every metric, keyed as in the JSON contract.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Metrics {
    /// See [`bus_factor`].
    pub bus_factor: Metric<bus_factor::Details>,
    /// See [`elephant_factor`].
    pub elephant_factor: Metric<elephant_factor::Details>,
    /// See [`releases`].
    pub releases: Metric<releases::Details>,
    /// See [`time_zones`].
    pub time_zones: Metric<time_zones::Details>,
    /// See [`activity`].
    pub activity: Metric<activity::Details>,
}

/// Computes every metric.
pub fn compute(inputs: &Inputs<'_>) -> Metrics {
    Metrics {
        bus_factor: bus_factor::compute(inputs.contributions, inputs.window, inputs.include_bots),
        elephant_factor: elephant_factor::compute(
            inputs.contributions,
            inputs.window,
            inputs.include_bots,
        ),
        releases: releases::compute(inputs.releases, inputs.window),
        time_zones: time_zones::compute(inputs.contributions, inputs.window),
        activity: activity::compute(inputs.contributions, inputs.window),
    }
}

/// A finding worth a reader's attention, with the metric it comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Flag {
    /// The metric id.
    pub metric: &'static str,
    /// What to say.
    pub text: String,
}

/// Flags: bus factor 1, one organization above half of known work, an
/// overdue release, contributors down by a quarter or more, and fewer than
/// 12 hours of the day with anyone awake.
pub fn flags(m: &Metrics) -> Vec<Flag> {
    let mut out = Vec::new();
    let pct = |share: f64| (share * 100.0).round() as i64;
    if m.bus_factor.value == Some(1.0)
        && let Some(top) = m.bus_factor.details.people.first()
    {
        out.push(Flag {
            metric: "bus_factor",
            text: format!(
                "bus factor 1 ({} made {}% of commits)",
                top.key,
                pct(top.share)
            ),
        });
    }
    if let Some(top) = m.elephant_factor.details.organizations.first()
        && top.share > 0.5
    {
        out.push(Flag {
            metric: "elephant_factor",
            text: format!(
                "one organization ({}) made {}% of commits of known affiliation ({}% known)",
                top.key,
                pct(top.share),
                pct(m.elephant_factor.details.known_share)
            ),
        });
    }
    let r = &m.releases.details;
    if r.overdue
        && let (Some(days), Some(usual)) = (r.days_since_last, r.median_interval_days)
    {
        out.push(Flag {
            metric: "releases",
            text: format!(
                "no release for {} days; usual interval {} days",
                days.round(),
                usual.round()
            ),
        });
    }
    if let Some(change) = m.activity.value
        && change <= -25.0
    {
        out.push(Flag {
            metric: "activity",
            text: format!(
                "contributors down {}% against the same quarter a year before",
                -change
            ),
        });
    }
    if let Some(hours) = m.time_zones.value
        && hours < 12.0
    {
        out.push(Flag {
            metric: "time_zones",
            text: format!(
                "contributors are awake (08:00–20:00) for only {hours} hours of the UTC day"
            ),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_name_the_facts() {
        let day = 86_400;
        let contributions: Vec<Contribution> = [("alice", 7), ("bob", 3)]
            .into_iter()
            .flat_map(|(p, n)| {
                (0..n).map(move |i| Contribution {
                    person: p.into(),
                    organization: Some(if p == "alice" { "ACME" } else { "Initech" }.into()),
                    time: (10 + i) * day,
                    offset_minutes: 60,
                    bot: false,
                })
            })
            .collect();
        let releases = vec![
            Release {
                name: "v1".into(),
                time: day,
                person: None,
                prerelease: false,
            },
            Release {
                name: "v2".into(),
                time: 11 * day,
                person: None,
                prerelease: false,
            },
        ];
        let m = compute(&Inputs {
            contributions: &contributions,
            releases: &releases,
            window: Window {
                since: 0,
                until: 100 * day,
            },
            include_bots: false,
        });
        let texts: Vec<String> = flags(&m).into_iter().map(|f| f.text).collect();
        // alice 7 of 10; ACME 7 of 10 known; last release 89 days ago, usual interval 10;
        // everyone at +01:00, awake 07–19 UTC: 12 hours, so no time-zone flag.
        assert_eq!(
            texts,
            vec![
                "bus factor 1 (alice made 70% of commits)",
                "one organization (ACME) made 70% of commits of known affiliation (100% known)",
                "no release for 89 days; usual interval 10 days",
            ]
        );
    }
}
