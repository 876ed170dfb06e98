//! The parsers fuzzed, each with its seeds: real files of `../shared/data`
//! of its kind (SBOMs, mail archives, gitdm files, forge, JIRA and registry
//! answers), and for kinds the data has none of (lockfiles, the roster and
//! engagement tables, upkeep.toml, FUNDING.yml), the files of
//! `tests/fuzz-seeds/` (this repository's own Cargo.lock among them); OSV
//! records and GitHub's advisory payloads; manifests and security policies
//! as read at a repository's tip.

use serde_json::Value;
use std::path::Path;
use upkeep_app::config::Config;
use upkeep_app::documents::{csv_records, engagement, roster};
use upkeep_core::identities::gitdm;
use upkeep_core::portfolio::purl::Ecosystem;
use upkeep_forge::github::rest;
use upkeep_forge::{gitlab, jira};

/// A parser and the inputs mutations start from.
pub struct Target {
    /// Its name, the prefix of its saved cases.
    pub name: &'static str,
    /// Real inputs.
    pub seeds: Vec<Vec<u8>>,
    /// Parses one input; whatever it returns, it must return.
    pub parse: fn(&[u8]),
}

/// The largest seed used: mutations of larger files cost more than they
/// find.
const MAX_SEED: usize = 256 << 10;

/// Every file under `relative` in the shared data (recursively), of at most
/// [`MAX_SEED`] bytes, sorted.
fn data_files(relative: &str) -> Vec<Vec<u8>> {
    let mut paths = Vec::new();
    let mut stack = vec![upkeep_testdata::path(relative)];
    while let Some(path) = stack.pop() {
        match std::fs::read_dir(&path) {
            Ok(entries) => stack.extend(entries.filter_map(Result::ok).map(|e| e.path())),
            Err(_) => paths.push(path),
        }
    }
    paths.sort();
    paths
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .filter(|bytes| bytes.len() <= MAX_SEED)
        .collect()
}

/// The start of `bytes`, at most `max` of them, cut after a line.
fn head(bytes: Vec<u8>, max: usize) -> Vec<u8> {
    if bytes.len() <= max {
        return bytes;
    }
    let cut = bytes[..max]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(max, |i| i + 1);
    bytes[..cut].to_vec()
}

/// JSON documents: inputs that start with `{` or `[`, or whose JSON starts
/// after a header (insta snapshots, recorded replays).
fn json_seeds(relative: &str) -> Vec<Vec<u8>> {
    data_files(relative)
        .into_iter()
        .filter_map(|bytes| {
            let start = bytes.iter().position(|&b| b == b'{' || b == b'[')?;
            serde_json::from_slice::<Value>(&bytes[start..]).ok()?;
            Some(bytes[start..].to_vec())
        })
        .collect()
}

fn seed_file(dir: &Path, name: &str) -> Vec<Vec<u8>> {
    let path = dir.join("tests/fuzz-seeds").join(name);
    vec![std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))]
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn lockfile(name: &str, bytes: &[u8]) {
    let _ = upkeep_deps::lockfile::read(name, &text(bytes), Path::new("/nonexistent/upkeep-fuzz"));
}

fn forge_json(bytes: &[u8]) {
    let json = text(bytes);
    let _ = rest::items(&json);
    let _ = rest::comments(&json);
    let _ = rest::reviews(&json, 1);
    let _ = rest::events(&json);
    let _ = rest::releases(&json);
    let _ = rest::repo(&json);
    let _ = rest::commit_links(&json);
    let _ = upkeep_forge::github::adoption::counts(&json);
    let _ = upkeep_forge::github::adoption::forks(&json);
    let _ = upkeep_forge::github::adoption::ahead_by(&json);
    let Ok(value) = serde_json::from_str::<Value>(&json) else {
        return;
    };
    let mut values = vec![&value];
    values.extend(value.as_array().into_iter().flatten());
    values.extend(value["issues"].as_array().into_iter().flatten());
    for v in values {
        let _ = gitlab::parse::merge_request(v);
        let _ = gitlab::parse::issue(v);
        let _ = gitlab::parse::notes(v, 1, Some("jira"));
        let _ = gitlab::parse::releases(v);
        let _ = gitlab::parse::project(v);
        let _ = gitlab::parse::maintainers(v);
        let _ = jira::parse::item(v, "KAFKA");
        let _ = jira::parse::changelog(v, 1, "KAFKA");
        let _ = jira::parse::comment(v, 1, "KAFKA");
        let _ = upkeep_forge::github::graphql::timeline_activities(v, 1);
    }
}

fn registry_json(bytes: &[u8]) {
    let Ok(doc) = serde_json::from_slice::<Value>(bytes) else {
        return;
    };
    for ecosystem in [
        Ecosystem::Cargo,
        Ecosystem::Npm,
        Ecosystem::PyPi,
        Ecosystem::Go,
    ] {
        let _ = upkeep_deps::registry::repository_of(&ecosystem, &doc);
        let _ = upkeep_deps::registry::published_times(&ecosystem, &doc, &["1.0.0".into()]);
    }
}

/// An OSV record through everything that reads one: its severity, its
/// ranges against a version, its fixed versions and fix commits, and the
/// security response of a project publishing its first package.
fn osv_record(bytes: &[u8]) {
    use upkeep_core::advisories::{affected, severity};
    use upkeep_core::metrics::security_response::{Evidence, ProjectPackage, compute};
    let Ok(record) = upkeep_deps::osv::parse_record(&text(bytes)) else {
        return;
    };
    let _ = severity::of(&record);
    let _ = record.fix_commits();
    for a in &record.affected {
        let _ = affected::affects(a, "1.0.0");
        let _ = affected::fixed_versions(a);
    }
    let Some(first) = record.affected.first() else {
        return;
    };
    let evidence = Evidence {
        packages: vec![ProjectPackage {
            purl: "pkg:generic/x".into(),
            ecosystem: first.package.ecosystem.clone(),
            name: first.package.name.clone(),
            source: "fuzz".into(),
        }],
        records: vec![record.clone()],
        ..Evidence::default()
    };
    let window = upkeep_core::metrics::Window {
        since: 0,
        until: 2_000_000_000,
    };
    let _ = compute(Some(&evidence), &[], window);
}

/// A repository's files at its tip: as manifests of each kind, and as a
/// security policy.
fn tip_file(bytes: &[u8]) {
    use upkeep_core::events::{RawText, TipFile, TipFileKind};
    let content = text(bytes);
    let manifests: Vec<(String, String)> = upkeep_core::events::MANIFESTS
        .iter()
        .chain(["crates/x/Cargo.toml"].iter())
        .map(|name| ((*name).to_owned(), content.clone()))
        .collect();
    let _ = upkeep_deps::published::published(&manifests);
    let policy = TipFile {
        path: RawText::from("SECURITY.md"),
        kind: TipFileKind::Security,
        content: RawText::from(bytes),
    };
    let _ = upkeep_core::advisories::disclosure::disclosure(&[policy], None, None);
}

fn gitdm_files(bytes: &[u8]) {
    let text = text(bytes);
    let _ = gitdm::parse_developers(&text);
    let _ = gitdm::parse_domain_map(&text);
    let _ = gitdm::parse_aliases(&text);
    let _ = gitdm::parse_company_names(&text);
}

/// The roster's columns, its team optional.
const ROSTER: csv_records::Columns<'static> = csv_records::Columns {
    names: &roster::COLUMNS,
    required: roster::REQUIRED,
};
/// The teams a fuzzed roster may name.
const TEAMS: [&str; 2] = ["platform", "data"];

fn roster_table(bytes: &[u8]) {
    if let Ok(rows) = csv_records::parse(&text(bytes), "roster.csv", ROSTER, |r| {
        roster::check(r, &TEAMS.map(String::from))
    }) {
        roster::entries(&rows, "ACME", "roster.csv");
    }
}

fn engagement_table(bytes: &[u8]) {
    let parsed = csv_records::parse(
        &text(bytes),
        "e.csv",
        csv_records::Columns::all(&engagement::COLUMNS),
        engagement::check,
    );
    if let Ok(rows) = parsed {
        engagement::records(&rows, "e.csv");
    }
}

/// `From:` values of the real archives, RFC 2047 words among them.
fn from_lines() -> Vec<Vec<u8>> {
    let mut lines: Vec<Vec<u8>> = data_files("mbox/perceval")
        .iter()
        .flat_map(|mbox| {
            mbox.split(|&b| b == b'\n')
                .filter_map(|line| line.strip_prefix(b"From: ").map(<[u8]>::to_vec))
                .collect::<Vec<_>>()
        })
        .collect();
    lines.sort();
    lines.dedup();
    lines
}

/// Every target with its seeds; `dir` is this crate's folder.
pub fn all(dir: &Path) -> Vec<Target> {
    vec![
        Target {
            name: "sbom",
            seeds: data_files("sbom"),
            parse: |b| drop(upkeep_deps::sbom::read(&text(b))),
        },
        Target {
            name: "cargo-lock",
            seeds: seed_file(dir, "Cargo.lock"),
            parse: |b| lockfile("Cargo.lock", b),
        },
        Target {
            name: "npm-lock",
            seeds: seed_file(dir, "package-lock.json"),
            parse: |b| lockfile("package-lock.json", b),
        },
        Target {
            name: "pnpm-lock",
            seeds: seed_file(dir, "pnpm-lock.yaml"),
            parse: |b| lockfile("pnpm-lock.yaml", b),
        },
        Target {
            name: "yarn-lock",
            seeds: [
                seed_file(dir, "yarn.lock"),
                seed_file(dir, "berry-yarn.lock"),
            ]
            .concat(),
            parse: |b| lockfile("yarn.lock", b),
        },
        Target {
            name: "uv-lock",
            seeds: seed_file(dir, "uv.lock"),
            parse: |b| lockfile("uv.lock", b),
        },
        Target {
            name: "poetry-lock",
            seeds: seed_file(dir, "poetry.lock"),
            parse: |b| lockfile("poetry.lock", b),
        },
        Target {
            name: "go-mod",
            seeds: [seed_file(dir, "go.mod"), seed_file(dir, "go.sum")].concat(),
            parse: |b| {
                lockfile("go.mod", b);
                lockfile("go.sum", b);
            },
        },
        Target {
            name: "funding",
            seeds: seed_file(dir, "FUNDING.yml"),
            parse: |b| drop(upkeep_deps::funding::links(&text(b))),
        },
        Target {
            name: "mbox",
            seeds: data_files("mbox"),
            parse: |b| drop(upkeep_mail::parse_mbox(b)),
        },
        Target {
            name: "mail-from",
            seeds: from_lines(),
            parse: |b| drop(upkeep_mail::sender(&text(b))),
        },
        Target {
            name: "gitdm",
            seeds: data_files("affiliations/cncf-gitdm")
                .into_iter()
                .chain((1..=7).filter_map(|i| {
                    let name = format!("affiliations/cncf-gitdm/developers_affiliations{i}.txt");
                    std::fs::read(upkeep_testdata::path(&name)).ok()
                }))
                .map(|bytes| head(bytes, 16 << 10))
                .collect(),
            parse: gitdm_files,
        },
        Target {
            name: "roster",
            seeds: seed_file(dir, "roster.csv"),
            parse: roster_table,
        },
        Target {
            name: "engagement",
            seeds: seed_file(dir, "engagement.csv"),
            parse: engagement_table,
        },
        Target {
            name: "config",
            seeds: seed_file(dir, "upkeep.toml"),
            parse: |b| drop(Config::parse(&text(b), Path::new("upkeep.toml"))),
        },
        Target {
            name: "forge-json",
            seeds: json_seeds("forge-fixtures"),
            parse: forge_json,
        },
        Target {
            name: "registry-json",
            seeds: json_seeds("adoption"),
            parse: registry_json,
        },
        Target {
            name: "osv-record",
            seeds: [
                json_seeds("advisories/osv-ghsa-npm"),
                json_seeds("advisories/osv-go"),
            ]
            .concat(),
            parse: osv_record,
        },
        Target {
            name: "github-advisories",
            seeds: json_seeds("advisories/github-openapi-examples"),
            parse: |b| {
                let _ = upkeep_forge::github::advisories::repository_advisories(&text(b));
                let _ = upkeep_forge::github::advisories::private_reporting(&text(b));
            },
        },
        Target {
            name: "tip-file",
            seeds: [
                seed_file(dir, "go.mod"),
                seed_file(dir, "FUNDING.yml"),
                vec![std::fs::read(dir.join("Cargo.toml")).unwrap_or_default()],
            ]
            .concat(),
            parse: tip_file,
        },
    ]
}

#[test]
fn the_seeds_are_read_as_they_are() {
    upkeep_testdata::needs_data!();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = Config::parse(
        &text(&seed_file(dir, "upkeep.toml")[0]),
        Path::new("upkeep.toml"),
    );
    assert_eq!(config.expect("the seed is valid").projects.len(), 1);
    let roster = csv_records::parse(&text(&seed_file(dir, "roster.csv")[0]), "r", ROSTER, |r| {
        roster::check(r, &TEAMS.map(String::from))
    });
    assert_eq!(roster.expect("the seed is valid").len(), 3);
    let lock = upkeep_deps::lockfile::read(
        "Cargo.lock",
        &text(&seed_file(dir, "Cargo.lock")[0]),
        Path::new("."),
    );
    assert!(
        lock.expect("a lockfile name")
            .expect("the seed is valid")
            .packages
            .len()
            > 10
    );
    assert!(
        from_lines()
            .iter()
            .any(|l| l.windows(2).any(|w| w == b"=?")),
        "RFC 2047 words among the seeds"
    );
}
