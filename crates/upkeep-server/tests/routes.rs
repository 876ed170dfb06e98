//! The routes in-process (`tower::ServiceExt::oneshot`) over a store holding
//! the community history of `make_community.sh` (2020: alice 3 of 6 commits,
//! bus factor 1; v1.0 and v1.1 released).

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower::ServiceExt;
use upkeep_server::{State, router};

const WINDOW: &str = "since=2020-01-01&until=2021-01-01";

struct Fixture {
    _dir: tempfile::TempDir,
    state: Arc<State>,
}

fn fixture() -> Fixture {
    fixture_with(false)
}

/// Builds the community history at `repo`.
fn community(repo: &Path) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../upkeep-git/tests/fixtures/make_community.sh");
    let status = std::process::Command::new("bash")
        .arg(script)
        .arg(repo)
        .status()
        .expect("bash");
    assert!(status.success());
}

/// The community history as project `hub`, mined; with `unmined`, a second
/// project `later` whose repository was never mined.
fn fixture_with(unmined: bool) -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let repo = dir.path().join("community");
    community(&repo);
    let extra = if unmined {
        let later = dir.path().join("later");
        community(&later);
        format!(
            "[[projects]]\nname = \"later\"\nrepositories = [{:?}]\n",
            later.display().to_string()
        )
    } else {
        String::new()
    };
    let db: PathBuf = dir.path().join("upkeep.db");
    let config_path = dir.path().join("upkeep.toml");
    std::fs::write(
        &config_path,
        format!(
            "[[projects]]\nname = \"hub\"\nrepositories = [{:?}]\n{extra}",
            repo.display().to_string()
        ),
    )
    .expect("config");
    let config = upkeep_app::config::Config::load(&config_path).expect("config");
    {
        let mut store = upkeep_store::Store::open(&db, || {}).expect("store");
        let forge = upkeep_app::sources::forge::ForgeOptions {
            no_forge: true,
            ..Default::default()
        };
        upkeep_app::project::mine(&mut store, &[repo.display().to_string()], &forge)
            .expect("mines");
    }
    let state = Arc::new(State::new(db, config).expect("state"));
    Fixture { _dir: dir, state }
}

async fn get(
    f: &Fixture,
    uri: &str,
    etag: Option<&str>,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let mut request = Request::builder().uri(uri);
    if let Some(tag) = etag {
        request = request.header(header::IF_NONE_MATCH, tag);
    }
    let response = router(Arc::clone(&f.state))
        .oneshot(request.body(Body::empty()).expect("request"))
        .await
        .expect("response");
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec();
    (status, headers, body)
}

fn json(body: &[u8]) -> serde_json::Value {
    serde_json::from_slice(body).expect("json")
}

#[tokio::test]
async fn the_json_contract_with_etags() {
    let f = fixture();
    let (status, _, body) = get(&f, "/api/v1/projects", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json(&body)["projects"][0]["name"], "hub");
    let uri = format!("/api/v1/projects/hub/report?{WINDOW}");
    let (status, headers, body) = get(&f, &uri, None).await;
    assert_eq!(status, StatusCode::OK);
    let report = json(&body);
    assert_eq!(report["metrics"]["bus_factor"]["value"], 2.0);
    assert_eq!(report["window"]["since"], "2020-01-01");
    assert_eq!(report["people"]["alice@example.com"], "Alice Liddell");
    assert_eq!(headers[header::CACHE_CONTROL], "public, max-age=300");
    let etag = headers[header::ETAG].to_str().expect("etag").to_owned();
    let (status, _, body) = get(&f, &uri, Some(&etag)).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert!(body.is_empty());
    // The page is the same report, as HTML.
    let (status, headers, body) = get(&f, &format!("/projects/hub/?{WINDOW}"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "text/html; charset=utf-8");
    assert!(
        String::from_utf8_lossy(&body)
            .contains("one organization (example.com) made 67% of commits")
    );
}

#[tokio::test]
async fn unknown_projects_and_bad_dates_say_so_in_json() {
    let f = fixture();
    let (status, _, body) = get(&f, "/api/v1/projects/nope/report", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(json(&body), serde_json::json!({"error": "no project nope"}));
    let (status, _, body) = get(&f, "/api/v1/projects/hub/report?since=last-week", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        json(&body)["error"],
        "since=last-week is not a YYYY-MM-DD date"
    );
    let (status, _, body) = get(
        &f,
        "/api/v1/projects/hub/report?since=2021-01-01&until=2020-01-01",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        json(&body)["error"]
            .as_str()
            .expect("text")
            .contains("empty")
    );
    let (status, _, _) = get(&f, "/no/such/page", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = get(&f, "/badge/hub/nothing.png", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // No [organization]: no ledger.
    let (status, _, body) = get(&f, "/api/v1/projects/hub/contributions", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        json(&body)["error"]
            .as_str()
            .expect("text")
            .contains("[organization]")
    );
}

#[tokio::test]
async fn metrics_parse_back_and_badges_are_well_formed() {
    let f = fixture();
    let (status, headers, body) = get(&f, "/metrics", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .expect("type")
            .starts_with("application/openmetrics-text")
    );
    let text = String::from_utf8(body).expect("utf-8");
    let lines = text.lines().map(|l| Ok(l.to_owned()));
    let scrape = prometheus_parse::Scrape::parse(lines).expect("parses");
    let find = |name: &str| scrape.samples.iter().find(|s| s.metric == name);
    let build = find("upkeep_build_info").expect("build info");
    assert_eq!(build.labels.get("version"), Some(env!("CARGO_PKG_VERSION")));
    // Over the default window (the last 365 days) the 2020 history has no contributors,
    // but its truck factor (the tree at the window's end) and mining time are there.
    let truck = find("upkeep_truck_factor").expect("truck factor");
    assert_eq!(truck.labels.get("project"), Some("hub"));
    assert!(matches!(truck.value, prometheus_parse::Value::Gauge(v) if v == 1.0));
    assert!(find("upkeep_last_mined_timestamp_seconds").is_some());
    let (status, headers, body) = get(&f, "/badge/hub/truck-factor.svg", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "image/svg+xml");
    let svg = String::from_utf8(body).expect("utf-8");
    let doc = roxmltree::Document::parse(&svg).expect("well-formed XML");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    let title = doc
        .descendants()
        .find(|n| n.has_tag_name("title"))
        .and_then(|n| n.text())
        .expect("title");
    assert!(title.starts_with("truck factor: 1 (as of "), "{title}");
    let (_, _, body) = get(&f, "/badge/hub/truck-factor.json", None).await;
    assert_eq!(json(&body)["message"], "1");
}

#[tokio::test]
async fn metrics_declare_every_catalog_gauge_and_survive_a_project_not_mined() {
    let f = fixture_with(true);
    let (status, _, body) = get(&f, "/metrics", None).await;
    assert_eq!(status, StatusCode::OK);
    let text = String::from_utf8(body).expect("utf-8");
    // Every gauge of a metric with a value over the default window is exposed
    // (a family without samples is left out by the exposition format).
    let (_, _, body) = get(&f, "/api/v1/projects/hub/report", None).await;
    let report = json(&body);
    let mut checked = 0;
    for e in upkeep_core::catalog::CATALOG {
        let value = &report["metrics"][e.id]["value"];
        for gauge in e
            .gauges
            .iter()
            .filter(|g| g.name.ends_with("_factor") || g.name.ends_with("maintainers"))
        {
            if value.is_number() {
                checked += 1;
                assert!(
                    text.contains(&format!("# TYPE {} gauge", gauge.name)),
                    "{} missing",
                    gauge.name
                );
            }
        }
    }
    assert!(checked >= 2, "the truck factor and maintainers at least");
    let lines = text.lines().map(|l| Ok(l.to_owned()));
    let scrape = prometheus_parse::Scrape::parse(lines).expect("parses");
    let up = |project: &str| {
        scrape
            .samples
            .iter()
            .find(|s| s.metric == "upkeep_project_up" && s.labels.get("project") == Some(project))
            .map(|s| s.value.clone())
    };
    assert!(matches!(up("hub"), Some(prometheus_parse::Value::Gauge(v)) if v == 1.0));
    assert!(matches!(up("later"), Some(prometheus_parse::Value::Gauge(v)) if v == 0.0));
    assert!(
        !text.contains("/nowhere"),
        "no local path in the exposition"
    );
}

/// The same store copied into PostgreSQL (`UPKEEP_TEST_DATABASE_URL`) serves the same report.
#[tokio::test]
async fn a_postgresql_store_serves_the_same_report() {
    let Ok(url) = std::env::var("UPKEEP_TEST_DATABASE_URL") else {
        assert!(
            std::env::var("UPKEEP_REQUIRE_POSTGRES").is_err(),
            "no UPKEEP_TEST_DATABASE_URL"
        );
        return;
    };
    let f = fixture();
    let sep = if url.contains('?') { '&' } else { '?' };
    let url = format!("{url}{sep}schema=serve_{}", std::process::id());
    let location = upkeep_store::Location::parse(url.as_ref()).expect("a URL");
    let (db, config_path) = (f.state.db.clone(), f._dir.path().join("upkeep.toml"));
    // The synchronous client, like the server's handlers, runs off the async threads.
    let state = tokio::task::spawn_blocking(move || {
        let source = upkeep_store::Store::open_read_only_at(&db).expect("opens");
        let mut target = upkeep_store::Store::open_at(&location, || {}).expect("connects");
        source
            .copy_into(&mut target, &mut |_, _| {})
            .expect("copies");
        let config = upkeep_app::config::Config::load(&config_path).expect("config");
        State::new(location, config).expect("state")
    })
    .await
    .expect("copies");
    let shared = Fixture {
        _dir: tempfile::tempdir().expect("temp dir"),
        state: Arc::new(state),
    };
    let uri = format!("/api/v1/projects/hub/report?{WINDOW}");
    let (status, _, from_file) = get(&f, &uri, None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, from_server) = get(&shared, &uri, None).await;
    assert_eq!(status, StatusCode::OK);
    let strip = |body: &[u8]| {
        let mut v = json(body);
        v.as_object_mut().expect("object").remove("generated_at");
        v
    };
    assert_eq!(strip(&from_server), strip(&from_file));
}

#[tokio::test]
async fn a_project_not_mined_is_shown_failed_and_the_others_are_served() {
    let f = fixture_with(true);
    // The index lists both: hub with its figures, later saying why it has none.
    let (status, _, body) = get(&f, "/", None).await;
    assert_eq!(status, StatusCode::OK);
    let page = String::from_utf8(body).expect("utf-8");
    assert!(page.contains(">hub</a>"), "{page}");
    assert!(
        page.contains(">later</a>") && page.contains("not measured"),
        "{page}"
    );
    // Sorted on the server by a column, the one not measured first by its
    // flags (the most worrying) and last by a figure it lacks; headings link
    // to the other orders; an unknown order says which there are.
    let order = |page: &str| (page.find(">later</a>"), page.find(">hub</a>"));
    let (status, _, body) = get(&f, "/?sort=flags", None).await;
    assert_eq!(status, StatusCode::OK);
    let page = String::from_utf8(body).expect("utf-8");
    assert!(page.contains("Sorted by flags."), "{page}");
    let (later, hub) = order(&page);
    assert!(later < hub, "{page}");
    assert!(page.contains("href=\"?sort=bus_factor\""), "{page}");
    let (_, _, body) = get(&f, "/?sort=bus_factor", None).await;
    let page = String::from_utf8(body).expect("utf-8");
    let (later, hub) = order(&page);
    assert!(hub < later, "{page}");
    // A window asked for is the index's, and its links keep it.
    let (status, _, body) = get(&f, &format!("/?sort=flags&{WINDOW}"), None).await;
    assert_eq!(status, StatusCode::OK);
    let page = String::from_utf8(body).expect("utf-8");
    assert!(
        page.contains(&format!(
            "href=\"?sort=bus_factor&#38;{}\"",
            WINDOW.replace('&', "&#38;")
        )),
        "{page}"
    );
    assert!(
        page.contains(&format!(
            "href=\"/projects/hub/?{}\"",
            WINDOW.replace('&', "&#38;")
        )),
        "{page}"
    );
    let (status, _, body) = get(&f, "/?sort=stars", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let message = String::from_utf8(body).expect("utf-8");
    assert!(
        message.contains("expected one of name, state, bus_factor"),
        "{message}"
    );
    // Its badge says so too; hub's badge has its figure.
    let (status, _, body) = get(&f, "/badge/later/bus-factor.json", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json(&body)["message"], "not measured");
    let (status, _, body) = get(&f, "/badge/hub/bus-factor.json", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_ne!(json(&body)["message"], "not measured");
    // Its page is an error that names no local path.
    let (status, _, body) = get(&f, "/api/v1/projects/later/report", None).await;
    assert!(
        status.is_server_error() || status.is_client_error(),
        "{status}"
    );
    let text = String::from_utf8(body).expect("utf-8");
    assert!(!text.contains(&*f._dir.path().to_string_lossy()), "{text}");
}

#[tokio::test]
async fn windows_are_normalized_to_what_data_can_have() {
    let f = fixture();
    // A window from year 1 is the window from 1970: the same answer, one entry.
    let (status, _, year_one) = get(
        &f,
        "/api/v1/projects/hub/report?since=0001-01-01&until=2021-01-01",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (_, _, epoch) = get(
        &f,
        "/api/v1/projects/hub/report?since=1970-01-01&until=2021-01-01",
        None,
    )
    .await;
    let (a, b) = (json(&year_one), json(&epoch));
    assert_eq!(a["window"], b["window"]);
    assert_eq!(a["window"]["since"], "1970-01-01");
    assert_eq!(a["metrics"], b["metrics"]);
}
