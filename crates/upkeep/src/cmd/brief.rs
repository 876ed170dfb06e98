//! `upkeep brief`: what changed in a project this quarter, as prose to edit.

use crate::settings::{ConfigArgs, ForgeArgs, StoreArgs};
use anyhow::Context;
use std::process::ExitCode;
use upkeep_core::documents::brief::{Template, quarters};

/// Write a project's quarterly brief: what changed this quarter against the
/// one before, as sentences a person would edit into a board report, a TSC
/// update or an OSPO's review.
///
/// Mines first (like `report`), then compares the quarter's report with the
/// previous quarter's: maintainers who joined and left (names and dates),
/// releases (which, by whom, overdue or not), contributors (new, returning,
/// lost), response times, mailing-list traffic, organization shares that
/// moved, security advisories and their fixes, and flags raised and cleared.
/// Every sentence names the metrics its numbers come from; their definitions
/// end the brief.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The project's repositories: local paths or clone URLs.
    #[arg(value_name = "REPOSITORY", required_unless_present = "project")]
    repositories: Vec<String>,
    /// A project named in upkeep.toml's [[projects]] (its repositories are added, and it names the brief).
    #[arg(long, value_name = "NAME")]
    project: Option<String>,
    /// The quarter, as YEAR-Qn (2026-Q3) [default: the last complete quarter].
    #[arg(long, value_name = "YEAR-Qn")]
    quarter: Option<String>,
    /// Whose sections the brief follows.
    #[arg(long, value_enum, default_value_t = TemplateArg::Plain)]
    template: TemplateArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = BriefFormat::Markdown)]
    format: BriefFormat,
    #[command(flatten)]
    forge: ForgeArgs,
    #[command(flatten)]
    store: StoreArgs,
    #[command(flatten)]
    config: ConfigArgs,
}

/// The sections a brief follows.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum TemplateArg {
    /// An Apache board report: project status, membership, activity, community health.
    Asf,
    /// A CNCF project's annual review: health, maintainers, contributors, releases, responsiveness, security.
    Cncf,
    /// One short summary.
    Plain,
}

/// How the brief is written.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum BriefFormat {
    /// Markdown, to edit.
    Markdown,
    /// One self-contained HTML page.
    Html,
    /// The sentences and their metrics, as JSON.
    Json,
}

/// Mines, composes and prints the brief.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let now = jiff::Timestamp::now().as_second();
    let (q, previous) = quarters(args.quarter.as_deref(), now).map_err(anyhow::Error::msg)?;
    let config = args.config.load()?;
    let mut wanted = args.repositories.clone();
    if let Some(name) = &args.project {
        wanted.extend(config.project(name)?.iter().cloned());
    }
    let name = args
        .project
        .clone()
        .or_else(|| {
            wanted.first().map(|w| {
                w.trim_end_matches('/')
                    .rsplit('/')
                    .next()
                    .unwrap_or(w)
                    .to_owned()
            })
        })
        .context("name the project's repositories, or --project NAME")?;
    let mut store = args.store.open()?;
    args.forge.options().check(wanted.len())?;
    let forge = upkeep_app::sources::forge::ForgeOptions {
        pairings: config.pairings(),
        ..args.forge.options()
    };
    let mined = upkeep_app::project::mine(&mut store, &wanted, &forge)?;
    let template = match args.template {
        TemplateArg::Asf => Template::Asf,
        TemplateArg::Cncf => Template::Cncf,
        TemplateArg::Plain => Template::Plain,
    };
    let brief = upkeep_app::documents::brief::brief(
        &store,
        &config,
        &mined,
        &name,
        (&q, &previous),
        template,
        now,
    )?;
    let text = match args.format {
        BriefFormat::Markdown => upkeep_report::brief_markdown(&brief),
        BriefFormat::Html => upkeep_report::brief_html(&brief)?,
        BriefFormat::Json => serde_json::to_string_pretty(&brief)? + "\n",
    };
    print!("{text}");
    Ok(crate::settings::sources_exit(&mined))
}
