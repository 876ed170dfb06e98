//! Writing mined commits, one transaction per batch.

use crate::values::text;
use crate::{RepoId, Store, StoreError};
use rusqlite::{Connection, params};
use std::collections::HashMap;
use upkeep_core::events::{Commit, RawText};

/// Interned `(name, email)` pairs: each distinct pair is stored once in `idents`.
#[derive(Default)]
pub(crate) struct Idents {
    ids: HashMap<Vec<u8>, i64>,
    key: Vec<u8>,
}

impl Idents {
    pub(crate) fn id(
        &mut self,
        conn: &Connection,
        name: &RawText,
        email: &RawText,
    ) -> rusqlite::Result<i64> {
        self.key.clear();
        self.key.extend_from_slice(name.as_bytes());
        self.key.push(0);
        self.key.extend_from_slice(email.as_bytes());
        if let Some(id) = self.ids.get(self.key.as_slice()) {
            return Ok(*id);
        }
        let id = conn
            .prepare_cached(
                "INSERT INTO idents (name, email) VALUES (?1, ?2)
                 ON CONFLICT (email, name) DO UPDATE SET name = excluded.name RETURNING id",
            )?
            .query_row(params![text(name), text(email)], |r| r.get(0))?;
        self.ids.insert(self.key.clone(), id);
        Ok(id)
    }
}

/// Interned paths: each distinct path is stored once in `paths`.
#[derive(Default)]
struct Paths {
    ids: HashMap<Vec<u8>, i64>,
}

impl Paths {
    fn id(&mut self, conn: &Connection, path: &RawText) -> rusqlite::Result<i64> {
        if let Some(id) = self.ids.get(path.as_bytes()) {
            return Ok(*id);
        }
        let id = conn
            .prepare_cached(
                "INSERT INTO paths (path) VALUES (?1)
                 ON CONFLICT (path) DO UPDATE SET path = excluded.path RETURNING id",
            )?
            .query_row(params![text(path)], |r| r.get(0))?;
        self.ids.insert(path.as_bytes().to_vec(), id);
        Ok(id)
    }
}

/// Writes batches of commits of one repository, keeping its interning caches across batches.
pub struct CommitWriter<'s> {
    store: &'s mut Store,
    repo: RepoId,
    idents: Idents,
    paths: Paths,
}

impl Store {
    /// A writer for the commits of `repo`.
    pub fn commit_writer(&mut self, repo: RepoId) -> CommitWriter<'_> {
        CommitWriter {
            store: self,
            repo,
            idents: Idents::default(),
            paths: Paths::default(),
        }
    }
}

impl CommitWriter<'_> {
    /// Writes `commits` (with parents, trailers and changed paths) in one
    /// transaction: after a crash either all of them are stored or none.
    /// Commits already stored are left as they are.
    pub fn write(&mut self, commits: &[Commit]) -> Result<(), StoreError> {
        let err = StoreError::while_doing("storing commits");
        let tx = self.store.conn.transaction().map_err(err)?;
        write_commits(&tx, self.repo, &mut self.idents, &mut self.paths, commits)
            .map_err(StoreError::while_doing("storing commits"))?;
        tx.commit()
            .map_err(StoreError::while_doing("committing a batch of commits"))
    }
}

fn write_commits(
    conn: &Connection,
    repo: RepoId,
    idents: &mut Idents,
    paths: &mut Paths,
    commits: &[Commit],
) -> rusqlite::Result<()> {
    let mut insert_commit = conn.prepare_cached(
        "INSERT OR IGNORE INTO commits (repo_id, oid, author_id, author_time, author_offset,
             committer_id, committer_time, committer_offset, parent_count, subject, pr_number)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    let mut insert_parent = conn.prepare_cached(
        "INSERT INTO commit_parents (commit_id, position, parent_oid) VALUES (?1, ?2, ?3)",
    )?;
    let mut insert_trailer = conn.prepare_cached(
        "INSERT INTO trailers (commit_id, position, key, value, ident_id) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut insert_ref = conn.prepare_cached(
        "INSERT INTO commit_refs (commit_id, position, reference) VALUES (?1, ?2, ?3)",
    )?;
    let mut insert_change = conn.prepare_cached(
        "INSERT INTO changes (commit_id, position, path_id, kind, old_path_id, lines_added, lines_removed,
             blob_missing)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    let empty = RawText::default();
    for c in commits {
        let author = idents.id(conn, &c.author.name, &c.author.email)?;
        let committer = idents.id(conn, &c.committer.name, &c.committer.email)?;
        let inserted = insert_commit.execute(params![
            repo.0,
            c.id.as_bytes(),
            author,
            c.author.time,
            c.author.offset_minutes,
            committer,
            c.committer.time,
            c.committer.offset_minutes,
            c.parents.len() as i64,
            text(&c.subject),
            c.pr_number.map(|n| n as i64),
        ])?;
        if inserted == 0 {
            continue;
        }
        let id = conn.last_insert_rowid();
        for (i, p) in c.parents.iter().enumerate() {
            insert_parent.execute(params![id, i as i64, p.as_bytes()])?;
        }
        for (i, t) in c.trailers.iter().enumerate() {
            let ident = match (&t.name, &t.email) {
                (None, None) => None,
                (name, email) => Some(idents.id(
                    conn,
                    name.as_ref().unwrap_or(&empty),
                    email.as_ref().unwrap_or(&empty),
                )?),
            };
            insert_trailer.execute(params![id, i as i64, t.key, text(&t.value), ident])?;
        }
        for (i, reference) in c.issue_refs.iter().enumerate() {
            insert_ref.execute(params![id, i as i64, reference])?;
        }
        for (i, ch) in c.changes.iter().enumerate() {
            let path = paths.id(conn, &ch.path)?;
            let old = match &ch.old_path {
                Some(p) => Some(paths.id(conn, p)?),
                None => None,
            };
            insert_change.execute(params![
                id,
                i as i64,
                path,
                ch.kind.code(),
                old,
                ch.lines.map(|l| l.0),
                ch.lines.map(|l| l.1),
                ch.blob_missing,
            ])?;
        }
    }
    Ok(())
}
