//! Versioned schema migrations, one list per backend (`migrations/sqlite/`,
//! `migrations/postgres/`). In SQLite `PRAGMA user_version` records how many
//! have run and `PRAGMA application_id` marks the file as upkeep's; in
//! PostgreSQL the table `upkeep_schema` does both.

use crate::OpenError;
use crate::db::{Db, DbError, PgTarget, params};
use rusqlite::Connection;
use std::path::Path;

/// `upkp` in ASCII: marks a SQLite file as an upkeep database.
pub const APPLICATION_ID: i64 = 0x7570_6b70;

/// The migrations, in order; the schema version is the number applied.
pub const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/sqlite/0001.sql"),
    include_str!("../migrations/sqlite/0002.sql"),
    include_str!("../migrations/sqlite/0003.sql"),
    include_str!("../migrations/sqlite/0004.sql"),
    include_str!("../migrations/sqlite/0005.sql"),
    include_str!("../migrations/sqlite/0006.sql"),
    include_str!("../migrations/sqlite/0007.sql"),
    include_str!("../migrations/sqlite/0008.sql"),
    include_str!("../migrations/sqlite/0009.sql"),
    include_str!("../migrations/sqlite/0010.sql"),
    include_str!("../migrations/sqlite/0011.sql"),
    include_str!("../migrations/sqlite/0012.sql"),
    include_str!("../migrations/sqlite/0013.sql"),
];

/// The PostgreSQL migrations, in order; the version is the number applied.
pub const POSTGRES_MIGRATIONS: &[&str] = &[
    include_str!("../migrations/postgres/0001.sql"),
    include_str!("../migrations/postgres/0002.sql"),
    include_str!("../migrations/postgres/0003.sql"),
    include_str!("../migrations/postgres/0004.sql"),
    include_str!("../migrations/postgres/0005.sql"),
    include_str!("../migrations/postgres/0006.sql"),
];

/// For a reader: checks that the file is ours and of exactly this build's
/// schema, and sets the connection up for reading.
pub(crate) fn check_read_only(conn: &Connection, path: &Path) -> Result<(), OpenError> {
    let sqlite = |source| OpenError::Sqlite {
        path: path.to_owned(),
        source,
    };
    let app_id: i64 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(sqlite)?;
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(sqlite)?;
    if app_id != APPLICATION_ID {
        return Err(OpenError::NotOurs {
            location: path.display().to_string(),
            what: "not upkeep's (run `upkeep mine` to create one)".into(),
        });
    }
    let known = MIGRATIONS.len() as i64;
    if version != known {
        return Err(OpenError::OtherSchema {
            location: path.display().to_string(),
            found: version,
            known,
        });
    }
    conn.execute_batch(
        "PRAGMA busy_timeout = 30000; PRAGMA cache_size = -65536; PRAGMA mmap_size = 1073741824;",
    )
    .map_err(sqlite)
}

/// Checks that the file is ours and not newer than this build, sets the
/// connection up (WAL, foreign keys, busy timeout) and runs pending migrations,
/// each in its own transaction.
pub(crate) fn prepare(conn: &Connection, path: &Path) -> Result<(), OpenError> {
    let sqlite = |source| OpenError::Sqlite {
        path: path.to_owned(),
        source,
    };
    let not_ours = |what: &str| OpenError::NotOurs {
        location: path.display().to_string(),
        what: what.to_owned(),
    };
    let app_id: i64 = match conn.query_row("PRAGMA application_id", [], |r| r.get(0)) {
        Ok(id) => id,
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::NotADatabase =>
        {
            return Err(not_ours("not a SQLite database"));
        }
        Err(e) => return Err(sqlite(e)),
    };
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(sqlite)?;
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .map_err(sqlite)?;
    if app_id != APPLICATION_ID && (app_id != 0 || tables > 0) {
        return Err(not_ours("a SQLite database of another program"));
    }
    let known = MIGRATIONS.len() as i64;
    if version > known {
        return Err(OpenError::TooNew {
            location: path.display().to_string(),
            found: version,
            known,
        });
    }
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = NORMAL;
         PRAGMA foreign_keys = ON;
         PRAGMA busy_timeout = 30000;
         PRAGMA cache_size = -65536;
         PRAGMA mmap_size = 1073741824;
         PRAGMA temp_store = MEMORY;",
    )
    .map_err(sqlite)?;
    for (i, migration) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        let sql = format!(
            "BEGIN IMMEDIATE; {migration}\nPRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {}; COMMIT;",
            i + 1
        );
        conn.execute_batch(&sql).map_err(sqlite)?;
    }
    Ok(())
}

/// Checks that the schema is ours and not newer than this build, then runs
/// pending migrations in one transaction under an advisory lock, so workers
/// starting together migrate once. With `migrate` false (a reader), the
/// schema must be exactly this build's.
pub(crate) fn prepare_postgres(
    db: &Db,
    target: &PgTarget,
    migrate: bool,
) -> Result<i64, OpenError> {
    let pg = |source: DbError| OpenError::Postgres {
        target: target.to_string(),
        source,
    };
    let known = POSTGRES_MIGRATIONS.len() as i64;
    let version = db
        .transaction(|db| {
            db.query_row("SELECT pg_advisory_xact_lock(?1)", params![APPLICATION_ID], |_| Ok(()))?;
            let version = match postgres_version(db)? {
                Some(v) if v <= known && migrate => v,
                other => return Ok(other),
            };
            if version == 0 {
                db.batch(
                    "CREATE TABLE upkeep_schema (version BIGINT NOT NULL, migrated_at TIMESTAMPTZ NOT NULL DEFAULT now());
                     INSERT INTO upkeep_schema (version) VALUES (0)",
                )?;
            }
            for migration in POSTGRES_MIGRATIONS.iter().skip(version as usize) {
                db.batch(migration)?;
            }
            db.execute(
                "UPDATE upkeep_schema SET version = ?1, migrated_at = now()",
                params![known],
            )?;
            Ok(Some(known))
        })
        .map_err(pg)?;
    let Some(version) = version else {
        return Err(OpenError::NotOurs {
            location: target.to_string(),
            what: "a schema holding tables of another program; name another with ?schema=NAME"
                .into(),
        });
    };
    if version > known {
        return Err(OpenError::TooNew {
            location: target.to_string(),
            found: version,
            known,
        });
    }
    if version != known {
        return Err(OpenError::OtherSchema {
            location: target.to_string(),
            found: version,
            known,
        });
    }
    Ok(version)
}

/// The schema's version: 0 for an empty schema, `None` for one holding
/// tables of another program.
fn postgres_version(db: &Db) -> Result<Option<i64>, DbError> {
    let ours: bool = db.query_row(
        "SELECT count(*) > 0 FROM information_schema.tables
         WHERE table_schema = current_schema() AND table_name = 'upkeep_schema'",
        &[],
        |r| r.get(0),
    )?;
    if ours {
        return db
            .query_row("SELECT version FROM upkeep_schema", &[], |r| r.get(0))
            .map(Some);
    }
    let tables: i64 = db.query_row(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()",
        &[],
        |r| r.get(0),
    )?;
    Ok((tables == 0).then_some(0))
}
