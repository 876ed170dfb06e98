//! `/metrics`: each project's figures over the default window, in the
//! OpenMetrics text format Prometheus scrapes (`prometheus-client`). The
//! gauges are the metric catalog's (`upkeep_core::catalog`), one family per
//! gauge; a project that cannot be measured is `upkeep_project_up 0` and the
//! others are still exposed.

use crate::answers::{self, Failure};
use crate::state::State;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;
use std::sync::atomic::AtomicU64;
use upkeep_core::catalog::CATALOG;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ProjectLabel {
    project: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct BuildLabel {
    version: String,
}

type Gauges<L> = Family<L, Gauge<f64, AtomicU64>>;
/// Labels of a catalog gauge: `project` first, then the gauge's own.
type Labels = Vec<(&'static str, String)>;

/// The exposition of every project's figures.
pub(crate) fn exposition(state: &State) -> Result<String, Failure> {
    let mut registry = Registry::default();
    let families: Vec<Gauges<Labels>> = CATALOG
        .iter()
        .flat_map(|e| e.gauges)
        .map(|g| {
            let family = Gauges::<Labels>::default();
            registry.register(g.name, g.help, family.clone());
            family
        })
        .collect();
    let up = Gauges::<ProjectLabel>::default();
    registry.register(
        "upkeep_project_up",
        "Whether the project could be measured (1) or not (0)",
        up.clone(),
    );
    let mined = Gauges::<ProjectLabel>::default();
    registry.register(
        "upkeep_last_mined_timestamp_seconds",
        "When the project's data was last mined",
        mined.clone(),
    );
    let build = Gauges::<BuildLabel>::default();
    registry.register(
        "upkeep_build_info",
        "The upkeep build serving",
        build.clone(),
    );
    build
        .get_or_create(&BuildLabel {
            version: env!("CARGO_PKG_VERSION").to_owned(),
        })
        .set(1.0);
    let window = answers::window(None, None)?;
    for p in &state.projects {
        let label = ProjectLabel {
            project: p.name.clone(),
        };
        let Ok(report) = answers::report(state, &p.name, window) else {
            up.get_or_create(&label).set(0.0);
            continue;
        };
        up.get_or_create(&label).set(1.0);
        let gauges = CATALOG.iter().flat_map(|e| e.gauges);
        for (gauge, family) in gauges.zip(&families) {
            for (labels, value) in (gauge.samples)(&report) {
                let mut all: Labels = vec![("project", p.name.clone())];
                all.extend(labels);
                family.get_or_create(&all).set(value);
            }
        }
        let last_mined = report
            .repositories
            .iter()
            .filter_map(|r| r.mined_at.as_deref()?.parse::<jiff::Timestamp>().ok())
            .map(|t| t.as_second())
            .max();
        if let Some(t) = last_mined {
            mined.get_or_create(&label).set(t as f64);
        }
    }
    let mut out = String::new();
    encode(&mut out, &registry).map_err(|e| Failure::Internal(e.to_string()))?;
    Ok(out)
}
