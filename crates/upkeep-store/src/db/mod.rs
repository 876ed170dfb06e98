//! One connection to either backend: SQLite (a file, the default) or
//! PostgreSQL (a shared server). The store's queries are written once, in the
//! SQL both understand (`?N` placeholders, `ON CONFLICT`, `RETURNING`,
//! `TRUE`/`FALSE`); the few that differ ask [`Db::dialect`].

mod pg_tls;
mod postgres;
mod sqlite;
mod value;

pub use self::pg_tls::SslMode;
pub use self::postgres::PgTarget;
pub(crate) use self::postgres::{Pg, is_postgres_url, without_password};
pub(crate) use value::params;
pub use value::{Cell, FromCell, Param, ToParam, Value};

use std::cell::RefCell;

/// Which SQL a connection speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// SQLite.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// A failed statement, or a value of another type than the one read.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// SQLite's error.
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    /// PostgreSQL's error.
    #[error(transparent)]
    Postgres(#[from] ::postgres::Error),
    /// A cell held another type.
    #[error("expected {wanted}, found {found}")]
    Type {
        /// What the caller read.
        wanted: &'static str,
        /// What the cell held.
        found: &'static str,
    },
    /// A query that must return a row returned none.
    #[error("the query returned no row")]
    NoRow,
    /// The caller's row callback stopped the query.
    #[error("stopped by the reader of the rows")]
    Stopped,
}

/// A row of a result.
pub enum Row<'a> {
    /// A SQLite row.
    Sqlite(&'a rusqlite::Row<'a>),
    /// A PostgreSQL row.
    Postgres(&'a ::postgres::Row),
}

impl Row<'_> {
    /// The cell at `index`, converted.
    pub fn get<T: FromCell>(&self, index: usize) -> Result<T, DbError> {
        match self {
            Row::Sqlite(r) => T::from_cell(sqlite::cell(r.get_ref(index)?)),
            Row::Postgres(r) => T::from_cell(r.try_get::<_, Cell<'_>>(index)?),
        }
    }

    /// Whether the cell at `index` is NULL.
    pub fn is_null(&self, index: usize) -> Result<bool, DbError> {
        Ok(match self {
            Row::Sqlite(r) => r.get_ref(index)? == rusqlite::types::ValueRef::Null,
            Row::Postgres(r) => r.try_get::<_, Option<Cell<'_>>>(index)?.is_none(),
        })
    }
}

/// Parameters per statement: under SQLite's and PostgreSQL's limits.
pub const MAX_PARAMS: usize = 30_000;

/// `INSERT INTO {into} VALUES (?1, ?2), (?3, ?4) {tail}` for `rows` rows of `width`.
pub fn values_sql(into: &str, width: usize, rows: usize, tail: &str) -> String {
    let mut sql = format!("INSERT INTO {into} VALUES ");
    for r in 0..rows {
        sql.push_str(if r == 0 { "(" } else { ", (" });
        for i in 1..=width {
            if i > 1 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("?{}", r * width + i));
        }
        sql.push(')');
    }
    if !tail.is_empty() {
        sql.push(' ');
        sql.push_str(tail);
    }
    sql
}

/// An open connection.
pub enum Db {
    /// A SQLite file.
    Sqlite(rusqlite::Connection),
    /// A PostgreSQL server; statements are prepared once and cached.
    Postgres(Box<RefCell<self::postgres::Pg>>),
}

impl Db {
    /// Which SQL this connection speaks.
    pub fn dialect(&self) -> Dialect {
        match self {
            Db::Sqlite(_) => Dialect::Sqlite,
            Db::Postgres(_) => Dialect::Postgres,
        }
    }

    /// `sqlite` or `postgres`, whichever this connection speaks.
    pub fn pick<'s>(&self, sqlite: &'s str, postgres: &'s str) -> &'s str {
        match self.dialect() {
            Dialect::Sqlite => sqlite,
            Dialect::Postgres => postgres,
        }
    }

    /// Runs one statement, returning the number of rows it changed.
    pub fn execute(&self, sql: &str, params: &[Param<'_>]) -> Result<u64, DbError> {
        match self {
            Db::Sqlite(c) => sqlite::execute(c, sql, params),
            Db::Postgres(c) => c.borrow_mut().execute(sql, params),
        }
    }

    /// Runs several statements without parameters.
    pub fn batch(&self, sql: &str) -> Result<(), DbError> {
        match self {
            Db::Sqlite(c) => Ok(c.execute_batch(sql)?),
            Db::Postgres(c) => c.borrow_mut().batch(sql),
        }
    }

    /// Inserts rows given flat, `width` parameters a row, into `into`
    /// (`table (columns…)`), many rows a statement; `tail` follows the values
    /// (`ON CONFLICT DO NOTHING`). Returns the rows inserted.
    pub fn insert_many(
        &self,
        into: &str,
        width: usize,
        params: &[Param<'_>],
        tail: &str,
    ) -> Result<u64, DbError> {
        let mut inserted = 0;
        for chunk in params.chunks(width * (MAX_PARAMS / width).max(1)) {
            inserted += self.execute(&values_sql(into, width, chunk.len() / width, tail), chunk)?;
        }
        Ok(inserted)
    }

    /// Calls `f` on every row of a query.
    pub fn for_each(
        &self,
        sql: &str,
        params: &[Param<'_>],
        mut f: impl FnMut(&Row<'_>) -> Result<(), DbError>,
    ) -> Result<(), DbError> {
        match self {
            Db::Sqlite(c) => sqlite::for_each(c, sql, params, &mut f),
            Db::Postgres(c) => {
                let rows = c.borrow_mut().query(sql, params)?;
                rows.iter().try_for_each(|r| f(&Row::Postgres(r)))
            }
        }
    }

    /// Every row of a query, mapped by `f`.
    pub fn query_map<T>(
        &self,
        sql: &str,
        params: &[Param<'_>],
        mut f: impl FnMut(&Row<'_>) -> Result<T, DbError>,
    ) -> Result<Vec<T>, DbError> {
        let mut out = Vec::new();
        self.for_each(sql, params, |r| {
            out.push(f(r)?);
            Ok(())
        })?;
        Ok(out)
    }

    /// The first row of a query, mapped by `f`, if there is one.
    pub fn query_opt<T>(
        &self,
        sql: &str,
        params: &[Param<'_>],
        f: impl FnOnce(&Row<'_>) -> Result<T, DbError>,
    ) -> Result<Option<T>, DbError> {
        let mut f = Some(f);
        let mut out = None;
        self.for_each(sql, params, |r| {
            if let Some(f) = f.take() {
                out = Some(f(r)?);
            }
            Ok(())
        })?;
        Ok(out)
    }

    /// The first row of a query, mapped by `f`; no row is an error.
    pub fn query_row<T>(
        &self,
        sql: &str,
        params: &[Param<'_>],
        f: impl FnOnce(&Row<'_>) -> Result<T, DbError>,
    ) -> Result<T, DbError> {
        self.query_opt(sql, params, f)?.ok_or(DbError::NoRow)
    }

    /// Runs `f` in a transaction: committed if it returns `Ok`, rolled back if not.
    pub fn transaction<T, E: From<DbError>>(
        &self,
        f: impl FnOnce(&Db) -> Result<T, E>,
    ) -> Result<T, E> {
        self.batch(self.pick("BEGIN IMMEDIATE", "BEGIN"))?;
        match f(self) {
            Ok(v) => {
                self.batch("COMMIT")?;
                Ok(v)
            }
            Err(e) => {
                // The error that made us roll back is the one worth reporting.
                let _ = self.batch("ROLLBACK");
                Err(e)
            }
        }
    }
}
