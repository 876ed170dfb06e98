//! Events: one normalized record per act, as produced by a source.
//!
//! The git source produces [`Commit`]s (with their [`Trailer`]s and
//! [`PathChange`]s), [`Tag`]s and [`TipFile`]s; a forge produces
//! [`ForgeItem`]s with their [`Activity`], [`ForgeRelease`]s and [`RepoMeta`].

mod commit;
pub mod conventions;
mod forge;
mod list;
mod oid;
mod tag;
mod text;
mod tip_file;

pub use commit::{ChangeKind, Commit, PathChange, Signature, Trailer};
pub use forge::{
    Activity, ActivityKind, ForgeItem, ForgeRelease, GITLAB_ISSUES, ItemKind, LoginLink, RepoMeta,
    association_maintains,
};
pub use list::{ListMessage, PatchTag};
pub use oid::Oid;
pub use tag::{Tag, is_prerelease, looks_like_version};
pub use text::RawText;
pub use tip_file::{MANIFESTS, TipFile, TipFileKind};
