//! uv.lock and poetry.lock. uv marks the project itself (an editable,
//! virtual or directory source); poetry does not, so its direct dependencies
//! come from the pyproject.toml beside it.

use crate::read_error::{ReadError, check_conflicts, toml_error};
use serde::Deserialize;
use std::collections::BTreeMap;
use upkeep_core::portfolio::inventory::{Format, Inventory, Mapping, Package};
use upkeep_core::portfolio::purl::{Ecosystem, pypi_name};

#[derive(Deserialize)]
struct UvLock {
    #[serde(default)]
    package: Vec<UvPackage>,
}

#[derive(Deserialize)]
struct UvPackage {
    name: String,
    version: Option<String>,
    #[serde(default)]
    source: BTreeMap<String, toml::Value>,
    #[serde(default)]
    dependencies: Vec<UvDependency>,
    #[serde(default, rename = "optional-dependencies")]
    optional: BTreeMap<String, Vec<UvDependency>>,
    #[serde(default, rename = "dev-dependencies")]
    dev: BTreeMap<String, Vec<UvDependency>>,
}

#[derive(Deserialize)]
struct UvDependency {
    name: String,
    version: Option<String>,
}

/// Reads a uv.lock.
pub fn read_uv(text: &str) -> Result<Inventory, ReadError> {
    check_conflicts(text)?;
    let lock: UvLock = toml::from_str(text).map_err(|e| toml_error(text, &e))?;
    let ours = |p: &UvPackage| {
        ["editable", "virtual", "directory"]
            .iter()
            .any(|k| p.source.contains_key(*k))
    };
    let id = |p: &UvPackage| {
        if ours(p) {
            format!("uv-project:{}", pypi_name(&p.name))
        } else {
            Package::locked(
                &Ecosystem::PyPi,
                &pypi_name(&p.name),
                p.version.as_deref().unwrap_or(""),
            )
            .id
        }
    };
    let find = |d: &UvDependency| {
        lock.package.iter().find(|p| {
            pypi_name(&p.name) == pypi_name(&d.name)
                && d.version
                    .as_ref()
                    .is_none_or(|v| Some(v) == p.version.as_ref())
        })
    };
    let mut inventory = Inventory {
        format: Format::UvLock,
        roots: Vec::new(),
        packages: Vec::new(),
        edges: Vec::new(),
    };
    for p in &lock.package {
        let from = id(p);
        let deps = p
            .dependencies
            .iter()
            .chain(p.optional.values().flatten())
            .chain(p.dev.values().flatten());
        for dep in deps.filter_map(&find) {
            inventory.edges.push((from.clone(), id(dep)));
        }
        if ours(p) {
            inventory.roots.push(from);
            continue;
        }
        let mut package = Package::locked(
            &Ecosystem::PyPi,
            &pypi_name(&p.name),
            p.version.as_deref().unwrap_or(""),
        );
        package.repository = p
            .source
            .get("git")
            .and_then(toml::Value::as_str)
            .and_then(Mapping::git_source);
        inventory.packages.push(package);
    }
    Ok(inventory)
}

#[derive(Deserialize)]
struct PoetryLock {
    #[serde(default)]
    package: Vec<PoetryPackage>,
}

#[derive(Deserialize)]
struct PoetryPackage {
    name: String,
    version: String,
    #[serde(default)]
    dependencies: BTreeMap<String, toml::Value>,
    source: Option<PoetrySource>,
}

#[derive(Deserialize)]
struct PoetrySource {
    #[serde(rename = "type")]
    kind: String,
    url: Option<String>,
}

/// Reads a poetry.lock; `pyproject` is the pyproject.toml beside it, if any.
pub fn read_poetry(text: &str, pyproject: Option<&str>) -> Result<Inventory, ReadError> {
    check_conflicts(text)?;
    let lock: PoetryLock = toml::from_str(text).map_err(|e| toml_error(text, &e))?;
    let id_of = |name: &str| {
        let name = pypi_name(name);
        lock.package
            .iter()
            .find(|p| pypi_name(&p.name) == name)
            .map(|p| Package::locked(&Ecosystem::PyPi, &name, &p.version).id)
    };
    let mut inventory = Inventory {
        format: Format::PoetryLock,
        roots: Vec::new(),
        packages: Vec::new(),
        edges: Vec::new(),
    };
    if let Some(manifest) = pyproject {
        let root = "poetry-project:pyproject.toml".to_owned();
        for name in direct_names(manifest)? {
            if let Some(to) = id_of(&name) {
                inventory.edges.push((root.clone(), to));
            }
        }
        inventory.roots.push(root);
    }
    for p in &lock.package {
        let mut package = Package::locked(&Ecosystem::PyPi, &pypi_name(&p.name), &p.version);
        for dep in p.dependencies.keys().filter_map(|d| id_of(d)) {
            inventory.edges.push((package.id.clone(), dep));
        }
        package.repository = p
            .source
            .as_ref()
            .filter(|s| s.kind == "git")
            .and_then(|s| s.url.as_deref())
            .and_then(Mapping::git_source);
        inventory.packages.push(package);
    }
    Ok(inventory)
}

/// The project's own dependency names from a pyproject.toml: Poetry's tables
/// (main, dev and groups) and PEP 621's `project.dependencies`.
fn direct_names(pyproject: &str) -> Result<Vec<String>, ReadError> {
    let doc: toml::Table = toml::from_str(pyproject).map_err(|e| {
        ReadError::Unsupported(format!(
            "the pyproject.toml beside it is not valid TOML ({})",
            toml_error(pyproject, &e)
        ))
    })?;
    let mut names = Vec::new();
    let poetry = doc.get("tool").and_then(|t| t.get("poetry"));
    let tables = poetry
        .and_then(|p| p.get("dependencies"))
        .into_iter()
        .chain(poetry.and_then(|p| p.get("dev-dependencies")))
        .chain(
            poetry
                .and_then(|p| p.get("group"))
                .and_then(toml::Value::as_table)
                .into_iter()
                .flat_map(|groups| groups.values().filter_map(|g| g.get("dependencies"))),
        );
    for table in tables.filter_map(toml::Value::as_table) {
        names.extend(table.keys().filter(|k| *k != "python").cloned());
    }
    let project = doc.get("project");
    let requirements = project
        .and_then(|p| p.get("dependencies"))
        .and_then(toml::Value::as_array)
        .into_iter()
        .flatten()
        .chain(
            project
                .and_then(|p| p.get("optional-dependencies"))
                .and_then(toml::Value::as_table)
                .into_iter()
                .flat_map(|t| t.values().filter_map(toml::Value::as_array).flatten()),
        );
    for requirement in requirements.filter_map(toml::Value::as_str) {
        // PEP 508: the name ends at the first character that cannot be in one.
        let name: String = requirement
            .trim()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            .collect();
        if !name.is_empty() {
            names.push(name);
        }
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uv_project_and_packages() {
        let lock = r#"
version = 1
requires-python = ">=3.12"

[[package]]
name = "app"
version = "0.1.0"
source = { editable = "." }
dependencies = [{ name = "requests" }]

[package.dev-dependencies]
dev = [{ name = "pytest" }]

[[package]]
name = "requests"
version = "2.32.3"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "urllib3" }]

[[package]]
name = "urllib3"
version = "2.2.3"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "pytest"
version = "8.3.3"
source = { git = "https://github.com/pytest-dev/pytest?rev=8.3.3#abc" }
"#;
        let inv = read_uv(lock).expect("reads");
        assert_eq!(inv.roots, ["uv-project:app"]);
        let d = inv.depths();
        assert_eq!(d["pkg:pypi/requests@2.32.3"], 1);
        assert_eq!(d["pkg:pypi/pytest@8.3.3"], 1);
        assert_eq!(d["pkg:pypi/urllib3@2.2.3"], 2);
        let pytest = inv
            .packages
            .iter()
            .find(|p| p.name == "pytest")
            .expect("pytest");
        assert_eq!(
            pytest.repository.as_ref().map(|m| m.repository.as_str()),
            Some("https://github.com/pytest-dev/pytest")
        );
    }

    #[test]
    fn poetry_with_pyproject() {
        let lock = r#"
[[package]]
name = "Flask"
version = "3.0.3"

[package.dependencies]
Werkzeug = ">=3.0.0"

[[package]]
name = "werkzeug"
version = "3.0.4"

[[package]]
name = "black"
version = "24.8.0"
"#;
        let pyproject = r#"
[tool.poetry.dependencies]
python = "^3.11"
flask = "^3.0"

[tool.poetry.group.dev.dependencies]
black = "*"
"#;
        let inv = read_poetry(lock, Some(pyproject)).expect("reads");
        let d = inv.depths();
        assert_eq!(d["pkg:pypi/flask@3.0.3"], 1);
        assert_eq!(d["pkg:pypi/black@24.8.0"], 1);
        assert_eq!(d["pkg:pypi/werkzeug@3.0.4"], 2);
        let pep621 = direct_names("[project]\ndependencies = [\"requests>=2\", \"typing_extensions; python_version<'3.11'\"]\n")
            .expect("reads");
        assert_eq!(pep621, ["requests", "typing_extensions"]);
    }
}
