//! Organizational concentration: each organization's share of commits,
//! maintainers, merges and releases in the window `[since, until)`, over the
//! items whose organization is known (the known share is given beside). A
//! flag is raised when one organization holds more than half of any of them,
//! where at least half of that dimension is of known organization (a majority
//! of a small known part proves nothing).

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

/// Whether enough of the window's commits have a known organization to
/// say anything about organizations: at least half.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Confidence {
    /// Share of commits whose organization is known, 0–1.
    pub known_share: f64,
    /// Whether that is at least half.
    pub enough: bool,
    /// What every output says instead of a bare number when it is not.
    pub note: Option<String>,
}

impl Confidence {
    /// The confidence of `known` commits of known organization among `total`.
    pub fn of(known: u64, total: u64) -> Self {
        let known_share = if total == 0 {
            0.0
        } else {
            known as f64 / total as f64
        };
        let enough = total > 0 && 2 * known >= total;
        Confidence {
            known_share,
            enough,
            note: (!enough && total > 0).then(|| {
                format!(
                    "not enough known ({}% of commits affiliated)",
                    (known_share * 100.0).round()
                )
            }),
        }
    }
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
    /// Where one organization holds more than half: (dimension, organization, share of known).
    pub dominant: Vec<(&'static str, String, f64)>,
    /// How much of the window's commits has a known organization.
    pub confidence: Confidence,
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
/// the largest share (0–1) any organization holds of any dimension that is
/// mostly of known organization.
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
            .filter(|_| d.known_share >= 0.5)
            .map(|(org, _, share)| (org.clone(), *share))
    };
    let tops: Vec<(&'static str, String, f64)> = [
        ("commits", &commits),
        ("maintainers", &maintainers),
        ("merges", &merges),
        ("releases", &releases),
    ]
    .into_iter()
    .filter_map(|(dim, d)| top(d).map(|(org, share)| (dim, org, share)))
    .collect();
    let leader = tops
        .iter()
        .map(|(_, _, share)| *share)
        .max_by(f64::total_cmp);
    let dominant: Vec<(&'static str, String, f64)> = tops
        .into_iter()
        .filter(|(_, _, share)| *share > 0.5)
        .collect();
    Metric {
        value: leader,
        reason: leader.is_none().then(|| {
            "no dimension has at least half of its items of known organization".to_owned()
        }),
        details: Details {
            confidence: Confidence::of(
                commits.shares.iter().map(|(_, n, _)| n).sum(),
                commits.total,
            ),
            commits,
            maintainers,
            merges,
            releases,
            dominant,
        },
        definition: Definition::over(
            "each organization's share of commits, maintainers, merges and releases, of those whose organization is known; flag above half of any of them where at least half is known",
            window,
            false,
        )
        .with("flag_above", serde_json::json!(0.5)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: Window = Window { since: 0, until: 1 };

    #[test]
    fn dominant_organizations_per_dimension() {
        // Merges: ACME 3, Initech 1, unknown 1 → ACME 3/4 known = 75% > 50%, 80% known.
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
        let m = compute(empty.clone(), maintainers, merges, empty, W);
        assert_eq!(m.value, Some(0.75));
        assert_eq!(
            m.details.dominant,
            vec![("merges", "ACME".to_owned(), 0.75)]
        );
        // Half exactly is not more than half.
        let even = dimension([Some("A"), Some("B")].into_iter());
        let m = compute(
            dimension(std::iter::empty()),
            even.clone(),
            even,
            dimension(std::iter::empty()),
            W,
        );
        assert_eq!((m.value, m.details.dominant.len()), (Some(0.5), 0));
        // One known merge of ten: 100% of the known part, but too little is known to say.
        let thin = dimension(
            [
                Some("A"),
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
            ]
            .into_iter(),
        );
        let none = dimension(std::iter::empty());
        let m = compute(none.clone(), none.clone(), thin, none, W);
        assert_eq!((m.value, m.details.dominant.len()), (None, 0));
        // Releases count too.
        let releases = dimension([Some("Initech"), Some("Initech"), Some("ACME")].into_iter());
        let none = dimension(std::iter::empty());
        let m = compute(none.clone(), none.clone(), none, releases, W);
        assert_eq!(m.details.dominant[0].0, "releases");
    }
}
