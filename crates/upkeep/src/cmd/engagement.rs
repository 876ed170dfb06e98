//! `upkeep engagement`: talks, blog posts, meetups and office hours our
//! people gave for upstreams, recorded by hand; `upkeep contributions`
//! counts them in its `engagement` KPI (beside `[[engagement]]` in upkeep.toml).

use crate::settings::StoreArgs;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use upkeep_app::documents::{csv_records, engagement};

/// Record engagement: talks, posts, meetups.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    store: StoreArgs,
}

#[derive(clap::Subcommand, Debug)]
enum Command {
    /// Import entries: CSV with the columns date,person,upstream,kind,url (a
    /// header row is optional; date is YYYY-MM-DD; person is an address,
    /// login:NAME or a name; kind is free text such as talk, blog post,
    /// meetup). Entries already stored are kept once; a malformed line is
    /// reported as FILE:LINE and nothing is imported.
    Import {
        /// The CSV file.
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
}

/// Runs the chosen subcommand.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let Command::Import { file } = args.command;
    let mut store = args.store.open()?;
    let rows = csv_records::read(
        &file,
        csv_records::Columns::all(&engagement::COLUMNS),
        engagement::check,
    )?;
    let shown = file.display().to_string();
    let entries = engagement::records(&rows, &shown);
    let added = store.add_engagement(&entries)?;
    writeln!(
        std::io::stdout().lock(),
        "imported {added} new engagement entries from {shown} ({} already stored)",
        entries.len() - added
    )?;
    Ok(ExitCode::SUCCESS)
}
