//! upkeep's dependency portfolio: from an SBOM or a lockfile to the packages
//! an organization depends on, the upstream repositories behind them, and a
//! ranking of where help matters most. This crate reads (SBOMs, lockfiles,
//! project directories, registries); the pure part — package URLs, the
//! inventory, upstreams, health and ranking — is `upkeep_core::portfolio`.
#![deny(missing_docs)]

pub mod adoption;
pub mod funding;
pub mod input;
pub mod local;
pub mod lockfile;
pub mod osv;
pub mod published;
pub mod read_error;
pub mod registry;
pub mod sbom;
mod spdx3;
mod yaml_size;
