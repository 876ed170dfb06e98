//! Bringing data into the store: a repository's history ([`history`]), its
//! forge ([`forge`]), trackers ([`trackers`]) and mailing lists ([`lists`]),
//! and the packages of a dependency list ([`packages`]). [`sync`] runs a
//! repository's sources in order with one failure policy.

pub mod advisories;
pub mod forge;
pub mod history;
pub mod lists;
pub mod packages;
pub mod sync;
pub mod trackers;
