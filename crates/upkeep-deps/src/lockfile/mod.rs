//! Lockfile readers: each turns one lockfile into an [`Inventory`] whose
//! package ids are package URLs, so inventories of several ecosystems merge
//! without clashes.

mod cargo;
mod go;
mod npm;
mod pnpm;
mod python;
mod yarn;

use crate::read_error::ReadError;
use std::path::Path;
use upkeep_core::portfolio::inventory::Inventory;

/// The lockfile names upkeep reads, in the order a directory is searched.
pub const NAMES: &[&str] = &[
    "Cargo.lock",
    "package-lock.json",
    "npm-shrinkwrap.json",
    "pnpm-lock.yaml",
    "yarn.lock",
    "uv.lock",
    "poetry.lock",
    "go.mod",
    "go.sum",
];

/// Reads the lockfile `text`, named `file_name`; `dir` is where it lies, for
/// the manifest beside it (package.json, pyproject.toml) that says which
/// dependencies are direct. `None` if `file_name` is not a lockfile name.
pub fn read(file_name: &str, text: &str, dir: &Path) -> Option<Result<Inventory, ReadError>> {
    // The manifest beside a lockfile: bounded, and only inside its folder.
    let manifest = |name: &str| {
        let path = dir.join(name);
        upkeep_input::inside(dir, &path).ok()?;
        upkeep_input::read_text(&path, upkeep_input::Kind::Inventory).ok()
    };
    Some(match file_name {
        "Cargo.lock" => cargo::read(text),
        "package-lock.json" | "npm-shrinkwrap.json" => npm::read(text),
        "pnpm-lock.yaml" => pnpm::read(text),
        "yarn.lock" => yarn::read(text, manifest("package.json").as_deref()),
        "uv.lock" => python::read_uv(text),
        "poetry.lock" => python::read_poetry(text, manifest("pyproject.toml").as_deref()),
        "go.mod" => go::read_mod(text),
        "go.sum" => go::read_sum(text),
        _ => return None,
    })
}

/// Parses YAML, placing errors at their line and column; a document whose
/// aliases expand past [`crate::yaml_size::MAX_NODES`] nodes is refused unbuilt.
fn yaml(text: &str) -> Result<yaml_rust2::Yaml, ReadError> {
    crate::read_error::check_conflicts(text)?;
    if let Some(at) = crate::yaml_size::too_large(text) {
        return Err(ReadError::Syntax {
            line: at.line(),
            column: at.col() + 1,
            message: format!(
                "its YAML aliases expand past {} nodes, more than any lockfile has: not read",
                crate::yaml_size::MAX_NODES
            ),
        });
    }
    let docs = yaml_rust2::YamlLoader::load_from_str(text).map_err(|e| ReadError::Syntax {
        line: e.marker().line(),
        column: e.marker().col() + 1,
        message: format!("not valid YAML: {}", e.info()),
    })?;
    Ok(docs.into_iter().next().unwrap_or(yaml_rust2::Yaml::Null))
}

/// A YAML mapping's string-keyed entries (none if it is not a mapping).
fn entries(y: &yaml_rust2::Yaml) -> impl Iterator<Item = (&str, &yaml_rust2::Yaml)> {
    y.as_hash()
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| Some((k.as_str()?, v)))
}

/// Splits `name@version` where the name may start with an npm scope `@`.
fn split_at_version(text: &str) -> Option<(&str, &str)> {
    // Past the first character, whatever its width (a scope's `@`, or any).
    let first = text.chars().next()?.len_utf8();
    let at = text[first..].find('@')? + first;
    Some((&text[..at], &text[at + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_at_their_version_whatever_their_first_character() {
        assert_eq!(
            split_at_version("@babel/core@7.23.0"),
            Some(("@babel/core", "7.23.0"))
        );
        assert_eq!(
            split_at_version("lodash@4.17.21"),
            Some(("lodash", "4.17.21"))
        );
        // Found by fuzzing: a first character wider than a byte panicked.
        assert_eq!(split_at_version("é@1"), Some(("é", "1")));
        assert_eq!(split_at_version("\u{fffd}   undici-types"), None);
        assert_eq!(split_at_version(""), None);
    }
}
