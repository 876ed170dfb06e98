//! One sync of one repository: its git history, then its forge (GitHub or
//! GitLab), its trackers (JIRA, GitLab issues), then the mailing lists
//! upkeep.toml pairs with it. Every verb that brings data in (`mine`, the
//! pre-mining of `report`, `contributions` and `publish`, `deps`, the fleet's
//! git jobs) goes through [`sync`], with one policy: the history must be
//! mined for anything else to run; a source after it that fails is recorded
//! in [`Synced::failures`] and the others still run, and the caller's exit
//! code says so.

use crate::forging::{self, ForgeOptions};
use crate::mining::{MineReport, mine_repository};
use std::fmt;
use std::path::Path;
use upkeep_git::mine::MineOptions;
use upkeep_store::{RepoId, Store};

/// Which sources after the history a sync runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sources {
    /// The forge (GitHub, GitLab) the repository is on.
    pub forge: bool,
    /// Its trackers (JIRA projects, GitLab issues named in upkeep.toml or by flags).
    pub trackers: bool,
    /// The mailing lists upkeep.toml pairs with it.
    pub lists: bool,
}

impl Sources {
    /// Every source.
    pub const ALL: Sources = Sources {
        forge: true,
        trackers: true,
        lists: true,
    };
    /// The git history alone.
    pub const GIT: Sources = Sources {
        forge: false,
        trackers: false,
        lists: false,
    };
}

/// What to bring into the store for one repository.
#[derive(Clone, Debug)]
pub struct SyncRequest<'a> {
    /// A local path or a clone URL.
    pub repository: &'a str,
    /// How to mine its history.
    pub mine: MineOptions,
    /// Mine every branch, not only the default one.
    pub all_refs: bool,
    /// Mine with the options the repository was mined with before, when there were any.
    pub reuse_stored_options: bool,
    /// Fetch a cached clone before mining (a URL's clone is always made when missing).
    pub fetch: bool,
    /// Where URLs are cloned.
    pub clone_cache: &'a Path,
    /// The sources after the history.
    pub sources: Sources,
    /// Forge, tracker and list settings.
    pub forge: &'a ForgeOptions,
}

/// A source after the history.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The forge.
    Forge,
    /// The trackers.
    Trackers,
    /// A mailing list.
    List,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Source::Forge => "forge",
            Source::Trackers => "trackers",
            Source::List => "mailing list",
        })
    }
}

/// A source that failed; what it stored before is still used.
#[derive(Debug)]
pub struct SourceFailure {
    /// Which source.
    pub source: Source,
    /// Why, as one readable chain.
    pub error: String,
}

/// What a sync did.
#[derive(Debug)]
pub struct Synced {
    /// The history's mining (with the forge and tracker reports filled in).
    pub mined: MineReport,
    /// The repository's id in the store.
    pub id: RepoId,
    /// When it was last mined completely, seconds since the epoch.
    pub mined_at: Option<i64>,
    /// The sources that failed, in the order they ran.
    pub failures: Vec<SourceFailure>,
}

/// Syncs one repository as `request` says. An error means its history could
/// not be mined (and nothing else ran); the other sources' failures are in
/// [`Synced::failures`].
pub fn sync(store: &mut Store, request: &SyncRequest<'_>) -> anyhow::Result<Synced> {
    let mut mined = mine_repository(
        store,
        request.repository,
        &request.mine,
        request.all_refs,
        request.clone_cache,
        request.reuse_stored_options,
        request.fetch,
    )?;
    let record = store
        .find_repository(&mined.location)?
        .ok_or_else(|| anyhow::anyhow!("{} was mined but is not in the store", mined.location))?;
    let mut failures = Vec::new();
    let mut failed = |source: Source, error: anyhow::Error| {
        failures.push(SourceFailure {
            source,
            error: format!("{error:#}"),
        });
    };
    let (location, git_dir) = (mined.location.clone(), mined.git_dir.clone());
    if request.sources.forge {
        match forging::sync(store, record.id, &location, &git_dir, request.forge) {
            Ok(report) => mined.forge = report,
            Err(e) => failed(Source::Forge, e),
        }
    }
    if request.sources.trackers {
        match crate::tracking::sync(store, record.id, &location, &git_dir, request.forge) {
            Ok(reports) => mined.trackers = reports,
            Err(e) => failed(Source::Trackers, e),
        }
    }
    if request.sources.lists {
        for error in paired_lists(store, record.id, &location, request.forge) {
            failed(Source::List, error);
        }
    }
    Ok(Synced {
        mined,
        id: record.id,
        mined_at: record.mined_at,
        failures,
    })
}

/// Reads the mailing lists upkeep.toml pairs with the repository at
/// `location`; returns the failures (a part that could not be read, or a list).
fn paired_lists(
    store: &mut Store,
    repo: RepoId,
    location: &str,
    forge: &ForgeOptions,
) -> Vec<anyhow::Error> {
    let options = crate::listing::ListOptions::at(jiff::Timestamp::now().as_second(), None);
    let mut errors = Vec::new();
    for p in forge.pairings.iter().filter(|p| p.kind == "list") {
        if crate::project::location(&p.repository).ok().as_deref() != Some(location) {
            continue;
        }
        match crate::listing::mine_list(store, &p.url, Some(repo), &options) {
            Ok(read) => errors.extend(read.failed.iter().map(|(part, why)| {
                anyhow::anyhow!("{}: {part}: {why} (read again next run)", p.url)
            })),
            Err(e) => errors.push(e.context(format!("the list {}", p.url))),
        }
    }
    errors
}
