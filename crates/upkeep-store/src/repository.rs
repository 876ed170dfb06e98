//! Repository records and the end of a mining run.

use crate::db::{DbError, Row, params};
use crate::{Store, StoreError};
use upkeep_core::events::{Oid, RawText, Tag, TipFile};

/// A repository's id in the store.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RepoId(pub(crate) i64);

/// What the store knows about a repository.
#[derive(Clone, Debug)]
pub struct RepoRecord {
    /// Its id.
    pub id: RepoId,
    /// Where it came from: a canonical local path or a URL.
    pub location: String,
    /// Its git directory on this machine, as last mined.
    pub git_dir: String,
    /// The mining options its commits were mined with, if a run ever finished.
    pub options: Option<String>,
    /// When the last complete run ended (seconds since the epoch).
    pub mined_at: Option<i64>,
    /// Whether the last run was cut off while storing commits, so stored
    /// commits may lack some of their ancestors.
    pub interrupted: bool,
}

/// What a complete run leaves behind besides the commits.
pub struct FinishedRun<'a> {
    /// The references mined (tips and tags) with the objects they pointed at.
    pub refs: &'a [(RawText, Oid)],
    /// The tags.
    pub tags: &'a [Tag],
    /// `.mailmap` and governance files at the tip.
    pub tip_files: &'a [TipFile],
    /// The default branch.
    pub head_ref: Option<&'a str>,
    /// Whether the repository is a shallow clone.
    pub shallow: bool,
    /// The mining options used.
    pub options: &'a str,
    /// When the run ended (seconds since the epoch).
    pub mined_at: i64,
}

const RECORD: &str = "SELECT id, location, options, mined_at, mining, git_dir FROM repositories";

fn record(r: &Row<'_>) -> Result<RepoRecord, DbError> {
    Ok(RepoRecord {
        id: RepoId(r.get(0)?),
        location: r.get(1)?,
        options: r.get(2)?,
        mined_at: r.get(3)?,
        interrupted: r.get(4)?,
        git_dir: r.get(5)?,
    })
}

impl Store {
    /// The record for `location`, created if it is new.
    pub fn repository(&self, location: &str, git_dir: &str) -> Result<RepoRecord, StoreError> {
        self.conn
            .execute(
                "INSERT INTO repositories (location, git_dir) VALUES (?1, ?2)
                 ON CONFLICT (location) DO UPDATE SET git_dir = excluded.git_dir",
                params![location, git_dir],
            )
            .map_err(StoreError::while_doing("registering the repository"))?;
        self.conn
            .query_row(
                &format!("{RECORD} WHERE location = ?1"),
                params![location],
                record,
            )
            .map_err(StoreError::while_doing("reading the repository record"))
    }

    /// Every repository mined completely at least once, by location.
    pub fn repositories(&self) -> Result<Vec<RepoRecord>, StoreError> {
        self.conn
            .query_map(
                &format!("{RECORD} WHERE mined_at IS NOT NULL ORDER BY location"),
                &[],
                record,
            )
            .map_err(StoreError::while_doing("listing repositories"))
    }

    /// The record for `location` if it was ever mined.
    pub fn find_repository(&self, location: &str) -> Result<Option<RepoRecord>, StoreError> {
        self.conn
            .query_opt(
                &format!("{RECORD} WHERE location = ?1"),
                params![location],
                record,
            )
            .map_err(StoreError::while_doing("reading the repository record"))
    }

    /// Where the repository `repo` came from (its location), if it is stored.
    pub fn location_of(&self, repo: RepoId) -> Result<Option<String>, StoreError> {
        self.conn
            .query_opt(
                "SELECT location FROM repositories WHERE id = ?1",
                params![repo.0],
                |r| r.get(0),
            )
            .map_err(StoreError::while_doing("reading the repository record"))
    }

    /// The references recorded by the last complete run.
    pub fn refs(&self, repo: RepoId) -> Result<Vec<(RawText, Oid)>, StoreError> {
        self.conn
            .query_map(
                "SELECT name, target FROM refs WHERE repo_id = ?1 ORDER BY name",
                params![repo.0],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(StoreError::while_doing("reading the mined references"))
    }

    /// Marks the start of storing commits for `repo`; [`Store::finish_run`] clears the mark.
    pub fn begin_run(&mut self, repo: RepoId) -> Result<(), StoreError> {
        self.conn
            .execute(
                "UPDATE repositories SET mining = TRUE WHERE id = ?1",
                params![repo.0],
            )
            .map(drop)
            .map_err(StoreError::while_doing("marking the start of a run"))
    }

    /// Deletes every commit of `repo` (used when the mining options change) and
    /// forgets the last run, so the next run mines everything again.
    pub fn clear_commits(&mut self, repo: RepoId) -> Result<(), StoreError> {
        self.conn
            .transaction(|tx| {
                tx.execute("DELETE FROM commits WHERE repo_id = ?1", params![repo.0])?;
                tx.execute("DELETE FROM refs WHERE repo_id = ?1", params![repo.0])?;
                tx.execute(
                    "UPDATE repositories SET options = NULL, mined_at = NULL, summary = NULL WHERE id = ?1",
                    params![repo.0],
                )
            })
            .map(drop)
            .map_err(StoreError::while_doing("clearing commits"))
    }

    /// Deletes the given commits of `repo` (no longer reachable after a force-push).
    pub fn delete_commits(&mut self, repo: RepoId, ids: &[Oid]) -> Result<(), StoreError> {
        self.conn
            .transaction(|tx| {
                for id in ids {
                    tx.execute(
                        "DELETE FROM commits WHERE repo_id = ?1 AND oid = ?2",
                        params![repo.0, id],
                    )?;
                }
                Ok::<_, DbError>(())
            })
            .map_err(StoreError::while_doing("deleting unreachable commits"))
    }

    /// Records the end of a complete run: references, tags, tip files and options, in one transaction.
    pub fn finish_run(&mut self, repo: RepoId, run: &FinishedRun<'_>) -> Result<(), StoreError> {
        let err = || StoreError::while_doing("recording the end of the run");
        self.conn.transaction(|tx| {
            for table in ["refs", "tags", "tip_files"] {
                tx.execute(&format!("DELETE FROM {table} WHERE repo_id = ?1"), params![repo.0])
                    .map_err(err())?;
            }
            for (name, target) in run.refs {
                tx.execute(
                    "INSERT INTO refs (repo_id, name, target) VALUES (?1, ?2, ?3)",
                    params![repo.0, name, target],
                )
                .map_err(err())?;
            }
            let mut idents = crate::write::Idents::default();
            idents
                .intern_sorted(tx, run.tags.iter().filter_map(|t| t.tagger.as_ref()).map(|t| (&t.name, &t.email)))
                .map_err(err())?;
            for tag in run.tags {
                let tagger = match &tag.tagger {
                    Some(t) => Some(idents.id(tx, &t.name, &t.email).map_err(err())?),
                    None => None,
                };
                tx.execute(
                    "INSERT INTO tags (repo_id, name, target, tagger_id, tag_time, tag_offset, is_version)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                     ON CONFLICT (repo_id, name) DO UPDATE SET target = excluded.target,
                         tagger_id = excluded.tagger_id, tag_time = excluded.tag_time,
                         tag_offset = excluded.tag_offset, is_version = excluded.is_version",
                    params![
                        repo.0,
                        tag.name,
                        tag.target,
                        tagger,
                        tag.tagger.as_ref().map(|t| t.time),
                        tag.tagger.as_ref().map(|t| t.offset_minutes),
                        tag.is_version,
                    ],
                )
                .map_err(err())?;
            }
            for file in run.tip_files {
                tx.execute(
                    "INSERT INTO tip_files (repo_id, path, kind, content) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (repo_id, path) DO UPDATE SET kind = excluded.kind, content = excluded.content",
                    params![repo.0, file.path, file.kind.as_str(), file.content],
                )
                .map_err(err())?;
            }
            tx.execute(
                "UPDATE repositories SET head_ref = ?2, shallow = ?3, options = ?4, mined_at = ?5, mining = FALSE
                 WHERE id = ?1",
                params![repo.0, run.head_ref, run.shallow, run.options, run.mined_at],
            )
            .map_err(err())?;
            let summary = crate::read::compute_summary(tx, repo)?;
            let json = serde_json::to_string(&summary).unwrap_or_default();
            tx.execute(
                "UPDATE repositories SET summary = ?2 WHERE id = ?1",
                params![repo.0, json],
            )
            .map_err(err())?;
            Ok(())
        })
    }
}
