//! The package registries' public APIs (crates.io, npm, PyPI, the Go module
//! proxy), through one client that is polite: one request at a time per
//! registry with a pause between them, `Retry-After` honoured, server errors
//! and timeouts retried with backoff.

use crate::inventory::Mapping;
use crate::local::{go_escape, go_origin, npm_repository, pick_python_url};
use crate::purl::{Ecosystem, Purl};
use crate::repo_url;
use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The registries' base URLs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registries {
    /// crates.io (`/api/v1/crates/NAME`).
    pub crates_io: String,
    /// The npm registry (`/NAME/latest`).
    pub npm: String,
    /// PyPI (`/pypi/NAME/json`).
    pub pypi: String,
    /// A Go module proxy (`/MODULE/@v/VERSION.info`).
    pub go_proxy: String,
}

impl Default for Registries {
    fn default() -> Self {
        Registries {
            crates_io: "https://crates.io".into(),
            npm: "https://registry.npmjs.org".into(),
            pypi: "https://pypi.org".into(),
            go_proxy: "https://proxy.golang.org".into(),
        }
    }
}

/// How long to wait between two requests to each registry. The crates.io
/// crawler policy asks for at most one request a second to its API; npm,
/// PyPI and the Go module proxy are CDN-backed, publish no such limit and get
/// a short pause. `Retry-After` and 429 answers are honoured on top.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pauses {
    /// crates.io.
    pub crates_io: Duration,
    /// The npm registry.
    pub npm: Duration,
    /// PyPI.
    pub pypi: Duration,
    /// The Go module proxy.
    pub go_proxy: Duration,
}

impl Pauses {
    /// The defaults: 1 s for crates.io (its crawler policy), 20 ms for the others.
    pub const POLITE: Pauses = Pauses {
        crates_io: Duration::from_millis(1000),
        npm: Duration::from_millis(20),
        pypi: Duration::from_millis(20),
        go_proxy: Duration::from_millis(20),
    };

    /// The same pause for every registry.
    pub fn uniform(pause: Duration) -> Pauses {
        Pauses {
            crates_io: pause,
            npm: pause,
            pypi: pause,
            go_proxy: pause,
        }
    }

    fn of(&self, ecosystem: &Ecosystem) -> Duration {
        match ecosystem {
            Ecosystem::Cargo => self.crates_io,
            Ecosystem::Npm => self.npm,
            Ecosystem::PyPi => self.pypi,
            Ecosystem::Go | Ecosystem::Other(_) => self.go_proxy,
        }
    }
}

/// What a registry said about a package.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// It names this repository.
    Found(Mapping),
    /// It names none; why.
    Nothing(String),
}

/// A lookup that failed (after retries); worth trying again on a later run.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    /// The request could not be made or timed out.
    #[error("{url}: {message}")]
    Http {
        /// The URL asked.
        url: String,
        /// What went wrong.
        message: String,
    },
    /// The registry answered with an error status.
    #[error("{url}: HTTP {status}")]
    Status {
        /// The URL asked.
        url: String,
        /// The status code.
        status: u16,
    },
    /// The answer was not the JSON expected.
    #[error("{url}: the answer is not valid JSON ({message})")]
    Json {
        /// The URL asked.
        url: String,
        /// What the parser said.
        message: String,
    },
}

/// The client.
pub struct RegistryClient {
    http: reqwest::blocking::Client,
    registries: Registries,
    pauses: Pauses,
    /// When each registry (by its name) may next be asked.
    next_slot: Mutex<HashMap<&'static str, Instant>>,
    /// Registries that could not be reached after every attempt: not asked again this run.
    unreachable: Mutex<HashMap<String, String>>,
    requests: AtomicUsize,
}

/// How many times a request is tried before giving up.
const ATTEMPTS: u32 = 4;
/// The longest `Retry-After` honoured; beyond it the lookup fails for this run.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

impl RegistryClient {
    /// A client for `registries`, pausing between two requests to the same registry as `pauses` say.
    pub fn new(registries: Registries, pauses: Pauses) -> Result<Self, RegistryError> {
        let http = reqwest::blocking::Client::builder()
            .user_agent(concat!(
                "upkeep/",
                env!("CARGO_PKG_VERSION"),
                " (https://github.com/upkeep-dev/upkeep)"
            ))
            .timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| RegistryError::Http {
                url: String::new(),
                message: e.to_string(),
            })?;
        Ok(RegistryClient {
            http,
            registries,
            pauses,
            next_slot: Mutex::new(HashMap::new()),
            unreachable: Mutex::new(HashMap::new()),
            requests: AtomicUsize::new(0),
        })
    }

    /// Requests sent so far (retries included).
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::Relaxed)
    }

    /// Which registry answers for `ecosystem`, as recorded with a mapping.
    pub fn source_name(ecosystem: &Ecosystem) -> Option<&'static str> {
        match ecosystem {
            Ecosystem::Cargo => Some("crates.io"),
            Ecosystem::Npm => Some("npm"),
            Ecosystem::PyPi => Some("PyPI"),
            Ecosystem::Go => Some("Go module proxy"),
            Ecosystem::Other(_) => None,
        }
    }

    /// Asks the registry of `purl` which repository the package comes from;
    /// `None` for ecosystems without a registry here.
    pub fn lookup(&self, purl: &Purl) -> Option<Result<Answer, RegistryError>> {
        let source = Self::source_name(&purl.ecosystem)?;
        let r = &self.registries;
        let url = match purl.ecosystem {
            Ecosystem::Cargo => format!("{}/api/v1/crates/{}", r.crates_io, purl.name),
            Ecosystem::Npm => format!("{}/{}/latest", r.npm, purl.name.replace('/', "%2f")),
            Ecosystem::PyPi => format!("{}/pypi/{}/json", r.pypi, purl.name),
            Ecosystem::Go => match purl.version.as_deref() {
                Some(v) => format!(
                    "{}/{}/@v/{}.info",
                    r.go_proxy,
                    go_escape(&purl.name),
                    go_escape(v)
                ),
                None => format!("{}/{}/@latest", r.go_proxy, go_escape(&purl.name)),
            },
            Ecosystem::Other(_) => return None,
        };
        let found = |repository: Option<String>| match repository {
            Some(repository) => Answer::Found(Mapping {
                repository,
                source: source.into(),
            }),
            None => Answer::Nothing(format!("{source} names no source repository")),
        };
        let pause = (source, self.pauses.of(&purl.ecosystem));
        Some(self.get_json(&url, pause).map(|doc| match doc {
            None => Answer::Nothing(format!("not found on {source}")),
            Some(doc) => found(match purl.ecosystem {
                Ecosystem::Cargo => {
                    let krate = &doc["crate"];
                    krate["repository"]
                        .as_str()
                        .and_then(repo_url::normalize)
                        .or_else(|| {
                            krate["homepage"]
                                .as_str()
                                .and_then(repo_url::normalize_forge)
                        })
                }
                Ecosystem::Npm => npm_repository(&doc),
                Ecosystem::PyPi => {
                    let info = &doc["info"];
                    let mut urls: Vec<(String, String)> = info["project_urls"]
                        .as_object()
                        .into_iter()
                        .flatten()
                        .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                        .collect();
                    if let Some(home) = info["home_page"].as_str() {
                        urls.push(("Homepage".into(), home.to_owned()));
                    }
                    pick_python_url(&urls)
                }
                _ => go_origin(&doc),
            }),
        }))
    }

    /// GETs `url` as JSON: `None` for 404/410. `pause` names the registry and
    /// how long to wait between two of its requests.
    fn get_json(
        &self,
        url: &str,
        pause: (&'static str, Duration),
    ) -> Result<Option<serde_json::Value>, RegistryError> {
        let host = url.split('/').take(3).collect::<Vec<_>>().join("/");
        if let Some(message) = self
            .unreachable
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&host)
        {
            return Err(RegistryError::Http {
                url: url.to_owned(),
                message: format!(
                    "not asked: {host} was unreachable earlier in this run ({message})"
                ),
            });
        }
        let mut backoff = Duration::from_millis(500);
        let mut attempt = 0;
        loop {
            attempt += 1;
            self.wait_for_slot(pause);
            self.requests.fetch_add(1, Ordering::Relaxed);
            let response = self
                .http
                .get(url)
                .header("Accept", "application/json")
                .send();
            let retry = |message: String| RegistryError::Http {
                url: url.to_owned(),
                message,
            };
            let response = match response {
                Ok(r) => r,
                Err(e) if attempt < ATTEMPTS && (e.is_timeout() || e.is_connect()) => {
                    std::thread::sleep(backoff);
                    backoff *= 2;
                    continue;
                }
                Err(e) => {
                    if e.is_timeout() || e.is_connect() {
                        self.unreachable
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner)
                            .insert(host, e.to_string());
                    }
                    return Err(retry(e.to_string()));
                }
            };
            let status = response.status().as_u16();
            match status {
                200..=299 => {
                    let bytes = response.bytes().map_err(|e| retry(e.to_string()))?;
                    return serde_json::from_slice(&bytes).map(Some).map_err(|e| {
                        RegistryError::Json {
                            url: url.to_owned(),
                            message: e.to_string(),
                        }
                    });
                }
                404 | 410 => return Ok(None),
                429 | 500..=599 if attempt < ATTEMPTS => {
                    let retry_after = response
                        .headers()
                        .get("retry-after")
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.trim().parse::<u64>().ok())
                        .map(Duration::from_secs);
                    match retry_after {
                        Some(wait) if wait > MAX_RETRY_AFTER => {
                            return Err(RegistryError::Status {
                                url: url.to_owned(),
                                status,
                            });
                        }
                        Some(wait) => std::thread::sleep(wait),
                        None => {
                            std::thread::sleep(backoff);
                            backoff *= 2;
                        }
                    }
                }
                _ => {
                    return Err(RegistryError::Status {
                        url: url.to_owned(),
                        status,
                    });
                }
            }
        }
    }

    /// Blocks until this client may send the next request to the registry `pause` names.
    fn wait_for_slot(&self, (registry, pause): (&'static str, Duration)) {
        let wait = {
            let mut slots = self
                .next_slot
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let now = Instant::now();
            let slot = slots.get(registry).copied().unwrap_or(now).max(now);
            slots.insert(registry, slot + pause);
            slot - now
        };
        if !wait.is_zero() {
            std::thread::sleep(wait);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crates_io_gets_its_crawler_pause_and_the_others_a_short_one() {
        let p = Pauses::POLITE;
        assert_eq!(p.of(&Ecosystem::Cargo), Duration::from_secs(1));
        for e in [Ecosystem::Npm, Ecosystem::PyPi, Ecosystem::Go] {
            assert_eq!(p.of(&e), Duration::from_millis(20));
        }
        assert_eq!(
            Pauses::uniform(Duration::from_millis(5)).of(&Ecosystem::Cargo),
            Duration::from_millis(5)
        );
    }
}
