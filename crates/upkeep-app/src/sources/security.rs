//! A repository's security evidence: the packages it publishes (its
//! manifests at the tip, the registries that named it when `deps` traced a
//! package to it, or upkeep.toml's `[[projects]] packages`, which override),
//! the advisories OSV lists for them (records cached in the store), and when
//! their fixed versions shipped (the registries' publish times). OSV or a
//! registry that cannot be asked is a warning, never a failure: the check
//! says the data is missing, and what was stored before is kept.

use crate::documents::portfolio::registry_client;
use crate::sources::forge::ForgeOptions;
use std::collections::{BTreeMap, HashMap};
use upkeep_core::advisories::affected::fixed_versions;
use upkeep_core::advisories::osv::Record;
use upkeep_core::events::TipFileKind;
use upkeep_core::portfolio::purl::{Ecosystem, Purl};
use upkeep_core::portfolio::repo_url;
use upkeep_deps::published::published;
use upkeep_store::{AdvisoryCheckRecord, RepoId, Store};

pub use upkeep_core::documents::AdvisorySync as Checked;

/// A repository to check.
#[derive(Clone, Debug)]
pub struct Target<'a> {
    /// Its id in the store.
    pub repo: RepoId,
    /// Its location.
    pub location: &'a str,
    /// Packages known to come from it (`deps`: those an SBOM or lockfile
    /// traced to it), as (package URL, where seen).
    pub traced: Vec<(String, String)>,
}

/// Checks the repositories `targets`: their packages, their advisories (one
/// OSV batch for all), and when their fixes shipped; `--offline` only
/// refreshes the packages.
pub fn check(
    store: &Store,
    targets: &[Target<'_>],
    options: &ForgeOptions,
    now: i64,
) -> anyhow::Result<Vec<Checked>> {
    let mut purls_of: Vec<Vec<String>> = Vec::new();
    let mut out = Vec::new();
    for target in targets {
        let packages = packages(store, target, options)?;
        store.set_repo_packages(target.repo, &packages)?;
        out.push(Checked {
            packages: packages.len(),
            ..Checked::default()
        });
        purls_of.push(
            packages
                .into_iter()
                .map(|(purl, _)| purl)
                .filter(|purl| Purl::parse(purl).is_some_and(|p| p.ecosystem.osv_name().is_some()))
                .collect(),
        );
    }
    if options.offline {
        for Target { repo, .. } in targets {
            if store.advisory_check(*repo)?.is_none() {
                let none = AdvisoryCheckRecord {
                    error: Some("no advisory check is stored yet (--offline)".into()),
                    ..AdvisoryCheckRecord::default()
                };
                store.set_advisory_check(*repo, &none)?;
            }
        }
        return Ok(out);
    }
    let mut all: Vec<String> = purls_of.iter().flatten().cloned().collect();
    all.sort();
    all.dedup();
    let mut skipped = Vec::new();
    let (listed, records) = match ask(store, &all, now, &mut skipped) {
        Ok(found) => found,
        Err(e) => {
            let why = format!("OSV could not be asked ({e:#})");
            eprintln!("warning: {why}; the advisories stored before are used");
            for (Target { repo, .. }, checked) in targets.iter().zip(&mut out) {
                let failed = AdvisoryCheckRecord {
                    checked_at: None,
                    error: Some(why.clone()),
                    skipped: Vec::new(),
                };
                store.set_advisory_check(*repo, &failed)?;
                checked.missing = Some(why.clone());
            }
            return Ok(out);
        }
    };
    if let Err(e) = ship_times(store, &all, &records) {
        eprintln!(
            "warning: the registries could not say when fixes shipped ({e:#}); version tags are used"
        );
    }
    for ((Target { repo, .. }, purls), checked) in targets.iter().zip(&purls_of).zip(&mut out) {
        let mut ids: Vec<String> = purls
            .iter()
            .flat_map(|p| listed.get(p).into_iter().flatten().cloned())
            .collect();
        ids.sort();
        ids.dedup();
        checked.advisories = ids.len();
        store.set_osv_advisories(*repo, &ids)?;
        let done = AdvisoryCheckRecord {
            checked_at: Some(now),
            error: None,
            skipped: skipped
                .iter()
                .filter(|(id, _)| ids.contains(id))
                .cloned()
                .collect(),
        };
        store.set_advisory_check(*repo, &done)?;
    }
    Ok(out)
}

/// The packages of `target`: upkeep.toml's when it names some, else its
/// manifests', those traced to it, and those the registries said come from
/// it; (package URL, where seen).
fn packages(
    store: &Store,
    target: &Target<'_>,
    options: &ForgeOptions,
) -> anyhow::Result<Vec<(String, String)>> {
    let Target {
        repo,
        location,
        ref traced,
    } = *target;
    let configured: Vec<(String, String)> = options
        .paired("package", location)
        .map(|p| (p.url.clone(), "upkeep.toml".to_owned()))
        .collect();
    if !configured.is_empty() {
        return Ok(configured);
    }
    let manifests: Vec<(String, String)> = store
        .tip_files_of(repo, &[TipFileKind::Manifest])?
        .into_iter()
        .map(|f| (f.path.to_string(), f.content.to_string()))
        .collect();
    let mut out: BTreeMap<String, String> = published(&manifests)
        .into_iter()
        .map(|p| (p.purl, p.source))
        .collect();
    for (purl, source) in traced {
        out.entry(purl.clone()).or_insert_with(|| source.clone());
    }
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

/// The advisory ids OSV lists, by package URL.
type Listings = HashMap<String, Vec<String>>;

/// The advisories OSV lists for each of `purls` (no versions: every
/// advisory of each package), by package URL, and every record listed, read
/// through the cache.
fn ask(
    store: &Store,
    purls: &[String],
    now: i64,
    skipped: &mut Vec<(String, String)>,
) -> anyhow::Result<(Listings, Vec<Record>)> {
    if purls.is_empty() {
        return Ok((HashMap::new(), Vec::new()));
    }
    let (lists, records) = crate::sources::advisories::ask(store, purls, now, skipped)?;
    let listed = purls
        .iter()
        .zip(&lists)
        .map(|(purl, list)| (purl.clone(), list.iter().map(|l| l.id.clone()).collect()))
        .collect();
    Ok((listed, records))
}

/// Asks the registries when the fixed versions `records` name for each of
/// `purls` were published, and stores what they say.
fn ship_times(store: &Store, purls: &[String], records: &[Record]) -> anyhow::Result<()> {
    let mut client = None;
    for text in purls {
        let Some(purl) = Purl::parse(text) else {
            continue;
        };
        let Some(ecosystem) = purl.ecosystem.osv_name() else {
            continue;
        };
        // A version's publish time does not change: ask only for the others.
        let known: Vec<String> = store
            .package_versions(text)?
            .into_iter()
            .map(|v| v.version)
            .collect();
        let mut versions: Vec<String> = records
            .iter()
            .flat_map(|r| &r.affected)
            .filter(|a| a.package.ecosystem == ecosystem && same_name(&purl, &a.package.name))
            .flat_map(fixed_versions)
            .filter(|v| !known.contains(v))
            .collect();
        versions.sort();
        versions.dedup();
        if versions.is_empty() {
            continue;
        }
        let client = match &client {
            Some(client) => client,
            None => client.insert(registry_client()?),
        };
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
