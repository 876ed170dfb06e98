//! The habits a repository's stored commits show (see
//! [`upkeep_core::events::conventions`]), counted when a run's summary is
//! made and kept in it (see [`crate::Summary::conventions`]).

use crate::db::{Db, params};
use crate::{RepoId, Store, StoreError};
use upkeep_core::events::conventions::Counts;

/// Commits of a repository with each kind of trailer, in one pass: a commit
/// with both `Reviewed-by:` and `Acked-by:` is one reviewed commit.
const BY_TRAILER: &str = "SELECT CASE WHEN t.key IN ('Reviewed-by', 'Acked-by') THEN 'reviewed' ELSE t.key END AS kind,
            count(DISTINCT t.commit_id)
     FROM trailers t JOIN commits c ON c.id = t.commit_id
     WHERE c.repo_id = ?1
       AND t.key IN ('Author', 'Co-authored-by', 'Reviewers', 'Reviewed-by', 'Acked-by', 'Discussion')
     GROUP BY kind";

/// How many of `repo`'s commits show each habit.
pub(crate) fn counts(db: &Db, repo: RepoId) -> Result<Counts, StoreError> {
    let err = || StoreError::while_doing("counting the conventions of commit messages");
    let mut out = Counts::default();
    db.for_each(BY_TRAILER, params![repo.0], |r| {
        let n: u64 = r.get(1)?;
        match r.get::<String>(0)?.as_str() {
            "Author" => out.author_lines = n,
            "Co-authored-by" => out.co_authored = n,
            "Reviewers" => out.reviewers_lines = n,
            "reviewed" => out.reviewed_by = n,
            "Discussion" => out.discussion_links = n,
            _ => {}
        }
        Ok(())
    })
    .map_err(err())?;
    let count = |sql: &str| -> Result<u64, StoreError> {
        db.query_row(sql, params![repo.0], |r| r.get(0))
            .map_err(err())
    };
    out.commits = count("SELECT count(*) FROM commits WHERE repo_id = ?1")?;
    out.committed_by_github = count(db.pick(
        "SELECT count(*) FROM commits c JOIN idents i ON i.id = c.committer_id
         WHERE c.repo_id = ?1 AND c.parent_count <= 1 AND lower(i.email) = 'noreply@github.com'",
        "SELECT count(*) FROM commits c JOIN idents i ON i.id = c.committer_id
         WHERE c.repo_id = ?1 AND c.parent_count <= 1 AND lower(encode(i.email, 'escape')) = 'noreply@github.com'",
    ))?;
    out.closing_lines = count(db.pick(
        "SELECT count(*) FROM commits WHERE repo_id = ?1 AND parent_count <= 1
           AND pr_number IS NOT NULL AND subject NOT LIKE '%(#' || pr_number || ')'",
        "SELECT count(*) FROM commits WHERE repo_id = ?1 AND parent_count <= 1
           AND pr_number IS NOT NULL AND subject NOT LIKE convert_to('%(#' || pr_number || ')', 'UTF8')",
    ))?;
    out.tracker_keys = count(
        "SELECT count(DISTINCT r.commit_id) FROM commit_refs r JOIN commits c ON c.id = r.commit_id
         WHERE c.repo_id = ?1 AND r.reference NOT LIKE '#%'",
    )?;
    Ok(out)
}

impl Store {
    /// For each pull request that non-merge commits of `repo` name (`This
    /// closes #N`, `(#N)`), when the first of them was committed.
    pub fn pull_request_commits(
        &self,
        repo: RepoId,
    ) -> Result<std::collections::HashMap<u64, i64>, StoreError> {
        self.conn
            .query_map(
                "SELECT pr_number, min(committer_time) FROM commits
                 WHERE repo_id = ?1 AND parent_count <= 1 AND pr_number IS NOT NULL
                 GROUP BY pr_number",
                params![repo.0],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map(|rows| rows.into_iter().collect())
            .map_err(StoreError::while_doing(
                "reading the pull requests commits name",
            ))
    }
}
