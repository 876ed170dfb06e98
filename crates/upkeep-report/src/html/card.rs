//! The health card of a page: the lifecycle verdict, then a tile per key
//! figure with its change against a year before and a sparkline of its
//! quarters. Layout only: every value comes from the report's card.

use upkeep_core::catalog::card::Tile;
use upkeep_core::catalog::shown;

/// A bar of a sparkline, in its 100 × 24 view box.
pub struct Bar {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
    /// The quarter and its value.
    pub tip: String,
}

/// A tile as drawn.
pub struct TileView {
    /// The metric id (its definition's anchor).
    pub metric: &'static str,
    /// The label.
    pub label: &'static str,
    /// The value in words.
    pub shown: String,
    /// The change against a year before: `▲ 25%`, `▼ 10%`, `= 0%`, `no
    /// comparison`, or nothing when there is no value.
    pub change: String,
    /// `good`, `bad` or `flat`: the change's colour.
    pub tone: &'static str,
    /// Whether there is a change to show (a value now and a year before).
    pub compared: bool,
    /// What the change is against, in words.
    pub before: String,
    /// The sparkline's bars, one per quarter with a value.
    pub bars: Vec<Bar>,
    /// The sparkline in words (its text alternative).
    pub alt: String,
}

/// The sparkline's view box.
pub const SPARK_WIDTH: f64 = 100.0;
/// The sparkline's view box height.
pub const SPARK_HEIGHT: f64 = 24.0;

/// The tiles of `card` as drawn.
pub fn tiles(card: &[Tile]) -> Vec<TileView> {
    card.iter().map(tile).collect()
}

/// A tile's change in words (`▲ 25%`, `▼ 10%`, `= 0%`, `no comparison`)
/// and its tone (`good`, `bad`, `flat`).
pub fn change(t: &Tile) -> (String, &'static str) {
    let tone = match t.good {
        Some(true) => "good",
        Some(false) => "bad",
        None => "flat",
    };
    match t.change_in_words() {
        Some(words) => (words, tone),
        None if t.value.is_some() => ("no comparison".to_owned(), "flat"),
        None => (String::new(), "flat"),
    }
}

/// One tile as drawn.
pub fn tile(t: &Tile) -> TileView {
    let (change, tone) = change(t);
    let before = match (t.year_before, t.value) {
        (Some(v), _) => format!("a year before: {}", shown(t.unit, Some(v))),
        (None, Some(_)) => "a year before: no value".to_owned(),
        (None, None) => String::new(),
    };
    let max = t
        .quarters
        .iter()
        .filter_map(|q| q.value)
        .fold(0.0, f64::max);
    let slot = SPARK_WIDTH / t.quarters.len().max(1) as f64;
    let bars = t
        .quarters
        .iter()
        .enumerate()
        .filter_map(|(i, q)| {
            let v = q.value?;
            let h = if max > 0.0 {
                (v / max * (SPARK_HEIGHT - 2.0)).max(1.0)
            } else {
                1.0
            };
            Some(Bar {
                x: i as f64 * slot + 1.0,
                y: SPARK_HEIGHT - h,
                w: (slot - 2.0).max(1.0),
                h,
                tip: format!("{}: {}", q.quarter, shown(t.unit, Some(v))),
            })
        })
        .collect();
    let alt = t
        .quarters
        .iter()
        .map(|q| match q.value {
            Some(v) => format!("{} {}", q.quarter, shown(t.unit, Some(v))),
            None => format!("{} none", q.quarter),
        })
        .collect::<Vec<_>>()
        .join(", ");
    TileView {
        metric: t.metric,
        label: t.label,
        shown: t.shown.clone(),
        compared: t.change.is_some(),
        change,
        tone,
        before,
        bars,
        alt: format!("{} by quarter: {alt}", t.label),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use upkeep_core::catalog::card::{Better, QuarterValue};

    #[test]
    fn a_tile_with_its_change_and_sparkline() {
        let t = Tile {
            metric: "first_response",
            label: "first response to non-maintainers (hours)",
            shown: "30".into(),
            unit: upkeep_core::catalog::Unit::Hours,
            value: Some(30.0),
            year_before: Some(20.0),
            change: Some(50.0),
            better: Better::Lower,
            good: Some(false),
            quarters: vec![
                QuarterValue {
                    quarter: "2026-Q1".into(),
                    value: Some(12.0),
                },
                QuarterValue {
                    quarter: "2026-Q2".into(),
                    value: None,
                },
                QuarterValue {
                    quarter: "2026-Q3".into(),
                    value: Some(6.0),
                },
                QuarterValue {
                    quarter: "2026-Q4".into(),
                    value: Some(0.0),
                },
            ],
        };
        let v = tile(&t);
        assert_eq!((v.change.as_str(), v.tone), ("▲ 50%", "bad"));
        // A base close to zero (two releases a second apart) says little.
        let huge = Tile {
            change: Some(637_332_050.0),
            ..t.clone()
        };
        assert_eq!(change(&huge).0, "▲ >999%");
        assert_eq!(v.before, "a year before: 20");
        // 25 units a quarter; the largest fills 22, half of it 11, zero a hairline.
        let bars: Vec<(f64, f64, f64)> = v.bars.iter().map(|b| (b.x, b.h, b.w)).collect();
        assert_eq!(
            bars,
            vec![(1.0, 22.0, 23.0), (51.0, 11.0, 23.0), (76.0, 1.0, 23.0)]
        );
        assert_eq!(
            v.alt,
            "first response to non-maintainers (hours) by quarter: 2026-Q1 12, 2026-Q2 none, 2026-Q3 6, 2026-Q4 0"
        );
    }
}
