//! In a real browser: headless Chromium, driven through chromedriver
//! (WebDriver, `fantoccini`), loads `upkeep serve`'s page and index on a
//! loopback port, and a published site's index, page and brief as files. At
//! 390, 1280 and 1920 px, light and dark: no page fetches anything besides
//! itself or scrolls sideways, its charts are drawn with no two labels
//! overlapping, the console has no errors, axe-core finds no serious or
//! critical accessibility violation, and a hostile author name is text.
//! Screenshots are written to `target/browser-artifacts/` (CI keeps them).
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

/// What a page is expected to hold.
struct Expect {
    /// At least this many charts.
    charts: u64,
    /// Whether the hostile author's name is on it.
    hostile: bool,
}

/// The widths a page is read at: a phone, a laptop, a large screen.
const WIDTHS: [u32; 3] = [390, 1280, 1920];

/// The text elements of any chart whose boxes overlap (by more than half a
/// pixel each way), as `chart: a / b`.
const OVERLAPS: &str = "
  const out = [];
  for (const svg of document.querySelectorAll('figure svg')) {
    const boxes = [...svg.querySelectorAll('text')]
      .filter(t => t.textContent.trim())
      .map(t => ({ text: t.textContent, r: t.getBoundingClientRect() }));
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const p = boxes[i].r, q = boxes[j].r;
      const x = Math.min(p.right, q.right) - Math.max(p.left, q.left);
      const y = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
      if (x > 0.5 && y > 0.5) out.push(svg.closest('figure').id + ': ' + boxes[i].text + ' / ' + boxes[j].text);
    }
  }
  return out;";

/// The outermost elements that stick out of the page's width, when it
/// scrolls sideways.
const WIDE: &str = "
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  return [...document.body.querySelectorAll('*')]
    .filter(e => !e.parentElement.closest('.plot, .scroll'))
    .filter(e => e.getBoundingClientRect().right > width + 1 && e.parentElement.getBoundingClientRect().right <= width + 1)
    .slice(0, 5)
    .map(e => e.tagName + '.' + e.getAttribute('class') + ' ' + Math.round(e.getBoundingClientRect().right) + ': ' + e.textContent.slice(0, 60));";

/// axe-core's source, from `UPKEEP_AXE` (`.ci/run` fetches it from the npm
/// registry); required with the browser.
fn axe() -> Option<String> {
    match std::env::var_os("UPKEEP_AXE") {
        Some(path) => Some(std::fs::read_to_string(&path).expect("UPKEEP_AXE is readable")),
        None => {
            assert!(
                std::env::var_os("UPKEEP_REQUIRE_BROWSER").is_none(),
                "UPKEEP_REQUIRE_BROWSER is set but UPKEEP_AXE (axe-core's axe.min.js) is not"
            );
            eprintln!("no accessibility audit: UPKEEP_AXE is not set");
            None
        }
    }
}

/// The serious and critical violations axe-core finds on the page.
async fn audit(client: &Client, axe: &str) -> Value {
    let script = format!(
        "{axe}
         const done = arguments[arguments.length - 1];
         axe.run(document, {{ resultTypes: ['violations'] }})
           .then(r => done(r.violations
             .filter(v => v.impact === 'serious' || v.impact === 'critical')
             .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' ' + n.failureSummary).join(' | '))))
           .catch(e => done(['axe failed: ' + e]));"
    );
    client
        .execute_async(&script, vec![])
        .await
        .expect("axe runs")
}

/// Emulates a reader who prefers the `value` colour scheme.
fn scheme(value: &'static str) -> Chrome {
    Chrome::Cdp(
        "Emulation.setEmulatedMedia",
        json!({"features": [{"name": "prefers-color-scheme", "value": value}]}),
    )
}

/// Emulates a screen `w` pixels wide (a phone below 600).
fn width(w: u32) -> Chrome {
    Chrome::Cdp(
        "Emulation.setDeviceMetricsOverride",
        json!({"width": w, "height": 1400, "deviceScaleFactor": 1, "mobile": w < 600}),
    )
}

/// Everything a page must satisfy; `name` names its screenshots.
async fn check_page(client: &Client, url: &str, name: &str, expect: Expect) {
    client
        .issue_cmd(scheme("light"))
        .await
        .expect("emulates light mode");
    client.issue_cmd(width(1280)).await.expect("sets the width");
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
        facts["charts"].as_u64().is_some_and(|n| n >= expect.charts),
        "{name}: {facts}"
    );
    assert_eq!(
        facts["drawn"], facts["charts"],
        "{name}: every chart has a size"
    );
    assert_eq!(facts["scripts"], 0);
    if expect.hostile {
        // The name is text, its right-to-left override shown, not obeyed.
        let shown = HOSTILE.replace('\u{202e}', "\\u{202e}");
        assert!(
            facts["text"]
                .as_str()
                .is_some_and(|t| t.contains(&shown) && !t.contains('\u{202e}')),
            "{name}: {}",
            facts["text"]
        );
    }
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
    at_every_width(client, name).await;
    // Nothing the audit did made a request either.
    let resources = client
        .execute(
            "return performance.getEntriesByType('resource').map(e => e.name);",
            vec![],
        )
        .await
        .expect("runs");
    assert_eq!(resources, json!([]), "{name}: the page fetched something");
}

/// At each of [`WIDTHS`], light and dark: no overlapping chart labels, no
/// sideways scroll, the theme's background, no serious accessibility
/// violation (with axe-core), and a screenshot.
async fn at_every_width(client: &Client, name: &str) {
    let artifacts =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/browser-artifacts");
    std::fs::create_dir_all(&artifacts).expect("artifacts directory");
    let axe = axe();
    for w in WIDTHS {
        client.issue_cmd(width(w)).await.expect("sets the width");
        let overlaps = client.execute(OVERLAPS, vec![]).await.expect("runs");
        assert_eq!(
            overlaps,
            json!([]),
            "{name} at {w} px: chart labels overlap"
        );
        let wide = client.execute(WIDE, vec![]).await.expect("runs");
        assert_eq!(
            wide,
            json!([]),
            "{name} at {w} px: the page scrolls sideways"
        );
        for (theme, background) in [("light", "rgb(255, 255, 255)"), ("dark", "rgb(20, 23, 28)")] {
            client
                .issue_cmd(scheme(theme))
                .await
                .expect("emulates the theme");
            let shown = client
                .execute(
                    "return getComputedStyle(document.body).backgroundColor;",
                    vec![],
                )
                .await
                .expect("runs");
            assert_eq!(shown, background, "{name}: {theme} mode");
            if let Some(axe) = &axe {
                let violations = audit(client, axe).await;
                assert_eq!(
                    violations,
                    json!([]),
                    "{name} at {w} px, {theme}: serious or critical accessibility violations"
                );
            }
            let shot = client.screenshot().await.expect("a screenshot");
            std::fs::write(artifacts.join(format!("{name}-{w}-{theme}.png")), &shot)
                .expect("writes");
        }
    }
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

/// The fixture published as a site: its index, page and brief as files.
fn site(dir: &Path, repo: &Path) -> PathBuf {
    let out = dir.join("site");
    let mut store = upkeep_store::Store::open(&dir.join("upkeep.db"), || {}).expect("store");
    let since = "2026-01-01T00:00:00Z"
        .parse::<jiff::Timestamp>()
        .expect("date");
    let until = "2026-07-01T00:00:00Z"
        .parse::<jiff::Timestamp>()
        .expect("date");
    upkeep_app::documents::site::publish(
        &mut store,
        &upkeep_app::config::Config::default(),
        &upkeep_app::documents::site::PublishOptions {
            dir: out.clone(),
            projects: vec![(
                "hostile".into(),
                vec![repo.display().to_string()],
                Vec::new(),
            )],
            window: upkeep_core::metrics::Window {
                since: since.as_second(),
                until: until.as_second(),
            },
            period: upkeep_core::ledger::periods::PeriodName::Month,
            forge: upkeep_app::sources::forge::ForgeOptions {
                no_forge: true,
                ..Default::default()
            },
        },
    )
    .expect("publishes");
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_served_and_the_published_pages_in_chromium() {
    let Some(driver) = driver() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let (state, repo) = fixture(dir.path());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binds");
    let address = listener.local_addr().expect("address");
    let app = router(Arc::clone(&state));
    tokio::spawn(async move { axum::serve(listener, app).await });
    let client = browser(&driver, &dir.path().join("profile")).await;
    let window = "since=2026-01-01&until=2026-07-01";
    let page = Expect {
        charts: 5,
        hostile: true,
    };
    check_page(
        &client,
        &format!("http://{address}/projects/hostile/?{window}"),
        "served",
        page,
    )
    .await;
    check_page(
        &client,
        &format!("http://{address}/?{window}"),
        "served-index",
        Expect {
            charts: 0,
            hostile: false,
        },
    )
    .await;
    // The published site, opened as files with nothing else around them.
    let site = site(dir.path(), &repo);
    for (file, name, expect) in [
        (
            "index.html",
            "published-index",
            Expect {
                charts: 0,
                hostile: false,
            },
        ),
        (
            "hostile/index.html",
            "published",
            Expect {
                charts: 5,
                hostile: true,
            },
        ),
        (
            "hostile/brief.html",
            "published-brief",
            Expect {
                charts: 0,
                hostile: false,
            },
        ),
    ] {
        check_page(
            &client,
            &format!("file://{}", site.join(file).display()),
            name,
            expect,
        )
        .await;
    }
    client.close().await.expect("closes");
}
