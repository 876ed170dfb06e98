//! What the OSPO ledger reads beyond the mined events: an organization's
//! roster, hand-recorded engagement, and each commit with the people it
//! credits (author, co-authors, reviewers) and the issues it refers to.

use crate::db::{DbError, params};
use crate::{RepoId, Store, StoreError};
use std::collections::HashMap;
use upkeep_core::events::{Oid, RawText};

/// One roster line: a person of an organization, for a stretch of time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RosterEntry {
    /// The organization.
    pub organization: String,
    /// Their name.
    pub name: String,
    /// An address (lower-cased), if given.
    pub email: Option<String>,
    /// A forge login (lower-cased), if given.
    pub login: Option<String>,
    /// First day with the organization (YYYY-MM-DD), if given.
    pub from: Option<String>,
    /// First day no longer with it, if given.
    pub until: Option<String>,
    /// The file it was imported from.
    pub file: String,
    /// Its line there.
    pub line: usize,
    /// The team within the organization, if given.
    pub team: Option<String>,
}

/// One engagement entry: a talk, a post, a meetup.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EngagementRecord {
    /// Its day (YYYY-MM-DD).
    pub day: String,
    /// Who: an address, `login:NAME` or a name.
    pub person: String,
    /// For which upstream.
    pub upstream: String,
    /// What kind.
    pub kind: String,
    /// Where it can be seen.
    pub url: String,
    /// The file it was imported from.
    pub file: String,
    /// Its line there.
    pub line: usize,
}

/// A repository's commits with the identities they credit, as written
/// (resolution is the caller's): identities by id, each once.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CreditsTable {
    /// The commits, in storage order.
    pub commits: Vec<CommitCredits>,
    /// Every identity: id → (name, email).
    pub idents: HashMap<i64, (RawText, RawText)>,
}

/// A commit with the identities it credits, by identity id (see [`CreditsTable::idents`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommitCredits {
    /// Its id.
    pub id: Oid,
    /// The author's identity.
    pub author: i64,
    /// The committer's identity.
    pub committer: i64,
    /// Committer time, seconds since the epoch.
    pub committed: i64,
    /// Author time, seconds since the epoch.
    pub time: i64,
    /// The author's UTC offset in minutes.
    pub offset_minutes: i32,
    /// Whether it is a merge commit.
    pub merge: bool,
    /// The pull request it names.
    pub pr_number: Option<u64>,
    /// `Author:` identities (PostgreSQL's way of naming who wrote a patch).
    pub message_authors: Vec<i64>,
    /// `Co-authored-by` identities.
    pub co_authors: Vec<i64>,
    /// `Reviewed-by`, `Acked-by` and `Reviewers` identities.
    pub reviewers: Vec<i64>,
    /// Issue references of its message.
    pub issue_refs: Vec<String>,
    /// `Assisted-by` and `Generated-by` identities (the tools that helped).
    pub assistants: Vec<i64>,
    /// Its subject.
    pub subject: RawText,
}

impl Store {
    /// Replaces what `file` contributed to the roster of `organization` with
    /// `entries`, in one transaction. Returns how many were stored.
    pub fn replace_roster(
        &mut self,
        organization: &str,
        file: &str,
        entries: &[RosterEntry],
    ) -> Result<usize, StoreError> {
        self.conn
            .transaction(|tx| {
                tx.execute(
                    "DELETE FROM roster WHERE organization = ?1 AND file = ?2",
                    params![organization, file],
                )?;
                for e in entries {
                    tx.execute(
                        "INSERT INTO roster (organization, name, email, login, from_day, until_day, file, line, team)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                        params![organization, e.name, e.email, e.login, e.from, e.until, file, e.line, e.team],
                    )?;
                }
                Ok::<_, DbError>(())
            })
            .map_err(StoreError::while_doing("importing the roster"))?;
        Ok(entries.len())
    }

    /// Every roster entry of every organization.
    pub fn roster(&self) -> Result<Vec<RosterEntry>, StoreError> {
        self.conn
            .query_map(
                "SELECT organization, name, email, login, from_day, until_day, file, line, team FROM roster
                 ORDER BY organization, file, line",
                &[],
                |r| {
                    Ok(RosterEntry {
                        organization: r.get(0)?,
                        name: r.get(1)?,
                        email: r.get(2)?,
                        login: r.get(3)?,
                        from: r.get(4)?,
                        until: r.get(5)?,
                        file: r.get(6)?,
                        line: r.get::<u64>(7)? as usize,
                        team: r.get(8)?,
                    })
                },
            )
            .map_err(StoreError::while_doing("reading the roster"))
    }

    /// Adds engagement entries in one transaction; an entry already stored
    /// (same day, person, upstream, kind and URL) is kept once. Returns how many were new.
    pub fn add_engagement(&mut self, entries: &[EngagementRecord]) -> Result<usize, StoreError> {
        self.conn
            .transaction(|tx| {
                let mut added = 0;
                for e in entries {
                    added += tx.execute(
                        "INSERT INTO engagement (day, person, upstream, kind, url, file, line)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING",
                        params![e.day, e.person, e.upstream, e.kind, e.url, e.file, e.line],
                    )?;
                }
                Ok::<_, DbError>(added as usize)
            })
            .map_err(StoreError::while_doing("importing engagement"))
    }

    /// Every engagement entry, oldest first.
    pub fn engagement(&self) -> Result<Vec<EngagementRecord>, StoreError> {
        let sql = self.conn.pick(
            "SELECT day, person, upstream, kind, url, file, line FROM engagement ORDER BY day, rowid",
            "SELECT day, person, upstream, kind, url, file, line FROM engagement ORDER BY day, id",
        );
        self.conn
            .query_map(sql, &[], |r| {
                Ok(EngagementRecord {
                    day: r.get(0)?,
                    person: r.get(1)?,
                    upstream: r.get(2)?,
                    kind: r.get(3)?,
                    url: r.get(4)?,
                    file: r.get(5)?,
                    line: r.get::<u64>(6)? as usize,
                })
            })
            .map_err(StoreError::while_doing("reading engagement"))
    }

    /// Every commit of `repo` (in storage order) with the identities it credits and its issue references.
    pub fn commit_credits(&self, repo: RepoId) -> Result<CreditsTable, StoreError> {
        let err = || StoreError::while_doing("reading commits for the ledger");
        let idents = self.idents().map_err(err())?;
        let mut out = Vec::new();
        let mut by_id: HashMap<i64, usize> = HashMap::new();
        self.conn
            .for_each(
                "SELECT id, oid, author_id, author_time, author_offset, parent_count > 1, pr_number,
                        committer_id, committer_time, subject
                 FROM commits WHERE repo_id = ?1",
                params![repo.0],
                |r| {
                    by_id.insert(r.get(0)?, out.len());
                    out.push(CommitCredits {
                        id: r.get(1)?,
                        author: r.get(2)?,
                        committer: r.get(7)?,
                        committed: r.get(8)?,
                        time: r.get(3)?,
                        offset_minutes: r.get(4)?,
                        merge: r.get(5)?,
                        pr_number: r.get(6)?,
                        message_authors: Vec::new(),
                        co_authors: Vec::new(),
                        reviewers: Vec::new(),
                        issue_refs: Vec::new(),
                        assistants: Vec::new(),
                        subject: r.get(9)?,
                    });
                    Ok(())
                },
            )
            .map_err(err())?;
        self.conn
            .for_each(
                "SELECT t.commit_id, t.key, t.ident_id FROM trailers t JOIN commits c ON c.id = t.commit_id
                 WHERE c.repo_id = ?1 AND t.ident_id IS NOT NULL
                   AND t.key IN ('Author', 'Co-authored-by', 'Reviewed-by', 'Acked-by', 'Reviewers',
                                 'Assisted-by', 'Generated-by')
                 ORDER BY t.commit_id, t.position",
                params![repo.0],
                |r| {
                    let Some(&i) = by_id.get(&r.get::<i64>(0)?) else {
                        return Ok(());
                    };
                    let who: i64 = r.get(2)?;
                    match r.get::<String>(1)?.as_str() {
                        "Author" => out[i].message_authors.push(who),
                        "Co-authored-by" => out[i].co_authors.push(who),
                        "Assisted-by" | "Generated-by" => out[i].assistants.push(who),
                        _ => out[i].reviewers.push(who),
                    }
                    Ok(())
                },
            )
            .map_err(err())?;
        self.conn
            .for_each(
                "SELECT r.commit_id, r.reference FROM commit_refs r JOIN commits c ON c.id = r.commit_id
                 WHERE c.repo_id = ?1 ORDER BY r.commit_id, r.position",
                params![repo.0],
                |r| {
                    if let Some(&i) = by_id.get(&r.get::<i64>(0)?) {
                        out[i].issue_refs.push(r.get(1)?);
                    }
                    Ok(())
                },
            )
            .map_err(err())?;
        Ok(CreditsTable {
            commits: out,
            idents,
        })
    }
}
