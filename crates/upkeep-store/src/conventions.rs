//! The habits a repository's stored commits show (see
//! [`upkeep_core::events::conventions`]), counted in SQL.

use crate::{RepoId, Store, StoreError};
use upkeep_core::events::conventions::Counts;

/// Commits of a repository having a trailer with one of the keys.
const WITH_TRAILER: &str =
    "SELECT count(DISTINCT t.commit_id) FROM trailers t JOIN commits c ON c.id = t.commit_id
     WHERE c.repo_id = ?1 AND t.key IN (SELECT value FROM json_each(?2))";

impl Store {
    /// How many of a repository's commits show each habit.
    pub fn convention_counts(&self, repo: RepoId) -> Result<Counts, StoreError> {
        let err = || StoreError::while_doing("counting the conventions of commit messages");
        let count = |sql: &str, keys: &[&str]| -> Result<u64, StoreError> {
            let keys = serde_json::to_string(keys).unwrap_or_default();
            let n: i64 = if sql.contains("?2") {
                self.conn
                    .query_row(sql, rusqlite::params![repo.0, keys], |r| r.get(0))
            } else {
                self.conn.query_row(sql, [repo.0], |r| r.get(0))
            }
            .map_err(err())?;
            Ok(n as u64)
        };
        Ok(Counts {
            commits: count("SELECT count(*) FROM commits WHERE repo_id = ?1", &[])?,
            author_lines: count(WITH_TRAILER, &["Author"])?,
            co_authored: count(WITH_TRAILER, &["Co-authored-by"])?,
            reviewers_lines: count(WITH_TRAILER, &["Reviewers"])?,
            reviewed_by: count(WITH_TRAILER, &["Reviewed-by", "Acked-by"])?,
            discussion_links: count(WITH_TRAILER, &["Discussion"])?,
            committed_by_github: count(
                "SELECT count(*) FROM commits c JOIN idents i ON i.id = c.committer_id
                 WHERE c.repo_id = ?1 AND c.parent_count <= 1 AND lower(i.email) = 'noreply@github.com'",
                &[],
            )?,
            closing_lines: count(
                "SELECT count(*) FROM commits WHERE repo_id = ?1 AND parent_count <= 1
                   AND pr_number IS NOT NULL AND subject NOT LIKE '%(#' || pr_number || ')'",
                &[],
            )?,
            tracker_keys: count(
                "SELECT count(DISTINCT r.commit_id) FROM commit_refs r JOIN commits c ON c.id = r.commit_id
                 WHERE c.repo_id = ?1 AND r.reference NOT LIKE '#%'",
                &[],
            )?,
        })
    }
}

impl Store {
    /// For each pull request that non-merge commits of `repo` name (`This
    /// closes #N`, `(#N)`), when the first of them was committed.
    pub fn pull_request_commits(
        &self,
        repo: RepoId,
    ) -> Result<std::collections::HashMap<u64, i64>, StoreError> {
        let err = || StoreError::while_doing("reading the pull requests commits name");
        let mut stmt = self
            .conn
            .prepare(
                "SELECT pr_number, min(committer_time) FROM commits
                 WHERE repo_id = ?1 AND parent_count <= 1 AND pr_number IS NOT NULL
                 GROUP BY pr_number",
            )
            .map_err(err())?;
        stmt.query_map([repo.0], |r| Ok((r.get::<_, i64>(0)? as u64, r.get(1)?)))
            .map_err(err())?
            .collect::<Result<_, _>>()
            .map_err(err())
    }
}
