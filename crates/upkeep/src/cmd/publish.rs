//! `upkeep publish`: a static site of many projects, for any static host.

use crate::settings::{ConfigArgs, ForgeArgs, StoreArgs, WindowArgs};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use upkeep_app::documents::site::{PublishOptions, publish};

/// Publish a static site: an index of projects with their headline numbers,
/// and for each project its report page, `report.json` (docs/report-json.md),
/// badges (`badges/NAME.svg` and shields.io endpoint `badges/NAME.json`), and
/// its ledger (`contributions.html`/`.json`, when upkeep.toml names
/// [organization]) and dependency portfolio (`deps.html`/`.json`, when its
/// [[projects]] entry lists `sboms`).
///
/// Mines first, like `report`. Files that did not change are left alone, and
/// the pages carry the date of their data, so republishing unchanged data
/// changes nothing. The default window ends at the start of today (UTC).
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The site's directory (created if needed).
    #[arg(value_name = "DIR")]
    dir: PathBuf,
    /// The projects of upkeep.toml's [[projects]] to publish [default: all].
    #[arg(long, value_name = "NAME")]
    project: Vec<String>,
    /// Output format of the summary.
    #[arg(long, value_enum, default_value_t)]
    format: crate::settings::Format,
    #[command(flatten)]
    window: WindowArgs,
    #[command(flatten)]
    forge: ForgeArgs,
    #[command(flatten)]
    store: StoreArgs,
    #[command(flatten)]
    config: ConfigArgs,
}

/// Publishes and says what changed.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let now = jiff::Timestamp::now().as_second();
    let today = now - now.rem_euclid(86_400);
    let window = args.window.window(today)?;
    let config = args.config.load()?;
    let names: Vec<String> = if args.project.is_empty() {
        config.projects.iter().map(|p| p.name.clone()).collect()
    } else {
        args.project.clone()
    };
    if names.is_empty() {
        anyhow::bail!(
            "no project to publish: name them in upkeep.toml's [[projects]] (name, repositories)"
        );
    }
    let mut projects = Vec::new();
    for name in &names {
        let repositories = config.project(name)?.to_vec();
        let sboms = config
            .projects
            .iter()
            .find(|p| p.name == *name)
            .map(|p| p.sboms.iter().map(PathBuf::from).collect())
            .unwrap_or_default();
        projects.push((name.clone(), repositories, sboms));
    }
    let mut store = args.store.open()?;
    let published = publish(
        &mut store,
        &config,
        &PublishOptions {
            dir: args.dir.clone(),
            projects,
            window,
            period: upkeep_core::ledger::periods::PeriodName::Month,
            forge: upkeep_app::sources::forge::ForgeOptions {
                pairings: config.pairings(),
                ..args.forge.options()
            },
        },
    )?;
    let mut out = std::io::stdout().lock();
    match args.format {
        crate::settings::Format::Json => {
            serde_json::to_writer_pretty(&mut out, &published)?;
            writeln!(out)?;
        }
        crate::settings::Format::Table => writeln!(
            out,
            "{}: {} files written, {} unchanged",
            args.dir.display(),
            published.written.len(),
            published.unchanged
        )?,
    }
    Ok(ExitCode::SUCCESS)
}
