//! What an organization runs: the packages an SBOM or a lockfile lists, the
//! dependency graph between them, and which are our own (the roots).

use crate::purl::{Ecosystem, Purl};
use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt;

/// The kind of document an inventory was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// CycloneDX JSON.
    CycloneDx,
    /// SPDX 2.x JSON.
    Spdx,
    /// SPDX 3.0 JSON-LD.
    Spdx3,
    /// Cargo.lock.
    CargoLock,
    /// package-lock.json (v2, v3).
    PackageLock,
    /// pnpm-lock.yaml.
    PnpmLock,
    /// yarn.lock (classic or berry).
    YarnLock,
    /// uv.lock.
    UvLock,
    /// poetry.lock.
    PoetryLock,
    /// go.mod.
    GoMod,
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::CycloneDx => "CycloneDX",
            Format::Spdx => "SPDX 2",
            Format::Spdx3 => "SPDX 3",
            Format::CargoLock => "Cargo.lock",
            Format::PackageLock => "package-lock.json",
            Format::PnpmLock => "pnpm-lock.yaml",
            Format::YarnLock => "yarn.lock",
            Format::UvLock => "uv.lock",
            Format::PoetryLock => "poetry.lock",
            Format::GoMod => "go.mod",
        })
    }
}

/// A repository a package was traced to, and what said so.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mapping {
    /// The normalized repository URL (see [`crate::repo_url::normalize`]).
    pub repository: String,
    /// Where it came from, e.g. "sbom vcs reference", "crates.io".
    pub source: String,
}

impl Mapping {
    /// The repository a lockfile's git source URL names (`git+https://…?rev#sha`).
    pub fn git_source(url: &str) -> Option<Mapping> {
        crate::repo_url::normalize(url.strip_prefix("git+").unwrap_or(url)).map(|repository| {
            Mapping {
                repository,
                source: "lockfile git source".into(),
            }
        })
    }
}

/// A package the document lists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Package {
    /// Its id in the document (`bom-ref`, `SPDXID`; the package URL for lockfiles).
    pub id: String,
    /// Its name (npm scopes included, as `@scope/name`).
    pub name: String,
    /// Its version, if given.
    pub version: Option<String>,
    /// Its package URL, if known.
    pub purl: Option<String>,
    /// The repository the document itself names for it.
    pub repository: Option<Mapping>,
}

impl Package {
    /// Its registry and registry name, from the package URL.
    pub fn registry_name(&self) -> Option<Purl> {
        self.purl.as_deref().and_then(Purl::parse)
    }

    /// A lockfile package: its package URL is its id.
    pub fn locked(ecosystem: &Ecosystem, name: &str, version: &str) -> Package {
        let purl = Purl::format(ecosystem, name, Some(version));
        Package {
            id: purl.clone(),
            name: name.to_owned(),
            version: Some(version.to_owned()),
            purl: Some(purl),
            repository: None,
        }
    }
}

/// Packages and the graph between them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inventory {
    /// What it was read from.
    pub format: Format,
    /// Our own components (the SBOM's subject, the workspace members): their
    /// dependencies are direct. Empty if the document does not say.
    pub roots: Vec<String>,
    /// The packages we depend on (roots excluded).
    pub packages: Vec<Package>,
    /// Dependency edges: (dependent id, dependency id).
    pub edges: Vec<(String, String)>,
}

impl Inventory {
    /// Each package's depth from our components (1 = direct), for packages
    /// reachable from them.
    pub fn depths(&self) -> HashMap<&str, usize> {
        let mut children: HashMap<&str, Vec<&str>> = HashMap::new();
        for (from, to) in &self.edges {
            children.entry(from).or_default().push(to);
        }
        let roots: HashSet<&str> = self.roots.iter().map(String::as_str).collect();
        let mut depth = HashMap::new();
        let mut queue: VecDeque<(&str, usize)> = roots.iter().map(|r| (*r, 0)).collect();
        while let Some((node, d)) = queue.pop_front() {
            for &child in children.get(node).into_iter().flatten() {
                if !roots.contains(child) && !depth.contains_key(child) {
                    depth.insert(child, d + 1);
                    queue.push_back((child, d + 1));
                }
            }
        }
        depth
    }

    /// Keeps the first package of each id: readers push a package each time
    /// the document lists it (at several install locations, say) and call this once.
    pub fn dedup_packages(&mut self) {
        let mut seen = HashSet::new();
        self.packages.retain(|p| seen.insert(p.id.clone()));
    }

    /// For each package, the ids of the components (packages or roots) that
    /// depend on it directly.
    pub fn dependents(&self) -> HashMap<&str, HashSet<&str>> {
        let mut out: HashMap<&str, HashSet<&str>> = HashMap::new();
        for (from, to) in &self.edges {
            if from != to {
                out.entry(to.as_str()).or_default().insert(from.as_str());
            }
        }
        out
    }
}

/// Why a file could not be read as an SBOM or lockfile.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// Malformed text at a position (1-based line and column).
    #[error("{line}:{column}: {message}")]
    Syntax {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// Well-formed, but not a document this reader knows.
    #[error("{0}")]
    Unsupported(String),
}

impl ReadError {
    /// A syntax error at byte `offset` of `text`.
    pub fn at_offset(text: &str, offset: usize, message: impl Into<String>) -> Self {
        let mut end = offset.min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let before = &text[..end];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        ReadError::Syntax {
            line,
            column,
            message: message.into(),
        }
    }
}

/// Refuses a text with merge-conflict markers, naming the first one's line.
pub fn check_conflicts(text: &str) -> Result<(), ReadError> {
    for (i, line) in text.lines().enumerate() {
        if line.starts_with("<<<<<<< ") || line == "<<<<<<<" || line.starts_with(">>>>>>> ") {
            return Err(ReadError::Syntax {
                line: i + 1,
                column: 1,
                message: "merge-conflict marker: resolve the conflict first".into(),
            });
        }
    }
    Ok(())
}

/// A JSON parse error as a [`ReadError`].
pub fn json_error(e: &serde_json::Error) -> ReadError {
    ReadError::Syntax {
        line: e.line(),
        column: e.column(),
        message: format!("not valid JSON: {e}"),
    }
}

/// A TOML parse error as a [`ReadError`].
pub fn toml_error(text: &str, e: &toml::de::Error) -> ReadError {
    let offset = e.span().map_or(0, |s| s.start);
    ReadError::at_offset(text, offset, format!("not valid TOML: {}", e.message()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_and_dependents() {
        // app → a → b → c, app → b: b is direct (depth 1), c at depth 2.
        let pkg = |id: &str| Package {
            id: id.into(),
            name: id.into(),
            version: None,
            purl: None,
            repository: None,
        };
        let inv = Inventory {
            format: Format::CargoLock,
            roots: vec!["app".into()],
            packages: vec![pkg("a"), pkg("b"), pkg("c")],
            edges: [("app", "a"), ("a", "b"), ("b", "c"), ("app", "b")]
                .iter()
                .map(|(a, b)| ((*a).into(), (*b).into()))
                .collect(),
        };
        let d = inv.depths();
        assert_eq!((d["a"], d["b"], d["c"]), (1, 1, 2));
        assert_eq!(inv.dependents()["b"].len(), 2);
        assert_eq!(ReadError::at_offset("ab\ncd", 4, "x").to_string(), "2:2: x");
        assert_eq!(
            check_conflicts("a\n<<<<<<< HEAD\n").map_err(|e| e.to_string()),
            Err("2:1: merge-conflict marker: resolve the conflict first".into())
        );
    }
}
