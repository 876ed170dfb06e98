//! `upkeep deps` and known vulnerabilities: pinned npm packages checked
//! against a local OSV (UPKEEP_OSV_URL) serving the real GitHub-reviewed
//! records of ../shared/data/advisories/osv-ghsa-npm; then OSV unreachable
//! (the cache answers, with a warning) and `--offline`.

use crate::common;

use common::{Env, stderr};
use serde_json::{Value, json};
use std::collections::HashMap;

/// The real records naming each package, and a malformed one listed for
/// minimist.
fn records() -> HashMap<String, (String, Vec<String>)> {
    let mut out: HashMap<String, (String, Vec<String>)> =
        upkeep_testdata::osv_records("advisories/osv-ghsa-npm")
            .into_iter()
            .map(|(id, text, names)| (id, (text, names)))
            .collect();
    let broken = r#"{"id": "GHSA-brok-enre-cord", "affected": "not a list"}"#;
    out.insert(
        "GHSA-brok-enre-cord".into(),
        (broken.into(), vec!["minimist".into()]),
    );
    out
}

/// A local OSV: each query lists every record naming its package (OSV
/// itself would also check versions; upkeep checks them again).
fn serve_osv() -> String {
    let server = tiny_http::Server::http("127.0.0.1:0").expect("binds");
    let base = format!("http://{}", server.server_addr().to_ip().expect("ip"));
    let records = records();
    std::thread::spawn(move || {
        for mut request in server.incoming_requests() {
            let url = request.url().to_owned();
            let mut body = String::new();
            let _ = request.as_reader().read_to_string(&mut body);
            let answer = match url.strip_prefix("/v1/vulns/") {
                Some(id) => records.get(id).map(|(text, _)| text.clone()),
                None => {
                    let doc: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
                    let results: Vec<Value> = doc["queries"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|q| {
                            let purl = q["package"]["purl"].as_str().unwrap_or_default();
                            let name = purl
                                .trim_start_matches("pkg:npm/")
                                .rsplit_once('@')
                                .map_or("", |(n, _)| n);
                            let mut vulns: Vec<Value> = records
                                .iter()
                                .filter(|(_, (_, names))| names.iter().any(|n| n == name))
                                .map(
                                    |(id, _)| json!({"id": id, "modified": "2024-05-01T00:00:00Z"}),
                                )
                                .collect();
                            vulns.sort_by_key(|v| v["id"].to_string());
                            json!({ "vulns": vulns })
                        })
                        .collect();
                    Some(json!({ "results": results }).to_string())
                }
            };
            let response = match answer {
                Some(text) => tiny_http::Response::from_string(text),
                None => tiny_http::Response::from_string("{}").with_status_code(404),
            };
            let _ = request.respond(response);
        }
    });
    base
}

/// An SBOM pinning six npm packages.
fn sbom(env: &Env) -> String {
    let component = |name: &str, version: &str| {
        json!({"bom-ref": format!("{name}@{version}"), "name": name, "version": version,
               "purl": format!("pkg:npm/{name}@{version}")})
    };
    let doc = json!({
        "bomFormat": "CycloneDX", "specVersion": "1.5",
        "components": [
            component("lodash", "4.17.20"), component("jsonwebtoken", "8.5.1"),
            component("minimist", "1.2.5"), component("minimist", "0.0.8"),
            component("express", "4.19.2"), component("express", "5.0.0-beta.1"),
        ]
    });
    let path = env.path("bom.cdx.json");
    std::fs::write(&path, doc.to_string()).expect("sbom");
    path.display().to_string()
}

fn deps(env: &Env, osv: &str, extra: &[&str]) -> (std::process::Output, Value) {
    let bom = sbom(env);
    let mut args = vec!["deps", bom.as_str(), "--no-mine", "--format", "json"];
    args.extend_from_slice(extra);
    let out = env
        .command(&args)
        .env("UPKEEP_OSV_URL", osv)
        .output()
        .expect("runs");
    let doc =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(&out)));
    (out, doc)
}

/// (package, advisory id, severity level, fix) of every exposure.
fn exposures(doc: &Value) -> Vec<(String, String, String, String)> {
    let check = &doc["advisories"];
    check["exposed"]
        .as_array()
        .expect("exposed packages")
        .iter()
        .flat_map(|p| {
            p["advisories"]
                .as_array()
                .expect("advisories")
                .iter()
                .map(|a| {
                    (
                        p["package"].as_str().unwrap_or_default().to_owned(),
                        a["id"].as_str().unwrap_or_default().to_owned(),
                        a["severity"]["level"]
                            .as_str()
                            .unwrap_or_default()
                            .to_owned(),
                        a["fixed_version"].as_str().unwrap_or("-").to_owned(),
                    )
                })
        })
        .collect()
}

#[test]
fn pinned_versions_against_real_advisories_then_the_cache() {
    upkeep_testdata::needs_data!();
    let env = Env::new();
    let osv = serve_osv();
    let (out, doc) = deps(&env, &osv, &["--offline"]);
    // --offline before anything is cached: missing, not zero.
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        doc["advisories"]["missing"]
            .as_str()
            .is_some_and(|m| m.contains("no advisory is cached"))
    );

    let (out, doc) = deps(&env, &osv, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let t = |p: &str, id: &str, level: &str, fix: &str| {
        (
            format!("pkg:npm/{p}"),
            id.to_owned(),
            level.to_owned(),
            fix.to_owned(),
        )
    };
    // Worked out from the records' ranges:
    // - minimist 1.2.5 and 0.0.8: GHSA-xvch's two ranges [1.0.0, 1.2.6) and
    //   [0, 0.2.4), CVSS 9.8; the fix is the one above each version.
    // - jsonwebtoken 8.5.1: GHSA-qwph (6.4), fixed in 9.0.0; GHSA-c7hr was
    //   fixed in 4.2.2, and GHSA-27h2 (CVE-2022-23529) is withdrawn.
    // - lodash 4.17.20: GHSA-35jh (fixed 4.17.21, 7.2); GHSA-jf85 was fixed
    //   in 4.17.12.
    // - express 5.0.0-beta.1: GHSA-rv95's second range [5.0.0-alpha.1,
    //   5.0.0-beta.3); 4.19.2 is the first fixed 4.x.
    // Each under its CVE, its first id in order; the package with the most
    // severe advisory first, then by package URL.
    let expected = vec![
        t("minimist@0.0.8", "CVE-2021-44906", "critical", "0.2.4"),
        t("minimist@1.2.5", "CVE-2021-44906", "critical", "1.2.6"),
        t("lodash@4.17.20", "CVE-2021-23337", "high", "4.17.21"),
        t(
            "express@5.0.0-beta.1",
            "CVE-2024-29041",
            "medium",
            "5.0.0-beta.3",
        ),
        t("jsonwebtoken@8.5.1", "CVE-2022-23540", "medium", "9.0.0"),
    ];
    assert_eq!(exposures(&doc), expected);
    let check = &doc["advisories"];
    assert_eq!(check["checked"], 6);
    assert_eq!(
        check["skipped"][0][0], "GHSA-brok-enre-cord",
        "a malformed record is skipped by id"
    );
    assert!(check["missing"].is_null());
    let lodash = &check["exposed"][2]["advisories"][0];
    assert_eq!(lodash["aliases"], json!(["GHSA-35jh-r3h4-6jhm"]));
    assert_eq!(lodash["severity"]["score"], 7.2);

    // OSV unreachable: a warning, exit 0, the cache answers the same.
    let (out, again) = deps(&env, "http://127.0.0.1:9", &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("warning: OSV could not be asked"),
        "{}",
        stderr(&out)
    );
    assert!(again["advisories"]["missing"].as_str().is_some());
    assert_eq!(exposures(&again), expected);
    let (_, offline) = deps(&env, "http://127.0.0.1:9", &["--offline"]);
    assert_eq!(exposures(&offline), expected);

    // The terminal table names them, with the release to move to.
    let bom = sbom(&env);
    let table = env
        .command(&["deps", &bom, "--no-mine", "--offline"])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(
        text.contains(
            "5 of 6 pinned packages affected by known vulnerabilities (5 advisories, OSV)"
        ),
        "{text}"
    );
    assert!(text.contains("upgrade to 4.17.21"), "{text}");
    let skipped = env
        .command(&[
            "deps",
            &bom,
            "--no-mine",
            "--no-advisories",
            "--format",
            "json",
        ])
        .output()
        .expect("runs");
    let doc: Value = serde_json::from_slice(&skipped.stdout).expect("json");
    assert!(doc["advisories"].is_null());
}
