//! Where the tests' real data lies, and how a test skips without it.
//!
//! Tests that replay recorded data start with [`needs_data!`]; helpers read
//! through [`path`]. The data is `UPKEEP_TEST_DATA` when set, else
//! `../shared/data` from the project root. Without it a test prints what it
//! needs and returns, unless `UPKEEP_REQUIRE_DATA=1`, which makes it fail.

use std::path::PathBuf;

/// The data folder: `UPKEEP_TEST_DATA`, else `shared/data` beside the
/// checkout.
pub fn dir() -> PathBuf {
    match std::env::var_os("UPKEEP_TEST_DATA") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
    }
}

/// `relative` inside the data folder (`mbox/perceval/…`).
pub fn path(relative: &str) -> PathBuf {
    dir().join(relative)
}

/// The OSV records of the folder `relative` (`advisories/osv-ghsa-npm`):
/// each one's id, its text as recorded (YAML records, as the PyPI advisory
/// database writes them, turned into the JSON OSV serves), and the packages
/// it names.
pub fn osv_records(relative: &str) -> Vec<(String, String, Vec<String>)> {
    let dir = path(relative);
    let mut records: Vec<(String, String, Vec<String>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let text = std::fs::read_to_string(entry.path()).ok()?;
            let doc: serde_json::Value = match entry.path().extension()?.to_str()? {
                "yaml" | "yml" => yaml_to_json(&text)?,
                _ => serde_json::from_str(&text).ok()?,
            };
            let text = match entry.path().extension()?.to_str()? {
                "yaml" | "yml" => doc.to_string(),
                _ => text,
            };
            let names = doc["affected"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|a| a["package"]["name"].as_str().map(str::to_owned))
                .collect();
            Some((doc["id"].as_str()?.to_owned(), text, names))
        })
        .collect();
    records.sort();
    records
}

/// A YAML document as JSON: mappings, sequences, strings, numbers, booleans.
fn yaml_to_json(text: &str) -> Option<serde_json::Value> {
    use yaml_rust2::Yaml;
    fn convert(y: &Yaml) -> serde_json::Value {
        match y {
            Yaml::Hash(h) => serde_json::Value::Object(
                h.iter()
                    .filter_map(|(k, v)| Some((k.as_str()?.to_owned(), convert(v))))
                    .collect(),
            ),
            Yaml::Array(a) => serde_json::Value::Array(a.iter().map(convert).collect()),
            Yaml::String(s) | Yaml::Real(s) => serde_json::Value::from(s.as_str()),
            Yaml::Integer(i) => serde_json::Value::from(i.to_string()),
            Yaml::Boolean(b) => serde_json::Value::from(*b),
            _ => serde_json::Value::Null,
        }
    }
    let docs = yaml_rust2::YamlLoader::load_from_str(text).ok()?;
    docs.first().map(convert)
}

/// Whether the data a test needs is here; when it is not, says so on
/// standard error, or fails when `UPKEEP_REQUIRE_DATA=1`.
pub fn available(test: &str) -> bool {
    let dir = dir();
    if dir.is_dir() {
        return true;
    }
    let message = format!(
        "{test} needs the recorded data of ../shared/data (or UPKEEP_TEST_DATA), not found at {}",
        dir.display()
    );
    if std::env::var("UPKEEP_REQUIRE_DATA").is_ok_and(|v| v == "1") {
        panic!("{message}; UPKEEP_REQUIRE_DATA=1 requires it");
    }
    eprintln!("skipped: {message}");
    false
}

/// Returns from the test when the recorded data is not here (see
/// [`available`]).
#[macro_export]
macro_rules! needs_data {
    () => {
        if !$crate::available(module_path!()) {
            return;
        }
    };
}
