//! package-lock.json (lockfile versions 2 and 3): the `packages` map, keyed
//! by install location; dependencies resolve as Node does, from the nearest
//! `node_modules` upwards. The project (`""`) and workspace folders are ours.

use crate::read_error::{ReadError, check_conflicts, json_error};
use serde_json::{Map, Value};
use upkeep_core::portfolio::inventory::{Format, Inventory, Package};
use upkeep_core::portfolio::purl::Ecosystem;

const DEPENDENCY_KINDS: &[&str] = &[
    "dependencies",
    "devDependencies",
    "optionalDependencies",
    "peerDependencies",
];

/// Reads a package-lock.json or npm-shrinkwrap.json.
pub fn read(text: &str) -> Result<Inventory, ReadError> {
    check_conflicts(text)?;
    let doc: Value = serde_json::from_str(text).map_err(|e| json_error(&e))?;
    let version = doc.get("lockfileVersion").and_then(Value::as_u64);
    let known = version.is_none_or(|v| (1..=3).contains(&v));
    let packages = doc
        .get("packages")
        .and_then(Value::as_object)
        .filter(|_| known);
    let Some(packages) = packages else {
        return Err(ReadError::Unsupported(format!(
            "package-lock.json version {} is not supported (2 and 3 are; npm 7 or later writes them)",
            version.map_or_else(|| "unknown".to_owned(), |v| v.to_string())
        )));
    };
    // What is installed at a location: one of ours (a workspace folder or a
    // link to one), or a package.
    let node_at = |location: &str| -> Option<Result<String, Package>> {
        let entry = packages.get(location)?;
        if let Some(target) = entry
            .get("link")
            .and_then(Value::as_bool)
            .filter(|l| *l)
            .and(entry.get("resolved").and_then(Value::as_str))
        {
            return Some(Ok(format!("npm-workspace:{target}")));
        }
        if !location.contains("node_modules/") {
            return Some(Ok(format!("npm-workspace:{location}")));
        }
        let name = entry
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_else(|| location.rsplit("node_modules/").next().unwrap_or(location));
        let version = entry.get("version").and_then(Value::as_str)?;
        Some(Err(Package::locked(&Ecosystem::Npm, name, version)))
    };
    let id_at = |location: &str| {
        node_at(location).map(|node| match node {
            Ok(root) => root,
            Err(package) => package.id,
        })
    };
    let mut inventory = Inventory {
        format: Format::PackageLock,
        roots: Vec::new(),
        packages: Vec::new(),
        edges: Vec::new(),
    };
    for (location, entry) in packages {
        let from = match node_at(location) {
            None => continue,
            Some(Ok(root)) => {
                if !inventory.roots.contains(&root) {
                    inventory.roots.push(root.clone());
                }
                root
            }
            Some(Err(package)) => {
                let id = package.id.clone();
                inventory.packages.push(package);
                id
            }
        };
        for name in DEPENDENCY_KINDS
            .iter()
            .filter_map(|k| entry.get(*k).and_then(Value::as_object))
            .flat_map(Map::keys)
        {
            if let Some(to) = resolve(packages, location, name).and_then(|l| id_at(&l)) {
                inventory.edges.push((from.clone(), to));
            }
        }
    }
    inventory.dedup_packages();
    Ok(inventory)
}

/// Where Node finds `name` when required from `location`.
fn resolve(packages: &Map<String, Value>, location: &str, name: &str) -> Option<String> {
    let mut base = location.to_owned();
    loop {
        let candidate = if base.is_empty() {
            format!("node_modules/{name}")
        } else {
            format!("{base}/node_modules/{name}")
        };
        if packages.contains_key(&candidate) {
            return Some(candidate);
        }
        if base.is_empty() {
            return None;
        }
        base = match base.rfind("/node_modules/") {
            Some(i) => base[..i].to_owned(),
            None => String::new(),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_installs_resolve_like_node() {
        // app → express → debug@2 (nested under express); app → debug@4 (hoisted);
        // app → ws workspace packages/lib → ms.
        let lock = r#"{
  "name": "app", "lockfileVersion": 3,
  "packages": {
    "": { "name": "app", "dependencies": { "express": "^4", "debug": "^4" }, "workspaces": ["packages/lib"] },
    "packages/lib": { "name": "lib", "dependencies": { "ms": "^2" } },
    "node_modules/lib": { "resolved": "packages/lib", "link": true },
    "node_modules/express": { "version": "4.18.2", "dependencies": { "debug": "2.6.9" } },
    "node_modules/express/node_modules/debug": { "version": "2.6.9", "dependencies": { "ms": "2.0.0" } },
    "node_modules/debug": { "version": "4.3.4", "dependencies": { "ms": "2.1.2" } },
    "node_modules/ms": { "version": "2.1.2", "dev": true },
    "node_modules/@types/node": { "version": "20.1.0" }
  }
}"#;
        let inv = read(lock).expect("reads");
        assert_eq!(inv.roots, ["npm-workspace:", "npm-workspace:packages/lib"]);
        let ids: Vec<&str> = inv.packages.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "pkg:npm/%40types/node@20.1.0",
                "pkg:npm/debug@4.3.4",
                "pkg:npm/express@4.18.2",
                "pkg:npm/debug@2.6.9",
                "pkg:npm/ms@2.1.2",
            ]
        );
        let d = inv.depths();
        assert_eq!(d["pkg:npm/express@4.18.2"], 1);
        assert_eq!(d["pkg:npm/debug@2.6.9"], 2);
        assert_eq!(
            d["pkg:npm/ms@2.1.2"], 1,
            "direct from the workspace package"
        );
        assert!(!d.contains_key("pkg:npm/%40types/node@20.1.0"));
        assert_eq!(inv.packages[0].name, "@types/node");
        // A version from the future, even with a `packages` map: not guessed at.
        let err = read(r#"{"lockfileVersion": 99, "packages": {}}"#).expect_err("v99");
        assert!(
            err.to_string().contains("version 99 is not supported"),
            "{err}"
        );
        let err = read(r#"{"lockfileVersion": 1, "dependencies": {}}"#).expect_err("v1");
        assert!(
            err.to_string().contains("version 1 is not supported"),
            "{err}"
        );
    }
}
