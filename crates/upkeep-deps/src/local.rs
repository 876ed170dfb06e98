//! Package metadata already on this machine: Cargo's registry source cache,
//! a project's `node_modules`, Python `*.dist-info/METADATA` files and Go's
//! module download cache. No network.

use std::path::{Path, PathBuf};
use upkeep_core::portfolio::inventory::Mapping;
use upkeep_core::portfolio::purl::{Ecosystem, Purl, pypi_name};
use upkeep_core::portfolio::repo_url;

/// Where to look.
#[derive(Clone, Debug, Default)]
pub struct LocalMetadata {
    /// `$CARGO_HOME` (its `registry/src/*/NAME-VERSION/Cargo.toml` files).
    pub cargo_home: Option<PathBuf>,
    /// Directories holding `node_modules` (the project's).
    pub node_projects: Vec<PathBuf>,
    /// Python `site-packages` directories.
    pub site_packages: Vec<PathBuf>,
    /// `$GOMODCACHE` (its `cache/download/MODULE/@v/VERSION.info` files).
    pub go_mod_cache: Option<PathBuf>,
}

impl LocalMetadata {
    /// The usual places for a project in `project`: `$CARGO_HOME` (or
    /// `~/.cargo`), the project's `node_modules`, its `.venv`/`venv`
    /// site-packages and `$VIRTUAL_ENV`'s, and `$GOMODCACHE` (or `~/go/pkg/mod`).
    pub fn for_project(project: &Path) -> Self {
        let home = std::env::var_os("HOME").map(PathBuf::from);
        let env_dir = |var: &str| std::env::var_os(var).map(PathBuf::from);
        let mut site_packages = Vec::new();
        let venvs = [project.join(".venv"), project.join("venv")]
            .into_iter()
            .chain(env_dir("VIRTUAL_ENV"));
        for venv in venvs {
            for lib in ["lib", "lib64"] {
                let Ok(dir) = std::fs::read_dir(venv.join(lib)) else {
                    continue;
                };
                site_packages.extend(
                    dir.flatten()
                        .map(|e| e.path().join("site-packages"))
                        .filter(|p| p.is_dir()),
                );
            }
        }
        LocalMetadata {
            cargo_home: env_dir("CARGO_HOME").or_else(|| home.as_ref().map(|h| h.join(".cargo"))),
            node_projects: vec![project.to_owned()],
            site_packages,
            go_mod_cache: env_dir("GOMODCACHE")
                .or_else(|| env_dir("GOPATH").map(|p| p.join("pkg/mod")))
                .or_else(|| home.as_ref().map(|h| h.join("go/pkg/mod"))),
        }
    }

    /// The repository local metadata names for `purl`, if any.
    pub fn find(&self, purl: &Purl) -> Option<Mapping> {
        let (repository, source) = match purl.ecosystem {
            Ecosystem::Cargo => (self.cargo(purl)?, "Cargo registry cache"),
            Ecosystem::Npm => (self.npm(purl)?, "node_modules"),
            Ecosystem::PyPi => (self.python(purl)?, "Python package metadata"),
            Ecosystem::Go => (self.go(purl)?, "Go module cache"),
            Ecosystem::Other(_) => return None,
        };
        Some(Mapping {
            repository,
            source: source.into(),
        })
    }

    fn cargo(&self, purl: &Purl) -> Option<String> {
        let src = self.cargo_home.as_ref()?.join("registry").join("src");
        let version = purl.version.as_deref()?;
        let dir = format!("{}-{version}", purl.name);
        for registry in std::fs::read_dir(src).ok()?.flatten() {
            let Ok(text) = std::fs::read_to_string(registry.path().join(&dir).join("Cargo.toml"))
            else {
                continue;
            };
            let manifest: toml::Table = toml::from_str(&text).ok()?;
            let package = manifest.get("package")?;
            let field = |k: &str| package.get(k).and_then(toml::Value::as_str);
            return field("repository")
                .and_then(repo_url::normalize)
                .or_else(|| field("homepage").and_then(repo_url::normalize_forge));
        }
        None
    }

    fn npm(&self, purl: &Purl) -> Option<String> {
        self.node_projects.iter().find_map(|project| {
            let text = std::fs::read_to_string(
                project
                    .join("node_modules")
                    .join(&purl.name)
                    .join("package.json"),
            )
            .ok()?;
            let manifest: serde_json::Value = serde_json::from_str(&text).ok()?;
            npm_repository(&manifest)
        })
    }

    fn python(&self, purl: &Purl) -> Option<String> {
        self.site_packages.iter().find_map(|dir| {
            let entries = std::fs::read_dir(dir).ok()?;
            entries.flatten().find_map(|e| {
                let file_name = e.file_name().to_string_lossy().into_owned();
                let stem = file_name.strip_suffix(".dist-info")?;
                let (name, version) = stem.rsplit_once('-')?;
                if pypi_name(name) != purl.name
                    || purl.version.as_deref().is_some_and(|v| v != version)
                {
                    return None;
                }
                let metadata = std::fs::read_to_string(e.path().join("METADATA")).ok()?;
                python_repository(&metadata)
            })
        })
    }

    fn go(&self, purl: &Purl) -> Option<String> {
        let version = purl.version.as_deref()?;
        let info = self
            .go_mod_cache
            .as_ref()?
            .join("cache/download")
            .join(go_escape(&purl.name))
            .join("@v")
            .join(format!("{}.info", go_escape(version)));
        let doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(info).ok()?).ok()?;
        go_origin(&doc)
    }
}

/// The repository of an npm manifest or registry document: `repository`
/// (a string or `{url}`), else `homepage`.
pub fn npm_repository(doc: &serde_json::Value) -> Option<String> {
    let repository = doc.get("repository");
    repository
        .and_then(|r| {
            r.as_str()
                .or_else(|| r.get("url").and_then(serde_json::Value::as_str))
        })
        .and_then(|url| {
            // npm's shorthands: `owner/name` and `github:owner/name` mean GitHub.
            if !url.contains(':') && url.matches('/').count() == 1 {
                repo_url::normalize(&format!("github:{url}"))
            } else {
                repo_url::normalize(url)
            }
        })
        .or_else(|| {
            doc.get("homepage")
                .and_then(serde_json::Value::as_str)
                .and_then(repo_url::normalize_forge)
        })
}

/// The source repository of a core-metadata file (`METADATA`, PyPI's `info`):
/// the `Project-URL`s named like a repository, else any forge URL among them, else `Home-page`.
pub fn python_repository(metadata: &str) -> Option<String> {
    let mut urls: Vec<(String, String)> = Vec::new();
    for line in metadata.lines() {
        if line.is_empty() {
            break; // The body (description) starts after the first blank line.
        }
        if let Some(rest) = line.strip_prefix("Project-URL:")
            && let Some((label, url)) = rest.split_once(',')
        {
            urls.push((label.trim().to_owned(), url.trim().to_owned()));
        } else if let Some(url) = line.strip_prefix("Home-page:") {
            urls.push(("Homepage".to_owned(), url.trim().to_owned()));
        }
    }
    pick_python_url(&urls)
}

/// Picks the repository among labelled project URLs.
pub fn pick_python_url(urls: &[(String, String)]) -> Option<String> {
    const SOURCE_LABELS: &[&str] = &[
        "source",
        "source code",
        "repository",
        "code",
        "github",
        "gitlab",
    ];
    let labelled = |label: &str| label.to_lowercase().replace(['-', '_'], " ");
    SOURCE_LABELS
        .iter()
        .flat_map(|want| {
            urls.iter()
                .filter(move |(label, _)| labelled(label) == *want)
        })
        .find_map(|(_, url)| repo_url::normalize(url))
        .or_else(|| {
            urls.iter()
                .find_map(|(_, url)| repo_url::normalize_forge(url))
        })
}

/// The repository in a Go proxy `.info` document's `Origin`.
pub fn go_origin(doc: &serde_json::Value) -> Option<String> {
    doc.get("Origin")
        .and_then(|o| o.get("URL"))
        .and_then(serde_json::Value::as_str)
        .and_then(repo_url::normalize)
}

/// A module path or version as the module cache and proxy spell it: each
/// upper-case letter becomes `!` and its lower case.
pub fn go_escape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if c.is_ascii_uppercase() {
            out.push('!');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_urls_prefer_the_source() {
        let metadata = "Metadata-Version: 2.1\nName: requests\nHome-page: https://requests.readthedocs.io\nProject-URL: Documentation, https://requests.readthedocs.io\nProject-URL: Source, https://github.com/psf/requests\n\nhttps://github.com/not/this\n";
        assert_eq!(
            python_repository(metadata).as_deref(),
            Some("https://github.com/psf/requests")
        );
        assert_eq!(
            go_escape("github.com/BurntSushi/toml"),
            "github.com/!burnt!sushi/toml"
        );
        let doc = serde_json::json!({"repository": "expressjs/express"});
        assert_eq!(
            npm_repository(&doc).as_deref(),
            Some("https://github.com/expressjs/express")
        );
    }
}
