//! upkeep's shared vocabulary and pure logic: the events every source produces,
//! and (in later stages) identities and metrics computed from them.
//!
//! Nothing in this crate performs I/O, reads the clock or knows about git,
//! SQL or the command line; sources turn the outside world into [`events`],
//! the store persists them, and metrics are functions over them.
#![deny(missing_docs)]

pub mod advisories;
pub mod catalog;
pub mod documents;
pub mod events;
pub mod identities;
pub mod ledger;
pub mod metrics;
pub mod portfolio;
