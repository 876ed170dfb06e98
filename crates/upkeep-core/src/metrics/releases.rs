//! Releases: version tags (and, with a forge, releases) in the window
//! `[since, until)`. Cadence is the median interval between consecutive
//! releases, releases made within a day of the one before counting as one
//! (a security fix released on several maintenance branches at once is one
//! release event, not intervals of a second); days since the last release
//! (as of `until`) are compared with
//! it, and a release is overdue when more than twice the usual interval has
//! passed. The release bus factor is the number of distinct people who made
//! releases (lightweight tags count for their commit's committer).
//! Pre-releases (`-rc1`, `-beta`, …) are counted apart and left out of all of it.

use super::{Definition, Metric, Window, ranked};
use serde::Serialize;

/// Seconds in a day.
const DAY: f64 = 86_400.0;

/// How many usual intervals may pass before a release is overdue.
pub const OVERDUE_FACTOR: f64 = 2.0;

/// A release: a version tag or a forge release.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Release {
    /// Its name (tag).
    pub name: String,
    /// When, in seconds since the epoch.
    pub time: i64,
    /// Who made it (a person key), if known.
    pub person: Option<String>,
    /// Whether it is a pre-release (release candidate, alpha, beta, …).
    pub prerelease: bool,
    /// The organization of who made it, on that day, if known.
    pub organization: Option<String>,
}

/// What the release figures are made of.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Details {
    /// Releases in the window (pre-releases excluded).
    pub releases: u64,
    /// Pre-releases in the window, not counted elsewhere.
    pub prereleases: u64,
    /// Release events in the window: releases made within a day of the one
    /// before count as one.
    pub events: u64,
    /// Median days between consecutive releases in the window.
    pub median_interval_days: Option<f64>,
    /// The last release before the end of the window.
    pub last_release: Option<String>,
    /// Days from it to the end of the window.
    pub days_since_last: Option<f64>,
    /// Whether more than twice the median interval has passed since it.
    pub overdue: bool,
    /// Distinct people who made releases in the window.
    pub release_bus_factor: u64,
    /// Who made the releases in the window, with how many.
    pub releasers: Vec<(String, u64)>,
}

/// When each release event began: `releases` (in time order) grouped so
/// that one made within a day of the one before joins its event.
fn events(releases: &[&Release]) -> Vec<i64> {
    let mut out: Vec<i64> = Vec::new();
    let mut previous: Option<i64> = None;
    for r in releases {
        if previous.is_none_or(|p| (r.time - p) as f64 >= DAY) {
            out.push(r.time);
        }
        previous = Some(r.time);
    }
    out
}

/// Computes the release figures; the headline value is the median interval in days.
pub fn compute(releases: &[Release], window: Window) -> Metric<Details> {
    let prereleases = releases
        .iter()
        .filter(|r| r.prerelease && window.contains(r.time))
        .count() as u64;
    let mut sorted: Vec<&Release> = releases
        .iter()
        .filter(|r| !r.prerelease && r.time < window.until)
        .collect();
    sorted.sort_by(|a, b| a.time.cmp(&b.time).then_with(|| a.name.cmp(&b.name)));
    let inside: Vec<&Release> = sorted
        .iter()
        .copied()
        .filter(|r| window.contains(r.time))
        .collect();
    let events = events(&inside);
    let mut intervals: Vec<f64> = events
        .windows(2)
        .map(|w| (w[1] - w[0]) as f64 / DAY)
        .collect();
    intervals.sort_by(f64::total_cmp);
    let median = match intervals.len() {
        0 => None,
        n if n % 2 == 1 => Some(intervals[n / 2]),
        n => Some((intervals[n / 2 - 1] + intervals[n / 2]) / 2.0),
    };
    let last = sorted.last();
    let days_since = last.map(|r| (window.until - r.time) as f64 / DAY);
    let releasers = ranked(inside.iter().filter_map(|r| r.person.as_deref()));
    let reason = match (inside.len(), events.len()) {
        (0, _) => Some("no releases in the window".to_owned()),
        (1, _) => Some("one release in the window: no interval to measure".to_owned()),
        (_, 1) => Some(
            "the window's releases were all made within a day: no interval to measure".to_owned(),
        ),
        _ => None,
    };
    Metric {
        value: median,
        reason,
        details: Details {
            releases: inside.len() as u64,
            prereleases,
            events: events.len() as u64,
            median_interval_days: median,
            last_release: last.map(|r| r.name.clone()),
            days_since_last: days_since,
            overdue: matches!((median, days_since), (Some(m), Some(d)) if d > OVERDUE_FACTOR * m),
            release_bus_factor: releasers.len() as u64,
            releasers,
        },
        definition: Definition::over(
            "median days between consecutive releases in the window (releases within a day of the one before count as one); overdue when the last release is more than twice that long ago; release bus factor = distinct people who made releases",
            window,
            false,
        )
        .with("overdue_factor", serde_json::json!(OVERDUE_FACTOR))
        .with("releases", serde_json::json!(
                        "tags that look like versions; lightweight tags count for their committer"
                    )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn release(name: &str, day: i64, person: &str) -> Release {
        Release {
            name: name.into(),
            time: day * 86_400,
            person: Some(person.into()),
            prerelease: name.contains("-rc"),
            organization: None,
        }
    }

    #[test]
    fn cadence_overdue_and_release_bus_factor() {
        // Releases on days 10, 20, 50 and 60: intervals 10, 30, 10 → median 10.
        // The window ends on day 100: 40 days since v4 > 2 × 10, so overdue.
        let r = vec![
            release("v1", 10, "alice"),
            release("v2-rc1", 15, "carol"),
            release("v2", 20, "bob"),
            release("v3", 50, "alice"),
            release("v4", 60, "alice"),
        ];
        let m = compute(
            &r,
            Window {
                since: 0,
                until: 100 * 86_400,
            },
        );
        assert_eq!(m.value, Some(10.0));
        assert_eq!(m.details.days_since_last, Some(40.0));
        assert!(m.details.overdue);
        assert_eq!(m.details.release_bus_factor, 2);
        assert_eq!(
            m.details.releasers,
            vec![("alice".into(), 3), ("bob".into(), 1)]
        );
    }

    #[test]
    fn releases_within_a_day_are_one_event() {
        // A security fix on three maintenance branches at once on day 10
        // (seconds apart), then v2.49.0 on day 40 and v2.48.2 three hours
        // later: two events, one interval of 30 days, not a median of 1 second.
        let mut r = vec![
            release("v2.48.1", 10, "junio"),
            release("v2.47.2", 10, "junio"),
            release("v2.46.3", 10, "junio"),
            release("v2.49.0", 40, "junio"),
            release("v2.48.2", 40, "junio"),
        ];
        r[1].time += 1;
        r[2].time += 2;
        r[4].time += 3 * 3_600;
        let window = Window {
            since: 0,
            until: 70 * 86_400,
        };
        let m = compute(&r, window);
        assert_eq!(m.value, Some(30.0));
        assert_eq!((m.details.releases, m.details.events), (5, 2));
        // 29.875 days since v2.48.2 is not more than twice 30: not overdue.
        assert!(!m.details.overdue);
        // All within a day: no interval.
        let one = compute(&r[..3], window);
        assert_eq!(one.value, None);
        assert_eq!(
            one.reason.as_deref(),
            Some("the window's releases were all made within a day: no interval to measure")
        );
    }

    #[test]
    fn even_interval_count_averages_the_middle_two_and_not_overdue() {
        // Days 0, 10, 40: intervals 10 and 30 → median 20; 15 days since → not overdue.
        let r = vec![
            release("a", 0, "x"),
            release("b", 10, "x"),
            release("c", 40, "x"),
        ];
        let m = compute(
            &r,
            Window {
                since: 0,
                until: 55 * 86_400,
            },
        );
        assert_eq!(m.value, Some(20.0));
        assert!(!m.details.overdue);
    }

    #[test]
    fn too_few_releases_give_null_with_a_reason() {
        let none = compute(
            &[],
            Window {
                since: 0,
                until: 10,
            },
        );
        assert_eq!(
            (none.value, none.reason.as_deref()),
            (None, Some("no releases in the window"))
        );
        // One release inside; an older one outside still counts as "the last" only if it is the latest.
        let r = vec![release("old", 1, "x"), release("new", 50, "y")];
        let one = compute(
            &r,
            Window {
                since: 10 * 86_400,
                until: 60 * 86_400,
            },
        );
        assert_eq!(one.value, None);
        assert_eq!(one.details.releases, 1);
        assert_eq!(one.details.last_release.as_deref(), Some("new"));
        assert_eq!(one.details.days_since_last, Some(10.0));
        assert_eq!(one.details.release_bus_factor, 1);
    }
}
