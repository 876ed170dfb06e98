//! The advisory cache: OSV records by id, with the `modified` time OSV gave,
//! so that a record is fetched again only when OSV lists a newer one.

use crate::db::{Db, DbError, params};
use crate::{RepoId, Store, StoreError};
use upkeep_core::advisories::osv::Record;

/// A cached advisory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CachedAdvisory {
    /// OSV's `modified` time of the stored record.
    pub modified: String,
    /// The record's JSON, as OSV sent it.
    pub record: String,
}

impl Store {
    /// The cached record `id`, if any.
    pub fn cached_advisory(&self, id: &str) -> Result<Option<CachedAdvisory>, StoreError> {
        self.conn
            .query_opt(
                "SELECT modified, record FROM advisories WHERE id = ?1",
                params![id],
                |r| {
                    Ok(CachedAdvisory {
                        modified: r.get(0)?,
                        record: r.get(1)?,
                    })
                },
            )
            .map_err(StoreError::while_doing("reading the advisory cache"))
    }

    /// Every cached record's JSON, by id (what `--offline` checks against).
    pub fn cached_advisories(&self) -> Result<Vec<(String, String)>, StoreError> {
        self.conn
            .query_map(
                "SELECT id, record FROM advisories ORDER BY id",
                params![],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(StoreError::while_doing("reading the advisory cache"))
    }

    /// Stores (or replaces) the record `id`, fetched at `now`.
    pub fn cache_advisory(
        &self,
        id: &str,
        advisory: &CachedAdvisory,
        now: i64,
    ) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO advisories (id, modified, record, fetched_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (id) DO UPDATE SET modified = excluded.modified,
                     record = excluded.record, fetched_at = excluded.fetched_at",
                params![id, advisory.modified, advisory.record, now],
            )
            .map(drop)
            .map_err(StoreError::while_doing("writing the advisory cache"))
    }
}

/// Caches a forge's own advisory `record` (unless OSV's copy is as new) and
/// links it to `repo`, inside the forge batch's transaction.
pub(crate) fn link_forge_advisory(tx: &Db, repo: RepoId, record: &Record) -> Result<(), DbError> {
    let text = serde_json::to_string(record).unwrap_or_default();
    tx.execute(
        "INSERT INTO advisories (id, modified, record, fetched_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (id) DO UPDATE SET modified = excluded.modified, record = excluded.record,
             fetched_at = excluded.fetched_at
         WHERE advisories.modified < excluded.modified",
        params![record.id, record.modified, text, crate::forge::now()],
    )?;
    tx.execute(
        "INSERT INTO repo_advisories (repo_id, advisory_id, source) VALUES (?1, ?2, 'forge')
         ON CONFLICT (repo_id, advisory_id) DO NOTHING",
        params![repo.0, record.id],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::advisories::CachedAdvisory;

    #[test]
    fn records_round_trip_and_a_newer_one_replaces_the_older() {
        let (_dir, stores) = crate::test_stores("advisories");
        for store in &stores {
            assert_eq!(store.cached_advisory("GHSA-x").expect("reads"), None);
            let old = CachedAdvisory {
                modified: "2024-01-01T00:00:00Z".into(),
                record: r#"{"id":"GHSA-x"}"#.into(),
            };
            store.cache_advisory("GHSA-x", &old, 10).expect("writes");
            assert_eq!(store.cached_advisory("GHSA-x").expect("reads"), Some(old));
            let new = CachedAdvisory {
                modified: "2024-06-01T00:00:00Z".into(),
                record: r#"{"id":"GHSA-x","aliases":["CVE-1"]}"#.into(),
            };
            store.cache_advisory("GHSA-x", &new, 20).expect("replaces");
            assert_eq!(
                store.cached_advisory("GHSA-x").expect("reads"),
                Some(new.clone())
            );
            let all = store.cached_advisories().expect("reads");
            assert_eq!(all, [("GHSA-x".to_owned(), new.record)]);
        }
    }
}
