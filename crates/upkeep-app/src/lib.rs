//! upkeep's use cases, shared by the CLI, the publisher, the server and the
//! workers: each takes plain options (no clap here) and returns plain data.
//!
//! The modules follow the pipeline (sources → events → identities → metrics →
//! documents): [`sources`] brings a repository's history, forge, trackers,
//! lists and packages into the store (one [`sources::sync`] for all of
//! them); [`events`] reads them back with their people resolved;
//! [`identities`] builds people and affiliations; [`metrics`] computes the
//! report's metrics; [`documents`] assembles the report, the ledger, the
//! portfolio and the published site. [`project`] names a project's
//! repositories, [`fleet`] runs the same steps as queued jobs.

#![deny(missing_docs)]

pub mod community;
pub mod config;
pub mod documents;
pub mod events;
pub mod fleet;
pub mod identities;
pub mod metrics;
pub mod parallel;
pub mod paths;
pub mod progress;
pub mod project;
pub mod sources;
