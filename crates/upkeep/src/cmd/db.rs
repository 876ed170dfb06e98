//! `upkeep db`: the store's schema and its contents as a whole.

use crate::settings::StoreArgs;
use std::ffi::OsString;
use std::io::Write;
use std::process::ExitCode;
use upkeep_store::{Location, Store};

/// Create or upgrade the store's schema, or copy one store into another.
///
/// The store is a SQLite file by default, or a PostgreSQL database shared by
/// many machines (`--db postgres://USER@HOST/DATABASE` or `UPKEEP_DB`; add
/// `?schema=NAME` to keep it in a schema of its own).
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(clap::Subcommand, Debug)]
enum What {
    /// Create the schema, or upgrade it to this build's (every verb does this
    /// too; run it once before starting workers of a new release).
    Migrate {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Copy everything one store holds into another (a laptop's file into the
    /// shared PostgreSQL store, say). Rows are matched on what they are (a
    /// repository's location, a commit's id), so copying twice changes
    /// nothing; the copy is one transaction: interrupted, it leaves nothing.
    Copy {
        /// The store to read: a file or a `postgres://` URL.
        #[arg(long, value_name = "PATH|URL")]
        from: OsString,
        /// The store to write into (created or migrated as needed).
        #[arg(long, value_name = "PATH|URL")]
        to: OsString,
    },
}

/// Runs the chosen subcommand.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.what {
        What::Migrate { store } => {
            let location = store.location()?;
            let store = store.open()?;
            let version = store.schema_version()?;
            println!("{location} is at schema version {version}");
        }
        What::Copy { from, to } => copy(&Location::parse(&from)?, &Location::parse(&to)?)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn copy(from: &Location, to: &Location) -> anyhow::Result<()> {
    let source = Store::open_read_only_at(from)?;
    let mut target = Store::open_at(to, || {
        eprintln!("waiting for another upkeep run that is using {to}…")
    })?;
    let bar = upkeep_app::progress::counter(upkeep_store::COPIED_TABLES, "tables copied");
    let counts = source.copy_into(&mut target, &mut |_, _| bar.inc(1))?;
    bar.finish_and_clear();
    let mut out = std::io::stdout().lock();
    let rows: u64 = counts.iter().map(|(_, n)| n).sum();
    for (table, n) in counts.iter().filter(|(_, n)| *n > 0) {
        writeln!(out, "{table:<22} {n:>10} rows")?;
    }
    writeln!(out, "copied {rows} rows from {from} into {to}")?;
    Ok(())
}
