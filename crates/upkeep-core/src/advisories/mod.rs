//! Vulnerability advisories: the OSV record format ([`osv`]), how versions
//! of each ecosystem compare ([`version`]), which versions a record
//! affects and which release fixes them ([`affected`]), how severe it is
//! ([`severity`]), records of one vulnerability joined ([`groups`]), and
//! which pinned packages are exposed ([`exposure`]), and how a project can
//! be told of one ([`disclosure`]). Pure: records come
//! from the sources, versions from inventories and registries.

pub mod affected;
pub mod disclosure;
pub mod exposure;
mod groups;
pub mod osv;
pub mod severity;
pub mod version;

pub use groups::{groups, named};
