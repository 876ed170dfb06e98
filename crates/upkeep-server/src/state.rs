//! What the server knows: the store's path, the configuration, the projects,
//! and answers computed before, each with the data version it was made from.

use std::collections::HashMap;
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
    /// Ledger answers by request, with the data version they were computed from.
    pub(crate) cache: Mutex<HashMap<String, (String, Answer)>>,
    /// Reports by project and window, with their data version: pages, badges,
    /// the index and `/metrics` share them.
    pub(crate) reports: Mutex<HashMap<String, (String, Arc<Report>)>>,
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
            cache: Mutex::new(HashMap::new()),
            reports: Mutex::new(HashMap::new()),
        })
    }

    /// The project named `name`.
    pub(crate) fn project(&self, name: &str) -> Option<&Project> {
        self.projects.iter().find(|p| p.name == name)
    }
}
