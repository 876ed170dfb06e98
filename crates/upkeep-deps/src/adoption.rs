//! What registries say of a package's adoption: downloads and dependents,
//! each with its source, or `None` with the reason (never 0).
//!
//! - crates.io: `downloads` (all time) and `recent_downloads` (the last 90
//!   days) of `/api/v1/crates/NAME`; dependents from
//!   `/api/v1/crates/NAME/reverse_dependencies` (`meta.total`).
//! - npm: the downloads API (`/downloads/point/last-month/NAME`, and the
//!   daily `/downloads/range/last-year/NAME` summed).
//! - PyPI: its JSON API gives no download counts; said so.
//! - deps.dev (`/v3alpha/.../versions/VERSION:dependents`, the package's
//!   default version from `/v3/systems/SYSTEM/packages/NAME`): dependents
//!   for npm, Cargo and PyPI.

use crate::registry::get_json;
use std::cell::Cell;
use std::time::Duration;
use upkeep_core::portfolio::purl::{Ecosystem, Purl};
use upkeep_http::{Client, Options};

/// One figure of a package.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    /// `downloads_total`, `downloads_recent_90d`, `downloads_last_month`,
    /// `downloads_last_year`, `dependents`.
    pub signal: &'static str,
    /// Its value, or `None`.
    pub value: Option<f64>,
    /// Where it comes from.
    pub source: &'static str,
    /// Why there is no value.
    pub reason: Option<String>,
}

impl Figure {
    fn known(signal: &'static str, source: &'static str, value: Option<f64>, what: &str) -> Self {
        Figure {
            signal,
            value,
            source,
            reason: value.is_none().then(|| format!("{source} gave no {what}")),
        }
    }

    fn missing(signal: &'static str, source: &'static str, reason: String) -> Self {
        Figure {
            signal,
            value: None,
            source,
            reason: Some(reason),
        }
    }
}

/// The base URLs of the adoption services, and the pause between two
/// requests to crates.io (its crawler policy asks for one a second).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Services {
    /// crates.io.
    pub crates_io: String,
    /// npm's downloads API.
    pub npm_downloads: String,
    /// deps.dev.
    pub deps_dev: String,
    /// The pause between two requests to crates.io.
    pub crates_io_pause: Duration,
}

impl Default for Services {
    fn default() -> Self {
        Services {
            crates_io: "https://crates.io".into(),
            npm_downloads: "https://api.npmjs.org".into(),
            deps_dev: "https://api.deps.dev".into(),
            crates_io_pause: Duration::from_secs(1),
        }
    }
}

/// Clients of the adoption services: adoption is a signal, not a
/// dependency, so a service that cannot be reached fails at once (no retry
/// of the connection) and is not asked again in the run.
pub struct AdoptionClient {
    crates_io: Client,
    npm_downloads: Client,
    deps_dev: Client,
    deps_dev_down: Cell<Option<String>>,
}

impl AdoptionClient {
    /// Clients of `services`.
    pub fn new(services: &Services) -> Result<Self, upkeep_http::Error> {
        let client = |base: &str, pause: Duration| {
            let mut options = Options::new(base, None);
            options.pause = pause;
            options.retries = 2;
            options.connect_retries = 0;
            options.backoff = Duration::from_millis(300);
            options.timeout = Duration::from_secs(20);
            options.max_body = 8 << 20;
            Client::new(options)
        };
        Ok(AdoptionClient {
            crates_io: client(&services.crates_io, services.crates_io_pause)?,
            npm_downloads: client(&services.npm_downloads, Duration::ZERO)?,
            deps_dev: client(&services.deps_dev, Duration::ZERO)?,
            deps_dev_down: Cell::new(None),
        })
    }

    /// Every figure of `purl` the registries and services give (or why not).
    pub fn figures(&self, purl: &Purl) -> Vec<Figure> {
        let mut out = match purl.ecosystem {
            Ecosystem::Cargo => crates_io(&self.crates_io, &purl.name),
            Ecosystem::Npm => self.npm(&purl.name),
            Ecosystem::PyPi => vec![Figure::missing(
                "downloads",
                "PyPI",
                "PyPI's JSON API gives no download counts (pypistats and BigQuery do)".into(),
            )],
            _ => Vec::new(),
        };
        if let Some(system) = deps_dev_system(&purl.ecosystem) {
            out.push(self.dependents(system, &purl.name));
        }
        out
    }

    fn npm(&self, name: &str) -> Vec<Figure> {
        let escaped = name.replace('/', "%2f");
        let source = "npm downloads API";
        let month = match get_json(
            &self.npm_downloads,
            &format!("/downloads/point/last-month/{escaped}"),
        ) {
            Ok(doc) => Figure::known(
                "downloads_last_month",
                source,
                doc.and_then(|d| d["downloads"].as_f64()),
                "download count",
            ),
            Err(e) => Figure::missing("downloads_last_month", source, format!("{e}")),
        };
        let year = match get_json(
            &self.npm_downloads,
            &format!("/downloads/range/last-year/{escaped}"),
        ) {
            Ok(doc) => Figure::known(
                "downloads_last_year",
                source,
                doc.and_then(|d| {
                    let days = d["downloads"].as_array()?;
                    Some(days.iter().filter_map(|x| x["downloads"].as_f64()).sum())
                }),
                "daily download counts",
            ),
            Err(e) => Figure::missing("downloads_last_year", source, format!("{e}")),
        };
        vec![month, year]
    }

    /// deps.dev's count of packages depending on the default version of `name`.
    fn dependents(&self, system: &str, name: &str) -> Figure {
        let source = "deps.dev";
        if let Some(why) = self.deps_dev_down.take() {
            self.deps_dev_down.set(Some(why.clone()));
            return Figure::missing("dependents", source, why);
        }
        let escaped = name.replace('/', "%2F");
        let answer = get_json(
            &self.deps_dev,
            &format!("/v3/systems/{system}/packages/{escaped}"),
        )
        .and_then(|doc| {
            let Some(version) = doc.as_ref().and_then(default_version) else {
                return Ok(None);
            };
            get_json(
                &self.deps_dev,
                &format!(
                    "/v3alpha/systems/{system}/packages/{escaped}/versions/{version}:dependents"
                ),
            )
        });
        match answer {
            Ok(doc) => Figure::known(
                "dependents",
                source,
                doc.and_then(|d| d["dependentCount"].as_f64()),
                "dependent count",
            ),
            Err(e) => {
                let why = format!("deps.dev could not be reached ({e})");
                self.deps_dev_down.set(Some(why.clone()));
                Figure::missing("dependents", source, why)
            }
        }
    }
}

/// crates.io's downloads and reverse dependencies.
fn crates_io(client: &Client, name: &str) -> Vec<Figure> {
    let source = "crates.io";
    let krate = get_json(client, &format!("/api/v1/crates/{name}"));
    let mut out = match krate {
        Ok(doc) => {
            let k = doc.as_ref().map(|d| &d["crate"]);
            vec![
                Figure::known(
                    "downloads_total",
                    source,
                    k.and_then(|k| k["downloads"].as_f64()),
                    "download count",
                ),
                Figure::known(
                    "downloads_recent_90d",
                    source,
                    k.and_then(|k| k["recent_downloads"].as_f64()),
                    "recent download count",
                ),
            ]
        }
        Err(e) => vec![
            Figure::missing("downloads_total", source, e.to_string()),
            Figure::missing("downloads_recent_90d", source, e.to_string()),
        ],
    };
    let reverse = get_json(
        client,
        &format!("/api/v1/crates/{name}/reverse_dependencies?per_page=1"),
    );
    out.push(match reverse {
        Ok(doc) => Figure::known(
            "reverse_dependencies",
            source,
            doc.and_then(|d| d["meta"]["total"].as_f64()),
            "reverse dependency count",
        ),
        Err(e) => Figure::missing("reverse_dependencies", source, e.to_string()),
    });
    out
}

/// deps.dev's name of an ecosystem with dependent counts.
fn deps_dev_system(ecosystem: &Ecosystem) -> Option<&'static str> {
    match ecosystem {
        Ecosystem::Cargo => Some("cargo"),
        Ecosystem::Npm => Some("npm"),
        Ecosystem::PyPi => Some("pypi"),
        _ => None,
    }
}

/// The default version in deps.dev's `GetPackage` answer.
fn default_version(doc: &serde_json::Value) -> Option<String> {
    doc["versions"]
        .as_array()?
        .iter()
        .find(|v| v["isDefault"].as_bool() == Some(true))
        .and_then(|v| v["versionKey"]["version"].as_str())
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deps_dev_default_version() {
        let doc = serde_json::json!({"versions": [
            {"versionKey": {"version": "1.0.0"}, "isDefault": false},
            {"versionKey": {"version": "1.1.0"}, "isDefault": true}
        ]});
        assert_eq!(default_version(&doc).as_deref(), Some("1.1.0"));
        assert_eq!(default_version(&serde_json::json!({})), None);
    }
}
