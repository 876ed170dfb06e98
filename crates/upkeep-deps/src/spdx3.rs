//! Reading SPDX 3.0 JSON-LD: `software_Package` elements and `dependsOn`
//! relationships of the document's `@graph`.

use crate::read_error::ReadError;
use crate::sbom::{array, str_of};
use serde_json::Value;
use upkeep_core::portfolio::inventory::{Format, Inventory, Mapping, Package};
use upkeep_core::portfolio::repo_url;

/// Reads an SPDX 3.0 document already parsed as JSON.
pub fn read(doc: &Value) -> Result<Inventory, ReadError> {
    let graph = doc
        .get("@graph")
        .and_then(Value::as_array)
        .ok_or_else(|| ReadError::Unsupported("SPDX 3: @graph is not a list".into()))?;
    let of_type = |t: &'static str| {
        graph
            .iter()
            .filter(move |e| e.get("type").and_then(Value::as_str) == Some(t))
    };
    if let Some(version) = of_type("CreationInfo")
        .filter_map(|c| str_of(c, "specVersion"))
        .find(|v| !v.starts_with("3.0"))
    {
        return Err(ReadError::Unsupported(format!(
            "SPDX version {version} is not supported (CycloneDX 1.2–1.6, SPDX 2.2–2.3 and SPDX 3.0 are)"
        )));
    }
    let targets = |r: &Value| -> Vec<String> {
        array(r, "to")
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect()
    };
    let mut roots: Vec<String> = of_type("SpdxDocument")
        .flat_map(|d| {
            array(d, "rootElement")
                .filter_map(Value::as_str)
                .map(str::to_owned)
        })
        .collect();
    let mut edges = Vec::new();
    for r in graph.iter().filter(|e| {
        matches!(
            e.get("type").and_then(Value::as_str),
            Some("Relationship" | "LifecycleScopedRelationship")
        )
    }) {
        let Some(from) = str_of(r, "from") else {
            continue;
        };
        match r.get("relationshipType").and_then(Value::as_str) {
            Some("dependsOn") => edges.extend(targets(r).into_iter().map(|to| (from.clone(), to))),
            Some("describes") => roots.extend(targets(r)),
            _ => {}
        }
    }
    roots.sort();
    roots.dedup();
    let packages = of_type("software_Package")
        .filter_map(|p| {
            let id = str_of(p, "spdxId")?;
            let purl = str_of(p, "software_packageUrl").or_else(|| {
                array(p, "externalIdentifier")
                    .find(|x| {
                        x.get("externalIdentifierType").and_then(Value::as_str)
                            == Some("packageUrl")
                    })
                    .and_then(|x| str_of(x, "identifier"))
            });
            let vcs = array(p, "externalRef")
                .filter(|r| r.get("externalRefType").and_then(Value::as_str) == Some("vcs"))
                .flat_map(|r| array(r, "locator").filter_map(Value::as_str))
                .map(|url| (url.to_owned(), "sbom vcs reference"));
            let repository = vcs
                .chain(
                    [
                        ("software_downloadLocation", "sbom download location"),
                        ("software_homePage", "sbom homepage"),
                    ]
                    .into_iter()
                    .filter_map(|(key, source)| str_of(p, key).map(|u| (u, source))),
                )
                .find_map(|(url, source)| {
                    let repository = if source == "sbom vcs reference" {
                        repo_url::normalize(&url)
                    } else {
                        crate::sbom::download_repository(&url)
                    };
                    repository.map(|repository| Mapping {
                        repository,
                        source: source.into(),
                    })
                });
            Some(Package {
                name: str_of(p, "name").unwrap_or_default(),
                version: str_of(p, "software_packageVersion"),
                purl,
                repository,
                id,
            })
        })
        .filter(|p| !roots.contains(&p.id))
        .collect();
    Ok(Inventory {
        format: Format::Spdx3,
        roots,
        packages,
        edges,
    })
}
