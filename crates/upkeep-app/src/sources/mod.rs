//! Bringing data into the store: a repository's history ([`history`]), its
//! forge ([`forge`]), trackers ([`trackers`]) and mailing lists ([`lists`]),
//! the packages of a dependency list ([`packages`]) and their advisories
//! ([`advisories`]), and a repository's security evidence ([`security`]). [`sync`] runs a
//! repository's sources in order with one failure policy.

pub mod adoption;
pub mod advisories;
pub mod forge;
pub mod history;
pub mod lists;
pub mod packages;
pub mod security;
pub mod sync;
pub mod trackers;
