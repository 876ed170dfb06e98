//! Syncing a repository's other forges into the store: its GitLab project
//! (`--gitlab`, or a GitLab URL or `origin`; `GITLAB_TOKEN`) and its issue
//! trackers (JIRA projects; a token from `JIRA_TOKEN`, HTTP Basic with
//! `JIRA_USER` as Atlassian Cloud wants, else a personal access token). What
//! is given or found is recorded, and every recorded one is synced, with a
//! token or anonymously.

use crate::progress;
use crate::sources::forge::{ForgeOptions, StoreSink, client_options};
use anyhow::Context;
use upkeep_core::documents::ForgeReport;
use upkeep_forge::client::Client;
use upkeep_forge::gitlab::GitLab;
use upkeep_forge::jira::Jira;
use upkeep_forge::token::Token;
use upkeep_forge::{Forge, Progress, RepoRef};
use upkeep_store::{RepoId, Store, Tracker};

/// The GitLab token of the environment, if one is set (never printed).
fn gitlab_token() -> Option<Token> {
    let value = std::env::var("GITLAB_TOKEN")
        .ok()
        .filter(|v| !v.trim().is_empty())?;
    Some(Token::new(value, "GITLAB_TOKEN"))
}

/// The JIRA token of the environment, if one is set (never printed).
fn token() -> Option<Token> {
    let value = std::env::var("JIRA_TOKEN")
        .ok()
        .filter(|v| !v.trim().is_empty())?;
    Some(match std::env::var("JIRA_USER") {
        Ok(user) if !user.trim().is_empty() => Token::basic(&user, value, "JIRA_TOKEN"),
        _ => Token::new(value, "JIRA_TOKEN"),
    })
}

/// Records the projects `args` names for `repo` (or the GitLab project its
/// `location` or `origin` names), then syncs every recorded one; what each did.
pub fn sync(
    store: &mut Store,
    repo: RepoId,
    location: &str,
    git_dir: &std::path::Path,
    args: &ForgeOptions,
) -> anyhow::Result<Vec<ForgeReport>> {
    let found = args.gitlab.clone().or_else(|| {
        upkeep_forge::gitlab_repo(location).or_else(|| {
            upkeep_git::remote::origin_url(git_dir).and_then(|url| upkeep_forge::gitlab_repo(&url))
        })
    });
    if let Some((url, path)) = found {
        store.add_tracker(
            repo,
            &Tracker {
                kind: "gitlab".into(),
                url: url.trim_end_matches('/').to_owned(),
                project: path,
            },
        )?;
    }
    for p in args
        .pairings
        .iter()
        .filter(|p| matches!(p.kind, "jira" | "gitlab"))
    {
        if crate::project::location(&p.repository).is_ok_and(|l| l == location) {
            store.add_tracker(
                repo,
                &Tracker {
                    kind: p.kind.to_owned(),
                    url: p.url.trim_end_matches('/').to_owned(),
                    project: if p.kind == "jira" {
                        p.project.to_ascii_uppercase()
                    } else {
                        p.project.clone()
                    },
                },
            )?;
        }
    }
    if let Some((url, project)) = &args.jira {
        store.add_tracker(
            repo,
            &Tracker {
                kind: "jira".into(),
                url: url.trim_end_matches('/').to_owned(),
                project: project.to_ascii_uppercase(),
            },
        )?;
    }
    if args.no_forge {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for tracker in store.trackers(repo)? {
        out.push(match tracker.kind.as_str() {
            "gitlab" => sync_gitlab(store, repo, &tracker, args)?,
            _ => sync_jira(store, repo, &tracker, args)?,
        });
    }
    Ok(out)
}

fn sync_gitlab(
    store: &mut Store,
    repo: RepoId,
    tracker: &Tracker,
    args: &ForgeOptions,
) -> anyhow::Result<ForgeReport> {
    let name = format!("gitlab:{}", tracker.project);
    let options = client_options(&format!("{}/api/v4", tracker.url), gitlab_token(), args);
    let (owner, project) = tracker
        .project
        .rsplit_once('/')
        .with_context(|| format!("{}: a GitLab project is GROUP/NAME", tracker.project))?;
    let place = RepoRef {
        owner: owner.to_owned(),
        name: project.to_owned(),
    };
    let mut gitlab = GitLab::new(Client::new(options)?);
    run(store, repo, &name, &tracker.url, &mut gitlab, &place)
}

fn sync_jira(
    store: &mut Store,
    repo: RepoId,
    tracker: &Tracker,
    args: &ForgeOptions,
) -> anyhow::Result<ForgeReport> {
    let name = format!("jira:{}", tracker.project);
    let options = client_options(&tracker.url, token(), args);
    let place = RepoRef {
        owner: "jira".into(),
        name: tracker.project.clone(),
    };
    let mut jira = Jira::new(Client::new(options)?, &tracker.project);
    run(store, repo, &name, &tracker.url, &mut jira, &place)
}

/// Syncs `forge` into the store as `name`, with a progress line.
fn run(
    store: &mut Store,
    repo: RepoId,
    name: &str,
    url: &str,
    forge: &mut dyn Forge,
    place: &RepoRef,
) -> anyhow::Result<ForgeReport> {
    let bar = progress::spinner(format!("{name}: issues"));
    let mut sink = StoreSink {
        store,
        repo,
        forge: name.to_owned(),
    };
    let result = forge.sync(place, &mut sink, &mut |p| match p {
        Progress::Page { items, what } => bar.set_message(format!("{name}: {items} {what}")),
        Progress::Waiting { seconds, reason } => {
            bar.set_message(format!("{name}: {reason}; waiting {seconds} s"));
        }
    });
    bar.finish_and_clear();
    let summary = result.with_context(|| {
        format!("{name} at {url}: the pages stored so far are kept; run again to resume")
    })?;
    Ok(ForgeReport {
        repository: name.to_owned(),
        sync: summary,
        waited_until: None,
    })
}
