//! A repository's security evidence: the packages it publishes (its
//! manifests at the tip, the registries that named it when `deps` traced a
//! package to it, or upkeep.toml's `[[projects]] packages`, which override),
//! the advisories OSV lists for them (records cached in the store), and when
//! their fixed versions shipped (the registries' publish times). OSV or a
//! registry that cannot be asked is a warning, never a failure: the check
//! says the data is missing, and what was stored before is kept.

use crate::documents::portfolio::registry_client;
use crate::progress;
use crate::sources::advisories::{osv_client, read_listed};
use crate::sources::forge::ForgeOptions;
use std::collections::BTreeMap;
use upkeep_core::advisories::affected::fixed_versions;
use upkeep_core::advisories::osv::Record;
use upkeep_core::events::TipFileKind;
use upkeep_core::portfolio::purl::{Ecosystem, Purl};
use upkeep_core::portfolio::repo_url;
use upkeep_deps::published::published;
use upkeep_store::{AdvisoryCheckRecord, RepoId, Store};

/// What an advisory check of one repository found.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Checked {
    /// The packages checked.
    pub packages: usize,
    /// The advisories OSV lists for them.
    pub advisories: usize,
    /// Why OSV could not be asked, if it could not.
    pub missing: Option<String>,
}

/// Checks the repository `repo` (at `location`): its packages, their
/// advisories, and when their fixes shipped; `--offline` only refreshes
/// the packages.
pub fn check(
    store: &Store,
    repo: RepoId,
    location: &str,
    options: &ForgeOptions,
    now: i64,
) -> anyhow::Result<Checked> {
    let packages = packages(store, repo, location, options)?;
    store.set_repo_packages(repo, &packages)?;
    let mut checked = Checked {
        packages: packages.len(),
        ..Checked::default()
    };
    if options.offline {
        return Ok(checked);
    }
    let purls: Vec<String> = packages
        .iter()
        .filter(|(purl, _)| Purl::parse(purl).is_some_and(|p| p.ecosystem.osv_name().is_some()))
        .map(|(purl, _)| purl.clone())
        .collect();
    let mut skipped = Vec::new();
    let records = match ask(store, &purls, now, &mut skipped) {
        Ok(records) => records,
        Err(e) => {
            let why = format!("OSV could not be asked ({e:#})");
            eprintln!("warning: {location}: {why}; the advisories stored before are used");
            let failed = AdvisoryCheckRecord {
                checked_at: None,
                error: Some(why.clone()),
                skipped,
            };
            store.set_advisory_check(repo, &failed)?;
            checked.missing = Some(why);
            return Ok(checked);
        }
    };
    checked.advisories = records.len();
    let ids: Vec<String> = records.iter().map(|r| r.id.clone()).collect();
    store.set_osv_advisories(repo, &ids)?;
    if let Err(e) = ship_times(store, &purls, &records) {
        eprintln!(
            "warning: {location}: the registries could not say when fixes shipped ({e:#}); version tags are used"
        );
    }
    let done = AdvisoryCheckRecord {
        checked_at: Some(now),
        error: None,
        skipped,
    };
    store.set_advisory_check(repo, &done)?;
    Ok(checked)
}

/// The packages of `repo`: upkeep.toml's when it names some, else its
/// manifests' and those the registries traced to it; (package URL, where seen).
fn packages(
    store: &Store,
    repo: RepoId,
    location: &str,
    options: &ForgeOptions,
) -> anyhow::Result<Vec<(String, String)>> {
    let configured: Vec<(String, String)> = options
        .pairings
        .iter()
        .filter(|p| p.kind == "package")
        .filter(|p| crate::project::location(&p.repository).ok().as_deref() == Some(location))
        .map(|p| (p.url.clone(), "upkeep.toml".to_owned()))
        .collect();
    if !configured.is_empty() {
        return Ok(configured);
    }
    let manifests: Vec<(String, String)> = store
        .tip_files(repo)?
        .into_iter()
        .filter(|f| f.kind == TipFileKind::Manifest)
        .map(|f| (f.path.to_string(), f.content.to_string()))
        .collect();
    let mut out: BTreeMap<String, String> = published(&manifests)
        .into_iter()
        .map(|p| (p.purl, p.source))
        .collect();
    if let Some(url) = repo_url::normalize(location) {
        for (kind, name, registry) in store.packages_naming(&url)? {
            let Some(purl) = Purl::parse(&format!("pkg:{kind}/{name}")) else {
                continue;
            };
            let text = Purl::format(&purl.ecosystem, &purl.name, None);
            out.entry(text)
                .or_insert_with(|| format!("{registry} names this repository"));
        }
    }
    Ok(out.into_iter().collect())
}

/// The records OSV lists for `purls` (no versions: every advisory of each
/// package), read through the cache.
fn ask(
    store: &Store,
    purls: &[String],
    now: i64,
    skipped: &mut Vec<(String, String)>,
) -> anyhow::Result<Vec<Record>> {
    if purls.is_empty() {
        return Ok(Vec::new());
    }
    let client = osv_client()?;
    let spinner = progress::spinner(format!("asking OSV about {} packages", purls.len()));
    let lists = client.query(purls);
    spinner.finish_and_clear();
    read_listed(store, &client, &lists?, now, skipped)
}

/// Asks the registries when the fixed versions `records` name for each of
/// `purls` were published, and stores what they say.
fn ship_times(store: &Store, purls: &[String], records: &[Record]) -> anyhow::Result<()> {
    let client = registry_client()?;
    for text in purls {
        let Some(purl) = Purl::parse(text) else {
            continue;
        };
        let Some(ecosystem) = purl.ecosystem.osv_name() else {
            continue;
        };
        let mut versions: Vec<String> = records
            .iter()
            .flat_map(|r| &r.affected)
            .filter(|a| a.package.ecosystem == ecosystem && same_name(&purl, &a.package.name))
            .flat_map(fixed_versions)
            .collect();
        versions.sort();
        versions.dedup();
        if versions.is_empty() {
            continue;
        }
        let source = upkeep_deps::registry::RegistryClient::source_name(&purl.ecosystem)
            .unwrap_or("the registry");
        if let Some(times) = client.version_times(&purl.ecosystem, &purl.name, &versions) {
            store.record_versions(text, &times?, source)?;
        }
    }
    Ok(())
}

/// Whether an advisory's package name is the package of `purl`.
fn same_name(purl: &Purl, name: &str) -> bool {
    match purl.ecosystem {
        Ecosystem::PyPi => upkeep_core::portfolio::purl::pypi_name(name) == purl.name,
        _ => purl.name == name,
    }
}
