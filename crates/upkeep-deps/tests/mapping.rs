//! Tracing packages to repositories: metadata on disk (directory layouts
//! built here) and the registries' APIs (the real client against a local
//! HTTP server).

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use upkeep_core::portfolio::purl::Purl;
use upkeep_deps::local::LocalMetadata;
use upkeep_deps::registry::{Answer, Pauses, Registries, RegistryClient};

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

fn purl(text: &str) -> Purl {
    Purl::parse(text).expect("purl")
}

fn found(repository: &str, source: &str) -> Option<(String, String)> {
    Some((repository.to_owned(), source.to_owned()))
}

#[test]
fn metadata_on_disk() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(
        &root.join("cargo/registry/src/index.crates.io-1949cf8c6b5b557f/serde-1.0.200/Cargo.toml"),
        "[package]\nname = \"serde\"\nversion = \"1.0.200\"\nrepository = \"https://github.com/serde-rs/serde\"\n",
    );
    write(
        &root.join("project/node_modules/@babel/core/package.json"),
        r#"{"name": "@babel/core", "repository": {"type": "git", "url": "https://github.com/babel/babel.git", "directory": "packages/babel-core"}}"#,
    );
    write(
        &root.join("site/requests-2.32.3.dist-info/METADATA"),
        "Metadata-Version: 2.1\nName: requests\nVersion: 2.32.3\nProject-URL: Documentation, https://requests.readthedocs.io\nProject-URL: Source, https://github.com/psf/requests\n",
    );
    write(
        &root.join("gomod/cache/download/github.com/!burnt!sushi/toml/@v/v1.3.2.info"),
        r#"{"Version":"v1.3.2","Origin":{"VCS":"git","URL":"https://github.com/BurntSushi/toml"}}"#,
    );
    let local = LocalMetadata {
        cargo_home: Some(root.join("cargo")),
        node_projects: vec![root.join("project")],
        site_packages: vec![root.join("site")],
        go_mod_cache: Some(root.join("gomod")),
    };
    let find = |p: &str| local.find(&purl(p)).map(|m| (m.repository, m.source));
    assert_eq!(
        find("pkg:cargo/serde@1.0.200"),
        found("https://github.com/serde-rs/serde", "Cargo registry cache")
    );
    assert_eq!(
        find("pkg:cargo/serde@1.0.199"),
        None,
        "another version is not on disk"
    );
    assert_eq!(
        find("pkg:npm/%40babel/core@7.22.0"),
        found("https://github.com/babel/babel", "node_modules")
    );
    assert_eq!(
        find("pkg:pypi/Requests@2.32.3"),
        found("https://github.com/psf/requests", "Python package metadata")
    );
    assert_eq!(
        find("pkg:golang/github.com/BurntSushi/toml@v1.3.2"),
        found("https://github.com/burntsushi/toml", "Go module cache")
    );
}

/// A registry replaying canned answers by path; each path's answers are
/// served in turn (the last one repeats), and every request is recorded.
struct Registry {
    base: String,
    seen: Arc<Mutex<Vec<String>>>,
}

/// A canned answer: status, body, `Retry-After`.
type Canned = (u16, &'static str, Option<&'static str>);

fn serve(routes: Vec<(&'static str, Vec<Canned>)>) -> Registry {
    let server = tiny_http::Server::http("127.0.0.1:0").expect("binds");
    let base = format!("http://{}", server.server_addr().to_ip().expect("ip"));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    let mut routes: HashMap<String, Vec<Canned>> =
        routes.into_iter().map(|(p, r)| (p.to_owned(), r)).collect();
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            let path = request.url().to_owned();
            log.lock().expect("log").push(path.clone());
            let (status, body, retry_after) = match routes.get_mut(&path) {
                Some(answers) if answers.len() > 1 => answers.remove(0),
                Some(answers) => answers[0],
                None => (404, "{}", None),
            };
            let mut response = tiny_http::Response::from_string(body).with_status_code(status);
            if let Some(seconds) = retry_after {
                response.add_header(
                    tiny_http::Header::from_bytes("Retry-After", seconds).expect("header"),
                );
            }
            let _ = request.respond(response);
        }
    });
    Registry { base, seen }
}

#[test]
fn registries_answer_through_one_polite_client() {
    let registry = serve(vec![
        (
            "/api/v1/crates/serde",
            vec![(
                200,
                r#"{"crate": {"name": "serde", "repository": "https://github.com/serde-rs/serde", "homepage": "https://serde.rs"}}"#,
                None,
            )],
        ),
        (
            "/api/v1/crates/docs-only",
            vec![(
                200,
                r#"{"crate": {"name": "docs-only", "repository": null, "homepage": "https://docs-only.example.org/guide/start"}}"#,
                None,
            )],
        ),
        (
            "/@babel%2fcore/latest",
            // Rate-limited once, then the answer.
            vec![
                (429, "{}", Some("1")),
                (
                    200,
                    r#"{"name": "@babel/core", "repository": {"type": "git", "url": "git+https://github.com/babel/babel.git"}}"#,
                    None,
                ),
            ],
        ),
        (
            "/pypi/requests/json",
            // A server error, then the answer.
            vec![
                (502, "bad gateway", None),
                (
                    200,
                    r#"{"info": {"home_page": "https://requests.readthedocs.io", "project_urls": {"Documentation": "https://requests.readthedocs.io", "Source": "https://github.com/psf/requests"}}}"#,
                    None,
                ),
            ],
        ),
        (
            "/golang.org/x/text/@v/v0.14.0.info",
            vec![(
                200,
                r#"{"Version":"v0.14.0","Time":"2023-10-11T00:00:00Z","Origin":{"VCS":"git","URL":"https://go.googlesource.com/text","Hash":"abc"}}"#,
                None,
            )],
        ),
        ("/pypi/broken/json", vec![(200, "{\"info\": ", None)]),
    ]);
    let client = RegistryClient::new(
        Registries {
            crates_io: registry.base.clone(),
            npm: registry.base.clone(),
            pypi: registry.base.clone(),
            go_proxy: registry.base.clone(),
        },
        Pauses::uniform(Duration::ZERO),
    )
    .expect("client");
    let ask = |p: &str| client.lookup(&purl(p)).expect("has a registry");
    let mapped = |p: &str| match ask(p) {
        Ok(Answer::Found(m)) => Some((m.repository, m.source)),
        other => panic!("{p}: {other:?}"),
    };
    assert_eq!(
        mapped("pkg:cargo/serde@1.0.200"),
        found("https://github.com/serde-rs/serde", "crates.io")
    );
    assert_eq!(
        mapped("pkg:npm/%40babel/core@7.22.0"),
        found("https://github.com/babel/babel", "npm")
    );
    assert_eq!(
        mapped("pkg:pypi/requests@2.32.3"),
        found("https://github.com/psf/requests", "PyPI")
    );
    assert_eq!(
        mapped("pkg:golang/golang.org/x/text@v0.14.0"),
        found("https://go.googlesource.com/text", "Go module proxy")
    );
    // A homepage off the forges is not a repository; an unknown package is not an error.
    assert!(
        matches!(ask("pkg:cargo/docs-only@1.0.0"), Ok(Answer::Nothing(r)) if r == "crates.io names no source repository")
    );
    assert!(matches!(ask("pkg:npm/nope@1.0.0"), Ok(Answer::Nothing(r)) if r == "not found on npm"));
    let err = ask("pkg:pypi/broken@1.0").expect_err("malformed");
    assert!(
        err.to_string()
            .contains("/pypi/broken/json: the answer is not valid JSON"),
        "{err}"
    );
    assert!(client.lookup(&purl("pkg:deb/debian/curl@8")).is_none());
    let seen = registry.seen.lock().expect("log").clone();
    assert_eq!(
        seen.iter()
            .filter(|p| p.as_str() == "/@babel%2fcore/latest")
            .count(),
        2,
        "429 retried once"
    );
    assert_eq!(
        seen.iter()
            .filter(|p| p.as_str() == "/pypi/requests/json")
            .count(),
        2,
        "502 retried once"
    );
    assert_eq!(client.requests(), seen.len());
}

#[test]
fn an_unreachable_registry_is_given_up_for_the_run() {
    // A port nobody listens on: connections are refused at once.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let client = RegistryClient::new(
        Registries {
            crates_io: base.clone(),
            ..Registries::default()
        },
        Pauses::uniform(Duration::ZERO),
    )
    .expect("client");
    let first = client.lookup(&purl("pkg:cargo/serde@1")).expect("registry");
    assert!(first.is_err());
    assert_eq!(client.requests(), 4, "tried four times");
    let second = client
        .lookup(&purl("pkg:cargo/anyhow@1"))
        .expect("registry");
    let message = second.expect_err("not asked").to_string();
    assert!(
        message.contains("was unreachable earlier in this run"),
        "{message}"
    );
    assert_eq!(client.requests(), 4, "the second package costs nothing");
}
