//! `upkeep deps`: from an SBOM or lockfile to a ranked list of the upstreams
//! to sustain.

use crate::settings::{ConfigArgs, DocFormat, StoreArgs, WindowArgs, print_document};
use std::path::PathBuf;
use std::process::ExitCode;
use upkeep_app::documents::portfolio::PortfolioOptions;

/// Rank the upstream repositories behind what a project depends on.
///
/// Reads SBOMs (CycloneDX 1.2–1.6, SPDX 2.2/2.3 JSON, SPDX 3.0) and lockfiles
/// (Cargo.lock, package-lock.json, pnpm-lock.yaml, yarn.lock, uv.lock,
/// poetry.lock, go.mod, go.sum; a directory is searched for them). Traces each
/// package to its repository (the document, the package URL, metadata on this
/// machine, then the registries: crates.io, npm, PyPI, the Go proxy — cached in
/// the store), mines every upstream, and ranks them by
/// criticality × risk × ability (docs/deps-json.md). Packages that cannot be
/// traced are listed with the reason.
///
/// Registries can be pointed elsewhere with UPKEEP_CRATES_IO_URL,
/// UPKEEP_NPM_REGISTRY, UPKEEP_PYPI_URL and GOPROXY.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// SBOM files, lockfiles, or project directories.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// Show only the N highest-ranked upstreams.
    #[arg(long, value_name = "N")]
    top: Option<usize>,
    /// Our organization, as affiliations name it: its people active upstream count as ability to help.
    #[arg(long, env = "UPKEEP_ORG", value_name = "NAME")]
    org: Option<String>,
    /// No network: no registry lookups, no cloning or fetching. Upstreams not
    /// already in the store are listed, mapped and ranked, marked "not mined".
    #[arg(long)]
    offline: bool,
    /// Trace and list the upstreams without mining or measuring them.
    #[arg(long)]
    no_mine: bool,
    /// Mine repositories on this machine (`file://` URLs) that the inputs
    /// name. Off by default: an SBOM from elsewhere could otherwise make
    /// upkeep read and show any repository of this machine.
    #[arg(long)]
    allow_local_repositories: bool,
    /// Do not check the pinned packages against known vulnerabilities. By
    /// default each package with a version (npm, crates.io, PyPI, Go) is
    /// checked against OSV (`UPKEEP_OSV_URL`, else https://api.osv.dev), in
    /// batches of 1,000, its records cached in the store; `--offline` checks
    /// against the cache alone.
    #[arg(long)]
    no_advisories: bool,
    /// Read each mined upstream's adoption: its packages' downloads and
    /// dependents (crates.io, npm's downloads API at UPKEEP_NPM_DOWNLOADS_URL,
    /// deps.dev at UPKEEP_DEPSDEV_URL), at most once a day per upstream. The
    /// packages depending on it in the world then raise its criticality, with
    /// the source in its why-line; readings stored by earlier runs (`mine`,
    /// `report`) count without this flag. Many requests on a first run.
    #[arg(long, conflicts_with = "offline")]
    adoption: bool,
    /// Repositories cloned or fetched, and registry lookups made, at once.
    #[arg(long, default_value_t = 4, value_name = "N")]
    jobs: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: DocFormat,
    #[command(flatten)]
    window: WindowArgs,
    #[command(flatten)]
    store: StoreArgs,
    #[command(flatten)]
    config: ConfigArgs,
}

/// Traces, mines, measures, ranks and prints.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let now = jiff::Timestamp::now().as_second();
    let config = args.config.load()?;
    let mut store = args.store.open()?;
    let options = PortfolioOptions {
        inputs: args.inputs.clone(),
        top: args.top,
        org: args.org.clone(),
        offline: args.offline,
        no_mine: args.no_mine,
        allow_local: args.allow_local_repositories,
        advisories: !args.no_advisories,
        adoption: args.adoption,
        jobs: args.jobs,
        window: args.window.window(now)?,
        now,
    };
    let (portfolio, failed) =
        upkeep_app::documents::portfolio::trace(&mut store, &config, &options)?;
    print_document(&portfolio, args.format)?;
    if failed > 0 {
        eprintln!(
            "{failed} upstream repositories could not be fetched or mined; they are listed as not mined"
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
