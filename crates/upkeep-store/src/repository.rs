//! Repository records and the end of a mining run.

use crate::values::{oid, raw, text};
use crate::{Store, StoreError};
use rusqlite::{OptionalExtension, params};
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

fn record(r: &rusqlite::Row<'_>) -> rusqlite::Result<RepoRecord> {
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
        let err = StoreError::while_doing("registering the repository");
        self.conn
            .execute(
                "INSERT INTO repositories (location, git_dir) VALUES (?1, ?2)
                 ON CONFLICT (location) DO UPDATE SET git_dir = excluded.git_dir",
                params![location, git_dir],
            )
            .map_err(err)?;
        self.conn
            .query_row(
                "SELECT id, location, options, mined_at, mining, git_dir FROM repositories WHERE location = ?1",
                [location],
                record,
            )
            .map_err(StoreError::while_doing("reading the repository record"))
    }

    /// Every repository mined completely at least once, by location.
    pub fn repositories(&self) -> Result<Vec<RepoRecord>, StoreError> {
        let err = StoreError::while_doing("listing repositories");
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, location, options, mined_at, mining, git_dir FROM repositories
                 WHERE mined_at IS NOT NULL ORDER BY location",
            )
            .map_err(err)?;
        stmt.query_map([], record)
            .and_then(|rows| rows.collect())
            .map_err(StoreError::while_doing("listing repositories"))
    }

    /// The record for `location` if it was ever mined.
    pub fn find_repository(&self, location: &str) -> Result<Option<RepoRecord>, StoreError> {
        self.conn
            .query_row(
                "SELECT id, location, options, mined_at, mining, git_dir FROM repositories WHERE location = ?1",
                [location],
                record,
            )
            .optional()
            .map_err(StoreError::while_doing("reading the repository record"))
    }

    /// Where the repository `repo` came from (its location), if it is stored.
    pub fn location_of(&self, repo: RepoId) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row(
                "SELECT location FROM repositories WHERE id = ?1",
                [repo.0],
                |r| r.get(0),
            )
            .optional()
            .map_err(StoreError::while_doing("reading the repository record"))
    }

    /// The references recorded by the last complete run.
    pub fn refs(&self, repo: RepoId) -> Result<Vec<(RawText, Oid)>, StoreError> {
        let err = StoreError::while_doing("reading the mined references");
        let mut stmt = self
            .conn
            .prepare("SELECT name, target FROM refs WHERE repo_id = ?1 ORDER BY name")
            .map_err(err)?;
        let rows = stmt
            .query_map([repo.0], |r| Ok((raw(r.get_ref(0)?), oid(r.get_ref(1)?))))
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>());
        rows.map_err(StoreError::while_doing("reading the mined references"))
    }

    /// Marks the start of storing commits for `repo`; [`Store::finish_run`] clears the mark.
    pub fn begin_run(&mut self, repo: RepoId) -> Result<(), StoreError> {
        self.conn
            .execute("UPDATE repositories SET mining = 1 WHERE id = ?1", [repo.0])
            .map(|_| ())
            .map_err(StoreError::while_doing("marking the start of a run"))
    }

    /// Deletes every commit of `repo` (used when the mining options change) and
    /// forgets the last run, so the next run mines everything again.
    pub fn clear_commits(&mut self, repo: RepoId) -> Result<(), StoreError> {
        let tx = self
            .conn
            .transaction()
            .map_err(StoreError::while_doing("clearing commits"))?;
        tx.execute("DELETE FROM commits WHERE repo_id = ?1", [repo.0])
            .and_then(|_| tx.execute("DELETE FROM refs WHERE repo_id = ?1", [repo.0]))
            .and_then(|_| {
                tx.execute(
                    "UPDATE repositories SET options = NULL, mined_at = NULL, summary = NULL WHERE id = ?1",
                    [repo.0],
                )
            })
            .map_err(StoreError::while_doing("clearing commits"))?;
        tx.commit()
            .map_err(StoreError::while_doing("clearing commits"))
    }

    /// Deletes the given commits of `repo` (no longer reachable after a force-push).
    pub fn delete_commits(&mut self, repo: RepoId, ids: &[Oid]) -> Result<(), StoreError> {
        let err = || StoreError::while_doing("deleting unreachable commits");
        let tx = self.conn.transaction().map_err(err())?;
        {
            let mut stmt = tx
                .prepare_cached("DELETE FROM commits WHERE repo_id = ?1 AND oid = ?2")
                .map_err(err())?;
            for id in ids {
                stmt.execute(params![repo.0, id.as_bytes()])
                    .map_err(err())?;
            }
        }
        tx.commit().map_err(err())
    }

    /// Records the end of a complete run: references, tags, tip files and options, in one transaction.
    pub fn finish_run(&mut self, repo: RepoId, run: &FinishedRun<'_>) -> Result<(), StoreError> {
        let err = || StoreError::while_doing("recording the end of the run");
        let tx = self.conn.transaction().map_err(err())?;
        {
            for table in ["refs", "tags", "tip_files"] {
                tx.execute(&format!("DELETE FROM {table} WHERE repo_id = ?1"), [repo.0])
                    .map_err(err())?;
            }
            let mut stmt = tx
                .prepare("INSERT INTO refs (repo_id, name, target) VALUES (?1, ?2, ?3)")
                .map_err(err())?;
            for (name, target) in run.refs {
                stmt.execute(params![repo.0, text(name), target.as_bytes()])
                    .map_err(err())?;
            }
            let mut idents = crate::write::Idents::default();
            let mut stmt = tx
                .prepare(
                    "INSERT OR REPLACE INTO tags (repo_id, name, target, tagger_id, tag_time, tag_offset, is_version)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )
                .map_err(err())?;
            for tag in run.tags {
                let tagger = match &tag.tagger {
                    Some(t) => Some(idents.id(&tx, &t.name, &t.email).map_err(err())?),
                    None => None,
                };
                stmt.execute(params![
                    repo.0,
                    text(&tag.name),
                    tag.target.as_bytes(),
                    tagger,
                    tag.tagger.as_ref().map(|t| t.time),
                    tag.tagger.as_ref().map(|t| t.offset_minutes),
                    tag.is_version,
                ])
                .map_err(err())?;
            }
            let mut stmt = tx
                .prepare("INSERT OR REPLACE INTO tip_files (repo_id, path, kind, content) VALUES (?1, ?2, ?3, ?4)")
                .map_err(err())?;
            for file in run.tip_files {
                stmt.execute(params![
                    repo.0,
                    text(&file.path),
                    file.kind.as_str(),
                    text(&file.content)
                ])
                .map_err(err())?;
            }
            tx.execute(
                "UPDATE repositories SET head_ref = ?2, shallow = ?3, options = ?4, mined_at = ?5, mining = 0
                 WHERE id = ?1",
                params![repo.0, run.head_ref, run.shallow, run.options, run.mined_at],
            )
            .map_err(err())?;
            let summary = crate::read::compute_summary(&tx, repo)?;
            let json = serde_json::to_string(&summary).unwrap_or_default();
            tx.execute(
                "UPDATE repositories SET summary = ?2 WHERE id = ?1",
                params![repo.0, json],
            )
            .map_err(err())?;
        }
        tx.commit().map_err(err())
    }
}
