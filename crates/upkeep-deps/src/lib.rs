//! upkeep's dependency portfolio: from an SBOM or a lockfile to the packages
//! an organization depends on, the upstream repositories behind them, and a
//! ranking of where help matters most.
#![deny(missing_docs)]

pub mod funding;
pub mod health;
pub mod input;
pub mod inventory;
pub mod local;
pub mod lockfile;
pub mod purl;
pub mod rank;
pub mod registry;
pub mod repo_url;
pub mod sbom;
mod spdx3;
pub mod upstreams;
