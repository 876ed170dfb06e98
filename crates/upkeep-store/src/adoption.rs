//! What adoption is computed from, per repository: every reading of its
//! signals (kept, so that a signal can be compared with a year before), its
//! forks as last listed, and when it was last checked.

use crate::db::params;
use crate::{RepoId, Store, StoreError};

/// One reading of an adoption signal.
#[derive(Clone, Debug, PartialEq)]
pub struct AdoptionReading {
    /// `stars`, `forks`, `watchers`, `downloads_total`, `dependents`, …
    pub signal: String,
    /// The repository or package it is of.
    pub subject: String,
    /// When it was read, seconds since the epoch.
    pub read_at: i64,
    /// Its value; `None` when unavailable.
    pub value: Option<f64>,
    /// Where it comes from.
    pub source: String,
    /// Why it is unavailable.
    pub reason: Option<String>,
}

/// A fork as last listed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForkRecord {
    /// `owner/name`.
    pub name: String,
    /// When it was last pushed, seconds since the epoch.
    pub pushed: i64,
    /// Commits the upstream does not have, if compared.
    pub ahead_by: Option<i64>,
}

/// A repository's last adoption check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdoptionCheck {
    /// When, seconds since the epoch.
    pub checked_at: i64,
    /// Why its forks could not be listed, if they could not.
    pub forks_error: Option<String>,
    /// Its forks as last listed, most recently pushed first.
    pub forks: Vec<ForkRecord>,
}

impl Store {
    /// Records one adoption check of `repo` at `at`: its readings, and its
    /// forks (replacing those listed before) or why they could not be listed.
    pub fn record_adoption(
        &self,
        repo: RepoId,
        at: i64,
        readings: &[AdoptionReading],
        forks: Result<&[ForkRecord], &str>,
    ) -> Result<(), StoreError> {
        self.conn
            .transaction(|tx| {
                for r in readings {
                    tx.execute(
                        "INSERT INTO adoption_readings (repo_id, signal, subject, read_at, value, source, reason)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                         ON CONFLICT (repo_id, signal, subject, read_at) DO UPDATE SET
                             value = excluded.value, source = excluded.source, reason = excluded.reason",
                        params![repo.0, r.signal, r.subject, r.read_at, r.value, r.source, r.reason],
                    )?;
                }
                if let Ok(forks) = forks {
                    tx.execute("DELETE FROM repo_forks WHERE repo_id = ?1", params![repo.0])?;
                    for f in forks {
                        tx.execute(
                            "INSERT INTO repo_forks (repo_id, name, pushed, ahead_by) VALUES (?1, ?2, ?3, ?4)
                             ON CONFLICT (repo_id, name) DO NOTHING",
                            params![repo.0, f.name, f.pushed, f.ahead_by],
                        )?;
                    }
                }
                tx.execute(
                    "INSERT INTO adoption_checks (repo_id, checked_at, forks_error) VALUES (?1, ?2, ?3)
                     ON CONFLICT (repo_id) DO UPDATE SET checked_at = excluded.checked_at,
                         forks_error = excluded.forks_error",
                    params![repo.0, at, forks.err()],
                )?;
                Ok::<(), crate::DbError>(())
            })
            .map_err(StoreError::while_doing("recording an adoption check"))
    }

    /// Every reading of `repo`'s adoption signals, oldest first.
    pub fn adoption_readings(&self, repo: RepoId) -> Result<Vec<AdoptionReading>, StoreError> {
        self.conn
            .query_map(
                "SELECT signal, subject, read_at, value, source, reason FROM adoption_readings
                 WHERE repo_id = ?1 ORDER BY read_at, signal, subject",
                params![repo.0],
                |r| {
                    Ok(AdoptionReading {
                        signal: r.get(0)?,
                        subject: r.get(1)?,
                        read_at: r.get(2)?,
                        value: r.get(3)?,
                        source: r.get(4)?,
                        reason: r.get(5)?,
                    })
                },
            )
            .map_err(StoreError::while_doing("reading adoption signals"))
    }

    /// `repo`'s last adoption check, if it had one.
    pub fn adoption_check(&self, repo: RepoId) -> Result<Option<AdoptionCheck>, StoreError> {
        let err = StoreError::while_doing("reading an adoption check");
        let check = self
            .conn
            .query_opt(
                "SELECT checked_at, forks_error FROM adoption_checks WHERE repo_id = ?1",
                params![repo.0],
                |r| Ok((r.get::<i64>(0)?, r.get::<Option<String>>(1)?)),
            )
            .map_err(err)?;
        let Some((at, forks_error)) = check else {
            return Ok(None);
        };
        let forks = self
            .conn
            .query_map(
                "SELECT name, pushed, ahead_by FROM repo_forks WHERE repo_id = ?1
                 ORDER BY pushed DESC, name",
                params![repo.0],
                |r| {
                    Ok(ForkRecord {
                        name: r.get(0)?,
                        pushed: r.get(1)?,
                        ahead_by: r.get(2)?,
                    })
                },
            )
            .map_err(StoreError::while_doing("reading forks"))?;
        Ok(Some(AdoptionCheck {
            checked_at: at,
            forks_error,
            forks,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readings_forks_and_checks_round_trip() {
        let (_dir, stores) = crate::test_stores("adoption");
        for store in &stores {
            let repo = store
                .repository("https://github.com/acme/widget", "/tmp/w.git")
                .expect("a repository")
                .id;
            assert_eq!(store.adoption_check(repo).expect("check"), None);
            let reading = |at: i64, value: Option<f64>| AdoptionReading {
                signal: "stars".into(),
                subject: "acme/widget".into(),
                read_at: at,
                value,
                source: "github".into(),
                reason: value.is_none().then(|| "rate limited".into()),
            };
            let fork = ForkRecord {
                name: "ann/widget".into(),
                pushed: 50,
                ahead_by: Some(3),
            };
            store
                .record_adoption(
                    repo,
                    10,
                    &[reading(10, Some(7.5))],
                    Ok(std::slice::from_ref(&fork)),
                )
                .expect("first");
            // A later check that cannot list forks keeps the forks listed before.
            store
                .record_adoption(repo, 20, &[reading(20, None)], Err("forbidden"))
                .expect("second");
            assert_eq!(
                store.adoption_readings(repo).expect("readings"),
                vec![reading(10, Some(7.5)), reading(20, None)]
            );
            assert_eq!(
                store.adoption_check(repo).expect("check"),
                Some(AdoptionCheck {
                    checked_at: 20,
                    forks_error: Some("forbidden".into()),
                    forks: vec![fork]
                })
            );
        }
    }
}
