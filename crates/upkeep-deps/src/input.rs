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
    /// A directory without any lockfile upkeep reads.
    #[error("{}: no lockfile found (looked for {})", path.display(), lockfile::NAMES.join(", "))]
    NothingFound {
        /// The directory.
        path: PathBuf,
    },
}

/// Reads `path`: a directory's lockfiles, a lockfile by its name, or else an SBOM.
pub fn read(path: &Path) -> Result<Vec<Input>, InputError> {
    let io = |source| InputError::Io {
        path: path.to_owned(),
        source,
    };
    if path.is_dir() {
        let mut inputs = Vec::new();
        for name in lockfile::NAMES {
            let file = path.join(name);
            // go.sum only adds to go.mod what version selection needed.
            if *name == "go.sum" && path.join("go.mod").is_file() {
                continue;
            }
            if file.is_file() {
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
    let text = std::fs::read_to_string(path).map_err(io)?;
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
