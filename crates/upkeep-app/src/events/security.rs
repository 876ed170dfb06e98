//! A project's security evidence read from the store: its packages, the
//! advisory records linked to its repositories, when their versions
//! shipped, its disclosure channel (SECURITY files, security-insights.yml,
//! the forge's flags) and what its last advisory checks said.

use std::collections::BTreeSet;
use upkeep_core::advisories::disclosure::disclosure;
use upkeep_core::advisories::osv::Record;
use upkeep_core::events::TipFileKind;
use upkeep_core::metrics::security_response::{Evidence, ProjectPackage, Shipped, Skipped};
use upkeep_core::portfolio::purl::Purl;
use upkeep_deps::osv::parse_record;
use upkeep_store::{RepoId, Store};

/// The security evidence of the repositories `ids`; `None` when none of
/// them was ever checked (advisories off, or not synced yet).
pub fn read(store: &Store, ids: &[RepoId]) -> anyhow::Result<Option<Evidence>> {
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
    let mut seen = BTreeSet::new();
    let mut files = Vec::new();
    let (mut policy, mut reporting) = (None, None);
    for id in ids {
        packages(store, *id, &mut evidence.packages)?;
        for (advisory, text) in store.repo_advisory_records(*id)? {
            if !seen.insert(advisory.clone()) {
                continue;
            }
            match parse_record(&text) {
                Ok(record) => evidence.records.push(record),
                Err(reason) => evidence.skipped.push(Skipped {
                    id: advisory,
                    reason,
                }),
            }
        }
        files.extend(store.tip_files(*id)?.into_iter().filter(|f| {
            matches!(
                f.kind,
                TipFileKind::Security | TipFileKind::SecurityInsights
            )
        }));
        if let Some((_, meta)) = store.forge_meta(*id)? {
            policy = policy.or(meta.security_policy);
            reporting = reporting.or(meta.private_reporting);
        }
    }
    // A record that cannot be read is skipped once, whoever saw it first.
    let mut named = BTreeSet::new();
    evidence.skipped.retain(|s| named.insert(s.id.clone()));
    evidence.shipped = shipped(store, &evidence.packages)?;
    evidence.disclosure = disclosure(&files, policy, reporting);
    Ok(Some(evidence))
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

/// The records linked to `ids`, for the ledger's security fixes.
pub fn records(store: &Store, ids: &[RepoId]) -> anyhow::Result<Vec<Record>> {
    Ok(read(store, ids)?.map(|e| e.records).unwrap_or_default())
}
