//! go.mod (the module's requirements; `// indirect` marks the transitive
//! ones, whose place in the graph go.mod does not record) and go.sum.

use crate::read_error::{ReadError, check_conflicts};
use upkeep_core::portfolio::inventory::{Format, Inventory, Package};
use upkeep_core::portfolio::purl::Ecosystem;

/// Reads a go.mod: direct requirements hang off the module; indirect ones
/// are listed with no known depth.
pub fn read_mod(text: &str) -> Result<Inventory, ReadError> {
    check_conflicts(text)?;
    let mut module = None;
    let mut inventory = Inventory {
        format: Format::GoMod,
        roots: Vec::new(),
        packages: Vec::new(),
        edges: Vec::new(),
    };
    let mut in_require = false;
    for (i, raw) in text.lines().enumerate() {
        let (code, comment) = match raw.split_once("//") {
            Some((code, comment)) => (code.trim(), comment.trim()),
            None => (raw.trim(), ""),
        };
        let requirement = if in_require {
            if code == ")" {
                in_require = false;
                continue;
            }
            code
        } else if let Some(rest) = code.strip_prefix("module ") {
            module = Some(rest.trim().trim_matches('"').to_owned());
            continue;
        } else if code == "require (" {
            in_require = true;
            continue;
        } else if let Some(rest) = code.strip_prefix("require ") {
            rest.trim()
        } else {
            continue;
        };
        if requirement.is_empty() {
            continue;
        }
        let mut parts = requirement.split_whitespace();
        let (Some(path), Some(version)) = (parts.next(), parts.next()) else {
            return Err(ReadError::Syntax {
                line: i + 1,
                column: 1,
                message: "a requirement must be `module/path version`".into(),
            });
        };
        let package = Package::locked(&Ecosystem::Go, path.trim_matches('"'), version);
        if comment != "indirect" {
            inventory.edges.push((String::new(), package.id.clone()));
        }
        inventory.packages.push(package);
    }
    let root = format!(
        "go-module:{}",
        module.ok_or_else(|| ReadError::Unsupported("go.mod has no `module` line".into()))?
    );
    for edge in &mut inventory.edges {
        edge.0.clone_from(&root);
    }
    inventory.roots.push(root);
    Ok(inventory)
}

/// Reads a go.sum: the modules whose content was downloaded (lines for a
/// `go.mod` alone are for version selection only), with no graph.
pub fn read_sum(text: &str) -> Result<Inventory, ReadError> {
    check_conflicts(text)?;
    let mut packages: Vec<Package> = Vec::new();
    for (i, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let mut parts = line.split_whitespace();
        let (Some(path), Some(version), Some(_hash)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(ReadError::Syntax {
                line: i + 1,
                column: 1,
                message: "a go.sum line must be `module/path version hash`".into(),
            });
        };
        if version.ends_with("/go.mod") {
            continue;
        }
        packages.push(Package::locked(&Ecosystem::Go, path, version));
    }
    let mut inventory = Inventory {
        format: Format::GoMod,
        roots: Vec::new(),
        packages,
        edges: Vec::new(),
    };
    inventory.dedup_packages();
    Ok(inventory)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn direct_and_indirect() {
        let gomod = "module example.com/app\n\ngo 1.22\n\nrequire github.com/spf13/cobra v1.8.0\n\nrequire (\n\tgolang.org/x/text v0.14.0\n\tgithub.com/inconshreveable/mousetrap v1.1.0 // indirect\n)\n";
        let inv = read_mod(gomod).expect("reads");
        assert_eq!(inv.roots, ["go-module:example.com/app"]);
        assert_eq!(inv.packages.len(), 3);
        let d = inv.depths();
        assert_eq!(d["pkg:golang/github.com/spf13/cobra@v1.8.0"], 1);
        assert_eq!(d["pkg:golang/golang.org/x/text@v0.14.0"], 1);
        assert!(!d.contains_key("pkg:golang/github.com/inconshreveable/mousetrap@v1.1.0"));
        let sum = "github.com/spf13/cobra v1.8.0 h1:abc=\ngithub.com/spf13/cobra v1.8.0/go.mod h1:def=\ngithub.com/old/thing v0.1.0/go.mod h1:x=\n";
        let inv = read_sum(sum).expect("reads");
        assert_eq!(inv.packages.len(), 1);
        let err = read_mod("module x\nrequire (\n\tgithub.com/a/b\n)\n").expect_err("no version");
        assert_eq!(
            err.to_string(),
            "3:1: a requirement must be `module/path version`"
        );
    }
}
