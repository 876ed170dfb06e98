//! Errors of the store.

use std::path::PathBuf;

/// Why the database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The directory or lock file could not be created.
    #[error("cannot use {}", path.display())]
    Io {
        /// The path involved.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// SQLite could not open or read the file.
    #[error("cannot open the database {}", path.display())]
    Sqlite {
        /// The database file.
        path: PathBuf,
        /// SQLite's error.
        #[source]
        source: rusqlite::Error,
    },
    /// The file exists but is not an upkeep database.
    #[error("{} is not an upkeep database (it is {what}); choose another file with --db or UPKEEP_DB", path.display())]
    NotOurs {
        /// The file.
        path: PathBuf,
        /// What it seems to be instead.
        what: String,
    },
    /// The database was written by a newer upkeep.
    #[error(
        "{} was written by a newer upkeep (schema version {found}; this build knows up to {known}); upgrade upkeep or choose another file with --db",
        path.display()
    )]
    TooNew {
        /// The file.
        path: PathBuf,
        /// Its schema version.
        found: i64,
        /// The newest version this build knows.
        known: i64,
    },
    /// A reader found a schema other than this build's.
    #[error(
        "{} has schema version {found}, this build reads {known}; run `upkeep mine` (with this build) to upgrade it",
        path.display()
    )]
    OtherSchema {
        /// The file.
        path: PathBuf,
        /// Its schema version.
        found: i64,
        /// The version this build reads.
        known: i64,
    },
}

/// A failed read or write on an open database.
#[derive(Debug, thiserror::Error)]
#[error("database error while {doing}")]
pub struct StoreError {
    doing: &'static str,
    #[source]
    source: rusqlite::Error,
}

impl StoreError {
    pub(crate) fn while_doing(doing: &'static str) -> impl FnOnce(rusqlite::Error) -> StoreError {
        move |source| StoreError { doing, source }
    }
}
