//! `upkeep deps`: SBOMs and lockfiles to ranked upstreams, on upstream
//! histories built by `make_upstreams.sh` (see its header for their risks).

use crate::common;

use common::{Env, stderr};
use serde_json::{Value, json};

const WINDOW: [&str; 4] = ["--since", "2025-01-01", "--until", "2026-01-01"];

fn upstreams(env: &Env) -> std::path::PathBuf {
    let dir = env.fixture("make_upstreams.sh", "upstreams");
    std::fs::write(
        env.path("upkeep.toml"),
        "[[affiliations]]\nemail = \"ann@alpha.example\"\norganization = \"ACME\"\n",
    )
    .expect("config");
    dir
}

/// app → solo-lib, team-core, gone; team-core → team-util, stale-lib;
/// solo-lib → team-util. team-core and team-util come from one repository.
fn sbom(env: &Env, dir: &std::path::Path) -> String {
    let vcs = |name: &str| json!([{"type": "vcs", "url": format!("git+file://{}/{name}", dir.display())}]);
    let doc = json!({
        "bomFormat": "CycloneDX", "specVersion": "1.5",
        "metadata": {"component": {"bom-ref": "app", "name": "app"}},
        "components": [
            {"bom-ref": "solo-lib", "name": "solo-lib", "version": "0.1.0", "externalReferences": vcs("solo")},
            {"bom-ref": "team-core", "name": "team-core", "version": "1.9.0", "externalReferences": vcs("team")},
            {"bom-ref": "team-util", "name": "team-util", "version": "1.9.0", "externalReferences": vcs("team#packages/util")},
            {"bom-ref": "stale-lib", "name": "stale-lib", "version": "2.0.0", "externalReferences": vcs("stale")},
            {"bom-ref": "gone", "name": "gone", "version": "1.0.0", "externalReferences": vcs("gone")},
            {"bom-ref": "mystery", "name": "mystery", "version": "0.0.1"}
        ],
        "dependencies": [
            {"ref": "app", "dependsOn": ["solo-lib", "team-core", "gone"]},
            {"ref": "team-core", "dependsOn": ["team-util", "stale-lib"]},
            {"ref": "solo-lib", "dependsOn": ["team-util"]}
        ]
    });
    let path = env.path("bom.cdx.json");
    std::fs::write(&path, doc.to_string()).expect("sbom");
    path.display().to_string()
}

fn deps(env: &Env, args: &[&str]) -> (std::process::Output, Value) {
    // The test's upstreams are repositories on this machine.
    let mut all = vec![
        "deps",
        "--format",
        "json",
        "--org",
        "acme",
        "--allow-local-repositories",
    ];
    all.extend_from_slice(&WINDOW);
    all.extend_from_slice(args);
    let out = env
        .command(&all)
        .current_dir(env.dir.path())
        .output()
        .expect("runs");
    let json =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(&out)));
    (out, json)
}

fn order(doc: &Value) -> Vec<(String, f64, String)> {
    doc["upstreams"]
        .as_array()
        .expect("upstreams")
        .iter()
        .map(|u| {
            let repo = u["repository"].as_str().expect("repository");
            (
                repo.rsplit('/').next().expect("name").to_owned(),
                u["score"].as_f64().expect("score"),
                u["why"].as_str().expect("why").to_owned(),
            )
        })
        .collect()
}

#[test]
fn ranks_upstreams_by_criticality_risk_and_ability() {
    let env = Env::new();
    let dir = upstreams(&env);
    let bom = sbom(&env, &dir);
    let (out, doc) = deps(&env, &[&bom]);
    // gone cannot be fetched: reported, the rest goes on, the exit code says so.
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("1 upstream repositories could not be fetched or mined"));
    // solo: direct, 1 dependent (app), 2,000 lines → 2.4 × 2^1.05 = 4.97 → 5.0 engineer-months.
    //   criticality = 1 × (1 + log2 2) × (1 + log10 6) = 2 × 1.7782 = 3.556
    //   risk = 0.1 + bus 1 (0.30) + truck 1 (0.20) + Inert (0.30: no release since
    //   2023-06-01, 2 commits in 2025, no forge data to say others are answered;
    //   it stands for the stale release) = 0.9 → 3.556 × 0.9 = 3.2
    // gone: direct, 1 dependent, not mined: 1 × 2 × 1 × 0.5 = 1.0
    // stale: depth 2 (via team-core), 1 dependent, 1,000 lines → 2.4 engineer-months:
    //   criticality = ½ × 2 × (1 + log10 3.4) = 1.531; risk = 0.1 + Inert (0.30: last
    //   commit 2024-06-01, none in 2025) + truck 2 (0.10) = 0.5 → 0.766
    // team: direct, 2 dependents (app, solo-lib; team-core → team-util is inside), 2.4 months:
    //   criticality = (1 + log2 3) × 1.531 = 3.959; risk 0.1 (bus 3, truck 3, elephant 3,
    //   a release in October); ability = 1 + 0.25 (Ann, ACME) + 0.5 (she landed Bob's
    //   commit) = 1.75 → 3.959 × 0.1 × 1.75 = 0.693
    assert_eq!(
        order(&doc),
        [
            ("solo".to_owned(), 3.2, "direct; bus factor 1; Inert: last commit 2025-09-01; 2 commits in the last year; truck factor 1; replacement ≈ 5 engineer-months".to_owned()),
            ("gone".to_owned(), 1.0, format!("direct; not mined (cannot fetch: could not clone file://{}/gone)", dir.display())),
            ("stale".to_owned(), 0.766, "transitive (depth 2); Inert: last commit 2024-06-01; 0 commits in the last year; truck factor 2; replacement ≈ 2 engineer-months".to_owned()),
            ("team".to_owned(), 0.693, "direct; used by 2 of our components; replacement ≈ 2 engineer-months; 1 of our people contribute, 1 maintain".to_owned()),
        ]
    );
    let team = &doc["upstreams"][3];
    assert_eq!(team["packages"].as_array().map(Vec::len), Some(2));
    assert_eq!(team["health"]["our_people"], json!(["ann@alpha.example"]));
    assert_eq!(team["health"]["bus_factor"], json!(3.0));
    assert_eq!(team["health"]["last_release"], json!("v1.9.0"));
    assert_eq!(team["criticality"]["dependents"], json!(2));
    assert_eq!(team["ability"]["score"], json!(1.75));
    let stale = &doc["upstreams"][2];
    assert_eq!(stale["health"]["last_commit"], json!("2024-06-01"));
    assert_eq!(stale["risk"]["factors"][0]["id"], json!("lifecycle"));
    assert_eq!(stale["health"]["lifecycle"], json!("Inert"));
    assert_eq!(
        doc["unmapped"],
        json!([{"name": "mystery", "version": "0.0.1", "purl": null, "depth": null, "reason": "no package URL to look it up by"}])
    );

    // Offline, the same health comes from the store; gone is listed as never mined.
    let (out, offline) = deps(&env, &[&bom, "--offline"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let offline_order = order(&offline);
    assert_eq!(offline_order[0], order(&doc)[0]);
    assert_eq!(
        offline_order[1].2,
        "direct; not mined (--offline, and not in the store)"
    );
    assert_eq!(
        offline["upstreams"][3]["health"],
        doc["upstreams"][3]["health"]
    );

    // The other formats carry the same rows; Markdown escapes what it prints.
    let table = env.run(&[
        "deps",
        &bom,
        "--offline",
        "--allow-local-repositories",
        "--top",
        "2",
        WINDOW[0],
        WINDOW[1],
        WINDOW[2],
        WINDOW[3],
    ]);
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(text.contains("… and 2 more upstreams (--top)"), "{text}");
    let html = env.run(&[
        "deps",
        &bom,
        "--offline",
        "--allow-local-repositories",
        "--format",
        "html",
        WINDOW[0],
        WINDOW[1],
        WINDOW[2],
        WINDOW[3],
    ]);
    let html = String::from_utf8_lossy(&html.stdout);
    assert!(
        html.contains("<h1>upkeep dependency portfolio</h1>"),
        "{html}"
    );
    assert!(
        html.contains("direct; bus factor 1; Inert: last commit 2025-09-01"),
        "{html}"
    );
    // The heat map: bus factor 1 and Inert are heavy risks (0.30 points).
    assert!(html.contains("<th scope=\"col\">bus factor</th>"), "{html}");
    assert!(
        html.contains("<td class=\"tone-danger\" title=\"danger\">bus factor 1</td>"),
        "{html}"
    );
    assert!(
        html.contains("<td class=\"tone-danger\" title=\"danger\">Inert: last commit 2025-09-01"),
        "{html}"
    );
    assert!(
        text.contains("mystery@0.0.1 — no package URL to look it up by"),
        "{text}"
    );
    let csv = env.run(&[
        "deps",
        &bom,
        "--offline",
        "--allow-local-repositories",
        "--format",
        "csv",
        WINDOW[0],
        WINDOW[1],
        WINDOW[2],
        WINDOW[3],
    ]);
    let csv = String::from_utf8_lossy(&csv.stdout);
    assert_eq!(csv.lines().count(), 1 + 4 + 1, "{csv}");
    assert!(
        csv.lines()
            .nth(1)
            .is_some_and(|l| l.starts_with("\"1\",\"file://") && l.contains("\"3.200\"")),
        "{csv}"
    );
}

/// A registry on a local port answering `/api/v1/crates/NAME` with the
/// repositories given, and every crate's reverse dependencies with crates.io's
/// recorded answer (one dependent).
fn crates_registry(
    answers: Vec<(String, String)>,
) -> (String, std::sync::Arc<std::sync::Mutex<usize>>) {
    let server = tiny_http::Server::http("127.0.0.1:0").expect("binds");
    let base = format!("http://{}", server.server_addr().to_ip().expect("ip"));
    let count = std::sync::Arc::new(std::sync::Mutex::new(0));
    let seen = std::sync::Arc::clone(&count);
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            *seen.lock().expect("count") += 1;
            let name = request
                .url()
                .trim_start_matches("/api/v1/crates/")
                .to_owned();
            if name.ends_with("/reverse_dependencies?per_page=1") {
                let _ = request.respond(tiny_http::Response::from_string(reverse_dependencies()));
                continue;
            }
            let response = match answers.iter().find(|(n, _)| *n == name) {
                Some((_, repo)) => tiny_http::Response::from_string(
                    json!({"crate": {"name": name, "repository": repo}}).to_string(),
                ),
                None => tiny_http::Response::from_string("{\"errors\": []}").with_status_code(404),
            };
            let _ = request.respond(response);
        }
    });
    (base, count)
}

/// `upkeep deps --format json ARGS PROJECT` with crates.io at `registry`, expecting success.
fn with_registry(env: &Env, registry: &str, project: &std::path::Path, args: &[&str]) -> Value {
    let mut all = vec!["deps", "--format", "json"];
    all.extend_from_slice(args);
    all.push(project.to_str().expect("utf-8"));
    let out = env
        .command(&all)
        .env("UPKEEP_CRATES_IO_URL", registry)
        .env("UPKEEP_REGISTRY_PAUSE_MS", "0")
        .env("CARGO_HOME", env.path("no-cargo-home"))
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice::<Value>(&out.stdout).expect("json")
}

/// crates.io's recorded reverse-dependencies answer (an insta snapshot: the
/// JSON follows its header).
fn reverse_dependencies() -> String {
    let path = upkeep_testdata::path(
        "adoption/crates-io/integration__routes__crates__reverse_dependencies__reverse_dependencies-2.snap",
    );
    let snap = std::fs::read_to_string(path).expect("recording");
    snap.rsplit("\n---\n").next().expect("a body").to_owned()
}

#[test]
fn adoption_raises_criticality_with_its_source() {
    upkeep_testdata::needs_data!();
    let env = Env::new();
    let dir = upstreams(&env);
    let project = env.path("project");
    std::fs::create_dir_all(&project).expect("mkdir");
    std::fs::write(
        project.join("Cargo.lock"),
        "version = 4\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\ndependencies = [\"solo\"]\n\n\
         [[package]]\nname = \"solo\"\nversion = \"0.1.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n",
    )
    .expect("lockfile");
    let (registry, _) = crates_registry(vec![(
        "solo".into(),
        format!("file://{}/solo", dir.display()),
    )]);
    let run = |extra: &[&str]| {
        let mut args = vec!["--allow-local-repositories"];
        args.extend_from_slice(&WINDOW);
        args.extend_from_slice(extra);
        with_registry(&env, &registry, &project, &args)
    };
    let before = run(&[]);
    let solo = &before["upstreams"][0];
    assert_eq!(solo["criticality"]["world_dependents"], Value::Null);
    // With --adoption, crates.io's one reverse dependency: world = 1 +
    // log10(2) / 4 = 1.0753, and the why-line says where it comes from.
    let after = run(&["--adoption"]);
    let solo = &after["upstreams"][0];
    assert_eq!(
        solo["criticality"]["world_dependents"],
        json!([1.0, "crates.io reverse dependencies"])
    );
    let ratio = solo["criticality"]["score"].as_f64().expect("score")
        / before["upstreams"][0]["criticality"]["score"]
            .as_f64()
            .expect("score");
    assert!((ratio - 1.0753).abs() < 0.001, "{ratio}");
    assert!(
        solo["why"]
            .as_str()
            .expect("why")
            .contains("1 package depends on it (crates.io reverse dependencies)"),
        "{}",
        solo["why"]
    );
}

#[test]
fn lockfile_in_a_directory_through_the_registry_and_its_cache() {
    let env = Env::new();
    let dir = upstreams(&env);
    let project = env.path("project");
    std::fs::create_dir_all(&project).expect("mkdir");
    std::fs::write(
        project.join("Cargo.lock"),
        "version = 4\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\ndependencies = [\"solo\", \"nowhere\"]\n\n\
         [[package]]\nname = \"solo\"\nversion = \"0.1.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n\n\
         [[package]]\nname = \"nowhere\"\nversion = \"1.0.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n",
    )
    .expect("lockfile");
    let (registry, requests) = crates_registry(vec![(
        "solo".into(),
        format!("file://{}/solo", dir.display()),
    )]);
    let run = |extra: &[&str]| {
        let mut args = vec!["--no-mine"];
        args.extend_from_slice(extra);
        with_registry(&env, &registry, &project, &args)
    };
    let doc = run(&[]);
    assert_eq!(doc["inputs"][0][1], json!("Cargo.lock"));
    let solo = &doc["upstreams"][0];
    assert_eq!(
        solo["repository"],
        json!(format!("file://{}/solo", dir.display()))
    );
    assert_eq!(solo["packages"][0]["source"], json!("crates.io"));
    assert_eq!(solo["packages"][0]["depth"], json!(1));
    assert_eq!(doc["unmapped"][0]["purl"], json!("pkg:cargo/nowhere@1.0.0"));
    assert_eq!(
        doc["unmapped"][0]["reason"],
        json!("not found on crates.io")
    );
    assert_eq!(*requests.lock().expect("count"), 2);
    // Both answers are cached: offline, and online within 30 days, nobody is asked again.
    assert_eq!(run(&["--offline"])["upstreams"], doc["upstreams"]);
    assert_eq!(run(&[])["unmapped"], doc["unmapped"]);
    assert_eq!(*requests.lock().expect("count"), 2);
}

#[test]
fn malformed_inputs_name_the_file_and_position() {
    let env = Env::new();
    let lock = env.path("Cargo.lock");
    std::fs::write(&lock, "version = 4\n<<<<<<< HEAD\n[[package]]\n").expect("write");
    let out = env.run(&["deps", lock.to_str().expect("utf-8"), "--offline"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(&format!("{}:2:1: merge-conflict marker", lock.display())),
        "{}",
        stderr(&out)
    );
    let bom = env.path("bom.json");
    std::fs::write(
        &bom,
        "{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.5\", \"components\": [",
    )
    .expect("write");
    let out = env.run(&["deps", bom.to_str().expect("utf-8"), "--offline"]);
    assert!(
        stderr(&out).contains(&format!("{}:1:", bom.display())),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("not valid JSON"), "{}", stderr(&out));
    let empty = env.path("empty");
    std::fs::create_dir_all(&empty).expect("mkdir");
    let out = env.run(&["deps", empty.to_str().expect("utf-8")]);
    assert!(
        stderr(&out).contains("no lockfile found"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn contributions_from_deps_take_the_highest_ranked_upstreams() {
    // The two highest-ranked upstreams of the SBOM are solo (2.667) and gone (1.0, which
    // cannot be fetched: left out with a warning). solo's criticality, 3.556, is our
    // dependence on it; its need: bus factor 1 over 2025 (+1) and a single maintainer or
    // none (+1): 2.1; none of ours there: ability 1; focus 2.1 × 1 × 3.556 = 7.468.
    let env = Env::new();
    let dir = upstreams(&env);
    let bom = sbom(&env, &dir);
    let mut args = vec![
        "contributions",
        "--from-deps",
        &bom,
        "--allow-local-repositories",
        "--top",
        "2",
        "--org",
        "acme",
        "--format",
        "json",
    ];
    args.extend_from_slice(&WINDOW);
    let out = env
        .command(&args)
        .current_dir(env.dir.path())
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("gone is left out: not mined"),
        "{}",
        stderr(&out)
    );
    let ledger: Value = serde_json::from_slice(&out.stdout).expect("json");
    let names: Vec<&str> = ledger["upstreams"]
        .as_array()
        .expect("upstreams")
        .iter()
        .filter_map(|u| u["name"].as_str())
        .collect();
    assert_eq!(names.len(), 1);
    assert!(names[0].ends_with("/solo"), "{names:?}");
    let focus = &ledger["context"][0]["focus"];
    assert_eq!(
        focus["dependence"].as_f64().map(|d| (d * 1000.0).round()),
        Some(3556.0)
    );
    assert_eq!(focus["risks"], json!(["bus factor 1", "0 maintainer(s)"]));
    assert_eq!(focus["need"], 2.1);
    assert_eq!(focus["ability"], 1.0);
    assert_eq!(
        focus["score"].as_f64().map(|s| (s * 1000.0).round()),
        Some(7468.0)
    );
}

#[test]
fn a_repository_on_this_machine_is_mined_only_when_allowed() {
    // The SBOM names solo and gone by file:// URLs. Without the flag neither
    // is cloned or mined: each is listed, not mined, saying why.
    let env = Env::new();
    let dir = upstreams(&env);
    let bom = sbom(&env, &dir);
    let mut args = vec!["deps", &bom, "--format", "json"];
    args.extend_from_slice(&WINDOW);
    let out = env.command(&args).output().expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let json: Value = serde_json::from_slice(&out.stdout).expect("json");
    let upstreams = json["upstreams"].as_array().expect("upstreams");
    assert!(!upstreams.is_empty());
    for u in upstreams {
        let why = u["health"]["not_mined_reason"].as_str().unwrap_or("");
        assert!(why.contains("--allow-local-repositories"), "{u}");
    }
    // Nothing was cloned into the cache.
    let cache = env.path("cache");
    let cloned = std::fs::read_dir(&cache).map_or(0, |d| d.count());
    assert_eq!(cloned, 0, "{}", cache.display());
}

#[test]
fn a_lockfile_of_nested_yaml_aliases_is_refused_unexpanded() {
    // Nine levels of nine aliases (a few hundred bytes) would expand to 9^9
    // nodes: refused, naming the file and the line where it passes the limit.
    let env = Env::new();
    let project = env.path("laughs");
    std::fs::create_dir(&project).expect("mkdir");
    let mut text = String::from(
        "lockfileVersion: '9.0'\na: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n",
    );
    for (k, prev) in ('b'..='i').zip('a'..='h') {
        let refs = vec![format!("*{prev}"); 9].join(",");
        text.push_str(&format!("{k}: &{k} [{refs}]\n"));
    }
    std::fs::write(project.join("pnpm-lock.yaml"), &text).expect("writes");
    assert!(text.len() < 400, "{} bytes", text.len());
    let out = env.run(&["deps", project.to_str().expect("utf-8"), "--offline"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("pnpm-lock.yaml:"), "{err}");
    assert!(err.contains("expand past 20000000 nodes"), "{err}");
}
