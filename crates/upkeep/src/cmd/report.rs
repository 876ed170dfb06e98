//! `upkeep report`: is this project healthy, and where is it fragile?

use crate::settings::ForgeArgs;
use crate::settings::{ConfigArgs, DocFormat, StoreArgs, WindowArgs, print_document};
use std::process::ExitCode;
use upkeep_app::metrics::MeasureOptions;

/// Report on the health of a project: one or more repositories, one window.
///
/// Mines first (incrementally, with the options each repository was last mined
/// with), then computes the metrics of DESIGN.md over the window [since, until),
/// by default the last 365 days. Bots are left out of contributor metrics
/// unless --include-bots. Repositories on GitHub are synced first (see `mine`)
/// and add response times, non-maintainer pull requests, issue triage, forge
/// reviews and releases.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The project's repositories: local paths or clone URLs.
    #[arg(value_name = "REPOSITORY", required_unless_present = "project")]
    repositories: Vec<String>,
    /// A project named in upkeep.toml's [[projects]] (its repositories are added).
    #[arg(long, value_name = "NAME")]
    project: Vec<String>,
    #[command(flatten)]
    window: WindowArgs,
    /// Count bots as contributors.
    #[arg(long)]
    include_bots: bool,
    /// Whose identities the truck factor counts: upkeep's people (.mailmap,
    /// recorded decisions), or the truck-factor paper's rule, which joins the
    /// addresses used under one name (case-insensitive) to reproduce its numbers.
    #[arg(long, value_enum, default_value_t, value_name = "RULE")]
    truck_factor_identities: TruckFactorIdentities,
    /// Compare projects side by side instead: each REPOSITORY and each
    /// --project is its own project, all over the same window; one table (one
    /// row per headline figure, one column per project, with its change
    /// against a year before) and each project's flags.
    #[arg(long)]
    compare: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: DocFormat,
    #[command(flatten)]
    forge: ForgeArgs,
    #[command(flatten)]
    store: StoreArgs,
    #[command(flatten)]
    config: ConfigArgs,
}

/// Whose identities the truck factor counts.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
enum TruckFactorIdentities {
    /// upkeep's people.
    #[default]
    People,
    /// The paper's rule: addresses joined by identical name.
    Name,
}

impl From<TruckFactorIdentities> for upkeep_core::metrics::truck_factor::Identities {
    fn from(rule: TruckFactorIdentities) -> Self {
        match rule {
            TruckFactorIdentities::People => Self::People,
            TruckFactorIdentities::Name => Self::Name,
        }
    }
}

/// Mines, computes and prints the report.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let now = jiff::Timestamp::now().as_second();
    let window = args.window.window(now)?;
    let config = args.config.load()?;
    let mut store = args.store.open()?;
    if args.compare {
        return compare(&args, &config, &mut store, window, now);
    }
    let mut wanted = args.repositories.clone();
    for name in &args.project {
        wanted.extend(config.project(name)?.iter().cloned());
    }
    if wanted.is_empty() {
        anyhow::bail!(
            "name the project's repositories, or --project NAME from upkeep.toml's [[projects]]"
        );
    }
    let (mined, report) = measured(&args, &config, &mut store, &wanted, (window, now))?;
    print_document(&report, args.format)?;
    Ok(crate::settings::sources_exit(&mined))
}

/// The repositories `wanted` mined, and their report over `window` made at `now`.
fn measured(
    args: &Args,
    config: &upkeep_app::config::Config,
    store: &mut upkeep_store::Store,
    wanted: &[String],
    (window, now): (upkeep_core::metrics::Window, i64),
) -> anyhow::Result<(
    Vec<upkeep_app::project::MinedRepo>,
    upkeep_core::documents::Report,
)> {
    args.forge.options().check(wanted.len())?;
    let forge = upkeep_app::sources::forge::ForgeOptions {
        pairings: config.pairings(),
        ..args.forge.options()
    };
    let mined = upkeep_app::project::mine(store, wanted, &forge)?;
    let report = upkeep_app::documents::report::report(
        store,
        config,
        &mined,
        window,
        MeasureOptions {
            include_bots: args.include_bots,
            truck_factor_identities: args.truck_factor_identities.into(),
            without_trees: false,
            card: true,
        },
        now,
    )?;
    Ok((mined, report))
}

/// The projects of `--compare`: each `--project` by its name, then each
/// repository by its last path segment.
fn projects(
    args: &Args,
    config: &upkeep_app::config::Config,
) -> anyhow::Result<Vec<(String, Vec<String>)>> {
    let mut out = Vec::new();
    for name in &args.project {
        out.push((name.clone(), config.project(name)?.to_vec()));
    }
    for repo in &args.repositories {
        let trimmed = repo.trim_end_matches(['/', '\\']).trim_end_matches(".git");
        let name = trimmed.rsplit(['/', '\\', ':']).next().unwrap_or(trimmed);
        out.push((name.to_owned(), vec![repo.clone()]));
    }
    if out.len() < 2 {
        anyhow::bail!(
            "--compare needs at least two projects: name two or more repositories, or --project NAME more than once"
        );
    }
    Ok(out)
}

/// `--compare`: each project mined and measured over the same window, side by side.
fn compare(
    args: &Args,
    config: &upkeep_app::config::Config,
    store: &mut upkeep_store::Store,
    window: upkeep_core::metrics::Window,
    now: i64,
) -> anyhow::Result<ExitCode> {
    let mut reports = Vec::new();
    let mut all = Vec::new();
    for (name, repositories) in projects(args, config)? {
        let (mined, report) = measured(args, config, store, &repositories, (window, now))?;
        reports.push((name, report));
        all.extend(mined);
    }
    let generated = upkeep_app::paths::rfc3339(now).unwrap_or_default();
    let comparison = upkeep_core::documents::Comparison::new(reports, generated);
    print_document(&comparison, args.format)?;
    Ok(crate::settings::sources_exit(&all))
}
