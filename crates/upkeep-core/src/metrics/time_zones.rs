//! Time zones: contributors active in the window `[since, until)` by the UTC
//! offset they commit from most (ties: the smaller offset), and how many hours
//! of the UTC day have an active maintainer (a maintainer who contributed in
//! the window) within 08:00–20:00 local time. Bots are left out.

use super::{Contribution, Definition, Metric, Window};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// First and last+1 local hour counted as awake.
pub const AWAKE: (i32, i32) = (8, 20);

/// The distribution and the day's coverage.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Details {
    /// Contributors per UTC offset (minutes east), by offset.
    pub contributors_by_offset: BTreeMap<i32, u64>,
    /// Active maintainers per UTC offset.
    pub maintainers_by_offset: BTreeMap<i32, u64>,
    /// For each UTC hour 0–23, how many active maintainers are awake then.
    pub maintainers_awake_by_utc_hour: Vec<u64>,
    /// For each UTC hour 0–23, how many contributors are awake then.
    pub contributors_awake_by_utc_hour: Vec<u64>,
    /// The largest group of active maintainers within one hour of offsets, as
    /// (first offset, last offset, maintainers), when it is more than half of them.
    pub maintainers_clustered: Option<(i32, i32, u64)>,
}

/// Computes the distribution; the headline value is the number of UTC hours
/// with an active maintainer awake.
pub fn compute(
    contributions: &[Contribution],
    maintainers: &BTreeSet<String>,
    window: Window,
) -> Metric<Details> {
    let mut offsets: BTreeMap<&str, BTreeMap<i32, u64>> = BTreeMap::new();
    for c in contributions
        .iter()
        .filter(|c| !c.bot && window.contains(c.time))
    {
        *offsets
            .entry(&c.person)
            .or_default()
            .entry(c.offset_minutes)
            .or_default() += 1;
    }
    // Each person's most used offset; on a tie the smaller one.
    let usual: BTreeMap<&str, i32> = offsets
        .iter()
        .filter_map(|(p, counts)| {
            counts
                .iter()
                .rev()
                .max_by_key(|(_, n)| **n)
                .map(|(o, _)| (*p, *o))
        })
        .collect();
    let spread = |people: &mut dyn Iterator<Item = i32>| {
        let mut by_offset: BTreeMap<i32, u64> = BTreeMap::new();
        let mut awake = vec![0u64; 24];
        for offset in people {
            *by_offset.entry(offset).or_default() += 1;
            for (utc_hour, count) in awake.iter_mut().enumerate() {
                let local = (utc_hour as i32 * 60 + offset).rem_euclid(24 * 60) / 60;
                if (AWAKE.0..AWAKE.1).contains(&local) {
                    *count += 1;
                }
            }
        }
        (by_offset, awake)
    };
    let (contributors_by_offset, contributors_awake) = spread(&mut usual.values().copied());
    let (maintainers_by_offset, maintainers_awake) = spread(
        &mut usual
            .iter()
            .filter(|(p, _)| maintainers.contains(**p))
            .map(|(_, o)| *o),
    );
    let active: u64 = maintainers_by_offset.values().sum();
    let clustered = maintainers_by_offset
        .keys()
        .map(|&from| {
            let n: u64 = maintainers_by_offset
                .range(from..=from + 60)
                .map(|(_, n)| n)
                .sum();
            let to = maintainers_by_offset
                .range(from..=from + 60)
                .next_back()
                .map_or(from, |(o, _)| *o);
            (from, to, n)
        })
        .max_by(|a, b| a.2.cmp(&b.2).then_with(|| b.0.cmp(&a.0)))
        .filter(|(_, _, n)| active >= 3 && n * 2 > active);
    let covered = maintainers_awake.iter().filter(|n| **n > 0).count();
    Metric {
        value: (active > 0).then_some(covered as f64),
        reason: (active == 0).then(|| "no maintainer contributed in the window".to_owned()),
        details: Details {
            contributors_by_offset,
            maintainers_by_offset,
            maintainers_awake_by_utc_hour: maintainers_awake,
            contributors_awake_by_utc_hour: contributors_awake,
            maintainers_clustered: clustered,
        },
        definition: Definition::over(
            "people by the UTC offset they commit from most; value = hours of the UTC day with an active maintainer between 08:00 and 20:00 local time",
            window,
            false,
        )
        .with("awake_local_hours", serde_json::json!([AWAKE.0, AWAKE.1])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commit(person: &str, offset_minutes: i32) -> Contribution {
        Contribution {
            person: person.into(),
            organization: None,
            time: 5,
            offset_minutes,
            bot: false,
        }
    }

    const W: Window = Window {
        since: 0,
        until: 10,
    };

    fn set(people: &[&str]) -> BTreeSet<String> {
        people.iter().map(|p| (*p).to_owned()).collect()
    }

    #[test]
    fn offsets_and_hours_covered() {
        // alice: +60 twice, +120 once → +60. bob: -300 and +0 once each → tie → -300.
        // alice awake 08–20 local = 07–19 UTC; bob awake 08–20 local = 13–01 UTC.
        // Covered UTC hours: 07..=19 and 13..=24 → 07..=23 and 00: 17 + 1 = 18.
        let c = vec![
            commit("alice", 60),
            commit("alice", 60),
            commit("alice", 120),
            commit("bob", -300),
            commit("bob", 0),
        ];
        let m = compute(&c, &set(&["alice", "bob"]), W);
        assert_eq!(
            m.details.contributors_by_offset,
            [(-300, 1), (60, 1)].into_iter().collect()
        );
        assert_eq!(m.value, Some(18.0));
        assert_eq!(m.details.maintainers_awake_by_utc_hour[7], 1);
        assert_eq!(m.details.maintainers_awake_by_utc_hour[13], 2);
        assert_eq!(m.details.maintainers_awake_by_utc_hour[0], 1);
        assert_eq!(m.details.maintainers_awake_by_utc_hour[2], 0);
        // With alice alone as maintainer: 07–19 UTC, 12 hours.
        assert_eq!(compute(&c, &set(&["alice"]), W).value, Some(12.0));
    }

    #[test]
    fn nobody_is_null_and_clusters_are_found() {
        assert_eq!(compute(&[], &BTreeSet::new(), W).value, None);
        // A contributor who is not a maintainer covers no hours of the headline.
        assert_eq!(compute(&[commit("x", 0)], &BTreeSet::new(), W).value, None);
        // Three of four maintainers within +60…+120: a cluster.
        let c = vec![
            commit("a", 60),
            commit("b", 120),
            commit("c", 60),
            commit("d", -300),
        ];
        let m = compute(&c, &set(&["a", "b", "c", "d"]), W);
        assert_eq!(m.details.maintainers_clustered, Some((60, 120, 3)));
    }
}
