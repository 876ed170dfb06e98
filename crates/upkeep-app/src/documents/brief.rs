//! The quarterly brief of a project: its report over the quarter and over
//! the quarter before, composed into sentences (see
//! `upkeep_core::documents::brief`).

use crate::config::Config;
use crate::documents::report::report;
use crate::metrics::MeasureOptions;
use crate::project::MinedRepo;
use upkeep_core::documents::brief::{Brief, Quarter, Template, compose};
use upkeep_store::Store;

/// The brief of the repositories `mined` (already in the store), named
/// `name`, for the quarter `q` against `previous`, made at `now`.
pub fn brief(
    store: &Store,
    config: &Config,
    mined: &[MinedRepo],
    name: &str,
    (q, previous): (&Quarter, &Quarter),
    template: Template,
    now: i64,
) -> anyhow::Result<Brief> {
    // The brief cites no metric of the trees (truck factor, replacement cost).
    let options = MeasureOptions {
        without_trees: true,
        ..MeasureOptions::default()
    };
    let this = report(store, config, mined, q.window, options, now)?;
    let before = report(store, config, mined, previous.window, options, now)?;
    Ok(compose(
        name,
        (&q.label, &this),
        (&previous.label, &before),
        template,
    ))
}
