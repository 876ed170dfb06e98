//! The health card: the key figures of a report as tiles, each with its
//! value, its change against the same window a year before (and whether that
//! change is good for the metric), and its value quarter by quarter for a
//! sparkline. Values come from the catalog's headline lines, so a tile shows
//! exactly what the headline shows.

use super::{HeadlineLine, Unit, headline};
use crate::metrics::report::Metrics;
use serde::Serialize;

/// Which way a metric is better.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Better {
    /// More is healthier (more maintainers).
    Higher,
    /// Less is healthier (fewer hours to a first response).
    Lower,
}

/// A tile: the headline line it shows (metric id and label) and which way is better.
pub struct TileSpec {
    /// The metric id.
    pub metric: &'static str,
    /// The headline line's label.
    pub label: &'static str,
    /// A short label, for a column of the index.
    pub short: &'static str,
    /// Which way is better.
    pub better: Better,
}

/// The tiles of the card, in order.
pub static TILES: &[TileSpec] = &[
    TileSpec {
        metric: "bus_factor",
        label: "bus factor",
        short: "bus factor",
        better: Better::Higher,
    },
    TileSpec {
        metric: "elephant_factor",
        label: "elephant factor",
        short: "elephant factor",
        better: Better::Higher,
    },
    TileSpec {
        metric: "contributors",
        label: "active contributors",
        short: "contributors",
        better: Better::Higher,
    },
    TileSpec {
        metric: "maintainers",
        label: "maintainers",
        short: "maintainers",
        better: Better::Higher,
    },
    TileSpec {
        metric: "funnel",
        label: "first-timers who came back",
        short: "came back",
        better: Better::Higher,
    },
    TileSpec {
        metric: "first_response",
        label: "first response to non-maintainers (hours)",
        short: "first response (h)",
        better: Better::Lower,
    },
    TileSpec {
        metric: "non_maintainer_prs",
        label: "non-maintainer pull requests answered",
        short: "outside PRs answered",
        better: Better::Higher,
    },
    TileSpec {
        metric: "issue_triage",
        label: "issue triage (hours)",
        short: "triage (h)",
        better: Better::Lower,
    },
    TileSpec {
        metric: "releases",
        label: "release cadence (days)",
        short: "release cadence (d)",
        better: Better::Lower,
    },
    TileSpec {
        metric: "maintainer_load",
        label: "incoming work per active maintainer a month",
        short: "load per maintainer",
        better: Better::Lower,
    },
];

/// A value of one quarter.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QuarterValue {
    /// `2026-Q3`.
    pub quarter: String,
    /// The metric over that quarter (`null`: none).
    pub value: Option<f64>,
}

/// One tile as shown.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Tile {
    /// The metric id (its definition's anchor).
    pub metric: &'static str,
    /// The label.
    pub label: &'static str,
    /// The value in words, as the headline shows it.
    pub shown: String,
    /// What the value counts or measures (a share is 0–1).
    pub unit: Unit,
    /// The value over the window.
    pub value: Option<f64>,
    /// The value over the same window a year before.
    pub year_before: Option<f64>,
    /// The change against a year before, in percent (`null`: no value then,
    /// or none now, or zero then).
    pub change: Option<f64>,
    /// Which way is better for this metric.
    pub better: Better,
    /// Whether the change is good (`null`: no change, or none known).
    pub good: Option<bool>,
    /// The metric over each of the last quarters, oldest first.
    pub quarters: Vec<QuarterValue>,
}

/// The metrics a card compares: the window's, the same window a year
/// before, and each of the last quarters.
pub struct Trend<'a> {
    /// Over the window.
    pub now: &'a Metrics,
    /// Over the window a year before.
    pub year_before: &'a Metrics,
    /// Over each of the last quarters (label, metrics), oldest first.
    pub quarters: &'a [(String, Metrics)],
}

impl Tile {
    /// Its change in words: `▲ 25%`, `▼ 10%`, `= 0%` (a change above 999%,
    /// on a base close to zero, as `>999%`; the JSON keeps it exact), or
    /// `None` when there is nothing to compare.
    pub fn change_in_words(&self) -> Option<String> {
        let c = self.change?;
        let size = match c.abs() > 999.0 {
            true => ">999".to_owned(),
            false => format!("{:.0}", c.abs().round()),
        };
        Some(match c {
            0.0 => "= 0%".to_owned(),
            c if c > 0.0 => format!("▲ {size}%"),
            _ => format!("▼ {size}%"),
        })
    }
}

/// The change from `before` to `now` in percent, when both are known and
/// `before` is not zero.
pub fn change(before: Option<f64>, now: Option<f64>) -> Option<f64> {
    match (before, now) {
        (Some(b), Some(n)) if b != 0.0 => Some((n - b) / b.abs() * 100.0),
        _ => None,
    }
}

/// The tiles of [`TILES`] over `trend`.
pub fn tiles(trend: &Trend<'_>) -> Vec<Tile> {
    let find = |lines: &[HeadlineLine], spec: &TileSpec| {
        lines
            .iter()
            .find(|l| l.id == spec.metric && l.label == spec.label)
            .cloned()
    };
    let now = headline(trend.now);
    let before = headline(trend.year_before);
    let quarters: Vec<(&str, Vec<HeadlineLine>)> = trend
        .quarters
        .iter()
        .map(|(label, m)| (label.as_str(), headline(m)))
        .collect();
    TILES
        .iter()
        .filter_map(|spec| {
            let line = find(&now, spec)?;
            let year_before = find(&before, spec).and_then(|l| l.value);
            let change = change(year_before, line.value);
            Some(Tile {
                metric: spec.metric,
                label: spec.label,
                shown: line.shown,
                unit: line.unit,
                value: line.value,
                year_before,
                change,
                better: spec.better,
                good: change.filter(|c| *c != 0.0).map(|c| match spec.better {
                    Better::Higher => c > 0.0,
                    Better::Lower => c < 0.0,
                }),
                quarters: quarters
                    .iter()
                    .map(|(label, lines)| QuarterValue {
                        quarter: (*label).to_owned(),
                        value: find(lines, spec).and_then(|l| l.value),
                    })
                    .collect(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tile_names_a_headline_line() {
        let lines = headline(&super::super::tables::empty_metrics());
        for spec in TILES {
            assert!(
                lines
                    .iter()
                    .any(|l| l.id == spec.metric && l.label == spec.label),
                "{} {}",
                spec.metric,
                spec.label
            );
        }
    }

    #[test]
    fn a_rise_is_good_or_bad_by_the_metric() {
        let empty = super::super::tables::empty_metrics;
        let (mut now, mut before) = (empty(), empty());
        now.bus_factor.value = Some(3.0);
        before.bus_factor.value = Some(2.0);
        now.first_response.value = Some(30.0);
        before.first_response.value = Some(20.0);
        now.maintainers.value = Some(4.0);
        before.maintainers.value = Some(4.0);
        let mut q1 = empty();
        q1.bus_factor.value = Some(1.0);
        let quarters = vec![("2026-Q1".to_owned(), q1), ("2026-Q2".to_owned(), empty())];
        let tiles = tiles(&Trend {
            now: &now,
            year_before: &before,
            quarters: &quarters,
        });
        let tile = |m: &str| tiles.iter().find(|t| t.metric == m).expect("a tile");
        let bus = tile("bus_factor");
        assert_eq!((bus.change, bus.good), (Some(50.0), Some(true)));
        assert_eq!(bus.shown, "3");
        assert_eq!(
            bus.quarters,
            vec![
                QuarterValue {
                    quarter: "2026-Q1".into(),
                    value: Some(1.0)
                },
                QuarterValue {
                    quarter: "2026-Q2".into(),
                    value: None
                },
            ]
        );
        // Hours to a first response rose by half: worse.
        let response = tile("first_response");
        assert_eq!((response.change, response.good), (Some(50.0), Some(false)));
        // No change is neither.
        let maintainers = tile("maintainers");
        assert_eq!((maintainers.change, maintainers.good), (Some(0.0), None));
        assert_eq!(tiles.len(), TILES.len());
    }

    #[test]
    fn changes_in_percent_only_against_a_known_nonzero_value() {
        assert_eq!(change(Some(4.0), Some(5.0)), Some(25.0));
        assert_eq!(change(Some(4.0), Some(3.0)), Some(-25.0));
        assert_eq!(change(Some(0.0), Some(3.0)), None);
        assert_eq!(change(None, Some(3.0)), None);
        assert_eq!(change(Some(2.0), None), None);
    }
}
