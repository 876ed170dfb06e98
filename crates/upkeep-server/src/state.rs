//! What the server knows: the store's path, the configuration, the projects,
//! and answers computed before, each with the data version it was made from.

use clru::{CLruCache, CLruCacheConfig, WeightScale};
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};
use upkeep_app::config::Config;
use upkeep_core::documents::Report;
use upkeep_store::{Location, Store};

/// A project the server shows: a name and its repositories.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Project {
    /// Its name in URLs.
    pub name: String,
    /// Its repositories: paths or URLs, as configured.
    pub repositories: Vec<String>,
    /// How the store knows them, resolved once at start.
    #[serde(skip)]
    pub locations: Vec<String>,
}

/// An answer computed before: its body, content type, and ETag.
#[derive(Clone, Debug)]
pub(crate) struct Answer {
    pub(crate) body: Vec<u8>,
    pub(crate) content_type: &'static str,
    pub(crate) etag: String,
}

/// The server's state, shared by every request.
pub struct State {
    /// The store, opened read-only per request.
    pub db: Location,
    /// The configuration (projects, organization, goals).
    pub config: Config,
    /// The projects shown.
    pub projects: Vec<Project>,
    /// Ledger answers by request, with the data version they were computed
    /// from; at most [`CACHE_BYTES`], the least recently used forgotten first.
    pub(crate) cache: Mutex<Answers>,
    /// Reports by project and window, with their data version: pages, badges,
    /// the index and `/metrics` share them; at most [`CACHE_BYTES`] (as JSON).
    pub(crate) reports: Mutex<Reports>,
    /// Computations allowed at once (reports, ledgers, pages): one per core, at least 2.
    pub(crate) computing: Arc<tokio::sync::Semaphore>,
}

/// The most bytes each of the server's caches holds: however many windows
/// are asked for, the server's memory stays bounded.
pub const CACHE_BYTES: usize = 64 << 20;

/// Remembered answers: request → (data version, answer).
pub(crate) type Answers = CLruCache<String, (String, Answer), std::hash::RandomState, AnswerBytes>;

/// Remembered reports: project and window → (data version, report, its size in bytes).
pub(crate) type Reports =
    CLruCache<String, (String, Arc<Report>, usize), std::hash::RandomState, ReportBytes>;

/// An answer's weight: its bytes.
pub(crate) struct AnswerBytes;

impl WeightScale<String, (String, Answer)> for AnswerBytes {
    fn weight(&self, key: &String, value: &(String, Answer)) -> usize {
        key.len() + value.0.len() + value.1.body.len()
    }
}

/// A report's weight: the size of its JSON, measured once when it is made.
pub(crate) struct ReportBytes;

impl WeightScale<String, (String, Arc<Report>, usize)> for ReportBytes {
    fn weight(&self, key: &String, value: &(String, Arc<Report>, usize)) -> usize {
        key.len() + value.0.len() + value.2
    }
}

/// An empty cache of at most `bytes`.
fn cache<V, W: WeightScale<String, V>>(
    bytes: usize,
    scale: W,
) -> CLruCache<String, V, std::hash::RandomState, W> {
    let capacity = NonZeroUsize::new(bytes.max(1)).unwrap_or(NonZeroUsize::MIN);
    CLruCache::with_config(CLruCacheConfig::new(capacity).with_scale(scale))
}

impl State {
    /// The state for the store at `db` with `config`: its `[[projects]]`, or
    /// when it names none, every mined repository as a project of its own.
    pub fn new(db: impl Into<Location>, config: Config) -> anyhow::Result<State> {
        let db = db.into();
        let mut projects: Vec<Project> = config
            .projects
            .iter()
            .map(|p| {
                let locations = p
                    .repositories
                    .iter()
                    .map(|r| upkeep_app::project::location(r))
                    .collect::<anyhow::Result<_>>()?;
                Ok(Project {
                    name: p.name.clone(),
                    repositories: p.repositories.clone(),
                    locations,
                })
            })
            .collect::<anyhow::Result<_>>()?;
        if projects.is_empty() {
            let store = Store::open_read_only_at(&db)?;
            for r in store.repositories()? {
                let trimmed = r.location.trim_end_matches('/').trim_end_matches(".git");
                let name = trimmed
                    .rsplit(['/', '\\'])
                    .next()
                    .unwrap_or(trimmed)
                    .to_owned();
                projects.push(Project {
                    name,
                    repositories: vec![r.location.clone()],
                    locations: vec![r.location.clone()],
                });
            }
        }
        Ok(State {
            db,
            config,
            projects,
            cache: Mutex::new(cache(CACHE_BYTES, AnswerBytes)),
            reports: Mutex::new(cache(CACHE_BYTES, ReportBytes)),
            computing: Arc::new(tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, |n| n.get().max(2)),
            )),
        })
    }

    /// The project named `name`.
    pub(crate) fn project(&self, name: &str) -> Option<&Project> {
        self.projects.iter().find(|p| p.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_answers_cache_keeps_to_its_bytes_least_recent_out_first() {
        // 250 bytes: answers of 100-byte bodies (and 2-byte keys and versions)
        // fit twice; the third pushes out the least recently used.
        let mut answers = cache(250, AnswerBytes);
        let made = |n: u8| Answer {
            body: vec![n; 100],
            content_type: "text/plain",
            etag: String::new(),
        };
        for n in 0..3u8 {
            let _ = answers.put_with_weight(format!("k{n}"), ("v".into(), made(n)));
            if n == 1 {
                // k0 used again: k1 becomes the least recent.
                assert!(answers.get("k0").is_some());
            }
        }
        assert_eq!(answers.len(), 2);
        assert!(answers.weight() <= 250);
        assert!(answers.get("k1").is_none());
        assert!(answers.get("k0").is_some() && answers.get("k2").is_some());
        // An answer larger than the whole cache is not kept.
        let big = Answer {
            body: vec![0; 1000],
            ..made(9)
        };
        assert!(
            answers
                .put_with_weight("big".into(), ("v".into(), big))
                .is_err()
        );
    }
}
