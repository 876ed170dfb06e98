//! The PostgreSQL backend: connecting (with an optional schema of our own),
//! statements prepared once per connection, and the conversions of values to
//! the columns' strict types.

use super::pg_tls::{self, SslMode};
use super::{Cell, DbError, Param};
use bytes::BytesMut;
use postgres::types::{FromSql, IsNull, ToSql, Type, to_sql_checked};
use postgres::{Client, Statement};
use std::collections::HashMap;
use std::error::Error;

/// Where a PostgreSQL store is: a `postgres://` URL, of which the store
/// itself reads three parameters: `schema=NAME` (the schema its tables live
/// in, created if missing; default `public`), and `sslmode` and
/// `sslrootcert` as libpq does (see [`super::pg_tls`]).
#[derive(Clone)]
pub struct PgTarget {
    config: postgres::Config,
    schema: Option<String>,
    ssl_mode: SslMode,
    tls: rustls::ClientConfig,
    shown: String,
}

impl std::fmt::Debug for PgTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown)
    }
}

impl std::fmt::Display for PgTarget {
    /// The URL without its password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown)
    }
}

/// Whether `location` names a PostgreSQL server rather than a file.
pub(crate) fn is_postgres_url(location: &str) -> bool {
    location.starts_with("postgres://") || location.starts_with("postgresql://")
}

impl PgTarget {
    /// Parses a `postgres://user[:password]@host[:port]/database[?schema=…&…]`
    /// URL. Without a password in it, `PGPASSWORD` is used if set.
    pub fn parse(url: &str) -> Result<PgTarget, String> {
        let (base, query) = url.split_once('?').unwrap_or((url, ""));
        let mut schema = None;
        let mut ssl_mode = std::env::var("PGSSLMODE").ok().filter(|v| !v.is_empty());
        let mut root_cert = std::env::var("PGSSLROOTCERT")
            .ok()
            .filter(|v| !v.is_empty());
        let mut rest = Vec::new();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            match pair.split_once('=') {
                Some(("schema", name)) => schema = Some(name.to_owned()),
                Some(("sslmode", mode)) => ssl_mode = Some(mode.to_owned()),
                Some(("sslrootcert", path)) => root_cert = Some(path.to_owned()),
                _ => rest.push(pair),
            }
        }
        if let Some(name) = &schema
            && !valid_schema(name)
        {
            return Err(format!(
                "the schema {name:?} must be letters, digits and underscores, not starting with a digit"
            ));
        }
        let kept = if rest.is_empty() {
            base.to_owned()
        } else {
            format!("{base}?{}", rest.join("&"))
        };
        let mut config: postgres::Config = kept.parse().map_err(|e| format!("{e}"))?;
        if config.get_password().is_none()
            && let Ok(password) = std::env::var("PGPASSWORD")
        {
            config.password(password);
        }
        if config.get_application_name().is_none() {
            config.application_name("upkeep");
        }
        let ssl_mode = match ssl_mode {
            Some(mode) => SslMode::parse(&mode)?,
            None => SslMode::default_for(config.get_hosts()),
        };
        config.ssl_mode(ssl_mode.client_mode());
        let tls = pg_tls::client_config(ssl_mode, root_cert.as_deref())?;
        Ok(PgTarget {
            shown: without_password(url),
            config,
            schema,
            ssl_mode,
            tls,
        })
    }

    /// How the connection is protected (`sslmode`, given or by default).
    pub fn ssl_mode(&self) -> SslMode {
        self.ssl_mode
    }

    /// The schema the store's tables live in, if not `public`.
    pub fn schema(&self) -> Option<&str> {
        self.schema.as_deref()
    }

    pub(crate) fn connect(&self) -> Result<Pg, postgres::Error> {
        let tls = tokio_postgres_rustls::MakeRustlsConnect::new(self.tls.clone());
        let mut client = self.config.connect(tls)?;
        if let Some(schema) = &self.schema {
            client.batch_execute(&format!(
                "CREATE SCHEMA IF NOT EXISTS {schema}; SET search_path = {schema}"
            ))?;
        }
        Ok(Pg {
            client,
            statements: HashMap::new(),
        })
    }
}

fn valid_schema(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name.len() <= 63
}

/// `url` with any password replaced by `***`.
pub(crate) fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((user, host)) => match user.split_once(':') {
            Some((name, _)) => format!("{scheme}://{name}:***@{host}{tail}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

/// An open PostgreSQL connection.
pub struct Pg {
    client: Client,
    statements: HashMap<String, Statement>,
}

impl Pg {
    fn statement(&mut self, sql: &str) -> Result<Statement, DbError> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let stmt = self.client.prepare(&placeholders(sql))?;
        self.statements.insert(sql.to_owned(), stmt.clone());
        Ok(stmt)
    }

    pub(super) fn execute(&mut self, sql: &str, params: &[Param<'_>]) -> Result<u64, DbError> {
        let stmt = self.statement(sql)?;
        let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as _).collect();
        Ok(self.client.execute(&stmt, &refs)?)
    }

    pub(super) fn query(
        &mut self,
        sql: &str,
        params: &[Param<'_>],
    ) -> Result<Vec<postgres::Row>, DbError> {
        let stmt = self.statement(sql)?;
        let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as _).collect();
        Ok(self.client.query(&stmt, &refs)?)
    }

    pub(super) fn batch(&mut self, sql: &str) -> Result<(), DbError> {
        Ok(self.client.batch_execute(sql)?)
    }

    /// The client, for what only PostgreSQL has (binary `COPY`).
    pub(crate) fn client(&mut self) -> &mut Client {
        &mut self.client
    }
}

/// SQLite's `?1` placeholders as PostgreSQL's `$1`, outside string literals.
fn placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut quoted = false;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' {
            quoted = !quoted;
        }
        if c == '?' && !quoted && chars.peek().is_some_and(|d| d.is_ascii_digit()) {
            out.push('$');
        } else {
            out.push(c);
        }
    }
    out
}

type BoxError = Box<dyn Error + Sync + Send>;

fn wrong(param: &Param<'_>, ty: &Type) -> BoxError {
    format!("cannot store {param:?} in a column of type {ty}").into()
}

impl ToSql for Param<'_> {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        match (*self, ty) {
            (Param::Null, _) => Ok(IsNull::Yes),
            (Param::Int(v), &Type::INT8) => v.to_sql(ty, out),
            (Param::Int(v), &Type::INT4) => i32::try_from(v)?.to_sql(ty, out),
            (Param::Int(v), &Type::INT2) => i16::try_from(v)?.to_sql(ty, out),
            (Param::Int(v), &Type::BOOL) => (v != 0).to_sql(ty, out),
            (Param::Int(v), &Type::FLOAT8) => (v as f64).to_sql(ty, out),
            (Param::Int(v), &Type::TEXT | &Type::VARCHAR) => v.to_string().to_sql(ty, out),
            (Param::Real(v), &Type::FLOAT8) => v.to_sql(ty, out),
            (Param::Real(v), &Type::FLOAT4) => (v as f32).to_sql(ty, out),
            (Param::Text(s), &Type::BYTEA) => s.as_bytes().to_sql(ty, out),
            (Param::Text(s), &Type::TEXT | &Type::VARCHAR | &Type::BPCHAR | &Type::NAME) => {
                s.to_sql(ty, out)
            }
            (Param::Bytes(b), &Type::BYTEA) => b.to_sql(ty, out),
            (Param::Bytes(b), &Type::TEXT | &Type::VARCHAR) => {
                String::from_utf8_lossy(b).as_ref().to_sql(ty, out)
            }
            (p, ty) => Err(wrong(&p, ty)),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

impl<'a> FromSql<'a> for Cell<'a> {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> Result<Self, BoxError> {
        Ok(match *ty {
            Type::INT8 => Cell::Int(i64::from_sql(ty, raw)?),
            Type::INT4 => Cell::Int(i32::from_sql(ty, raw)?.into()),
            Type::INT2 => Cell::Int(i16::from_sql(ty, raw)?.into()),
            Type::OID => Cell::Int(u32::from_sql(ty, raw)?.into()),
            Type::BOOL => Cell::Int(bool::from_sql(ty, raw)?.into()),
            Type::FLOAT8 => Cell::Real(f64::from_sql(ty, raw)?),
            Type::FLOAT4 => Cell::Real(f32::from_sql(ty, raw)?.into()),
            Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN => {
                Cell::Text(<&str>::from_sql(ty, raw)?)
            }
            Type::BYTEA => Cell::Bytes(<&[u8]>::from_sql(ty, raw)?),
            _ => return Err(format!("cannot read a column of type {ty}").into()),
        })
    }

    fn from_sql_null(_: &Type) -> Result<Self, BoxError> {
        Ok(Cell::Null)
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_outside_literals_become_dollars() {
        assert_eq!(
            placeholders("SELECT '?1', ?1, x FROM t WHERE a = ?12"),
            "SELECT '?1', $1, x FROM t WHERE a = $12"
        );
    }

    #[test]
    fn urls_are_shown_without_passwords_and_keep_their_schema() {
        let t = PgTarget::parse("postgres://u:s3cret@db.internal:5433/up?schema=team_a")
            .expect("parses");
        assert_eq!(
            t.to_string(),
            "postgres://u:***@db.internal:5433/up?schema=team_a"
        );
        assert_eq!(t.schema(), Some("team_a"));
        assert!(PgTarget::parse("postgres://u@h/db?schema=a;drop").is_err());
    }
}
