//! Reading back what was mined.

use crate::values::{oid, raw};
use crate::{RepoId, Store, StoreError};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use upkeep_core::events::{
    ChangeKind, Commit, Oid, PathChange, RawText, Signature, Tag, TipFile, TipFileKind, Trailer,
};

/// Counts over what is stored for one repository.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// All commits.
    pub commits: i64,
    /// Merge commits among them.
    pub merges: i64,
    /// Distinct author emails (case-insensitive).
    pub authors: i64,
    /// Tags.
    pub tags: i64,
    /// Tags that look like versions.
    pub version_tags: i64,
    /// Earliest author time (seconds since the epoch).
    pub first_commit: Option<i64>,
    /// Latest author time (seconds since the epoch).
    pub last_commit: Option<i64>,
    /// Whether the repository is a shallow clone.
    pub shallow: bool,
    /// The default branch.
    pub head_ref: Option<String>,
    /// Governance files and `.mailmap` found at the tip.
    pub tip_files: i64,
    /// Changed files whose blobs were missing (a partial clone): renames to or
    /// from them were found only when exact, and their lines are unknown.
    #[serde(default)]
    pub changes_with_missing_blobs: i64,
    /// The conventions its commit messages show, in how many commits.
    #[serde(default)]
    pub conventions: upkeep_core::events::conventions::Counts,
}

impl Store {
    /// The ids of every stored commit of `repo`.
    pub fn commit_ids(&self, repo: RepoId) -> Result<HashSet<Oid>, StoreError> {
        let err = StoreError::while_doing("reading stored commit ids");
        let mut stmt = self
            .conn
            .prepare("SELECT oid FROM commits WHERE repo_id = ?1")
            .map_err(err)?;
        stmt.query_map([repo.0], |r| Ok(oid(r.get_ref(0)?)))
            .and_then(|rows| rows.collect())
            .map_err(StoreError::while_doing("reading stored commit ids"))
    }

    /// Every stored commit of `repo` with its parents.
    pub fn commit_graph(&self, repo: RepoId) -> Result<HashMap<Oid, Vec<Oid>>, StoreError> {
        let err = || StoreError::while_doing("reading the stored commit graph");
        let mut graph: HashMap<Oid, Vec<Oid>> = HashMap::new();
        let mut stmt = self
            .conn
            .prepare(
                "SELECT c.oid, p.parent_oid FROM commits c LEFT JOIN commit_parents p ON p.commit_id = c.id
                 WHERE c.repo_id = ?1 ORDER BY c.id, p.position",
            )
            .map_err(err())?;
        let mut rows = stmt.query([repo.0]).map_err(err())?;
        while let Some(r) = rows.next().map_err(err())? {
            let parents = graph.entry(oid(r.get_ref(0).map_err(err())?)).or_default();
            if let rusqlite::types::ValueRef::Blob(p) = r.get_ref(1).map_err(err())? {
                parents.push(Oid::from_bytes(p));
            }
        }
        Ok(graph)
    }

    /// Counts over the stored data of `repo`, as recorded by the last complete
    /// run (computed afresh if no run has finished).
    pub fn summary(&self, repo: RepoId) -> Result<Summary, StoreError> {
        let recorded: Option<String> = self
            .conn
            .query_row(
                "SELECT summary FROM repositories WHERE id = ?1",
                [repo.0],
                |r| r.get(0),
            )
            .map_err(StoreError::while_doing("reading the summary"))?;
        match recorded.and_then(|json| serde_json::from_str(&json).ok()) {
            Some(summary) => Ok(summary),
            None => compute_summary(&self.conn, repo),
        }
    }

    /// Every stored commit of `repo`, with parents, trailers and changes, in storage order
    /// (parents before children).
    pub fn commits(&self, repo: RepoId) -> Result<Vec<Commit>, StoreError> {
        let err = || StoreError::while_doing("reading stored commits");
        let idents = self.idents().map_err(err())?;
        let paths = self.paths().map_err(err())?;
        let ident = |id: i64| idents.get(&id).cloned().unwrap_or_default();
        let mut by_id: HashMap<i64, usize> = HashMap::new();
        let mut commits = Vec::new();
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, oid, author_id, author_time, author_offset, committer_id, committer_time,
                        committer_offset, subject, pr_number
                 FROM commits WHERE repo_id = ?1 ORDER BY id",
            )
            .map_err(err())?;
        let mut rows = stmt.query([repo.0]).map_err(err())?;
        while let Some(r) = rows.next().map_err(err())? {
            let sig = |i: usize| -> rusqlite::Result<Signature> {
                let (name, email) = ident(r.get(i)?);
                Ok(Signature {
                    name,
                    email,
                    time: r.get(i + 1)?,
                    offset_minutes: r.get(i + 2)?,
                })
            };
            let row = (|| {
                Ok::<_, rusqlite::Error>(Commit {
                    id: oid(r.get_ref(1)?),
                    parents: Vec::new(),
                    author: sig(2)?,
                    committer: sig(5)?,
                    subject: raw(r.get_ref(8)?),
                    trailers: Vec::new(),
                    pr_number: r.get::<_, Option<i64>>(9)?.map(|n| n as u64),
                    issue_refs: Vec::new(),
                    changes: Vec::new(),
                })
            })()
            .map_err(err())?;
            by_id.insert(r.get(0).map_err(err())?, commits.len());
            commits.push(row);
        }
        let each = |sql: &str,
                    commits: &mut Vec<Commit>,
                    add: &mut dyn FnMut(
            &mut Commit,
            &rusqlite::Row<'_>,
        ) -> rusqlite::Result<()>| {
            let mut stmt = self.conn.prepare(sql)?;
            let mut rows = stmt.query([repo.0])?;
            while let Some(r) = rows.next()? {
                if let Some(&i) = by_id.get(&r.get::<_, i64>(0)?) {
                    add(&mut commits[i], r)?;
                }
            }
            Ok::<_, rusqlite::Error>(())
        };
        each(
            "SELECT p.commit_id, p.parent_oid FROM commit_parents p JOIN commits c ON c.id = p.commit_id
             WHERE c.repo_id = ?1 ORDER BY p.commit_id, p.position",
            &mut commits,
            &mut |c, r| {
                c.parents.push(oid(r.get_ref(1)?));
                Ok(())
            },
        )
        .map_err(err())?;
        each(
            "SELECT r.commit_id, r.reference FROM commit_refs r JOIN commits c ON c.id = r.commit_id
             WHERE c.repo_id = ?1 ORDER BY r.commit_id, r.position",
            &mut commits,
            &mut |c, r| {
                c.issue_refs.push(r.get(1)?);
                Ok(())
            },
        )
        .map_err(err())?;
        each(
            "SELECT t.commit_id, t.key, t.value, t.ident_id FROM trailers t JOIN commits c ON c.id = t.commit_id
             WHERE c.repo_id = ?1 ORDER BY t.commit_id, t.position",
            &mut commits,
            &mut |c, r| {
                let (name, email) = match r.get::<_, Option<i64>>(3)?.map(ident) {
                    Some((n, e)) => ((!n.is_empty()).then_some(n), (!e.is_empty()).then_some(e)),
                    None => (None, None),
                };
                c.trailers.push(Trailer {
                    key: r.get(1)?,
                    value: raw(r.get_ref(2)?),
                    name,
                    email,
                });
                Ok(())
            },
        )
        .map_err(err())?;
        let path = |id: i64| paths.get(&id).cloned().unwrap_or_default();
        each(
            "SELECT ch.commit_id, ch.path_id, ch.kind, ch.old_path_id, ch.lines_added, ch.lines_removed,
                    ch.blob_missing
             FROM changes ch JOIN commits c ON c.id = ch.commit_id
             WHERE c.repo_id = ?1 ORDER BY ch.commit_id, ch.position",
            &mut commits,
            &mut |c, r| {
                let kind: String = r.get(2)?;
                let added: Option<u32> = r.get(4)?;
                let removed: Option<u32> = r.get(5)?;
                c.changes.push(PathChange {
                    path: path(r.get(1)?),
                    kind: ChangeKind::from_code(&kind).unwrap_or(ChangeKind::Modified),
                    old_path: r.get::<_, Option<i64>>(3)?.map(path),
                    lines: added.zip(removed),
                    blob_missing: r.get(6)?,
                });
                Ok(())
            },
        )
        .map_err(err())?;
        Ok(commits)
    }

    /// The stored tags of `repo`, by name.
    pub fn tags(&self, repo: RepoId) -> Result<Vec<Tag>, StoreError> {
        let err = || StoreError::while_doing("reading stored tags");
        let idents = self.idents().map_err(err())?;
        let mut stmt = self
            .conn
            .prepare(
                "SELECT name, target, tagger_id, tag_time, tag_offset, is_version FROM tags
                 WHERE repo_id = ?1 ORDER BY name",
            )
            .map_err(err())?;
        let rows = stmt
            .query_map([repo.0], |r| {
                let tagger = match r.get::<_, Option<i64>>(2)? {
                    Some(id) => {
                        let (name, email) = idents.get(&id).cloned().unwrap_or_default();
                        Some(Signature {
                            name,
                            email,
                            time: r.get(3)?,
                            offset_minutes: r.get(4)?,
                        })
                    }
                    None => None,
                };
                Ok(Tag {
                    name: raw(r.get_ref(0)?),
                    target: oid(r.get_ref(1)?),
                    tagger,
                    is_version: r.get(5)?,
                })
            })
            .and_then(|rows| rows.collect());
        rows.map_err(err())
    }

    /// The stored tip files of `repo`, by path.
    pub fn tip_files(&self, repo: RepoId) -> Result<Vec<TipFile>, StoreError> {
        let err = || StoreError::while_doing("reading stored tip files");
        let mut stmt = self
            .conn
            .prepare("SELECT path, kind, content FROM tip_files WHERE repo_id = ?1 ORDER BY path")
            .map_err(err())?;
        let rows = stmt
            .query_map([repo.0], |r| {
                let kind: String = r.get(1)?;
                Ok(TipFile {
                    path: raw(r.get_ref(0)?),
                    kind: TipFileKind::from_name(&kind).unwrap_or(TipFileKind::Governance),
                    content: raw(r.get_ref(2)?),
                })
            })
            .and_then(|rows| rows.collect());
        rows.map_err(err())
    }

    pub(crate) fn idents(&self) -> rusqlite::Result<HashMap<i64, (RawText, RawText)>> {
        let mut stmt = self.conn.prepare("SELECT id, name, email FROM idents")?;
        stmt.query_map([], |r| {
            Ok((r.get(0)?, (raw(r.get_ref(1)?), raw(r.get_ref(2)?))))
        })?
        .collect()
    }

    pub(crate) fn paths(&self) -> rusqlite::Result<HashMap<i64, RawText>> {
        let mut stmt = self.conn.prepare("SELECT id, path FROM paths")?;
        stmt.query_map([], |r| Ok((r.get(0)?, raw(r.get_ref(1)?))))?
            .collect()
    }
}

/// Counts over the stored data of `repo`, queried now.
pub(crate) fn compute_summary(conn: &Connection, repo: RepoId) -> Result<Summary, StoreError> {
    let err = || StoreError::while_doing("summarizing the stored data");
    let mut s = conn
        .query_row(
                "SELECT count(*), count(*) FILTER (WHERE parent_count > 1), min(author_time), max(author_time)
                 FROM commits WHERE repo_id = ?1",
                [repo.0],
                |r| {
                    Ok(Summary {
                        commits: r.get(0)?,
                        merges: r.get(1)?,
                        first_commit: r.get(2)?,
                        last_commit: r.get(3)?,
                        ..Summary::default()
                    })
                },
            )
            .map_err(err())?;
    s.authors = conn
            .query_row(
                "SELECT count(DISTINCT lower(i.email)) FROM commits c JOIN idents i ON i.id = c.author_id
                 WHERE c.repo_id = ?1",
                [repo.0],
                |r| r.get(0),
            )
            .map_err(err())?;
    (s.tags, s.version_tags) = conn
        .query_row(
            "SELECT count(*), coalesce(sum(is_version), 0) FROM tags WHERE repo_id = ?1",
            [repo.0],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(err())?;
    (s.shallow, s.head_ref) = conn
        .query_row(
            "SELECT shallow, head_ref FROM repositories WHERE id = ?1",
            [repo.0],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(err())?;
    s.tip_files = conn
        .query_row(
            "SELECT count(*) FROM tip_files WHERE repo_id = ?1",
            [repo.0],
            |r| r.get(0),
        )
        .map_err(err())?;
    s.changes_with_missing_blobs = conn
        .query_row(
            "SELECT count(*) FROM changes ch JOIN commits c ON c.id = ch.commit_id
             WHERE c.repo_id = ?1 AND ch.blob_missing",
            [repo.0],
            |r| r.get(0),
        )
        .map_err(err())?;
    s.conventions = crate::conventions::counts(conn, repo)?;
    Ok(s)
}
