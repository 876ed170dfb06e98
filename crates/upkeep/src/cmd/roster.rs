//! `upkeep roster`: an organization's own list of its people, for those who
//! contribute from personal addresses. A roster entry is the strongest of
//! affiliations: it decides who is "ours" in `upkeep contributions`.

use crate::settings::{ConfigArgs, StoreArgs};
use anyhow::Context;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use upkeep_app::documents::{csv_records, roster};

/// Keep an organization's roster of its people.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    store: StoreArgs,
    #[command(flatten)]
    config: ConfigArgs,
}

#[derive(clap::Subcommand, Debug)]
enum Command {
    /// Import a roster: CSV with the columns name,email,login,from,until and
    /// an optional team (a header row is optional; email or login is
    /// required, from/until are YYYY-MM-DD, until exclusive, either may be
    /// empty; a team is one of upkeep.toml's [organization] teams; several
    /// rows per person are allowed, one per stretch of time).
    ///
    /// What the same file imported before for the organization is replaced; a
    /// malformed line is reported as FILE:LINE and nothing is imported.
    Import {
        /// The CSV file.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// The organization [default: [organization] name in upkeep.toml].
        #[arg(long, env = "UPKEEP_ORG", value_name = "NAME")]
        org: Option<String>,
    },
    /// List the roster.
    List,
}

/// Runs the chosen subcommand.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut store = args.store.open()?;
    let mut out = std::io::stdout().lock();
    match args.command {
        Command::Import { file, org } => {
            let config = args.config.load()?;
            let organization = org.or(config.organization.name.clone()).context(
                "which organization is this roster of? give --org NAME or set [organization] name in upkeep.toml",
            )?;
            if organization.trim().is_empty() {
                anyhow::bail!("the organization name is empty: give --org NAME");
            }
            let teams = &config.organization.teams;
            let columns = csv_records::Columns {
                names: &roster::COLUMNS,
                required: roster::REQUIRED,
            };
            let rows = csv_records::read(&file, columns, |r| roster::check(r, teams))?;
            let shown = file.display().to_string();
            let entries = roster::entries(&rows, &organization, &shown);
            let stored = store.replace_roster(&organization, &shown, &entries)?;
            writeln!(
                out,
                "imported {stored} roster entries of {organization} from {shown}"
            )?;
        }
        Command::List => {
            let entries = store.roster()?;
            let text = |v: &Option<String>| v.clone().unwrap_or_default();
            let table = upkeep_report::listing(
                upkeep_report::Frame::Borders,
                &[
                    "organization",
                    "name",
                    "email",
                    "login",
                    "from",
                    "until",
                    "source",
                ],
                entries.iter().map(|e| {
                    [
                        e.organization.clone(),
                        e.name.clone(),
                        text(&e.email),
                        text(&e.login),
                        text(&e.from),
                        text(&e.until),
                        format!("{}:{}", e.file, e.line),
                    ]
                }),
            );
            writeln!(out, "{table}\n{} entries", entries.len())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
