//! Bringing a project's repositories up to date before measuring them: each
//! is mined (incrementally, with the options it was mined with before) and
//! synced with its forge; a forge failure is a warning, the data stored
//! before is used. `report` and `contributions` share it.

use crate::forging::{self, ForgeOptions};
use crate::mining::mine_repository;
use crate::paths::clone_cache;
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
        let mined = mine_repository(
            store,
            arg,
            &MineOptions::default(),
            false,
            &cache,
            true,
            true,
        )
        .with_context(|| format!("cannot measure {arg}"))?;
        let record = store
            .find_repository(&mined.location)?
            .with_context(|| format!("{} was mined but is not in the store", mined.location))?;
        if let Err(err) = forging::sync(store, record.id, &mined.location, &mined.git_dir, forge) {
            eprintln!("warning: {err:#}; the forge data stored before is used");
        }
        mine_lists(store, record.id, &mined.location, forge);
        if let Err(err) =
            crate::tracking::sync(store, record.id, &mined.location, &mined.git_dir, forge)
        {
            eprintln!("warning: {err:#}; the issues stored before are used");
        }
        out.push(MinedRepo {
            forge: forge_names(store, record.id)?,
            location: mined.location,
            id: record.id,
            git_dir: mined.git_dir,
            mined_at: record.mined_at,
            summary: mined.summary,
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
    Ok(crate::mining::local_location(&repo))
}

/// Reads the mailing lists upkeep.toml pairs with the repository at
/// `location_of_repo`; one that fails is a warning, its stored messages are used.
fn mine_lists(
    store: &mut Store,
    repo: upkeep_store::RepoId,
    location_of_repo: &str,
    forge: &ForgeOptions,
) {
    let options = crate::listing::ListOptions::at(jiff::Timestamp::now().as_second(), None);
    for p in forge.pairings.iter().filter(|p| p.kind == "list") {
        if location(&p.repository).ok().as_deref() != Some(location_of_repo) {
            continue;
        }
        match crate::listing::mine_list(store, &p.url, Some(repo), &options) {
            Ok(read) => {
                for (part, why) in &read.failed {
                    eprintln!(
                        "warning: the list {}: {part}: {why} (read again next run)",
                        p.url
                    );
                }
            }
            Err(err) => eprintln!(
                "warning: the list {}: {err:#}; the messages stored before are used",
                p.url
            ),
        }
    }
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
