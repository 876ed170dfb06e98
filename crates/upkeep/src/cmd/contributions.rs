//! `upkeep contributions`: what our organization's people did upstream, per
//! period, against our goals — the OSPO ledger.

use crate::settings::ForgeArgs;
use crate::settings::{ConfigArgs, DocFormat, StoreArgs, WindowArgs, print_document};
use anyhow::Context;
use std::collections::HashMap;
use std::process::ExitCode;
use upkeep_app::documents::contributions::LedgerRequest;
use upkeep_app::documents::portfolio::PortfolioOptions;
use upkeep_core::ledger::periods::PeriodName;

/// What our organization's people did upstream, per period, against our goals.
///
/// Mines the upstreams first (incrementally, git and forge, like `report`),
/// then counts, per period and in total, per upstream and for the whole
/// portfolio: commits, issues worked on, patches reviewed, pull requests of
/// non-maintainers reviewed (with outcomes), returning contributors whose pull
/// requests we reviewed, issues triaged, releases by us and by people we
/// mentored, maintainers grown, and engagement — each with its definition and
/// the people behind it — and how each goal of upkeep.toml's [[goals]] went.
/// Beside them, per upstream: its committers and maintainers by organization
/// and time zone, our share of its maintainers, merges and releases, and its
/// focus (need × our ability × our dependence). An act counts for us only if
/// its author belonged to us on its date (affiliations, a roster:
/// `upkeep roster import`, [[organization.people]]).
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The upstreams: local paths or clone URLs.
    #[arg(value_name = "REPOSITORY")]
    repositories: Vec<String>,
    /// A portfolio named in upkeep.toml's [[projects]] (its repositories are added).
    #[arg(long, value_name = "NAME")]
    project: Vec<String>,
    /// SBOMs or lockfiles of ours: their highest-ranked upstreams (see `upkeep
    /// deps`) join the portfolio, and their criticality is our dependence in the focus.
    #[arg(long, value_name = "FILE")]
    from_deps: Vec<std::path::PathBuf>,
    /// Mine (or queue) repositories on this machine (`file://` URLs) that
    /// the --from-deps inputs name; off by default.
    #[arg(long)]
    allow_local_repositories: bool,
    /// With --from-deps, how many of the highest-ranked upstreams.
    #[arg(long, value_name = "N", default_value_t = 20)]
    top: usize,
    /// Our organization, as affiliations name it [default: [organization] name in upkeep.toml].
    #[arg(long, env = "UPKEEP_ORG", value_name = "NAME")]
    org: Option<String>,
    /// The period KPIs and tables are counted in; sprints are [organization]
    /// sprint_days long (default 14) from sprint_start (default: --since).
    #[arg(long, value_enum, default_value_t = PeriodArg::Month)]
    period: PeriodArg,
    /// Exit 1 when the last complete period of any goal missed its target (for CI or a scheduled job).
    #[arg(long)]
    check: bool,
    /// Show every KPI per period for each team of ours too (the roster's
    /// `team` column, [[organization.people]] team; teams are declared in
    /// [organization] teams). The JSON always has them under `teams`.
    #[arg(long, value_enum, value_name = "GROUPING")]
    by: Option<ByArg>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: DocFormat,
    #[command(flatten)]
    window: WindowArgs,
    #[command(flatten)]
    forge: ForgeArgs,
    #[command(flatten)]
    store: StoreArgs,
    #[command(flatten)]
    config: ConfigArgs,
}

/// How KPIs are grouped besides the portfolio.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum ByArg {
    /// Each team of ours.
    Team,
}

/// How the window is cut.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum PeriodArg {
    /// Sprints.
    Sprint,
    /// Calendar months.
    Month,
    /// Calendar quarters.
    Quarter,
    /// Calendar years.
    Year,
}

/// Mines, computes and prints the ledger.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let now = jiff::Timestamp::now().as_second();
    let window = args.window.window(now)?;
    let config = args.config.load()?;
    let organization = args
        .org
        .clone()
        .or(config.organization.name.clone())
        .context("who are we? give --org NAME or set [organization] name in upkeep.toml")?;
    let mut wanted = args.repositories.clone();
    for name in &args.project {
        wanted.extend(config.project(name)?.iter().cloned());
    }
    let mut store = args.store.open()?;
    let mut dependence: HashMap<String, f64> = HashMap::new();
    if !args.from_deps.is_empty() {
        let options = PortfolioOptions {
            inputs: args.from_deps.clone(),
            top: Some(args.top),
            org: Some(organization.clone()),
            offline: false,
            no_mine: false,
            allow_local: args.allow_local_repositories,
            // Only the ranking is used here.
            advisories: false,
            adoption: false,
            jobs: 4,
            window,
            now,
        };
        let (portfolio, _) =
            upkeep_app::documents::portfolio::trace(&mut store, &config, &options)?;
        for u in portfolio.upstreams {
            if let Some(why) = &u.health.not_mined_reason {
                eprintln!("warning: {} is left out: not mined ({why})", u.repository);
                continue;
            }
            dependence.insert(u.repository.clone(), u.criticality.score);
            wanted.push(u.repository);
        }
    }
    if wanted.is_empty() {
        anyhow::bail!(
            "name the upstreams: REPOSITORY arguments, --project NAME from upkeep.toml's [[projects]], or --from-deps FILE"
        );
    }
    args.forge.options().check(wanted.len())?;
    let forge = upkeep_app::sources::forge::ForgeOptions {
        pairings: config.pairings(),
        ..args.forge.options()
    };
    let mined = upkeep_app::project::mine(&mut store, &wanted, &forge)?;
    let period = match args.period {
        PeriodArg::Sprint => PeriodName::Sprint,
        PeriodArg::Month => PeriodName::Month,
        PeriodArg::Quarter => PeriodName::Quarter,
        PeriodArg::Year => PeriodName::Year,
    };
    let ledger = upkeep_app::documents::contributions::ledger(
        &store,
        &config,
        &mined,
        &LedgerRequest {
            organization: &organization,
            window,
            period,
            now,
            dependence: &dependence,
        },
    )?;
    let mut ledger = ledger;
    ledger.by_team = args.by == Some(ByArg::Team);
    if ledger.by_team && ledger.teams.is_empty() {
        eprintln!(
            "note: --by team: none of our people credited in the window has a team (the roster's team column, [[organization.people]] team)"
        );
    }
    let missed = ledger
        .goals
        .iter()
        .filter(|g| g.last_complete_met == Some(false))
        .count();
    print_document(&ledger, args.format)?;
    if args.check && missed > 0 {
        eprintln!("{missed} goal(s) missed in their last complete period");
        return Ok(ExitCode::from(1));
    }
    Ok(crate::settings::sources_exit(&mined))
}
