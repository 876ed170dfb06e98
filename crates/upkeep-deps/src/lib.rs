//! upkeep's dependency portfolio: from an SBOM to the packages an
//! organization depends on and the upstream repositories behind them.
#![deny(missing_docs)]

pub mod repo_url;
pub mod sbom;
