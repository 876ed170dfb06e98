//! Reading back what was mined.

use crate::db::{Db, DbError, Row, params};
use crate::{RepoId, Store, StoreError};
use std::collections::{HashMap, HashSet};
use upkeep_core::events::{
    ChangeKind, Commit, Oid, PathChange, RawText, Signature, Tag, TipFile, TipFileKind, Trailer,
};

pub use upkeep_core::documents::Summary;

impl Store {
    /// The ids of every stored commit of `repo`.
    pub fn commit_ids(&self, repo: RepoId) -> Result<HashSet<Oid>, StoreError> {
        let mut ids = HashSet::new();
        self.conn
            .for_each(
                "SELECT oid FROM commits WHERE repo_id = ?1",
                params![repo.0],
                |r| {
                    ids.insert(r.get(0)?);
                    Ok(())
                },
            )
            .map_err(StoreError::while_doing("reading stored commit ids"))?;
        Ok(ids)
    }

    /// Every stored commit of `repo` with its parents.
    pub fn commit_graph(&self, repo: RepoId) -> Result<HashMap<Oid, Vec<Oid>>, StoreError> {
        let mut graph: HashMap<Oid, Vec<Oid>> = HashMap::new();
        self.conn
            .for_each(
                "SELECT c.oid, p.parent_oid FROM commits c LEFT JOIN commit_parents p ON p.commit_id = c.id
                 WHERE c.repo_id = ?1 ORDER BY c.id, p.position",
                params![repo.0],
                |r| {
                    let parents = graph.entry(r.get(0)?).or_default();
                    if let Some(p) = r.get::<Option<Vec<u8>>>(1)? {
                        parents.push(Oid::from_bytes(&p));
                    }
                    Ok(())
                },
            )
            .map_err(StoreError::while_doing("reading the stored commit graph"))?;
        Ok(graph)
    }

    /// Counts over the stored data of `repo`, as recorded by the last complete
    /// run (computed afresh if no run has finished).
    pub fn summary(&self, repo: RepoId) -> Result<Summary, StoreError> {
        let recorded: Option<String> = self
            .conn
            .query_row(
                "SELECT summary FROM repositories WHERE id = ?1",
                params![repo.0],
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
        self.conn
            .for_each(
                "SELECT id, oid, author_id, author_time, author_offset, committer_id, committer_time,
                        committer_offset, subject, pr_number
                 FROM commits WHERE repo_id = ?1 ORDER BY id",
                params![repo.0],
                |r| {
                    let sig = |i: usize| -> Result<Signature, DbError> {
                        let (name, email) = ident(r.get(i)?);
                        Ok(Signature {
                            name,
                            email,
                            time: r.get(i + 1)?,
                            offset_minutes: r.get(i + 2)?,
                        })
                    };
                    by_id.insert(r.get(0)?, commits.len());
                    commits.push(Commit {
                        id: r.get(1)?,
                        parents: Vec::new(),
                        author: sig(2)?,
                        committer: sig(5)?,
                        subject: r.get(8)?,
                        trailers: Vec::new(),
                        pr_number: r.get(9)?,
                        issue_refs: Vec::new(),
                        changes: Vec::new(),
                    });
                    Ok(())
                },
            )
            .map_err(err())?;
        let each =
            |sql: &str,
             commits: &mut Vec<Commit>,
             add: &mut dyn FnMut(&mut Commit, &Row<'_>) -> Result<(), DbError>| {
                self.conn.for_each(sql, params![repo.0], |r| {
                    if let Some(&i) = by_id.get(&r.get::<i64>(0)?) {
                        add(&mut commits[i], r)?;
                    }
                    Ok(())
                })
            };
        each(
            "SELECT p.commit_id, p.parent_oid FROM commit_parents p JOIN commits c ON c.id = p.commit_id
             WHERE c.repo_id = ?1 ORDER BY p.commit_id, p.position",
            &mut commits,
            &mut |c, r| {
                c.parents.push(r.get(1)?);
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
                let (name, email) = match r.get::<Option<i64>>(3)?.map(ident) {
                    Some((n, e)) => ((!n.is_empty()).then_some(n), (!e.is_empty()).then_some(e)),
                    None => (None, None),
                };
                c.trailers.push(Trailer {
                    key: r.get(1)?,
                    value: r.get(2)?,
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
                    old_path: r.get::<Option<i64>>(3)?.map(path),
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
        self.conn
            .query_map(
                "SELECT name, target, tagger_id, tag_time, tag_offset, is_version FROM tags
                 WHERE repo_id = ?1 ORDER BY name",
                params![repo.0],
                |r| {
                    let tagger = match r.get::<Option<i64>>(2)? {
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
                        name: r.get(0)?,
                        target: r.get(1)?,
                        tagger,
                        is_version: r.get(5)?,
                    })
                },
            )
            .map_err(err())
    }

    /// The stored tip files of `repo`, by path.
    pub fn tip_files(&self, repo: RepoId) -> Result<Vec<TipFile>, StoreError> {
        self.read_tip_files(repo, "")
    }

    /// The files of `kinds` stored from the tip of `repo`'s default branch,
    /// by path: only those are read (manifests and READMEs can be large).
    pub fn tip_files_of(
        &self,
        repo: RepoId,
        kinds: &[TipFileKind],
    ) -> Result<Vec<TipFile>, StoreError> {
        let names: Vec<String> = kinds.iter().map(|k| format!("'{}'", k.as_str())).collect();
        self.read_tip_files(repo, &format!("AND kind IN ({})", names.join(", ")))
    }

    /// The tip files of `repo` matching `filter` (an `AND …` of known kinds).
    fn read_tip_files(&self, repo: RepoId, filter: &str) -> Result<Vec<TipFile>, StoreError> {
        self.conn
            .query_map(
                &format!(
                    "SELECT path, kind, content FROM tip_files WHERE repo_id = ?1 {filter} ORDER BY path"
                ),
                params![repo.0],
                |r| {
                    let kind: String = r.get(1)?;
                    Ok(TipFile {
                        path: r.get(0)?,
                        kind: TipFileKind::from_name(&kind).unwrap_or(TipFileKind::Governance),
                        content: r.get(2)?,
                    })
                },
            )
            .map_err(StoreError::while_doing("reading stored tip files"))
    }

    pub(crate) fn idents(&self) -> Result<HashMap<i64, (RawText, RawText)>, DbError> {
        let mut out = HashMap::new();
        self.conn
            .for_each("SELECT id, name, email FROM idents", &[], |r| {
                out.insert(r.get(0)?, (r.get(1)?, r.get(2)?));
                Ok(())
            })?;
        Ok(out)
    }

    pub(crate) fn paths(&self) -> Result<HashMap<i64, RawText>, DbError> {
        let mut out = HashMap::new();
        self.conn.for_each("SELECT id, path FROM paths", &[], |r| {
            out.insert(r.get(0)?, r.get(1)?);
            Ok(())
        })?;
        Ok(out)
    }
}

/// Counts over the stored data of `repo`, queried now.
pub(crate) fn compute_summary(db: &Db, repo: RepoId) -> Result<Summary, StoreError> {
    let err = || StoreError::while_doing("summarizing the stored data");
    let one = |sql: &str| -> Result<i64, StoreError> {
        db.query_row(sql, params![repo.0], |r| r.get(0))
            .map_err(err())
    };
    let mut s = db
        .query_row(
            "SELECT count(*), count(*) FILTER (WHERE parent_count > 1), min(author_time), max(author_time)
             FROM commits WHERE repo_id = ?1",
            params![repo.0],
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
    s.authors = one(db.pick(
        "SELECT count(DISTINCT lower(i.email)) FROM commits c JOIN idents i ON i.id = c.author_id
         WHERE c.repo_id = ?1",
        // SQLite's lower() folds ASCII only; so does this, on bytes that need not be UTF-8.
        "SELECT count(DISTINCT lower(encode(i.email, 'escape'))) FROM commits c JOIN idents i ON i.id = c.author_id
         WHERE c.repo_id = ?1",
    ))?;
    (s.tags, s.version_tags) = db
        .query_row(
            "SELECT count(*), count(*) FILTER (WHERE is_version) FROM tags WHERE repo_id = ?1",
            params![repo.0],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(err())?;
    (s.shallow, s.head_ref) = db
        .query_row(
            "SELECT shallow, head_ref FROM repositories WHERE id = ?1",
            params![repo.0],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(err())?;
    s.tip_files = one("SELECT count(*) FROM tip_files WHERE repo_id = ?1")?;
    s.changes_with_missing_blobs = one(
        "SELECT count(*) FROM changes ch JOIN commits c ON c.id = ch.commit_id
         WHERE c.repo_id = ?1 AND ch.blob_missing",
    )?;
    s.conventions = crate::conventions::counts(db, repo)?;
    Ok(s)
}
