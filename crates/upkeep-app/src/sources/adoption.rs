//! A repository's adoption signals, read at most once a day and kept: its
//! forge's stars, forks and watchers (GitHub; GitLab's stars and forks), its
//! most recently pushed forks compared with it (GitHub), and the downloads
//! and dependents of the packages it publishes (crates.io, npm's downloads
//! API, deps.dev; PyPI says none). A source that fails leaves its figures
//! `null` with the reason; the check never fails the run.

use crate::sources::forge::{ForgeOptions, client_options, github_api, github_options};
use upkeep_core::portfolio::purl::Purl;
use upkeep_deps::adoption::{AdoptionClient, Services};
use upkeep_forge::RepoRef;
use upkeep_forge::client::Client;
use upkeep_forge::github::GitHub;
use upkeep_forge::github::adoption::Adoption;
use upkeep_store::{AdoptionReading, ForkRecord, RepoId, Store};

/// Signals are read again only this long after the last check.
pub const REFRESH_SECONDS: i64 = 86_400;

pub use upkeep_core::documents::AdoptionSync as Checked;

/// Reads `repo`'s adoption unless `--no-adoption`, `--offline`, or it was
/// read less than a day before `now` (`None` then).
pub fn check(
    store: &Store,
    repo: RepoId,
    options: &ForgeOptions,
    now: i64,
) -> anyhow::Result<Option<Checked>> {
    if options.no_adoption || options.offline {
        return Ok(None);
    }
    if store
        .adoption_check(repo)?
        .is_some_and(|c| now - c.checked_at < REFRESH_SECONDS)
    {
        return Ok(None);
    }
    let (mut readings, forks, forge_requests) = match options.no_forge {
        true => (
            Vec::new(),
            Err("the forge was not asked (--no-forge, or no forge budget left)".into()),
            0,
        ),
        false => forge_readings(store, repo, options, now)?,
    };
    readings.extend(package_readings(store, repo, now)?);
    let checked = Checked {
        known: readings.iter().filter(|r| r.value.is_some()).count(),
        unavailable: readings.iter().filter(|r| r.value.is_none()).count(),
        forks: forks.as_ref().map_or(0, Vec::len),
        forge_requests,
    };
    store.record_adoption(
        repo,
        now,
        &readings,
        forks.as_deref().map_err(String::as_str),
    )?;
    Ok(Some(checked))
}

/// What the forges say: readings, forks (or why not), requests sent to GitHub.
type ForgeReadings = (Vec<AdoptionReading>, Result<Vec<ForkRecord>, String>, u64);

/// GitHub's counts and forks (when the repository was synced with GitHub),
/// and GitLab's counts (for its GitLab projects).
fn forge_readings(
    store: &Store,
    repo: RepoId,
    options: &ForgeOptions,
    now: i64,
) -> anyhow::Result<ForgeReadings> {
    let mut readings = Vec::new();
    let mut forks =
        Err("the repository is not on GitHub: forks are compared on GitHub only".into());
    let mut requests = 0;
    let meta = store.forge_meta(repo)?;
    let github = meta.and_then(|(forge, _)| RepoRef::parse(forge.strip_prefix("github:")?));
    if let Some(slug) = github {
        let mut client = GitHub::new(github_options(&github_api(), options))?;
        let found = client.adoption(&slug, &mut |_| {});
        requests = found.requests;
        forks = github_readings(&slug.to_string(), found, now, &mut readings);
    }
    for tracker in store.trackers(repo)? {
        if tracker.kind == "gitlab" {
            readings.extend(gitlab_readings(
                &tracker.url,
                &tracker.project,
                options,
                now,
            ));
        }
    }
    Ok((readings, forks, requests))
}

/// One reading.
fn reading(
    signal: &str,
    subject: &str,
    value: Result<Option<f64>, String>,
    source: &str,
    now: i64,
) -> AdoptionReading {
    let (value, reason) = match value {
        Ok(Some(v)) => (Some(v), None),
        Ok(None) => (None, Some(format!("{source} gave no {signal} count"))),
        Err(why) => (None, Some(why)),
    };
    AdoptionReading {
        signal: signal.into(),
        subject: subject.into(),
        read_at: now,
        value,
        source: source.into(),
        reason,
    }
}

/// GitHub's counts as readings; its forks as records.
fn github_readings(
    slug: &str,
    found: Adoption,
    now: i64,
    out: &mut Vec<AdoptionReading>,
) -> Result<Vec<ForkRecord>, String> {
    let value = |pick: fn(&upkeep_forge::github::adoption::Counts) -> Option<u64>| {
        found
            .counts
            .as_ref()
            .map(|c| pick(c).map(|n| n as f64))
            .map_err(Clone::clone)
    };
    out.push(reading("stars", slug, value(|c| c.stars), "github", now));
    out.push(reading("forks", slug, value(|c| c.forks), "github", now));
    out.push(reading(
        "watchers",
        slug,
        value(|c| c.watchers),
        "github",
        now,
    ));
    found.forks.map(|list| {
        list.into_iter()
            .map(|f| ForkRecord {
                name: f.name,
                pushed: f.pushed,
                ahead_by: f.ahead_by.map(|n| n as i64),
            })
            .collect()
    })
}

/// GitLab's star and fork counts of `project` at `site`; it has no watcher count.
fn gitlab_readings(
    site: &str,
    project: &str,
    options: &ForgeOptions,
    now: i64,
) -> Vec<AdoptionReading> {
    let source = "gitlab";
    let answer = Client::new(client_options(&format!("{site}/api/v4"), None, options))
        .map_err(|e| e.to_string())
        .and_then(|client| {
            let path = format!("/projects/{}", project.replace('/', "%2F"));
            client
                .get(&path, None, &mut |_| {})
                .map_err(|e| e.to_string())
                .and_then(|page| {
                    serde_json::from_str::<serde_json::Value>(&page.body).map_err(|e| e.to_string())
                })
        });
    let value = |key: &str| {
        answer
            .as_ref()
            .map(|doc| doc[key].as_f64())
            .map_err(Clone::clone)
    };
    vec![
        reading("stars", project, value("star_count"), source, now),
        reading("forks", project, value("forks_count"), source, now),
        reading(
            "watchers",
            project,
            Err("GitLab's API gives no watcher count".into()),
            source,
            now,
        ),
    ]
}

/// The downloads and dependents of the packages `repo` publishes.
fn package_readings(store: &Store, repo: RepoId, now: i64) -> anyhow::Result<Vec<AdoptionReading>> {
    let packages = store.repo_packages(repo)?;
    if packages.is_empty() {
        return Ok(Vec::new());
    }
    let services = AdoptionClient::new(&services_from_env())?;
    let mut out = Vec::new();
    for (purl, _) in packages {
        let Some(parsed) = Purl::parse(&purl) else {
            continue;
        };
        out.extend(
            services
                .figures(&parsed)
                .into_iter()
                .map(|f| AdoptionReading {
                    signal: f.signal.into(),
                    subject: purl.clone(),
                    read_at: now,
                    value: f.value,
                    source: f.source.into(),
                    reason: f.reason,
                }),
        );
    }
    Ok(out)
}

/// The adoption services: `UPKEEP_CRATES_IO_URL`, `UPKEEP_NPM_DOWNLOADS_URL`
/// and `UPKEEP_DEPSDEV_URL`, else the public ones; `UPKEEP_REGISTRY_PAUSE_MS`
/// for crates.io's pause (tests).
fn services_from_env() -> Services {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let defaults = Services::default();
    Services {
        crates_io: env("UPKEEP_CRATES_IO_URL").unwrap_or(defaults.crates_io),
        npm_downloads: env("UPKEEP_NPM_DOWNLOADS_URL").unwrap_or(defaults.npm_downloads),
        deps_dev: env("UPKEEP_DEPSDEV_URL").unwrap_or(defaults.deps_dev),
        crates_io_pause: env("UPKEEP_REGISTRY_PAUSE_MS")
            .and_then(|ms| ms.parse().ok())
            .map_or(defaults.crates_io_pause, std::time::Duration::from_millis),
    }
}
