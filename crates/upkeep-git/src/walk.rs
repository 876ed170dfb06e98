//! Finding the commits that are not stored yet.

use crate::{GitError, Repository, refs::RefTip};
use upkeep_core::events::Oid;

/// How far the walk goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WalkScope {
    /// Stop at stored commits. Right when every stored commit's ancestors are
    /// stored too, which holds after every complete run.
    StopAtStored,
    /// Visit the whole history, skipping stored commits only in the result.
    /// Needed after an interrupted run, which may have stored newer commits
    /// without their ancestors.
    Full,
}

/// Why the history could not be walked.
#[derive(Debug, thiserror::Error)]
#[error("could not walk the history from {tip}")]
pub struct WalkError {
    tip: String,
    #[source]
    source: GitError,
}

/// Walks from `tips`, calling `on_new` with each commit for which `is_stored`
/// is false, newest first (by committer time): the order in which git's packs
/// make objects cheapest to read. Shallow clones stop at their boundary.
///
/// Returns the anchors: stored commits the walk reached (tips, parents of new
/// commits, and in a full walk every stored commit visited). With their stored
/// ancestors they are what is still reachable of the stored history.
pub fn walk(
    repo: &Repository,
    tips: &[RefTip],
    is_stored: &(dyn Fn(&[u8]) -> bool + Sync),
    scope: WalkScope,
    mut on_new: impl FnMut(gix::ObjectId),
) -> Result<Vec<Oid>, WalkError> {
    let local = repo.local();
    let fail = |source: GitError| WalkError {
        tip: tips
            .iter()
            .map(|t| t.name.to_string())
            .collect::<Vec<_>>()
            .join(", "),
        source,
    };
    let mut anchors = Vec::new();
    let mut start = Vec::new();
    for tip in tips {
        if scope == WalkScope::StopAtStored && is_stored(tip.target.as_bytes()) {
            anchors.push(tip.target.clone());
        } else {
            start.push(
                gix::ObjectId::try_from(tip.target.as_bytes()).map_err(|e| fail(Box::new(e)))?,
            );
        }
    }
    start.sort();
    start.dedup();
    if !start.is_empty() {
        let walk = local
            .rev_walk(start)
            .sorting(gix::revision::walk::Sorting::ByCommitTime(
                Default::default(),
            ))
            .selected(move |id| scope == WalkScope::Full || !is_stored(id.as_bytes()))
            .map_err(|e| fail(Box::new(e)))?;
        for info in walk {
            let info = info.map_err(|e| fail(Box::new(e)))?;
            if is_stored(info.id.as_bytes()) {
                anchors.push(Oid::from_bytes(info.id.as_bytes()));
                continue;
            }
            if scope == WalkScope::StopAtStored {
                anchors.extend(
                    info.parent_ids
                        .iter()
                        .filter(|p| is_stored(p.as_bytes()))
                        .map(|p| Oid::from_bytes(p.as_bytes())),
                );
            }
            on_new(info.id);
        }
    }
    anchors.sort();
    anchors.dedup();
    Ok(anchors)
}
