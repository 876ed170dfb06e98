//! Helpers shared by the CLI tests: a temporary environment with its own
//! database and clone cache, fixture repositories, and running the binary.
#![allow(dead_code)] // Each test file uses a different subset.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};
use upkeep_store::{Location, Store};

pub struct Env {
    pub dir: tempfile::TempDir,
    /// The store's PostgreSQL URL, when the suite runs on PostgreSQL.
    postgres: Option<String>,
}

/// With `UPKEEP_TEST_STORE=postgres`, the CLI tests run against the server of
/// `UPKEEP_TEST_DATABASE_URL`, each environment in a schema of its own.
fn postgres_store() -> Option<String> {
    if std::env::var("UPKEEP_TEST_STORE").ok()? != "postgres" {
        return None;
    }
    let url = std::env::var("UPKEEP_TEST_DATABASE_URL")
        .expect("UPKEEP_TEST_STORE=postgres needs UPKEEP_TEST_DATABASE_URL");
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .subsec_nanos();
    let sep = if url.contains('?') { '&' } else { '?' };
    Some(format!(
        "{url}{sep}schema=cli_{}_{n}_{nanos}",
        std::process::id()
    ))
}

impl Env {
    /// An environment whose store is on the PostgreSQL test server whatever
    /// `UPKEEP_TEST_STORE` says; `None` (the test is skipped) without a
    /// server, unless `UPKEEP_REQUIRE_POSTGRES=1`.
    pub fn shared() -> Option<Env> {
        if std::env::var("UPKEEP_TEST_DATABASE_URL").is_err() {
            assert!(
                std::env::var("UPKEEP_REQUIRE_POSTGRES").is_err(),
                "UPKEEP_REQUIRE_POSTGRES is set but UPKEEP_TEST_DATABASE_URL is not"
            );
            eprintln!("skipped: no UPKEEP_TEST_DATABASE_URL");
            return None;
        }
        let url = std::env::var("UPKEEP_TEST_DATABASE_URL").expect("set");
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1000);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let sep = if url.contains('?') { '&' } else { '?' };
        Some(Env {
            dir: tempfile::tempdir().expect("temp dir"),
            postgres: Some(format!("{url}{sep}schema=fleet_{}_{n}", std::process::id())),
        })
    }

    pub fn new() -> Env {
        Env {
            dir: tempfile::tempdir().expect("temp dir"),
            postgres: postgres_store(),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The SQLite file of the store (tests that read the file itself check
    /// [`Env::on_postgres`] first).
    pub fn db(&self) -> PathBuf {
        self.path("upkeep.db")
    }

    /// Whether the store is on PostgreSQL rather than in [`Env::db`].
    pub fn on_postgres(&self) -> bool {
        self.postgres.is_some()
    }

    /// Every byte the store holds: the SQLite file, or a dump of the schema.
    pub fn store_bytes(&self) -> Vec<u8> {
        let Some(url) = &self.postgres else {
            return std::fs::read(self.db()).expect("the store");
        };
        let (base, schema) = url.split_once("schema=").expect("a schema");
        let out = Command::new("pg_dump")
            .args(["--data-only", "--schema", schema, "--dbname"])
            .arg(base.trim_end_matches(['?', '&']))
            .output()
            .expect("pg_dump runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    }

    /// What `UPKEEP_DB` is set to.
    pub fn store(&self) -> std::ffi::OsString {
        match &self.postgres {
            Some(url) => url.into(),
            None => self.db().into(),
        }
    }

    /// Builds `tests/fixtures/<script>` of the git source as `name`.
    pub fn fixture(&self, script: &str, name: &str) -> PathBuf {
        let repo = self.path(name);
        let script = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../upkeep-git/tests/fixtures")
            .join(script);
        let status = Command::new("bash")
            .arg(script)
            .arg(&repo)
            .status()
            .expect("bash");
        assert!(status.success());
        repo
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_upkeep"));
        cmd.args(args)
            .env("UPKEEP_DB", self.store())
            .env("UPKEEP_CACHE", self.path("cache"))
            .env_remove("UPKEEP_DEBUG_STALL_AFTER_BATCHES")
            // Hermetic: no token or forge of the machine running the tests.
            .env_remove("GITHUB_TOKEN")
            .env_remove("GH_TOKEN")
            .env_remove("GITHUB_API_URL")
            // No advisory service unless a test serves one: a refused port.
            .env("UPKEEP_OSV_URL", "http://127.0.0.1:9")
            // Nor adoption service: a refused port.
            .env("UPKEEP_NPM_DOWNLOADS_URL", "http://127.0.0.1:9")
            .env("UPKEEP_DEPSDEV_URL", "http://127.0.0.1:9")
            .env("GH_CONFIG_DIR", self.path("gh"));
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("upkeep runs")
    }

    /// Runs `upkeep ARGS --format json` in the environment's directory, expecting success.
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--format", "json"]);
        let out = self
            .command(&all)
            .current_dir(self.dir.path())
            .output()
            .expect("runs");
        assert!(out.status.success(), "{}", stderr(&out));
        serde_json::from_slice(&out.stdout).expect("json")
    }

    /// Runs `upkeep mine --format json ARGS`, expecting success, and returns the report of the one repository.
    pub fn mine_json(&self, args: &[&str]) -> serde_json::Value {
        let mut all = vec!["mine", "--format", "json"];
        all.extend_from_slice(args);
        let out = self.run(&all);
        assert!(
            out.status.success(),
            "mine failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let reports: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        reports[0].clone()
    }
}

/// The KPI `id` of a `contributions --format json` ledger.
pub fn kpi(ledger: &serde_json::Value, id: &str) -> serde_json::Value {
    ledger["kpis"]
        .as_array()
        .expect("kpis")
        .iter()
        .find(|k| k["id"] == id)
        .cloned()
        .expect("the KPI")
}

/// The texts of a report's flags (its JSON).
pub fn flag_texts(report: &serde_json::Value) -> Vec<&str> {
    report["flags"]
        .as_array()
        .expect("flags")
        .iter()
        .filter_map(|f| f["text"].as_str())
        .collect()
}

pub fn git(repo: &Path, args: &[&str]) -> String {
    git_with(repo, args, &[])
}

/// A commit of `file` (its name as its content) in `repo`, authored by
/// `who` (`Name <address>`) at `date` (RFC 3339) and committed by Zed.
pub fn commit_as(repo: &Path, date: &str, who: &str, file: &str) {
    std::fs::write(repo.join(file), format!("{file}\n")).expect("writes");
    git(repo, &["add", file]);
    git_at(repo, date, &["commit", "-q", "--author", who, "-m", file]);
}

/// `git ARGS` in `repo` as Zed, authored and committed at `date` (RFC 3339).
pub fn git_at(repo: &Path, date: &str, args: &[&str]) -> String {
    git_with(
        repo,
        args,
        &[("GIT_AUTHOR_DATE", date), ("GIT_COMMITTER_DATE", date)],
    )
}

fn git_with(repo: &Path, args: &[&str], env: &[(&str, &str)]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Zed")
        .env("GIT_AUTHOR_EMAIL", "zed@example.com")
        .env("GIT_COMMITTER_NAME", "Zed")
        .env("GIT_COMMITTER_EMAIL", "zed@example.com")
        .envs(env.iter().copied())
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Everything stored for one repository, in a form that does not depend on row ids.
pub fn content(db: impl AsRef<OsStr>, location: &Path) -> String {
    let db = Location::parse(db.as_ref()).expect("a store");
    let store = Store::open_at(&db, || {}).expect("opens");
    let location = location.canonicalize().expect("exists");
    let repo = store
        .find_repository(&location.to_string_lossy())
        .expect("reads")
        .expect("mined");
    let mut commits = store.commits(repo.id).expect("commits");
    commits.sort_by(|a, b| a.id.cmp(&b.id));
    format!(
        "{}\n{}\n{}\n{}",
        serde_json::to_string(&commits).expect("json"),
        serde_json::to_string(&store.tags(repo.id).expect("tags")).expect("json"),
        serde_json::to_string(&store.tip_files(repo.id).expect("files")).expect("json"),
        serde_json::to_string(&store.summary(repo.id).expect("summary")).expect("json"),
    )
}

/// Commits stored so far for the repository at `repo`, read beside writers.
pub fn count_commits(db: impl AsRef<OsStr>, repo: &Path) -> i64 {
    let Ok(db) = Location::parse(db.as_ref()) else {
        return 0;
    };
    let Ok(store) = Store::open_read_only_at(&db) else {
        return 0;
    };
    let location = repo.canonicalize().expect("exists");
    match store.find_repository(&location.to_string_lossy()) {
        Ok(Some(r)) => store.summary(r.id).map_or(0, |s| s.commits),
        _ => 0,
    }
}

/// The jobs `upkeep queue --format json` lists.
pub fn queue(env: &Env) -> Vec<serde_json::Value> {
    let out = env.run(&["queue", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    v["jobs"].as_array().expect("jobs").clone()
}

/// `upkeep worker` with short leases and polls, started.
pub fn worker(env: &Env, extra: &[&str]) -> Child {
    let mut args = vec![
        "worker",
        "--lease",
        "2s",
        "--poll",
        "100ms",
        "--backoff",
        "0s",
    ];
    args.extend_from_slice(extra);
    env.command(&args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns")
}

/// Waits up to 90 s for `done`.
pub fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(90);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Sends SIGTERM to `child` (a worker asked to stop).
pub fn sigterm(child: &Child) {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("signals");
    assert!(status.success());
}
