//! Reading SBOMs: CycloneDX JSON (1.2–1.6) and SPDX JSON (2.2, 2.3), into
//! packages, the repository each names, and the dependency graph.

use crate::repo_url;
use serde_json::Value;
use std::collections::{HashMap, VecDeque};

/// Which SBOM format a document was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// CycloneDX, with its spec version.
    CycloneDx,
    /// SPDX 2.x.
    Spdx,
}

/// A package the SBOM lists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Package {
    /// Its id in the document (`bom-ref` or `SPDXID`).
    pub id: String,
    /// Its name (with the CycloneDX group, as `group/name`).
    pub name: String,
    /// Its version, if given.
    pub version: Option<String>,
    /// Its package URL, if given.
    pub purl: Option<String>,
    /// The repository the document names for it, normalized, and where it was found.
    pub repository: Option<(String, &'static str)>,
}

/// A parsed SBOM.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sbom {
    /// The format.
    pub format: Format,
    /// The document's subject (what the SBOM describes), if named.
    pub root: Option<String>,
    /// The packages.
    pub packages: Vec<Package>,
    /// Dependency edges: (dependent id, dependency id).
    pub edges: Vec<(String, String)>,
}

/// Why an SBOM could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SbomError {
    /// Not valid JSON (truncated, or a merge conflict left in it).
    #[error("{line}:{column}: not valid JSON: {message}")]
    Json {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser said.
        message: String,
    },
    /// JSON, but neither CycloneDX nor SPDX.
    #[error("neither a CycloneDX document (bomFormat) nor an SPDX document (spdxVersion)")]
    UnknownFormat,
    /// A version this reader does not know.
    #[error("{format} version {version} is not supported (CycloneDX 1.2–1.6 and SPDX 2.2–2.3 are)")]
    UnsupportedVersion {
        /// The format.
        format: &'static str,
        /// The version found.
        version: String,
    },
}

/// Reads a CycloneDX or SPDX JSON document.
pub fn read(text: &str) -> Result<Sbom, SbomError> {
    let doc: Value = serde_json::from_str(text).map_err(|e| SbomError::Json {
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    let str_of = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).map(str::to_owned);
    if doc.get("bomFormat").and_then(Value::as_str) == Some("CycloneDX") {
        let version = str_of(&doc, "specVersion").unwrap_or_default();
        if !["1.2", "1.3", "1.4", "1.5", "1.6"].contains(&version.as_str()) {
            return Err(SbomError::UnsupportedVersion {
                format: "CycloneDX",
                version,
            });
        }
        let packages = doc
            .get("components")
            .and_then(Value::as_array)
            .map(|components| {
                components
                    .iter()
                    .map(|c| {
                        let name = match (str_of(c, "group"), str_of(c, "name")) {
                            (Some(g), Some(n)) if !g.is_empty() => format!("{g}/{n}"),
                            (_, n) => n.unwrap_or_default(),
                        };
                        let repository = c
                            .get("externalReferences")
                            .and_then(Value::as_array)
                            .into_iter()
                            .flatten()
                            .filter(|r| r.get("type").and_then(Value::as_str) == Some("vcs"))
                            .find_map(|r| {
                                r.get("url")
                                    .and_then(Value::as_str)
                                    .and_then(repo_url::normalize)
                            })
                            .map(|url| (url, "sbom vcs reference"));
                        Package {
                            id: str_of(c, "bom-ref")
                                .or_else(|| str_of(c, "purl"))
                                .unwrap_or_else(|| name.clone()),
                            name,
                            version: str_of(c, "version"),
                            purl: str_of(c, "purl"),
                            repository,
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        let edges = doc
            .get("dependencies")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .flat_map(|d| {
                let from = str_of(d, "ref").unwrap_or_default();
                d.get("dependsOn")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(move |to| (from.clone(), to.to_owned()))
            })
            .collect();
        let root = doc
            .get("metadata")
            .and_then(|m| m.get("component"))
            .and_then(|c| str_of(c, "bom-ref"));
        return Ok(Sbom {
            format: Format::CycloneDx,
            root,
            packages,
            edges,
        });
    }
    if let Some(version) = str_of(&doc, "spdxVersion") {
        if !["SPDX-2.2", "SPDX-2.3"].contains(&version.as_str()) {
            return Err(SbomError::UnsupportedVersion {
                format: "SPDX",
                version,
            });
        }
        let packages = doc
            .get("packages")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|p| {
                let purl = p
                    .get("externalRefs")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .find(|r| r.get("referenceType").and_then(Value::as_str) == Some("purl"))
                    .and_then(|r| str_of(r, "referenceLocator"));
                let repository = [
                    ("downloadLocation", "sbom download location"),
                    ("homepage", "sbom homepage"),
                ]
                .into_iter()
                .find_map(|(key, source)| {
                    p.get(key)
                        .and_then(Value::as_str)
                        .and_then(repo_url::normalize)
                        .map(|u| (u, source))
                });
                Package {
                    id: str_of(p, "SPDXID").unwrap_or_default(),
                    name: str_of(p, "name").unwrap_or_default(),
                    version: str_of(p, "versionInfo"),
                    purl,
                    repository,
                }
            })
            .collect();
        let mut edges = Vec::new();
        for r in doc
            .get("relationships")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let (Some(a), Some(b), Some(kind)) = (
                str_of(r, "spdxElementId"),
                str_of(r, "relatedSpdxElement"),
                str_of(r, "relationshipType"),
            ) else {
                continue;
            };
            match kind.as_str() {
                "DEPENDS_ON" => edges.push((a, b)),
                "DEPENDENCY_OF" => edges.push((b, a)),
                _ => {}
            }
        }
        let root = doc
            .get("documentDescribes")
            .and_then(Value::as_array)
            .and_then(|d| d.first())
            .and_then(Value::as_str)
            .map(str::to_owned);
        return Ok(Sbom {
            format: Format::Spdx,
            root,
            packages,
            edges,
        });
    }
    Err(SbomError::UnknownFormat)
}

impl Sbom {
    /// Each package's depth in the dependency graph from the root (1 = direct),
    /// for packages reachable from it.
    pub fn depths(&self) -> HashMap<&str, usize> {
        let mut children: HashMap<&str, Vec<&str>> = HashMap::new();
        for (from, to) in &self.edges {
            children.entry(from).or_default().push(to);
        }
        let mut depth = HashMap::new();
        let Some(root) = self.root.as_deref() else {
            return depth;
        };
        let mut queue = VecDeque::from([(root, 0usize)]);
        while let Some((node, d)) = queue.pop_front() {
            for &child in children.get(node).into_iter().flatten() {
                if child != root && !depth.contains_key(child) {
                    depth.insert(child, d + 1);
                    queue.push_back((child, d + 1));
                }
            }
        }
        depth
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_input_says_where() {
        let err = read("{\n  \"bomFormat\": \"CycloneDX\",\n<<<<<<< HEAD\n")
            .expect_err("conflict markers");
        assert!(err.to_string().starts_with("3:1: not valid JSON"), "{err}");
        let err = read(r#"{"bomFormat": "CycloneDX", "specVersion": "9.9"}"#)
            .expect_err("unknown version");
        assert_eq!(
            err.to_string(),
            "CycloneDX version 9.9 is not supported (CycloneDX 1.2–1.6 and SPDX 2.2–2.3 are)"
        );
        assert!(matches!(read("{}"), Err(SbomError::UnknownFormat)));
    }
}
