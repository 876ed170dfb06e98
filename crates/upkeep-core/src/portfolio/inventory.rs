//! What an organization runs: the packages an SBOM or a lockfile lists, the
//! dependency graph between them, and which are our own (the roots).

use super::purl::{Ecosystem, Purl};
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
    /// The normalized repository URL (see [`super::repo_url::normalize`]).
    pub repository: String,
    /// Where it came from, e.g. "sbom vcs reference", "crates.io".
    pub source: String,
}

impl Mapping {
    /// The repository a lockfile's git source URL names (`git+https://…?rev#sha`).
    pub fn git_source(url: &str) -> Option<Mapping> {
        super::repo_url::normalize(url.strip_prefix("git+").unwrap_or(url)).map(|repository| {
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
    }
}
