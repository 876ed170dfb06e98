//! `report`'s security response, end to end: a history built here that
//! publishes urllib3 (its pyproject.toml, a SECURITY.md, version tags); a
//! local OSV serving the PyPI advisory database's real urllib3 records of
//! ../shared/data/advisories/osv-pypi (and a few written here, marked
//! TEST-, for the cases the real ones lack); and a local PyPI replaying
//! urllib3's recorded JSON (tests/data/registries). Then OSV unreachable,
//! `--offline` and `--no-advisories`.

use crate::common;

use common::{Env, stderr};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// A commit of `path` with `content` at `date` (UTC), tagged `tag` if given.
fn commit(repo: &Path, date: &str, path: &str, content: &str, tag: Option<&str>) {
    commit_saying(repo, date, path, content, &format!("{path} at {date}"));
    if let Some(tag) = tag {
        common::git(repo, &["tag", tag]);
    }
}

/// A commit of `path` with `content` at `date`, its message `message`.
fn commit_saying(repo: &Path, date: &str, path: &str, content: &str, message: &str) {
    std::fs::write(repo.join(path), content).expect("writes");
    common::git(repo, &["add", path]);
    common::git_at(repo, date, &["commit", "-q", "-m", message]);
}

/// urllib3's project: a manifest, a security policy naming a contact, and
/// the tags 1.26.17 (a day after PyPI has it) and 2.0.7 (a day before).
fn project(env: &Env) -> PathBuf {
    let repo = env.path("urllib3");
    std::fs::create_dir_all(&repo).expect("dir");
    common::git(&repo, &["init", "-q", "-b", "main"]);
    commit(
        &repo,
        "2023-01-10T10:00:00Z",
        "pyproject.toml",
        "[project]\nname = \"urllib3\"\n",
        None,
    );
    commit(
        &repo,
        "2023-02-01T10:00:00Z",
        "SECURITY.md",
        "# Security\n\nReport vulnerabilities to <security@example.org>.\n",
        None,
    );
    commit(
        &repo,
        "2023-10-03T12:00:00Z",
        "CHANGES.rst",
        "1.26.17\n",
        Some("1.26.17"),
    );
    commit(
        &repo,
        "2023-10-16T20:15:00Z",
        "CHANGES.rst",
        "2.0.7\n",
        Some("2.0.7"),
    );
    repo
}

/// The records OSV lists for urllib3: the real ones, and TEST- ones for a
/// vulnerability without a fix, a withdrawn record, another database's
/// record of CVE-2023-43804 (three ids, one vulnerability) and a record
/// that is not OSV's shape.
fn records() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = upkeep_testdata::osv_records("advisories/osv-pypi")
        .into_iter()
        .filter(|(_, _, names)| names.iter().any(|n| n == "urllib3"))
        .map(|(id, text, _)| (id, text))
        .collect();
    let urllib3 = |events: Value| {
        json!([{"package": {"ecosystem": "PyPI", "name": "urllib3"},
        "ranges": [{"type": "ECOSYSTEM", "events": events}]}])
    };
    let written = [
        json!({"id": "TEST-2023-unfixed", "modified": "2023-06-02T00:00:00Z",
               "published": "2023-06-01T00:00:00Z", "database_specific": {"severity": "HIGH"},
               "affected": urllib3(json!([{"introduced": "0"}]))}),
        json!({"id": "TEST-2023-withdrawn", "modified": "2023-07-02T00:00:00Z",
               "published": "2023-07-01T00:00:00Z", "withdrawn": "2023-07-02T00:00:00Z",
               "affected": urllib3(json!([{"introduced": "0"}]))}),
        json!({"id": "GHSA-v845-jxx5-vc9f", "aliases": ["CVE-2023-43804"],
               "modified": "2023-10-05T00:00:00Z", "published": "2023-10-04T17:15:00Z",
               "affected": urllib3(json!([{"introduced": "0"}, {"fixed": "1.26.17"}]))}),
        json!({"id": "TEST-broken", "affected": "not a list"}),
    ];
    out.extend(written.iter().map(|r| {
        (
            r["id"].as_str().unwrap_or_default().to_owned(),
            r.to_string(),
        )
    }));
    out
}

/// A local OSV whose first batch answer is a 503 (the client asks again),
/// and a local PyPI with urllib3's recorded document. Like OSV, a query of
/// a version lists every advisory of the package (upkeep checks the
/// version's ranges itself).
fn serve() -> String {
    let server = tiny_http::Server::http("127.0.0.1:0").expect("binds");
    let base = format!("http://{}", server.server_addr().to_ip().expect("ip"));
    let records = records();
    let failed_once = Arc::new(AtomicBool::new(false));
    let pypi =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/registries/pypi-urllib3.json");
    std::thread::spawn(move || {
        for mut request in server.incoming_requests() {
            let url = request.url().to_owned();
            let mut body = String::new();
            let _ = request.as_reader().read_to_string(&mut body);
            let (status, answer) = if url == "/pypi/urllib3/json" {
                (200, std::fs::read_to_string(&pypi).expect("recorded"))
            } else if let Some(id) = url.strip_prefix("/v1/vulns/") {
                match records.iter().find(|(known, _)| known == id) {
                    Some((_, text)) => (200, text.clone()),
                    None => (404, "{}".into()),
                }
            } else if url == "/v1/querybatch" && !failed_once.swap(true, Ordering::SeqCst) {
                (503, "busy".into())
            } else if url == "/v1/querybatch" {
                let doc: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
                let results: Vec<Value> = doc["queries"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(
                        |q| match q["package"]["purl"].as_str().map(|p| p.split('@').next()) {
                            Some(Some("pkg:pypi/urllib3")) => json!({"vulns": records.iter()
                            .map(|(id, _)| json!({"id": id, "modified": "2024-01-01T00:00:00Z"}))
                            .collect::<Vec<_>>()}),
                            _ => json!({}),
                        },
                    )
                    .collect();
                (200, json!({ "results": results }).to_string())
            } else {
                (404, "{}".into())
            };
            let _ =
                request.respond(tiny_http::Response::from_string(answer).with_status_code(status));
        }
    });
    base
}

/// The environment that points OSV and PyPI at `base`, without pauses.
fn services(base: &str) -> [(&'static str, &str); 3] {
    [
        ("UPKEEP_OSV_URL", base),
        ("UPKEEP_PYPI_URL", base),
        ("UPKEEP_REGISTRY_PAUSE_MS", "0"),
    ]
}

/// `report` of `repo` over 2023 as JSON, with OSV and PyPI at `base`.
fn report(env: &Env, repo: &Path, base: &str, extra: &[&str]) -> (std::process::Output, Value) {
    let repo = repo.display().to_string();
    let mut args = vec![
        "report",
        repo.as_str(),
        "--since",
        "2023-01-01",
        "--until",
        "2024-01-01",
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let out = env
        .command(&args)
        .envs(services(base))
        .output()
        .expect("runs");
    let doc =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(&out)));
    (out, doc)
}

/// (id, status, days to fix, unfixed days, fix source) of each advisory.
fn rows(doc: &Value) -> Vec<(String, String, Value, Value, Value)> {
    doc["metrics"]["security_response"]["details"]["advisories"]
        .as_array()
        .expect("advisories")
        .iter()
        .map(|a| {
            (
                a["id"].as_str().unwrap_or_default().to_owned(),
                a["status"].as_str().unwrap_or_default().to_owned(),
                a["days_to_fix"].clone(),
                a["unfixed_days"].clone(),
                a["fix_source"].clone(),
            )
        })
        .collect()
}

#[test]
fn days_to_fix_from_real_records_tags_and_the_registry() {
    upkeep_testdata::needs_data!();
    let env = Env::new();
    let repo = project(&env);
    let base = serve();
    let (out, doc) = report(&env, &repo, &base, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // Worked out by hand, window 2023:
    // - TEST-2023-unfixed: published June 1, no fix: 214 days at January 1.
    // - CVE-2023-43804 (PYSEC-2023-192 and GHSA-v845-jxx5-vc9f, one
    //   vulnerability): published 2023-10-04T17:15:00Z; 1.26.17's first file
    //   on PyPI 2023-10-02T17:22:28Z (its tag came a day later): -1.99 days, -2.0.
    // - CVE-2023-45803 (PYSEC-2023-212): published 2023-10-17T20:15:00Z; the
    //   tag 2.0.7 on 2023-10-16T20:15:00Z, before PyPI's 17:46:48 on the 17th: -1.0.
    // - PYSEC-2021-108 (2021, fixed in 1.26.5) is outside the window; the
    //   withdrawn record is left out; TEST-broken is skipped by id.
    assert_eq!(
        rows(&doc),
        [
            (
                "TEST-2023-unfixed".into(),
                "unfixed".into(),
                Value::Null,
                json!(214.0),
                Value::Null
            ),
            (
                "CVE-2023-43804".into(),
                "fixed".into(),
                json!(-2.0),
                Value::Null,
                json!("PyPI")
            ),
            (
                "CVE-2023-45803".into(),
                "fixed".into(),
                json!(-1.0),
                Value::Null,
                json!("tag 2.0.7")
            ),
        ]
    );
    let m = &doc["metrics"]["security_response"];
    assert_eq!(m["value"], json!(-1.5), "the median of -2.0 and -1.0");
    // Quiet but released in the window (4 commits, 2 tags): Stable; without
    // forge data it says what it could not look at.
    let life = &doc["metrics"]["lifecycle"];
    assert_eq!(life["value"], "Stable");
    assert_eq!(
        life["details"]["evidence"][0],
        "last commit 2023-10-16; 4 commits in the last year"
    );
    assert_eq!(
        life["details"]["evidence"][1],
        "last release 2.0.7 on 2023-10-16"
    );
    assert_eq!(life["details"]["missing"].as_array().map(Vec::len), Some(1));
    let d = &m["details"];
    assert_eq!(
        d["advisories"][1]["aliases"],
        json!(["GHSA-v845-jxx5-vc9f", "PYSEC-2023-192"])
    );
    assert_eq!(d["advisories"][1]["fixed_version"], "1.26.17");
    assert_eq!(
        d["advisories"][1]["fix_released"], "2023-10-02T17:22:28Z",
        "the first of its files"
    );
    assert_eq!(d["advisories"][1]["severity"], "high", "CVSS 3.1 base 8.1");
    assert_eq!(
        d["advisories"][2]["severity"], "medium",
        "CVSS 3.1 base 4.2"
    );
    assert_eq!(d["advisories"][1]["packages"], json!(["pkg:pypi/urllib3"]));
    assert_eq!(
        (d["published_in_window"].as_u64(), d["unfixed"].as_u64()),
        (Some(3), Some(1))
    );
    assert_eq!(d["worst_days_to_fix"], json!(-1.0));
    assert_eq!(
        d["packages"],
        json!([{"purl": "pkg:pypi/urllib3", "ecosystem": "PyPI", "name": "urllib3", "source": "pyproject.toml"}])
    );
    assert_eq!(d["disclosure"]["policy"], json!(["SECURITY.md"]));
    assert_eq!(d["disclosure"]["contacts"], json!(["security@example.org"]));
    assert_eq!(d["disclosure"]["channel"], true);
    let skipped: Vec<&str> = d["skipped"]
        .as_array()
        .expect("skipped")
        .iter()
        .filter_map(|s| s["id"].as_str())
        .collect();
    assert_eq!(skipped, ["TEST-broken"]);
    let flags = common::flag_texts(&doc);
    assert!(
        flags.contains(&"TEST-2023-unfixed (high) has had no fixed release for 214 days"),
        "{flags:?}"
    );

    // --offline: the stored advisories and times answer the same, OSV not asked.
    let (out, offline) = report(&env, &repo, "http://127.0.0.1:9", &["--offline"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));
    assert_eq!(rows(&offline), rows(&doc));

    // `mine` says what the check found: the real records of urllib3 (3),
    // and the 4 written here.
    let mine = env
        .command(&["mine", &repo.display().to_string(), "--format", "json"])
        .envs(services(&base))
        .output()
        .expect("runs");
    let mined: Value = serde_json::from_slice(&mine.stdout).expect("json");
    assert_eq!(
        mined[0]["advisories"],
        json!({"packages": 1, "advisories": 7, "missing": null})
    );

    // The table says it too.
    let out = env
        .command(&[
            "report",
            &repo.display().to_string(),
            "--since",
            "2023-01-01",
            "--until",
            "2024-01-01",
            "--offline",
        ])
        .output()
        .expect("runs");
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains("median days to fix an advisory"), "{table}");
    assert!(table.contains("unfixed for 214"), "{table}");
}

#[test]
fn osv_unreachable_is_missing_not_zero_and_advisories_can_be_left_out() {
    let env = Env::new();
    let repo = project(&env);
    let (out, doc) = report(&env, &repo, "http://127.0.0.1:9", &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("warning:") && stderr(&out).contains("OSV could not be asked"),
        "{}",
        stderr(&out)
    );
    let m = &doc["metrics"]["security_response"];
    assert!(m["value"].is_null());
    assert!(
        m["reason"]
            .as_str()
            .is_some_and(|r| r.starts_with("the advisories are missing: OSV could not be asked")),
        "{m}"
    );
    assert_eq!(m["details"]["published_in_window"], 0);
    // The channel is still reported: it does not depend on OSV.
    assert_eq!(m["details"]["disclosure"]["policy"], json!(["SECURITY.md"]));

    let fresh = Env::new();
    let repo = project(&fresh);
    let (out, doc) = report(&fresh, &repo, "http://127.0.0.1:9", &["--no-advisories"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stderr(&out).contains("OSV"), "{}", stderr(&out));
    let reason = doc["metrics"]["security_response"]["reason"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(reason.contains("not checked"), "{reason}");
}

#[test]
fn the_forge_s_own_advisories_and_private_reporting_join_in() {
    upkeep_testdata::needs_data!();
    let env = Env::new();
    let repo = env.path("a-package");
    std::fs::create_dir_all(&repo).expect("dir");
    common::git(&repo, &["init", "-q", "-b", "main"]);
    commit(&repo, "2019-12-01T00:00:00Z", "README", "a package\n", None);
    commit(
        &repo,
        "2020-01-02T00:00:00Z",
        "CHANGES",
        "1.0.1\n",
        Some("v1.0.1"),
    );
    // GitHub's own example payloads: two published advisories of a-package,
    // and private reporting enabled.
    let github = crate::support::Server::start();
    let example = |name: &str| {
        std::fs::read_to_string(upkeep_testdata::path(&format!(
            "advisories/github-openapi-examples/{name}.json"
        )))
        .expect("the example")
    };
    github.route(
        "/repos/o/r/security-advisories?state=published&per_page=100",
        vec![crate::support::Reply::json(
            200,
            example("security-advisories-list-repository-advisories"),
        )],
    );
    github.route(
        "/repos/o/r/private-vulnerability-reporting",
        vec![crate::support::Reply::json(
            200,
            example("repos-check-private-vulnerability-reporting"),
        )],
    );
    github.synthetic(0, 0);
    // Its packages come from upkeep.toml: it has no manifest.
    let config = env.path("upkeep.toml");
    let toml = format!(
        "[[projects]]\nname = \"a\"\nrepositories = [\"{}\"]\npackages = [\"pkg:pypi/a-package\"]\n",
        repo.display()
    );
    std::fs::write(&config, toml).expect("config");
    let osv = serve();
    let out = env
        .command(&[
            "report",
            "--project",
            "a",
            "--config",
            config.to_str().expect("utf-8"),
            "--forge",
            "o/r",
            "--since",
            "2020-01-01",
            "--until",
            "2021-01-01",
            "--format",
            "json",
        ])
        .env("GITHUB_API_URL", &github.base)
        .env("GITHUB_TOKEN", "ghp_secret")
        .envs(services(&osv))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: Value = serde_json::from_slice(&out.stdout).expect("json");
    // Each under its CVE; PyPI does not know a-package, so the tag v1.0.1
    // (2020-01-02) says when 1.0.1 shipped: a day before the first was
    // published (2020-01-03), two before the second (2020-01-04).
    assert_eq!(
        rows(&doc),
        [
            (
                "CVE-2050-00000".into(),
                "fixed".into(),
                json!(-1.0),
                Value::Null,
                json!("tag v1.0.1")
            ),
            (
                "CVE-2051-0000".into(),
                "fixed".into(),
                json!(-2.0),
                Value::Null,
                json!("tag v1.0.1")
            ),
        ]
    );
    let d = &doc["metrics"]["security_response"]["details"];
    assert_eq!(
        d["advisories"][0]["aliases"],
        json!(["GHSA-abcd-1234-efgh"])
    );
    assert_eq!(
        d["advisories"][0]["severity"], "critical",
        "CVSS 4.0 base 9.3"
    );
    assert_eq!(d["advisories"][1]["severity"], "high", "CVSS 4.0 base 7.1");
    assert_eq!(d["packages"][0]["source"], "upkeep.toml");
    assert_eq!(d["disclosure"]["private_reporting"], true);
    assert_eq!(
        d["disclosure"]["policy"],
        json!(["the forge (a security policy is published)"])
    );
    assert_eq!(doc["metrics"]["security_response"]["value"], json!(-1.5));
}

#[test]
fn deps_shows_our_exposure_and_an_upstream_slow_to_fix() {
    upkeep_testdata::needs_data!();
    let env = Env::new();
    let repo = project(&env);
    let base = serve();
    let doc = json!({
        "bomFormat": "CycloneDX", "specVersion": "1.5",
        "components": [{"bom-ref": "urllib3", "name": "urllib3", "version": "1.26.5",
            "purl": "pkg:pypi/urllib3@1.26.5",
            "externalReferences": [{"type": "vcs", "url": format!("git+file://{}", repo.display())}]}]
    });
    let bom = env.path("bom.cdx.json");
    std::fs::write(&bom, doc.to_string()).expect("sbom");
    let run = |format: &str| {
        env.command(&[
            "deps",
            bom.to_str().expect("utf-8"),
            "--allow-local-repositories",
            "--since",
            "2023-01-01",
            "--until",
            "2024-01-01",
            "--format",
            format,
        ])
        .envs(services(&base))
        .output()
        .expect("runs")
    };
    let out = run("json");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: Value = serde_json::from_slice(&out.stdout).expect("json");
    let upstream = &doc["upstreams"][0];
    // Pinned 1.26.5: CVE-2023-43804 (fixed 1.26.17), CVE-2023-45803 (fixed
    // 1.26.18) and TEST-2023-unfixed; PYSEC-2021-108 was fixed in 1.26.5.
    let exposed = &upstream["health"]["exposed"];
    assert_eq!(
        (exposed["advisories"].as_u64(), exposed["worst"].as_str()),
        (Some(3), Some("high"))
    );
    // Its own response: the median of -2.0 and -1.0, and one high advisory
    // open for 214 days.
    let slow = &upstream["health"]["slow_to_fix"];
    assert_eq!(slow["median_days"], json!(-1.5));
    assert_eq!(
        slow["lines"],
        json!(["TEST-2023-unfixed (high) unfixed for 214 days"])
    );
    let factors: Vec<&str> = upstream["risk"]["factors"]
        .as_array()
        .expect("factors")
        .iter()
        .filter_map(|f| f["id"].as_str())
        .collect();
    assert!(
        factors.contains(&"exposed") && factors.contains(&"slow_to_fix"),
        "{factors:?}"
    );
    // Its why-line among the risk factors (the `why` column shows the heaviest).
    assert!(
        upstream["risk"]["factors"]
            .as_array()
            .expect("factors")
            .iter()
            .any(|f| f["text"] == "slow to fix: TEST-2023-unfixed (high) unfixed for 214 days"),
        "{upstream}"
    );
    let table = String::from_utf8_lossy(&run("table").stdout).into_owned();
    assert!(
        table.contains("slow to fix") && table.contains("slow (-1.5 d)"),
        "{table}"
    );
}

#[test]
fn security_fixes_by_our_people_in_the_ledger() {
    upkeep_testdata::needs_data!();
    let env = Env::new();
    let repo = project(&env);
    // Our maintainer's fix names the CVE in its subject (the records name
    // urllib3's own fix commits, which this history does not have).
    commit_saying(
        &repo,
        "2023-10-01T09:00:00Z",
        "redirect.py",
        "strip = True\n",
        "Strip Cookie on cross-origin redirects (CVE-2023-43804)",
    );
    let config = env.path("upkeep.toml");
    std::fs::write(
        &config,
        "[[affiliations]]\nemail = \"zed@example.com\"\norganization = \"Acme\"\n",
    )
    .expect("config");
    let base = serve();
    let out = env
        .command(&[
            "contributions",
            repo.to_str().expect("utf-8"),
            "--config",
            config.to_str().expect("utf-8"),
            "--org",
            "Acme",
            "--since",
            "2023-01-01",
            "--until",
            "2024-01-01",
            "--format",
            "json",
        ])
        .envs(services(&base))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let ledger: Value = serde_json::from_slice(&out.stdout).expect("json");
    let fixes = common::kpi(&ledger, "security_fixes");
    assert_eq!(fixes["total"], 1);
    let what = fixes["credits"][0]["what"].as_str().unwrap_or_default();
    assert!(what.starts_with("fixed CVE-2023-43804 ("), "{fixes}");
}
