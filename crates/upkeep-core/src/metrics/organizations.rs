//! Organizational concentration: each organization's share of commits,
//! maintainers, merges and releases in the window `[since, until)`, over the
//! items whose organization is known (the known share is given beside). A
//! flag is raised when one organization holds more than half of the
//! maintainers or of the merges, where at least half of them are of known
//! organization (a majority of a small known part proves nothing).

use super::{Definition, Metric, Window, ranked};
use serde::Serialize;

/// One dimension: shares of known items.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Dimension {
    /// Items counted.
    pub total: u64,
    /// Share of items whose organization is known, 0–1.
    pub known_share: f64,
    /// `[organization, items, share of known]`, most first.
    pub shares: Vec<(String, u64, f64)>,
}

/// Every dimension.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Details {
    /// Non-merge commits authored.
    pub commits: Dimension,
    /// Maintainers at the end of the window.
    pub maintainers: Dimension,
    /// Merge commits and commits of others' work landed.
    pub merges: Dimension,
    /// Releases.
    pub releases: Dimension,
    /// The organization holding more than half of maintainers or merges, if one does.
    pub dominant: Option<String>,
}

/// Builds one dimension from the organizations of its items.
pub fn dimension<'a>(items: impl Iterator<Item = Option<&'a str>>) -> Dimension {
    let items: Vec<Option<&str>> = items.collect();
    let shares = ranked(items.iter().flatten().copied());
    let known: u64 = shares.iter().map(|(_, n)| n).sum();
    Dimension {
        total: items.len() as u64,
        known_share: if items.is_empty() {
            0.0
        } else {
            known as f64 / items.len() as f64
        },
        shares: shares
            .into_iter()
            .map(|(org, n)| (org, n, n as f64 / known as f64))
            .collect(),
    }
}

/// Computes the concentration from the four dimensions; the headline value is
/// the largest share (0–1) any organization holds of maintainers or merges.
pub fn compute(
    commits: Dimension,
    maintainers: Dimension,
    merges: Dimension,
    releases: Dimension,
    window: Window,
) -> Metric<Details> {
    let top = |d: &Dimension| {
        d.shares
            .first()
            .map(|(org, _, share)| (org.clone(), *share))
    };
    let leader = [top(&maintainers), top(&merges)]
        .into_iter()
        .flatten()
        .max_by(|a, b| a.1.total_cmp(&b.1).then_with(|| b.0.cmp(&a.0)));
    let dominant = leader
        .as_ref()
        .filter(|(_, share)| *share > 0.5)
        .map(|(org, _)| org.clone());
    Metric {
        value: leader.as_ref().map(|(_, share)| *share),
        reason: leader.is_none().then(|| {
            "fewer than half of the maintainers and of the merges are of known organization"
                .to_owned()
        }),
        details: Details {
            commits,
            maintainers,
            merges,
            releases,
            dominant,
        },
        definition: Definition {
            rule: "each organization's share of commits, maintainers, merges and releases, of those whose organization is known; flag above half of maintainers or merges",
            parameters: [
                ("flag_above", serde_json::json!(0.5)),
                ("since", serde_json::json!(window.since)),
                ("until", serde_json::json!(window.until)),
            ]
            .into_iter()
            .collect(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dominant_organization_of_merges() {
        // Merges: ACME 3, Initech 1, unknown 1 → ACME 3/4 known = 75% > 50%.
        let merges = dimension(
            [
                Some("ACME"),
                Some("ACME"),
                Some("ACME"),
                Some("Initech"),
                None,
            ]
            .into_iter(),
        );
        assert_eq!(merges.known_share, 0.8);
        let maintainers = dimension([Some("ACME"), Some("Initech")].into_iter());
        let empty = dimension(std::iter::empty());
        let m = compute(
            empty.clone(),
            maintainers,
            merges,
            empty,
            Window { since: 0, until: 1 },
        );
        assert_eq!(m.value, Some(0.75));
        assert_eq!(m.details.dominant.as_deref(), Some("ACME"));
        // Half exactly is not more than half.
        let even = dimension([Some("A"), Some("B")].into_iter());
        let m = compute(
            dimension(std::iter::empty()),
            even.clone(),
            even,
            dimension(std::iter::empty()),
            Window { since: 0, until: 1 },
        );
        assert_eq!((m.value, m.details.dominant), (Some(0.5), None));
    }
}
