//! The metric catalog: every metric of the report declared once — its id (as
//! in the JSON contract), title, headline lines (label, unit, value, note),
//! the tables and charts that show it, its badge and its Prometheus gauges.
//! The terminal, Markdown, CSV and HTML renderers, the JSON `definitions`,
//! the badges, the publish index and `/metrics` all walk [`CATALOG`]; adding
//! a metric is a field in [`Metrics`], an entry here, and (if it has one) its
//! table in [`tables`].
//!
//! The order of [`CATALOG`] is the order of the JSON contract's `metrics`.

pub mod card;
mod entries;
mod format;
mod stakeholder_tables;
pub mod tables;

use crate::documents::Report;
use crate::metrics::Definition;
use crate::metrics::report::Metrics;
pub use entries::CATALOG;
pub use format::{number, pct};
use serde::Serialize;

/// What a headline value counts or measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// People.
    People,
    /// Organizations.
    Organizations,
    /// Days.
    Days,
    /// Hours.
    Hours,
    /// A share from 0 to 1, shown as a percentage.
    Share,
    /// A change in percent.
    Percent,
    /// Hours of the day.
    HoursOfDay,
    /// Engineer-months of effort.
    EngineerMonths,
    /// A lifecycle state (the value is its position in `lifecycle::State::ALL`).
    State,
    /// A count of things (stars, downloads).
    Count,
}

/// One line of the headline.
#[derive(Clone, Copy)]
pub struct HeadlineSpec {
    /// Its label (`bus factor`).
    pub label: &'static str,
    /// Its unit.
    pub unit: Unit,
    /// Its value; `None` when it cannot be computed.
    pub value: fn(&Metrics) -> Option<f64>,
    /// The note beside it: why there is no value, or what the value is made of.
    pub note: fn(&Metrics) -> String,
}

/// How good a badge's value is, for its colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    /// A single point of failure.
    Danger,
    /// Close to one, or overdue.
    Warning,
    /// Healthy.
    Good,
    /// Neither good nor bad: a count.
    Neutral,
    /// Unknown.
    Unknown,
}

/// A badge (`/badge/NAME.svg`, `badges/NAME.svg`).
#[derive(Clone, Copy)]
pub struct BadgeSpec {
    /// Its file stem and URL name (`bus-factor`).
    pub name: &'static str,
    /// Its left text, also the publish index's column.
    pub label: &'static str,
    /// Its right text (untrusted text in it is escaped by the renderer).
    pub message: fn(&Metrics) -> String,
    /// How good the value is.
    pub tone: fn(&Metrics) -> Tone,
}

/// One sample of a gauge: its labels besides `project`, and its value.
pub type Sample = (Vec<(&'static str, String)>, f64);

/// A Prometheus gauge of `/metrics`, one family per gauge.
#[derive(Clone, Copy)]
pub struct GaugeSpec {
    /// Its name (`upkeep_bus_factor`).
    pub name: &'static str,
    /// Its help text.
    pub help: &'static str,
    /// Its samples for one project's report (none when unknown).
    pub samples: fn(&Report) -> Vec<Sample>,
}

/// A metric's value, the reason it has none, and its definition.
pub struct View<'a> {
    /// The headline number; `None` when it cannot be computed.
    pub value: Option<f64>,
    /// The value in words, for a metric whose value is a name (a state).
    pub text: Option<&'a str>,
    /// Why there is no value.
    pub reason: Option<&'a str>,
    /// How it was computed.
    pub definition: &'a Definition,
}

/// A metric, declared once.
pub struct Entry {
    /// Its id: the key under `metrics` in the JSON contract, and its CSV row.
    pub id: &'static str,
    /// Its name in prose (`Bus factor`).
    pub title: &'static str,
    /// Its lines in the headline (none, one or more).
    pub headline: &'static [HeadlineSpec],
    /// The titles of the tables that show its details (see [`tables`]).
    pub tables: &'static [&'static str],
    /// The ids of the charts of the HTML page that draw it.
    pub charts: &'static [&'static str],
    /// Its badge, if it has one.
    pub badge: Option<BadgeSpec>,
    /// Its Prometheus gauges.
    pub gauges: &'static [GaugeSpec],
    /// Its value, reason and definition in a report's metrics.
    pub view: for<'a> fn(&'a Metrics) -> View<'a>,
}

impl Entry {
    /// The entry of `id`.
    pub fn get(id: &str) -> Option<&'static Entry> {
        CATALOG.iter().find(|e| e.id == id)
    }
}

/// A headline line as shown: metric id, label, value in words, note.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HeadlineLine {
    /// The metric id it belongs to.
    pub id: &'static str,
    /// Its label.
    pub label: &'static str,
    /// Its unit.
    pub unit: Unit,
    /// Its value; `None` when unknown.
    pub value: Option<f64>,
    /// The value as shown (`—` when unknown, percentages for shares).
    pub shown: String,
    /// The note beside it.
    pub note: String,
}

/// A value of `unit` as the headline shows it: `—` when unknown, a share as
/// a percentage, a state by its name, anything else as [`number`].
pub fn shown(unit: Unit, value: Option<f64>) -> String {
    match unit {
        Unit::Share => value.map_or_else(|| "—".to_owned(), pct),
        Unit::State => value
            .and_then(crate::metrics::lifecycle::State::from_ordinal)
            .map_or_else(|| "—".to_owned(), |s| s.name().to_owned()),
        _ => number(value),
    }
}

/// Every headline line of `metrics`, in catalog order.
pub fn headline(metrics: &Metrics) -> Vec<HeadlineLine> {
    CATALOG
        .iter()
        .flat_map(|e| e.headline.iter().map(move |h| (e.id, h)))
        .map(|(id, h)| {
            let value = (h.value)(metrics);
            // A value that says little (too little is known) is shown as that.
            let withheld = Entry::get(id)
                .and_then(|e| (e.view)(metrics).text)
                .filter(|_| h.unit != Unit::State);
            HeadlineLine {
                id,
                label: h.label,
                unit: h.unit,
                value,
                shown: match withheld {
                    Some(text) => text.to_owned(),
                    None => shown(h.unit, value),
                },
                note: (h.note)(metrics),
            }
        })
        .collect()
}

/// Every metric's id and rule, in catalog order.
pub fn definitions(metrics: &Metrics) -> Vec<(&'static str, &'static str)> {
    CATALOG
        .iter()
        .map(|e| (e.id, (e.view)(metrics).definition.rule))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn ids_badges_gauges_and_tables_are_unique() {
        let unique = |items: Vec<&str>| {
            let n = items.len();
            items.into_iter().collect::<BTreeSet<_>>().len() == n
        };
        assert!(unique(CATALOG.iter().map(|e| e.id).collect()));
        assert!(unique(
            CATALOG
                .iter()
                .filter_map(|e| e.badge)
                .map(|b| b.name)
                .collect()
        ));
        assert!(unique(
            CATALOG
                .iter()
                .flat_map(|e| e.gauges)
                .map(|g| g.name)
                .collect()
        ));
        assert!(unique(
            CATALOG
                .iter()
                .flat_map(|e| e.tables.iter().copied())
                .collect()
        ));
        assert!(unique(
            CATALOG
                .iter()
                .flat_map(|e| e.charts.iter().copied())
                .collect()
        ));
        assert!(Entry::get("bus_factor").is_some() && Entry::get("nope").is_none());
    }

    #[test]
    fn every_metric_of_the_json_contract_is_in_the_catalog() {
        // The keys `Metrics` serializes against the catalog's ids.
        let metrics = tables::empty_metrics();
        let json = serde_json::to_value(&metrics).expect("json");
        let keys: Vec<&str> = json
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        let ids: Vec<&str> = CATALOG.iter().map(|e| e.id).collect();
        assert_eq!(
            keys.iter().copied().collect::<BTreeSet<_>>(),
            ids.iter().copied().collect::<BTreeSet<_>>()
        );
        assert_eq!(keys.len(), ids.len());
        // Each entry's view reads its own metric: the definition's rule matches the JSON's.
        for e in CATALOG {
            assert_eq!(
                json[e.id]["definition"]["rule"].as_str(),
                Some((e.view)(&metrics).definition.rule),
                "{}",
                e.id
            );
        }
    }
}
