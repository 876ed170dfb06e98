//! Writing mined commits, one transaction per batch.

use crate::db::{Db, DbError, MAX_PARAMS, Param, ToParam, params, values_sql};
use crate::{RepoId, Store, StoreError};
use std::collections::HashMap;
use upkeep_core::events::{Commit, RawText};

/// Interned `(name, email)` pairs: each distinct pair is stored once in
/// `idents`. Ids by email, then name, so a lookup borrows and never allocates.
#[derive(Default)]
pub(crate) struct Idents {
    ids: HashMap<Vec<u8>, HashMap<Vec<u8>, i64>>,
}

impl Idents {
    pub(crate) fn id(&mut self, db: &Db, name: &RawText, email: &RawText) -> Result<i64, DbError> {
        if let Some(id) = self.known(name, email) {
            return Ok(id);
        }
        let id = db.query_row(
            "INSERT INTO idents (name, email) VALUES (?1, ?2)
             ON CONFLICT (email, name) DO UPDATE SET name = excluded.name RETURNING id",
            params![name, email],
            |r| r.get(0),
        )?;
        self.remember(name.as_bytes(), email.as_bytes(), id);
        Ok(id)
    }

    /// The id of a pair interned before.
    pub(crate) fn known(&self, name: &RawText, email: &RawText) -> Option<i64> {
        self.ids
            .get(email.as_bytes())?
            .get(name.as_bytes())
            .copied()
    }

    fn remember(&mut self, name: &[u8], email: &[u8], id: i64) {
        self.ids
            .entry(email.to_vec())
            .or_default()
            .insert(name.to_vec(), id);
    }

    /// Interns every pair of `pairs` in the order of their bytes: concurrent
    /// writers then lock shared rows in one order and never deadlock. New
    /// pairs go many to a statement.
    pub(crate) fn intern_sorted<'p>(
        &mut self,
        db: &Db,
        pairs: impl Iterator<Item = (&'p RawText, &'p RawText)>,
    ) -> Result<(), DbError> {
        let mut new: Vec<_> = pairs.filter(|(n, e)| self.known(n, e).is_none()).collect();
        new.sort_unstable_by(|a, b| {
            (a.1.as_bytes(), a.0.as_bytes()).cmp(&(b.1.as_bytes(), b.0.as_bytes()))
        });
        new.dedup();
        for chunk in new.chunks(MAX_PARAMS / 2) {
            let params: Vec<Param<'_>> = chunk
                .iter()
                .flat_map(|(n, e)| [n.to_param(), e.to_param()])
                .collect();
            let sql = values_sql(
                "idents (name, email)",
                2,
                chunk.len(),
                "ON CONFLICT (email, name) DO UPDATE SET name = excluded.name RETURNING id, name, email",
            );
            db.for_each(&sql, &params, |r| {
                let (id, name, email): (i64, Vec<u8>, Vec<u8>) = (r.get(0)?, r.get(1)?, r.get(2)?);
                self.remember(&name, &email, id);
                Ok(())
            })?;
        }
        Ok(())
    }
}

/// Interned paths: each distinct path is stored once in `paths`.
#[derive(Default)]
pub(crate) struct Paths {
    ids: HashMap<Vec<u8>, i64>,
}

impl Paths {
    /// The id of a path interned before.
    pub(crate) fn known(&self, path: &RawText) -> Option<i64> {
        self.ids.get(path.as_bytes()).copied()
    }

    pub(crate) fn id(&mut self, db: &Db, path: &RawText) -> Result<i64, DbError> {
        if let Some(id) = self.ids.get(path.as_bytes()) {
            return Ok(*id);
        }
        let id = db.query_row(
            "INSERT INTO paths (path) VALUES (?1)
             ON CONFLICT (path) DO UPDATE SET path = excluded.path RETURNING id",
            params![path],
            |r| r.get(0),
        )?;
        self.ids.insert(path.as_bytes().to_vec(), id);
        Ok(id)
    }

    /// Interns every path of `paths` in byte order (see [`Idents::intern_sorted`]).
    pub(crate) fn intern_sorted<'p>(
        &mut self,
        db: &Db,
        paths: impl Iterator<Item = &'p RawText>,
    ) -> Result<(), DbError> {
        let mut new: Vec<_> = paths.filter(|p| self.known(p).is_none()).collect();
        new.sort_unstable_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
        new.dedup();
        for chunk in new.chunks(MAX_PARAMS) {
            let params: Vec<Param<'_>> = chunk.iter().map(|p| p.to_param()).collect();
            let sql = values_sql(
                "paths (path)",
                1,
                chunk.len(),
                "ON CONFLICT (path) DO UPDATE SET path = excluded.path RETURNING id, path",
            );
            db.for_each(&sql, &params, |r| {
                self.ids.insert(r.get(1)?, r.get(0)?);
                Ok(())
            })?;
        }
        Ok(())
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
    /// Commits already stored are left as they are, so writing a batch twice
    /// changes nothing.
    pub fn write(&mut self, commits: &[Commit]) -> Result<(), StoreError> {
        let (repo, idents, paths) = (self.repo, &mut self.idents, &mut self.paths);
        self.store
            .conn
            .transaction(|db| match db {
                Db::Postgres(pg) => {
                    intern(db, idents, paths, commits)?;
                    crate::copy::write_commits(&mut pg.borrow_mut(), repo, idents, paths, commits)
                }
                Db::Sqlite(_) => write_commits(db, repo, idents, paths, commits),
            })
            .map_err(StoreError::while_doing("storing commits"))
    }
}

/// Interns the batch's people and paths first, in sorted order.
fn intern(
    db: &Db,
    idents: &mut Idents,
    paths: &mut Paths,
    commits: &[Commit],
) -> Result<(), DbError> {
    let empty = RawText::default();
    let people = commits.iter().flat_map(|c| {
        [
            (&c.author.name, &c.author.email),
            (&c.committer.name, &c.committer.email),
        ]
        .into_iter()
        .chain(
            c.trailers
                .iter()
                .filter(|t| t.name.is_some() || t.email.is_some())
                .map(|t| {
                    (
                        t.name.as_ref().unwrap_or(&empty),
                        t.email.as_ref().unwrap_or(&empty),
                    )
                }),
        )
    });
    idents.intern_sorted(db, people)?;
    let files = commits
        .iter()
        .flat_map(|c| c.changes.iter())
        .flat_map(|ch| std::iter::once(&ch.path).chain(ch.old_path.as_ref()));
    paths.intern_sorted(db, files)
}

/// The id of the trailer's person, if it names one.
fn trailer_ident(
    db: &Db,
    idents: &mut Idents,
    t: &upkeep_core::events::Trailer,
) -> Result<Option<i64>, DbError> {
    let empty = RawText::default();
    match (&t.name, &t.email) {
        (None, None) => Ok(None),
        (name, email) => idents
            .id(
                db,
                name.as_ref().unwrap_or(&empty),
                email.as_ref().unwrap_or(&empty),
            )
            .map(Some),
    }
}

fn write_commits(
    db: &Db,
    repo: RepoId,
    idents: &mut Idents,
    paths: &mut Paths,
    commits: &[Commit],
) -> Result<(), DbError> {
    for c in commits {
        let author = idents.id(db, &c.author.name, &c.author.email)?;
        let committer = idents.id(db, &c.committer.name, &c.committer.email)?;
        let inserted: Option<i64> = db.query_opt(
            "INSERT INTO commits (repo_id, oid, author_id, author_time, author_offset,
                 committer_id, committer_time, committer_offset, parent_count, subject, pr_number)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
             ON CONFLICT (repo_id, oid) DO NOTHING RETURNING id",
            params![
                repo.0,
                c.id,
                author,
                c.author.time,
                c.author.offset_minutes,
                committer,
                c.committer.time,
                c.committer.offset_minutes,
                c.parents.len(),
                c.subject,
                c.pr_number,
            ],
            |r| r.get(0),
        )?;
        let Some(id) = inserted else { continue };
        for (i, p) in c.parents.iter().enumerate() {
            db.execute(
                "INSERT INTO commit_parents (commit_id, position, parent_oid) VALUES (?1, ?2, ?3)",
                params![id, i, p],
            )?;
        }
        for (i, t) in c.trailers.iter().enumerate() {
            let ident = trailer_ident(db, idents, t)?;
            db.execute(
                "INSERT INTO trailers (commit_id, position, key, value, ident_id) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, i, t.key, t.value, ident],
            )?;
        }
        for (i, reference) in c.issue_refs.iter().enumerate() {
            db.execute(
                "INSERT INTO commit_refs (commit_id, position, reference) VALUES (?1, ?2, ?3)",
                params![id, i, reference],
            )?;
        }
        for (i, ch) in c.changes.iter().enumerate() {
            let path = paths.id(db, &ch.path)?;
            let old = match &ch.old_path {
                Some(p) => Some(paths.id(db, p)?),
                None => None,
            };
            db.execute(
                "INSERT INTO changes (commit_id, position, path_id, kind, old_path_id, lines_added, lines_removed,
                     blob_missing)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    id,
                    i,
                    path,
                    ch.kind.code(),
                    old,
                    ch.lines.map(|l| l.0),
                    ch.lines.map(|l| l.1),
                    ch.blob_missing,
                ],
            )?;
        }
    }
    Ok(())
}
