//! The registry lookup cache: which repository a package comes from, as a
//! registry answered, and when.

use crate::db::params;
use crate::{Store, StoreError};

/// A registry's answer for one package.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lookup {
    /// The normalized repository URL, or `None` if the registry names none.
    pub repository: Option<String>,
    /// Who answered (e.g. "crates.io").
    pub source: String,
    /// Why there is no repository, when there is none.
    pub reason: Option<String>,
    /// When, in seconds since the epoch.
    pub looked_up_at: i64,
}

impl Store {
    /// The cached answer for `name` in `ecosystem` (a package URL type), if any.
    pub fn cached_lookup(&self, ecosystem: &str, name: &str) -> Result<Option<Lookup>, StoreError> {
        self.conn
            .query_opt(
                "SELECT repository, source, reason, looked_up_at FROM package_repositories
                 WHERE ecosystem = ?1 AND name = ?2",
                params![ecosystem, name],
                |r| {
                    Ok(Lookup {
                        repository: r.get(0)?,
                        source: r.get(1)?,
                        reason: r.get(2)?,
                        looked_up_at: r.get(3)?,
                    })
                },
            )
            .map_err(StoreError::while_doing("reading the registry cache"))
    }

    /// Records (or replaces) the answer for `name` in `ecosystem`.
    pub fn cache_lookup(
        &self,
        ecosystem: &str,
        name: &str,
        lookup: &Lookup,
    ) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO package_repositories
                 (ecosystem, name, repository, source, reason, looked_up_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (ecosystem, name) DO UPDATE SET repository = excluded.repository,
                     source = excluded.source, reason = excluded.reason, looked_up_at = excluded.looked_up_at",
                params![
                    ecosystem,
                    name,
                    lookup.repository,
                    lookup.source,
                    lookup.reason,
                    lookup.looked_up_at
                ],
            )
            .map(drop)
            .map_err(StoreError::while_doing("writing the registry cache"))
    }
}

#[cfg(test)]
mod tests {
    use crate::{Lookup, Store};

    #[test]
    fn answers_round_trip_and_replace() {
        let (_dir, stores) = crate::test_stores("packages");
        for store in &stores {
            answers_on(store);
        }
    }

    fn answers_on(store: &Store) {
        assert_eq!(store.cached_lookup("npm", "ms").expect("reads"), None);
        let none = Lookup {
            repository: None,
            source: "npm".into(),
            reason: Some("not found on npm".into()),
            looked_up_at: 10,
        };
        store.cache_lookup("npm", "ms", &none).expect("writes");
        assert_eq!(store.cached_lookup("npm", "ms").expect("reads"), Some(none));
        let found = Lookup {
            repository: Some("https://github.com/vercel/ms".into()),
            source: "npm".into(),
            reason: None,
            looked_up_at: 20,
        };
        store.cache_lookup("npm", "ms", &found).expect("writes");
        assert_eq!(
            store.cached_lookup("npm", "ms").expect("reads"),
            Some(found)
        );
    }
}
