//! `upkeep affiliations`: import organization data (CNCF gitdm files).

use crate::settings::StoreArgs;
use anyhow::{Context, bail};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;
use upkeep_core::identities::gitdm;
use upkeep_store::AffiliationImport;

/// Import affiliation data.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    store: StoreArgs,
}

#[derive(clap::Subcommand, Debug)]
enum Command {
    /// Import CNCF gitdm files: developers_affiliations*.txt, domain-map, aliases,
    /// merged-company-names-mapping (recognized by name).
    ///
    /// Each kind of file given replaces what was imported of that kind before;
    /// the whole import is one transaction. Malformed lines are reported with
    /// their file and line and skipped.
    Import {
        /// The files to import.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
}

/// Runs the chosen subcommand.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let Command::Import { files } = args.command;
    let started = Instant::now();
    let mut import = AffiliationImport::default();
    let mut skipped = 0;
    for path in &files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = upkeep_input::read_text(path, upkeep_input::Kind::Table)
            .context("cannot read the affiliations; nothing was imported")?;
        let shown = path.display().to_string();
        let mut report = |issues: Vec<gitdm::LineIssue>| {
            for issue in &issues {
                eprintln!("{shown}:{}: {}; skipped", issue.line, issue.message);
            }
            skipped += issues.len();
        };
        if name.starts_with("developers_affiliations") {
            let parsed = gitdm::parse_developers(&text);
            report(parsed.issues);
            import
                .developers
                .get_or_insert_with(Vec::new)
                .extend(parsed.entries.into_iter().map(|d| (name.clone(), d)));
        } else if name == "domain-map" {
            let parsed = gitdm::parse_domain_map(&text);
            report(parsed.issues);
            import
                .domains
                .get_or_insert_with(Vec::new)
                .extend(parsed.entries);
        } else if name == "aliases" {
            let parsed = gitdm::parse_aliases(&text);
            report(parsed.issues);
            import
                .aliases
                .get_or_insert_with(Vec::new)
                .extend(parsed.entries);
        } else if name == "merged-company-names-mapping" {
            let parsed = gitdm::parse_company_names(&text);
            report(parsed.issues);
            import
                .names
                .get_or_insert_with(Vec::new)
                .extend(parsed.entries);
        } else {
            bail!(
                "{}: not a gitdm file upkeep knows (developers_affiliations*.txt, domain-map, aliases, \
                 merged-company-names-mapping); nothing was imported",
                path.display()
            );
        }
    }
    let mut store = args.store.open()?;
    let counts = store.import_affiliations(&import)?;
    println!(
        "imported {} developers ({} ranges), {} domain rules, {} aliases, {} company names in {:.2} s",
        counts.developers,
        counts.ranges,
        counts.domains,
        counts.aliases,
        counts.names,
        started.elapsed().as_secs_f64()
    );
    if skipped > 0 {
        println!("{skipped} malformed lines were skipped (listed on stderr)");
    }
    Ok(ExitCode::SUCCESS)
}
