//! What the security response is computed from, per repository: the
//! packages it publishes (with where each was seen), the advisories naming
//! them (their records in the advisory cache), when each version of a
//! package was published, and its last advisory check.

use crate::db::params;
use crate::{RepoId, Store, StoreError};

/// A repository's last advisory check.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AdvisoryCheckRecord {
    /// When the last complete check ended; `None` if none ever did.
    pub checked_at: Option<i64>,
    /// Why the last attempt could not ask OSV, if it could not.
    pub error: Option<String>,
    /// Records that could not be read: (id, why).
    pub skipped: Vec<(String, String)>,
}

/// A version of a package and when its registry says it was published.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublishedVersion {
    /// The version.
    pub version: String,
    /// When, seconds since the epoch.
    pub published: i64,
    /// The registry.
    pub source: String,
}

impl Store {
    /// Replaces the packages `repo` publishes: (package URL, where seen).
    pub fn set_repo_packages(
        &self,
        repo: RepoId,
        packages: &[(String, String)],
    ) -> Result<(), StoreError> {
        self.conn
            .transaction(|tx| {
                tx.execute(
                    "DELETE FROM repo_packages WHERE repo_id = ?1",
                    params![repo.0],
                )?;
                for (purl, source) in packages {
                    tx.execute(
                        "INSERT INTO repo_packages (repo_id, purl, source) VALUES (?1, ?2, ?3)
                         ON CONFLICT (repo_id, purl) DO NOTHING",
                        params![repo.0, purl, source],
                    )?;
                }
                Ok::<(), crate::DbError>(())
            })
            .map_err(StoreError::while_doing("writing a repository's packages"))
    }

    /// The packages `repo` publishes: (package URL, where seen), by package URL.
    pub fn repo_packages(&self, repo: RepoId) -> Result<Vec<(String, String)>, StoreError> {
        self.conn
            .query_map(
                "SELECT purl, source FROM repo_packages WHERE repo_id = ?1 ORDER BY purl",
                params![repo.0],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(StoreError::while_doing("reading a repository's packages"))
    }

    /// The packages whose registry named `repository` (a normalized URL)
    /// when `deps` traced them: (package URL type, name, registry).
    pub fn packages_naming(
        &self,
        repository: &str,
    ) -> Result<Vec<(String, String, String)>, StoreError> {
        self.conn
            .query_map(
                "SELECT ecosystem, name, source FROM package_repositories
                 WHERE repository = ?1 ORDER BY ecosystem, name",
                params![repository],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .map_err(StoreError::while_doing("reading the registry cache"))
    }

    /// Replaces the advisories OSV lists for `repo`'s packages (the forge's
    /// own stay linked).
    pub fn set_osv_advisories(&self, repo: RepoId, ids: &[String]) -> Result<(), StoreError> {
        self.conn
            .transaction(|tx| {
                tx.execute(
                    "DELETE FROM repo_advisories WHERE repo_id = ?1 AND source = 'osv'",
                    params![repo.0],
                )?;
                for id in ids {
                    tx.execute(
                        "INSERT INTO repo_advisories (repo_id, advisory_id, source) VALUES (?1, ?2, 'osv')
                         ON CONFLICT (repo_id, advisory_id) DO NOTHING",
                        params![repo.0, id],
                    )?;
                }
                Ok::<(), crate::DbError>(())
            })
            .map_err(StoreError::while_doing("linking advisories to a repository"))
    }

    /// The cached records of every advisory linked to `repo`: (id, JSON).
    pub fn repo_advisory_records(&self, repo: RepoId) -> Result<Vec<(String, String)>, StoreError> {
        self.conn
            .query_map(
                "SELECT a.id, a.record FROM repo_advisories l JOIN advisories a ON a.id = l.advisory_id
                 WHERE l.repo_id = ?1 ORDER BY a.id",
                params![repo.0],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(StoreError::while_doing("reading a repository's advisories"))
    }

    /// Records when versions of the package `purl` (no version) were
    /// published, as `source` says.
    pub fn record_versions(
        &self,
        purl: &str,
        versions: &[(String, i64)],
        source: &str,
    ) -> Result<(), StoreError> {
        self.conn
            .transaction(|tx| {
                for (version, published) in versions {
                    tx.execute(
                        "INSERT INTO package_versions (purl, version, published, source)
                         VALUES (?1, ?2, ?3, ?4)
                         ON CONFLICT (purl, version) DO UPDATE SET published = excluded.published,
                             source = excluded.source",
                        params![purl, version, published, source],
                    )?;
                }
                Ok::<(), crate::DbError>(())
            })
            .map_err(StoreError::while_doing("writing package versions"))
    }

    /// When each known version of the package `purl` was published.
    pub fn package_versions(&self, purl: &str) -> Result<Vec<PublishedVersion>, StoreError> {
        self.conn
            .query_map(
                "SELECT version, published, source FROM package_versions WHERE purl = ?1
                 ORDER BY published, version",
                params![purl],
                |r| {
                    Ok(PublishedVersion {
                        version: r.get(0)?,
                        published: r.get(1)?,
                        source: r.get(2)?,
                    })
                },
            )
            .map_err(StoreError::while_doing("reading package versions"))
    }

    /// Records `repo`'s last advisory check.
    pub fn set_advisory_check(
        &self,
        repo: RepoId,
        check: &AdvisoryCheckRecord,
    ) -> Result<(), StoreError> {
        let skipped = serde_json::to_string(&check.skipped).unwrap_or_else(|_| "[]".into());
        self.conn
            .execute(
                "INSERT INTO advisory_checks (repo_id, checked_at, error, skipped) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (repo_id) DO UPDATE SET
                     checked_at = COALESCE(excluded.checked_at, advisory_checks.checked_at),
                     error = excluded.error, skipped = excluded.skipped",
                params![repo.0, check.checked_at, check.error, skipped],
            )
            .map(drop)
            .map_err(StoreError::while_doing("recording an advisory check"))
    }

    /// `repo`'s last advisory check, if it had one.
    pub fn advisory_check(&self, repo: RepoId) -> Result<Option<AdvisoryCheckRecord>, StoreError> {
        self.conn
            .query_opt(
                "SELECT checked_at, error, skipped FROM advisory_checks WHERE repo_id = ?1",
                params![repo.0],
                |r| {
                    Ok(AdvisoryCheckRecord {
                        checked_at: r.get(0)?,
                        error: r.get(1)?,
                        skipped: serde_json::from_str(&r.get::<String>(2)?).unwrap_or_default(),
                    })
                },
            )
            .map_err(StoreError::while_doing("reading an advisory check"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packages_links_versions_and_checks_round_trip() {
        let (_dir, stores) = crate::test_stores("security");
        for store in &stores {
            let repo = store
                .repository("https://github.com/urllib3/urllib3", "/tmp/u.git")
                .expect("a repository")
                .id;
            let packages = [("pkg:pypi/urllib3".to_owned(), "pyproject.toml".to_owned())];
            store.set_repo_packages(repo, &packages).expect("writes");
            store.set_repo_packages(repo, &packages).expect("replaces");
            assert_eq!(store.repo_packages(repo).expect("reads"), packages);
            let record = crate::CachedAdvisory {
                modified: "2023-10-10T00:00:00Z".into(),
                record: r#"{"id":"PYSEC-2023-192"}"#.into(),
            };
            store
                .cache_advisory("PYSEC-2023-192", &record, 1)
                .expect("caches");
            store
                .set_osv_advisories(repo, &["PYSEC-2023-192".into(), "NOT-CACHED".into()])
                .expect("links");
            assert_eq!(
                store.repo_advisory_records(repo).expect("reads"),
                [("PYSEC-2023-192".to_owned(), record.record.clone())]
            );
            store
                .record_versions(
                    "pkg:pypi/urllib3",
                    &[("1.26.17".into(), 1_696_267_350)],
                    "PyPI",
                )
                .expect("writes");
            let versions = store.package_versions("pkg:pypi/urllib3").expect("reads");
            assert_eq!(versions.len(), 1);
            assert_eq!(
                (versions[0].published, versions[0].source.as_str()),
                (1_696_267_350, "PyPI")
            );
            assert_eq!(store.advisory_check(repo).expect("reads"), None);
            let done = AdvisoryCheckRecord {
                checked_at: Some(100),
                error: None,
                skipped: vec![("BAD".into(), "not JSON".into())],
            };
            store.set_advisory_check(repo, &done).expect("writes");
            // A later failed attempt keeps the time of the last complete check.
            let failed = AdvisoryCheckRecord {
                checked_at: None,
                error: Some("OSV unreachable".into()),
                skipped: Vec::new(),
            };
            store.set_advisory_check(repo, &failed).expect("writes");
            let read = store.advisory_check(repo).expect("reads").expect("a check");
            assert_eq!(read.checked_at, Some(100));
            assert_eq!(read.error.as_deref(), Some("OSV unreachable"));
        }
    }
}
