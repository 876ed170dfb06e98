//! The documents upkeep writes, assembled from the metrics: a project's
//! [`report`], the OSPO ledger ([`contributions`]), the dependency
//! [`portfolio`], the published [`site`], and the CSV records they import.

pub mod brief;
pub mod contributions;
pub mod csv_records;
pub mod engagement;
pub mod portfolio;
pub mod report;
pub mod roster;
pub mod site;
