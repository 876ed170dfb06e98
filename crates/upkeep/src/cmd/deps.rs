//! `upkeep deps`: from an SBOM or lockfile to a ranked list of the upstreams
//! to sustain.

use crate::measuring::{MeasureOptions, measure};
use crate::mining::mine_repository;
use crate::packages::{self, Tracing};
use crate::resolving::resolve;
use crate::settings::{ConfigArgs, StoreArgs, WindowArgs, clone_cache, date};
use crate::{parallel, progress};
use anyhow::Context;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;
use upkeep_core::events::TipFileKind;
use upkeep_deps::health::Health;
use upkeep_deps::local::LocalMetadata;
use upkeep_deps::registry::{Pauses, Registries, RegistryClient};
use upkeep_git::mine::MineOptions;
use upkeep_report::{Portfolio, WindowDates};

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
    /// Repositories cloned or fetched, and registry lookups made, at once.
    #[arg(long, default_value_t = 4, value_name = "N")]
    jobs: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: DepsFormat,
    #[command(flatten)]
    window: WindowArgs,
    #[command(flatten)]
    store: StoreArgs,
    #[command(flatten)]
    config: ConfigArgs,
}

/// How the portfolio is printed.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
enum DepsFormat {
    /// For a terminal.
    #[default]
    Table,
    /// The JSON contract (docs/deps-json.md).
    Json,
    /// Markdown, to paste or publish.
    Markdown,
    /// One line per upstream, then one per package not traced.
    Csv,
}

const FORMULA: &str = "criticality × risk × ability; criticality = reach (1 direct, 1/depth transitive, ¼ unknown) × (1 + log2(1 + our components depending on it)) × (1 + log10(1 + replacement engineer-months)); risk = 0.1 + points of the risks present (0.5 if not mined); ability = 1 + 0.25 per person of ours active there (at most 4) + 0.5 if one maintains it";

fn registries_from_env() -> Registries {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let defaults = Registries::default();
    Registries {
        crates_io: env("UPKEEP_CRATES_IO_URL").unwrap_or(defaults.crates_io),
        npm: env("UPKEEP_NPM_REGISTRY").unwrap_or(defaults.npm),
        pypi: env("UPKEEP_PYPI_URL").unwrap_or(defaults.pypi),
        // GOPROXY is a list; its first entry that is a URL.
        go_proxy: env("GOPROXY")
            .and_then(|list| {
                list.split([',', '|'])
                    .find(|p| p.starts_with("http"))
                    .map(str::to_owned)
            })
            .unwrap_or(defaults.go_proxy),
    }
}

/// Reads, traces, mines, measures, ranks and prints.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let now = jiff::Timestamp::now().as_second();
    let window = args.window.window(now)?;
    let mut inputs = Vec::new();
    for path in &args.inputs {
        inputs.extend(upkeep_deps::input::read(path)?);
    }
    let config = args.config.load()?;
    let mut store = args.store.open()?;
    let project = args
        .inputs
        .first()
        .map(|p| {
            if p.is_dir() {
                p.clone()
            } else {
                p.parent().unwrap_or(Path::new(".")).to_owned()
            }
        })
        .unwrap_or_default();
    let local = LocalMetadata::for_project(&project);
    let client = if args.offline {
        None
    } else {
        // Per registry (crates.io's crawler policy: one request a second); one
        // pause for all when UPKEEP_REGISTRY_PAUSE_MS says so.
        let pauses = std::env::var("UPKEEP_REGISTRY_PAUSE_MS")
            .ok()
            .and_then(|ms| ms.parse().ok())
            .map_or(Pauses::POLITE, |ms| {
                Pauses::uniform(Duration::from_millis(ms))
            });
        Some(RegistryClient::new(registries_from_env(), pauses)?)
    };
    let inventories: Vec<_> = inputs.iter().map(|i| i.inventory.clone()).collect();
    let traced = packages::trace(
        &store,
        &inventories,
        &Tracing {
            local: &local,
            registries: client.as_ref(),
            jobs: args.jobs,
            now,
        },
    )?;
    let (upstreams, unmapped) = upkeep_deps::upstreams::group(&inventories, &|p| {
        traced
            .get(&packages::key(p))
            .cloned()
            .unwrap_or_else(|| Err("not traced".into()))
    });

    let cache = clone_cache()?;
    let mut health: HashMap<String, Health> = HashMap::new();
    let mut failed = 0;
    if args.no_mine {
        for u in &upstreams {
            health.insert(u.repository.clone(), Health::not_mined("--no-mine"));
        }
    } else {
        let urls: Vec<&str> = upstreams.iter().map(|u| u.repository.as_str()).collect();
        let fetched = if args.offline {
            urls.iter()
                .map(|url| {
                    let present = upkeep_git::remote::cache_path(&cache, url)
                        .is_ok_and(|p| p.exists())
                        && store
                            .find_repository(url)
                            .ok()
                            .flatten()
                            .is_some_and(|r| r.mined_at.is_some());
                    (!present).then(|| "--offline, and not in the store".to_owned())
                })
                .collect()
        } else {
            fetch_all(&urls, &cache, args.jobs)
        };
        let bar = progress::counter(urls.len(), "upstreams mined");
        let mut mined = Vec::new();
        for (url, problem) in urls.iter().zip(fetched) {
            bar.inc(1);
            if let Some(problem) = problem {
                failed += usize::from(!args.offline);
                health.insert((*url).to_owned(), Health::not_mined(problem));
                continue;
            }
            match mine_repository(
                &mut store,
                url,
                &MineOptions::default(),
                false,
                &cache,
                true,
                false,
            ) {
                Ok(report) => mined.push(((*url).to_owned(), report.git_dir)),
                Err(e) => {
                    failed += 1;
                    health.insert((*url).to_owned(), Health::not_mined(format!("{e:#}")));
                }
            }
        }
        bar.finish_and_clear();
        let resolved = resolve(&store, &config)?;
        for (url, git_dir) in mined {
            let record = store
                .find_repository(&url)?
                .with_context(|| format!("{url} was mined but is not in the store"))?;
            let measured = measure(
                &store,
                &resolved,
                &[record.id],
                &[git_dir],
                window,
                MeasureOptions::default(),
            )
            .with_context(|| format!("cannot measure {url}"))?;
            let funding = store
                .tip_files(record.id)?
                .iter()
                .filter(|f| f.kind == TipFileKind::Funding)
                .flat_map(|f| upkeep_deps::funding::links(&f.content.to_string()))
                .collect();
            health.insert(
                url,
                Health::measured(
                    &measured.metrics,
                    &measured.contributions,
                    window,
                    funding,
                    args.org.as_deref(),
                ),
            );
        }
    }
    let mut ranked = upkeep_deps::rank::rank(
        upstreams
            .into_iter()
            .map(|u| {
                let h = health.remove(&u.repository).unwrap_or_default();
                (u, h)
            })
            .collect(),
    );
    let more = args.top.map_or(0, |n| ranked.len().saturating_sub(n));
    ranked.truncate(ranked.len() - more);
    let portfolio = Portfolio {
        inputs: inputs
            .iter()
            .map(|i| (i.path.display().to_string(), i.inventory.format.to_string()))
            .collect(),
        window: WindowDates {
            since: date(window.since),
            until: date(window.until),
        },
        generated_at: jiff::Timestamp::from_second(now)
            .map(|t| t.to_string())
            .unwrap_or_default(),
        organization: args.org.clone(),
        formula: FORMULA,
        upstreams: ranked,
        more_upstreams: more,
        unmapped,
    };
    let mut out = std::io::stdout().lock();
    match args.format {
        DepsFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &portfolio)?;
            writeln!(out)?;
        }
        DepsFormat::Table => write!(out, "{}", upkeep_report::portfolio_table(&portfolio))?,
        DepsFormat::Markdown => write!(out, "{}", upkeep_report::portfolio_markdown(&portfolio))?,
        DepsFormat::Csv => write!(out, "{}", upkeep_report::portfolio_csv(&portfolio))?,
    }
    if failed > 0 {
        eprintln!(
            "{failed} upstream repositories could not be fetched or mined; they are listed as not mined"
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// Clones or fetches every URL into the cache, `jobs` at a time; for each,
/// `None` or what went wrong.
fn fetch_all(urls: &[&str], cache: &Path, jobs: usize) -> Vec<Option<String>> {
    let bar = progress::counter(urls.len(), "upstreams cloned or fetched");
    parallel::map(urls, jobs, &bar, |url| {
        upkeep_git::remote::cache_path(cache, url)
            .and_then(|path| upkeep_git::remote::clone_or_fetch(url, &path))
            .err()
            .map(|e| format!("cannot fetch: {e}"))
    })
}
