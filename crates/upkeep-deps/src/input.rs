//! Reading what the user names: an SBOM file, a lockfile, or a project
//! directory whose lockfiles are found by name. Files are read through
//! `upkeep-input`: regular files only, bounded, and a project's lockfiles
//! inside the project.

use crate::lockfile;
use crate::read_error::ReadError;
use std::path::{Path, PathBuf};
use upkeep_core::portfolio::inventory::Inventory;
use upkeep_input::Kind;

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
    /// The file could not be read: missing, not a regular file, too large,
    /// not text, or a link out of the project.
    #[error(transparent)]
    Read(#[from] upkeep_input::InputError),
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
    /// A directory without any lockfile upkeep reads.
    #[error("{}: no lockfile found (looked for {})", path.display(), lockfile::NAMES.join(", "))]
    NothingFound {
        /// The directory.
        path: PathBuf,
    },
}

/// Reads `path`: a directory's lockfiles, a lockfile by its name, or else an
/// SBOM. Only regular files are read, at most [`Kind::Inventory`]'s limit of
/// each; a directory's lockfiles must lie inside it (a link out is refused).
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
                upkeep_input::inside(path, &file)?;
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
    let text = upkeep_input::read_text(path, Kind::Inventory)?;
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
    fn only_regular_files_inside_the_project() {
        let err = read(Path::new("/dev/zero")).expect_err("a device");
        assert!(
            err.to_string().contains("a device, not a regular file"),
            "{err}"
        );
        // A project whose Cargo.lock links to a file outside it.
        let dir = tempfile::tempdir().expect("tempdir");
        let project = dir.path().join("project");
        std::fs::create_dir(&project).expect("mkdir");
        let outside = dir.path().join("elsewhere.lock");
        std::fs::write(&outside, "version = 3\n").expect("writes");
        std::os::unix::fs::symlink(&outside, project.join("Cargo.lock")).expect("links");
        let err = read(&project).expect_err("a link out");
        assert!(
            err.to_string().contains("outside the project directory"),
            "{err}"
        );
    }
}
