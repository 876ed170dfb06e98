//! Which packages a repository publishes, from its manifests at the tip:
//! Cargo.toml (`[package]`, and a workspace's members), package.json
//! (`name`, unless `private`), pyproject.toml (`[project]` or Poetry's
//! `[tool.poetry]`), setup.cfg (`[metadata] name`) and go.mod (`module`).
//! A package marked not to be published (`publish = false`, `"private":
//! true`) is left out.

use upkeep_core::portfolio::purl::{Ecosystem, Purl, pypi_name};

/// A package a manifest names.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Published {
    /// Its package URL, without a version.
    pub purl: String,
    /// The manifest's path.
    pub source: String,
}

/// The packages `manifests` (path, content) name, each once, by package URL.
pub fn published(manifests: &[(String, String)]) -> Vec<Published> {
    let (members, excluded) = workspace_members(manifests);
    let mut out: Vec<Published> = manifests
        .iter()
        .filter_map(|(path, content)| {
            let file = path.rsplit('/').next().unwrap_or(path);
            let in_root = !path.contains('/');
            let (ecosystem, name) = match file {
                "Cargo.toml"
                    if in_root
                        || (members.iter().any(|m| member_of(path, m))
                            && !excluded.iter().any(|m| member_of(path, m))) =>
                {
                    (Ecosystem::Cargo, cargo_name(content)?)
                }
                "package.json" if in_root => (Ecosystem::Npm, npm_name(content)?),
                "pyproject.toml" if in_root => {
                    (Ecosystem::PyPi, pypi_name(&pyproject_name(content)?))
                }
                "setup.cfg" if in_root => (Ecosystem::PyPi, pypi_name(&setup_cfg_name(content)?)),
                "go.mod" if in_root => (Ecosystem::Go, go_module(content)?),
                _ => return None,
            };
            Some(Published {
                purl: Purl::format(&ecosystem, &name, None),
                source: path.clone(),
            })
        })
        .collect();
    out.sort();
    out.dedup_by(|a, b| a.purl == b.purl);
    out
}

/// The member and excluded patterns of the root Cargo.toml's `[workspace]` (`crates/*`).
fn workspace_members(manifests: &[(String, String)]) -> (Vec<String>, Vec<String>) {
    let Some((_, root)) = manifests.iter().find(|(p, _)| p == "Cargo.toml") else {
        return (Vec::new(), Vec::new());
    };
    let Ok(doc) = root.parse::<toml::Table>() else {
        return (Vec::new(), Vec::new());
    };
    let list = |key: &str| -> Vec<String> {
        doc.get("workspace")
            .and_then(|w| w.get(key))
            .and_then(toml::Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(|s| s.trim_end_matches('/').to_owned()))
            .collect()
    };
    (list("members"), list("exclude"))
}

/// Whether the manifest at `path` (`crates/x/Cargo.toml`) is of the member
/// pattern `pattern` (`crates/*`, `crates/x`): `*` is one directory.
fn member_of(path: &str, pattern: &str) -> bool {
    let Some(dir) = path.strip_suffix("/Cargo.toml") else {
        return false;
    };
    let dirs: Vec<&str> = dir.split('/').collect();
    let parts: Vec<&str> = pattern.split('/').collect();
    dirs.len() == parts.len() && dirs.iter().zip(&parts).all(|(d, p)| *p == "*" || d == p)
}

/// `[package] name`, unless `publish = false`.
fn cargo_name(content: &str) -> Option<String> {
    let doc = content.parse::<toml::Table>().ok()?;
    let package = doc.get("package")?;
    if package.get("publish").and_then(toml::Value::as_bool) == Some(false) {
        return None;
    }
    Some(package.get("name")?.as_str()?.to_owned())
}

/// `name`, unless `"private": true`.
fn npm_name(content: &str) -> Option<String> {
    let doc: serde_json::Value = serde_json::from_str(content).ok()?;
    if doc["private"].as_bool() == Some(true) {
        return None;
    }
    Some(doc["name"].as_str()?.to_owned())
}

/// `[project] name`, else `[tool.poetry] name`.
fn pyproject_name(content: &str) -> Option<String> {
    let doc = content.parse::<toml::Table>().ok()?;
    let project = doc.get("project").and_then(|p| p.get("name"));
    let poetry = doc
        .get("tool")
        .and_then(|t| t.get("poetry"))
        .and_then(|p| p.get("name"));
    Some(project.or(poetry)?.as_str()?.to_owned())
}

/// `name` in setup.cfg's `[metadata]` section.
fn setup_cfg_name(content: &str) -> Option<String> {
    let mut in_metadata = false;
    for line in content.lines().map(str::trim) {
        if line.starts_with('[') {
            in_metadata = line == "[metadata]";
        } else if in_metadata
            && let Some((key, value)) = line.split_once('=')
            && key.trim() == "name"
            && !value.trim().is_empty()
        {
            return Some(value.trim().to_owned());
        }
    }
    None
}

/// go.mod's `module` path.
fn go_module(content: &str) -> Option<String> {
    content.lines().find_map(|line| {
        let rest = line.trim().strip_prefix("module")?;
        let module = rest.trim().trim_matches('"');
        (!module.is_empty() && rest.starts_with(char::is_whitespace)).then(|| module.to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(path: &str, content: &str) -> (String, String) {
        (path.into(), content.into())
    }

    #[test]
    fn manifests_name_the_packages_published() {
        let manifests = [
            m(
                "Cargo.toml",
                "[workspace]\nmembers = [\"crates/*\", \"tool\"]\nexclude = [\"crates/skip\"]\n",
            ),
            m(
                "crates/core/Cargo.toml",
                "[package]\nname = \"demo-core\"\n",
            ),
            m(
                "crates/internal/Cargo.toml",
                "[package]\nname = \"internal\"\npublish = false\n",
            ),
            m("crates/skip/Cargo.toml", "[package]\nname = \"skipped\"\n"),
            m("tool/Cargo.toml", "[package]\nname = \"demo-tool\"\n"),
            m(
                "examples/x/Cargo.toml",
                "[package]\nname = \"not-a-member\"\n",
            ),
            m(
                "package.json",
                "{\"name\": \"@demo/js\", \"version\": \"1.0.0\"}",
            ),
            m("pyproject.toml", "[project]\nname = \"Demo_Py\"\n"),
            m(
                "setup.cfg",
                "[options]\nname = wrong\n[metadata]\nname = demo-py\n",
            ),
            m(
                "go.mod",
                "// comment\nmodule github.com/demo/demo\n\ngo 1.21\n",
            ),
        ];
        let purls: Vec<(String, String)> = published(&manifests)
            .into_iter()
            .map(|p| (p.purl, p.source))
            .collect();
        assert_eq!(
            purls,
            [
                (
                    "pkg:cargo/demo-core".to_owned(),
                    "crates/core/Cargo.toml".to_owned()
                ),
                ("pkg:cargo/demo-tool".into(), "tool/Cargo.toml".into()),
                ("pkg:golang/github.com/demo/demo".into(), "go.mod".into()),
                ("pkg:npm/%40demo/js".into(), "package.json".into()),
                ("pkg:pypi/demo-py".into(), "pyproject.toml".into()),
            ]
        );
    }

    #[test]
    fn private_and_malformed_manifests_name_nothing() {
        let manifests = [
            m("package.json", "{\"name\": \"app\", \"private\": true}"),
            m("Cargo.toml", "[package\nname = "),
            m("pyproject.toml", "[build-system]\nrequires = []\n"),
            m("go.mod", "modules x\n"),
        ];
        assert_eq!(published(&manifests), []);
    }
}
