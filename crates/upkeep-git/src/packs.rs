//! Reading objects from pack files the way `git log` does: every delta base
//! met on the way is cached, and cached objects are shared, not copied.
//!
//! gitoxide's object database resolves a delta chain in one go and caches only
//! its end, and hands out objects by copying them into the caller's buffer.
//! Mining reads every version of every tree, and trees are long delta chains
//! (depth 12 on average in git.git, up to 50) of objects that are often tens
//! of kilobytes, so both costs dominate. Here a chain is walked down to its
//! first cached link with gitoxide's pack entry parser, then rebuilt one link
//! at a time (gitoxide's inflate, and the delta format in [`apply_delta`]),
//! caching each link as it is produced. Objects outside the packs (loose
//! objects, alternates) come from the regular object database.

use crate::GitError;
use gix::odb::pack;
use std::cell::RefCell;
use std::num::NonZeroUsize;
use std::path::Path;
use std::rc::Rc;

/// How much decoded object data each reader keeps, like git's `core.deltaBaseCacheLimit`.
const CACHE_BYTES: usize = 96 * 1024 * 1024;

/// A decoded object, shared between the cache and its users.
pub(crate) type Shared = Rc<Vec<u8>>;

/// The repository's pack files, opened once and shared by all workers.
pub(crate) struct Packs {
    bundles: Vec<pack::Bundle>,
}

impl Packs {
    /// Opens every pack in `objects/pack`. Packs that cannot be opened are left
    /// to the regular object database, which reports any real problem.
    pub(crate) fn open(git_dir: &Path, hash: gix::hash::Kind) -> Packs {
        let mut bundles = Vec::new();
        if let Ok(entries) = std::fs::read_dir(git_dir.join("objects").join("pack")) {
            let mut paths: Vec<_> = entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "idx"))
                .collect();
            paths.sort();
            bundles.extend(paths.iter().filter_map(|p| pack::Bundle::at(p, hash).ok()));
        }
        Packs { bundles }
    }
}

/// One thread's object reader over [`Packs`], with its own cache.
pub(crate) struct PackReader<'p> {
    packs: &'p Packs,
    fallback: gix::OdbHandle,
    state: RefCell<State>,
}

struct State {
    cache: clru::CLruCache<
        (usize, u64),
        (gix::objs::Kind, Shared),
        std::collections::hash_map::RandomState,
        ByLength,
    >,
    inflate: gix::zlib::Inflate,
    delta: Vec<u8>,
}

struct ByLength;

impl clru::WeightScale<(usize, u64), (gix::objs::Kind, Shared)> for ByLength {
    fn weight(&self, _: &(usize, u64), value: &(gix::objs::Kind, Shared)) -> usize {
        value.1.len()
    }
}

impl<'p> PackReader<'p> {
    pub(crate) fn new(packs: &'p Packs, fallback: gix::OdbHandle) -> Self {
        let capacity = NonZeroUsize::new(CACHE_BYTES).unwrap_or(NonZeroUsize::MIN);
        PackReader {
            packs,
            fallback,
            state: RefCell::new(State {
                cache: clru::CLruCache::with_config(
                    clru::CLruCacheConfig::new(capacity).with_scale(ByLength),
                ),
                inflate: Default::default(),
                delta: Vec::new(),
            }),
        }
    }

    /// The object `id`, shared; `None` if it is in no pack.
    pub(crate) fn shared(
        &self,
        id: &gix::oid,
    ) -> Result<Option<(gix::objs::Kind, Shared)>, GitError> {
        for (pack_id, bundle) in self.packs.bundles.iter().enumerate() {
            if let Some(i) = bundle.index.lookup(id) {
                let offset = bundle.index.pack_offset_at_index(i);
                return self.at(pack_id, offset).map(Some);
            }
        }
        Ok(None)
    }

    /// The object at `offset` of pack `pack_id`, resolving and caching its delta chain.
    fn at(&self, pack_id: usize, offset: u64) -> Result<(gix::objs::Kind, Shared), GitError> {
        use pack::data::entry::Header;
        let bundle = &self.packs.bundles[pack_id];
        let mut chain = Vec::new();
        let mut cursor = offset;
        let mut base = loop {
            if let Some(hit) = self.state.borrow_mut().cache.get(&(pack_id, cursor)) {
                break hit.clone();
            }
            let entry = bundle.pack.entry(cursor)?;
            match entry.header {
                Header::OfsDelta { base_distance } => {
                    cursor = entry
                        .checked_base_pack_offset(base_distance)
                        .ok_or_else(|| {
                            format!("corrupt delta base distance at pack offset {cursor}")
                        })?;
                    chain.push(entry);
                }
                Header::RefDelta { base_id } => {
                    chain.push(entry);
                    break self
                        .shared(&base_id)?
                        .ok_or_else(|| format!("delta base {base_id} is not in any pack"))?;
                }
                Header::Commit | Header::Tree | Header::Blob | Header::Tag => {
                    let kind = entry.header.as_kind().unwrap_or(gix::objs::Kind::Blob);
                    let mut data = vec![0; usize::try_from(entry.decompressed_size)?];
                    let state = &mut *self.state.borrow_mut();
                    bundle
                        .pack
                        .decompress_entry(&entry, &mut state.inflate, &mut data)?;
                    let object = (kind, Rc::new(data));
                    if chain.is_empty() && kind == gix::objs::Kind::Commit {
                        // Commits are read once each: keep the cache for trees and blobs.
                        return Ok(object);
                    }
                    let _ = state
                        .cache
                        .put_with_weight((pack_id, entry.pack_offset()), object.clone());
                    break object;
                }
            }
        };
        let state = &mut *self.state.borrow_mut();
        for link in chain.iter().rev() {
            state
                .delta
                .resize(usize::try_from(link.decompressed_size)?, 0);
            bundle
                .pack
                .decompress_entry(link, &mut state.inflate, &mut state.delta)?;
            let target = apply_delta(&base.1, &state.delta)?;
            base = (base.0, Rc::new(target));
            let _ = state
                .cache
                .put_with_weight((pack_id, link.pack_offset()), base.clone());
        }
        Ok(base)
    }
}

/// Applies a git delta (`git/delta.h`: base size, result size, then copy and
/// insert instructions) to `base`. gitoxide has this but keeps it private.
fn apply_delta(base: &[u8], delta: &[u8]) -> Result<Vec<u8>, GitError> {
    fn size(delta: &[u8], i: &mut usize) -> Result<usize, GitError> {
        let (mut value, mut shift) = (0usize, 0u32);
        loop {
            let byte = *delta.get(*i).ok_or("truncated delta header")?;
            *i += 1;
            value |= usize::from(byte & 0x7f)
                .checked_shl(shift)
                .ok_or("delta size overflows")?;
            shift += 7;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
    }
    let mut i = 0;
    if size(delta, &mut i)? != base.len() {
        return Err("delta does not fit its base object".into());
    }
    let target_len = size(delta, &mut i)?;
    let mut out = Vec::with_capacity(target_len);
    while let Some(&cmd) = delta.get(i) {
        i += 1;
        if cmd & 0x80 != 0 {
            let mut field = |bits: u8, shifts: &[u32]| -> Result<usize, GitError> {
                let mut value = 0usize;
                for (n, shift) in shifts.iter().enumerate() {
                    if bits & (1 << n) != 0 {
                        value |= usize::from(*delta.get(i).ok_or("truncated delta copy")?) << shift;
                        i += 1;
                    }
                }
                Ok(value)
            };
            let offset = field(cmd & 0x0f, &[0, 8, 16, 24])?;
            let len = match field((cmd >> 4) & 0x07, &[0, 8, 16])? {
                0 => 0x10000,
                n => n,
            };
            let copy = offset
                .checked_add(len)
                .and_then(|end| base.get(offset..end))
                .ok_or("delta copies beyond its base object")?;
            out.extend_from_slice(copy);
        } else if cmd != 0 {
            let insert = delta
                .get(i..i + usize::from(cmd))
                .ok_or("truncated delta insert")?;
            out.extend_from_slice(insert);
            i += usize::from(cmd);
        } else {
            return Err("delta has a reserved instruction".into());
        }
    }
    if out.len() != target_len {
        return Err("delta result has the wrong size".into());
    }
    Ok(out)
}

impl gix::objs::Find for PackReader<'_> {
    fn try_find<'a>(
        &self,
        id: &gix::oid,
        buffer: &'a mut Vec<u8>,
    ) -> gix::Result<Option<gix::objs::Data<'a>>> {
        match self.shared(id) {
            Ok(Some((kind, data))) => {
                buffer.clear();
                buffer.extend_from_slice(&data);
                Ok(Some(gix::objs::Data {
                    kind,
                    object_hash: id.kind(),
                    data: buffer.as_slice(),
                }))
            }
            // Not in a pack, or unreadable there: the object database decides, and reports.
            Ok(None) | Err(_) => self.fallback.try_find(id, buffer),
        }
    }
}

impl gix::objs::FindHeader for PackReader<'_> {
    fn try_header(&self, id: &gix::oid) -> gix::Result<Option<gix::objs::Header>> {
        self.fallback.try_header(id)
    }
}

#[cfg(test)]
mod tests {
    use super::apply_delta;

    #[test]
    fn applies_copy_and_insert_instructions() {
        let base = b"hello, world";
        // base size 12, result size 11; copy offset 7 len 5 ("world"), insert 6 bytes " hello".
        let delta = [
            12,
            11,
            0x80 | 0x01 | 0x10,
            7,
            5,
            6,
            b' ',
            b'h',
            b'e',
            b'l',
            b'l',
            b'o',
        ];
        assert_eq!(
            apply_delta(base, &delta).expect("valid delta"),
            b"world hello"
        );
    }

    #[test]
    fn rejects_corrupt_deltas() {
        assert!(
            apply_delta(b"abc", &[4, 1, 1, b'x']).is_err(),
            "wrong base size"
        );
        assert!(
            apply_delta(b"abc", &[3, 5, 0x80 | 0x01 | 0x10, 1, 9]).is_err(),
            "copy out of range"
        );
        assert!(
            apply_delta(b"abc", &[3, 1, 0]).is_err(),
            "reserved instruction"
        );
        assert!(
            apply_delta(b"abc", &[3, 2, 1, b'x']).is_err(),
            "wrong result size"
        );
    }
}
