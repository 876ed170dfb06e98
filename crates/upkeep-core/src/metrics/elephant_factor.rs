//! Elephant factor: the smallest number of organizations whose contributions
//! add up to at least 50% of the contributions in the window `[since, until)`
//! whose organization is known. Contributions of unknown affiliation are left
//! out of the count; the share of contributions whose affiliation is known is
//! reported beside the value. Bots are left out unless asked for.

use super::bus_factor::{Share, THRESHOLD, top_shares};
use super::{Contribution, Definition, Metric, Window, counted, cover, ranked};
use serde::Serialize;

/// Which organizations make up the elephant factor.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Details {
    /// Contributions counted (known and unknown).
    pub contributions: u64,
    /// Share of contributions whose organization is known, 0–1.
    pub known_share: f64,
    /// The organizations making up the value; shares are of known contributions.
    pub organizations: Vec<Share>,
    /// Whether enough is known to say: at least half of the commits affiliated.
    pub confidence: super::organizations::Confidence,
}

/// Computes the elephant factor over `contributions` in `window`.
pub fn compute(
    contributions: &[Contribution],
    window: Window,
    include_bots: bool,
) -> Metric<Details> {
    let counted = counted(contributions, window, include_bots);
    let orgs = ranked(counted.iter().filter_map(|c| c.organization.as_deref()));
    let known: u64 = orgs.iter().map(|(_, n)| n).sum();
    let total = counted.len() as u64;
    let n = cover(&orgs, THRESHOLD);
    let reason = if total == 0 {
        Some("no contributions in the window".to_owned())
    } else if known == 0 {
        Some("no contribution in the window has a known organization".to_owned())
    } else {
        None
    };
    Metric {
        value: reason.is_none().then_some(n as f64),
        reason,
        details: Details {
            contributions: total,
            known_share: if total == 0 {
                0.0
            } else {
                known as f64 / total as f64
            },
            organizations: top_shares(&orgs, n, known),
            confidence: super::organizations::Confidence::of(known, total),
        },
        definition: Definition::over(
            "the smallest number of organizations whose contributions add up to at least 50% of the contributions of known affiliation in the window",
            window,
            include_bots,
        )
        .with("threshold", serde_json::json!(THRESHOLD))
        .with("unknown_affiliation", serde_json::json!("left out of the count")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commit(person: &str, org: Option<&str>, time: i64) -> Contribution {
        Contribution {
            person: person.into(),
            organization: org.map(str::to_owned),
            time,
            offset_minutes: 0,
            bot: false,
        }
    }

    const ALL: Window = Window {
        since: 0,
        until: 1000,
    };

    #[test]
    fn unknown_is_left_out_and_its_share_shown() {
        // ACME 3, Initech 2, Globex 1 known (6 of 10); 4 unknown. ACME 3/6 = 50% → value 1.
        let mut c = Vec::new();
        for (org, n) in [
            (Some("ACME"), 3),
            (Some("Initech"), 2),
            (Some("Globex"), 1),
            (None, 4),
        ] {
            c.extend((0..n).map(|i| commit("p", org, i)));
        }
        let m = compute(&c, ALL, false);
        assert_eq!(m.value, Some(1.0));
        assert_eq!(m.details.known_share, 0.6);
        assert_eq!(m.details.organizations[0].share, 0.5);
    }

    #[test]
    fn all_unknown_is_null_with_a_reason() {
        let m = compute(&[commit("p", None, 1)], ALL, false);
        assert_eq!(m.value, None);
        assert_eq!(
            m.reason.as_deref(),
            Some("no contribution in the window has a known organization")
        );
        assert_eq!(m.details.known_share, 0.0);
    }
}
