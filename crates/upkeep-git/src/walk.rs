//! Finding the commits that are not stored yet.

use crate::{GitError, Repository, refs::RefTip};
use gix::objs::Find;
use std::cell::RefCell;
use std::collections::HashMap;
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

/// Walks from `tips`, calling `on_new` with the id and raw object of each
/// commit for which `is_stored` is false, newest first (by committer time):
/// the order in which git's packs make objects cheapest to read. Shallow
/// clones stop at their boundary, as git's own walk does.
///
/// Returns the anchors: stored commits the walk reached (tips, parents of new
/// commits, and in a full walk every stored commit visited). With their stored
/// ancestors they are what is still reachable of the stored history. Also
/// returns the commits whose headers were repaired to be read.
pub(crate) fn walk(
    repo: &Repository,
    objects: &impl Find,
    tips: &[RefTip],
    is_stored: &(dyn Fn(&[u8]) -> bool + Sync),
    scope: WalkScope,
    mut on_new: impl FnMut(gix::ObjectId, Vec<u8>),
) -> Result<(Vec<Oid>, Vec<Oid>), WalkError> {
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
    if start.is_empty() {
        return Ok((anchors, Vec::new()));
    }
    let commits = CommitCache {
        objects,
        commits: RefCell::new(HashMap::new()),
        repaired: RefCell::new(Vec::new()),
    };
    let shallow = local.shallow_commits().map_err(|e| fail(Box::new(e)))?;
    let mut grafted_parents: Vec<gix::ObjectId> = Vec::new();
    let mut buf = Vec::new();
    let predicate = |id: &gix::oid| {
        if scope == WalkScope::StopAtStored && is_stored(id.as_bytes()) {
            return false;
        }
        // As git does for shallow clones: the parents of a boundary commit are not walked.
        if let Some(boundary) = shallow.as_ref() {
            if let Ok(i) = grafted_parents.binary_search(&id.to_owned()) {
                grafted_parents.remove(i);
                return false;
            }
            if boundary.binary_search(&id.to_owned()).is_ok()
                && let Ok(Some(data)) = commits.try_find(id, &mut buf)
            {
                let parents =
                    gix::objs::CommitRefIter::from_bytes(data.data, id.kind()).parent_ids();
                grafted_parents.extend(parents);
                grafted_parents.sort();
            }
        }
        true
    };
    let mut walk = gix::traverse::commit::Simple::filtered(start, &commits, predicate)
        .sorting(gix::traverse::commit::simple::Sorting::ByCommitTime(
            Default::default(),
        ))
        .map_err(|e| fail(Box::new(e)))?;
    while let Some(info) = walk.next() {
        let info = info.map_err(|e| fail(Box::new(e)))?;
        let data = commits.take(&info.id);
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
        // The bytes the walk read move on; read again only if the cache lost them.
        on_new(info.id, data.unwrap_or_else(|| walk.commit_data().to_vec()));
    }
    anchors.sort();
    anchors.dedup();
    drop(walk);
    Ok((anchors, commits.repaired.into_inner()))
}

/// The walk reads each commit twice (to order it by time when it is queued,
/// then to yield it): this keeps commits from the first read to the second.
struct CommitCache<'a, F> {
    objects: &'a F,
    commits: RefCell<HashMap<gix::ObjectId, Vec<u8>>>,
    /// Commits read only once repaired (see `crate::repair`).
    repaired: RefCell<Vec<Oid>>,
}

impl<F> CommitCache<'_, F> {
    /// The commit `data` as the walk and the miner read it: as stored, or,
    /// when git's decoder refuses it, repaired (see `crate::repair`) and
    /// counted.
    fn readable(&self, id: &gix::oid, data: &[u8]) -> Vec<u8> {
        if gix::objs::CommitRef::from_bytes(data, id.kind()).is_ok() {
            return data.to_vec();
        }
        match crate::repair::repair(data, id.kind()) {
            Some(repaired) => {
                let oid = Oid::from_bytes(id.as_bytes());
                self.repaired.borrow_mut().push(oid);
                repaired
            }
            None => data.to_vec(),
        }
    }

    /// Takes the cached bytes of a commit the walk has yielded.
    fn take(&self, id: &gix::oid) -> Option<Vec<u8>> {
        self.commits.borrow_mut().remove(id)
    }
}

impl<F: Find> Find for CommitCache<'_, F> {
    fn try_find<'b>(
        &self,
        id: &gix::oid,
        buffer: &'b mut Vec<u8>,
    ) -> gix::Result<Option<gix::objs::Data<'b>>> {
        if let Some(data) = self.commits.borrow().get(id) {
            buffer.clear();
            buffer.extend_from_slice(data);
            return Ok(Some(gix::objs::Data {
                kind: gix::objs::Kind::Commit,
                object_hash: id.kind(),
                data: buffer.as_slice(),
            }));
        }
        let Some(data) = self.objects.try_find(id, buffer)? else {
            return Ok(None);
        };
        let kind = data.kind;
        let bytes = match kind {
            gix::objs::Kind::Commit => self.readable(id, data.data),
            _ => data.data.to_vec(),
        };
        buffer.clear();
        buffer.extend_from_slice(&bytes);
        if kind == gix::objs::Kind::Commit {
            self.commits.borrow_mut().insert(id.to_owned(), bytes);
        }
        Ok(Some(gix::objs::Data {
            kind,
            object_hash: id.kind(),
            data: buffer.as_slice(),
        }))
    }
}
