//! The mailing-list source: messages of mbox files and list archives turned
//! into [`ListMessage`] events.
//!
//! [`parse_mbox`] reads an mbox (plain or gzip-compressed) byte-safely: a
//! message without a Message-ID or a readable Date is counted as skipped
//! with its reason, never an error, and text in other encodings is decoded
//! (RFC 2047 words, declared charsets) or kept lossily. [`archive`] knows
//! where archives keep each month (pipermail, mod_mbox, HyperKitty, Apache's
//! lists) and [`fetch`] downloads them through the forge crate's polite
//! client, month by month.
#![deny(missing_docs)]

pub mod archive;
mod body;
pub mod fetch;
mod mbox;
mod message;
mod sender;
mod subject;

pub use mbox::{Parsed, parse_mbox};
pub use sender::sender;
pub use subject::patch_tag;
pub use upkeep_core::events::ListMessage;
