//! yarn.lock, classic (v1, its own format) and berry (v2+, YAML). Entries are
//! keyed by the descriptors (`name@range`) they satisfy. Classic lockfiles do
//! not name the project's own dependencies: the package.json beside it does.

use super::{entries, split_at_version, yaml};
use crate::read_error::{ReadError, check_conflicts, json_error};
use std::collections::HashMap;
use upkeep_core::portfolio::inventory::{Format, Inventory, Package};
use upkeep_core::portfolio::purl::Ecosystem;

const DEPENDENCY_KINDS: &[&str] = &[
    "dependencies",
    "devDependencies",
    "optionalDependencies",
    "peerDependencies",
];

/// One lockfile entry: the descriptors it satisfies, its version and its dependencies.
struct Entry {
    descriptors: Vec<String>,
    name: String,
    version: String,
    workspace: bool,
    dependencies: Vec<(String, String)>,
}

/// Reads a yarn.lock; `package_json` is the manifest beside it, if any.
pub fn read(text: &str, package_json: Option<&str>) -> Result<Inventory, ReadError> {
    check_conflicts(text)?;
    let entries = if text.contains("\n__metadata:") || text.starts_with("__metadata:") {
        berry(text)?
    } else {
        classic(text)?
    };
    let mut by_descriptor: HashMap<&str, &Entry> = HashMap::new();
    for e in &entries {
        for d in &e.descriptors {
            by_descriptor.insert(d, e);
        }
    }
    let id = |e: &Entry| {
        if e.workspace {
            format!("yarn-workspace:{}", e.name)
        } else {
            Package::locked(&Ecosystem::Npm, &e.name, &e.version).id
        }
    };
    let find = |name: &str, range: &str| {
        by_descriptor
            .get(format!("{name}@{range}").as_str())
            .or_else(|| by_descriptor.get(format!("{name}@npm:{range}").as_str()))
            .copied()
    };
    let mut inventory = Inventory {
        format: Format::YarnLock,
        roots: Vec::new(),
        packages: Vec::new(),
        edges: Vec::new(),
    };
    if let Some(manifest) = package_json {
        let doc: serde_json::Value = serde_json::from_str(manifest).map_err(|e| {
            ReadError::Unsupported(format!(
                "the package.json beside it is not valid JSON ({})",
                json_error(&e)
            ))
        })?;
        let root = "yarn-project:package.json".to_owned();
        for (name, range) in DEPENDENCY_KINDS
            .iter()
            .filter_map(|k| doc.get(*k).and_then(serde_json::Value::as_object))
            .flatten()
        {
            if let Some(e) = range.as_str().and_then(|r| find(name, r)) {
                inventory.edges.push((root.clone(), id(e)));
            }
        }
        inventory.roots.push(root);
    }
    for e in &entries {
        let from = id(e);
        if e.workspace {
            inventory.roots.push(from.clone());
        } else {
            inventory
                .packages
                .push(Package::locked(&Ecosystem::Npm, &e.name, &e.version));
        }
        for (name, range) in &e.dependencies {
            if let Some(to) = find(name, range) {
                inventory.edges.push((from.clone(), id(to)));
            }
        }
    }
    inventory.dedup_packages();
    Ok(inventory)
}

fn unquote(s: &str) -> &str {
    s.trim().trim_matches('"')
}

/// The name of a descriptor `name@range` (scoped names start with `@`).
fn descriptor_name(descriptor: &str) -> Option<&str> {
    split_at_version(descriptor).map(|(n, _)| n)
}

fn classic(text: &str) -> Result<Vec<Entry>, ReadError> {
    let mut out: Vec<Entry> = Vec::new();
    let mut in_dependencies = false;
    for (i, line) in text.lines().enumerate() {
        let syntax = |message: &str| ReadError::Syntax {
            line: i + 1,
            column: 1,
            message: message.to_owned(),
        };
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        match indent {
            0 => {
                let header = line
                    .strip_suffix(':')
                    .ok_or_else(|| syntax("an entry header must end with ':'"))?;
                let descriptors: Vec<String> =
                    header.split(", ").map(|d| unquote(d).to_owned()).collect();
                let name = descriptors
                    .first()
                    .and_then(|d| descriptor_name(d))
                    .ok_or_else(|| syntax("an entry header must name `package@range`"))?
                    .to_owned();
                out.push(Entry {
                    descriptors,
                    name,
                    version: String::new(),
                    workspace: false,
                    dependencies: Vec::new(),
                });
                in_dependencies = false;
            }
            2 => {
                let entry = out
                    .last_mut()
                    .ok_or_else(|| syntax("a field outside any entry"))?;
                let field = line.trim();
                in_dependencies = field == "dependencies:" || field == "optionalDependencies:";
                if let Some(version) = field.strip_prefix("version ") {
                    entry.version = unquote(version).to_owned();
                }
            }
            _ if in_dependencies => {
                let entry = out
                    .last_mut()
                    .ok_or_else(|| syntax("a dependency outside any entry"))?;
                let field = line.trim();
                let (name, range) = if let Some(rest) = field.strip_prefix('"') {
                    let (name, range) = rest
                        .split_once('"')
                        .ok_or_else(|| syntax("an unterminated quoted name"))?;
                    (name, range)
                } else {
                    field
                        .split_once(' ')
                        .ok_or_else(|| syntax("a dependency must be `name range`"))?
                };
                entry
                    .dependencies
                    .push((name.to_owned(), unquote(range).to_owned()));
            }
            _ => {}
        }
    }
    Ok(out)
}

fn berry(text: &str) -> Result<Vec<Entry>, ReadError> {
    let doc = yaml(text)?;
    Ok(entries(&doc)
        .filter(|(key, _)| *key != "__metadata")
        .filter_map(|(key, value)| {
            let descriptors: Vec<String> = key.split(", ").map(|d| unquote(d).to_owned()).collect();
            let resolution = value["resolution"].as_str()?;
            let name = descriptor_name(resolution)?.to_owned();
            Some(Entry {
                workspace: resolution.contains("@workspace:"),
                descriptors,
                name,
                version: value["version"].as_str().unwrap_or_default().to_owned(),
                dependencies: ["dependencies", "optionalDependencies"]
                    .iter()
                    .flat_map(|k| entries(&value[*k]))
                    .filter_map(|(n, r)| Some((n.to_owned(), r.as_str()?.to_owned())))
                    .collect(),
            })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classic_with_its_manifest() {
        let lock = r#"# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.
# yarn lockfile v1


"@babel/code-frame@^7.0.0", "@babel/code-frame@^7.10.4":
  version "7.12.13"
  resolved "https://registry.yarnpkg.com/@babel/code-frame/-/code-frame-7.12.13.tgz"
  dependencies:
    "@babel/highlight" "^7.12.13"

"@babel/highlight@^7.12.13":
  version "7.13.10"
  dependencies:
    chalk "^2.0.0"

chalk@^2.0.0:
  version "2.4.2"
"#;
        let manifest = r#"{"dependencies": {"@babel/code-frame": "^7.10.4"}}"#;
        let inv = read(lock, Some(manifest)).expect("reads");
        assert_eq!(inv.packages.len(), 3);
        let d = inv.depths();
        assert_eq!(d["pkg:npm/%40babel/code-frame@7.12.13"], 1);
        assert_eq!(d["pkg:npm/%40babel/highlight@7.13.10"], 2);
        assert_eq!(d["pkg:npm/chalk@2.4.2"], 3);
        let without = read(lock, None).expect("reads");
        assert!(
            without.depths().is_empty(),
            "no manifest, no direct dependencies"
        );
    }

    #[test]
    fn berry_workspaces() {
        let lock = r#"__metadata:
  version: 8
  cacheKey: 10c0

"app@workspace:.":
  version: 0.0.0-use.local
  resolution: "app@workspace:."
  dependencies:
    ms: "npm:^2.1.0"
  languageName: unknown
  linkType: soft

"ms@npm:^2.1.0":
  version: 2.1.3
  resolution: "ms@npm:2.1.3"
  languageName: node
  linkType: hard
"#;
        let inv = read(lock, None).expect("reads");
        assert_eq!(inv.roots, ["yarn-workspace:app"]);
        assert_eq!(inv.depths()["pkg:npm/ms@2.1.3"], 1);
    }
}
