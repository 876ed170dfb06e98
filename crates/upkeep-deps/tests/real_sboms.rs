//! The reader on the real SBOMs in shared/data/sbom.

use std::collections::BTreeSet;
use std::path::PathBuf;
use upkeep_deps::sbom::{Format, read};

fn data(path: &str) -> String {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/sbom")
        .join(path);
    std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

#[test]
fn juice_shop_cyclonedx() {
    let sbom = read(&data("cyclonedx/juice-shop-via_npm-flat/bom.1.4.json")).expect("reads");
    assert_eq!(sbom.format, Format::CycloneDx);
    assert_eq!(sbom.packages.len(), 1115);
    assert_eq!(sbom.root.as_deref(), Some("juice-shop@14.1.1"));
    let with_repo = sbom
        .packages
        .iter()
        .filter(|p| p.repository.is_some())
        .count();
    // 1,112 components carry a `vcs` reference, and every one of them normalizes.
    assert_eq!(with_repo, 1112);
    let repos: BTreeSet<&str> = sbom
        .packages
        .iter()
        .filter_map(|p| p.repository.as_ref())
        .map(|(r, _)| r.as_str())
        .collect();
    assert_eq!(repos.len(), DISTINCT_JUICE_SHOP_REPOSITORIES);
    let babel = sbom
        .packages
        .iter()
        .find(|p| p.name == "@babel/helper-string-parser")
        .expect("babel");
    assert_eq!(
        babel.repository,
        Some((
            "https://github.com/babel/babel".to_owned(),
            "sbom vcs reference"
        ))
    );
    let depths = sbom.depths();
    assert!(
        depths.values().any(|d| *d == 1),
        "direct dependencies exist"
    );
}

/// Worked out from the file (with a separate script: strip `git+`, `#…` and
/// `?…`, user info and `.git`, keep owner/name on github.com, lower-case it):
/// the `vcs` URLs of the 1,112 components name 757 distinct repositories on
/// two hosts, github.com and git.coolaj86.com (monorepos like babel collapse).
const DISTINCT_JUICE_SHOP_REPOSITORIES: usize = 757;

#[test]
fn cargo_spdx() {
    let sbom = read(&data("spdx/sbom.spdx.json")).expect("reads");
    assert_eq!(sbom.format, Format::Spdx);
    let purls: Vec<&str> = sbom
        .packages
        .iter()
        .filter_map(|p| p.purl.as_deref())
        .collect();
    assert_eq!(
        purls,
        [
            "pkg:deb/debian/libselinux1-dev@3.1-3?arch=s390x",
            "pkg:cargo/hyper@0.14",
            "pkg:cargo/tokio@1.19.2",
            "pkg:cargo/pretty_env_logger@0.4.0"
        ]
    );
    // The download location of hyper and tokio is crates.io's index, which is not their repository.
    assert!(sbom.packages.iter().all(|p| p.repository.is_none()));
    assert_eq!(sbom.edges.len(), 3);
}
