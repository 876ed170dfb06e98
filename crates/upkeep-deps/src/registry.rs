//! The package registries' public APIs (crates.io, npm, PyPI, the Go module
//! proxy), through the one polite HTTP client ([`upkeep_http`]), one per
//! registry: a pause between two requests to it, `Retry-After` honoured (up
//! to a minute), server errors, timeouts and refused connections retried with
//! backoff, and a registry that cannot be reached not asked again in the run.

use crate::local::{go_escape, go_origin, npm_repository, pick_python_url};
use std::time::Duration;
use upkeep_core::portfolio::inventory::Mapping;
use upkeep_core::portfolio::purl::{Ecosystem, Purl};
use upkeep_core::portfolio::repo_url;
use upkeep_http::{Client, Options};

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
    /// The request could not be made, timed out, or the registry answered with an error status.
    #[error(transparent)]
    Http(#[from] upkeep_http::Error),
    /// The answer was not the JSON expected.
    #[error("{url}: the answer is not valid JSON ({message})")]
    Json {
        /// The URL asked.
        url: String,
        /// What the parser said.
        message: String,
    },
}

/// The client: one HTTP client per registry.
pub struct RegistryClient {
    crates_io: Client,
    npm: Client,
    pypi: Client,
    go_proxy: Client,
}

/// How many times a request is tried before giving up.
const ATTEMPTS: u32 = 4;
/// The longest `Retry-After` honoured; beyond it the lookup fails for this run.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

impl RegistryClient {
    /// A client for `registries`, pausing between two requests to the same registry as `pauses` say.
    pub fn new(registries: Registries, pauses: Pauses) -> Result<Self, RegistryError> {
        let client = |base: &str, pause: Duration| {
            let mut options = Options::new(base, None);
            options.pause = pause;
            options.retries = ATTEMPTS - 1;
            options.connect_retries = ATTEMPTS - 1;
            options.backoff = Duration::from_millis(500);
            options.secondary_wait = Duration::from_secs(1);
            options.max_wait = Some(MAX_RETRY_AFTER);
            options.timeout = Duration::from_secs(30);
            // A registry's document of one package; the largest npm ones are tens of MB.
            options.max_body = 64 << 20;
            Client::new(options)
        };
        Ok(RegistryClient {
            crates_io: client(&registries.crates_io, pauses.crates_io)?,
            npm: client(&registries.npm, pauses.npm)?,
            pypi: client(&registries.pypi, pauses.pypi)?,
            go_proxy: client(&registries.go_proxy, pauses.go_proxy)?,
        })
    }

    /// Requests sent so far (retries included).
    pub fn requests(&self) -> usize {
        [&self.crates_io, &self.npm, &self.pypi, &self.go_proxy]
            .iter()
            .map(|c| c.requests())
            .sum::<u64>() as usize
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
        let (client, path) = match purl.ecosystem {
            Ecosystem::Cargo => (&self.crates_io, format!("/api/v1/crates/{}", purl.name)),
            Ecosystem::Npm => (
                &self.npm,
                format!("/{}/latest", purl.name.replace('/', "%2f")),
            ),
            Ecosystem::PyPi => (&self.pypi, format!("/pypi/{}/json", purl.name)),
            Ecosystem::Go => (
                &self.go_proxy,
                match purl.version.as_deref() {
                    Some(v) => format!("/{}/@v/{}.info", go_escape(&purl.name), go_escape(v)),
                    None => format!("/{}/@latest", go_escape(&purl.name)),
                },
            ),
            Ecosystem::Other(_) => return None,
        };
        let found = |repository: Option<String>| match repository {
            Some(repository) => Answer::Found(Mapping {
                repository,
                source: source.into(),
            }),
            None => Answer::Nothing(format!("{source} names no source repository")),
        };
        Some(get_json(client, &path).map(|doc| match doc {
            None => Answer::Nothing(format!("not found on {source}")),
            Some(doc) => found(repository_of(&purl.ecosystem, &doc)),
        }))
    }
}

impl RegistryClient {
    /// When the registry says each of `versions` of the package `name` in
    /// `ecosystem` was published (those it knows): npm's `time`, PyPI's
    /// earliest `upload_time_iso_8601`, crates.io's `created_at`, the Go
    /// proxy's `.info` `Time` (one request per version). `None` for
    /// ecosystems without a registry here.
    pub fn version_times(
        &self,
        ecosystem: &Ecosystem,
        name: &str,
        versions: &[String],
    ) -> Option<Result<Vec<(String, i64)>, RegistryError>> {
        let (client, path) = match ecosystem {
            Ecosystem::Cargo => (&self.crates_io, format!("/api/v1/crates/{name}")),
            Ecosystem::Npm => (&self.npm, format!("/{}", name.replace('/', "%2f"))),
            Ecosystem::PyPi => (&self.pypi, format!("/pypi/{name}/json")),
            Ecosystem::Go => return Some(self.go_times(name, versions)),
            Ecosystem::Other(_) => return None,
        };
        Some(get_json(client, &path).map(|doc| {
            doc.map(|doc| published_times(ecosystem, &doc, versions))
                .unwrap_or_default()
        }))
    }

    /// The Go proxy's `Time` of each version (`/MODULE/@v/vVERSION.info`).
    fn go_times(
        &self,
        module: &str,
        versions: &[String],
    ) -> Result<Vec<(String, i64)>, RegistryError> {
        let mut out = Vec::new();
        for version in versions {
            let tagged = format!("v{}", version.trim_start_matches('v'));
            let path = format!("/{}/@v/{}.info", go_escape(module), go_escape(&tagged));
            if let Some(time) =
                get_json(&self.go_proxy, &path)?.and_then(|doc| timestamp(doc["Time"].as_str()?))
            {
                out.push((version.clone(), time));
            }
        }
        Ok(out)
    }
}

/// The publish time of each of `versions` in a registry's document `doc`.
pub fn published_times(
    ecosystem: &Ecosystem,
    doc: &serde_json::Value,
    versions: &[String],
) -> Vec<(String, i64)> {
    let time_of = |version: &str| -> Option<i64> {
        match ecosystem {
            Ecosystem::Npm => timestamp(doc["time"][version].as_str()?),
            Ecosystem::PyPi => doc["releases"][version]
                .as_array()?
                .iter()
                .filter_map(|f| timestamp(f["upload_time_iso_8601"].as_str()?))
                .min(),
            Ecosystem::Cargo => doc["versions"]
                .as_array()?
                .iter()
                .find(|v| v["num"].as_str() == Some(version))
                .and_then(|v| timestamp(v["created_at"].as_str()?)),
            Ecosystem::Go | Ecosystem::Other(_) => None,
        }
    };
    versions
        .iter()
        .filter_map(|v| Some((v.clone(), time_of(v)?)))
        .collect()
}

/// An RFC 3339 time, in seconds since the epoch.
fn timestamp(text: &str) -> Option<i64> {
    text.parse::<jiff::Timestamp>().ok().map(|t| t.as_second())
}

/// The source repository a registry's answer `doc` about a package of
/// `ecosystem` names: crates.io's `repository` (else a forge `homepage`),
/// npm's `repository`, PyPI's project URLs and home page, the Go proxy's
/// `Origin`.
pub fn repository_of(ecosystem: &Ecosystem, doc: &serde_json::Value) -> Option<String> {
    match ecosystem {
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
        Ecosystem::Npm => npm_repository(doc),
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
        Ecosystem::Go => go_origin(doc),
        Ecosystem::Other(_) => None,
    }
}

/// GETs `path` of `client`'s registry as JSON: `None` for 404/410.
pub(crate) fn get_json(
    client: &Client,
    path: &str,
) -> Result<Option<serde_json::Value>, RegistryError> {
    let Some(bytes) = client.get_bytes(path, &mut |_| {})? else {
        return Ok(None);
    };
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|e| RegistryError::Json {
            url: format!("{}{path}", client.shown_base()),
            message: e.to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publish_times_in_each_registry_s_shape() {
        let versions = ["9.0.0".to_owned(), "4.2.2".to_owned(), "1.0.0".to_owned()];
        let npm = serde_json::json!({"time": {"created": "2012-01-01T00:00:00.000Z",
            "9.0.0": "2022-12-21T21:33:57.123Z", "4.2.2": "2015-03-26T16:10:04.000Z"}});
        assert_eq!(
            published_times(&Ecosystem::Npm, &npm, &versions),
            [
                ("9.0.0".to_owned(), 1_671_658_437),
                ("4.2.2".to_owned(), 1_427_386_204)
            ]
        );
        let pypi = serde_json::json!({"releases": {"1.0.0": [
            {"upload_time_iso_8601": "2023-10-02T17:22:34.932865Z"},
            {"upload_time_iso_8601": "2023-10-02T17:22:30.961276Z"}]}});
        assert_eq!(
            published_times(&Ecosystem::PyPi, &pypi, &versions),
            [("1.0.0".to_owned(), 1_696_267_350)],
            "the earliest file"
        );
        let crates = serde_json::json!({"versions": [{"num": "1.0.0", "created_at": "2020-01-01T00:00:00.5+00:00"}]});
        assert_eq!(
            published_times(&Ecosystem::Cargo, &crates, &versions),
            [("1.0.0".to_owned(), 1_577_836_800)]
        );
    }

    #[test]
    fn crates_io_gets_its_crawler_pause_and_the_others_a_short_one() {
        let p = Pauses::POLITE;
        assert_eq!(p.crates_io, Duration::from_secs(1));
        for pause in [p.npm, p.pypi, p.go_proxy] {
            assert_eq!(pause, Duration::from_millis(20));
        }
        assert_eq!(
            Pauses::uniform(Duration::from_millis(5)).crates_io,
            Duration::from_millis(5)
        );
    }
}
