//! GitHub's REST payloads (v3 JSON) turned into forge events.

use crate::time::{seconds, seconds_opt};
use serde::Deserialize;
use upkeep_core::events::{
    Activity, ActivityKind, ForgeItem, ForgeRelease, ItemKind, LoginLink, RepoMeta,
};

#[derive(Deserialize)]
struct User {
    login: Option<String>,
    /// `User`, `Bot`, `Organization`.
    #[serde(rename = "type")]
    kind: Option<String>,
}

#[derive(Deserialize)]
struct Label {
    name: String,
}

#[derive(Deserialize)]
struct PullRequestRef {
    merged_at: Option<String>,
}

/// An issue or pull request, from `/issues` (which lists both) or `/pulls`.
#[derive(Deserialize)]
struct Issue {
    number: u64,
    title: Option<String>,
    user: Option<User>,
    author_association: Option<String>,
    state: String,
    #[serde(default)]
    draft: bool,
    created_at: String,
    updated_at: String,
    closed_at: Option<String>,
    merged_at: Option<String>,
    merged_by: Option<User>,
    #[serde(default)]
    labels: Vec<Label>,
    #[serde(default)]
    assignees: Vec<User>,
    pull_request: Option<PullRequestRef>,
    /// Pull request objects (from `/pulls`) have a `head`; issues do not.
    head: Option<serde_json::Value>,
}

/// A user's login; a `Bot` account's always ends in `[bot]` (as GitHub
/// Apps' do), so the bot rules know it whatever it is called.
fn login(user: Option<User>) -> Option<String> {
    let user = user?;
    let login = user.login.filter(|l| !l.is_empty())?;
    Some(
        match user.kind.as_deref() == Some("Bot") && !login.ends_with("[bot]") {
            true => format!("{login}[bot]"),
            false => login,
        },
    )
}

/// Parses a page of issues (`/repos/{o}/{r}/issues`, pull requests included)
/// or pull requests (`/pulls`, or one `/pulls/{n}`).
pub fn items(json: &str) -> Result<Vec<ForgeItem>, String> {
    let value: serde_json::Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let list: Vec<Issue> = if value.is_array() {
        serde_json::from_value(value)
    } else {
        serde_json::from_value(value).map(|one| vec![one])
    }
    .map_err(|e| e.to_string())?;
    list.into_iter()
        .map(|i| {
            let pull_request = i.pull_request.is_some() || i.head.is_some();
            let merged = i
                .merged_at
                .or_else(|| i.pull_request.and_then(|p| p.merged_at));
            Ok(ForgeItem {
                number: i.number,
                kind: if pull_request {
                    ItemKind::PullRequest
                } else {
                    ItemKind::Issue
                },
                author: login(i.user),
                author_association: i.author_association,
                title: i.title.unwrap_or_default(),
                state: i.state,
                draft: i.draft,
                created: seconds(&i.created_at)?,
                updated: seconds(&i.updated_at)?,
                closed: seconds_opt(i.closed_at.as_deref())?,
                merged: seconds_opt(merged.as_deref())?,
                merged_by: merged.as_ref().and_then(|_| login(i.merged_by)),
                labels: i.labels.into_iter().map(|l| l.name).collect(),
                assignees: i
                    .assignees
                    .into_iter()
                    .filter_map(|u| login(Some(u)))
                    .collect(),
                tracker: None,
                first_commit: None,
            })
        })
        .collect()
}

/// The number at the end of an API URL (`…/issues/12`, `…/pulls/7`).
fn number_of(url: &str) -> Option<u64> {
    url.rsplit('/').next()?.parse().ok()
}

#[derive(Deserialize)]
struct Comment {
    id: u64,
    user: Option<User>,
    author_association: Option<String>,
    created_at: String,
    issue_url: Option<String>,
    pull_request_url: Option<String>,
}

/// Parses a page of issue comments (`/issues/comments`, `/issues/{n}/comments`)
/// or review comments (`/pulls/comments`, `/pulls/{n}/comments`).
pub fn comments(json: &str) -> Result<Vec<Activity>, String> {
    let list: Vec<Comment> = serde_json::from_str(json).map_err(|e| e.to_string())?;
    list.into_iter()
        .map(|c| {
            let (kind, url, prefix) = match (&c.issue_url, &c.pull_request_url) {
                (Some(url), _) => (ActivityKind::Comment, url, "IC"),
                (None, Some(url)) => (ActivityKind::ReviewComment, url, "RC"),
                (None, None) => {
                    return Err(format!("comment {} names no issue or pull request", c.id));
                }
            };
            Ok(Activity {
                id: format!("{prefix}{}", c.id),
                number: number_of(url).ok_or_else(|| format!("no number in {url}"))?,
                kind,
                actor: login(c.user),
                association: c.author_association,
                time: seconds(&c.created_at)?,
                detail: None,
                tracker: None,
            })
        })
        .collect()
}

#[derive(Deserialize)]
struct Review {
    id: u64,
    user: Option<User>,
    author_association: Option<String>,
    state: String,
    submitted_at: Option<String>,
}

/// Parses a page of reviews of pull request `number` (`/pulls/{n}/reviews`).
/// Pending reviews (not submitted) are left out.
pub fn reviews(json: &str, number: u64) -> Result<Vec<Activity>, String> {
    let list: Vec<Review> = serde_json::from_str(json).map_err(|e| e.to_string())?;
    list.into_iter()
        .filter(|r| r.state != "PENDING")
        .filter_map(|r| {
            let at = r.submitted_at.as_deref()?;
            Some(seconds(at).map(|time| Activity {
                id: format!("PRR{}", r.id),
                number,
                kind: ActivityKind::Review,
                actor: login(r.user),
                association: r.author_association,
                time,
                detail: Some(r.state),
                tracker: None,
            }))
        })
        .collect()
}

#[derive(Deserialize)]
struct IssueRef {
    number: u64,
}

#[derive(Deserialize)]
struct Event {
    id: u64,
    event: String,
    actor: Option<User>,
    created_at: String,
    issue: Option<IssueRef>,
    label: Option<Label>,
    assignee: Option<User>,
}

/// A page of issue events: the triage events in it, and the range of event ids it holds.
pub struct Events {
    /// Labeled, assigned, closed, reopened, merged and ready-for-review events.
    pub activities: Vec<Activity>,
    /// The lowest and highest event id on the page (of any event type), if any.
    pub ids: Option<(u64, u64)>,
}

/// Parses a page of issue events (`/issues/events`): the triage events kept
/// are labeled, assigned, closed, reopened, merged and ready for review.
pub fn events(json: &str) -> Result<Events, String> {
    let list: Vec<Event> = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let ids = list
        .iter()
        .map(|e| e.id)
        .fold(None, |range: Option<(u64, u64)>, id| {
            Some(range.map_or((id, id), |(lo, hi)| (lo.min(id), hi.max(id))))
        });
    let activities = list
        .into_iter()
        .filter_map(|e| {
            let kind = ActivityKind::parse(&e.event).filter(|k| {
                !matches!(
                    k,
                    ActivityKind::Comment | ActivityKind::Review | ActivityKind::ReviewComment
                )
            })?;
            let number = e.issue.as_ref()?.number;
            Some(seconds(&e.created_at).map(|time| Activity {
                id: format!("E{}", e.id),
                number,
                kind,
                actor: login(e.actor),
                association: None,
                time,
                detail: e.label.map(|l| l.name).or_else(|| login(e.assignee)),
                tracker: None,
            }))
        })
        .collect::<Result<_, _>>()?;
    Ok(Events { activities, ids })
}

#[derive(Deserialize)]
struct Release {
    tag_name: String,
    name: Option<String>,
    author: Option<User>,
    created_at: String,
    published_at: Option<String>,
    #[serde(default)]
    prerelease: bool,
    #[serde(default)]
    draft: bool,
}

/// Parses a page of releases (`/releases`).
pub fn releases(json: &str) -> Result<Vec<ForgeRelease>, String> {
    let list: Vec<Release> = serde_json::from_str(json).map_err(|e| e.to_string())?;
    list.into_iter()
        .map(|r| {
            Ok(ForgeRelease {
                name: r
                    .name
                    .filter(|n| !n.is_empty())
                    .unwrap_or_else(|| r.tag_name.clone()),
                tag: r.tag_name,
                author: login(r.author),
                created: seconds(&r.created_at)?,
                published: seconds_opt(r.published_at.as_deref())?,
                prerelease: r.prerelease,
                draft: r.draft,
            })
        })
        .collect()
}

#[derive(Deserialize)]
struct License {
    spdx_id: Option<String>,
}

#[derive(Deserialize)]
struct Repo {
    #[serde(default)]
    archived: bool,
    default_branch: Option<String>,
    license: Option<License>,
}

/// Parses a repository (`/repos/{o}/{r}`). Security policy and funding links
/// are not in it (GraphQL has them).
pub fn repo(json: &str) -> Result<RepoMeta, String> {
    let r: Repo = serde_json::from_str(json).map_err(|e| e.to_string())?;
    Ok(RepoMeta {
        archived: r.archived,
        default_branch: r.default_branch,
        license: r
            .license
            .and_then(|l| l.spdx_id)
            .filter(|id| id != "NOASSERTION"),
        security_policy: None,
        funding: Vec::new(),
        private_reporting: None,
    })
}

#[derive(Deserialize)]
struct GitPerson {
    name: Option<String>,
    email: Option<String>,
}

#[derive(Deserialize)]
struct GitCommit {
    author: Option<GitPerson>,
}

#[derive(Deserialize)]
struct CommitEntry {
    commit: GitCommit,
    author: Option<serde_json::Value>,
}

/// Parses a page of commits (`/commits`, `/pulls/{n}/commits`): the login
/// GitHub tied to each commit author. Commits whose author GitHub could not tie
/// to an account (`"author": null` or `{}`) give nothing.
pub fn commit_links(json: &str) -> Result<Vec<LoginLink>, String> {
    let list: Vec<CommitEntry> = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let mut out: Vec<LoginLink> = list
        .into_iter()
        .filter_map(|c| {
            let login = c.author?.get("login")?.as_str()?.to_owned();
            let git = c.commit.author?;
            Some(LoginLink {
                login,
                name: git.name.unwrap_or_default(),
                email: git.email?,
            })
        })
        .collect();
    out.sort();
    out.dedup();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bot_account_is_a_bot_whatever_its_login() {
        // A review by an account REST types `Bot` without the suffix, one by
        // a GitHub App (suffix already there), one by a person.
        let page = r#"[
            {"id": 1, "user": {"login": "copilot-pull-request-reviewer", "type": "Bot"}, "state": "COMMENTED", "submitted_at": "2025-01-01T00:00:00Z"},
            {"id": 2, "user": {"login": "coderabbitai[bot]", "type": "Bot"}, "state": "COMMENTED", "submitted_at": "2025-01-01T00:00:00Z"},
            {"id": 3, "user": {"login": "ann", "type": "User"}, "state": "APPROVED", "submitted_at": "2025-01-01T00:00:00Z"}
        ]"#;
        let actors: Vec<Option<String>> = reviews(page, 7)
            .expect("parses")
            .into_iter()
            .map(|a| a.actor)
            .collect();
        assert_eq!(
            actors,
            [
                Some("copilot-pull-request-reviewer[bot]".to_owned()),
                Some("coderabbitai[bot]".to_owned()),
                Some("ann".to_owned())
            ]
        );
    }
}
