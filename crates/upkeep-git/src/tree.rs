//! The files of a commit's tree, for metrics computed on a snapshot (truck factor).

use crate::{GitError, Repository};
use upkeep_core::events::{Oid, RawText};

/// Why a tree could not be listed.
#[derive(Debug, thiserror::Error)]
#[error("could not list the files of commit {commit}")]
pub struct TreeError {
    commit: String,
    #[source]
    source: GitError,
}

/// Every file (blob or symlink; not submodules) in the tree of `commit`, by path.
pub fn files(repo: &Repository, commit: &Oid) -> Result<Vec<RawText>, TreeError> {
    let fail = |source: GitError| TreeError {
        commit: commit.to_hex(),
        source,
    };
    let local = repo.local();
    let id = gix::ObjectId::try_from(commit.as_bytes()).map_err(|e| fail(Box::new(e)))?;
    let tree = local
        .find_commit(id)
        .map_err(|e| fail(Box::new(e)))?
        .tree()
        .map_err(|e| fail(Box::new(e)))?;
    let mut recorder = gix::traverse::tree::Recorder::default();
    tree.traverse()
        .breadthfirst(&mut recorder)
        .map_err(|e| fail(Box::new(e)))?;
    let mut out: Vec<RawText> = recorder
        .records
        .into_iter()
        .filter(|e| e.mode.is_blob() || e.mode.is_link())
        .map(|e| RawText::from(e.filepath.as_slice()))
        .collect();
    out.sort();
    Ok(out)
}
