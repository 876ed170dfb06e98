//! `upkeep engagement`: talks, blog posts, meetups and office hours our
//! people gave for upstreams, recorded by hand; `upkeep contributions`
//! counts them in its `engagement` KPI (beside `[[engagement]]` in upkeep.toml).

use crate::settings::StoreArgs;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use upkeep_app::documents::csv_records::{self, Row};
use upkeep_store::EngagementRecord;

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

const COLUMNS: [&str; 5] = ["date", "person", "upstream", "kind", "url"];

fn check(row: &Row) -> Result<(), String> {
    if csv_records::date(row, 0, "date")?.is_none() {
        return Err("no date".into());
    }
    for (i, name) in [(1, "person"), (2, "upstream"), (3, "kind")] {
        if row.get(i).is_none() {
            return Err(format!("no {name}"));
        }
    }
    Ok(())
}

/// Runs the chosen subcommand.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let Command::Import { file } = args.command;
    let mut store = args.store.open()?;
    let rows = csv_records::read(&file, &COLUMNS, check)?;
    let shown = file.display().to_string();
    let entries: Vec<EngagementRecord> = rows
        .iter()
        .map(|r| {
            let cell = |i: usize| r.get(i).unwrap_or_default().to_owned();
            EngagementRecord {
                day: cell(0),
                person: cell(1),
                upstream: cell(2),
                kind: cell(3),
                url: cell(4),
                file: shown.clone(),
                line: r.line,
            }
        })
        .collect();
    let added = store.add_engagement(&entries)?;
    writeln!(
        std::io::stdout().lock(),
        "imported {added} new engagement entries from {shown} ({} already stored)",
        entries.len() - added
    )?;
    Ok(ExitCode::SUCCESS)
}
