//! Vulnerability advisories: the OSV record format ([`osv`]), how versions
//! of each ecosystem compare ([`version`]), and which versions a record
//! affects and which release fixes them ([`affected`]). Pure: records come
//! from the sources, versions from inventories and registries.

pub mod affected;
pub mod osv;
pub mod version;
