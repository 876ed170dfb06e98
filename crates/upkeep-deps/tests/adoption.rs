//! Adoption figures through the real HTTP client, against a local server
//! answering as the services do: crates.io with its recorded answers
//! (`../shared/data/adoption/`: dependabot's real `bitflags` document and
//! crates.io's own reverse-dependencies snapshot), npm's downloads API with
//! the answers its documentation shows, deps.dev shaped as its API
//! definition (`apiv3alpha.proto`, JSON field names) says; and a service
//! that cannot be reached.

use std::time::Duration;
use upkeep_core::portfolio::purl::Purl;
use upkeep_deps::adoption::{AdoptionClient, Figure, Services};

/// The body after an insta snapshot's header.
fn snapshot(relative: &str) -> String {
    let text = std::fs::read_to_string(upkeep_testdata::path(relative)).expect("recording");
    text.rsplit("\n---\n").next().expect("a body").to_owned()
}

/// Serves `routes` (path → body); anything else is a 404.
fn serve(routes: Vec<(String, String)>) -> String {
    let server = tiny_http::Server::http("127.0.0.1:0").expect("binds");
    let base = format!("http://{}", server.server_addr().to_ip().expect("ip"));
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            let response = match routes.iter().find(|(p, _)| *p == request.url()) {
                Some((_, body)) => tiny_http::Response::from_string(body.clone()),
                None => tiny_http::Response::from_string("{}").with_status_code(404),
            };
            let _ = request.respond(response);
        }
    });
    base
}

fn figure(figures: &[Figure], signal: &str) -> (Option<f64>, &'static str, Option<String>) {
    let f = figures
        .iter()
        .find(|f| f.signal == signal)
        .unwrap_or_else(|| panic!("{signal} in {figures:?}"));
    (f.value, f.source, f.reason.clone())
}

#[test]
fn downloads_and_dependents_with_their_sources() {
    upkeep_testdata::needs_data!();
    let bitflags = std::fs::read_to_string(upkeep_testdata::path(
        "adoption/dependabot-crates-io/bitflags.json",
    ))
    .expect("recording");
    let recorded: serde_json::Value = serde_json::from_str(&bitflags).expect("json");
    let routes = vec![
        ("/api/v1/crates/bitflags".to_owned(), bitflags.clone()),
        (
            "/api/v1/crates/bitflags/reverse_dependencies?per_page=1".to_owned(),
            snapshot("adoption/crates-io/integration__routes__crates__reverse_dependencies__reverse_dependencies-2.snap"),
        ),
        // npm's documented answers, written as JSON.
        (
            "/downloads/point/last-month/jquery".to_owned(),
            r#"{"downloads": 31623, "start": "2023-01-01", "end": "2023-01-31", "package": "jquery"}"#.to_owned(),
        ),
        (
            "/downloads/range/last-year/jquery".to_owned(),
            r#"{"downloads": [{"day": "2023-02-27", "downloads": 1904088}, {"day": "2023-03-04", "downloads": 7904294}], "start": "2023-02-25", "end": "2023-03-04", "package": "jquery"}"#.to_owned(),
        ),
        // deps.dev: GetPackage's versions and GetDependents' counts.
        (
            "/v3/systems/npm/packages/jquery".to_owned(),
            r#"{"packageKey": {"system": "NPM", "name": "jquery"}, "versions": [{"versionKey": {"system": "NPM", "name": "jquery", "version": "3.7.0"}, "isDefault": false}, {"versionKey": {"system": "NPM", "name": "jquery", "version": "3.7.1"}, "isDefault": true}]}"#.to_owned(),
        ),
        (
            "/v3alpha/systems/npm/packages/jquery/versions/3.7.1:dependents".to_owned(),
            r#"{"dependentCount": 1200, "directDependentCount": 1000, "indirectDependentCount": 300}"#.to_owned(),
        ),
    ];
    let base = serve(routes);
    let client = AdoptionClient::new(&Services {
        crates_io: base.clone(),
        npm_downloads: base.clone(),
        deps_dev: base,
        crates_io_pause: Duration::ZERO,
    })
    .expect("client");

    let crate_figures = client.figures(&Purl::parse("pkg:cargo/bitflags").expect("purl"));
    let total = recorded["crate"]["downloads"].as_f64();
    let recent = recorded["crate"]["recent_downloads"].as_f64();
    assert!(total.is_some_and(|n| n > 0.0));
    assert_eq!(
        figure(&crate_figures, "downloads_total"),
        (total, "crates.io", None)
    );
    assert_eq!(
        figure(&crate_figures, "downloads_recent_90d"),
        (
            recent,
            "crates.io",
            recent
                .is_none()
                .then(|| "crates.io gave no recent download count".to_owned())
        )
    );
    assert_eq!(
        figure(&crate_figures, "reverse_dependencies"),
        (Some(1.0), "crates.io", None)
    );
    // deps.dev knows nothing of bitflags here: null with the reason, never 0.
    let (value, source, reason) = figure(&crate_figures, "dependents");
    assert_eq!((value, source), (None, "deps.dev"));
    assert_eq!(reason.as_deref(), Some("deps.dev gave no dependent count"));

    let npm = client.figures(&Purl::parse("pkg:npm/jquery").expect("purl"));
    assert_eq!(
        figure(&npm, "downloads_last_month"),
        (Some(31_623.0), "npm downloads API", None)
    );
    assert_eq!(
        figure(&npm, "downloads_last_year"),
        (Some(9_808_382.0), "npm downloads API", None)
    );
    assert_eq!(
        figure(&npm, "dependents"),
        (Some(1_200.0), "deps.dev", None)
    );

    // PyPI says no download counts, without a request.
    let pypi = client.figures(&Purl::parse("pkg:pypi/urllib3").expect("purl"));
    let (value, source, reason) = figure(&pypi, "downloads");
    assert_eq!((value, source), (None, "PyPI"));
    assert!(reason.is_some_and(|r| r.contains("no download counts")));
}

#[test]
fn an_unreachable_service_leaves_null_with_the_reason() {
    let client = AdoptionClient::new(&Services {
        crates_io: "http://127.0.0.1:9".into(),
        npm_downloads: "http://127.0.0.1:9".into(),
        deps_dev: "http://127.0.0.1:9".into(),
        crates_io_pause: Duration::ZERO,
    })
    .expect("client");
    let figures = client.figures(&Purl::parse("pkg:npm/left-pad").expect("purl"));
    assert!(
        figures
            .iter()
            .all(|f| f.value.is_none() && f.reason.is_some()),
        "{figures:?}"
    );
    // deps.dev, once unreachable, is not asked again in the run.
    let again = client.figures(&Purl::parse("pkg:npm/right-pad").expect("purl"));
    let (_, _, reason) = figure(&again, "dependents");
    assert!(reason.is_some_and(|r| r.contains("could not be reached")));
}
