//! The reader on the real SBOMs in shared/data/sbom.

use std::collections::BTreeSet;
use upkeep_core::portfolio::inventory::{Format, Mapping};
use upkeep_deps::sbom::read;

fn data(path: &str) -> String {
    let file = upkeep_testdata::path(path);
    std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

#[test]
fn juice_shop_cyclonedx() {
    upkeep_testdata::needs_data!();
    let sbom = read(&data("sbom/cyclonedx/juice-shop-via_npm-flat/bom.1.4.json")).expect("reads");
    assert_eq!(sbom.format, Format::CycloneDx);
    assert_eq!(sbom.packages.len(), 1115);
    assert_eq!(sbom.roots, ["juice-shop@14.1.1"]);
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
        .map(|m| m.repository.as_str())
        .collect();
    assert_eq!(repos.len(), DISTINCT_JUICE_SHOP_REPOSITORIES);
    let babel = sbom
        .packages
        .iter()
        .find(|p| p.name == "@babel/helper-string-parser")
        .expect("babel");
    assert_eq!(
        babel.repository,
        Some(Mapping {
            repository: "https://github.com/babel/babel".to_owned(),
            source: "sbom vcs reference".to_owned()
        })
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
    upkeep_testdata::needs_data!();
    let sbom = read(&data("sbom/spdx/sbom.spdx.json")).expect("reads");
    assert_eq!(sbom.format, Format::Spdx);
    let purls: Vec<&str> = sbom
        .packages
        .iter()
        .filter_map(|p| p.purl.as_deref())
        .collect();
    assert_eq!(
        purls,
        [
            "pkg:cargo/hyper@0.14",
            "pkg:cargo/tokio@1.19.2",
            "pkg:cargo/pretty_env_logger@0.4.0"
        ]
    );
    // The download location of hyper and tokio is crates.io's index, which is not their repository.
    assert!(sbom.packages.iter().all(|p| p.repository.is_none()));
    assert_eq!(sbom.edges.len(), 3);
    // The described package (hello-server-src, the deb) is ours: its three dependencies are direct.
    assert_eq!(
        sbom.roots,
        [
            "SPDXRef-Package-hello-server-src",
            "SPDXRef-File-hello-server"
        ]
    );
    assert_eq!(sbom.depths().values().filter(|d| **d == 1).count(), 3);
}

#[test]
fn cargo_spdx3() {
    upkeep_testdata::needs_data!();
    let sbom = read(&data("sbom/spdx/sbom.spdx3.json")).expect("reads");
    assert_eq!(sbom.format, Format::Spdx3);
    let mut purls: Vec<&str> = sbom
        .packages
        .iter()
        .filter_map(|p| p.purl.as_deref())
        .collect();
    purls.sort();
    // The same three crates as the SPDX 2.3 example; hello-server-src is a root element.
    assert_eq!(
        purls,
        [
            "pkg:cargo/hyper@0.14",
            "pkg:cargo/pretty_env_logger@0.4.0",
            "pkg:cargo/tokio@1.19.2"
        ]
    );
    assert_eq!(sbom.depths().values().filter(|d| **d == 1).count(), 3);
}

#[test]
fn github_dependency_graph_export() {
    upkeep_testdata::needs_data!();
    let sbom = read(&data(
        "forge-fixtures/octocrab/repos_sbom_tests_report.json",
    ))
    .or_else(|_| {
        let doc: serde_json::Value = serde_json::from_str(&data(
            "forge-fixtures/octocrab/repos_sbom_tests_report.json",
        ))
        .expect("json");
        read(&doc["sbom"].to_string())
    })
    .expect("reads");
    // 46 packages, one of them octocrab itself (described): 45 dependencies, all direct.
    assert_eq!(sbom.packages.len(), 45);
    assert_eq!(sbom.depths().values().filter(|d| **d == 1).count(), 45);
    let cargo = sbom
        .packages
        .iter()
        .filter(|p| {
            p.purl
                .as_deref()
                .is_some_and(|u| u.starts_with("pkg:cargo/"))
        })
        .count();
    assert_eq!(cargo, 40);
}

#[test]
fn nested_cyclonedx_1_2() {
    upkeep_testdata::needs_data!();
    let sbom = read(&data("sbom/cyclonedx/cern-lhc-vdm-editor-e564943/bom.json")).expect("reads");
    // 43 components, each with a vcs reference; no dependency graph in this document.
    assert_eq!(sbom.packages.len(), 43);
    assert_eq!(
        sbom.packages
            .iter()
            .filter(|p| p.repository.is_some())
            .count(),
        43
    );
    assert!(sbom.edges.is_empty());
}
