//! `upkeep export parquet`: every table of [`upkeep_store::export::TABLES`]
//! as one Parquet file (Snappy-compressed, row groups of 100,000 rows), with
//! the columns' types and meanings in the file's metadata. Each file is
//! written beside its final name and renamed into place when whole, so an
//! interrupted export leaves the previous files, never a half-written one.
#![deny(missing_docs)]

use parquet::basic::Compression;
use parquet::data_type::{ByteArray, ByteArrayType, Int64Type};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use upkeep_store::Store;
use upkeep_store::export::{Cell, ColumnType, ExportError, ExportTable, TABLES};

/// Rows per row group.
const ROW_GROUP: usize = 100_000;

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be created or renamed.
    #[error("cannot write {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The Parquet writer failed.
    #[error("writing {table}.parquet: {source}")]
    Parquet {
        /// The table.
        table: &'static str,
        /// What the writer said.
        source: parquet::errors::ParquetError,
    },
    /// The store could not be read.
    #[error(transparent)]
    Store(#[from] upkeep_store::StoreError),
}

/// One file written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Written {
    /// The table.
    pub table: &'static str,
    /// The file.
    pub path: PathBuf,
    /// Its rows.
    pub rows: u64,
}

/// Writes every table of the store into `dir` (created if needed), calling
/// `progress` with each table's name before it is written.
pub fn export_parquet(
    store: &Store,
    dir: &Path,
    progress: &mut dyn FnMut(&'static str),
) -> Result<Vec<Written>, Error> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Io {
        path: dir.to_owned(),
        source,
    })?;
    let mut out = Vec::new();
    for table in TABLES {
        progress(table.name);
        out.push(write_table(store, table, dir)?);
    }
    Ok(out)
}

/// The Parquet schema of `table`.
pub fn schema(table: &ExportTable) -> String {
    let fields: Vec<String> = table
        .columns
        .iter()
        .map(|c| match c.kind {
            ColumnType::Text => format!("REQUIRED BYTE_ARRAY {} (UTF8);", c.name),
            ColumnType::OptionalText => format!("OPTIONAL BYTE_ARRAY {} (UTF8);", c.name),
            ColumnType::Int => format!("REQUIRED INT64 {};", c.name),
            ColumnType::OptionalInt => format!("OPTIONAL INT64 {};", c.name),
            // Milliseconds, adjusted to UTC: what DuckDB, Spark and Trino read as a timestamp.
            ColumnType::Time => format!("REQUIRED INT64 {} (TIMESTAMP(MILLIS,true));", c.name),
            ColumnType::OptionalTime => {
                format!("OPTIONAL INT64 {} (TIMESTAMP(MILLIS,true));", c.name)
            }
        })
        .collect();
    format!("message {} {{ {} }}", table.name, fields.join(" "))
}

/// One column's values of a row group, and which rows have one.
enum Buffer {
    Text(Vec<ByteArray>, Vec<i16>),
    Int(Vec<i64>, Vec<i16>),
    /// Moments as milliseconds since the epoch (the store keeps seconds).
    Millis(Vec<i64>, Vec<i16>),
}

/// A table's file being written.
struct TableWriter<'t> {
    table: &'t ExportTable,
    writer: SerializedFileWriter<File>,
    buffers: Vec<Buffer>,
    rows: usize,
}

impl<'t> TableWriter<'t> {
    fn new(table: &'t ExportTable, file: File) -> Result<Self, parquet::errors::ParquetError> {
        let schema = Arc::new(parse_message_type(&schema(table))?);
        let columns: Vec<KeyValue> = table
            .columns
            .iter()
            .map(|c| KeyValue::new(format!("upkeep.column.{}", c.name), c.doc.to_owned()))
            .chain([KeyValue::new(
                "upkeep.table".to_owned(),
                table.doc.to_owned(),
            )])
            .collect();
        let properties = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_key_value_metadata(Some(columns))
            .set_created_by(concat!("upkeep ", env!("CARGO_PKG_VERSION")).to_owned())
            .build();
        Ok(TableWriter {
            table,
            writer: SerializedFileWriter::new(file, schema, Arc::new(properties))?,
            buffers: Self::empty(table),
            rows: 0,
        })
    }

    fn empty(table: &ExportTable) -> Vec<Buffer> {
        table
            .columns
            .iter()
            .map(|c| match c.kind {
                ColumnType::Text | ColumnType::OptionalText => Buffer::Text(Vec::new(), Vec::new()),
                ColumnType::Int | ColumnType::OptionalInt => Buffer::Int(Vec::new(), Vec::new()),
                ColumnType::Time | ColumnType::OptionalTime => {
                    Buffer::Millis(Vec::new(), Vec::new())
                }
            })
            .collect()
    }

    fn push(&mut self, cells: Vec<Cell>) -> Result<(), parquet::errors::ParquetError> {
        for (buffer, cell) in self.buffers.iter_mut().zip(cells) {
            match (buffer, cell) {
                (Buffer::Text(values, defs), Cell::Text(t)) => {
                    values.push(ByteArray::from(t.into_bytes()));
                    defs.push(1);
                }
                (Buffer::Int(values, defs), Cell::Int(n)) => {
                    values.push(n);
                    defs.push(1);
                }
                (Buffer::Millis(values, defs), Cell::Int(seconds)) => {
                    values.push(seconds.saturating_mul(1000));
                    defs.push(1);
                }
                (Buffer::Text(_, defs) | Buffer::Int(_, defs) | Buffer::Millis(_, defs), _) => {
                    defs.push(0)
                }
            }
        }
        self.rows += 1;
        if self.rows >= ROW_GROUP {
            self.flush()?;
        }
        Ok(())
    }

    /// Writes the buffered rows as one row group.
    fn flush(&mut self) -> Result<(), parquet::errors::ParquetError> {
        if self.rows == 0 {
            return Ok(());
        }
        let buffers = std::mem::replace(&mut self.buffers, Self::empty(self.table));
        let mut group = self.writer.next_row_group()?;
        for (buffer, column) in buffers.iter().zip(self.table.columns) {
            let Some(mut writer) = group.next_column()? else {
                break;
            };
            let optional = column.kind.optional();
            match buffer {
                Buffer::Text(values, defs) => {
                    writer.typed::<ByteArrayType>().write_batch(
                        values,
                        optional.then_some(defs.as_slice()),
                        None,
                    )?;
                }
                Buffer::Int(values, defs) | Buffer::Millis(values, defs) => {
                    writer.typed::<Int64Type>().write_batch(
                        values,
                        optional.then_some(defs.as_slice()),
                        None,
                    )?;
                }
            }
            writer.close()?;
        }
        group.close()?;
        self.rows = 0;
        Ok(())
    }

    fn finish(mut self) -> Result<(), parquet::errors::ParquetError> {
        self.flush()?;
        self.writer.close()?;
        Ok(())
    }
}

fn write_table(store: &Store, table: &ExportTable, dir: &Path) -> Result<Written, Error> {
    let path = dir.join(format!("{}.parquet", table.name));
    let partial = dir.join(format!(".{}.parquet.partial", table.name));
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| Error::Io { path, source }
    };
    let pq = |source| Error::Parquet {
        table: table.name,
        source,
    };
    let file = File::create(&partial).map_err(io(&partial))?;
    let mut writer = TableWriter::new(table, file).map_err(pq)?;
    let rows = store
        .export_rows(table, &mut |cells| writer.push(cells))
        .map_err(|e| match e {
            ExportError::Store(e) => Error::Store(e),
            ExportError::Sink(source) => pq(source),
        })?;
    writer.finish().map_err(pq)?;
    std::fs::rename(&partial, &path).map_err(io(&path))?;
    Ok(Written {
        table: table.name,
        path,
        rows,
    })
}
