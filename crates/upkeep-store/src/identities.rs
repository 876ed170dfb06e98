//! Reading what identity resolution needs: every identity seen, author
//! activity over time, and the repositories' `.mailmap` files.

use crate::db::params;
use crate::{Store, StoreError};
use upkeep_core::events::{Oid, RawText};

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
    /// The author's UTC offset in minutes.
    pub offset_minutes: i32,
}

impl Store {
    /// Every identity seen in any repository: authors, committers and people named in trailers.
    pub fn seen_identities(&self) -> Result<Vec<SeenIdentity>, StoreError> {
        let err = || StoreError::while_doing("reading identities");
        // Counted here rather than by GROUP BY: one pass without SQLite's sorter.
        let mut counts: std::collections::HashMap<i64, u64> = std::collections::HashMap::new();
        self.conn
            .for_each("SELECT author_id, committer_id FROM commits", &[], |r| {
                for i in 0..2 {
                    *counts.entry(r.get(i)?).or_default() += 1;
                }
                Ok(())
            })
            .map_err(err())?;
        // Trailers of commits, senders of list messages and the reviewers their bodies name.
        for sql in [
            "SELECT ident_id FROM trailers WHERE ident_id IS NOT NULL",
            "SELECT from_id FROM list_messages",
            "SELECT ident_id FROM list_trailers",
        ] {
            self.conn
                .for_each(sql, &[], |r| {
                    *counts.entry(r.get(0)?).or_default() += 1;
                    Ok(())
                })
                .map_err(err())?;
        }
        let mut counts: Vec<(i64, u64)> = counts.into_iter().collect();
        counts.sort_unstable();
        let idents = self.idents().map_err(err())?;
        Ok(counts
            .into_iter()
            .filter_map(|(id, count)| {
                let (name, email) = idents.get(&id)?.clone();
                Some(SeenIdentity { name, email, count })
            })
            .collect())
    }

    /// The author, date and UTC offset of every non-merge commit, of the given
    /// repositories or (with `None`) of all, oldest first.
    pub fn authored(&self, repos: Option<&[crate::RepoId]>) -> Result<Vec<Authored>, StoreError> {
        let err = || StoreError::while_doing("reading commit authors");
        let filters: Vec<Option<i64>> = match repos {
            Some(repos) => repos.iter().map(|r| Some(r.0)).collect(),
            None => vec![None],
        };
        let mut out = Vec::new();
        for filter in filters {
            let rows = self
                .conn
                .query_map(
                    "SELECT i.name, i.email, c.author_time, c.author_offset FROM commits c
                     JOIN idents i ON i.id = c.author_id
                     WHERE c.repo_id = coalesce(?1, c.repo_id) AND c.parent_count <= 1
                     ORDER BY c.author_time, c.id",
                    params![filter],
                    |r| {
                        Ok(Authored {
                            name: r.get(0)?,
                            email: r.get(1)?,
                            time: r.get(2)?,
                            offset_minutes: r.get(3)?,
                        })
                    },
                )
                .map_err(err())?;
            out.extend(rows);
        }
        Ok(out)
    }

    /// The `.mailmap` files found at the tips of the mined repositories.
    pub fn mailmaps(&self) -> Result<Vec<RawText>, StoreError> {
        self.conn
            .query_map(
                "SELECT content FROM tip_files WHERE kind = 'mailmap' ORDER BY repo_id",
                &[],
                |r| r.get(0),
            )
            .map_err(StoreError::while_doing("reading .mailmap files"))
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
        self.conn
            .query_map(
                "SELECT t.name, coalesce(t.tag_time, c.committer_time),
                        coalesce(ti.name, ci.name), coalesce(ti.email, ci.email)
                 FROM tags t
                 LEFT JOIN commits c ON c.repo_id = t.repo_id AND c.oid = t.target
                 LEFT JOIN idents ti ON ti.id = t.tagger_id
                 LEFT JOIN idents ci ON ci.id = c.committer_id
                 WHERE t.repo_id = ?1 AND t.is_version
                   AND coalesce(t.tag_time, c.committer_time) IS NOT NULL
                 ORDER BY 2, t.name",
                params![repo.0],
                |r| {
                    let by = match r.is_null(2)? {
                        true => None,
                        false => Some((r.get(2)?, r.get(3)?)),
                    };
                    Ok(TaggedRelease {
                        name: r.get(0)?,
                        time: r.get(1)?,
                        by,
                    })
                },
            )
            .map_err(StoreError::while_doing("reading releases"))
    }

    /// The commit each version tag of `repo` points at: (tag name, commit).
    pub fn version_tag_targets(
        &self,
        repo: crate::RepoId,
    ) -> Result<Vec<(RawText, Oid)>, StoreError> {
        self.conn
            .query_map(
                "SELECT name, target FROM tags WHERE repo_id = ?1 AND is_version ORDER BY name",
                params![repo.0],
                |r| Ok((r.get(0)?, Oid::from_bytes(&r.get::<Vec<u8>>(1)?))),
            )
            .map_err(StoreError::while_doing("reading tag targets"))
    }
}

/// One changed path, for per-file histories; authors and paths are indices
/// into the tables of [`PathHistories`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathHistory {
    /// Index into [`PathHistories::authors`].
    pub author: usize,
    /// Index into [`PathHistories::paths`]: the path after the change.
    pub path: usize,
    /// For renames, the path before.
    pub old_path: Option<usize>,
    /// `A`, `M`, `D` or `R`.
    pub kind: String,
    /// The commit's author time, seconds since the epoch.
    pub time: i64,
}

/// Every changed path of a repository before a time, oldest first, with the
/// tables its indices point into.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PathHistories {
    /// Authors: (name, email).
    pub authors: Vec<(RawText, RawText)>,
    /// Paths.
    pub paths: Vec<RawText>,
    /// The changes, oldest first (by author time, then as mined).
    pub changes: Vec<PathHistory>,
}

impl Store {
    /// The newest commit of `repo` committed before `until` (seconds since the epoch).
    pub fn latest_commit_before(
        &self,
        repo: crate::RepoId,
        until: i64,
    ) -> Result<Option<upkeep_core::events::Oid>, StoreError> {
        self.conn
            .query_opt(
                "SELECT oid FROM commits WHERE repo_id = ?1 AND committer_time < ?2
                 ORDER BY committer_time DESC, id LIMIT 1",
                params![repo.0, until],
                |r| r.get(0),
            )
            .map_err(StoreError::while_doing(
                "finding the commit at the end of the window",
            ))
    }

    /// Every changed path of `repo` in commits authored before `until`, oldest
    /// first. With `message_authors`, a commit with `Author:` lines is the
    /// first one's (PostgreSQL's way of naming who wrote a patch).
    pub fn path_history(
        &self,
        repo: crate::RepoId,
        until: i64,
        message_authors: bool,
    ) -> Result<PathHistories, StoreError> {
        let err = || StoreError::while_doing("reading file histories");
        let mut author_index: std::collections::HashMap<i64, usize> =
            std::collections::HashMap::new();
        let mut path_index: std::collections::HashMap<i64, usize> =
            std::collections::HashMap::new();
        let mut rows: Vec<(i64, i64, i64, PathHistory)> = Vec::new();
        let index = |map: &mut std::collections::HashMap<i64, usize>, id: i64| {
            let next = map.len();
            *map.entry(id).or_insert(next)
        };
        self.conn
            .for_each(
                "SELECT CASE WHEN ?3 THEN coalesce(
                            (SELECT t.ident_id FROM trailers t
                             WHERE t.commit_id = c.id AND t.key = 'Author' AND t.ident_id IS NOT NULL
                             ORDER BY t.position LIMIT 1),
                            c.author_id) ELSE c.author_id END,
                        ch.path_id, ch.old_path_id, ch.kind, c.author_time, c.id, ch.position
                 FROM changes ch JOIN commits c ON c.id = ch.commit_id
                 WHERE c.repo_id = ?1 AND c.author_time < ?2",
                params![repo.0, until, message_authors],
                |r| {
                    let author = index(&mut author_index, r.get(0)?);
                    let path = index(&mut path_index, r.get(1)?);
                    let old_path = r
                        .get::<Option<i64>>(2)?
                        .map(|id| index(&mut path_index, id));
                    rows.push((
                        r.get(4)?,
                        -r.get::<i64>(5)?,
                        r.get(6)?,
                        PathHistory {
                            author,
                            path,
                            old_path,
                            kind: r.get(3)?,
                            time: r.get(4)?,
                        },
                    ));
                    Ok(())
                },
            )
            .map_err(err())?;
        // Oldest first; commits of one second in the order mined backwards (parents were mined after children).
        rows.sort_unstable_by_key(|(time, commit, position, _)| (*time, *commit, *position));
        let idents = self.idents().map_err(err())?;
        let paths = self.paths().map_err(err())?;
        let mut authors = vec![(RawText::default(), RawText::default()); author_index.len()];
        for (id, i) in author_index {
            authors[i] = idents.get(&id).cloned().unwrap_or_default();
        }
        let mut path_table = vec![RawText::default(); path_index.len()];
        for (id, i) in path_index {
            path_table[i] = paths.get(&id).cloned().unwrap_or_default();
        }
        Ok(PathHistories {
            authors,
            paths: path_table,
            changes: rows.into_iter().map(|(_, _, _, change)| change).collect(),
        })
    }
}
