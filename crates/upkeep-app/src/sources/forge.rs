//! Syncing a mined repository's forge data (GitHub) into the store: which
//! forge repository it is (`--forge`, the URL, or the `origin` remote), the
//! token, a progress line with the rate-limit countdown, and a sink that
//! writes each page with its cursors in one transaction.

use crate::progress;
use anyhow::Context;
use std::path::Path;
use std::sync::Once;
use std::time::Duration;
use upkeep_core::documents::ForgeReport;
use upkeep_forge::client::Options;
use upkeep_forge::github::{API, GitHub};
use upkeep_forge::{Batch, Forge, Progress, RepoRef, Sink, github_repo, token};
use upkeep_store::{ForgeBatch, RepoId, Store};

/// Forge options of the verbs that mine.
#[derive(Debug, Clone, Default)]
pub struct ForgeOptions {
    /// The repository on GitHub (`OWNER/NAME`), when neither its URL nor its `origin` remote says.
    pub forge: Option<String>,
    /// Do not fetch from the forge.
    pub no_forge: bool,
    /// Stop the sync after this many requests; the next run resumes.
    pub max_requests: Option<u64>,
    /// A JIRA project to sync beside the forge: the site and the project's key.
    pub jira: Option<(String, String)>,
    /// The repository's GitLab project, when neither its URL nor its `origin`
    /// remote says: the site and the project's path.
    pub gitlab: Option<(String, String)>,
    /// Projects upkeep.toml's `[[projects]]` pair with repositories.
    pub pairings: Vec<Pairing>,
    /// The GitHub token to use instead of discovering one (a worker's lease
    /// of the fleet's shared budget).
    pub token: Option<upkeep_forge::token::Token>,
    /// Do not check the repository's packages against known vulnerabilities.
    pub no_advisories: bool,
    /// Ask neither OSV nor the registries: the advisories stored are used.
    pub offline: bool,
    /// Do not read adoption signals (stars, forks, downloads, dependents).
    pub no_adoption: bool,
}

/// A JIRA or GitLab project, or a mailing list, paired with a repository in upkeep.toml.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pairing {
    /// The repository, as `[[projects]]` writes it (a path or URL).
    pub repository: String,
    /// `jira`, `gitlab`, `list` or `package`.
    pub kind: &'static str,
    /// The site (for a list: its source, as `mine --list` takes it; for a
    /// package: its package URL).
    pub url: String,
    /// The project's key or path.
    pub project: String,
}

impl ForgeOptions {
    /// The pairings of `kind` (`list`, `package`, …) upkeep.toml makes with
    /// the repository at `location`.
    pub fn paired<'a>(
        &'a self,
        kind: &'a str,
        location: &'a str,
    ) -> impl Iterator<Item = &'a Pairing> {
        self.pairings.iter().filter(move |p| {
            p.kind == kind
                && crate::project::location(&p.repository).ok().as_deref() == Some(location)
        })
    }

    /// Refuses a forge repository named for more than one repository.
    pub fn check(&self, repositories: usize) -> anyhow::Result<()> {
        if let Some(forge) = &self.forge
            && upkeep_forge::RepoRef::parse(forge).is_none()
        {
            anyhow::bail!(
                "--forge {forge:?} is not OWNER/NAME (letters, digits, `-`, `_` and `.` on each side of one `/`)"
            );
        }
        if self.forge.is_some() && repositories > 1 {
            anyhow::bail!(
                "--forge names the forge repository of one REPOSITORY; give one at a time"
            );
        }
        if (self.jira.is_some() || self.gitlab.is_some()) && repositories > 1 {
            anyhow::bail!(
                "--jira and --gitlab name the projects of one REPOSITORY; give one at a time"
            );
        }
        Ok(())
    }
}

/// Writes pages into the store.
pub(crate) struct StoreSink<'a> {
    pub(crate) store: &'a mut Store,
    pub(crate) repo: RepoId,
    pub(crate) forge: String,
}

impl Sink for StoreSink<'_> {
    fn cursor(&self, key: &str) -> Option<String> {
        self.store.forge_cursor(self.repo, key).ok().flatten()
    }

    fn save(&mut self, batch: Batch) -> Result<(), String> {
        self.store
            .save_forge_batch(
                self.repo,
                &ForgeBatch {
                    items: &batch.items,
                    replace_activities_of: &batch.replace_activities_of,
                    tracker: batch.tracker.as_deref(),
                    activities: &batch.activities,
                    releases: &batch.releases,
                    meta: batch.meta.as_ref().map(|m| (self.forge.as_str(), m)),
                    links: &batch.links,
                    cursors: &batch.cursors,
                    advisories: &batch.advisories,
                },
            )
            .map_err(|e| format!("{e:#}"))
    }
}

static ANONYMOUS: Once = Once::new();

/// Client options for `base` with `token`: `--max-requests`, and the first
/// backoff from `UPKEEP_FORGE_BACKOFF_MS` when set (tests).
pub(crate) fn client_options(
    base: &str,
    token: Option<token::Token>,
    args: &ForgeOptions,
) -> Options {
    let mut options = Options::new(base, token);
    options.max_requests = args.max_requests;
    if let Some(ms) = std::env::var("UPKEEP_FORGE_BACKOFF_MS")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        options.backoff = Duration::from_millis(ms);
        options.secondary_wait = Duration::from_millis(ms.max(1000));
    }
    options
}

/// The GitHub API at `GITHUB_API_URL`, else the public one.
pub(crate) fn github_api() -> String {
    std::env::var("GITHUB_API_URL").unwrap_or_else(|_| API.to_owned())
}

/// Client options for the GitHub API `api`: the worker's token, else one
/// discovered (GITHUB_TOKEN, GH_TOKEN, `gh`), else anonymous (said once).
pub(crate) fn github_options(api: &str, args: &ForgeOptions) -> Options {
    let token = args
        .token
        .clone()
        .or_else(|| token::discover(api, &|k| std::env::var(k).ok(), None));
    if token.is_none() {
        ANONYMOUS.call_once(|| {
            eprintln!(
                "note: no GitHub token (GITHUB_TOKEN, GH_TOKEN or `gh auth login`): anonymous REST requests, 60 an hour; upkeep waits for the limit to reset"
            );
        });
    }
    client_options(api, token, args)
}

/// Syncs the forge data of the mined repository `location` (git directory
/// `git_dir`, store id `repo`). `None` when it is not on a forge, or `--no-forge`.
pub fn sync(
    store: &mut Store,
    repo: RepoId,
    location: &str,
    git_dir: &Path,
    args: &ForgeOptions,
) -> anyhow::Result<Option<ForgeReport>> {
    if args.no_forge {
        return Ok(None);
    }
    let api = github_api();
    let host = token::host_of(&api);
    let slug = match &args.forge {
        Some(text) => Some(RepoRef::parse(text).with_context(|| {
            format!("--forge {text}: expected OWNER/NAME, e.g. jupyterhub/jupyterhub")
        })?),
        None => github_repo(location, &host).or_else(|| {
            upkeep_git::remote::origin_url(git_dir).and_then(|url| github_repo(&url, &host))
        }),
    };
    let Some(slug) = slug else {
        return Ok(None);
    };
    let options = github_options(&api, args);
    let bar = progress::spinner(format!("{slug}: forge"));
    let mut waited_until = None;
    let mut sink = StoreSink {
        store,
        repo,
        forge: format!("github:{slug}"),
    };
    let result = GitHub::new(options)?.sync(&slug, &mut sink, &mut |p| match p {
        Progress::Page { what, items } => {
            bar.set_message(format!("{slug}: {items} issues and pull requests · {what}"));
        }
        Progress::Waiting { seconds, reason } => {
            let until = jiff::Timestamp::now().as_second() + seconds as i64;
            waited_until = waited_until.max(Some(until));
            bar.set_message(format!(
                "{slug}: {reason}; waiting {}:{:02}",
                seconds / 60,
                seconds % 60
            ))
        }
    });
    bar.finish_and_clear();
    let summary = result.with_context(|| {
        format!("forge data of {slug}: the pages stored so far are kept; run again to resume")
    })?;
    if summary.incomplete {
        eprintln!(
            "note: {slug}: stopped after {} requests (--max-requests); the next run resumes",
            summary.requests
        );
    }
    Ok(Some(ForgeReport {
        repository: format!("github:{slug}"),
        sync: summary,
        waited_until,
    }))
}
