//! The dependency portfolio's pure part: package URLs, repository URLs, the
//! inventory an SBOM or lockfile gives, upstreams traced from it, their health
//! figures and their ranking. The readers of SBOMs, lockfiles and registries
//! (upkeep-deps) fill these types; nothing here reads or fetches.

pub mod health;
pub mod inventory;
pub mod purl;
pub mod rank;
pub mod repo_url;
pub mod upstreams;
