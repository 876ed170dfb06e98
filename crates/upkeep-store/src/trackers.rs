//! The issue trackers a repository was given (`mine --jira URL --jira-project
//! KEY`), remembered so later runs sync them without being told again.

use crate::{RepoId, Store, StoreError};
use rusqlite::params;

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
                "INSERT OR REPLACE INTO trackers (repo_id, kind, url, project) VALUES (?1, ?2, ?3, ?4)",
                params![repo.0, tracker.kind, tracker.url, tracker.project],
            )
            .map(|_| ())
            .map_err(StoreError::while_doing("recording an issue tracker"))
    }

    /// The trackers of `repo`, by kind and project.
    pub fn trackers(&self, repo: RepoId) -> Result<Vec<Tracker>, StoreError> {
        let err = || StoreError::while_doing("reading issue trackers");
        let mut stmt = self
            .conn
            .prepare(
                "SELECT kind, url, project FROM trackers WHERE repo_id = ?1 ORDER BY kind, project",
            )
            .map_err(err())?;
        stmt.query_map([repo.0], |r| {
            Ok(Tracker {
                kind: r.get(0)?,
                url: r.get(1)?,
                project: r.get(2)?,
            })
        })
        .map_err(err())?
        .collect::<Result<_, _>>()
        .map_err(err())
    }
}
