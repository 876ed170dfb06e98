//! The issue trackers a repository was given (`mine --jira URL --jira-project
//! KEY`), remembered so later runs sync them without being told again.

use crate::db::params;
use crate::{RepoId, Store, StoreError};

/// An issue tracker of a repository.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tracker {
    /// What it is: `jira`.
    pub kind: String,
    /// The site: `https://issues.apache.org/jira`.
    pub url: String,
    /// The project's key: `KAFKA`.
    pub project: String,
}

impl Store {
    /// Records `tracker` for `repo` (again: nothing changes; another site for
    /// the same project replaces the old one).
    pub fn add_tracker(&mut self, repo: RepoId, tracker: &Tracker) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO trackers (repo_id, kind, url, project) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (repo_id, kind, project) DO UPDATE SET url = excluded.url",
                params![repo.0, tracker.kind, tracker.url, tracker.project],
            )
            .map(|_| ())
            .map_err(StoreError::while_doing("recording an issue tracker"))
    }

    /// The trackers of `repo`, by kind and project.
    pub fn trackers(&self, repo: RepoId) -> Result<Vec<Tracker>, StoreError> {
        self.conn
            .query_map(
                "SELECT kind, url, project FROM trackers WHERE repo_id = ?1 ORDER BY kind, project",
                params![repo.0],
                |r| {
                    Ok(Tracker {
                        kind: r.get(0)?,
                        url: r.get(1)?,
                        project: r.get(2)?,
                    })
                },
            )
            .map_err(StoreError::while_doing("reading issue trackers"))
    }
}
