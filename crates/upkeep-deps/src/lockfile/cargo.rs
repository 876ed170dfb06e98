//! Cargo.lock: packages without a `source` are the workspace's own (its
//! members and path dependencies); what they depend on is direct.

use crate::read_error::{ReadError, check_conflicts, toml_error};
use serde::Deserialize;
use upkeep_core::portfolio::inventory::{Format, Inventory, Mapping, Package};
use upkeep_core::portfolio::purl::Ecosystem;

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    package: Vec<Locked>,
}

#[derive(Deserialize)]
struct Locked {
    name: String,
    version: String,
    source: Option<String>,
    #[serde(default)]
    dependencies: Vec<String>,
}

/// Reads a Cargo.lock (versions 1 to 4).
pub fn read(text: &str) -> Result<Inventory, ReadError> {
    check_conflicts(text)?;
    let lock: Lock = toml::from_str(text).map_err(|e| toml_error(text, &e))?;
    let id = |p: &Locked| {
        if p.source.is_none() {
            format!("cargo-workspace:{}@{}", p.name, p.version)
        } else {
            Package::locked(&Ecosystem::Cargo, &p.name, &p.version).id
        }
    };
    // A dependency is written `name`, `name version` or `name version (source)`.
    let find = |spec: &str| {
        let mut parts = spec.split_whitespace();
        let (name, version) = (parts.next()?, parts.next());
        lock.package
            .iter()
            .find(|p| p.name == name && version.is_none_or(|v| v == p.version))
    };
    let mut inventory = Inventory {
        format: Format::CargoLock,
        roots: Vec::new(),
        packages: Vec::new(),
        edges: Vec::new(),
    };
    for p in &lock.package {
        let from = id(p);
        for dep in p.dependencies.iter().filter_map(|d| find(d)) {
            inventory.edges.push((from.clone(), id(dep)));
        }
        match &p.source {
            None => inventory.roots.push(from),
            Some(source) => {
                let mut package = Package::locked(&Ecosystem::Cargo, &p.name, &p.version);
                package.repository = source
                    .starts_with("git+")
                    .then(|| Mapping::git_source(source))
                    .flatten();
                inventory.packages.push(package);
            }
        }
    }
    Ok(inventory)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workspace_members_are_roots() {
        let lock = r#"
version = 4

[[package]]
name = "app"
version = "0.1.0"
dependencies = ["serde", "util", "anyhow 1.0.90"]

[[package]]
name = "util"
version = "0.1.0"
dependencies = ["itoa"]

[[package]]
name = "serde"
version = "1.0.200"
source = "registry+https://github.com/rust-lang/crates.io-index"
dependencies = ["serde_derive"]

[[package]]
name = "serde_derive"
version = "1.0.200"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "itoa"
version = "1.0.11"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "anyhow"
version = "1.0.90"
source = "git+https://github.com/dtolnay/anyhow?branch=master#abc123"
"#;
        let inv = read(lock).expect("reads");
        assert_eq!(
            inv.roots,
            ["cargo-workspace:app@0.1.0", "cargo-workspace:util@0.1.0"]
        );
        assert_eq!(inv.packages.len(), 4);
        let depths = inv.depths();
        // serde, anyhow (app) and itoa (util, a member) are direct; serde_derive is at depth 2.
        assert_eq!(depths["pkg:cargo/serde@1.0.200"], 1);
        assert_eq!(depths["pkg:cargo/itoa@1.0.11"], 1);
        assert_eq!(depths["pkg:cargo/anyhow@1.0.90"], 1);
        assert_eq!(depths["pkg:cargo/serde_derive@1.0.200"], 2);
        let anyhow = inv
            .packages
            .iter()
            .find(|p| p.name == "anyhow")
            .expect("anyhow");
        assert_eq!(
            anyhow.repository.as_ref().map(|m| m.repository.as_str()),
            Some("https://github.com/dtolnay/anyhow")
        );
        let err = read("[[package]]\nname = \"x\"\nversion = \n").expect_err("malformed");
        assert!(err.to_string().starts_with("3:"), "{err}");
    }
}
