//! Reading what identity resolution needs: every identity seen, author
//! activity over time, and the repositories' `.mailmap` files.

use crate::values::raw;
use crate::{Store, StoreError};
use upkeep_core::events::RawText;

/// One identity as stored, and how often it appears.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeenIdentity {
    /// The name as written.
    pub name: RawText,
    /// The address as written.
    pub email: RawText,
    /// Commits authored or committed, and trailers naming it.
    pub count: u64,
}

/// A non-merge commit's author and date, for timelines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Authored {
    /// The author's name.
    pub name: RawText,
    /// The author's address.
    pub email: RawText,
    /// Seconds since the epoch.
    pub time: i64,
}

impl Store {
    /// Every identity seen in any repository: authors, committers and people named in trailers.
    pub fn seen_identities(&self) -> Result<Vec<SeenIdentity>, StoreError> {
        let err = || StoreError::while_doing("reading identities");
        let mut stmt = self
            .conn
            .prepare(
                "SELECT i.name, i.email, count(*) FROM (
                     SELECT author_id AS id FROM commits
                     UNION ALL SELECT committer_id FROM commits
                     UNION ALL SELECT ident_id FROM trailers WHERE ident_id IS NOT NULL
                 ) x JOIN idents i ON i.id = x.id
                 GROUP BY x.id ORDER BY x.id",
            )
            .map_err(err())?;
        stmt.query_map([], |r| {
            Ok(SeenIdentity {
                name: raw(r.get_ref(0)?),
                email: raw(r.get_ref(1)?),
                count: r.get::<_, i64>(2)? as u64,
            })
        })
        .and_then(|rows| rows.collect())
        .map_err(err())
    }

    /// The author and date of every non-merge commit in any repository.
    pub fn authored(&self) -> Result<Vec<Authored>, StoreError> {
        let err = || StoreError::while_doing("reading commit authors");
        let mut stmt = self
            .conn
            .prepare(
                "SELECT i.name, i.email, c.author_time FROM commits c JOIN idents i ON i.id = c.author_id
                 WHERE c.parent_count <= 1 ORDER BY c.author_time, c.id",
            )
            .map_err(err())?;
        stmt.query_map([], |r| {
            Ok(Authored {
                name: raw(r.get_ref(0)?),
                email: raw(r.get_ref(1)?),
                time: r.get(2)?,
            })
        })
        .and_then(|rows| rows.collect())
        .map_err(err())
    }

    /// The `.mailmap` files found at the tips of the mined repositories.
    pub fn mailmaps(&self) -> Result<Vec<RawText>, StoreError> {
        let err = || StoreError::while_doing("reading .mailmap files");
        let mut stmt = self
            .conn
            .prepare("SELECT content FROM tip_files WHERE kind = 'mailmap' ORDER BY repo_id")
            .map_err(err())?;
        stmt.query_map([], |r| Ok(raw(r.get_ref(0)?)))
            .and_then(|rows| rows.collect())
            .map_err(err())
    }
}

/// A version tag as a release: when, and who made it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaggedRelease {
    /// The tag's name.
    pub name: RawText,
    /// The tagger's date for annotated tags, else the tagged commit's committer date.
    pub time: i64,
    /// The tagger, or for lightweight tags the tagged commit's committer: (name, email).
    pub by: Option<(RawText, RawText)>,
}

impl Store {
    /// The version tags of `repo` as releases.
    pub fn tagged_releases(&self, repo: crate::RepoId) -> Result<Vec<TaggedRelease>, StoreError> {
        let err = || StoreError::while_doing("reading releases");
        let mut stmt = self
            .conn
            .prepare(
                "SELECT t.name, coalesce(t.tag_time, c.committer_time),
                        coalesce(ti.name, ci.name), coalesce(ti.email, ci.email)
                 FROM tags t
                 LEFT JOIN commits c ON c.repo_id = t.repo_id AND c.oid = t.target
                 LEFT JOIN idents ti ON ti.id = t.tagger_id
                 LEFT JOIN idents ci ON ci.id = c.committer_id
                 WHERE t.repo_id = ?1 AND t.is_version = 1
                   AND coalesce(t.tag_time, c.committer_time) IS NOT NULL
                 ORDER BY 2, t.name",
            )
            .map_err(err())?;
        stmt.query_map([repo.0], |r| {
            let by = match r.get_ref(2)? {
                rusqlite::types::ValueRef::Null => None,
                name => Some((raw(name), raw(r.get_ref(3)?))),
            };
            Ok(TaggedRelease {
                name: raw(r.get_ref(0)?),
                time: r.get(1)?,
                by,
            })
        })
        .and_then(|rows| rows.collect())
        .map_err(err())
    }

    /// The author, date and UTC offset of every non-merge commit of the given repositories.
    pub fn authored_in(&self, repos: &[crate::RepoId]) -> Result<Vec<(Authored, i32)>, StoreError> {
        let err = || StoreError::while_doing("reading commit authors");
        let mut out = Vec::new();
        let mut stmt = self
            .conn
            .prepare(
                "SELECT i.name, i.email, c.author_time, c.author_offset FROM commits c
                 JOIN idents i ON i.id = c.author_id
                 WHERE c.repo_id = ?1 AND c.parent_count <= 1 ORDER BY c.author_time, c.id",
            )
            .map_err(err())?;
        for repo in repos {
            let rows = stmt
                .query_map([repo.0], |r| {
                    Ok((
                        Authored {
                            name: raw(r.get_ref(0)?),
                            email: raw(r.get_ref(1)?),
                            time: r.get(2)?,
                        },
                        r.get(3)?,
                    ))
                })
                .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
                .map_err(err())?;
            out.extend(rows);
        }
        Ok(out)
    }
}

/// A commit's author and committer, for maintainer evidence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Landing {
    /// The author: (name, email).
    pub author: (RawText, RawText),
    /// The committer: (name, email).
    pub committer: (RawText, RawText),
    /// The committer's time, seconds since the epoch.
    pub time: i64,
    /// Whether it is a merge commit.
    pub merge: bool,
}

/// A review trailer (`Reviewed-by`, `Acked-by`, `Reviewers`) naming a person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewTrailer {
    /// The reviewer: (name, email as written; either may be empty).
    pub reviewer: (RawText, RawText),
    /// The reviewed commit's author time, seconds since the epoch.
    pub time: i64,
}

impl Store {
    /// Every commit of the given repositories with its author and committer.
    pub fn landings_in(&self, repos: &[crate::RepoId]) -> Result<Vec<Landing>, StoreError> {
        let err = || StoreError::while_doing("reading committers");
        let mut stmt = self
            .conn
            .prepare(
                "SELECT a.name, a.email, k.name, k.email, c.committer_time, c.parent_count > 1
                 FROM commits c JOIN idents a ON a.id = c.author_id JOIN idents k ON k.id = c.committer_id
                 WHERE c.repo_id = ?1 ORDER BY c.committer_time, c.id",
            )
            .map_err(err())?;
        let mut out = Vec::new();
        for repo in repos {
            let rows = stmt
                .query_map([repo.0], |r| {
                    Ok(Landing {
                        author: (raw(r.get_ref(0)?), raw(r.get_ref(1)?)),
                        committer: (raw(r.get_ref(2)?), raw(r.get_ref(3)?)),
                        time: r.get(4)?,
                        merge: r.get(5)?,
                    })
                })
                .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
                .map_err(err())?;
            out.extend(rows);
        }
        Ok(out)
    }

    /// Every review trailer in the given repositories.
    pub fn review_trailers_in(
        &self,
        repos: &[crate::RepoId],
    ) -> Result<Vec<ReviewTrailer>, StoreError> {
        let err = || StoreError::while_doing("reading review trailers");
        let mut stmt = self
            .conn
            .prepare(
                "SELECT i.name, i.email, c.author_time FROM trailers t
                 JOIN commits c ON c.id = t.commit_id JOIN idents i ON i.id = t.ident_id
                 WHERE c.repo_id = ?1 AND t.key IN ('Reviewed-by', 'Acked-by', 'Reviewers')
                 ORDER BY c.author_time, c.id, t.position",
            )
            .map_err(err())?;
        let mut out = Vec::new();
        for repo in repos {
            let rows = stmt
                .query_map([repo.0], |r| {
                    Ok(ReviewTrailer {
                        reviewer: (raw(r.get_ref(0)?), raw(r.get_ref(1)?)),
                        time: r.get(2)?,
                    })
                })
                .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
                .map_err(err())?;
            out.extend(rows);
        }
        Ok(out)
    }
}

/// One changed path with the author of the change, for per-file histories.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathHistory {
    /// The author: (name, email).
    pub author: (RawText, RawText),
    /// The path after the change.
    pub path: RawText,
    /// For renames, the path before.
    pub old_path: Option<RawText>,
    /// `A`, `M`, `D` or `R`.
    pub kind: String,
}

impl Store {
    /// The newest commit of `repo` committed before `until` (seconds since the epoch).
    pub fn latest_commit_before(
        &self,
        repo: crate::RepoId,
        until: i64,
    ) -> Result<Option<upkeep_core::events::Oid>, StoreError> {
        use rusqlite::OptionalExtension;
        self.conn
            .query_row(
                "SELECT oid FROM commits WHERE repo_id = ?1 AND committer_time < ?2
                 ORDER BY committer_time DESC, id LIMIT 1",
                rusqlite::params![repo.0, until],
                |r| Ok(crate::values::oid(r.get_ref(0)?)),
            )
            .optional()
            .map_err(StoreError::while_doing(
                "finding the commit at the end of the window",
            ))
    }

    /// Every changed path of `repo` in commits authored before `until`, oldest first.
    pub fn path_history(
        &self,
        repo: crate::RepoId,
        until: i64,
    ) -> Result<Vec<PathHistory>, StoreError> {
        let err = || StoreError::while_doing("reading file histories");
        let mut stmt = self
            .conn
            .prepare(
                "SELECT i.name, i.email, p.path, o.path, ch.kind
                 FROM changes ch JOIN commits c ON c.id = ch.commit_id
                 JOIN idents i ON i.id = c.author_id JOIN paths p ON p.id = ch.path_id
                 LEFT JOIN paths o ON o.id = ch.old_path_id
                 WHERE c.repo_id = ?1 AND c.author_time < ?2
                 ORDER BY c.author_time, c.id, ch.position",
            )
            .map_err(err())?;
        stmt.query_map(rusqlite::params![repo.0, until], |r| {
            Ok(PathHistory {
                author: (raw(r.get_ref(0)?), raw(r.get_ref(1)?)),
                path: raw(r.get_ref(2)?),
                old_path: match r.get_ref(3)? {
                    rusqlite::types::ValueRef::Null => None,
                    v => Some(raw(v)),
                },
                kind: r.get(4)?,
            })
        })
        .and_then(|rows| rows.collect())
        .map_err(err())
    }
}
