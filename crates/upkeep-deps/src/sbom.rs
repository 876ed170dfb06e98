//! Reading SBOMs: CycloneDX JSON (1.2–1.6) and SPDX JSON (2.2, 2.3), into an
//! [`Inventory`]: packages, the repository each names, and the dependency graph.

use crate::read_error::{ReadError, json_error};
use serde_json::Value;
use upkeep_core::portfolio::inventory::{Format, Inventory, Mapping, Package};
use upkeep_core::portfolio::repo_url;

/// Reads a CycloneDX or SPDX JSON document.
pub fn read(text: &str) -> Result<Inventory, ReadError> {
    let mut doc: Value = serde_json::from_str(text).map_err(|e| json_error(&e))?;
    // GitHub's dependency-graph export wraps an SPDX document in `{"sbom": …}`.
    if let Some(inner) = doc
        .get_mut("sbom")
        .filter(|s| s.get("spdxVersion").is_some())
    {
        doc = inner.take();
    }
    if doc.get("bomFormat").and_then(Value::as_str) == Some("CycloneDX") {
        return cyclonedx(&doc);
    }
    if let Some(version) = str_of(&doc, "spdxVersion") {
        return spdx(&doc, version);
    }
    if doc.get("@context").is_some() && doc.get("@graph").is_some() {
        return crate::spdx3::read(&doc);
    }
    Err(ReadError::Unsupported(
        "neither a CycloneDX document (bomFormat) nor an SPDX document (spdxVersion, or an SPDX 3 @graph)".into(),
    ))
}

/// The repository an SPDX download location or homepage names: a VCS
/// location (`git+https://…`) anywhere, a plain URL only on a known forge.
pub(crate) fn download_repository(url: &str) -> Option<String> {
    if url.starts_with("git+") || url.starts_with("git://") {
        repo_url::normalize(url)
    } else {
        repo_url::normalize_forge(url)
    }
}

/// The items of the array at `key` (none if absent or not an array).
pub(crate) fn array<'a>(v: &'a Value, key: &str) -> impl Iterator<Item = &'a Value> {
    v.get(key).and_then(Value::as_array).into_iter().flatten()
}

pub(crate) fn str_of(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn unsupported(format: &str, version: &str) -> ReadError {
    ReadError::Unsupported(format!(
        "{format} version {version} is not supported (CycloneDX 1.2–1.6, SPDX 2.2–2.3 and SPDX 3.0 are)"
    ))
}

fn cyclonedx(doc: &Value) -> Result<Inventory, ReadError> {
    let version = str_of(doc, "specVersion").unwrap_or_default();
    if !["1.2", "1.3", "1.4", "1.5", "1.6"].contains(&version.as_str()) {
        return Err(unsupported("CycloneDX", &version));
    }
    let mut packages = Vec::new();
    let mut stack: Vec<&Value> = array(doc, "components").collect();
    // Components may nest (a package bundling others): every one is a package.
    while let Some(c) = stack.pop() {
        stack.extend(array(c, "components"));
        packages.push(cyclonedx_component(c));
    }
    packages.reverse();
    let edges = array(doc, "dependencies")
        .flat_map(|d| {
            let from = str_of(d, "ref").unwrap_or_default();
            array(d, "dependsOn")
                .filter_map(Value::as_str)
                .map(move |to| (from.clone(), to.to_owned()))
        })
        .collect();
    let root = doc
        .get("metadata")
        .and_then(|m| m.get("component"))
        .and_then(|c| str_of(c, "bom-ref"));
    Ok(Inventory {
        format: Format::CycloneDx,
        roots: root.into_iter().collect(),
        packages,
        edges,
    })
}

fn cyclonedx_component(c: &Value) -> Package {
    let name = match (str_of(c, "group"), str_of(c, "name")) {
        (Some(g), Some(n)) if !g.is_empty() => format!("{g}/{n}"),
        (_, n) => n.unwrap_or_default(),
    };
    let repository = array(c, "externalReferences")
        .filter(|r| r.get("type").and_then(Value::as_str) == Some("vcs"))
        .find_map(|r| {
            r.get("url")
                .and_then(Value::as_str)
                .and_then(repo_url::normalize)
        })
        .map(|repository| Mapping {
            repository,
            source: "sbom vcs reference".into(),
        });
    Package {
        id: str_of(c, "bom-ref")
            .or_else(|| str_of(c, "purl"))
            .unwrap_or_else(|| name.clone()),
        name,
        version: str_of(c, "version"),
        purl: str_of(c, "purl"),
        repository,
    }
}

fn spdx(doc: &Value, version: String) -> Result<Inventory, ReadError> {
    if !["SPDX-2.2", "SPDX-2.3"].contains(&version.as_str()) {
        return Err(unsupported("SPDX", &version));
    }
    let packages = array(doc, "packages")
        .map(|p| {
            let purl = array(p, "externalRefs")
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
                    .and_then(download_repository)
                    .map(|repository| Mapping {
                        repository,
                        source: source.into(),
                    })
            });
            Package {
                id: str_of(p, "SPDXID").unwrap_or_default(),
                name: str_of(p, "name").unwrap_or_default(),
                version: str_of(p, "versionInfo"),
                purl,
                repository,
            }
        })
        .collect::<Vec<_>>();
    let mut edges = Vec::new();
    let mut roots: Vec<String> = array(doc, "documentDescribes")
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    for r in array(doc, "relationships") {
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
            "DESCRIBES" if a == "SPDXRef-DOCUMENT" && !roots.contains(&b) => roots.push(b),
            _ => {}
        }
    }
    // The described package is ours, not a dependency.
    let packages = packages
        .into_iter()
        .filter(|p| !roots.contains(&p.id))
        .collect();
    Ok(Inventory {
        format: Format::Spdx,
        roots,
        packages,
        edges,
    })
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
            "CycloneDX version 9.9 is not supported (CycloneDX 1.2–1.6, SPDX 2.2–2.3 and SPDX 3.0 are)"
        );
        assert!(matches!(read("{}"), Err(ReadError::Unsupported(_))));
    }
}
