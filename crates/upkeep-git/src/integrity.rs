//! What is wrong with a repository's packs, said by name when an object
//! cannot be found or read: a pack index (version 2) whose fan-out table is
//! not monotonic or whose size does not fit its count (a corrupt index, which
//! hides objects), or a pack shorter than its index's offsets (truncated).
//! Only read when something already failed, so a healthy run pays nothing.

use std::path::Path;

/// One sentence per damaged pack or index under `objects/pack` of
/// `git_dir`, naming the file.
pub fn damaged_packs(git_dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(git_dir.join("objects").join("pack")) else {
        return Vec::new();
    };
    let mut indices: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "idx"))
        .collect();
    indices.sort();
    indices
        .iter()
        .filter_map(|idx| {
            let name = idx.file_name()?.to_string_lossy().into_owned();
            let bytes = std::fs::read(idx).ok()?;
            let pack_len = std::fs::metadata(idx.with_extension("pack")).map(|m| m.len());
            check(&bytes, pack_len.ok()).map(|what| format!("{name}: {what}"))
        })
        .collect()
}

const MAGIC: &[u8] = b"\xfftOc";
const HASH: usize = 20;

fn be32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

/// What is wrong with the version-2 index `idx` and its pack of `pack_len`
/// bytes, if anything.
fn check(idx: &[u8], pack_len: Option<u64>) -> Option<String> {
    if idx.get(..4) != Some(MAGIC) || be32(idx, 4) != Some(2) {
        return Some("not a version 2 pack index (a corrupt index)".into());
    }
    let fanout: Vec<u32> = (0..256).filter_map(|i| be32(idx, 8 + i * 4)).collect();
    if fanout.len() < 256 {
        return Some("cut off inside its fan-out table (a corrupt index)".into());
    }
    if fanout.windows(2).any(|w| w[0] > w[1]) {
        return Some("its fan-out table is not monotonic (a corrupt index)".into());
    }
    let count = fanout[255] as usize;
    let offsets = 8 + 1024 + count * (HASH + 4);
    if idx.len() < offsets + count * 4 + 2 * HASH {
        return Some(format!(
            "{} bytes are too few for its {count} objects (a corrupt index)",
            idx.len()
        ));
    }
    let pack_len = pack_len?;
    let largest = (0..count)
        .filter_map(|i| be32(idx, offsets + i * 4))
        .filter(|o| o & 0x8000_0000 == 0)
        .max()
        .unwrap_or(0);
    (u64::from(largest) + HASH as u64 > pack_len).then(|| {
        format!("its pack is {pack_len} bytes, shorter than the index says (a truncated pack)")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An index of `count` objects with the given offsets.
    fn index(fanout_last: u32, offsets: &[u32]) -> Vec<u8> {
        let count = offsets.len();
        let mut idx = MAGIC.to_vec();
        idx.extend(2u32.to_be_bytes());
        for i in 0..256u32 {
            let n = if i == 255 { fanout_last } else { 0 };
            idx.extend(n.to_be_bytes());
        }
        idx.extend(vec![0; count * (HASH + 4)]);
        for o in offsets {
            idx.extend(o.to_be_bytes());
        }
        idx.extend(vec![0; 2 * HASH]);
        idx
    }

    #[test]
    fn corrupt_indices_and_truncated_packs_are_named() {
        let good = index(2, &[12, 300]);
        assert_eq!(check(&good, Some(400)), None);
        let truncated = check(&good, Some(100)).expect("truncated");
        assert!(truncated.contains("a truncated pack"), "{truncated}");
        let mut bent = good.clone();
        bent[8..12].copy_from_slice(&9u32.to_be_bytes());
        let corrupt = check(&bent, Some(400)).expect("not monotonic");
        assert!(corrupt.contains("not monotonic"), "{corrupt}");
        let short = check(&good[..good.len() - 50], Some(400)).expect("short");
        assert!(short.contains("too few for its 2 objects"), "{short}");
        assert!(check(b"PACK", None).is_some());
    }
}
