//! Projects side by side (`upkeep report A B C --compare`): each project's
//! headline, health card and flags over the same window, and the table that
//! lines them up — one row per headline figure, one column per project.

use super::{Report, WindowDates};
use crate::catalog::card::Tile;
use crate::catalog::{HeadlineLine, headline};
use crate::metrics::report::Flag;
use serde::Serialize;

/// One project of a comparison.
#[derive(Clone, Debug, Serialize)]
pub struct Compared {
    /// Its name (the `[[projects]]` name, or the repository's).
    pub name: String,
    /// Its repositories' locations.
    pub repositories: Vec<String>,
    /// Every headline figure, in catalog order.
    pub headline: Vec<HeadlineLine>,
    /// Its health card.
    pub card: Vec<Tile>,
    /// Its flags.
    pub flags: Vec<Flag>,
}

/// Projects side by side, exactly as `report --compare --format json` prints it.
#[derive(Clone, Debug, Serialize)]
pub struct Comparison {
    /// The window, the same for every project.
    pub window: WindowDates,
    /// When the comparison was made (RFC 3339).
    pub generated_at: String,
    /// The projects, in the order they were named.
    pub projects: Vec<Compared>,
    /// Every metric's id and rule.
    pub definitions: Vec<(&'static str, &'static str)>,
}

/// A row of the side-by-side table.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// The metric id (its definition).
    pub id: &'static str,
    /// The headline line's label.
    pub label: &'static str,
    /// Each project's value in words, with its change against a year before
    /// when the card has one (`3 (▲ 50%)`).
    pub values: Vec<String>,
}

impl Comparison {
    /// The comparison of `reports` (name, report), all over the same window.
    pub fn new(reports: Vec<(String, Report)>, generated_at: String) -> Self {
        let window = reports.first().map_or_else(
            || WindowDates {
                since: String::new(),
                until: String::new(),
            },
            |(_, r)| r.window.clone(),
        );
        let definitions = reports
            .first()
            .map(|(_, r)| crate::catalog::definitions(&r.metrics))
            .unwrap_or_default();
        Comparison {
            window,
            generated_at,
            definitions,
            projects: reports
                .into_iter()
                .map(|(name, r)| Compared {
                    name,
                    repositories: r.repositories.iter().map(|x| x.location.clone()).collect(),
                    headline: headline(&r.metrics),
                    card: r.card,
                    flags: r.flags,
                })
                .collect(),
        }
    }

    /// One row per headline figure, one value per project.
    pub fn rows(&self) -> Vec<Row> {
        let Some(first) = self.projects.first() else {
            return Vec::new();
        };
        first
            .headline
            .iter()
            .enumerate()
            .map(|(i, line)| Row {
                id: line.id,
                label: line.label,
                values: self
                    .projects
                    .iter()
                    .map(|p| {
                        let shown = p.headline.get(i).map_or("—", |l| l.shown.as_str());
                        let change = p
                            .card
                            .iter()
                            .find(|t| t.metric == line.id && t.label == line.label)
                            .filter(|t| t.change.is_some_and(|c| c != 0.0))
                            .and_then(Tile::change_in_words);
                        match change {
                            Some(change) => format!("{shown} ({change})"),
                            None => shown.to_owned(),
                        }
                    })
                    .collect(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::card::Better;

    fn compared(name: &str, bus: Option<f64>, change: Option<f64>) -> Compared {
        let mut m = crate::catalog::tables::empty_metrics();
        m.bus_factor.value = bus;
        Compared {
            name: name.into(),
            repositories: Vec::new(),
            headline: headline(&m),
            card: vec![Tile {
                metric: "bus_factor",
                label: "bus factor",
                shown: String::new(),
                unit: crate::catalog::Unit::People,
                value: bus,
                year_before: None,
                change,
                better: Better::Higher,
                good: None,
                quarters: Vec::new(),
            }],
            flags: Vec::new(),
        }
    }

    #[test]
    fn a_row_per_figure_a_column_per_project() {
        let c = Comparison {
            window: WindowDates {
                since: "2025-01-01".into(),
                until: "2026-01-01".into(),
            },
            generated_at: String::new(),
            definitions: Vec::new(),
            projects: vec![
                compared("a", Some(3.0), Some(50.0)),
                compared("b", Some(1.0), Some(-50.0)),
                compared("c", None, None),
            ],
        };
        let rows = c.rows();
        assert_eq!(
            rows.len(),
            headline(&crate::catalog::tables::empty_metrics()).len()
        );
        assert_eq!(
            rows[0],
            Row {
                id: "bus_factor",
                label: "bus factor",
                values: vec!["3 (▲ 50%)".into(), "1 (▼ 50%)".into(), "—".into()],
            }
        );
    }
}
