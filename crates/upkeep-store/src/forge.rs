//! Forge data per repository: issues and pull requests, their activity,
//! releases and metadata, with the cursors of the sync. A page is written in
//! one transaction with the cursors that follow it ([`Store::save_forge_batch`]),
//! so an interrupted sync resumes after the last page stored.

use crate::db::{DbError, params};
use crate::{RepoId, Store, StoreError};
use std::collections::BTreeSet;
use upkeep_core::advisories::osv::Record;
use upkeep_core::events::{
    Activity, ActivityKind, ForgeItem, ForgeRelease, ItemKind, LoginLink, RepoMeta,
};

/// One page of forge data and the cursors after it (see `upkeep_forge::Batch`).
#[derive(Clone, Debug, Default)]
pub struct ForgeBatch<'a> {
    /// Items to insert or replace.
    pub items: &'a [ForgeItem],
    /// Items whose stored activities are dropped first (of the batch's tracker).
    pub replace_activities_of: &'a [u64],
    /// The tracker of `replace_activities_of` (`None`: the repository's forge).
    pub tracker: Option<&'a str>,
    /// Activities to insert or replace (by id).
    pub activities: &'a [Activity],
    /// Releases to insert or replace (by tag).
    pub releases: &'a [ForgeRelease],
    /// Metadata, with the forge it comes from (`github:owner/name`).
    pub meta: Option<(&'a str, &'a RepoMeta)>,
    /// Login links.
    pub links: &'a [LoginLink],
    /// Cursors to set, `None` to remove.
    pub cursors: &'a [(String, Option<String>)],
    /// The repository's own security advisories, as OSV records (cached
    /// with the others, and linked to the repository).
    pub advisories: &'a [Record],
}

/// What the forge knows about one repository.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ForgeData {
    /// Issues and pull requests, by number.
    pub items: Vec<ForgeItem>,
    /// Their activity, oldest first.
    pub activities: Vec<Activity>,
    /// Releases.
    pub releases: Vec<ForgeRelease>,
    /// Metadata, and the forge it comes from, if synced.
    pub meta: Option<(String, RepoMeta)>,
}

fn json_list(list: &[String]) -> String {
    serde_json::to_string(list).unwrap_or_else(|_| "[]".into())
}

/// A stored tracker key (`''` for the repository's forge).
fn tracker(key: String) -> Option<String> {
    (!key.is_empty()).then_some(key)
}

fn from_json_list(text: &str) -> Vec<String> {
    serde_json::from_str(text).unwrap_or_default()
}

impl Store {
    /// The forge `repo` was synced from (e.g. `github:owner/name`), if it ever was.
    pub fn forge_of(&self, repo: RepoId) -> Result<Option<String>, StoreError> {
        self.conn
            .query_opt(
                "SELECT forge FROM forge_meta WHERE repo_id = ?1",
                params![repo.0],
                |r| r.get(0),
            )
            .map_err(StoreError::while_doing("reading forge metadata"))
    }

    /// When `repo`'s data last changed: the later of its last complete mining
    /// run and its last forge sync (seconds since the epoch; 0 if never).
    pub fn data_version(&self, repo: RepoId) -> Result<i64, StoreError> {
        let sql = self.conn.pick(
            "SELECT max(coalesce(r.mined_at, 0), coalesce(m.synced_at, 0))
             FROM repositories r LEFT JOIN forge_meta m ON m.repo_id = r.id WHERE r.id = ?1",
            "SELECT greatest(coalesce(r.mined_at, 0), coalesce(m.synced_at, 0))
             FROM repositories r LEFT JOIN forge_meta m ON m.repo_id = r.id WHERE r.id = ?1",
        );
        self.conn
            .query_row(sql, params![repo.0], |r| r.get(0))
            .map_err(StoreError::while_doing("reading the data version"))
    }

    /// The value of a forge cursor of `repo`.
    pub fn forge_cursor(&self, repo: RepoId, key: &str) -> Result<Option<String>, StoreError> {
        self.conn
            .query_opt(
                "SELECT value FROM forge_cursors WHERE repo_id = ?1 AND key = ?2",
                params![repo.0, key],
                |r| r.get(0),
            )
            .map_err(StoreError::while_doing("reading forge cursors"))
    }

    /// Writes one page of forge data with its cursors, all or nothing.
    pub fn save_forge_batch(&mut self, repo: RepoId, b: &ForgeBatch<'_>) -> Result<(), StoreError> {
        self.conn
            .transaction(|tx| {
                for i in b.items {
                    tx.execute(
                        "INSERT INTO forge_items (repo_id, number, kind, author, association, title,
                         state, draft, created, updated, closed, merged, merged_by, labels, assignees, tracker,
                         first_commit)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
                         ON CONFLICT (repo_id, tracker, number) DO UPDATE SET kind = excluded.kind,
                             author = excluded.author, association = excluded.association,
                             title = excluded.title, state = excluded.state, draft = excluded.draft,
                             created = excluded.created, updated = excluded.updated, closed = excluded.closed,
                             merged = excluded.merged, merged_by = excluded.merged_by,
                             labels = excluded.labels, assignees = excluded.assignees,
                             first_commit = excluded.first_commit",
                        params![
                            repo.0,
                            i.number,
                            i.kind.as_str(),
                            i.author,
                            i.author_association,
                            i.title,
                            i.state,
                            i.draft,
                            i.created,
                            i.updated,
                            i.closed,
                            i.merged,
                            i.merged_by,
                            json_list(&i.labels),
                            json_list(&i.assignees),
                            i.tracker.as_deref().unwrap_or(""),
                            i.first_commit,
                        ],
                    )?;
                }
                for n in b.replace_activities_of {
                    tx.execute(
                        "DELETE FROM forge_activities WHERE repo_id = ?1 AND tracker = ?3 AND number = ?2",
                        params![repo.0, n, b.tracker.unwrap_or("")],
                    )?;
                }
                for a in b.activities {
                    tx.execute(
                        "INSERT INTO forge_activities (repo_id, id, number, kind, actor, association, time, detail,
                         tracker) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                         ON CONFLICT (repo_id, id) DO UPDATE SET number = excluded.number, kind = excluded.kind,
                             actor = excluded.actor, association = excluded.association, time = excluded.time,
                             detail = excluded.detail, tracker = excluded.tracker",
                        params![
                            repo.0,
                            a.id,
                            a.number,
                            a.kind.as_str(),
                            a.actor,
                            a.association,
                            a.time,
                            a.detail,
                            a.tracker.as_deref().unwrap_or("")
                        ],
                    )?;
                }
                for r in b.releases {
                    tx.execute(
                        "INSERT INTO forge_releases (repo_id, tag, name, author, created, published, prerelease, draft)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                         ON CONFLICT (repo_id, tag) DO UPDATE SET name = excluded.name, author = excluded.author,
                             created = excluded.created, published = excluded.published,
                             prerelease = excluded.prerelease, draft = excluded.draft",
                        params![
                            repo.0,
                            r.tag,
                            r.name,
                            r.author,
                            r.created,
                            r.published,
                            r.prerelease,
                            r.draft
                        ],
                    )?;
                }
                if let Some((forge, m)) = b.meta {
                    tx.execute(
                        "INSERT INTO forge_meta (repo_id, forge, archived, default_branch, license,
                         security_policy, funding, synced_at, private_reporting)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                         ON CONFLICT (repo_id) DO UPDATE SET forge = excluded.forge, archived = excluded.archived,
                             default_branch = excluded.default_branch, license = excluded.license,
                             security_policy = excluded.security_policy, funding = excluded.funding,
                             synced_at = excluded.synced_at, private_reporting = excluded.private_reporting",
                        params![
                            repo.0,
                            forge,
                            m.archived,
                            m.default_branch,
                            m.license,
                            m.security_policy,
                            json_list(&m.funding),
                            now(),
                            m.private_reporting
                        ],
                    )?;
                }
                for record in b.advisories {
                    crate::advisories::link_forge_advisory(tx, repo, record)?;
                }
                let mut links: Vec<&LoginLink> = b.links.iter().collect();
                links.sort();
                for l in links {
                    tx.execute(
                        "INSERT INTO forge_logins (login, name, email) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
                        params![l.login, l.name, l.email],
                    )?;
                }
                for (k, v) in b.cursors {
                    match v {
                        Some(v) => tx.execute(
                            "INSERT INTO forge_cursors (repo_id, key, value) VALUES (?1, ?2, ?3)
                             ON CONFLICT (repo_id, key) DO UPDATE SET value = excluded.value",
                            params![repo.0, k, v],
                        ),
                        None => tx.execute(
                            "DELETE FROM forge_cursors WHERE repo_id = ?1 AND key = ?2",
                            params![repo.0, k],
                        ),
                    }?;
                }
                Ok::<_, DbError>(())
            })
            .map_err(StoreError::while_doing("storing forge data"))
    }

    /// Everything the forge knows about `repo`.
    pub fn forge_data(&self, repo: RepoId) -> Result<ForgeData, StoreError> {
        let err = || StoreError::while_doing("reading forge data");
        let mut out = ForgeData {
            items: self.conn
            .query_map(
                "SELECT number, kind, author, association, title, state, draft, created, updated, closed,
                 merged, merged_by, labels, assignees, tracker, first_commit FROM forge_items WHERE repo_id = ?1
                 ORDER BY tracker, number",
                params![repo.0],
                |r| {
                    Ok(ForgeItem {
                        number: r.get(0)?,
                        kind: ItemKind::parse(&r.get::<String>(1)?).unwrap_or_default(),
                        author: r.get(2)?,
                        author_association: r.get(3)?,
                        title: r.get(4)?,
                        state: r.get(5)?,
                        draft: r.get(6)?,
                        created: r.get(7)?,
                        updated: r.get(8)?,
                        closed: r.get(9)?,
                        merged: r.get(10)?,
                        merged_by: r.get(11)?,
                        labels: from_json_list(&r.get::<String>(12)?),
                        assignees: from_json_list(&r.get::<String>(13)?),
                        tracker: tracker(r.get(14)?),
                        first_commit: r.get(15)?,
                    })
                },
            )
            .map_err(err())?,
            ..ForgeData::default()
        };
        self.conn
            .for_each(
                "SELECT id, number, kind, actor, association, time, detail, tracker FROM forge_activities
                 WHERE repo_id = ?1 ORDER BY time, id",
                params![repo.0],
                |r| {
                    if let Some(kind) = ActivityKind::parse(&r.get::<String>(2)?) {
                        out.activities.push(Activity {
                            id: r.get(0)?,
                            number: r.get(1)?,
                            kind,
                            actor: r.get(3)?,
                            association: r.get(4)?,
                            time: r.get(5)?,
                            detail: r.get(6)?,
                            tracker: tracker(r.get(7)?),
                        });
                    }
                    Ok(())
                },
            )
            .map_err(err())?;
        out.releases = self
            .conn
            .query_map(
                "SELECT tag, name, author, created, published, prerelease, draft FROM forge_releases
                 WHERE repo_id = ?1 ORDER BY created",
                params![repo.0],
                |r| {
                    Ok(ForgeRelease {
                        tag: r.get(0)?,
                        name: r.get(1)?,
                        author: r.get(2)?,
                        created: r.get(3)?,
                        published: r.get(4)?,
                        prerelease: r.get(5)?,
                        draft: r.get(6)?,
                    })
                },
            )
            .map_err(err())?;
        out.meta = self.forge_meta(repo)?;
        Ok(out)
    }

    /// The forge metadata of `repo`, with the forge it comes from, if synced.
    pub fn forge_meta(&self, repo: RepoId) -> Result<Option<(String, RepoMeta)>, StoreError> {
        self.conn
            .query_opt(
                "SELECT forge, archived, default_branch, license, security_policy, funding,
                 private_reporting
             FROM forge_meta WHERE repo_id = ?1",
                params![repo.0],
                |r| {
                    Ok((
                        r.get::<String>(0)?,
                        RepoMeta {
                            archived: r.get(1)?,
                            default_branch: r.get(2)?,
                            license: r.get(3)?,
                            security_policy: r.get(4)?,
                            funding: from_json_list(&r.get::<String>(5)?),
                            private_reporting: r.get(6)?,
                        },
                    ))
                },
            )
            .map_err(StoreError::while_doing("reading forge metadata"))
    }

    /// Every login tied to a commit identity, and every login seen on a forge
    /// (authors, actors, mergers), as `(login, name, email)`; forge-only logins
    /// have an empty name and address.
    pub fn forge_logins(&self) -> Result<Vec<LoginLink>, StoreError> {
        let rows: BTreeSet<LoginLink> = self
            .conn
            .query_map(
                "SELECT login, name, email FROM forge_logins
                 UNION SELECT author, '', '' FROM forge_items WHERE author IS NOT NULL
                 UNION SELECT merged_by, '', '' FROM forge_items WHERE merged_by IS NOT NULL
                 UNION SELECT actor, '', '' FROM forge_activities WHERE actor IS NOT NULL
                 UNION SELECT author, '', '' FROM forge_releases WHERE author IS NOT NULL",
                &[],
                |r| {
                    Ok(LoginLink {
                        login: r.get(0)?,
                        name: r.get(1)?,
                        email: r.get(2)?,
                    })
                },
            )
            .map_err(StoreError::while_doing("reading forge logins"))?
            .into_iter()
            .collect();
        Ok(rows.into_iter().collect())
    }
}

/// Now, in seconds since the epoch.
pub(crate) fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_replace_and_cursors_move_together() {
        let (_dir, stores) = crate::test_stores("forge");
        for mut store in stores {
            pages_replace_on(&mut store);
        }
    }

    fn pages_replace_on(store: &mut Store) {
        let repo = store
            .repository("https://github.com/o/r", "/tmp/r")
            .expect("repo")
            .id;
        let item = ForgeItem {
            number: 7,
            kind: ItemKind::PullRequest,
            author: Some("ann".into()),
            labels: vec!["bug".into()],
            ..ForgeItem::default()
        };
        let activity = |id: &str| Activity {
            id: id.into(),
            number: 7,
            kind: ActivityKind::Review,
            actor: Some("bob".into()),
            association: Some("MEMBER".into()),
            time: 5,
            detail: Some("APPROVED".into()),
            tracker: None,
        };
        let cursors = vec![(
            "github.pull_request.after".to_owned(),
            Some("c1".to_owned()),
        )];
        store
            .save_forge_batch(
                repo,
                &ForgeBatch {
                    items: std::slice::from_ref(&item),
                    activities: &[activity("a"), activity("b")],
                    cursors: &cursors,
                    ..ForgeBatch::default()
                },
            )
            .expect("saves");
        assert_eq!(
            store
                .forge_cursor(repo, "github.pull_request.after")
                .expect("reads")
                .as_deref(),
            Some("c1")
        );
        // The item again with its complete timeline: the old activities go, nothing doubles.
        let done = vec![("github.pull_request.after".to_owned(), None)];
        store
            .save_forge_batch(
                repo,
                &ForgeBatch {
                    items: std::slice::from_ref(&item),
                    replace_activities_of: &[7],
                    activities: &[activity("b")],
                    cursors: &done,
                    ..ForgeBatch::default()
                },
            )
            .expect("saves");
        let data = store.forge_data(repo).expect("reads");
        assert_eq!(data.items, vec![item.clone()]);
        assert_eq!(data.activities, vec![activity("b")]);
        assert_eq!(
            store
                .forge_cursor(repo, "github.pull_request.after")
                .expect("reads"),
            None
        );
        let logins: Vec<String> = store
            .forge_logins()
            .expect("logins")
            .into_iter()
            .map(|l| l.login)
            .collect();
        assert_eq!(logins, ["ann", "bob"]);

        // A tracker's issue 7 (KAFKA-7) lives beside pull request 7; replacing
        // the pull request's timeline leaves the issue's alone.
        let issue = ForgeItem {
            number: 7,
            author: Some("jira:carol".into()),
            tracker: Some("KAFKA".into()),
            ..ForgeItem::default()
        };
        let comment = Activity {
            id: "jira:KAFKA:comment:1".into(),
            kind: ActivityKind::Comment,
            actor: Some("jira:dan".into()),
            tracker: Some("KAFKA".into()),
            ..activity("x")
        };
        store
            .save_forge_batch(
                repo,
                &ForgeBatch {
                    items: std::slice::from_ref(&issue),
                    activities: std::slice::from_ref(&comment),
                    tracker: Some("KAFKA"),
                    ..ForgeBatch::default()
                },
            )
            .expect("saves");
        store
            .save_forge_batch(
                repo,
                &ForgeBatch {
                    replace_activities_of: &[7],
                    ..ForgeBatch::default()
                },
            )
            .expect("saves");
        let data = store.forge_data(repo).expect("reads");
        assert_eq!(data.items, vec![item, issue]);
        assert_eq!(data.activities, vec![comment]);
    }
}
