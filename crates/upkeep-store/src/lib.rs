//! upkeep's store: one SQLite file holding what the sources mined.
//!
//! [`Store::open`] creates or upgrades the database (versioned
//! [`migrations`]), takes the lock that keeps two runs from mining into it at
//! once, and gives access to the per-repository records: commits written in
//! bounded transactions by a [`CommitWriter`], and the references, tags and
//! tip files written at the end of a run by [`Store::finish_run`].
//!
//! Crash safety comes from SQLite's write-ahead log: every batch is one
//! transaction, so a run killed at any moment leaves the last committed batch
//! in place and nothing half-written.
#![deny(missing_docs)]

mod affiliations;
mod conventions;
mod error;
pub mod export;
mod forge;
mod identities;
mod ledger;
mod lists;
mod lock;
pub mod migrations;
mod packages;
mod read;
mod repository;
mod trackers;
mod values;
mod write;

pub use affiliations::{AffiliationImport, ImportCounts};
pub use error::{OpenError, StoreError};
pub use forge::{ForgeBatch, ForgeData};
pub use identities::{Authored, PathHistories, PathHistory, SeenIdentity, TaggedRelease};
pub use ledger::{CommitCredits, CreditsTable, EngagementRecord, RosterEntry};
pub use lists::{ListId, ListMessages, ListRecord, Part, PartRecord, StoredMessage};
pub use packages::Lookup;
pub use read::Summary;
pub use repository::{FinishedRun, RepoId, RepoRecord};
pub use trackers::Tracker;
pub use write::CommitWriter;

use rusqlite::Connection;
use std::path::{Path, PathBuf};

/// An open upkeep database, held exclusively by this process until dropped.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// Held by a writer; a reader (see [`Store::open_read_only`]) takes none.
    _lock: Option<lock::Lock>,
}

impl Store {
    /// Opens (creating if needed) the database at `path`, migrating it to the
    /// current schema. If another process holds the database, `on_wait` is
    /// called once and this waits until it is released.
    pub fn open(path: &Path, on_wait: impl FnOnce()) -> Result<Store, OpenError> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| OpenError::Io {
                path: parent.to_owned(),
                source,
            })?;
        }
        let lock = lock::Lock::acquire(path, on_wait)?;
        let conn = Connection::open(path).map_err(|source| OpenError::Sqlite {
            path: path.to_owned(),
            source,
        })?;
        migrations::prepare(&conn, path)?;
        Ok(Store {
            conn,
            path: path.to_owned(),
            _lock: Some(lock),
        })
    }

    /// Opens the database at `path` to read only, beside writers: no lock is
    /// taken and nothing is migrated (SQLite's write-ahead log lets readers see
    /// the last committed state while a run writes). The file must exist and
    /// have this build's schema; `upkeep mine` creates or upgrades it.
    pub fn open_read_only(path: &Path) -> Result<Store, OpenError> {
        let sqlite = |source| OpenError::Sqlite {
            path: path.to_owned(),
            source,
        };
        let conn = Connection::open_with_flags(
            path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(sqlite)?;
        migrations::check_read_only(&conn, path)?;
        Ok(Store {
            conn,
            path: path.to_owned(),
            _lock: None,
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}
