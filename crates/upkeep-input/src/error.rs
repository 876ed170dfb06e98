//! Why an input could not be read.

use std::path::PathBuf;

/// Why a file the user named was not read: the file, and the reason.
#[derive(Debug, thiserror::Error)]
#[error("{}: {reason}", path.display())]
pub struct InputError {
    /// The file or folder.
    pub path: PathBuf,
    /// What is wrong with it.
    pub reason: Reason,
}

/// What is wrong with a file.
#[derive(Debug, thiserror::Error)]
pub enum Reason {
    /// It could not be read.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// Larger than upkeep reads of its kind.
    #[error(
        "larger than {limit} bytes, the most upkeep reads of one {what} ({variable} raises it)"
    )]
    TooLarge {
        /// What it was read as.
        what: &'static str,
        /// The limit, in bytes.
        limit: u64,
        /// The variable that raises it.
        variable: &'static str,
    },
    /// A device, FIFO, socket or folder: never read, it may never end.
    #[error(
        "{0}, not a regular file: not read, as it may never end (UPKEEP_READ_SPECIAL_FILES=1 reads it)"
    )]
    NotAFile(&'static str),
    /// Not UTF-8 text where text is needed; the offset of the first invalid
    /// byte.
    #[error("not UTF-8 text (byte {0} is not)")]
    NotText(usize),
    /// A project's file that is a link to a file outside the project.
    #[error("a link to {}, outside the project directory: not read", .0.display())]
    OutsideProject(PathBuf),
}

impl InputError {
    pub(crate) fn new(path: &std::path::Path, reason: impl Into<Reason>) -> InputError {
        InputError {
            path: path.to_owned(),
            reason: reason.into(),
        }
    }

    /// Whether the file does not exist (some inputs are optional).
    pub fn is_not_found(&self) -> bool {
        matches!(&self.reason, Reason::Io(e) if e.kind() == std::io::ErrorKind::NotFound)
    }
}
