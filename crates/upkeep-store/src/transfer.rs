//! `upkeep db copy`: one store's contents into another (a laptop's SQLite
//! file into the shared PostgreSQL store, or back). Rows are matched on their
//! natural keys (a repository's location, a commit's id in its repository, an
//! identity's name and address, a message's Message-ID in its list), so ids
//! are renumbered as the target needs and copying twice changes nothing. The
//! copy is one transaction on the target: interrupted, it leaves nothing.

use crate::catalog::{Key, TABLES, Table};
use crate::db::{Db, DbError, Dialect, MAX_PARAMS, Param, ToParam, Value, values_sql};
use crate::{Store, StoreError};
use std::collections::HashMap;

/// The number of tables [`Store::copy_into`] copies (for a progress bar).
pub const COPIED_TABLES: usize = TABLES.len();

/// Rows read from the source, per table, in the order copied.
pub type CopyCounts = Vec<(&'static str, u64)>;

impl Store {
    /// Copies everything this store holds into `target`, in one transaction
    /// there; `each` is told each table when it is done, with its rows.
    pub fn copy_into(
        &self,
        target: &mut Store,
        each: &mut dyn FnMut(&str, u64),
    ) -> Result<CopyCounts, StoreError> {
        let mut ids: HashMap<&'static str, HashMap<i64, i64>> = HashMap::new();
        let (source, dialect) = (&self.conn, target.conn.dialect());
        target
            .conn
            .transaction(|db| {
                let mut counts = Vec::new();
                for table in TABLES {
                    let n = copy_table(source, db, dialect, table, &mut ids)?;
                    each(table.name, n);
                    counts.push((table.name, n));
                }
                Ok::<_, DbError>(counts)
            })
            .map_err(StoreError::while_doing("copying the store"))
    }
}

fn copy_table(
    source: &Db,
    target: &Db,
    dialect: Dialect,
    table: &Table,
    ids: &mut HashMap<&'static str, HashMap<i64, i64>>,
) -> Result<u64, DbError> {
    let mut rows = source.query_map(
        &format!("SELECT {} FROM {}", table.columns.join(", "), table.name),
        &[],
        |r| {
            (0..table.columns.len())
                .map(|i| r.get::<Value>(i))
                .collect::<Result<Vec<_>, _>>()
        },
    )?;
    if let Key::Replace(scope) = table.key {
        clear_scopes(target, table, scope, &rows)?;
    }
    let refs: Vec<(usize, &'static str)> = table
        .refs
        .iter()
        .map(|(column, other)| {
            (
                table.columns.iter().position(|c| c == column).unwrap_or(0),
                *other,
            )
        })
        .collect();
    for row in &mut rows {
        for (i, other) in &refs {
            if let Value::Int(old) = row[*i] {
                row[*i] = ids
                    .get(other)
                    .and_then(|m| m.get(&old))
                    .map_or(Value::Null, |&new| Value::Int(new));
            }
        }
        if dialect == Dialect::Sqlite {
            row.iter_mut().for_each(text_when_utf8);
        }
    }
    let skip = usize::from(matches!(table.key, Key::Id(_)));
    let width = table.columns.len() - skip;
    let mut renumbered = HashMap::new();
    for chunk in rows.chunks((MAX_PARAMS / width).max(1)) {
        let sql = insert_sql(table, chunk.len());
        let params: Vec<Param<'_>> = chunk
            .iter()
            .flat_map(|row| row[skip..].iter().map(ToParam::to_param))
            .collect();
        let Key::Id(natural) = table.key else {
            target.execute(&sql, &params)?;
            continue;
        };
        // The target's ids, by natural key; the source's, by the same key.
        let mut new_ids = HashMap::new();
        target.for_each(&sql, &params, |r| {
            let key: Vec<Value> = (1..=natural.len())
                .map(|i| r.get::<Value>(i))
                .collect::<Result<_, _>>()?;
            new_ids.insert(key_text(&key), r.get::<i64>(0)?);
            Ok(())
        })?;
        let at: Vec<usize> = natural
            .iter()
            .map(|n| table.columns.iter().position(|c| c == n).unwrap_or(0))
            .collect();
        for row in chunk {
            let key: Vec<Value> = at.iter().map(|&i| row[i].clone()).collect();
            if let (Value::Int(old), Some(&new)) = (&row[0], new_ids.get(&key_text(&key))) {
                renumbered.insert(*old, new);
            }
        }
    }
    if !renumbered.is_empty() {
        ids.insert(table.name, renumbered);
    }
    Ok(rows.len() as u64)
}

/// A natural key as one string, the same whether a value came as text or bytes.
fn key_text(values: &[Value]) -> Vec<u8> {
    let mut out = Vec::new();
    for v in values {
        match v {
            Value::Null => out.push(b'n'),
            Value::Int(i) => out.extend(format!("i{i}").bytes()),
            Value::Real(r) => out.extend(format!("r{r}").bytes()),
            Value::Text(t) => {
                out.push(b'b');
                out.extend(t.as_bytes());
            }
            Value::Bytes(b) => {
                out.push(b'b');
                out.extend(b);
            }
        }
        out.push(0);
    }
    out
}

/// The statement inserting `rows` rows of `table` into the target.
fn insert_sql(table: &Table, rows: usize) -> String {
    let columns = match table.key {
        Key::Id(_) => &table.columns[1..],
        _ => table.columns,
    };
    let into = format!("{} ({})", table.name, columns.join(", "));
    let tail = match table.key {
        Key::Id(natural) => {
            let keep = natural
                .iter()
                .map(|c| format!("{c} = excluded.{c}"))
                .collect::<Vec<_>>()
                .join(", ");
            format!(
                "ON CONFLICT ({0}) DO UPDATE SET {keep} RETURNING id, {0}",
                natural.join(", ")
            )
        }
        Key::Natural(_) => "ON CONFLICT DO NOTHING".to_owned(),
        Key::Replace(_) => String::new(),
    };
    values_sql(&into, columns.len(), rows, &tail)
}

/// Deletes the target's rows of a replaced table that the copied rows replace:
/// all of them, or those of the same scope (an organization's roster file).
fn clear_scopes(
    target: &Db,
    table: &Table,
    scope: &[&str],
    rows: &[Vec<Value>],
) -> Result<(), DbError> {
    if rows.is_empty() {
        return Ok(());
    }
    if scope.is_empty() {
        target.execute(&format!("DELETE FROM {}", table.name), &[])?;
        return Ok(());
    }
    let at: Vec<usize> = scope
        .iter()
        .map(|s| table.columns.iter().position(|c| c == s).unwrap_or(0))
        .collect();
    let mut seen: Vec<Vec<Value>> = Vec::new();
    for row in rows {
        let key: Vec<Value> = at.iter().map(|&i| row[i].clone()).collect();
        if !seen.contains(&key) {
            seen.push(key);
        }
    }
    let condition = scope
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{c} = ?{}", i + 1))
        .collect::<Vec<_>>()
        .join(" AND ");
    for key in seen {
        let params: Vec<Param<'_>> = key.iter().map(ToParam::to_param).collect();
        target.execute(
            &format!("DELETE FROM {} WHERE {condition}", table.name),
            &params,
        )?;
    }
    Ok(())
}

/// SQLite keeps UTF-8 names as TEXT (so SQL compares them); bytes from
/// PostgreSQL's BYTEA columns go back as TEXT when they are UTF-8.
fn text_when_utf8(v: &mut Value) {
    if let Value::Bytes(b) = v
        && let Ok(s) = std::str::from_utf8(b)
    {
        *v = Value::Text(s.to_owned());
    }
}
