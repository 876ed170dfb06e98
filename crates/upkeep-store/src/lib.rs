//! upkeep's store: what the sources mined, in one SQLite file or in a
//! PostgreSQL database shared by a fleet of workers (see [`db`]).
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

mod adoption;
mod advisories;
mod affiliations;
pub mod catalog;
mod conventions;
mod copy;
mod db;
mod error;
pub mod export;
mod forge;
mod identities;
mod ledger;
mod lists;
mod lock;
pub mod migrations;
mod packages;
pub mod queue;
mod read;
mod repository;
mod security;
mod tokens;
mod trackers;
mod transfer;
mod write;

pub use adoption::{AdoptionCheck, AdoptionReading, ForkRecord};
pub use advisories::CachedAdvisory;
pub use affiliations::{AffiliationImport, ImportCounts};
pub use error::{OpenError, StoreError};
pub use forge::{ForgeBatch, ForgeData};
pub use identities::{Authored, PathHistories, PathHistory, SeenIdentity, TaggedRelease};
pub use ledger::{CommitCredits, CreditsTable, EngagementRecord, RosterEntry};
pub use lists::{ListId, ListMessages, ListRecord, Part, PartRecord, StoredMessage};
pub use packages::Lookup;
pub use read::Summary;
pub use repository::{FinishedRun, RepoId, RepoRecord};
pub use security::{AdvisoryCheckRecord, PublishedVersion};
pub use tokens::{Spent, TokenLease, TokenRecord};
pub use trackers::Tracker;
pub use transfer::{COPIED_TABLES, CopyCounts};
pub use write::CommitWriter;

pub use db::{DbError, Dialect, PgTarget, SslMode};

use db::Db;
use rusqlite::Connection;
use std::path::{Path, PathBuf};

/// Where a store is: a SQLite file (the default) or a PostgreSQL server.
#[derive(Clone, Debug)]
pub enum Location {
    /// A SQLite file.
    File(PathBuf),
    /// A PostgreSQL server (`postgres://…`).
    Postgres(Box<PgTarget>),
}

impl Location {
    /// A `postgres://` or `postgresql://` URL, else a file path.
    pub fn parse(location: &std::ffi::OsStr) -> Result<Location, OpenError> {
        match location.to_str() {
            Some(url) if db::is_postgres_url(url) => PgTarget::parse(url)
                .map(|t| Location::Postgres(Box::new(t)))
                .map_err(|reason| OpenError::BadUrl {
                    location: db::without_password(url),
                    reason,
                }),
            _ => Ok(Location::File(PathBuf::from(location))),
        }
    }
}

impl From<PathBuf> for Location {
    fn from(path: PathBuf) -> Location {
        Location::File(path)
    }
}

impl std::fmt::Display for Location {
    /// The path, or the URL without its password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::File(path) => write!(f, "{}", path.display()),
            Location::Postgres(target) => write!(f, "{target}"),
        }
    }
}

/// An open upkeep database. A SQLite file is held exclusively by this process
/// until dropped; a PostgreSQL store is shared by every process using it.
pub struct Store {
    conn: Db,
    location: Location,
    /// Held by a writer of a file; a reader (see [`Store::open_read_only`]) takes none.
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
        conn.set_prepared_statement_cache_capacity(64);
        Ok(Store {
            conn: Db::Sqlite(conn),
            location: Location::File(path.to_owned()),
            _lock: Some(lock),
        })
    }

    /// Opens the store at `location`: a file as [`Store::open`] does, a
    /// PostgreSQL server by connecting and migrating its schema (concurrent
    /// writers are expected there, so no lock is taken).
    pub fn open_at(location: &Location, on_wait: impl FnOnce()) -> Result<Store, OpenError> {
        match location {
            Location::File(path) => Store::open(path, on_wait),
            Location::Postgres(target) => Store::connect(target, true),
        }
    }

    /// Opens the store at `location` to read only (see [`Store::open_read_only`]).
    pub fn open_read_only_at(location: &Location) -> Result<Store, OpenError> {
        match location {
            Location::File(path) => Store::open_read_only(path),
            Location::Postgres(target) => Store::connect(target, false),
        }
    }

    fn connect(target: &PgTarget, migrate: bool) -> Result<Store, OpenError> {
        let pg = target.connect().map_err(|source| OpenError::Postgres {
            target: target.to_string(),
            source: source.into(),
        })?;
        let conn = Db::Postgres(Box::new(std::cell::RefCell::new(pg)));
        migrations::prepare_postgres(&conn, target, migrate)?;
        Ok(Store {
            conn,
            location: Location::Postgres(Box::new(target.clone())),
            _lock: None,
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
        conn.set_prepared_statement_cache_capacity(64);
        Ok(Store {
            conn: Db::Sqlite(conn),
            location: Location::File(path.to_owned()),
            _lock: None,
        })
    }

    /// Where the store is.
    pub fn location(&self) -> &Location {
        &self.location
    }

    /// The schema version of the store (per backend: see [`migrations`]).
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        let sql = self
            .conn
            .pick("PRAGMA user_version", "SELECT version FROM upkeep_schema");
        self.conn
            .query_row(sql, &[], |r| r.get(0))
            .map_err(StoreError::while_doing("reading the schema version"))
    }

    /// Which backend the store is on.
    pub fn dialect(&self) -> Dialect {
        self.conn.dialect()
    }
}

/// Stores for the unit tests: a SQLite file, and a fresh PostgreSQL schema
/// when `UPKEEP_TEST_DATABASE_URL` names a server; each test runs on both.
#[cfg(test)]
pub(crate) fn test_stores(name: &str) -> (tempfile::TempDir, Vec<Store>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut stores = vec![Store::open(&dir.path().join("u.db"), || {}).expect("opens")];
    if let Ok(url) = std::env::var("UPKEEP_TEST_DATABASE_URL") {
        let sep = if url.contains('?') { '&' } else { '?' };
        let url = format!("{url}{sep}schema=unit_{name}_{}", std::process::id());
        let location = Location::parse(url.as_ref()).expect("a URL");
        stores.push(Store::open_at(&location, || {}).expect("connects"));
    }
    (dir, stores)
}
