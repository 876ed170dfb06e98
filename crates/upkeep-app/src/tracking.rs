//! Syncing a repository's issue trackers (JIRA projects) into the store: the
//! one given now is recorded, and every recorded one is synced, with a token
//! from `JIRA_TOKEN` (HTTP Basic with `JIRA_USER`, Atlassian Cloud's way;
//! else a personal access token) or anonymously.

use crate::forging::{ForgeOptions, ForgeReport, StoreSink, client_options};
use crate::progress;
use anyhow::Context;
use upkeep_forge::client::Client;
use upkeep_forge::jira::Jira;
use upkeep_forge::token::Token;
use upkeep_forge::{Forge, Progress, RepoRef};
use upkeep_store::{RepoId, Store, Tracker};

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

/// Records the tracker `args.jira` names for `repo`, then syncs every
/// tracker of `repo`; what each did.
pub fn sync(
    store: &mut Store,
    repo: RepoId,
    args: &ForgeOptions,
) -> anyhow::Result<Vec<ForgeReport>> {
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
    for tracker in store
        .trackers(repo)?
        .into_iter()
        .filter(|t| t.kind == "jira")
    {
        out.push(sync_jira(store, repo, &tracker, args)?);
    }
    Ok(out)
}

fn sync_jira(
    store: &mut Store,
    repo: RepoId,
    tracker: &Tracker,
    args: &ForgeOptions,
) -> anyhow::Result<ForgeReport> {
    let name = format!("jira:{}", tracker.project);
    let mut options = client_options(&tracker.url, token(), args);
    options.github = false;
    let client = Client::new(options)?;
    let bar = progress::spinner(format!("{name}: issues"));
    let mut sink = StoreSink {
        store,
        repo,
        forge: name.clone(),
    };
    let place = RepoRef {
        owner: "jira".into(),
        name: tracker.project.clone(),
    };
    let result = Jira::new(client, &tracker.project).sync(&place, &mut sink, &mut |p| match p {
        Progress::Page { items, .. } => bar.set_message(format!("{name}: {items} issues")),
        Progress::Waiting { seconds, reason } => {
            bar.set_message(format!("{name}: {reason}; waiting {seconds} s"));
        }
    });
    bar.finish_and_clear();
    let summary = result.with_context(|| {
        format!(
            "issues of {name} at {}: the pages stored so far are kept; run again to resume",
            tracker.url
        )
    })?;
    Ok(ForgeReport {
        repository: name,
        requests: summary.requests,
        items: summary.items,
        activities: summary.activities,
        releases: 0,
        incomplete: summary.incomplete,
    })
}
