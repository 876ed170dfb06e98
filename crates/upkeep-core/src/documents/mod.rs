//! The documents upkeep's outputs serialize: the report, the ledger, the
//! portfolio and what `mine` did. Every format (terminal, Markdown, CSV, HTML, JSON) and the
//! server render these types; their JSON is a documented contract.

pub mod brief;
mod comparison;
mod contributions;
mod mine;
mod portfolio;
mod report;

pub use comparison::{Compared, Comparison, Row};
pub use contributions::{Contributions, LedgerParameters, LedgerUpstream, OurPerson};
pub use mine::{AdoptionSync, AdvisorySync, ForgeReport, ForgeSync, MineReport, Summary};
pub use portfolio::Portfolio;
pub use report::{Report, Repository, WindowDates};
