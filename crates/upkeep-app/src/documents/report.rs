//! The report of a project: its mined repositories measured over a window,
//! people named, flags raised — the object `report` prints, `publish` writes
//! and `serve` serves.

use crate::config::Config;
use crate::events::conventions_of;
use crate::identities::{Resolved, resolve};
use crate::metrics::{MeasureOptions, measure};
use crate::paths::{date, rfc3339};
use crate::project::MinedRepo;
use upkeep_core::documents::{Report, Repository, WindowDates};
use upkeep_core::identities::names::Names;
use upkeep_core::metrics::Window;
use upkeep_core::metrics::report::flags;
use upkeep_store::Store;

/// What a repository looks like in a report's header.
pub fn repository(store: &Store, resolved: &Resolved, m: &MinedRepo) -> anyhow::Result<Repository> {
    let rules = conventions_of(store, resolved, m.id)?;
    let credited = if rules.message_authors {
        m.summary.conventions.author_lines
    } else {
        0
    };
    Ok(Repository {
        location: m.location.clone(),
        mined_at: m.mined_at.and_then(rfc3339),
        shallow: m.summary.shallow,
        changes_with_missing_blobs: m.summary.changes_with_missing_blobs,
        commits_credited_from_messages: credited,
        forge: m.forge.clone(),
    })
}

/// The report of the repositories `mined` (already in the store) over
/// `window`, made at `now` (seconds since the epoch).
pub fn report(
    store: &Store,
    config: &Config,
    mined: &[MinedRepo],
    window: Window,
    options: MeasureOptions,
    now: i64,
) -> anyhow::Result<Report> {
    let ids: Vec<_> = mined.iter().map(|m| m.id).collect();
    let git_dirs: Vec<_> = mined.iter().map(|m| m.git_dir.clone()).collect();
    let resolved = resolve(store, config)?;
    let measured = measure(store, &resolved, &ids, &git_dirs, window, options)?;
    let (metrics, series, card) = (measured.metrics, measured.series, measured.card);
    let names = Names::new(resolved.people.all());
    // A key of the truck factor's name rule is an address: named after its person.
    let name_of = |key: &str| match resolved.people.find(key).first() {
        Some(p) => names.of(&p.key),
        None => names.of(key),
    };
    let people = metrics
        .people_keys()
        .into_iter()
        .chain(series.top_people.iter().map(|p| p.key.as_str()))
        .map(|key| (key.to_owned(), name_of(key)))
        .collect();
    Ok(Report {
        repositories: mined
            .iter()
            .map(|m| repository(store, &resolved, m))
            .collect::<anyhow::Result<_>>()?,
        window: WindowDates {
            since: date(window.since),
            until: date(window.until),
        },
        generated_at: rfc3339(now).unwrap_or_default(),
        flags: flags(&metrics, &name_of),
        metrics,
        series,
        card,
        people,
    })
}
