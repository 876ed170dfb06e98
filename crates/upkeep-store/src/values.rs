//! Conversions between event values and SQLite values.

use rusqlite::types::{ToSqlOutput, ValueRef};
use upkeep_core::events::{Oid, RawText};

/// Text is stored as TEXT when it is valid UTF-8 (so SQL can compare it), else as a BLOB of the exact bytes.
pub(crate) fn text(t: &RawText) -> ToSqlOutput<'_> {
    match t.as_str() {
        Some(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
        None => ToSqlOutput::Borrowed(ValueRef::Blob(t.as_bytes())),
    }
}

/// The bytes of a TEXT or BLOB column; NULL reads as empty.
pub(crate) fn raw(v: ValueRef<'_>) -> RawText {
    match v {
        ValueRef::Text(b) | ValueRef::Blob(b) => RawText::from(b),
        _ => RawText::default(),
    }
}

pub(crate) fn oid(v: ValueRef<'_>) -> Oid {
    match v {
        ValueRef::Blob(b) | ValueRef::Text(b) => Oid::from_bytes(b),
        _ => Oid::from_bytes(&[]),
    }
}
