//! A project's security evidence read from the store: its packages, the
//! advisory records linked to its repositories, when their versions
//! shipped, its disclosure channel (SECURITY files, security-insights.yml,
//! the forge's flags) and what its last advisory checks said.

use std::collections::BTreeSet;
use upkeep_core::advisories::disclosure::disclosure;
use upkeep_core::advisories::osv::Record;
use upkeep_core::events::{RepoMeta, TipFileKind};
use upkeep_core::metrics::security_response::{Evidence, ProjectPackage, Shipped, Skipped};
use upkeep_core::portfolio::purl::Purl;
use upkeep_deps::osv::parse_record;
use upkeep_store::{RepoId, Store};

/// The security evidence of the repositories `ids`, whose forge metadata
/// is `metas`; `None` when none of them was ever checked (advisories off,
/// or not synced yet).
pub fn read(
    store: &Store,
    ids: &[RepoId],
    metas: &[(String, RepoMeta)],
) -> anyhow::Result<Option<Evidence>> {
    let mut checks = Vec::new();
    for id in ids {
        if let Some(check) = store.advisory_check(*id)? {
            checks.push(check);
        }
    }
    if checks.is_empty() {
        return Ok(None);
    }
    let mut evidence = Evidence::default();
    for check in &checks {
        evidence
            .skipped
            .extend(check.skipped.iter().map(|(id, reason)| Skipped {
                id: id.clone(),
                reason: reason.clone(),
            }));
    }
    // Missing when no repository's check ever completed.
    if checks.iter().all(|c| c.checked_at.is_none()) {
        evidence.missing = checks.iter().find_map(|c| c.error.clone());
    }
    evidence.records = linked(store, ids, &mut evidence.skipped)?;
    let mut files = Vec::new();
    for id in ids {
        packages(store, *id, &mut evidence.packages)?;
        files.extend(
            store.tip_files_of(*id, &[TipFileKind::Security, TipFileKind::SecurityInsights])?,
        );
    }
    let policy = metas.iter().find_map(|(_, m)| m.security_policy);
    let reporting = metas.iter().find_map(|(_, m)| m.private_reporting);
    // A record that cannot be read is skipped once, whoever saw it first.
    let mut named = BTreeSet::new();
    evidence.skipped.retain(|s| named.insert(s.id.clone()));
    evidence.shipped = shipped(store, &evidence.packages)?;
    evidence.disclosure = disclosure(&files, policy, reporting);
    Ok(Some(evidence))
}

/// The records of the advisories linked to `ids`, each once; those that
/// cannot be read are added to `skipped`.
fn linked(
    store: &Store,
    ids: &[RepoId],
    skipped: &mut Vec<Skipped>,
) -> anyhow::Result<Vec<Record>> {
    let mut seen = BTreeSet::new();
    let mut records = Vec::new();
    for id in ids {
        for (advisory, text) in store.repo_advisory_records(*id)? {
            if !seen.insert(advisory.clone()) {
                continue;
            }
            match parse_record(&text) {
                Ok(record) => records.push(record),
                Err(reason) => skipped.push(Skipped {
                    id: advisory,
                    reason,
                }),
            }
        }
    }
    Ok(records)
}

/// Adds the packages of `repo` not already in `out`.
fn packages(store: &Store, repo: RepoId, out: &mut Vec<ProjectPackage>) -> anyhow::Result<()> {
    for (purl, source) in store.repo_packages(repo)? {
        let Some(parsed) = Purl::parse(&purl) else {
            continue;
        };
        let Some(ecosystem) = parsed.ecosystem.osv_name() else {
            continue;
        };
        if out.iter().all(|p| p.purl != purl) {
            out.push(ProjectPackage {
                purl,
                ecosystem: ecosystem.to_owned(),
                name: parsed.name,
                source,
            });
        }
    }
    Ok(())
}

/// The registry publish times stored for `packages`' versions.
fn shipped(store: &Store, packages: &[ProjectPackage]) -> anyhow::Result<Vec<Shipped>> {
    let mut out = Vec::new();
    for p in packages {
        out.extend(
            store
                .package_versions(&p.purl)?
                .into_iter()
                .map(|v| Shipped {
                    ecosystem: p.ecosystem.clone(),
                    name: p.name.clone(),
                    version: v.version,
                    time: v.published,
                    source: v.source,
                }),
        );
    }
    Ok(out)
}

/// The records linked to `ids` that can be read, for the ledger's security fixes.
pub fn records(store: &Store, ids: &[RepoId]) -> anyhow::Result<Vec<Record>> {
    linked(store, ids, &mut Vec::new())
}
