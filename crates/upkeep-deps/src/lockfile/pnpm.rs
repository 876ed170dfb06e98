//! pnpm-lock.yaml (lockfile versions 5, 6 and 9): importers are ours; the
//! dependency graph is in `packages` (v5, v6) or `snapshots` (v9).

use super::{entries, split_at_version, yaml};
use crate::read_error::ReadError;
use upkeep_core::portfolio::inventory::{Format, Inventory, Package};
use upkeep_core::portfolio::purl::Ecosystem;
use yaml_rust2::Yaml;

const DEPENDENCY_KINDS: &[&str] = &["dependencies", "devDependencies", "optionalDependencies"];

/// Reads a pnpm-lock.yaml.
pub fn read(text: &str) -> Result<Inventory, ReadError> {
    let doc = yaml(text)?;
    let version = match &doc["lockfileVersion"] {
        Yaml::String(s) => s.clone(),
        Yaml::Real(s) => s.clone(),
        Yaml::Integer(i) => i.to_string(),
        _ => String::new(),
    };
    let major: u32 = version
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    if !(5..=9).contains(&major) {
        return Err(ReadError::Unsupported(format!(
            "pnpm-lock.yaml version {version:?} is not supported (5, 6 and 9 are)"
        )));
    }
    let mut inventory = Inventory {
        format: Format::PnpmLock,
        roots: Vec::new(),
        packages: Vec::new(),
        edges: Vec::new(),
    };
    // A single project's lockfile (v5, v6) puts its dependencies at the top level.
    let importers: Vec<(&str, &Yaml)> = match doc["importers"].as_hash() {
        Some(_) => entries(&doc["importers"]).collect(),
        None => vec![(".", &doc)],
    };
    for (path, importer) in importers {
        let root = format!("pnpm-importer:{path}");
        for (name, spec) in DEPENDENCY_KINDS.iter().flat_map(|k| entries(&importer[*k])) {
            let version = spec.as_str().or_else(|| spec["version"].as_str());
            if let Some(to) = version.and_then(|v| dependency_id(name, v)) {
                inventory.edges.push((root.clone(), to));
            }
        }
        inventory.roots.push(root);
    }
    let graph = if major >= 9 {
        &doc["snapshots"]
    } else {
        &doc["packages"]
    };
    for (key, _) in entries(&doc["packages"]) {
        if let Some((name, version)) = package_key(key, major) {
            inventory
                .packages
                .push(Package::locked(&Ecosystem::Npm, name, version));
        }
    }
    inventory.dedup_packages();
    for (key, entry) in entries(graph) {
        let Some((name, version)) = package_key(key, major) else {
            continue;
        };
        let from = Package::locked(&Ecosystem::Npm, name, version).id;
        for (dep, spec) in ["dependencies", "optionalDependencies"]
            .iter()
            .flat_map(|k| entries(&entry[*k]))
        {
            if let Some(to) = spec.as_str().and_then(|v| dependency_id(dep, v)) {
                inventory.edges.push((from.clone(), to));
            }
        }
    }
    Ok(inventory)
}

/// The name and version a `packages`/`snapshots` key names:
/// `/name/1.0.0_peer` (v5), `/name@1.0.0(peer@1)` (v6), `name@1.0.0(peer@1)` (v9).
fn package_key(key: &str, major: u32) -> Option<(&str, &str)> {
    let key = key.strip_prefix('/').unwrap_or(key);
    let key = key.split('(').next()?;
    if major == 5 {
        let (name, version) = key.rsplit_once('/')?;
        return Some((name, version.split('_').next()?));
    }
    split_at_version(key)
}

/// The package id a dependency's resolved version names; `None` for links to
/// workspace folders. The version may carry peer suffixes or be an alias key.
fn dependency_id(name: &str, version: &str) -> Option<String> {
    if version.starts_with("link:") || version.starts_with("file:") {
        return None;
    }
    let version = version.split(['(', '_']).next()?;
    let (name, version) = match version.strip_prefix('/') {
        Some(key) => split_at_version(key)?,
        None if version.contains('@') => split_at_version(version)?,
        None => (name, version),
    };
    Some(Package::locked(&Ecosystem::Npm, name, version).id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_9_snapshots() {
        let lock = r#"lockfileVersion: '9.0'

importers:

  .:
    dependencies:
      react-dom:
        specifier: ^18.2.0
        version: 18.2.0(react@18.2.0)
      '@scope/lib':
        specifier: workspace:*
        version: link:packages/lib
    devDependencies:
      react:
        specifier: ^18.2.0
        version: 18.2.0

packages:

  loose-envify@1.4.0:
    resolution: {integrity: sha512-x}
  react-dom@18.2.0:
    resolution: {integrity: sha512-y}
  react@18.2.0:
    resolution: {integrity: sha512-z}

snapshots:

  loose-envify@1.4.0: {}
  react-dom@18.2.0(react@18.2.0):
    dependencies:
      loose-envify: 1.4.0
      react: 18.2.0
  react@18.2.0:
    dependencies:
      loose-envify: 1.4.0
"#;
        let inv = read(lock).expect("reads");
        assert_eq!(inv.roots, ["pnpm-importer:."]);
        assert_eq!(inv.packages.len(), 3);
        let d = inv.depths();
        assert_eq!(d["pkg:npm/react-dom@18.2.0"], 1);
        assert_eq!(d["pkg:npm/react@18.2.0"], 1);
        assert_eq!(d["pkg:npm/loose-envify@1.4.0"], 2);
        assert_eq!(inv.dependents()["pkg:npm/loose-envify@1.4.0"].len(), 2);
    }

    #[test]
    fn version_6_and_5_keys() {
        assert_eq!(
            package_key("/@babel/core@7.22.0(supports-color@5)", 6),
            Some(("@babel/core", "7.22.0"))
        );
        assert_eq!(
            package_key("/@babel/core/7.22.0_abc", 5),
            Some(("@babel/core", "7.22.0"))
        );
        let err = read("lockfileVersion: 6.0\nimporters:\n  .: [\n").expect_err("truncated");
        assert!(err.to_string().starts_with("4:"), "{err}");
    }
}
