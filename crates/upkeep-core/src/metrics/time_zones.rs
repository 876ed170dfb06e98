//! Time zones: contributors active in the window `[since, until)` by the UTC
//! offset they commit from most (ties: the smaller offset), and how many hours
//! of the UTC day have at least one of them within 08:00–20:00 local time.
//! Bots are left out.

use super::{Contribution, Definition, Metric, Window};
use serde::Serialize;
use std::collections::BTreeMap;

/// First and last+1 local hour counted as awake.
pub const AWAKE: (i32, i32) = (8, 20);

/// The distribution and the day's coverage.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Details {
    /// Contributors per UTC offset (minutes east), by offset.
    pub contributors_by_offset: BTreeMap<i32, u64>,
    /// For each UTC hour 0–23, how many contributors are awake then.
    pub awake_by_utc_hour: Vec<u64>,
}

/// Computes the distribution; the headline value is the number of UTC hours with someone awake.
pub fn compute(contributions: &[Contribution], window: Window) -> Metric<Details> {
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
    let mut by_offset: BTreeMap<i32, u64> = BTreeMap::new();
    let mut awake = vec![0u64; 24];
    for counts in offsets.values() {
        // Most used offset; on a tie the smaller one (BTreeMap order, max_by keeps the last max).
        let Some((&offset, _)) = counts.iter().rev().max_by_key(|(_, n)| **n) else {
            continue;
        };
        *by_offset.entry(offset).or_default() += 1;
        for (utc_hour, count) in awake.iter_mut().enumerate() {
            let local = (utc_hour as i32 * 60 + offset).rem_euclid(24 * 60) / 60;
            if (AWAKE.0..AWAKE.1).contains(&local) {
                *count += 1;
            }
        }
    }
    let covered = awake.iter().filter(|n| **n > 0).count();
    let any = !offsets.is_empty();
    Metric {
        value: any.then_some(covered as f64),
        reason: (!any).then(|| "no contributors in the window".to_owned()),
        details: Details {
            contributors_by_offset: by_offset,
            awake_by_utc_hour: awake,
        },
        definition: Definition {
            rule: "contributors by the UTC offset they commit from most; hours of the UTC day with at least one of them between 08:00 and 20:00 local time",
            parameters: [
                ("awake_local_hours", serde_json::json!([AWAKE.0, AWAKE.1])),
                ("since", serde_json::json!(window.since)),
                ("until", serde_json::json!(window.until)),
                ("bots_included", serde_json::json!(false)),
            ]
            .into_iter()
            .collect(),
        },
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
        let m = compute(
            &c,
            Window {
                since: 0,
                until: 10,
            },
        );
        assert_eq!(
            m.details.contributors_by_offset,
            [(-300, 1), (60, 1)].into_iter().collect()
        );
        assert_eq!(m.value, Some(18.0));
        assert_eq!(m.details.awake_by_utc_hour[7], 1);
        assert_eq!(m.details.awake_by_utc_hour[13], 2);
        assert_eq!(m.details.awake_by_utc_hour[0], 1);
        assert_eq!(m.details.awake_by_utc_hour[2], 0);
    }

    #[test]
    fn nobody_is_null() {
        let m = compute(
            &[],
            Window {
                since: 0,
                until: 10,
            },
        );
        assert_eq!(m.value, None);
    }
}
