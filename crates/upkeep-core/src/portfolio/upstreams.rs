//! From traced packages to upstreams: one repository is one upstream, with
//! every package built from it and how much of our software depends on it.

use super::inventory::{Inventory, Mapping, Package};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A package as it appears in the portfolio.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Listed {
    /// Its name.
    pub name: String,
    /// Its version, if known.
    pub version: Option<String>,
    /// Its package URL, if known.
    pub purl: Option<String>,
    /// Its depth from our components (1 = direct), if known.
    pub depth: Option<usize>,
    /// What traced it to its repository (for mapped packages).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// One upstream repository and our dependence on it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Upstream {
    /// The normalized repository URL.
    pub repository: String,
    /// The packages built from it, by name then version.
    pub packages: Vec<Listed>,
    /// Whether any of them is a direct dependency.
    pub direct: bool,
    /// The smallest depth of its packages, if any is known.
    pub depth: Option<usize>,
    /// How many distinct components of ours (our roots and other packages,
    /// not its own) depend on its packages directly.
    pub dependents: usize,
}

/// A package that could not be traced to a repository.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Unmapped {
    /// The package.
    #[serde(flatten)]
    pub package: Listed,
    /// Why.
    pub reason: String,
}

/// Groups the packages of `inventories` by the repository `trace` finds for
/// each (or the reason it found none). Packages listed in several
/// inventories count once.
pub fn group(
    inventories: &[Inventory],
    trace: &dyn Fn(&Package) -> Result<Mapping, String>,
) -> (Vec<Upstream>, Vec<Unmapped>) {
    let mut upstreams: BTreeMap<String, Upstream> = BTreeMap::new();
    let mut members: HashMap<String, String> = HashMap::new();
    let mut unmapped: BTreeMap<String, Unmapped> = BTreeMap::new();
    let mut seen = BTreeSet::new();
    for inventory in inventories {
        let depths = inventory.depths();
        for p in &inventory.packages {
            let key = p.purl.clone().unwrap_or_else(|| p.id.clone());
            if !seen.insert(key.clone()) {
                // Already listed by another document: keep the smaller depth.
                if let (Some(repo), Some(&d)) = (members.get(&p.id), depths.get(p.id.as_str()))
                    && let Some(u) = upstreams.get_mut(repo)
                {
                    u.depth = Some(u.depth.map_or(d, |old| old.min(d)));
                    u.direct |= d == 1;
                }
                continue;
            }
            let depth = depths.get(p.id.as_str()).copied();
            let mut listed = Listed {
                name: p.name.clone(),
                version: p.version.clone(),
                purl: p.purl.clone(),
                depth,
                source: None,
            };
            match trace(p) {
                Ok(mapping) => {
                    listed.source = Some(mapping.source);
                    let u = upstreams
                        .entry(mapping.repository.clone())
                        .or_insert_with(|| Upstream {
                            repository: mapping.repository.clone(),
                            packages: Vec::new(),
                            direct: false,
                            depth: None,
                            dependents: 0,
                        });
                    u.packages.push(listed);
                    u.direct |= depth == Some(1);
                    if let Some(d) = depth {
                        u.depth = Some(u.depth.map_or(d, |old| old.min(d)));
                    }
                    members.insert(p.id.clone(), mapping.repository);
                }
                Err(reason) => {
                    unmapped.insert(
                        key,
                        Unmapped {
                            package: listed,
                            reason,
                        },
                    );
                }
            }
        }
    }
    let mut dependents: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    for inventory in inventories {
        for (from, to) in &inventory.edges {
            let Some(repo) = members.get(to) else {
                continue;
            };
            if members.get(from) != Some(repo) {
                dependents.entry(repo).or_default().insert(from);
            }
        }
    }
    let mut out: Vec<Upstream> = upstreams.into_values().collect();
    for u in &mut out {
        u.dependents = dependents
            .get(u.repository.as_str())
            .map_or(0, BTreeSet::len);
        u.packages
            .sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.version.cmp(&b.version)));
    }
    (out, unmapped.into_values().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::portfolio::inventory::Format;

    #[test]
    fn a_monorepo_is_one_upstream() {
        // app → babel-core → babel-parser (same repository), app → lodash, lodash → left-pad (unmapped).
        let pkg = |id: &str| Package {
            id: id.into(),
            name: id.into(),
            version: Some("1.0.0".into()),
            purl: None,
            repository: None,
        };
        let inventory = Inventory {
            format: Format::CycloneDx,
            roots: vec!["app".into()],
            packages: ["babel-core", "babel-parser", "lodash", "left-pad"]
                .map(pkg)
                .to_vec(),
            edges: [
                ("app", "babel-core"),
                ("babel-core", "babel-parser"),
                ("app", "lodash"),
                ("lodash", "babel-parser"),
                ("lodash", "left-pad"),
            ]
            .iter()
            .map(|(a, b)| ((*a).into(), (*b).into()))
            .collect(),
        };
        let trace = |p: &Package| match p.id.as_str() {
            "babel-core" | "babel-parser" => Ok(Mapping {
                repository: "https://github.com/babel/babel".into(),
                source: "test".into(),
            }),
            "lodash" => Ok(Mapping {
                repository: "https://github.com/lodash/lodash".into(),
                source: "test".into(),
            }),
            _ => Err("no repository".into()),
        };
        let (upstreams, unmapped) = group(&[inventory], &trace);
        assert_eq!(upstreams.len(), 2);
        let babel = &upstreams[0];
        assert_eq!(babel.packages.len(), 2);
        assert!(babel.direct);
        // Dependents of babel: app (→ core) and lodash (→ parser); core → parser is internal.
        assert_eq!(babel.dependents, 2);
        assert_eq!((upstreams[1].dependents, upstreams[1].depth), (1, Some(1)));
        assert_eq!(unmapped.len(), 1);
        assert_eq!(
            (unmapped[0].package.depth, unmapped[0].reason.as_str()),
            (Some(2), "no repository")
        );
    }
}
