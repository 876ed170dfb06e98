//! In a real browser: headless Chromium, driven through chromedriver
//! (WebDriver, `fantoccini`), loads `upkeep serve`'s page on a loopback port
//! and a published file. The page fetches nothing besides itself, its charts
//! are drawn, the console has no errors, dark mode renders dark, and a
//! hostile author name is text. Screenshots are written to
//! `target/browser-artifacts/`.
//!
//! Without chromedriver on the PATH the tests say so and pass, unless
//! `UPKEEP_REQUIRE_BROWSER=1` (CI sets it, and installs Chromium).

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;
use upkeep_server::{State, router};

/// An author name as git stores it (git drops angle brackets from names; the
/// renderer tests cover `<script>` in names from other sources).
const HOSTILE: &str = "Eve \"quoted\" & 'single' onload=alert(1) \u{202e}evil";

/// chromedriver, stopped when dropped.
struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Starts chromedriver, or says why not (then the test is skipped, unless required).
fn driver() -> Option<Driver> {
    let found = Command::new("chromedriver")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("UPKEEP_REQUIRE_BROWSER").is_none(),
            "UPKEEP_REQUIRE_BROWSER is set but chromedriver is not on the PATH"
        );
        eprintln!(
            "skipped: chromedriver is not on the PATH (apt-get install chromium chromium-driver)"
        );
        return None;
    }
    let port = free_port();
    let child = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Some(Driver {
        child,
        url: format!("http://127.0.0.1:{port}"),
    })
}

async fn browser(driver: &Driver, profile: &Path) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": std::env::var("UPKEEP_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--window-size=1280,2400", format!("--user-data-dir={}", profile.display())],
        }),
    );
    caps.insert("goog:loggingPrefs".into(), json!({"browser": "ALL"}));
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .expect("a browser session")
}

/// chromedriver's own commands: the browser log, and Chrome DevTools commands.
#[derive(Debug)]
enum Chrome {
    Log,
    Cdp(&'static str, Value),
}

impl WebDriverCompatibleCommand for Chrome {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        let session = session.unwrap_or_default();
        match self {
            Chrome::Log => base.join(&format!("session/{session}/se/log")),
            Chrome::Cdp(..) => base.join(&format!("session/{session}/goog/cdp/execute")),
        }
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = match self {
            Chrome::Log => json!({"type": "browser"}),
            Chrome::Cdp(cmd, params) => json!({"cmd": cmd, "params": params}),
        };
        (http::Method::POST, Some(body.to_string()))
    }
}

/// Everything a page must satisfy; `name` names its screenshots.
async fn check_page(client: &Client, url: &str, name: &str) {
    let scheme = |value: &'static str| {
        Chrome::Cdp(
            "Emulation.setEmulatedMedia",
            json!({"features": [{"name": "prefers-color-scheme", "value": value}]}),
        )
    };
    client
        .issue_cmd(scheme("light"))
        .await
        .expect("emulates light mode");
    client.goto(url).await.expect("loads");
    let facts = client
        .execute(
            "const figures = [...document.querySelectorAll('figure svg')];
             return {
               resources: performance.getEntriesByType('resource').map(e => e.name),
               charts: figures.length,
               drawn: figures.filter(s => { const r = s.getBoundingClientRect(); return r.width > 0 && r.height > 0; }).length,
               scripts: document.querySelectorAll('script').length,
               text: document.body.innerText,
               background: getComputedStyle(document.body).backgroundColor,
             };",
            vec![],
        )
        .await
        .expect("runs");
    assert_eq!(
        facts["resources"],
        json!([]),
        "{name}: the page fetched something"
    );
    assert!(
        facts["charts"].as_u64().is_some_and(|n| n >= 10),
        "{name}: {facts}"
    );
    assert_eq!(
        facts["drawn"], facts["charts"],
        "{name}: every chart has a size"
    );
    assert_eq!(facts["scripts"], 0);
    // The name is text, its right-to-left override shown, not obeyed.
    let shown = HOSTILE.replace('\u{202e}', "\\u{202e}");
    assert!(
        facts["text"]
            .as_str()
            .is_some_and(|t| t.contains(&shown) && !t.contains('\u{202e}')),
        "{name}: {}",
        facts["text"]
    );
    assert_eq!(
        facts["background"], "rgb(255, 255, 255)",
        "{name}: light by default"
    );
    let log = client
        .issue_cmd(Chrome::Log)
        .await
        .expect("the browser log");
    let errors: Vec<&Value> = log
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["level"] == "SEVERE")
        .collect();
    assert!(errors.is_empty(), "{name}: console errors {errors:?}");
    let artifacts =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/browser-artifacts");
    std::fs::create_dir_all(&artifacts).expect("artifacts directory");
    let shot = client.screenshot().await.expect("a screenshot");
    std::fs::write(artifacts.join(format!("{name}-light.png")), &shot).expect("writes");
    // Dark mode, as a reader who prefers it sees it.
    client
        .issue_cmd(scheme("dark"))
        .await
        .expect("emulates dark mode");
    let dark = client
        .execute(
            "return getComputedStyle(document.body).backgroundColor;",
            vec![],
        )
        .await
        .expect("runs");
    assert_eq!(dark, "rgb(20, 23, 28)", "{name}: dark mode");
    let shot = client.screenshot().await.expect("a screenshot");
    std::fs::write(artifacts.join(format!("{name}-dark.png")), &shot).expect("writes");
}

/// A repository with a hostile author, mined into a store; the state serving it.
fn fixture(dir: &Path) -> (Arc<State>, PathBuf) {
    let repo = dir.join("hostile");
    let git = |args: &[&str], who: &str, date: &str| {
        let out = Command::new("git")
            .arg("-C")
            .arg(&repo)
            .args(args)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_AUTHOR_NAME", who)
            .env("GIT_AUTHOR_EMAIL", "eve@example.com")
            .env("GIT_COMMITTER_NAME", who)
            .env("GIT_COMMITTER_EMAIL", "eve@example.com")
            .env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date)
            .output()
            .expect("git");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    std::fs::create_dir_all(&repo).expect("dir");
    git(
        &["init", "-q", "-b", "main"],
        HOSTILE,
        "2026-01-01T10:00:00Z",
    );
    for (i, date) in [
        "2026-02-02T10:00:00Z",
        "2026-03-03T15:00:00Z",
        "2026-04-04T09:00:00Z",
    ]
    .iter()
    .enumerate()
    {
        std::fs::write(repo.join(format!("f{i}.py")), "x = 1\n").expect("writes");
        git(&["add", "-A"], HOSTILE, date);
        git(
            &["commit", "-q", "-m", &format!("Change {i}")],
            HOSTILE,
            date,
        );
    }
    let db = dir.join("upkeep.db");
    {
        let mut store = upkeep_store::Store::open(&db, || {}).expect("store");
        let forge = upkeep_app::sources::forge::ForgeOptions {
            no_forge: true,
            ..Default::default()
        };
        upkeep_app::project::mine(&mut store, &[repo.display().to_string()], &forge)
            .expect("mines");
    }
    let config = upkeep_app::config::Config::default();
    (Arc::new(State::new(db, config).expect("state")), repo)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_served_and_the_published_page_in_chromium() {
    let Some(driver) = driver() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let (state, _) = fixture(dir.path());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binds");
    let address = listener.local_addr().expect("address");
    let app = router(Arc::clone(&state));
    tokio::spawn(async move { axum::serve(listener, app).await });
    let client = browser(&driver, &dir.path().join("profile")).await;
    let window = "since=2026-01-01&until=2026-07-01";
    check_page(
        &client,
        &format!("http://{address}/projects/hostile/?{window}"),
        "served",
    )
    .await;
    // The same page as a file, opened with nothing else around it.
    let page = reqwest_like_get(address, &format!("/projects/hostile/?{window}")).await;
    let file = dir.path().join("report.html");
    std::fs::write(&file, page).expect("writes");
    check_page(&client, &format!("file://{}", file.display()), "published").await;
    client.close().await.expect("closes");
}

/// The body of a GET on the loopback server (no HTTP client crate needed).
async fn reqwest_like_get(address: std::net::SocketAddr, path: &str) -> Vec<u8> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(address)
        .await
        .expect("connects");
    let request = format!("GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("writes");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.expect("reads");
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("headers end")
        + 4;
    response.split_off(split)
}
