//! Mining a repository whose object store lacks some blobs: a partial clone
//! (`git clone --filter=blob:limit=1m`, `--filter=blob:none`) or a mirror that
//! lost a file.
//!
//! Rename detection compares the content of deleted and added files. When a
//! blob is not there, git's promisor logic would fetch it; upkeep cannot, so
//! [`Tolerant`] hands the diff machinery an empty blob in its place and
//! remembers its id. An empty side is never similar to anything (git's rule
//! and gitoxide's: similarity is measured against the larger side's size, and
//! an empty pair is never paired), so such a pair comes out as a deletion and
//! an addition, while exact renames (same blob id) are still found without
//! reading anything. A missing *tree* cannot be stood in for: it still stops
//! mining, with an error naming it (see [`Tolerant::missing_tree_error`]).

use crate::GitError;
use crate::packs::PackReader;
use std::cell::RefCell;
use std::collections::HashSet;

/// An object reader that stands in an empty blob for every object it cannot find.
pub(crate) struct Tolerant<'a, 'p> {
    inner: &'a PackReader<'p>,
    missing: RefCell<HashSet<gix::ObjectId>>,
}

impl<'a, 'p> Tolerant<'a, 'p> {
    pub(crate) fn new(inner: &'a PackReader<'p>) -> Self {
        Tolerant {
            inner,
            missing: RefCell::new(HashSet::new()),
        }
    }

    /// The ids asked for that were not in the object store.
    pub(crate) fn into_missing(self) -> HashSet<gix::ObjectId> {
        self.missing.into_inner()
    }

    /// The error for a diff that failed after standing in for `missing`
    /// objects: one of them was a tree (a blob stand-in cannot fail a diff).
    pub(crate) fn missing_tree_error(
        missing: &HashSet<gix::ObjectId>,
        cause: GitError,
    ) -> GitError {
        let mut ids: Vec<String> = missing.iter().map(|id| id.to_string()).collect();
        ids.sort();
        format!(
            "a tree is missing from the object database (one of {}): {cause}",
            ids.join(", ")
        )
        .into()
    }
}

impl gix::objs::Find for Tolerant<'_, '_> {
    fn try_find<'b>(
        &self,
        id: &gix::oid,
        buffer: &'b mut Vec<u8>,
    ) -> gix::Result<Option<gix::objs::Data<'b>>> {
        // Every object store here (our pack reader, gitoxide's loose and
        // dynamic stores) returns the object as the whole of `buffer`.
        let kind = match self.inner.try_find(id, buffer)?.map(|data| data.kind) {
            Some(kind) => kind,
            None => {
                self.missing.borrow_mut().insert(id.to_owned());
                buffer.clear();
                gix::objs::Kind::Blob
            }
        };
        Ok(Some(gix::objs::Data {
            kind,
            object_hash: id.kind(),
            data: buffer.as_slice(),
        }))
    }
}

impl gix::objs::FindHeader for Tolerant<'_, '_> {
    fn try_header(&self, id: &gix::oid) -> gix::Result<Option<gix::objs::Header>> {
        match self.inner.try_header(id)? {
            Some(header) => Ok(Some(header)),
            None => {
                self.missing.borrow_mut().insert(id.to_owned());
                Ok(Some(gix::objs::Header {
                    kind: gix::objs::Kind::Blob,
                    size: 0,
                }))
            }
        }
    }
}
