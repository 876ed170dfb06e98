//! upkeep's git source: turns a git repository into events.
//!
//! [`open`] or [`remote::clone_or_fetch`] gives a [`Repository`]; [`refs::tips`]
//! and [`refs::tags`] read its references; [`mine::mine`] walks the history
//! ([`walk::walk`]) for the commits not yet stored, decodes and diffs them on
//! all cores and hands them over in order, in batches; and [`tip_files::read`]
//! collects `.mailmap` and the governance files.
//!
//! This crate knows nothing of the store or of metrics: it only reads git.
#![deny(missing_docs)]

pub mod integrity;
pub mod issue_refs;
pub mod mailmap;
pub mod mine;
mod missing;
mod open;
mod packs;
pub mod pr_number;
pub mod refs;
pub mod remote;
mod repair;
mod signature;
pub mod tip_files;
pub mod trailers;
pub mod tree;
mod tree_diff;
pub mod walk;

pub use open::{OpenError, Repository, open};

/// A boxed error from gitoxide, kept as the source of our own errors.
pub type GitError = Box<dyn std::error::Error + Send + Sync + 'static>;
