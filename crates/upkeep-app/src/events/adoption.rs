//! A project's adoption as last checked: the latest reading of each signal
//! of its repositories, joined to the reading closest to a year before, and
//! the forks as last listed.

use std::collections::BTreeMap;
use upkeep_core::identities::Day;
use upkeep_core::metrics::adoption::{Evidence, Fork, Signal, with_history};
use upkeep_store::{RepoId, Store};

/// The adoption of the repositories `ids`, or `None` when none was ever checked.
pub fn read(store: &Store, ids: &[RepoId]) -> anyhow::Result<Option<Evidence>> {
    let mut signals = Vec::new();
    let mut forks: Vec<Fork> = Vec::new();
    let mut forks_error: Option<String> = None;
    let mut checked = false;
    for id in ids {
        let Some(check) = store.adoption_check(*id)? else {
            continue;
        };
        let (at, error, listed) = (check.checked_at, check.forks_error, check.forks);
        checked = true;
        let readings = store.adoption_readings(*id)?;
        // The latest reading of each signal.
        let mut latest: BTreeMap<(&str, &str), &upkeep_store::AdoptionReading> = BTreeMap::new();
        for r in &readings {
            latest.insert((&r.signal, &r.subject), r);
        }
        let history: Vec<(String, String, i64, f64)> = readings
            .iter()
            .filter_map(|r| Some((r.signal.clone(), r.subject.clone(), r.read_at, r.value?)))
            .collect();
        let current = latest
            .values()
            .map(|r| Signal {
                name: r.signal.clone(),
                of: r.subject.clone(),
                value: r.value,
                source: r.source.clone(),
                as_of: Day::from_unix_seconds(r.read_at)
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
                reason: r.reason.clone(),
                change_pct: None,
                year_before: None,
            })
            .collect();
        signals.extend(with_history(current, &history, at));
        forks.extend(listed.into_iter().map(|f| Fork {
            name: f.name,
            pushed: f.pushed,
            ahead_by: f.ahead_by.map(|n| n.max(0) as u64),
        }));
        forks_error = forks_error.or(error);
    }
    forks.sort_by(|a, b| b.pushed.cmp(&a.pushed).then_with(|| a.name.cmp(&b.name)));
    Ok(checked.then_some(Evidence {
        signals,
        forks: match forks_error {
            Some(why) if forks.is_empty() => Err(why),
            _ => Ok(forks),
        },
    }))
}
