//! Known vulnerabilities of pinned packages, from OSV (`UPKEEP_OSV_URL`,
//! else the public service): one `querybatch` request per 1,000 packages,
//! then only the records not cached or changed since (by their `modified`
//! time), kept in the store. `--offline` checks against the cached records
//! alone. OSV unreachable is a warning, not a failure: the check says the
//! data is missing (never zero), from the cache if it holds any.

use crate::progress;
use std::collections::{BTreeMap, HashMap, HashSet};
use upkeep_core::advisories::exposure::{AdvisoryCheck, ExposedPackage, exposures};
use upkeep_core::advisories::osv::Record;
use upkeep_core::portfolio::inventory::Inventory;
use upkeep_core::portfolio::purl::Purl;
use upkeep_deps::osv::{Listed, OsvClient, PUBLIC_URL, parse_record};
use upkeep_store::{CachedAdvisory, Store};

/// A pinned package upkeep can check: its package URL, OSV's ecosystem,
/// name and version.
struct Pinned {
    purl: String,
    ecosystem: &'static str,
    name: String,
    version: String,
}

/// The packages of `inventories` with a version, in an ecosystem whose
/// versions upkeep orders, each once, sorted.
fn pinned(inventories: &[Inventory]) -> Vec<Pinned> {
    let mut seen = HashSet::new();
    let mut out: Vec<Pinned> = inventories
        .iter()
        .flat_map(|inventory| &inventory.packages)
        .filter_map(|p| {
            let purl = p.registry_name()?;
            let version = purl.version.clone().or_else(|| p.version.clone())?;
            let ecosystem = purl.ecosystem.osv_name()?;
            let text = Purl::format(&purl.ecosystem, &purl.name, Some(&version));
            seen.insert(text.clone()).then_some(Pinned {
                purl: text,
                ecosystem,
                name: purl.name,
                version,
            })
        })
        .collect();
    out.sort_by(|a, b| a.purl.cmp(&b.purl));
    out
}

/// Checks every pinned package of `inventories` against the advisories
/// (see the module's documentation); `now` is when records are fetched.
pub fn check(
    store: &Store,
    inventories: &[Inventory],
    offline: bool,
    now: i64,
) -> anyhow::Result<AdvisoryCheck> {
    let packages = pinned(inventories);
    let mut check = AdvisoryCheck {
        checked: packages.len(),
        ..AdvisoryCheck::default()
    };
    if packages.is_empty() {
        return Ok(check);
    }
    let listed = match offline {
        true => None,
        false => match ask(
            store,
            &packages.iter().map(|p| p.purl.clone()).collect::<Vec<_>>(),
            now,
            &mut check.skipped,
        ) {
            Ok(listed) => Some(listed),
            Err(e) => {
                let why = format!("OSV could not be asked ({e:#})");
                eprintln!("warning: {why}; advisories are checked against the cache alone");
                check.missing = Some(why);
                None
            }
        },
    };
    let (lists, records) = match listed {
        Some((lists, records)) => (Some(lists), records),
        None => (None, cached(store, &mut check.skipped)?),
    };
    if lists.is_none() && records.is_empty() && check.missing.is_none() {
        check.missing = Some("no advisory is cached yet (--offline)".into());
    }
    // Each record once, by id and by the packages it names.
    let by_id: HashMap<&str, &Record> = records.iter().map(|r| (r.id.as_str(), r)).collect();
    let mut naming: HashMap<(&str, &str), Vec<&Record>> = HashMap::new();
    for record in &records {
        let mut named: Vec<(&str, &str)> = record
            .affected
            .iter()
            .map(|a| (a.package.ecosystem.as_str(), a.package.name.as_str()))
            .collect();
        named.sort_unstable();
        named.dedup();
        for key in named {
            naming.entry(key).or_default().push(record);
        }
    }
    for (i, p) in packages.iter().enumerate() {
        // Online, the records OSV listed for the package; offline, the
        // cached records naming it.
        let candidates: Vec<&Record> = match &lists {
            Some(lists) => lists[i]
                .iter()
                .filter_map(|l| by_id.get(l.id.as_str()).copied())
                .collect(),
            None => naming
                .get(&(p.ecosystem, p.name.as_str()))
                .cloned()
                .unwrap_or_default(),
        };
        let found = exposures(&candidates, p.ecosystem, &p.name, &p.version);
        for id in found.unreadable {
            if !check.skipped.iter().any(|(known, _)| *known == id) {
                let why = format!("a range for {} is not in {} versions", p.name, p.ecosystem);
                check.skipped.push((id, why));
            }
        }
        if !found.exposures.is_empty() {
            check.exposed.push(ExposedPackage {
                package: p.purl.clone(),
                ecosystem: p.ecosystem.to_owned(),
                name: p.name.clone(),
                version: p.version.clone(),
                advisories: found.exposures,
            });
        }
    }
    check.sort();
    Ok(check)
}

/// What OSV lists for each package URL of `purls` (with a version or
/// without), in order, and every record listed, fetched when not cached at
/// its `modified` time (then cached).
pub(crate) fn ask(
    store: &Store,
    purls: &[String],
    now: i64,
    skipped: &mut Vec<(String, String)>,
) -> anyhow::Result<(Vec<Vec<Listed>>, Vec<Record>)> {
    let client = osv_client()?;
    let spinner = progress::spinner(format!("asking OSV about {} packages", purls.len()));
    let lists = client.query(purls);
    spinner.finish_and_clear();
    let lists = lists?;
    let records = read_listed(store, &client, &lists, now, skipped)?;
    Ok((lists, records))
}

/// Every record of `lists`, from the cache when it holds the record at its
/// listed `modified` time, else fetched (then cached); records that cannot
/// be read are added to `skipped` by id.
fn read_listed(
    store: &Store,
    client: &OsvClient,
    lists: &[Vec<Listed>],
    now: i64,
    skipped: &mut Vec<(String, String)>,
) -> anyhow::Result<Vec<Record>> {
    let wanted: BTreeMap<&str, &str> = lists
        .iter()
        .flatten()
        .map(|l| (l.id.as_str(), l.modified.as_str()))
        .collect();
    let bar = progress::counter(wanted.len(), "advisories read");
    let mut records = Vec::new();
    for (id, modified) in wanted {
        bar.inc(1);
        let cached = store.cached_advisory(id)?;
        let text = match cached {
            Some(c) if modified.is_empty() || c.modified.as_str() >= modified => c.record,
            _ => match client.record_text(id)? {
                Some(text) => {
                    let record = CachedAdvisory {
                        modified: modified.to_owned(),
                        record: text.clone(),
                    };
                    store.cache_advisory(id, &record, now)?;
                    text
                }
                None => continue,
            },
        };
        match parse_record(&text) {
            Ok(record) => records.push(record),
            Err(why) => skipped.push((id.to_owned(), why)),
        }
    }
    bar.finish_and_clear();
    Ok(records)
}

/// A client of OSV at `UPKEEP_OSV_URL`, else the public service.
fn osv_client() -> anyhow::Result<OsvClient> {
    let base = std::env::var("UPKEEP_OSV_URL").unwrap_or_else(|_| PUBLIC_URL.to_owned());
    Ok(OsvClient::new(&base)?)
}

/// Every cached record that can be read; the others skipped by id.
fn cached(store: &Store, skipped: &mut Vec<(String, String)>) -> anyhow::Result<Vec<Record>> {
    let mut records = Vec::new();
    for (id, text) in store.cached_advisories()? {
        match parse_record(&text) {
            Ok(record) => records.push(record),
            Err(why) => skipped.push((id, why)),
        }
    }
    Ok(records)
}
