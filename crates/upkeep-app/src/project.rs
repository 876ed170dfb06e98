//! Bringing a project's repositories up to date before measuring them: each
//! is synced ([`crate::sources::sync`]: mined incrementally with the options it was
//! mined with before, then its forge, trackers and paired lists); a source
//! that fails is a warning, the data it stored before is used, and it is
//! counted in [`MinedRepo::failed_sources`] for the caller's exit code.
//! `report`, `contributions` and `publish` share it.

use crate::paths::clone_cache;
use crate::sources::forge::ForgeOptions;
use crate::sources::sync::{Sources, SyncRequest, sync};
use anyhow::Context;
use std::path::PathBuf;
use upkeep_git::mine::MineOptions;
use upkeep_store::{RepoId, Store};

/// One repository of a project, mined and synced.
pub struct MinedRepo {
    /// Its location as stored (a canonical path or a URL).
    pub location: String,
    /// Its id in the store.
    pub id: RepoId,
    /// Its git directory.
    pub git_dir: PathBuf,
    /// When it was last mined completely, seconds since the epoch.
    pub mined_at: Option<i64>,
    /// Counts over what is stored.
    pub summary: upkeep_store::Summary,
    /// The forge it was synced from, if any.
    pub forge: Option<String>,
    /// Sources after its history that failed in this run (0 when read from the store).
    pub failed_sources: usize,
}

/// Mines and syncs every repository of `repositories` (paths or URLs), in order.
pub fn mine(
    store: &mut Store,
    repositories: &[String],
    forge: &ForgeOptions,
) -> anyhow::Result<Vec<MinedRepo>> {
    let cache = clone_cache()?;
    let mut out = Vec::new();
    for arg in repositories {
        let synced = sync(
            store,
            &SyncRequest {
                repository: arg,
                mine: MineOptions::default(),
                all_refs: false,
                reuse_stored_options: true,
                fetch: true,
                clone_cache: &cache,
                sources: Sources::ALL,
                forge,
            },
        )
        .with_context(|| format!("cannot measure {arg}"))?;
        for failure in &synced.failures {
            eprintln!(
                "warning: {}: {}: {}; the data stored before is used",
                synced.mined.location, failure.source, failure.error
            );
        }
        out.push(MinedRepo {
            forge: forge_names(store, synced.id)?,
            location: synced.mined.location,
            id: synced.id,
            git_dir: synced.mined.git_dir,
            mined_at: synced.mined_at,
            summary: synced.mined.summary,
            failed_sources: synced.failures.len(),
        });
    }
    Ok(out)
}

/// How the store knows the repository `arg` (a path or a URL): the URL as
/// given, or the local repository's canonical root.
pub fn location(arg: &str) -> anyhow::Result<String> {
    if upkeep_git::remote::is_url(arg) && !std::path::Path::new(arg).exists() {
        return Ok(arg.to_owned());
    }
    let repo = upkeep_git::open(std::path::Path::new(arg))
        .with_context(|| format!("cannot open {arg}"))?;
    Ok(crate::sources::history::local_location(&repo))
}

/// Where a repository's forge data comes from: its forge and its trackers
/// (`github:apache/kafka + jira:KAFKA`), if any.
pub fn forge_names(store: &Store, repo: upkeep_store::RepoId) -> anyhow::Result<Option<String>> {
    let mut names: Vec<String> = store.forge_of(repo)?.into_iter().collect();
    for t in store.trackers(repo)? {
        // A GitLab project is the forge itself: its metadata names it already.
        let name = format!("{}:{}", t.kind, t.project);
        if !names.contains(&name) {
            names.push(name);
        }
    }
    Ok((!names.is_empty()).then(|| names.join(" + ")))
}

/// The repositories `repositories` (paths or URLs) as they are in the store,
/// without mining them (for readers such as `serve`).
pub fn stored(store: &Store, repositories: &[String]) -> anyhow::Result<Vec<MinedRepo>> {
    let locations = repositories
        .iter()
        .map(|arg| location(arg))
        .collect::<anyhow::Result<Vec<_>>>()?;
    stored_at(store, &locations)
}

/// The repositories the store knows by `locations` (see [`location`]).
pub fn stored_at(store: &Store, locations: &[String]) -> anyhow::Result<Vec<MinedRepo>> {
    let mut out = Vec::new();
    for location in locations {
        let record = store.find_repository(location)?.with_context(|| {
            format!("{location} is not mined yet; run `upkeep mine {location}`")
        })?;
        out.push(MinedRepo {
            forge: forge_names(store, record.id)?,
            summary: store.summary(record.id)?,
            git_dir: PathBuf::from(&record.git_dir),
            mined_at: record.mined_at,
            id: record.id,
            location: location.clone(),
            failed_sources: 0,
        });
    }
    Ok(out)
}

/// A short name for a repository: its forge's `owner/name`, else the last two
/// components of its URL or path.
pub fn short_name(repo: &MinedRepo) -> String {
    if let Some(forge) = &repo.forge {
        return forge
            .split_once(':')
            .map_or(forge.as_str(), |(_, n)| n)
            .to_owned();
    }
    let trimmed = repo.location.trim_end_matches('/').trim_end_matches(".git");
    let parts: Vec<&str> = trimmed.rsplit(['/', '\\']).take(2).collect();
    parts.into_iter().rev().collect::<Vec<_>>().join("/")
}
