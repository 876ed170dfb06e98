//! Errors of the store.

use crate::db::DbError;
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
    /// The PostgreSQL server could not be reached or read.
    #[error("cannot use the database {target}")]
    Postgres {
        /// The server's URL, without its password.
        target: String,
        /// The client's error.
        #[source]
        source: crate::db::DbError,
    },
    /// The location is neither a file nor a valid `postgres://` URL.
    #[error("{location} is not a valid PostgreSQL URL: {reason}")]
    BadUrl {
        /// What was given, without its password.
        location: String,
        /// Why it does not parse.
        reason: String,
    },
    /// The database exists but is not upkeep's.
    #[error(
        "{location} is not an upkeep database (it is {what}); choose another with --db or UPKEEP_DB"
    )]
    NotOurs {
        /// The file or server.
        location: String,
        /// What it seems to be instead.
        what: String,
    },
    /// The database was written by a newer upkeep.
    #[error(
        "{location} was written by a newer upkeep (schema version {found}; this build knows up to {known}); upgrade upkeep or choose another database with --db"
    )]
    TooNew {
        /// The file or server.
        location: String,
        /// Its schema version.
        found: i64,
        /// The newest version this build knows.
        known: i64,
    },
    /// A reader found a schema other than this build's.
    #[error(
        "{location} has schema version {found}, this build reads {known}; run `upkeep db migrate` (with this build) to upgrade it"
    )]
    OtherSchema {
        /// The file or server.
        location: String,
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
    source: DbError,
}

impl StoreError {
    pub(crate) fn while_doing<E: Into<DbError>>(
        doing: &'static str,
    ) -> impl FnOnce(E) -> StoreError {
        move |source| StoreError {
            doing,
            source: source.into(),
        }
    }

    /// Whether the connection to the server was lost (a PostgreSQL restart):
    /// the work can be tried again on a new connection.
    pub fn is_connection_lost(&self) -> bool {
        match &self.source {
            DbError::Postgres(e) => e.is_closed() || e.code().is_none(),
            _ => false,
        }
    }
}

impl From<DbError> for StoreError {
    fn from(source: DbError) -> StoreError {
        StoreError {
            doing: "using the database",
            source,
        }
    }
}
