//! One sync of one repository: its git history, then its forge (GitHub or
//! GitLab), its trackers (JIRA, GitLab issues), the mailing lists
//! upkeep.toml pairs with it, then its packages' advisories. Every verb that brings data in (`mine`, the
//! pre-mining of `report`, `contributions` and `publish`, `deps`, the fleet's
//! git jobs) goes through [`sync`], with one policy: the history must be
//! mined for anything else to run; a source after it that fails is recorded
//! in [`Synced::failures`] and the others still run, and the caller's exit
//! code says so.

use crate::sources::forge::{self, ForgeOptions};
use crate::sources::history::mine_repository;
use std::fmt;
use std::path::Path;
use upkeep_core::documents::ForgeReport;
use upkeep_core::documents::MineReport;
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
    /// Its packages' known vulnerabilities (OSV, the registries).
    pub advisories: bool,
    /// Its adoption signals (forge counts, forks, downloads, dependents).
    pub adoption: bool,
}

impl Sources {
    /// Every source.
    pub const ALL: Sources = Sources {
        forge: true,
        trackers: true,
        lists: true,
        advisories: true,
        adoption: true,
    };
    /// The git history alone.
    pub const GIT: Sources = Sources {
        forge: false,
        trackers: false,
        lists: false,
        advisories: false,
        adoption: false,
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
    /// The advisories of its packages.
    Advisories,
    /// Its adoption signals.
    Adoption,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Source::Forge => "forge",
            Source::Trackers => "trackers",
            Source::List => "mailing list",
            Source::Advisories => "advisories",
            Source::Adoption => "adoption",
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
    let target = Target {
        id: record.id,
        location: &mined.location,
        git_dir: &mined.git_dir,
    };
    let after = sync_sources(store, &target, request.sources, request.forge);
    let failures = after.failures;
    if let Some(report) = after.forge {
        mined.forge = report;
    }
    if let Some(reports) = after.trackers {
        mined.trackers = reports;
    }
    mined.advisories = after.advisories;
    mined.adoption = after.adoption;
    Ok(Synced {
        mined,
        id: record.id,
        mined_at: record.mined_at,
        failures,
    })
}

/// A repository whose history is mined, as the sources after it need it.
#[derive(Clone, Copy, Debug)]
pub struct Target<'a> {
    /// Its id in the store.
    pub id: RepoId,
    /// Its location (a clone URL or a path).
    pub location: &'a str,
    /// Its git directory.
    pub git_dir: &'a Path,
}

/// What the sources after the history did.
#[derive(Debug, Default)]
pub struct AfterHistory {
    /// The forge's sync, when it ran and succeeded (`Some(None)`: no forge).
    pub forge: Option<Option<ForgeReport>>,
    /// The trackers' syncs, when they ran and succeeded.
    pub trackers: Option<Vec<ForgeReport>>,
    /// What the advisory check found, when it ran and succeeded.
    pub advisories: Option<crate::sources::security::Checked>,
    /// What the adoption check read, when it ran and succeeded.
    pub adoption: Option<crate::sources::adoption::Checked>,
    /// The sources that failed, in the order they ran.
    pub failures: Vec<SourceFailure>,
}

/// Runs the `sources` after the history of `target` with one policy: each
/// runs whatever the others did; a failure is recorded and the next source
/// runs. Used by [`sync`] and by the fleet's forge jobs (which mined the
/// history in a job of its own).
pub fn sync_sources(
    store: &mut Store,
    target: &Target<'_>,
    sources: Sources,
    forge: &ForgeOptions,
) -> AfterHistory {
    let mut after = AfterHistory::default();
    let mut failed = |source: Source, error: anyhow::Error| {
        after.failures.push(SourceFailure {
            source,
            error: format!("{error:#}"),
        });
    };
    let Target {
        id,
        location,
        git_dir,
    } = *target;
    if sources.forge {
        match forge::sync(store, id, location, git_dir, forge) {
            Ok(report) => after.forge = Some(report),
            Err(e) => failed(Source::Forge, e),
        }
    }
    if sources.trackers {
        match crate::sources::trackers::sync(store, id, location, git_dir, forge) {
            Ok(reports) => after.trackers = Some(reports),
            Err(e) => failed(Source::Trackers, e),
        }
    }
    if sources.lists {
        for error in paired_lists(store, id, location, forge) {
            failed(Source::List, error);
        }
    }
    if sources.advisories && !forge.no_advisories {
        let now = jiff::Timestamp::now().as_second();
        let target = crate::sources::security::Target {
            repo: id,
            location,
            traced: Vec::new(),
        };
        match crate::sources::security::check(store, &[target], forge, now) {
            Ok(mut checked) => after.advisories = checked.pop(),
            Err(e) => failed(Source::Advisories, e),
        }
    }
    if sources.adoption {
        let now = jiff::Timestamp::now().as_second();
        match crate::sources::adoption::check(store, id, forge, now) {
            Ok(checked) => after.adoption = checked,
            Err(e) => failed(Source::Adoption, e),
        }
    }
    after
}

/// Reads the mailing lists upkeep.toml pairs with the repository at
/// `location`; returns the failures (a part that could not be read, or a list).
fn paired_lists(
    store: &mut Store,
    repo: RepoId,
    location: &str,
    forge: &ForgeOptions,
) -> Vec<anyhow::Error> {
    let options = crate::sources::lists::ListOptions::at(jiff::Timestamp::now().as_second(), None);
    let mut errors = Vec::new();
    for p in forge.paired("list", location) {
        match crate::sources::lists::mine_list(store, &p.url, Some(repo), &options) {
            Ok(read) => errors.extend(read.failed.iter().map(|(part, why)| {
                anyhow::anyhow!("{}: {part}: {why} (read again next run)", p.url)
            })),
            Err(e) => errors.push(e.context(format!("the list {}", p.url))),
        }
    }
    errors
}
