//! `upkeep export parquet DIR`: the store's events as Parquet files.

use crate::settings::{Format, StoreArgs};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Export the store's events for other tools.
///
/// `upkeep export parquet DIR` writes one Parquet file per table (repositories,
/// identities, commits, changes, trailers, forge items and activities, list
/// messages) into DIR, for DuckDB, Spark or Trino; docs/export-parquet.md
/// describes every column. An interrupted export leaves the files of the one
/// before it.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(clap::Subcommand, Debug)]
enum What {
    /// One Parquet file per table, Snappy-compressed.
    Parquet {
        /// The folder to write into (created if needed).
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        /// Output format of the summary.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
        #[command(flatten)]
        store: StoreArgs,
    },
}

/// Writes the files and says what it wrote.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let What::Parquet { dir, format, store } = args.what;
    let store = store.open_read_only()?;
    let bar = upkeep_app::progress::counter(upkeep_store::export::TABLES.len(), "tables exported");
    let written = upkeep_export::export_parquet(&store, &dir, &mut |_| bar.inc(1))?;
    bar.finish_and_clear();
    let mut out = std::io::stdout().lock();
    match format {
        Format::Json => {
            let files: Vec<serde_json::Value> = written
                .iter()
                .map(|w| serde_json::json!({"table": w.table, "path": w.path, "rows": w.rows}))
                .collect();
            serde_json::to_writer_pretty(&mut out, &files)?;
            writeln!(out)?;
        }
        _ => {
            for w in &written {
                writeln!(
                    out,
                    "{:<17} {:>10} rows  {}",
                    w.table,
                    w.rows,
                    upkeep_report::terminal(&w.path.display().to_string())
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
