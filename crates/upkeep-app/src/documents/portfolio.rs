//! Tracing a dependency portfolio: from SBOMs and lockfiles to upstream
//! repositories (the document, package URLs, this machine, the registries),
//! mining and measuring each, and ranking them. `deps` prints the result;
//! `contributions --from-deps` takes its highest-ranked upstreams.

use crate::config::Config;
use crate::identities::resolve;
use crate::metrics::{MeasureOptions, measure};
use crate::paths::{clone_cache, date};
use crate::sources::forge::ForgeOptions;
use crate::sources::packages::{self, Tracing};
use crate::sources::sync::{Sources, SyncRequest, sync};
use crate::{parallel, progress};
use anyhow::Context;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;
use upkeep_core::documents::{Portfolio, WindowDates};
use upkeep_core::events::TipFileKind;
use upkeep_core::metrics::Window;
use upkeep_core::portfolio::health::{Exposed, Health};
use upkeep_deps::local::LocalMetadata;
use upkeep_deps::registry::{Pauses, Registries, RegistryClient};
use upkeep_git::mine::MineOptions;
use upkeep_store::Store;

/// What to trace, and how.
#[derive(Clone, Debug)]
pub struct PortfolioOptions {
    /// SBOM files, lockfiles or project directories.
    pub inputs: Vec<PathBuf>,
    /// Keep only the N highest-ranked upstreams.
    pub top: Option<usize>,
    /// Our organization: its people active upstream count as ability to help.
    pub org: Option<String>,
    /// No network.
    pub offline: bool,
    /// Trace and list without mining or measuring.
    pub no_mine: bool,
    /// Mine `file://` repositories the inputs name (else they are listed,
    /// not mined: a document from elsewhere must not make upkeep read this
    /// machine's repositories).
    pub allow_local: bool,
    /// Check the pinned packages against known advisories (OSV).
    pub advisories: bool,
    /// Read each mined upstream's adoption signals (at most once a day each).
    pub adoption: bool,
    /// Fetches and lookups at once.
    pub jobs: usize,
    /// The window health is measured over.
    pub window: Window,
    /// Now, in seconds since the epoch.
    pub now: i64,
}

/// Whether `url` names a repository on this machine or a mounted share
/// rather than one reached over the network (`https`, `ssh`, `git`).
pub fn is_local(url: &str) -> bool {
    !["https://", "http://", "ssh://", "git://"]
        .iter()
        .any(|scheme| url.starts_with(scheme))
}

const FORMULA: &str = "criticality × risk × ability; criticality = reach (1 direct, 1/depth transitive, ¼ unknown) × (1 + log2(1 + our components depending on it)) × (1 + log10(1 + replacement engineer-months)); risk = 0.1 + points of the risks present (0.5 if not mined); ability = 1 + 0.25 per person of ours active there (at most 4) + 0.5 if one maintains it";

/// Reads the inputs, traces every package, mines and measures every
/// upstream and ranks them; also returns how many upstreams could not be
/// fetched or mined (they are listed as not mined).
pub fn trace(
    store: &mut Store,
    config: &Config,
    args: &PortfolioOptions,
) -> anyhow::Result<(Portfolio, usize)> {
    let (now, window) = (args.now, args.window);
    let mut inputs = Vec::new();
    for path in &args.inputs {
        inputs.extend(upkeep_deps::input::read(path)?);
    }
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
        Some(registry_client()?)
    };
    let inventories: Vec<_> = inputs.iter().map(|i| i.inventory.clone()).collect();
    let traced = packages::trace(
        store,
        &inventories,
        &Tracing {
            local: &local,
            registries: client.as_ref(),
            jobs: args.jobs,
            now,
        },
    )?;
    let (upstreams, unmapped) = upkeep_core::portfolio::upstreams::group(&inventories, &|p| {
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
        let (urls, local): (Vec<&str>, Vec<&str>) = upstreams
            .iter()
            .map(|u| u.repository.as_str())
            .partition(|url| args.allow_local || !is_local(url));
        for url in local {
            health.insert(
                url.to_owned(),
                Health::not_mined(
                    "a repository on this machine: mined only with --allow-local-repositories",
                ),
            );
        }
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
            let request = SyncRequest {
                repository: url,
                mine: MineOptions::default(),
                all_refs: false,
                reuse_stored_options: true,
                fetch: false,
                clone_cache: &cache,
                sources: Sources::GIT,
                forge: &ForgeOptions::default(),
            };
            match sync(store, &request) {
                Ok(synced) => mined.push(((*url).to_owned(), synced.mined.git_dir)),
                Err(e) => {
                    failed += 1;
                    health.insert((*url).to_owned(), Health::not_mined(format!("{e:#}")));
                }
            }
        }
        bar.finish_and_clear();
        if args.advisories {
            security_check(store, &mined, &upstreams, args.offline)?;
        }
        if args.adoption && !args.offline {
            adoption_check(store, &mined, args.now)?;
        }
        let resolved = resolve(store, config)?;
        for (url, git_dir) in mined {
            let record = store
                .find_repository(&url)?
                .with_context(|| format!("{url} was mined but is not in the store"))?;
            let measured = measure(
                store,
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
    let advisories = match args.advisories {
        true => Some(crate::sources::advisories::check(
            store,
            &inventories,
            args.offline,
            now,
        )?),
        false => None,
    };
    let mut ranked = upkeep_core::portfolio::rank::rank(
        upstreams
            .into_iter()
            .map(|u| {
                let mut h = health.remove(&u.repository).unwrap_or_default();
                if let Some(check) = &advisories {
                    h.exposed = Exposed::of(check, &u.packages);
                }
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
        advisories,
    };
    Ok((portfolio, failed))
}

/// Reads the adoption signals of the upstreams `mined` not read in the last
/// day: registries' downloads and dependents of their packages, their
/// forge's counts when it was synced. A source that fails leaves its figure
/// null with the reason.
fn adoption_check(
    store: &Store,
    mined: &[(String, std::path::PathBuf)],
    now: i64,
) -> anyhow::Result<()> {
    let bar = progress::counter(mined.len(), "upstreams' adoption read");
    for (url, _) in mined {
        bar.inc(1);
        if let Some(record) = store.find_repository(url)? {
            crate::sources::adoption::check(store, record.id, &ForgeOptions::default(), now)?;
        }
    }
    bar.finish_and_clear();
    Ok(())
}

/// The security evidence of the upstreams `mined` (URL, git directory): their
/// packages (their manifests, and the packages of `upstreams` traced to
/// them), and the advisories of all of them in one OSV batch.
fn security_check(
    store: &Store,
    mined: &[(String, std::path::PathBuf)],
    upstreams: &[upkeep_core::portfolio::upstreams::Upstream],
    offline: bool,
) -> anyhow::Result<()> {
    let mut targets = Vec::new();
    for (url, _) in mined {
        let Some(record) = store.find_repository(url)? else {
            continue;
        };
        let traced = upstreams
            .iter()
            .filter(|u| u.repository == *url)
            .flat_map(|u| &u.packages)
            .filter_map(|p| {
                let purl = upkeep_core::portfolio::purl::Purl::parse(p.purl.as_deref()?)?;
                let text =
                    upkeep_core::portfolio::purl::Purl::format(&purl.ecosystem, &purl.name, None);
                Some((
                    text,
                    format!(
                        "traced by {}",
                        p.source.as_deref().unwrap_or("our dependencies")
                    ),
                ))
            })
            .collect();
        targets.push(crate::sources::security::Target {
            repo: record.id,
            location: url,
            traced,
        });
    }
    let options = ForgeOptions {
        offline,
        ..ForgeOptions::default()
    };
    let now = jiff::Timestamp::now().as_second();
    crate::sources::security::check(store, &targets, &options, now)?;
    Ok(())
}

/// A client of the registries the environment names, pausing per registry
/// (crates.io's crawler policy: one request a second), or as
/// `UPKEEP_REGISTRY_PAUSE_MS` says for all.
pub(crate) fn registry_client() -> anyhow::Result<RegistryClient> {
    let pauses = std::env::var("UPKEEP_REGISTRY_PAUSE_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
        .map_or(Pauses::POLITE, |ms| {
            Pauses::uniform(Duration::from_millis(ms))
        });
    Ok(RegistryClient::new(registries_from_env(), pauses)?)
}

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
