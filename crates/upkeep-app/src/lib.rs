//! upkeep's use cases, shared by the CLI, the publisher, the server and the
//! workers: each takes plain options (no clap here) and returns plain data.
//!
//! The pipeline is the crates' (sources → events → identities → metrics →
//! reports); this crate joins them: [`project::mine`] brings a project's
//! repositories up to date, [`resolving::resolve`] builds people and
//! affiliations, [`measuring::measure`] computes the report's metrics,
//! [`portfolio::trace`] ranks the upstreams of an SBOM, and [`ledgering`]
//! reads what the OSPO ledger counts.

#![deny(missing_docs)]

pub mod config;
pub mod contributing;
pub mod csv_records;
pub mod events;
pub mod fleet;
pub mod forge_inputs;
pub mod forging;
pub mod ledgering;
pub mod list_inputs;
pub mod listing;
pub mod measuring;
pub mod mining;
pub mod packages;
pub mod parallel;
pub mod paths;
pub mod portfolio;
pub mod progress;
pub mod project;
pub mod publishing;
pub mod reporting;
pub mod resolving;
pub mod sync;
pub mod tracking;
