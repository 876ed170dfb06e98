//! The documents upkeep's outputs serialize: the report, the ledger and the
//! portfolio. Every format (terminal, Markdown, CSV, HTML, JSON) and the
//! server render these types; their JSON is a documented contract.

mod contributions;
mod portfolio;
mod report;

pub use contributions::{Contributions, LedgerParameters, LedgerUpstream, OurPerson};
pub use portfolio::Portfolio;
pub use report::{Report, Repository, WindowDates};
