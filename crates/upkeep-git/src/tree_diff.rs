//! The fast path for changed paths without rename tracking or line counts:
//! a tree-to-tree diff over decoded trees that the pack reader caches and
//! shares, so a tree read for one commit is reused, without copying, by the next.
//!
//! It reports exactly what `git log --name-status --no-renames` does: files
//! (and submodules) added, deleted or modified, recursing only into subtrees
//! whose ids differ. Rename tracking and line counts use gitoxide's
//! `tree_with_rewrites` instead (see `mine.rs`).

use crate::GitError;
use crate::packs::{PackReader, Shared};
use gix::objs::Find;
use std::cmp::Ordering;
use std::rc::Rc;
use upkeep_core::events::{ChangeKind, PathChange, RawText};

/// Diffs trees read shared from the pack reader's cache (trees outside the
/// packs are read from the object database into `buf`).
pub(crate) struct TreeDiffer {
    buf: Vec<u8>,
}

impl TreeDiffer {
    pub(crate) fn new() -> Self {
        TreeDiffer { buf: Vec::new() }
    }

    fn tree(&mut self, id: &gix::oid, objects: &PackReader<'_>) -> Result<Shared, GitError> {
        let (kind, data) = match objects.shared(id) {
            Ok(Some(found)) => found,
            _ => {
                let data = objects
                    .try_find(id, &mut self.buf)?
                    .ok_or_else(|| format!("tree {id} is missing from the object database"))?;
                (data.kind, Rc::new(data.data.to_vec()))
            }
        };
        if kind != gix::objs::Kind::Tree {
            return Err(format!("object {id} should be a tree but is a {kind}").into());
        }
        Ok(data)
    }

    /// Appends to `out` the files that differ between trees `lhs` and `rhs`
    /// (`None` is the empty tree), with paths under `prefix`.
    pub(crate) fn diff(
        &mut self,
        lhs: Option<&gix::oid>,
        rhs: Option<&gix::oid>,
        objects: &PackReader<'_>,
        prefix: &mut Vec<u8>,
        out: &mut Vec<PathChange>,
    ) -> Result<(), GitError> {
        if lhs == rhs {
            return Ok(());
        }
        let kind = lhs.or(rhs).map_or(gix::hash::Kind::Sha1, |id| id.kind());
        let left = lhs.map(|id| self.tree(id, objects)).transpose()?;
        let right = rhs.map(|id| self.tree(id, objects)).transpose()?;
        let mut left_entries = entries(left.as_deref().map(Vec::as_slice), kind);
        let mut right_entries = entries(right.as_deref().map(Vec::as_slice), kind);
        let (mut a, mut b) = (next(&mut left_entries)?, next(&mut right_entries)?);
        loop {
            let order = match (&a, &b) {
                (Some(x), Some(y)) => tree_order(x, y),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => return Ok(()),
            };
            match order {
                Ordering::Less => {
                    if let Some(x) = &a {
                        self.one_side(x, ChangeKind::Deleted, objects, prefix, out)?;
                    }
                    a = next(&mut left_entries)?;
                }
                Ordering::Greater => {
                    if let Some(y) = &b {
                        self.one_side(y, ChangeKind::Added, objects, prefix, out)?;
                    }
                    b = next(&mut right_entries)?;
                }
                Ordering::Equal => {
                    if let (Some(x), Some(y)) = (&a, &b)
                        && (x.oid != y.oid || x.mode != y.mode)
                    {
                        if x.is_tree {
                            let len = push_dir(prefix, x.name);
                            self.diff(Some(x.oid), Some(y.oid), objects, prefix, out)?;
                            prefix.truncate(len);
                        } else {
                            out.push(change(prefix, x.name, ChangeKind::Modified));
                        }
                    }
                    a = next(&mut left_entries)?;
                    b = next(&mut right_entries)?;
                }
            }
        }
    }

    /// An entry present on one side only: a file, or a whole subtree of files.
    fn one_side(
        &mut self,
        entry: &Entry<'_>,
        kind: ChangeKind,
        objects: &PackReader<'_>,
        prefix: &mut Vec<u8>,
        out: &mut Vec<PathChange>,
    ) -> Result<(), GitError> {
        if !entry.is_tree {
            out.push(change(prefix, entry.name, kind));
            return Ok(());
        }
        let len = push_dir(prefix, entry.name);
        let (lhs, rhs) = match kind {
            ChangeKind::Deleted => (Some(entry.oid), None),
            _ => (None, Some(entry.oid)),
        };
        self.diff(lhs, rhs, objects, prefix, out)?;
        prefix.truncate(len);
        Ok(())
    }
}

/// The entries of a decoded tree (`None` is the empty tree).
fn entries(data: Option<&[u8]>, kind: gix::hash::Kind) -> gix::objs::TreeRefIter<'_> {
    gix::objs::TreeRefIter::from_bytes(data.unwrap_or_default(), kind)
}

fn next<'a>(iter: &mut gix::objs::TreeRefIter<'a>) -> Result<Option<Entry<'a>>, GitError> {
    match iter.next() {
        None => Ok(None),
        Some(entry) => {
            let entry = entry?;
            Ok(Some(Entry {
                name: entry.filename.as_ref(),
                is_tree: entry.mode.is_tree(),
                mode: entry.mode.value(),
                oid: entry.oid,
            }))
        }
    }
}

struct Entry<'a> {
    name: &'a [u8],
    is_tree: bool,
    mode: u16,
    oid: &'a gix::oid,
}

/// Git's tree order: names compare bytewise, a tree's name as if followed by `/`.
fn tree_order(a: &Entry<'_>, b: &Entry<'_>) -> Ordering {
    let common = a.name.len().min(b.name.len());
    a.name[..common].cmp(&b.name[..common]).then_with(|| {
        let next = |e: &Entry<'_>| e.name.get(common).copied().or(e.is_tree.then_some(b'/'));
        next(a).cmp(&next(b))
    })
}

fn push_dir(prefix: &mut Vec<u8>, name: &[u8]) -> usize {
    let len = prefix.len();
    prefix.extend_from_slice(name);
    prefix.push(b'/');
    len
}

fn change(prefix: &[u8], name: &[u8], kind: ChangeKind) -> PathChange {
    let mut path = Vec::with_capacity(prefix.len() + name.len());
    path.extend_from_slice(prefix);
    path.extend_from_slice(name);
    PathChange {
        path: RawText::from(path),
        kind,
        old_path: None,
        lines: None,
        blob_missing: false,
    }
}
