//! Values crossing into and out of either backend: parameters borrowed from
//! the caller ([`Param`]) and cells read from a row ([`Cell`]), with the
//! conversions the store's types need.

use crate::db::DbError;
use upkeep_core::events::{Oid, RawText};

/// A parameter of a statement. Each backend converts it to the column's type
/// (PostgreSQL's are strict: text goes into BYTEA as its bytes, an integer
/// into BOOLEAN as `!= 0`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Param<'a> {
    /// SQL NULL.
    Null,
    /// An integer (also booleans).
    Int(i64),
    /// A floating-point number.
    Real(f64),
    /// UTF-8 text.
    Text(&'a str),
    /// Bytes (names and paths that are not UTF-8, object ids).
    Bytes(&'a [u8]),
}

/// Anything that can be a [`Param`].
pub trait ToParam {
    /// This value as a parameter.
    fn to_param(&self) -> Param<'_>;
}

macro_rules! int_param {
    ($($t:ty),*) => {$(
        impl ToParam for $t {
            fn to_param(&self) -> Param<'_> {
                Param::Int(*self as i64)
            }
        }
    )*};
}
int_param!(i64, i32, u32, u64, usize, bool);

impl ToParam for f64 {
    fn to_param(&self) -> Param<'_> {
        Param::Real(*self)
    }
}

impl ToParam for str {
    fn to_param(&self) -> Param<'_> {
        Param::Text(self)
    }
}

impl ToParam for String {
    fn to_param(&self) -> Param<'_> {
        Param::Text(self)
    }
}

impl ToParam for [u8] {
    fn to_param(&self) -> Param<'_> {
        Param::Bytes(self)
    }
}

impl ToParam for Vec<u8> {
    fn to_param(&self) -> Param<'_> {
        Param::Bytes(self)
    }
}

/// Text is stored as text when it is valid UTF-8 (so SQL can compare it), else as its exact bytes.
impl ToParam for RawText {
    fn to_param(&self) -> Param<'_> {
        match self.as_str() {
            Some(s) => Param::Text(s),
            None => Param::Bytes(self.as_bytes()),
        }
    }
}

impl ToParam for Oid {
    fn to_param(&self) -> Param<'_> {
        Param::Bytes(self.as_bytes())
    }
}

impl<T: ToParam + ?Sized> ToParam for &T {
    fn to_param(&self) -> Param<'_> {
        (**self).to_param()
    }
}

impl<T: ToParam> ToParam for Option<T> {
    fn to_param(&self) -> Param<'_> {
        match self {
            Some(v) => v.to_param(),
            None => Param::Null,
        }
    }
}

impl ToParam for Param<'_> {
    fn to_param(&self) -> Param<'_> {
        *self
    }
}

/// The parameters of a statement: `params![repo.0, name, oid]`.
macro_rules! params {
    ($($x:expr),* $(,)?) => {
        &[$($crate::db::ToParam::to_param(&$x)),*] as &[$crate::db::Param<'_>]
    };
}
pub(crate) use params;

/// One cell of a row, borrowed from the backend's buffer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cell<'a> {
    /// SQL NULL.
    Null,
    /// An integer or boolean.
    Int(i64),
    /// A floating-point number.
    Real(f64),
    /// Text.
    Text(&'a str),
    /// Bytes.
    Bytes(&'a [u8]),
}

impl Cell<'_> {
    fn kind(&self) -> &'static str {
        match self {
            Cell::Null => "NULL",
            Cell::Int(_) => "an integer",
            Cell::Real(_) => "a real number",
            Cell::Text(_) => "text",
            Cell::Bytes(_) => "bytes",
        }
    }
}

/// A Rust value read from a [`Cell`].
pub trait FromCell: Sized {
    /// Converts, or says what the cell held instead.
    fn from_cell(cell: Cell<'_>) -> Result<Self, DbError>;
}

fn mismatch<T>(cell: Cell<'_>, wanted: &'static str) -> Result<T, DbError> {
    Err(DbError::Type {
        wanted,
        found: cell.kind(),
    })
}

impl FromCell for i64 {
    fn from_cell(cell: Cell<'_>) -> Result<Self, DbError> {
        match cell {
            Cell::Int(v) => Ok(v),
            other => mismatch(other, "an integer"),
        }
    }
}

macro_rules! narrow_int {
    ($($t:ty),*) => {$(
        impl FromCell for $t {
            fn from_cell(cell: Cell<'_>) -> Result<Self, DbError> {
                let v = i64::from_cell(cell)?;
                <$t>::try_from(v).map_err(|_| DbError::Type {
                    wanted: stringify!($t),
                    found: "an integer out of its range",
                })
            }
        }
    )*};
}
narrow_int!(i32, u32, u64);

impl FromCell for bool {
    fn from_cell(cell: Cell<'_>) -> Result<Self, DbError> {
        Ok(i64::from_cell(cell)? != 0)
    }
}

impl FromCell for f64 {
    fn from_cell(cell: Cell<'_>) -> Result<Self, DbError> {
        match cell {
            Cell::Real(v) => Ok(v),
            Cell::Int(v) => Ok(v as f64),
            other => mismatch(other, "a real number"),
        }
    }
}

impl FromCell for String {
    fn from_cell(cell: Cell<'_>) -> Result<Self, DbError> {
        match cell {
            Cell::Text(s) => Ok(s.to_owned()),
            Cell::Bytes(b) => String::from_utf8(b.to_vec()).map_err(|_| DbError::Type {
                wanted: "text",
                found: "bytes that are not UTF-8",
            }),
            other => mismatch(other, "text"),
        }
    }
}

impl FromCell for Vec<u8> {
    fn from_cell(cell: Cell<'_>) -> Result<Self, DbError> {
        match cell {
            Cell::Text(s) => Ok(s.as_bytes().to_vec()),
            Cell::Bytes(b) => Ok(b.to_vec()),
            other => mismatch(other, "bytes"),
        }
    }
}

/// Text or bytes; NULL reads as empty.
impl FromCell for RawText {
    fn from_cell(cell: Cell<'_>) -> Result<Self, DbError> {
        match cell {
            Cell::Text(s) => Ok(RawText::from(s.as_bytes())),
            Cell::Bytes(b) => Ok(RawText::from(b)),
            _ => Ok(RawText::default()),
        }
    }
}

impl FromCell for Oid {
    fn from_cell(cell: Cell<'_>) -> Result<Self, DbError> {
        match cell {
            Cell::Text(s) => Ok(Oid::from_bytes(s.as_bytes())),
            Cell::Bytes(b) => Ok(Oid::from_bytes(b)),
            _ => Ok(Oid::from_bytes(&[])),
        }
    }
}

impl<T: FromCell> FromCell for Option<T> {
    fn from_cell(cell: Cell<'_>) -> Result<Self, DbError> {
        match cell {
            Cell::Null => Ok(None),
            other => T::from_cell(other).map(Some),
        }
    }
}

/// An owned cell, for values carried from one store to another.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// SQL NULL.
    Null,
    /// An integer or boolean.
    Int(i64),
    /// A floating-point number.
    Real(f64),
    /// Text.
    Text(String),
    /// Bytes.
    Bytes(Vec<u8>),
}

impl FromCell for Value {
    fn from_cell(cell: Cell<'_>) -> Result<Self, DbError> {
        Ok(match cell {
            Cell::Null => Value::Null,
            Cell::Int(v) => Value::Int(v),
            Cell::Real(v) => Value::Real(v),
            Cell::Text(s) => Value::Text(s.to_owned()),
            Cell::Bytes(b) => Value::Bytes(b.to_vec()),
        })
    }
}

impl ToParam for Value {
    fn to_param(&self) -> Param<'_> {
        match self {
            Value::Null => Param::Null,
            Value::Int(v) => Param::Int(*v),
            Value::Real(v) => Param::Real(*v),
            Value::Text(s) => Param::Text(s),
            Value::Bytes(b) => Param::Bytes(b),
        }
    }
}
