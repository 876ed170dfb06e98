//! Bus factor (CHAOSS Contributor Absence Factor): the smallest number of
//! people whose contributions add up to at least 50% of all contributions in
//! the window `[since, until)`. Bots are left out unless asked for.

use super::{Contribution, Definition, Metric, Window, counted, cover, ranked};
use serde::Serialize;

/// Who makes up the bus factor.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Details {
    /// Contributions counted.
    pub contributions: u64,
    /// The people making up the value, with their contributions and share (0–1).
    pub people: Vec<Share>,
}

/// One person's (or organization's) part.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Share {
    /// The key.
    pub key: String,
    /// Contributions.
    pub contributions: u64,
    /// Share of all counted contributions, 0–1.
    pub share: f64,
}

/// The first `n` entries of `ranked` as shares of `total`.
pub(crate) fn top_shares(ranked: &[(String, u64)], n: usize, total: u64) -> Vec<Share> {
    ranked
        .iter()
        .take(n)
        .map(|(key, count)| Share {
            key: key.clone(),
            contributions: *count,
            share: *count as f64 / total as f64,
        })
        .collect()
}

/// The share of contributions the value must reach.
pub const THRESHOLD: f64 = 0.5;

/// Computes the bus factor over `contributions` in `window`.
pub fn compute(
    contributions: &[Contribution],
    window: Window,
    include_bots: bool,
) -> Metric<Details> {
    let counted = counted(contributions, window, include_bots);
    let people = ranked(counted.iter().map(|c| c.person.as_str()));
    let total = counted.len() as u64;
    let n = cover(&people, THRESHOLD);
    let details = Details {
        contributions: total,
        people: top_shares(&people, n, total),
    };
    Metric {
        value: (total > 0).then_some(n as f64),
        reason: (total == 0).then(|| "no contributions in the window".to_owned()),
        details,
        definition: Definition::over(
            "the smallest number of people whose contributions add up to at least 50% of all contributions in the window",
            window,
            include_bots,
        )
        .with("threshold", serde_json::json!(THRESHOLD))
        .with("contribution", serde_json::json!("non-merge commit authored")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn commit(person: &str, time: i64) -> Contribution {
        Contribution {
            person: person.into(),
            organization: None,
            time,
            offset_minutes: 0,
            bot: person.ends_with("[bot]"),
        }
    }

    const ALL: Window = Window {
        since: 0,
        until: 1000,
    };

    #[test]
    fn smallest_set_reaching_half() {
        // alice 4, bob 3, carol 2, dave 1 = 10: alice alone is 40%, alice + bob 70% ≥ 50%.
        let mut c = Vec::new();
        for (p, n) in [("alice", 4), ("bob", 3), ("carol", 2), ("dave", 1)] {
            c.extend((0..n).map(|i| commit(p, 10 + i)));
        }
        let m = compute(&c, ALL, false);
        assert_eq!(m.value, Some(2.0));
        let keys: Vec<&str> = m.details.people.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(keys, ["alice", "bob"]);
        assert_eq!(m.details.people[0].share, 0.4);
    }

    #[test]
    fn exactly_half_is_enough_and_ties_break_by_key() {
        // bob 2, alice 2: a tie broken by key puts alice first; 2 of 4 is exactly 50%.
        let c = vec![
            commit("bob", 1),
            commit("bob", 2),
            commit("alice", 3),
            commit("alice", 4),
        ];
        let m = compute(&c, ALL, false);
        assert_eq!(m.value, Some(1.0));
        assert_eq!(m.details.people[0].key, "alice");
    }

    #[test]
    fn one_contributor() {
        // Everything by one person: 100%, bus factor 1.
        let m = compute(&[commit("solo", 1), commit("solo", 2)], ALL, false);
        assert_eq!(m.value, Some(1.0));
        assert_eq!(m.details.people[0].share, 1.0);
    }

    #[test]
    fn window_bots_and_empty() {
        // Outside the window (time 1000 is the first second after it) and bots do not count.
        let c = vec![
            commit("alice", 1),
            commit("bob", 1000),
            commit("dependabot[bot]", 5),
            commit("dependabot[bot]", 6),
        ];
        let m = compute(&c, ALL, false);
        assert_eq!((m.value, m.details.contributions), (Some(1.0), 1));
        let with_bots = compute(&c, ALL, true);
        assert_eq!(with_bots.details.people[0].key, "dependabot[bot]");
        let empty = compute(&[], ALL, false);
        assert_eq!(empty.value, None);
        assert_eq!(
            empty.reason.as_deref(),
            Some("no contributions in the window")
        );
        let bots_only = compute(&c[2..], ALL, false);
        assert_eq!(bots_only.value, None);
    }
}
