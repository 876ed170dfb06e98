//! What GitHub says of a repository's adoption: its stars, forks and
//! watchers (`GET /repos/{o}/{r}`: `stargazers_count`, `forks_count`,
//! `subscribers_count`), and its most recently pushed forks (`GET
//! /repos/{o}/{r}/forks?sort=newest`) with how many commits each has that
//! the upstream does not (`GET /repos/{o}/{r}/compare/{base}...{owner}:{branch}`,
//! `ahead_by`), for the few pushed most recently.

use super::GitHub;
use crate::{Progress, RepoRef};
use serde::Deserialize;

/// Forks compared with the upstream, at most: each costs a request.
pub const COMPARED_FORKS: usize = 5;

/// A repository's counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Stars.
    pub stars: Option<u64>,
    /// Forks.
    pub forks: Option<u64>,
    /// Watchers (subscribers: people notified of everything).
    pub watchers: Option<u64>,
}

/// A fork as the list gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListedFork {
    /// `owner/name`.
    pub name: String,
    /// Its owner.
    pub owner: String,
    /// Its default branch.
    pub branch: String,
    /// When it was last pushed, seconds since the epoch.
    pub pushed: i64,
    /// Commits ahead of the upstream, once compared.
    pub ahead_by: Option<u64>,
}

#[derive(Deserialize)]
struct Repo {
    stargazers_count: Option<u64>,
    forks_count: Option<u64>,
    subscribers_count: Option<u64>,
    default_branch: Option<String>,
}

/// The counts of a repository document, and its default branch.
pub fn counts(json: &str) -> Result<(Counts, Option<String>), String> {
    let r: Repo = serde_json::from_str(json).map_err(|e| e.to_string())?;
    Ok((
        Counts {
            stars: r.stargazers_count,
            forks: r.forks_count,
            watchers: r.subscribers_count,
        },
        r.default_branch,
    ))
}

#[derive(Deserialize)]
struct Owner {
    login: String,
}

#[derive(Deserialize)]
struct Fork {
    full_name: String,
    owner: Owner,
    default_branch: Option<String>,
    pushed_at: Option<String>,
}

/// One page of the forks list; forks never pushed are left out.
pub fn forks(json: &str) -> Result<Vec<ListedFork>, String> {
    let list: Vec<Fork> = serde_json::from_str(json).map_err(|e| e.to_string())?;
    Ok(list
        .into_iter()
        .filter_map(|f| {
            let pushed = f.pushed_at.as_deref()?.parse::<jiff::Timestamp>().ok()?;
            Some(ListedFork {
                name: f.full_name,
                owner: f.owner.login,
                branch: f.default_branch.unwrap_or_else(|| "main".into()),
                pushed: pushed.as_second(),
                ahead_by: None,
            })
        })
        .collect())
}

/// `ahead_by` of a comparison.
pub fn ahead_by(json: &str) -> Option<u64> {
    serde_json::from_str::<serde_json::Value>(json)
        .ok()?
        .get("ahead_by")?
        .as_u64()
}

/// What GitHub said of a repository's adoption; each part is the reason it is missing when it is.
#[derive(Debug)]
pub struct Adoption {
    /// Stars, forks and watchers.
    pub counts: Result<Counts, String>,
    /// Forks, most recently pushed first; the first [`COMPARED_FORKS`] compared.
    pub forks: Result<Vec<ListedFork>, String>,
    /// Requests sent (retries included).
    pub requests: u64,
}

impl GitHub {
    /// Reads `repo`'s adoption: 2 requests, and one per fork compared.
    pub fn adoption(&mut self, repo: &RepoRef, progress: &mut dyn FnMut(Progress)) -> Adoption {
        let base = format!("/repos/{}/{}", repo.owner, repo.name);
        let repo_doc = self
            .client
            .get(&base, None, progress)
            .map_err(|e| e.to_string())
            .and_then(|page| counts(&page.body));
        let (counts, branch) = match repo_doc {
            Ok((c, b)) => (Ok(c), b),
            Err(e) => (Err(e), None),
        };
        let forks = self
            .client
            .get(
                &format!("{base}/forks?sort=newest&per_page=100"),
                None,
                progress,
            )
            .map_err(|e| e.to_string())
            .and_then(|page| forks(&page.body))
            .map(|mut list| {
                list.sort_by(|a, b| b.pushed.cmp(&a.pushed).then_with(|| a.name.cmp(&b.name)));
                let upstream = branch.as_deref().unwrap_or("main");
                for fork in list.iter_mut().take(COMPARED_FORKS) {
                    let path =
                        format!("{base}/compare/{upstream}...{}:{}", fork.owner, fork.branch);
                    fork.ahead_by = self
                        .client
                        .get(&path, None, progress)
                        .ok()
                        .and_then(|page| ahead_by(&page.body));
                }
                list
            });
        Adoption {
            counts,
            forks,
            requests: self.client.requests(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_forks_and_comparisons_parse() {
        let (c, branch) = counts(
            r#"{"stargazers_count": 12, "forks_count": 3, "subscribers_count": 4, "default_branch": "trunk"}"#,
        )
        .expect("parses");
        assert_eq!((c.stars, c.forks, c.watchers), (Some(12), Some(3), Some(4)));
        assert_eq!(branch.as_deref(), Some("trunk"));
        let listed = forks(
            r#"[{"full_name": "ann/w", "owner": {"login": "ann"}, "default_branch": "dev", "pushed_at": "2025-06-01T00:00:00Z"},
                {"full_name": "bob/w", "owner": {"login": "bob"}, "pushed_at": null}]"#,
        )
        .expect("parses");
        assert_eq!(listed.len(), 1);
        assert_eq!(
            (listed[0].name.as_str(), listed[0].branch.as_str()),
            ("ann/w", "dev")
        );
        assert_eq!(ahead_by(r#"{"ahead_by": 7, "behind_by": 2}"#), Some(7));
        assert!(counts("[]").is_err());
    }
}
