//! One file read whole, bounded.

use crate::{InputError, Kind, Reason};
use std::io::Read;
use std::path::Path;

/// Whether `UPKEEP_READ_SPECIAL_FILES=1` asks to read devices, FIFOs and
/// sockets too (still capped).
fn special_files_allowed() -> bool {
    std::env::var("UPKEEP_READ_SPECIAL_FILES").is_ok_and(|v| v == "1")
}

/// What a file that is not regular is, for an error.
fn special_kind(file_type: std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if file_type.is_fifo() {
        "a FIFO"
    } else if file_type.is_socket() {
        "a socket"
    } else if file_type.is_block_device() || file_type.is_char_device() {
        "a device"
    } else if file_type.is_dir() {
        "a directory"
    } else {
        "not a file"
    }
}

/// The bytes of `path`, read as a `kind`: a regular file (asked before
/// opening, as opening a FIFO waits for a writer) of at most the kind's
/// limit.
pub fn read(path: &Path, kind: Kind) -> Result<Vec<u8>, InputError> {
    read_at_most(path, kind, kind.limit(), special_files_allowed())
}

/// The text of `path`, read as a `kind` (see [`read`]); it must be UTF-8.
pub fn read_text(path: &Path, kind: Kind) -> Result<String, InputError> {
    let bytes = read(path, kind)?;
    String::from_utf8(bytes)
        .map_err(|e| InputError::new(path, Reason::NotText(e.utf8_error().valid_up_to())))
}

fn read_at_most(path: &Path, kind: Kind, limit: u64, special: bool) -> Result<Vec<u8>, InputError> {
    let io = |e| InputError::new(path, e);
    let meta = std::fs::metadata(path).map_err(io)?;
    let file_type = meta.file_type();
    if file_type.is_dir() || !(file_type.is_file() || special) {
        return Err(InputError::new(
            path,
            Reason::NotAFile(special_kind(file_type)),
        ));
    }
    let too_large = || {
        let reason = Reason::TooLarge {
            what: kind.what(),
            limit,
            variable: kind.variable(),
        };
        InputError::new(path, reason)
    };
    if meta.len() > limit {
        return Err(too_large());
    }
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_files_up_to_the_limit() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("bom.json");
        std::fs::write(&file, "x".repeat(100)).expect("writes");
        let err = read_at_most(&file, Kind::Inventory, 99, false).expect_err("too large");
        assert_eq!(
            err.to_string(),
            format!(
                "{}: larger than 99 bytes, the most upkeep reads of one SBOM or lockfile (UPKEEP_MAX_INPUT_BYTES raises it)",
                file.display()
            )
        );
        let bytes = read_at_most(&file, Kind::Inventory, 100, false).expect("reads");
        assert_eq!(bytes.len(), 100);
        std::fs::write(&file, b"ok\xff").expect("writes");
        let err = read_text(&file, Kind::Inventory).expect_err("not UTF-8");
        assert!(matches!(err.reason, Reason::NotText(2)), "{err}");
    }

    #[test]
    fn devices_fifos_and_folders_are_not_read() {
        let err = read(Path::new("/dev/zero"), Kind::Config).expect_err("a device");
        assert!(
            err.to_string().contains("a device, not a regular file"),
            "{err}"
        );
        // Asked to, a device is read up to the limit, never further.
        let err =
            read_at_most(Path::new("/dev/zero"), Kind::Config, 1000, true).expect_err("capped");
        assert!(
            matches!(err.reason, Reason::TooLarge { limit: 1000, .. }),
            "{err}"
        );
        let dir = tempfile::tempdir().expect("tempdir");
        let err = read(dir.path(), Kind::Mbox).expect_err("a folder");
        assert!(matches!(err.reason, Reason::NotAFile("a directory")));
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            let err = read(&fifo, Kind::Mbox).expect_err("a FIFO");
            assert!(
                err.to_string().contains(": a FIFO, not a regular file"),
                "{err}"
            );
        }
        let missing = read(&dir.path().join("nothing"), Kind::Config).expect_err("missing");
        assert!(missing.is_not_found());
    }
}
