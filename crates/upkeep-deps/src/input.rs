//! Reading what the user names: an SBOM file, a lockfile, or a project
//! directory whose lockfiles are found by name.

use crate::lockfile;
use crate::read_error::ReadError;
use std::path::{Path, PathBuf};
use upkeep_core::portfolio::inventory::Inventory;

/// One document read.
#[derive(Clone, Debug)]
pub struct Input {
    /// The file.
    pub path: PathBuf,
    /// What it lists.
    pub inventory: Inventory,
}

/// Why an input could not be read.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// The file or directory could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// Malformed at a position: `FILE:LINE:COLUMN: message`.
    #[error("{}:{source}", path.display())]
    Syntax {
        /// The file.
        path: PathBuf,
        /// Where and what.
        source: ReadError,
    },
    /// Well-formed but not readable as a dependency list.
    #[error("{}: {message}", path.display())]
    Unsupported {
        /// The file.
        path: PathBuf,
        /// Why.
        message: String,
    },
    /// Larger than upkeep reads.
    #[error("{}: larger than {limit} bytes, the most upkeep reads of one input (UPKEEP_MAX_INPUT_BYTES raises it)", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// The limit, in bytes.
        limit: u64,
    },
    /// A device, FIFO or socket: never read (it may never end).
    #[error("{}: not a regular file (a device, FIFO or socket is never read)", path.display())]
    NotAFile {
        /// The path.
        path: PathBuf,
    },
    /// A project's lockfile that is a link to a file outside the project.
    #[error("{}: a link to {}, outside the project directory: not read", path.display(), target.display())]
    OutsideProject {
        /// The lockfile in the project.
        path: PathBuf,
        /// Where it leads.
        target: PathBuf,
    },
    /// A directory without any lockfile upkeep reads.
    #[error("{}: no lockfile found (looked for {})", path.display(), lockfile::NAMES.join(", "))]
    NothingFound {
        /// The directory.
        path: PathBuf,
    },
}

/// The most bytes read of one SBOM or lockfile, unless
/// `UPKEEP_MAX_INPUT_BYTES` says otherwise: the largest real SBOMs are a few
/// megabytes.
pub const MAX_INPUT_BYTES: u64 = 256 << 20;

/// The limit in force: `UPKEEP_MAX_INPUT_BYTES`, else [`MAX_INPUT_BYTES`].
fn max_input_bytes() -> u64 {
    std::env::var("UPKEEP_MAX_INPUT_BYTES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(MAX_INPUT_BYTES)
}

/// The text of the regular file `path`, at most `limit` bytes of it.
fn read_bounded(path: &Path, limit: u64) -> Result<String, InputError> {
    use std::io::Read;
    let io = |source| InputError::Io {
        path: path.to_owned(),
        source,
    };
    // Asked before opening: opening a FIFO waits for a writer.
    if !std::fs::metadata(path).map_err(io)?.file_type().is_file() {
        return Err(InputError::NotAFile {
            path: path.to_owned(),
        });
    }
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(InputError::TooLarge {
            path: path.to_owned(),
            limit,
        });
    }
    String::from_utf8(bytes).map_err(|e| {
        io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("not UTF-8 text ({e})"),
        ))
    })
}

/// The lockfile `file` of the project directory `dir`, refused when it is a
/// link that leads outside the project.
fn inside(dir: &Path, file: &Path) -> Result<(), InputError> {
    let io = |source| InputError::Io {
        path: file.to_owned(),
        source,
    };
    let root = dir.canonicalize().map_err(io)?;
    let target = file.canonicalize().map_err(io)?;
    match target.starts_with(&root) {
        true => Ok(()),
        false => Err(InputError::OutsideProject {
            path: file.to_owned(),
            target,
        }),
    }
}

/// Reads `path`: a directory's lockfiles, a lockfile by its name, or else an
/// SBOM. Only regular files are read, at most [`MAX_INPUT_BYTES`] of each; a
/// directory's lockfiles must lie inside it (a link out is refused).
pub fn read(path: &Path) -> Result<Vec<Input>, InputError> {
    if path.is_dir() {
        let mut inputs = Vec::new();
        for name in lockfile::NAMES {
            let file = path.join(name);
            // go.sum only adds to go.mod what version selection needed.
            if *name == "go.sum" && path.join("go.mod").is_file() {
                continue;
            }
            if file.exists() {
                inside(path, &file)?;
                inputs.extend(read(&file)?);
            }
        }
        if inputs.is_empty() {
            return Err(InputError::NothingFound {
                path: path.to_owned(),
            });
        }
        return Ok(inputs);
    }
    let text = read_bounded(path, max_input_bytes())?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let dir = path.parent().unwrap_or(Path::new("."));
    let parsed = lockfile::read(&name, &text, dir).unwrap_or_else(|| crate::sbom::read(&text));
    let inventory = parsed.map_err(|e| match e {
        ReadError::Unsupported(message) => InputError::Unsupported {
            path: path.to_owned(),
            message,
        },
        syntax => InputError::Syntax {
            path: path.to_owned(),
            source: syntax,
        },
    })?;
    Ok(vec![Input {
        path: path.to_owned(),
        inventory,
    }])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_bounded_regular_files_inside_the_project() {
        let dir = tempfile::tempdir().expect("tempdir");
        let big = dir.path().join("bom.json");
        std::fs::write(&big, "x".repeat(100)).expect("writes");
        assert!(matches!(
            read_bounded(&big, 99),
            Err(InputError::TooLarge { limit: 99, .. })
        ));
        assert_eq!(read_bounded(&big, 100).expect("reads").len(), 100);
        let err = read(Path::new("/dev/zero")).expect_err("a device");
        assert!(matches!(err, InputError::NotAFile { .. }), "{err}");
        let fifo = dir.path().join("fifo.json");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            let err = read(&fifo).expect_err("a FIFO");
            assert!(matches!(err, InputError::NotAFile { .. }), "{err}");
        }
        // A project whose Cargo.lock links to a file outside it.
        let project = dir.path().join("project");
        std::fs::create_dir(&project).expect("mkdir");
        let outside = dir.path().join("elsewhere.lock");
        std::fs::write(&outside, "version = 3\n").expect("writes");
        std::os::unix::fs::symlink(&outside, project.join("Cargo.lock")).expect("links");
        let err = read(&project).expect_err("a link out");
        assert!(matches!(err, InputError::OutsideProject { .. }), "{err}");
        assert!(err.to_string().contains("outside the project directory"));
    }
}
