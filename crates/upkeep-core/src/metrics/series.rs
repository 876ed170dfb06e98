//! The series the report's charts draw, over the window `[since, until)`:
//! commits and contributors per month, the cumulative share of the most
//! active people, organizations' shares per quarter, time to first response
//! per quarter by kind of author, releases on a time line, and activity by
//! hour of the day and day of the week (UTC). Pure, like every metric; bots
//! are left out. The renderers only draw them.

use super::contributors::month;
use super::items::{AuthorKind, Durations, IsMaintainer, Item};
use super::releases::Release;
use super::{Contribution, Window, quarter};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Commits and contributors in one month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Month {
    /// `YYYY-MM`.
    pub month: String,
    /// Non-merge commits.
    pub commits: u64,
    /// Distinct authors.
    pub contributors: u64,
}

/// One person's place in the cumulative share of commits.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Cumulative {
    /// The person's key.
    pub key: String,
    /// Their commits.
    pub commits: u64,
    /// The share of all commits made by them and everyone more active, 0–1.
    pub cumulative_share: f64,
}

/// Organizations' shares of the commits of one quarter.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OrgQuarter {
    /// `YYYY-Qn`.
    pub quarter: String,
    /// `[organization, share of the quarter's commits]`, the portfolio's top
    /// organizations, then `other` and `unknown`.
    pub shares: Vec<(String, f64)>,
}

/// Time to first response for one kind of author in one quarter.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ResponseQuarter {
    /// `YYYY-Qn` of the items' opening.
    pub quarter: String,
    /// `maintainer`, `returning`, `first_timer`.
    pub author: &'static str,
    /// The answered items' durations.
    pub answered: Durations,
    /// Items opened that quarter never answered before the window's end.
    pub never_answered: u64,
}

/// A release on the time line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReleasePoint {
    /// Its name.
    pub name: String,
    /// When, seconds since the epoch.
    pub time: i64,
}

/// Every series.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Series {
    /// Per month of the window.
    pub months: Vec<Month>,
    /// The 10 most active people, with the cumulative share.
    pub top_people: Vec<Cumulative>,
    /// Per quarter, the shares of the 8 organizations with most commits in the window.
    pub organizations: Vec<OrgQuarter>,
    /// Per quarter and kind of author (bots left out).
    pub first_response: Vec<ResponseQuarter>,
    /// Releases in the window (pre-releases left out), oldest first.
    pub releases: Vec<ReleasePoint>,
    /// Commits by UTC weekday (0 = Monday) and hour: `[7][24]`.
    pub hour_by_weekday: Vec<Vec<u64>>,
}

/// Computes every series.
pub fn compute(
    contributions: &[Contribution],
    items: &[Item],
    releases: &[Release],
    is_maintainer: IsMaintainer<'_>,
    first_contribution: &HashMap<String, i64>,
    window: Window,
) -> Series {
    let inside: Vec<&Contribution> = contributions
        .iter()
        .filter(|c| !c.bot && window.contains(c.time))
        .collect();
    let mut timeline: Vec<ReleasePoint> = releases
        .iter()
        .filter(|r| !r.prerelease && window.contains(r.time))
        .map(|r| ReleasePoint {
            name: r.name.clone(),
            time: r.time,
        })
        .collect();
    timeline.sort_by(|a, b| a.time.cmp(&b.time).then_with(|| a.name.cmp(&b.name)));
    Series {
        months: months(&inside, window),
        top_people: top_people(&inside),
        organizations: organizations(&inside),
        first_response: responses(items, is_maintainer, first_contribution, window),
        releases: timeline,
        hour_by_weekday: hours(&inside),
    }
}

fn months(inside: &[&Contribution], window: Window) -> Vec<Month> {
    let mut by: BTreeMap<i32, (u64, BTreeSet<&str>)> = BTreeMap::new();
    let (first, last) = (month(window.since), month(window.until - 1));
    for m in first..=last {
        by.insert(m, (0, BTreeSet::new()));
    }
    for c in inside {
        let entry = by.entry(month(c.time)).or_default();
        entry.0 += 1;
        entry.1.insert(&c.person);
    }
    by.into_iter()
        .map(|(m, (commits, people))| Month {
            month: format!("{:04}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1),
            commits,
            contributors: people.len() as u64,
        })
        .collect()
}

fn top_people(inside: &[&Contribution]) -> Vec<Cumulative> {
    let ranked = super::ranked(inside.iter().map(|c| c.person.as_str()));
    let total = inside.len().max(1) as f64;
    let mut sum = 0;
    ranked
        .into_iter()
        .take(10)
        .map(|(key, commits)| {
            sum += commits;
            Cumulative {
                key,
                commits,
                cumulative_share: sum as f64 / total,
            }
        })
        .collect()
}

fn organizations(inside: &[&Contribution]) -> Vec<OrgQuarter> {
    let top: Vec<String> = super::ranked(inside.iter().filter_map(|c| c.organization.as_deref()))
        .into_iter()
        .take(8)
        .map(|(o, _)| o)
        .collect();
    let mut by: BTreeMap<(i32, u8), BTreeMap<String, u64>> = BTreeMap::new();
    for c in inside {
        let name = match c.organization.as_deref() {
            Some(o) if top.iter().any(|t| t == o) => o.to_owned(),
            Some(_) => "other".to_owned(),
            None => "unknown".to_owned(),
        };
        *by.entry(quarter(c.time))
            .or_default()
            .entry(name)
            .or_default() += 1;
    }
    by.into_iter()
        .map(|((y, q), counts)| {
            let total = counts.values().sum::<u64>().max(1) as f64;
            let order = top
                .iter()
                .cloned()
                .chain(["other".into(), "unknown".into()]);
            OrgQuarter {
                quarter: format!("{y}-Q{q}"),
                shares: order
                    .filter_map(|o| Some((o.clone(), *counts.get(&o)? as f64 / total)))
                    .collect(),
            }
        })
        .collect()
}

fn responses(
    items: &[Item],
    is_maintainer: IsMaintainer<'_>,
    first_contribution: &HashMap<String, i64>,
    window: Window,
) -> Vec<ResponseQuarter> {
    // (quarter, kind) → (seconds to answer of the answered, never answered).
    type Responses = (Vec<i64>, u64);
    let mut by: BTreeMap<((i32, u8), AuthorKind), Responses> = BTreeMap::new();
    for item in items.iter().filter(|i| window.contains(i.created)) {
        let kind = item.author_kind(is_maintainer, first_contribution);
        if kind == AuthorKind::Bot {
            continue;
        }
        let entry = by.entry((quarter(item.created), kind)).or_default();
        match item.first_response().filter(|&t| t < window.until) {
            Some(t) => entry.0.push(t - item.created),
            None => entry.1 += 1,
        }
    }
    by.into_iter()
        .map(|(((y, q), kind), (answered, never))| ResponseQuarter {
            quarter: format!("{y}-Q{q}"),
            author: kind.as_str(),
            answered: Durations::of(answered),
            never_answered: never,
        })
        .collect()
}

fn hours(inside: &[&Contribution]) -> Vec<Vec<u64>> {
    let mut grid = vec![vec![0u64; 24]; 7];
    for c in inside {
        let Ok(t) = jiff::Timestamp::from_second(c.time) else {
            continue;
        };
        let z = t.to_zoned(jiff::tz::TimeZone::UTC);
        let day = z.weekday().to_monday_zero_offset() as usize;
        grid[day][z.hour() as usize] += 1;
    }
    grid
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::on;

    #[test]
    fn months_people_organizations_and_hours() {
        // January: alice twice, bob once; February: nothing; March: alice (ACME).
        // 2026-01-05 is a Monday; commits at 00:00 UTC.
        let mut c = vec![
            on("alice", "2026-01-05"),
            on("alice", "2026-01-06"),
            on("bob", "2026-01-07"),
            on("alice", "2026-03-02"),
        ];
        c[3].organization = Some("ACME".into());
        let window = Window {
            since: crate::ledger::testing::day("2026-01-01"),
            until: crate::ledger::testing::day("2026-04-01"),
        };
        let s = compute(&c, &[], &[], &|_, _| false, &HashMap::new(), window);
        let months: Vec<(&str, u64, u64)> = s
            .months
            .iter()
            .map(|m| (m.month.as_str(), m.commits, m.contributors))
            .collect();
        assert_eq!(
            months,
            [("2026-01", 3, 2), ("2026-02", 0, 0), ("2026-03", 1, 1)]
        );
        assert_eq!(s.top_people[0].key, "alice");
        assert_eq!(s.top_people[0].cumulative_share, 0.75);
        assert_eq!(s.top_people[1].cumulative_share, 1.0);
        // Q1: ACME 1 of 4, unknown 3 of 4.
        assert_eq!(
            s.organizations[0].shares,
            vec![("ACME".to_owned(), 0.25), ("unknown".to_owned(), 0.75)]
        );
        // Monday 00:00 twice (01-05, 03-02), Tuesday and Wednesday once.
        assert_eq!(s.hour_by_weekday[0][0], 2);
        assert_eq!(s.hour_by_weekday[1][0], 1);
        assert_eq!(s.hour_by_weekday[2][0], 1);
    }
}
