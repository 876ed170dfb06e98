//! Finding the commits that are not stored yet, in an order that stores parents first.

use crate::{GitError, Repository, refs::RefTip};
use std::collections::{BinaryHeap, HashMap};
use upkeep_core::events::Oid;

/// The commits to mine, parents before children, and the stored commits they build on.
#[derive(Debug, Default)]
pub struct Plan {
    pub(crate) commits: Vec<gix::ObjectId>,
    /// Stored commits that are tips or parents of new commits. Together with
    /// their stored ancestors they are what is still reachable of the stored history.
    pub anchors: Vec<Oid>,
}

impl Plan {
    /// How many commits are to be mined.
    pub fn len(&self) -> usize {
        self.commits.len()
    }

    /// Whether there is nothing to mine.
    pub fn is_empty(&self) -> bool {
        self.commits.is_empty()
    }
}

/// Why the history could not be walked.
#[derive(Debug, thiserror::Error)]
#[error("could not walk the history from {tip}")]
pub struct WalkError {
    tip: String,
    #[source]
    source: GitError,
}

/// Walks from `tips` and returns the commits for which `is_stored` is false,
/// ordered so that every commit comes after its parents.
///
/// The walk does not go past stored commits: it relies on the store holding
/// every ancestor of each commit it holds, which storing in this order keeps
/// true even for a run cut off half-way. Shallow clones stop at their boundary.
pub fn new_commits(
    repo: &Repository,
    tips: &[RefTip],
    is_stored: impl Fn(&[u8]) -> bool,
) -> Result<Plan, WalkError> {
    let is_stored = &is_stored;
    let local = repo.local();
    let tip_names = tips.iter().map(|t| t.name.to_string()).collect::<Vec<_>>().join(", ");
    let fail = |source: GitError| WalkError {
        tip: tip_names.clone(),
        source,
    };
    let mut anchors = Vec::new();
    let mut start = Vec::new();
    for tip in tips {
        if is_stored(tip.target.as_bytes()) {
            anchors.push(tip.target.clone());
        } else {
            start.push(gix::ObjectId::try_from(tip.target.as_bytes()).map_err(|e| fail(Box::new(e)))?);
        }
    }
    start.sort();
    start.dedup();
    if start.is_empty() {
        return Ok(Plan { commits: Vec::new(), anchors });
    }
    let walk = local
        .rev_walk(start)
        .sorting(gix::revision::walk::Sorting::ByCommitTime(Default::default()))
        .selected(move |id| !is_stored(id.as_bytes()))
        .map_err(|e| fail(Box::new(e)))?;
    // Newest first; collect ids and parent links within the new set.
    let mut order: Vec<gix::ObjectId> = Vec::new();
    let mut parents: Vec<Vec<gix::ObjectId>> = Vec::new();
    for info in walk {
        let info = info.map_err(|e| fail(Box::new(e)))?;
        order.push(info.id);
        parents.push(info.parent_ids.iter().copied().collect());
    }
    let index: HashMap<gix::ObjectId, usize> = order.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let mut pending = vec![0usize; order.len()];
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); order.len()];
    for (child, ps) in parents.iter().enumerate() {
        for p in ps {
            match index.get(p) {
                Some(&parent) => {
                    pending[child] += 1;
                    children[parent].push(child);
                }
                None if is_stored(p.as_bytes()) => anchors.push(Oid::from_bytes(p.as_bytes())),
                // A parent beyond a shallow clone's boundary.
                None => {}
            }
        }
    }
    // Kahn's algorithm; among ready commits the oldest (highest walk index) goes first.
    let mut ready: BinaryHeap<usize> = (0..order.len()).filter(|&i| pending[i] == 0).collect();
    let mut commits = Vec::with_capacity(order.len());
    while let Some(i) = ready.pop() {
        commits.push(order[i]);
        for &child in &children[i] {
            pending[child] -= 1;
            if pending[child] == 0 {
                ready.push(child);
            }
        }
    }
    anchors.sort();
    anchors.dedup();
    Ok(Plan { commits, anchors })
}
