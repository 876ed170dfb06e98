//! `/metrics`: each project's headline numbers over the default window, in
//! the OpenMetrics text format Prometheus scrapes (`prometheus-client`).

use crate::answers::{self, Failure};
use crate::state::State;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;
use std::sync::atomic::AtomicU64;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ProjectLabel {
    project: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ResponseLabel {
    project: String,
    kind: String,
    quantile: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct BuildLabel {
    version: String,
}

type Gauges<L> = Family<L, Gauge<f64, AtomicU64>>;

/// The exposition of every project's figures.
pub(crate) fn exposition(state: &State) -> Result<String, Failure> {
    let mut registry = Registry::default();
    let gauge = |registry: &mut Registry, name: &str, help: &str| {
        let family = Gauges::<ProjectLabel>::default();
        registry.register(name, help, family.clone());
        family
    };
    let bus = gauge(
        &mut registry,
        "upkeep_bus_factor",
        "Bus factor over the last 365 days",
    );
    let truck = gauge(
        &mut registry,
        "upkeep_truck_factor",
        "Truck factor at the window's end",
    );
    let elephant = gauge(
        &mut registry,
        "upkeep_elephant_factor",
        "Elephant factor over the last 365 days",
    );
    let maintainers = gauge(
        &mut registry,
        "upkeep_maintainers",
        "Maintainers at the window's end",
    );
    let active = gauge(
        &mut registry,
        "upkeep_contributors_active",
        "Contributors active in the window",
    );
    let released = gauge(
        &mut registry,
        "upkeep_last_release_timestamp_seconds",
        "When the last release in the window was made",
    );
    let mined = gauge(
        &mut registry,
        "upkeep_last_mined_timestamp_seconds",
        "When the project's data was last mined",
    );
    let response = Gauges::<ResponseLabel>::default();
    registry.register(
        "upkeep_first_response_seconds",
        "Time to first response to non-bot authors, by item kind and quantile",
        response.clone(),
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
        let report = answers::report(state, &p.name, window)?;
        let m = &report.metrics;
        let label = ProjectLabel {
            project: p.name.clone(),
        };
        let set = |family: &Gauges<ProjectLabel>, v: Option<f64>| {
            if let Some(v) = v {
                family.get_or_create(&label).set(v);
            }
        };
        set(&bus, m.bus_factor.value);
        set(&truck, m.truck_factor.value);
        set(&elephant, m.elephant_factor.value);
        set(&maintainers, m.maintainers.value);
        set(&active, m.contributors.value);
        set(
            &released,
            report.series.releases.last().map(|r| r.time as f64),
        );
        let last_mined = report
            .repositories
            .iter()
            .filter_map(|r| r.mined_at.as_deref()?.parse::<jiff::Timestamp>().ok())
            .map(|t| t.as_second())
            .max();
        set(&mined, last_mined.map(|t| t as f64));
        let fr = &m.first_response.details;
        for (kind, split) in [("issue", &fr.issues), ("pull_request", &fr.pull_requests)] {
            for (q, hours) in [
                ("0.5", split.all.answered.median_hours),
                ("0.9", split.all.answered.p90_hours),
            ] {
                if let Some(h) = hours {
                    response
                        .get_or_create(&ResponseLabel {
                            project: p.name.clone(),
                            kind: kind.to_owned(),
                            quantile: q.to_owned(),
                        })
                        .set(h * 3600.0);
                }
            }
        }
    }
    let mut out = String::new();
    encode(&mut out, &registry).map_err(|e| Failure::Internal(e.to_string()))?;
    Ok(out)
}
